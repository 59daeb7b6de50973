"""``detect --pseudo``: the search's domain objects as report models (copied, rounded), and
``--write-parent DIR``: each candidate's idealised structure as a CIF.

Files follow ``detect --write``'s conventions (:mod:`._detect_write`): named from the
input file, ``<stem>_pseudo_<HM>_<number>_i<index>.cif``; every target is checked before
anything is written (an existing file needs ``--force``) and each is written atomically.
What is written is spglib's standardised conventional cell of the idealised structure
(at :data:`~symbreak_cli.symmetry.pseudo.IDEAL_SYMPREC_A`), so ``detect CHILD --parent``
takes it as it stands.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np

from symbreak_cli.results import pseudo as m
from symbreak_cli.symmetry.pseudo import IDEAL_SYMPREC_A, PseudoCandidate, PseudoSearch

#: decimals kept for displacements and lattices (Å) and fractional coordinates
DECIMALS = 6


def _r(a) -> list:
    return (np.round(np.asarray(a, float), DECIMALS) + 0.0).tolist()


def _operation(R: np.ndarray, t: np.ndarray) -> str:
    from fractions import Fraction

    terms = []
    for row, x in zip(np.rint(R).astype(int), t):
        s = "".join(("+" if c > 0 else "-") + ("" if abs(c) == 1 else str(abs(c))) + v for c, v in zip(row, "xyz") if c)
        x = float(x) % 1.0
        fr = Fraction(x).limit_denominator(48)
        if abs(float(fr) - x) < 1e-6:
            s += f"+{fr}" if fr else ""
        else:
            s += f"+{x:.6f}"
        terms.append(s.lstrip("+"))
    return ",".join(terms)


def candidate_model(c: PseudoCandidate, written: str | None = None) -> m.PseudoCandidateModel:
    return m.PseudoCandidateModel(
        hm=c.hm, number=c.number, index=c.index, point_group_index=c.point_group_index, lattice_index=c.lattice_index,
        chain=[m.ChainStep(hm=h, number=n) for h, n in c.chain],
        max_displacement_A=round(c.max_displacement, DECIMALS), mean_displacement_A=round(c.mean_displacement, DECIMALS),
        strain=round(c.strain, DECIMALS), displacements_A=_r(c.displacements),
        idealised_lattice_A=_r(c.structure.lattice), idealised_fractional=_r(c.structure.fractional),
        primitive_basis=_r(c.primitive_basis),
        operations=[_operation(R, t) for R, t in zip(c.rotations, c.translations)], written=written,
    )


def pseudo_model(s: PseudoSearch) -> m.PseudoSearchModel:
    written = list(s.written) + [None] * (len(s.candidates) - len(s.written))
    return m.PseudoSearchModel(
        space_group=s.hm, space_group_number=s.number, max_displacement_allowed_A=s.max_displacement,
        max_strain_allowed=s.max_strain, examined=s.examined, complete=s.complete,
        candidates=[candidate_model(c, w) for c, w in zip(s.candidates, written)],
    )


def parent_name(stem: str, c: PseudoCandidate) -> str:
    """``<stem>_pseudo_<HM>_<number>_i<index>.cif`` (the HM symbol made file-safe: '/' → '_').

    >>> from types import SimpleNamespace as N
    >>> parent_name("CaTiO3", N(hm="P4/mbm", number=127, index=4))
    'CaTiO3_pseudo_P4_mbm_127_i4.cif'
    """
    hm = re.sub(r"[^\w.+-]", "_", c.hm)
    return f"{stem}_pseudo_{hm}_{c.number}_i{c.index}.cif"


def write_parents(search: PseudoSearch, cell, directory: str, force: bool = False) -> tuple[str, ...]:
    """Write every candidate's idealised structure; return the paths, in candidate order.

    Raises
    ------
    OutputError
        a target exists and ``force`` is false (nothing is written then), or it cannot be written.
    """
    from symbreak_cli.io.files import atomic_write_text, check_writable
    from symbreak_cli.io.writers import cif_text
    from symbreak_cli.symmetry.standardize import standard_cells

    from symbreak_cli.workflows._detect_write import _stem

    stem = _stem(cell)
    targets = [Path(directory) / parent_name(stem, c) for c in search.candidates]
    for path in targets:
        check_writable(path, force)
    texts = []
    for path, c in zip(targets, search.candidates):
        conv = dataclasses.replace(standard_cells(c.structure, IDEAL_SYMPREC_A).conventional,
                                   label=path.stem)
        texts.append((path, cif_text(conv, spacegroup=(c.hm, c.number))))
    if texts:
        Path(directory).mkdir(parents=True, exist_ok=True)
    return tuple(str(atomic_write_text(path, text, force=force)) for path, text in texts)


__all__ = ["candidate_model", "parent_name", "pseudo_model", "write_parents"]
