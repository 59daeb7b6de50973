"""Read structures from every format users have, into :class:`~symbreak_cli.io.cell.Cell`.

ASE reads CIF (every data block), POSCAR/CONTCAR, xyz/extxyz and .traj; pymatgen reads
its own JSON (``Structure.as_dict()`` / ``Molecule.as_dict()``). Whatever goes wrong, the
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
#: two atoms closer than this (Å) are "at the same place"
MIN_SEPARATION = 0.1


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


def _from_ase(atoms, source: str, label: str, molecule: bool) -> Cell:
    pbc = bool(np.any(atoms.pbc)) and atoms.cell.rank == 3
    periodic = pbc and not molecule
    lattice = np.array(atoms.cell.array, dtype=float) if periodic else None
    return _make_cell(lattice, atoms.get_positions(), atoms.get_atomic_numbers(), atoms.get_chemical_symbols(), periodic, source, label)


def _from_pymatgen(obj, source: str, label: str, molecule: bool) -> Cell:
    from pymatgen.core import Structure

    symbols = [site.specie.symbol for site in obj]
    numbers = [site.specie.Z for site in obj]
    if isinstance(obj, Structure) and not molecule:
        return _make_cell(np.array(obj.lattice.matrix, float), obj.cart_coords, numbers, symbols, True, source, label)
    return _make_cell(None, obj.cart_coords, numbers, symbols, False, source, label)


def _make_cell(lattice, positions, numbers, symbols, periodic, source, label) -> Cell:
    positions = np.asarray(positions, dtype=float).reshape(-1, 3)
    if len(positions) == 0:
        raise InputError(f"structure {label!r} has no atoms" if label else "structure has no atoms", path=source)
    if not np.all(np.isfinite(positions)):
        bad = int(np.argwhere(~np.isfinite(positions))[0, 0])
        raise InputError(f"atom {bad + 1} ({symbols[bad]}) has a non-finite coordinate (NaN or inf)", path=source)
    if lattice is not None:
        lattice = np.asarray(lattice, float)
        if not np.all(np.isfinite(lattice)) or abs(np.linalg.det(lattice)) < 1e-6:
            raise InputError("the cell is degenerate or not finite (zero volume)", path=source)
    cell = Cell(lattice, positions, np.asarray(numbers, dtype=int), tuple(symbols), periodic, source, label)
    _check_overlaps(cell)
    return cell


def _check_overlaps(cell: Cell) -> None:
    """Two atoms at the same place make every symmetry search meaningless: refuse."""
    if cell.n_atoms < 2:
        return
    if cell.periodic:
        frac = cell.fractional
        d = frac[:, None, :] - frac[None, :, :] if cell.n_atoms <= 2000 else None
        if d is None:
            return
        d -= np.round(d)
        dist = np.linalg.norm(d @ cell.lattice, axis=-1)
    else:
        pos = cell.positions
        if cell.n_atoms > 2000:
            return
        dist = np.linalg.norm(pos[:, None, :] - pos[None, :, :], axis=-1)
    np.fill_diagonal(dist, np.inf)
    i, j = np.unravel_index(np.argmin(dist), dist.shape)
    if dist[i, j] < MIN_SEPARATION:
        i, j = sorted((int(i), int(j)))
        raise InputError(
            f"atoms {i + 1} ({cell.symbols[i]}) and {j + 1} ({cell.symbols[j]}) are at the same place "
            f"({dist[i, j]:.3g} Å apart)",
            path=cell.source,
        )


def _read_ase(handle, source: str, fmt: str, frame: int | None, molecule: bool) -> list[Cell]:
    import ase.io

    index = ":" if fmt == "cif" else (frame if frame is not None else 0)
    try:
        images = ase.io.read(handle, index=index, format=fmt)
    except (StopIteration, IndexError):
        if fmt != "cif" and frame not in (None, 0):
            raise InputError(f"has no frame {frame}", path=source) from None
        raise InputError("holds no structure", path=source) from None
    except Exception as err:  # ASE raises many types for malformed files
        msg = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(f"cannot be read as {fmt}: {msg}", path=source) from None
    if not isinstance(images, list):
        images = [images]
    if not images:
        raise InputError("holds no atoms (no data block with atom sites)", path=source)
    if fmt == "cif" and frame not in (None, 0):  # --frame picks one data block of a CIF
        if not -len(images) <= frame < len(images):
            raise InputError(f"has no data block {frame} (it holds {len(images)})", path=source)
        images = [images[frame]]
    multi = len(images) > 1
    out = []
    for k, atoms in enumerate(images):
        label = (atoms.info.get("_cif_block") or atoms.info.get("name") or f"block {k + 1}") if multi else ""
        out.append(_from_ase(atoms, source, str(label), molecule))
    return out


def _read_pmg_json(text: str, source: str, molecule: bool) -> list[Cell]:
    import json

    from monty.json import MontyDecoder

    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not JSON ({err.msg} at line {err.lineno})", path=source) from None
    items = data if isinstance(data, list) else [data]
    out = []
    for k, item in enumerate(items):
        try:
            obj = MontyDecoder().process_decoded(item)
        except Exception as err:
            raise InputError(f"not a pymatgen Structure/Molecule JSON: {err}", path=source) from None
        if not hasattr(obj, "cart_coords"):
            raise InputError("JSON is not a pymatgen Structure or Molecule (missing '@class')", path=source)
        out.append(_from_pymatgen(obj, source, f"item {k + 1}" if len(items) > 1 else "", molecule))
    return out


def read_structures(path: str, fmt: str | None = None, frame: int = 0, molecule: bool = False) -> list[Cell]:
    """Read every structure in a file (several CIF data blocks give several cells).

    Parameters
    ----------
    path : file path, or '-' for stdin (then ``fmt`` is required).
    fmt : ase.io format name ('cif', 'vasp', 'xyz', 'extxyz', 'traj') or 'json'
        (pymatgen); guessed from the name when None.
    frame : which frame of a trajectory (xyz/extxyz/traj) to read; negative counts from
        the end.
    molecule : treat the structure as a molecule even when it has a cell.
    """
    if path == "-":
        if not fmt:
            raise OptionError("reading '-' (stdin) needs --format (e.g. --format cif)")
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise InputError("stdin is empty", path="-")
        kind = format_for(path, fmt)
        if kind == "pmg-json":
            return _read_pmg_json(data.decode("utf-8", "replace"), "-", molecule)
        if kind == "traj":
            return _read_ase(io.BytesIO(data), "-", kind, frame, molecule)
        return _read_ase(io.StringIO(data.decode("utf-8", "replace")), "-", kind, frame, molecule)
    kind = format_for(path, fmt)
    if not os.path.exists(path):
        raise InputError("no such file", path=path)
    if os.path.isdir(path):
        raise InputError("is a directory", path=path)
    if os.path.getsize(path) == 0:
        raise InputError("file is empty", path=path)
    if kind == "pmg-json":
        with open(path, encoding="utf-8", errors="replace") as fh:
            return _read_pmg_json(fh.read(), path, molecule)
    if kind in ("cif", "vasp", "extxyz", "xyz"):
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if b"\x00" in head:
            raise InputError(f"is binary, not a {kind} text file", path=path)
    return _read_ase(path, path, kind, frame, molecule)
