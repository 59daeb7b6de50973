"""What every reader checks before a :class:`Cell` exists: a real cell, real coordinates,
no two atoms in one place.

>>> import numpy as np
>>> c = make_cell(np.eye(3) * 5, [[0, 0, 0], [0, 0, 0.3]], [1, 1], ["H", "H"], True, "h2.cif", "")
>>> c.warnings
('atoms 1 (H) and 2 (H) are only 0.3 Å apart',)
"""

from __future__ import annotations

import itertools

import numpy as np

from symbreak_cli.errors import InputError
from symbreak_cli.io.cell import Cell

#: two atoms closer than this (Å) are the same atom written twice: an error
DUPLICATE_A = 1e-3
#: two atoms closer than this (Å) are unusual but real (spglib's suite has 0.006 Å): a warning
CLOSE_A = 0.5
#: a coordinate or cell length beyond this (Å) is not a physical structure
ABSURD_A = 1e6
#: above this many atoms the pair check is skipped (it is O(N²)), with a warning saying so
MAX_PAIR_CHECK = 20000
#: up to this many atoms pairs are compared directly (the grid costs more than it saves)
SMALL_N = 64
_AXES = "abc"


def check_lattice(lattice, source: str, field: str = "lattice", pbc=(True, True, True)) -> np.ndarray:
    """A (3, 3) lattice that is finite, not absurd and not singular, or an InputError naming ``field``."""
    lat = np.asarray(lattice, dtype=float)
    if lat.shape != (3, 3):
        raise InputError(f"{field} has shape {lat.shape}, not 3 × 3", path=source)
    for k, axis in enumerate(_AXES):
        if not pbc[k]:
            continue
        v = lat[k]
        if not np.all(np.isfinite(v)):
            raise InputError(f"{field}: lattice vector {axis} is not finite ({v.tolist()})", path=source)
        length = float(np.linalg.norm(v))
        if length < 1e-6:
            raise InputError(f"{field}: lattice vector {axis} has zero length", path=source)
        if length > ABSURD_A:
            raise InputError(f"{field}: lattice vector {axis} is {length:.3g} Å long, not a physical cell", path=source)
    if all(pbc):
        lengths = np.prod(np.linalg.norm(lat, axis=1))
        if abs(np.linalg.det(lat)) < 1e-6 * lengths:
            raise InputError(f"{field} is singular: its lattice vectors are coplanar (zero volume)", path=source)
    return lat


#: vacuum (Å) beyond the atoms' extent of a box vector built for a non-periodic axis
BOX_VACUUM_A = 10.0


def _box(lattice: np.ndarray, positions: np.ndarray, pbc, source: str, field: str) -> np.ndarray:
    """A slab's or rod's lattice with a box vector on each non-periodic axis where the file's
    leaves the cell singular (ASE writes 0 0 0 there): normal to the periodic vectors, as
    long as the atoms' extent along it plus :data:`BOX_VACUUM_A`. The periodic vectors and
    every Cartesian position stay as read.
    """
    periodic = [k for k in range(3) if pbc[k]]
    lat = lattice.copy()
    if len(periodic) == 2:
        u, v = lat[periodic[0]], lat[periodic[1]]
        if np.linalg.norm(np.cross(u, v)) < 1e-6 * np.linalg.norm(u) * np.linalg.norm(v):
            raise InputError(f"{field}: the periodic lattice vectors {_AXES[periodic[0]]} and {_AXES[periodic[1]]} "
                             "are parallel", path=source)
    lengths = np.prod(np.maximum(np.linalg.norm(lat, axis=1), 1e-300))
    if abs(np.linalg.det(lat)) >= 1e-6 * lengths:
        return lat
    basis = [lat[k] / np.linalg.norm(lat[k]) for k in periodic]
    for k in range(3):
        if pbc[k]:
            continue
        seed = np.cross(basis[0], basis[1]) if len(basis) == 2 else np.eye(3)[np.argmin(np.abs(basis[0]))]
        for b in basis:
            seed = seed - (seed @ b) * b
        n = seed / np.linalg.norm(seed)
        heights = positions @ n
        lat[k] = n * (float(heights.max() - heights.min()) + BOX_VACUUM_A)
        basis.append(n)
    return lat


