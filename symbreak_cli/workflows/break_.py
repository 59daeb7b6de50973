"""``break`` as a run: read the parent, break it to the target (:mod:`symbreak_cli.symmetry.breaking`),
write every domain atomically and copy the answer into a ``symbreak.break/<major>`` report.

Files are named ``<stem>_<target>_domain<k>.xyz`` (molecules) or ``.cif`` (crystals, a P1
listing that names the space group found) under ``out``; every target is checked before
the first is written, so an existing file without ``force`` leaves the directory as it was.

>>> from symbreak_cli.workflows.break_ import BreakOptions, break_file
>>> r = break_file("sample_data/SF6.xyz", BreakOptions(to="D4h", amplitude=0.1))
>>> r.total_domains, r.object.parts[0].irrep, [d.check.found for d in r.domains]
(3, '2e', ['D4h', 'D4h', 'D4h'])
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from symbreak_cli.errors import OptionError, named
from symbreak_cli.symmetry.tolerances import DEFAULT_SYMPREC_A

#: decimals kept for displacements, positions and object vectors in the report
DECIMALS = 8


@dataclass(frozen=True)
class BreakOptions:
    """Options of ``symbreak break`` (defaults defined here once; the CLI reads them)."""

    to: str | None = None
    irrep: str | None = None  # space-group irrep label (crystals), e.g. GM4-, R4+
    direction: str | None = None  # order-parameter direction, e.g. "a,a,0" (default (a, 0, …))
    origin: str | None = None  # element moved to the origin of the parent (irrep labels depend on it)
    amplitude: float = 0.1  # Å, √(Σ|u|²) over the parent cell / molecule
    strain: float = 0.0  # Frobenius norm of the added strain (crystals)
    domains: str = "all"  # "all" or N: build the first N domains
    out: str | None = None  # directory for the structures (None: write nothing)
    force: bool = False
    symprec: float = DEFAULT_SYMPREC_A  # Å
    lmax: int = 8  # highest l searched for the breaking object
    fmt: str | None = None  # input format (for '-' or odd names)

    def max_domains(self) -> int | None:
        if self.domains.strip().lower() == "all":
            return None
        try:
            n = int(self.domains)
        except ValueError:
            raise OptionError(f"--domains must be 'all' or a positive number, got {self.domains!r}") from None
        if n < 1:
            raise OptionError(f"--domains must be 'all' or a positive number, got {self.domains!r}")
        return n

    def validate(self) -> None:
        if not self.to and not self.irrep:
            raise OptionError("give --to SUBGROUP (a point group for a molecule, a space group for a crystal) "
                              "or --irrep LABEL [--direction a,b,c] (crystals)")
        if self.direction is not None and not self.irrep:
            raise OptionError("--direction needs --irrep (the direction lives in that irrep's space)")
        if self.origin is not None and not self.irrep:
            raise OptionError("--origin needs --irrep (it fixes which irrep labels the parent has)")
        if not (0 < self.symprec < 1):
            raise OptionError(f"--symprec must be in (0, 1) Å, got {self.symprec}")
        if not (1 <= self.lmax <= 12):
            raise OptionError(f"--lmax must be between 1 and 12, got {self.lmax}")
        self.max_domains()
        if self.out is not None and os.path.exists(self.out) and not os.path.isdir(self.out):
            raise OptionError(f"--out {self.out}: exists and is not a directory")


def _stem(path: str) -> str:
    name = "stdin" if path in ("", "-") else os.path.basename(path)
    return re.sub(r"[^\w.+-]", "_", name.rsplit(".", 1)[0] if "." in name[1:] else name)


def _slug(name: str) -> str:
    return re.sub(r"[^\w+-]", "", name.split(" (")[0].replace("/", "_").replace("-", "bar"))


def _targets(path: str, b, out: str) -> list[Path]:
    ext = "cif" if b.kind == "crystal" else "xyz"
    return [Path(out) / f"{_stem(path)}_{_slug(b.target_name)}_domain{d.domain.index:02d}.{ext}" for d in b.domains]


def write_domains(path: str, b, out: str, force: bool) -> list[str]:
    """Write every built domain; check all targets first (OutputError, nothing written)."""
    from symbreak_cli.io.files import check_writable
    from symbreak_cli.io.writers import write_structure

    targets = _targets(path, b, out)
    for t in targets:
        check_writable(t, force)
    written = []
    for t, d in zip(targets, b.domains):
        sg = (d.check.found.split(" (")[0], d.check.number) if d.check.number is not None else None
        written.append(str(write_structure(d.cell, t, force=force, spacegroup=sg)))
    return written


def _r(a, d: int = DECIMALS):
    import numpy as np

    return (np.round(np.asarray(a, float), d) + 0.0).tolist()


def _pattern_text(b) -> str:
    if b.irrep is not None:
        return (f"the symmetry-adapted modes of {b.irrep.label} in the {'×'.join(str(int(n)) for n in b.irrep.supercell.diagonal())} "
                f"supercell (all copies, equal weight) along η = ({', '.join(f'{x:g}' for x in b.irrep.direction)})")
    if not b.pattern_irreps:
        return "no displacements: the strain alone breaks the symmetry"
    return ("displacements from the breaking object: s_i = ∇f(r_i) + f(r_i) r_i/|r_i|² with f = v·Y_l, r_i the atom about "
            "the centre (molecules) or its bonds to the nearest-neighbour shell (crystals), projected onto the H-invariant "
            f"fields transforming as {' + '.join(b.pattern_irreps)} of {b.G.schoenflies}, rigid motions removed")


def report_of(path: str, b, opts: BreakOptions, paths: list[str | None], command: str | None, wall: float):
    """The ``symbreak.break/<major>`` report of a :class:`~symbreak_cli.symmetry.breaking.Breaking` (copy & round)."""
    from symbreak_cli.io.files import sha256_file
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance
    from symbreak_cli.results.break_ import (
        BreakingObjectModel,
        BreakingPartModel,
        BreakReport,
        DomainCheckModel,
        DomainModel,
        IrrepRequestModel,
    )
    from symbreak_cli.workflows._group_results import subgroup_relation_model

    import numpy as np

    obj = b.object
    parts = [] if obj is None else [
        BreakingPartModel(irrep=p.irrep, l=p.l, parity=p.parity, vector=_r(p.vector), polynomial=p.polynomial,
                          parent_irreps=list(p.parent_irreps), n_new_invariants=p.n_new) for p in obj.parts]
    irrep = None if b.irrep is None else IrrepRequestModel(
        label=b.irrep.label, direction=_r(b.irrep.direction), isotropy_group=b.irrep.isotropy,
        supercell=np.asarray(b.irrep.supercell, int).tolist(), origin=b.irrep.origin)
    domains = [DomainModel(
        index=d.domain.index, representative=d.domain.symbol, path=p,
        check=DomainCheckModel(found=d.check.found, space_group_number=d.check.number,
                               same_operations=d.check.same_operations, verified=d.check.ok),
        point_operations=[b.G.ops[a].symbol for a in sorted(set(b.action.point_index[d.domain.ops].tolist()))],
        n_operations=len(d.domain.ops),
        object={k: _r(v) for k, v in d.domain.object.items()},
        displacements_A=_r(d.domain.displacements), strain=None if d.domain.strain is None else _r(d.domain.strain),
        max_displacement_A=round(d.max_displacement, DECIMALS)) for d, p in zip(b.domains, paths)]
    try:
        digest = sha256_file(path) if path != "-" else None
    except OSError:
        digest = None
    options = {k: v for k, v in asdict(opts).items()}
    options = {{"amplitude": "amplitude_A", "symprec": "symprec_A"}.get(k, k): v for k, v in options.items()}
    cell = b.parent
    return BreakReport(
        inputs=Inputs(files=[InputFile(path=path, sha256=digest)], options=options),
        provenance=make_provenance(command, wall_time_s=round(wall, 3)),
        structure=path, formula=cell.formula, kind=b.kind, symbols=list(cell.symbols), positions_A=_r(cell.positions),
        lattice_A=None if cell.lattice is None else _r(cell.lattice), parent_group=b.parent_name,
        target_group=b.target_name, target_space_group_number=b.target_number,
        relation=subgroup_relation_model(b.G, b.H), subgroup_classes=b.n_classes,
        irrep=irrep,
        object=None if obj is None else BreakingObjectModel(parts=parts, alternatives=list(obj.alternatives),
                                                            o3_symmetry=obj.o3_symmetry, lmax=opts.lmax),
        pattern_irreps=list(b.pattern_irreps), pattern=_pattern_text(b), amplitude_A=b.amplitude, strain=b.strain,
        orientational_domains=b.G.order // b.H.order, translational_domains=b.n_domains // (b.G.order // b.H.order),
        total_domains=b.n_domains, domains=domains, out=opts.out, symprec_A=b.symprec,
    )


def break_file(path: str, opts: BreakOptions, command: str | None = None):
    """Break the structure in ``path`` as ``opts`` say; write the domains under ``opts.out``.

    Raises
    ------
    SymbreakError
        bad options or input, an impossible breaking, a domain that does not re-detect,
        or an existing output without ``force``.
    """
    from symbreak_cli.io.structures import read_structures

    start = time.perf_counter()
    opts.validate()
    cell = read_structures(path, fmt=opts.fmt)[0]
    with named(path):
        b = _break(cell, opts)
    paths: list[str | None] = [None] * len(b.domains)
    if opts.out is not None:
        paths = list(write_domains(path, b, opts.out, opts.force))
    return report_of(path, b, opts, paths, command, time.perf_counter() - start)


def _break(cell, opts: BreakOptions):
    from symbreak_cli.symmetry.breaking import break_along_irrep, break_structure

    if opts.irrep:
        return break_along_irrep(cell, opts.irrep, opts.direction, opts.amplitude, strain=opts.strain,
                                 max_domains=opts.max_domains(), symprec=opts.symprec, lmax=opts.lmax, origin=opts.origin,
                                 to=opts.to)
    return break_structure(cell, opts.to, opts.amplitude, strain=opts.strain, max_domains=opts.max_domains(),
                           symprec=opts.symprec, lmax=opts.lmax)


__all__ = ["BreakOptions", "break_file", "report_of", "write_domains"]
