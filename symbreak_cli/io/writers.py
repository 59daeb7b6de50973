"""Write a :class:`Cell` as CIF, POSCAR or (ext)xyz — atomically, never over a file without ``force``.

Numbers are written with 12 decimals (fractional coordinates, Å), so reading a written file
gives the same cell to 1e-8. A CIF lists every atom with the identity operation (P1) unless
the symmetry operations and the orbit of each atom are given; then it holds the space-group
symbol, its operations and one atom per orbit, and readers expand it back.

>>> import numpy as np, tempfile, os
>>> from symbreak_cli.io.cell import Cell
>>> c = Cell(np.eye(3) * 4.0, np.array([[0, 0, 0], [2.0, 2.0, 2.0]]), np.array([55, 17]), ("Cs", "Cl"), True)
>>> d = tempfile.mkdtemp()
>>> print(open(write_structure(c, os.path.join(d, "POSCAR"))).read().splitlines()[5:7])
['Cs Cl', '1 1']
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from symbreak_cli.errors import OutputError
from symbreak_cli.io.cell import Cell
from symbreak_cli.io.files import atomic_write_text, check_writable

#: format name -> what it writes; the name's extension picks one when ``fmt`` is None
FORMATS = {"cif": "CIF", "vasp": "POSCAR (VASP 5)", "xyz": "xyz (extended xyz for a crystal)", "extxyz": "extended xyz"}
_F = "{:.12f}"


def format_for_output(path: str | os.PathLike, fmt: str | None = None) -> str:
    """'cif', 'vasp', 'xyz' or 'extxyz' for an output path (``fmt`` wins; POSCAR/CONTCAR names are VASP)."""
    if fmt:
        fmt = fmt.lower()
        fmt = {"poscar": "vasp", "contcar": "vasp"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise OutputError(f"cannot write format {fmt!r}; choose one of {', '.join(FORMATS)}", path=str(path))
        return fmt
    name = Path(path).name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in ("cif", "mcif"):
        return "cif"
    if ext in ("xyz", "extxyz"):
        return ext
    if ext in ("vasp", "poscar", "contcar") or any(v in name.upper() for v in ("POSCAR", "CONTCAR")):
        return "vasp"
    raise OutputError("cannot tell the format from the name; use .cif, .vasp, POSCAR, .xyz or .extxyz", path=str(path))


def _lattice_parameters(lattice: np.ndarray) -> list[float]:
    a, b, c = (float(np.linalg.norm(v)) for v in lattice)

    def angle(u, v):
        return float(np.degrees(np.arccos(np.clip(np.dot(u, v) / np.linalg.norm(u) / np.linalg.norm(v), -1.0, 1.0))))

    return [a, b, c, angle(lattice[1], lattice[2]), angle(lattice[0], lattice[2]), angle(lattice[0], lattice[1])]


def _xyz_op(rot: np.ndarray, trans: np.ndarray) -> str:
    from fractions import Fraction

    terms = []
    for row, t in zip(np.rint(rot).astype(int), trans):
        s = "".join(("+" if c > 0 else "-") + ("" if abs(c) == 1 else str(abs(c))) + v for c, v in zip(row, "xyz") if c)
        fr = Fraction(float(t) % 1.0).limit_denominator(12)
        if fr:
            s += f"+{fr}"
        terms.append(s.lstrip("+"))
    return ",".join(terms)


def cif_text(cell: Cell, *, spacegroup: tuple[str, int] | None = None, operations=None,
             equivalent_atoms=None) -> str:
    """The CIF of a crystal: a P1 listing, or the asymmetric unit when ``spacegroup``,
    ``operations`` and ``equivalent_atoms`` (as spglib's dataset gives them) are passed.
    """
    if cell.lattice is None:
        raise OutputError("a molecule has no cell to write as CIF; write it as .xyz", path=cell.source or None)
    name = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in (cell.label or cell.formula)) or "structure"
    pars = _lattice_parameters(cell.lattice)
    lines = ["# written by symbreak", f"data_{name}"]
    asym = operations is not None and equivalent_atoms is not None and spacegroup is not None
    if spacegroup is not None:
        hm, number = spacegroup
        lines.append(f"# space group found: {hm} ({number})")
    if asym:
        lines += [f"_symmetry_space_group_name_H-M '{spacegroup[0]}'", f"_symmetry_Int_Tables_number {spacegroup[1]}"]
    else:
        lines += ["_symmetry_space_group_name_H-M 'P 1'", "_symmetry_Int_Tables_number 1"]
    for key, value in zip(("length_a", "length_b", "length_c", "angle_alpha", "angle_beta", "angle_gamma"), pars):
        lines.append(f"_cell_{key} {_F.format(value)}")
    lines += ["loop_", "_symmetry_equiv_pos_as_xyz"]
    if asym:
        rotations, translations = operations
        lines += [f"'{_xyz_op(r, t)}'" for r, t in zip(rotations, translations)]
        keep = sorted(set(int(k) for k in np.asarray(equivalent_atoms)))
    else:
        lines.append("'x,y,z'")
        keep = list(range(cell.n_atoms))
    lines += ["loop_", "_atom_site_label", "_atom_site_type_symbol", "_atom_site_fract_x", "_atom_site_fract_y",
              "_atom_site_fract_z", "_atom_site_occupancy"]
    frac = cell.fractional
    frac = frac - np.floor(frac)
    for k in keep:
        x, y, z = (_F.format(v) for v in frac[k])
        lines.append(f"{cell.symbols[k]}{k + 1} {cell.symbols[k]} {x} {y} {z} 1")
    return "\n".join(lines) + "\n"


def poscar_text(cell: Cell) -> str:
    """A VASP 5 POSCAR: atoms grouped by species in order of first appearance (fractional)."""
    if cell.lattice is None:
        raise OutputError("a molecule has no cell to write as POSCAR; write it as .xyz", path=cell.source or None)
    species = list(dict.fromkeys(cell.symbols))
    order = [k for s in species for k in range(cell.n_atoms) if cell.symbols[k] == s]
    lines = [(cell.label or cell.formula).replace("\n", " ") or "structure", "1.0"]
    lines += ["  ".join(_F.format(v) for v in row) for row in cell.lattice]
    lines += [" ".join(species), " ".join(str(cell.symbols.count(s)) for s in species), "Direct"]
    frac = cell.fractional
    lines += ["  ".join(_F.format(v) for v in frac[k]) for k in order]
    return "\n".join(lines) + "\n"


def xyz_text(cell: Cell) -> str:
    """Plain xyz for a molecule; extended xyz (Lattice, pbc) for a crystal or slab."""
    if cell.lattice is not None and any(cell.pbc):
        lat = " ".join(_F.format(v) for v in cell.lattice.ravel())
        pbc = " ".join("T" if p else "F" for p in cell.pbc)
        comment = f'Lattice="{lat}" Properties=species:S:1:pos:R:3 pbc="{pbc}"'
    else:
        comment = (cell.label or cell.formula).replace("\n", " ")
    body = [f"{s} " + " ".join(_F.format(v) for v in p) for s, p in zip(cell.symbols, cell.positions)]
    return "\n".join([str(cell.n_atoms), comment, *body]) + "\n"


def write_structure(cell: Cell, path: str | os.PathLike, fmt: str | None = None, *, force: bool = False,
                    spacegroup: tuple[str, int] | None = None, operations=None, equivalent_atoms=None) -> Path:
    """Write ``cell`` to ``path`` as ``fmt`` ('cif', 'vasp', 'xyz', 'extxyz'; from the name when None).

    Refuses an existing file unless ``force`` (OutputError naming it); the write is atomic.
    ``spacegroup`` (H-M symbol, number), ``operations`` (rotations, translations) and
    ``equivalent_atoms`` only matter for CIF (see :func:`cif_text`).
    """
    kind = format_for_output(path, fmt)
    check_writable(path, force)
    if kind == "cif":
        text = cif_text(cell, spacegroup=spacegroup, operations=operations, equivalent_atoms=equivalent_atoms)
    elif kind == "vasp":
        text = poscar_text(cell)
    else:
        text = xyz_text(cell)
    return atomic_write_text(path, text, force=force)
