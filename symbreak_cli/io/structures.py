"""Read structures from every format users have, into :class:`~symbreak_cli.io.cell.Cell`.

CIF/mCIF: gemmi, with pymatgen's CifParser as the fallback (:mod:`.cif`); pymatgen JSON read
directly (:mod:`.pymatgen_json`); ASE for POSCAR/CONTCAR, xyz/extxyz and .traj. Whether a
structure is a crystal or a molecule comes from its content, never from a fallback. Whatever goes wrong, the
user gets an :class:`~symbreak_cli.errors.InputError` naming the file and the problem.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import numpy as np

from symbreak_cli.errors import InputError, OptionError
from symbreak_cli.io.cell import Cell
from symbreak_cli.io.checks import make_cell

#: extension (lower case, no dot) -> ase.io format name ('pmg-json' is read by pymatgen)
EXTENSIONS: dict[str, str] = {
    "cif": "cif",
    "mcif": "cif",
    "vasp": "vasp",
    "poscar": "vasp",
    "contcar": "vasp",
    "xyz": "extxyz",
    "extxyz": "extxyz",
    "traj": "traj",
    "json": "pmg-json",
}
_VASP_NAMES = ("POSCAR", "CONTCAR")


def format_for(path: str, fmt: str | None = None) -> str:
    """The reader for a path: explicit ``fmt`` wins, then the extension, then VASP names."""
    if fmt:
        return "pmg-json" if fmt in ("json", "pmg-json", "pymatgen") else ("extxyz" if fmt == "xyz" else fmt)
    name = os.path.basename(path)
    if name.upper().startswith(_VASP_NAMES):
        return "vasp"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if any(v in name.upper() for v in _VASP_NAMES):  # 'Si-POSCAR', 'relaxed_CONTCAR.1'
        return "vasp"
    raise InputError(
        f"unsupported file type {('.' + ext) if ext else '(no extension)'}; "
        f"expected one of {', '.join('.' + e for e in sorted(EXTENSIONS))} or POSCAR/CONTCAR "
        "(or pass --format)",
        path=path,
    )


def is_structure_file(path: Path) -> bool:
    try:
        format_for(str(path))
        return True
    except InputError:
        return False


def expand_inputs(paths: list[str]) -> list[str]:
    """Directories expand to the structure files inside (sorted, not recursive)."""
    out: list[str] = []
    for p in paths:
        if p != "-" and os.path.isdir(p):
            found = sorted(str(f) for f in Path(p).iterdir() if f.is_file() and not f.name.startswith(".") and is_structure_file(f))
            if not found:
                raise InputError("directory holds no structure files (.cif, POSCAR, .xyz, .extxyz, .traj, .json)", path=p)
            out.extend(found)
        else:
            out.append(p)
    return out


def _from_ase(atoms, source: str, label: str, molecule: bool = False, fmt: str = "", partial_pbc: bool = False) -> Cell:
    """Crystal or molecule from the content: a POSCAR is always a crystal, an (ext)xyz/traj is one
    exactly when it declares periodicity — and then it must have a real lattice.
    """
    pbc = (True, True, True) if fmt == "vasp" else tuple(bool(x) for x in atoms.pbc)
    symbols = atoms.get_chemical_symbols()
    if molecule or not any(pbc):
        return make_cell(None, atoms.get_positions(), atoms.get_atomic_numbers(), symbols, False, source, label)
    field = "the POSCAR lattice (scale factor × lattice vectors)" if fmt == "vasp" else "the Lattice"
    lattice = np.array(atoms.cell.array, dtype=float)
    if not all(pbc):
        axes = "".join(a for a, p in zip("abc", pbc) if p)
        flags = " ".join("T" if p else "F" for p in pbc)
        if not partial_pbc:
            raise InputError(f"is periodic along {', '.join(axes)} only (pbc=\"{flags}\"): a slab or rod has a layer "
                             "or rod group, not a space group, and is not analysed; set pbc=\"T T T\" with a vacuum "
                             "gap to treat it as a crystal, or pbc=\"F F F\" for a molecule", path=source)
    elif not np.any(lattice):
        raise InputError("declares pbc=\"T T T\" but has no Lattice", path=source)
    return make_cell(lattice, atoms.get_positions(), atoms.get_atomic_numbers(), symbols, all(pbc), source, label,
                     pbc=pbc, field=field)


def _read_ase(handle, source: str, fmt: str, frame: int | None, molecule: bool, partial_pbc: bool) -> list[Cell]:
    import warnings

    import ase.io

    frame = 0 if frame is None else int(frame)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            images = ase.io.read(handle, index=":" if frame < 0 else frame, format=fmt)
    except (StopIteration, IndexError):
        if frame:
            raise InputError(f"has no frame {frame}", path=source) from None
        raise InputError("holds no structure", path=source) from None
    except Exception as err:  # ASE raises many types for malformed files
        from symbreak_cli.io._messages import describe

        raise InputError(f"cannot be read as {fmt}: {describe(err)}", path=source) from None
    if isinstance(images, list):
        if not images:
            raise InputError("holds no structure", path=source)
        if not -len(images) <= frame < 0:
            raise InputError(f"has no frame {frame} (it holds {len(images)} frame(s): 0 to {len(images) - 1}, "
                             f"or -1 to -{len(images)} from the end)", path=source)
        images = images[frame]
    return [_from_ase(images, source, "", molecule, fmt, partial_pbc)]


def _read_poscar(data: bytes, source: str, molecule: bool) -> list[Cell]:
    from symbreak_cli.io.poscar import read_poscar

    cell = read_poscar(data.decode("utf-8-sig", "replace"), source)
    if molecule:
        cell = make_cell(None, cell.positions, cell.numbers, cell.symbols, False, source, "", warnings=cell.warnings)
    return [cell]


def _read_cif(data: bytes, source: str, frame: int | None, molecule: bool) -> list[Cell]:
    from symbreak_cli.io.cif import read_cif

    cells = read_cif(data, source, frame)
    if molecule:
        cells = [make_cell(None, c.positions, c.numbers, c.symbols, False, c.source, c.label, warnings=c.warnings,
                           types=c.types) for c in cells]
    return cells


def read_structures(path: str, fmt: str | None = None, frame: int = 0, molecule: bool = False,
                    partial_pbc: bool = True) -> list[Cell]:
    """Read every structure in a file (several CIF data blocks give several cells).

    Parameters
    ----------
    path : file path, or '-' for stdin (then ``fmt`` is required).
    fmt : 'cif', 'vasp', 'xyz', 'extxyz', 'traj' or 'json' (pymatgen); guessed from the
        name when None.
    frame : which frame of a trajectory (or data block of a CIF) to read; negative counts
        from the end; out of range either way is an InputError.
    molecule : treat the structure as a molecule even when it has a cell.
    partial_pbc : return slabs/rods (pbc like T T F) as cells with that ``pbc`` (the
        analysis finds a slab's layer group and refuses a rod); False refuses them here.
    """
    if path == "-":
        if not fmt:
            raise OptionError("reading '-' (stdin) needs --format (e.g. --format cif)")
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise InputError("stdin is empty", path="-")
        kind = format_for(path, fmt)
        if kind == "pmg-json":
            from symbreak_cli.io.pymatgen_json import read_pymatgen_json

            return read_pymatgen_json(data.decode("utf-8-sig", "replace"), "-", molecule)
        if kind == "cif":
            return _read_cif(data, "-", frame, molecule)
        if kind == "vasp":
            return _read_poscar(data, "-", molecule)
        if kind == "traj":
            return _read_ase(io.BytesIO(data), "-", kind, frame, molecule, partial_pbc)
        return _read_ase(io.StringIO(data.decode("utf-8-sig", "replace")), "-", kind, frame, molecule, partial_pbc)
    kind = format_for(path, fmt)
    if not os.path.exists(path):
        raise InputError("no such file", path=path)
    if os.path.isdir(path):
        raise InputError("is a directory", path=path)
    if os.path.getsize(path) == 0:
        raise InputError("file is empty", path=path)
    if kind == "pmg-json":
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            from symbreak_cli.io.pymatgen_json import read_pymatgen_json

            return read_pymatgen_json(fh.read(), path, molecule)
    if kind in ("cif", "vasp", "extxyz", "xyz"):
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if b"\x00" in head:
            raise InputError(f"is binary, not a {kind} text file", path=path)
    if kind == "cif":
        with open(path, "rb") as fh:
            return _read_cif(fh.read(), path, frame, molecule)
    if kind == "vasp":
        with open(path, "rb") as fh:
            return _read_poscar(fh.read(), path, molecule)
    if kind == "extxyz":  # text: a UTF-8 BOM is dropped, bytes that are not UTF-8 named
        with open(path, "rb") as fh:
            data = fh.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            from symbreak_cli.io._messages import describe

            raise InputError(describe(err), path=path) from None
        return _read_ase(io.StringIO(text), path, kind, frame, molecule, partial_pbc)
    return _read_ase(path, path, kind, frame, molecule, partial_pbc)