def make_cell(lattice, positions, numbers, symbols, periodic: bool, source: str, label: str, *,
              pbc=None, warnings=(), field: str = "lattice", types=None) -> Cell:
    """Check everything and build the :class:`Cell` (``pbc`` defaults to ``periodic`` on all axes;
    ``types``: atom types of a disordered structure, :mod:`.disorder`).
    """
    positions = np.asarray(positions, dtype=float).reshape(-1, 3)
    symbols = tuple(symbols)
    where = f"structure {label!r}" if label else "structure"
    if len(positions) == 0:
        raise InputError(f"{where} has no atoms", path=source)
    if not np.all(np.isfinite(positions)):
        bad = int(np.argwhere(~np.isfinite(positions))[0, 0])
        raise InputError(f"atom {bad + 1} ({symbols[bad]}) has a non-finite coordinate (NaN or inf)", path=source)
    big = np.abs(positions).max(axis=1)
    if big.max() > ABSURD_A:
        bad = int(np.argmax(big))
        raise InputError(f"atom {bad + 1} ({symbols[bad]}) has a coordinate of {big[bad]:.3g} Å, not a physical "
                         "position", path=source)
    pbc = tuple(bool(x) for x in (pbc if pbc is not None else (periodic,) * 3))
    if lattice is not None:
        lattice = check_lattice(lattice, source, field, pbc if any(pbc) else (True, True, True))
        if any(pbc) and not all(pbc):
            lattice = _box(lattice, positions, pbc, source, field)
    types = None if types is None else np.asarray(types, dtype=int)
    cell = Cell(lattice, positions, np.asarray(numbers, dtype=int), symbols, periodic, source, label, pbc, tuple(warnings),
                types)
    notes = _check_pairs(cell)
    if notes:
        cell = Cell(lattice, positions, cell.numbers, symbols, periodic, source, label, pbc, cell.warnings + notes, types)
    return cell


def _points(cell: Cell, cutoff: float) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """Cartesian points (atoms wrapped into the cell plus the images within ``cutoff`` of a face),
    their atom indices and whether each is the atom itself; None for a cell too thin for this.
    """
    if cell.lattice is None or not any(cell.pbc):
        return cell.positions, np.arange(cell.n_atoms), np.ones(cell.n_atoms, bool)
    lat = cell.lattice
    frac = cell.fractional
    periodic = np.array(cell.pbc)
    frac[:, periodic] -= np.floor(frac[:, periodic])
    recip = np.linalg.inv(lat).T  # rows: reciprocal vectors; 1/|b_k| is the height across face k
    width = cutoff * np.linalg.norm(recip, axis=1)  # the skin, as a fraction of each axis
    if np.any(width[periodic] >= 0.5):
        return None
    pts, idx, own = [frac @ lat], [np.arange(cell.n_atoms)], [np.ones(cell.n_atoms, bool)]
    for shift in itertools.product(*[(-1, 0, 1) if p else (0,) for p in cell.pbc]):
        if not any(shift):
            continue
        keep = np.ones(cell.n_atoms, bool)
        for k, sk in enumerate(shift):
            if sk == 1:
                keep &= frac[:, k] < width[k]
            elif sk == -1:
                keep &= frac[:, k] > 1 - width[k]
        if keep.any():
            pts.append((frac[keep] + np.array(shift, float)) @ lat)
            idx.append(np.nonzero(keep)[0])
            own.append(np.zeros(int(keep.sum()), bool))
    return np.concatenate(pts), np.concatenate(idx), np.concatenate(own)


def _brute(cell: Cell, cutoff: float) -> dict[tuple[int, int], float]:
    frac = cell.fractional
    mask = np.array(cell.pbc, float)
    shifts = np.array(list(itertools.product(*[(-1, 0, 1) if p else (0,) for p in cell.pbc])), float) @ cell.lattice
    d = frac[:, None, :] - frac[None, :, :]
    d -= np.round(d) * mask
    base = d @ cell.lattice
    dmin = np.min([np.linalg.norm(base + s, axis=-1) for s in shifts], axis=0)
    dmin[np.tril_indices(cell.n_atoms)] = np.inf
    return {(int(i), int(j)): float(dmin[i, j]) for i, j in zip(*np.nonzero(dmin < cutoff))}


