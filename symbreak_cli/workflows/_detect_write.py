"""``detect --write DIR``: the structures the answer stands on, as files.

Per structure, named from its file (and data block / frame when the file holds several):
``<stem>_conventional.cif|.vasp`` and ``<stem>_primitive.cif|.vasp`` (spglib's
standardised cells) and ``<stem>_symmetrised.cif|.vasp`` (the input symmetrised to the
group found) for crystals; ``<stem>_symmetrised.xyz`` for molecules. Every target is
checked before anything is written (an existing file needs ``force``), and each is
written atomically (temporary file + rename).

The text comes from ``ase.io.write`` in :func:`_format`, the one place to point at
``symbreak_cli.io.writers`` once that module exists.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from symbreak_cli.io.cell import Cell

#: what is written for a crystal / a molecule: (which cell, format, extension)
CRYSTAL_OUTPUTS = (("conventional", "cif", "cif"), ("conventional", "vasp", "vasp"),
                   ("primitive", "cif", "cif"), ("primitive", "vasp", "vasp"),
                   ("symmetrised", "cif", "cif"), ("symmetrised", "vasp", "vasp"))
MOLECULE_OUTPUTS = (("symmetrised", "xyz", "xyz"),)


def _stem(cell: Cell) -> str:
    name = "stdin" if cell.source in ("", "-") else os.path.basename(cell.source)
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    if cell.label:
        stem += "_" + cell.label
    return re.sub(r"[^\w.+-]", "_", stem)


def _format(cell: Cell, fmt: str) -> str:
    """The file text of ``cell`` in ``fmt`` (cif, vasp or xyz), from :mod:`symbreak_cli.io.writers`."""
    from symbreak_cli.io.writers import cif_text, poscar_text, xyz_text

    return {"cif": cif_text, "vasp": poscar_text}.get(fmt, xyz_text)(cell)


def write_found(cell: Cell, directory: str, symprec: float, angle_tolerance: float, force: bool = False) -> list[str]:
    """Write the standardised / symmetrised structures of ``cell``; return the paths written.

    Raises
    ------
    OutputError
        a target exists and ``force`` is false (nothing is written then), or it cannot be written.
    """
    from symbreak_cli.io.files import atomic_write_text, check_writable
    from symbreak_cli.symmetry.standardize import standard_cells

    cells = standard_cells(cell, symprec, angle_tolerance)
    plan = CRYSTAL_OUTPUTS if cell.periodic else MOLECULE_OUTPUTS
    stem = _stem(cell)
    targets = [(Path(directory) / f"{stem}_{which}.{ext}", getattr(cells, which), fmt) for which, fmt, ext in plan]
    for path, _, _ in targets:
        check_writable(path, force)
    texts = [(path, _format(c, fmt)) for path, c, fmt in targets]  # all formatted before the first write
    return [str(atomic_write_text(path, text, force=force)) for path, text in texts]


__all__ = ["CRYSTAL_OUTPUTS", "MOLECULE_OUTPUTS", "write_found"]