def closest_pairs(cell: Cell, cutoff: float) -> list[tuple[int, int, float]]:
    """Pairs (i < j, distance in Å) closer than ``cutoff``, periodic images counted, closest first.

    A grid of ``cutoff``-sized bins keeps this O(N) (20,000 atoms in well under a second).
    """
    if cell.n_atoms <= SMALL_N and cell.lattice is not None and any(cell.pbc):
        got = None  # a few atoms: every pair with its 27 images is cheaper than building the grid
    elif cell.n_atoms <= SMALL_N:
        d = np.linalg.norm(cell.positions[:, None] - cell.positions[None], axis=-1)
        i, j = np.nonzero(np.triu(d < cutoff, 1))
        return sorted(((int(a), int(b), float(d[a, b])) for a, b in zip(i, j)), key=lambda p: p[2])
    else:
        got = _points(cell, cutoff)
    if got is None:  # a cell thinner than 2 × cutoff: compare every pair with its 27 images
        found = _brute(cell, cutoff)
        return sorted(((i, j, d) for (i, j), d in found.items()), key=lambda p: p[2])
    pts, idx, own = got
    keys = np.floor(pts / cutoff).astype(np.int64)
    keys -= keys.min(axis=0) - 1
    dims = keys.max(axis=0) + 2
    enc = (keys[:, 0] * dims[1] + keys[:, 1]) * dims[2] + keys[:, 2]
    order = np.argsort(enc, kind="stable")
    sorted_enc = enc[order]
    mine = np.nonzero(own)[0]
    found: dict[tuple[int, int], float] = {}
    for off in itertools.product((-1, 0, 1), repeat=3):
        target = ((keys[mine, 0] + off[0]) * dims[1] + keys[mine, 1] + off[1]) * dims[2] + keys[mine, 2] + off[2]
        lo = np.searchsorted(sorted_enc, target, "left")
        hi = np.searchsorted(sorted_enc, target, "right")
        counts = hi - lo
        if not counts.any():
            continue
        p = np.repeat(mine, counts)
        q = order[np.repeat(lo, counts) + np.arange(len(p)) - np.repeat(np.cumsum(counts) - counts, counts)]
        i, j = idx[p], idx[q]
        dist = np.linalg.norm(pts[p] - pts[q], axis=1)
        sel = (i != j) & (dist < cutoff)
        for a, b, d in zip(i[sel], j[sel], dist[sel]):
            key = (int(min(a, b)), int(max(a, b)))
            if d < found.get(key, np.inf):
                found[key] = float(d)
    return sorted(((i, j, d) for (i, j), d in found.items()), key=lambda p: p[2])


def _piled(cell: Cell) -> list[tuple[int, int, float]]:
    """Two atoms at exactly one place, found by hashing in O(N log N) — a pile of thousands of
    coincident atoms would put them all in one bin of :func:`closest_pairs` (O(N²) pairs).
    """
    pts = cell.positions
    if cell.lattice is not None and any(cell.pbc):
        frac = cell.fractional
        periodic = np.array(cell.pbc)
        frac[:, periodic] -= np.floor(frac[:, periodic])
        pts = frac @ cell.lattice
    _, inverse, counts = np.unique(np.round(pts / DUPLICATE_A).astype(np.int64), axis=0, return_inverse=True,
                                   return_counts=True)
    if counts.max() < 2:
        return []
    i, j = np.nonzero(inverse.ravel() == int(np.argmax(counts)))[0][:2]
    d = float(np.linalg.norm(pts[i] - pts[j]))
    return [(int(i), int(j), d)] if d < DUPLICATE_A else []


def _check_pairs(cell: Cell) -> tuple[str, ...]:
    if cell.n_atoms < 2:
        return ()
    if cell.n_atoms > MAX_PAIR_CHECK:
        return (f"{cell.n_atoms} atoms: the check for atoms at the same place was skipped",)
    pairs = (cell.n_atoms > SMALL_N and _piled(cell)) or closest_pairs(cell, CLOSE_A)
    if not pairs:
        return ()
    i, j, d = pairs[0]
    if d < DUPLICATE_A:
        raise InputError(
            f"atoms {i + 1} ({cell.symbols[i]}) and {j + 1} ({cell.symbols[j]}) are at the same place "
            f"({d:.2g} Å apart): an atom written twice?",
            path=cell.source,
        )
    more = f" ({len(pairs) - 1} more pair(s) closer than {CLOSE_A} Å)" if len(pairs) > 1 else ""
    return (f"atoms {i + 1} ({cell.symbols[i]}) and {j + 1} ({cell.symbols[j]}) are only {d:.2g} Å apart{more}",)
