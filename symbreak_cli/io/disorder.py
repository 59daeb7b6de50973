"""Partial occupancy read as disorder: the average structure, one atom type per
species/occupancy mixture.

A file lists sites with occupancies: a solid solution writes several species at one place
(Sr 0.7 + Y 0.3), a vacancy a species below 1 (O 0.25). Entries at one place (closer than
``merge_tol`` Å, periodic images counted) become one atom whose *mixture* — its species and
their occupancies, rounded to :data:`OCC_DECIMALS` — is its type: two atoms are equivalent
for the symmetry search exactly when their mixtures are equal. The atom keeps the element
of its largest occupancy for names and formulas; a warning names every mixture.

>>> import numpy as np
>>> entries = [Entry(np.zeros(3), "Fe", 26, 0.5, "M1"), Entry(np.zeros(3), "Co", 27, 0.5, "M2"),
...            Entry(np.full(3, 0.5), "Fe", 26, 1.0, "Fe2")]
>>> d = merge_entries(entries, np.eye(3) * 2.86, "FeCo.cif")
>>> d.symbols, d.types.tolist(), d.notes[0]
(('Co', 'Fe'), [1000, 26], 'partial occupancy read as disorder, one atom type per species/occupancy mixture: Co 0.5 + Fe 0.5 (1 atom); elements and formula show each mixture by its largest species')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.errors import InputError

#: occupancies within this of 1 are full
OCC_TOL = 0.02
#: decimals of an occupancy that decide whether two mixtures are the same type (0.333 = 0.3333)
OCC_DECIMALS = 3
#: atom types of mixtures start here (above every atomic number)
MIXTURE_TYPE_BASE = 1000


@dataclass(frozen=True)
class Entry:
    """One species at one place as the file lists it (fractional for crystals, Å for molecules)."""

    position: np.ndarray
    symbol: str
    number: int
    occupancy: float
    label: str


@dataclass(frozen=True)
class Disorder:
    """The merged atoms: positions (as given), elements, types for the symmetry search
    (None when nothing is disordered), the mixture of each atom and the warning lines.
    """

    positions: np.ndarray
    symbols: tuple[str, ...]
    numbers: np.ndarray
    types: np.ndarray | None
    mixtures: tuple[str, ...]
    notes: tuple[str, ...]
    weights: dict[str, float]


def mixture_name(parts: dict[str, float]) -> str:
    """'Sr 0.7 + Y 0.3', 'O 0.25 + vacancy 0.75' (species in alphabetical order).

    >>> mixture_name({"Y": 0.3, "Sr": 0.7}), mixture_name({"O": 0.25})
    ('Sr 0.7 + Y 0.3', 'O 0.25 + vacancy 0.75')
    """
    text = " + ".join(f"{el} {occ:g}" for el, occ in sorted(parts.items()))
    vacancy = round(1.0 - sum(parts.values()), OCC_DECIMALS)
    return text + (f" + vacancy {vacancy:g}" if vacancy > OCC_TOL else "")


def _groups(pos: np.ndarray, lattice: np.ndarray | None, tol: float) -> list[list[int]]:
    """Indices of entries at one place (connected within ``tol`` Å), in first-seen order."""
    n = len(pos)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n - 1):
        d = pos[i + 1:] - pos[i]
        if lattice is not None:
            d = (d - np.round(d)) @ lattice
        for j in np.nonzero(np.linalg.norm(d, axis=1) < tol)[0] + i + 1:
            parent[root(int(j))] = root(i)
    out: dict[int, list[int]] = {}
    for i in range(n):
        out.setdefault(root(i), []).append(i)
    return list(out.values())


def merge_entries(entries: list[Entry], lattice: np.ndarray | None, source: str, merge_tol: float = 0.01) -> Disorder:
    """Full sites pass through; partial ones at one place merge into one atom of their mixture,
    placed where the first of them is in the file's order (so atom numbers follow the file).

    Raises
    ------
    InputError
        the occupancies at one place add up to more than 1.
    """
    partial_idx = [i for i, e in enumerate(entries) if e.occupancy < 1 - OCC_TOL]
    groups: dict[int, list[int]] = {}  # first entry (file order) -> the entries at its place
    if partial_idx:
        pos = np.array([entries[i].position for i in partial_idx], float)
        for group in _groups(pos, lattice, merge_tol):
            members = [partial_idx[g] for g in group]
            groups[members[0]] = members
    merged_away = {i for members in groups.values() for i in members[1:]}
    positions, symbols, numbers, types, mixtures = [], [], [], [], []
    weights: dict[str, float] = {}
    kinds: dict[str, int] = {}
    counts: dict[str, int] = {}
    for i, e in enumerate(entries):
        if i in merged_away:
            continue
        if i not in groups:  # a full site
            positions.append(e.position)
            symbols.append(e.symbol)
            numbers.append(e.number)
            types.append(e.number)
            mixtures.append("")
            weights[e.symbol] = weights.get(e.symbol, 0.0) + 1.0
            continue
        members = [entries[j] for j in groups[i]]
        parts: dict[str, float] = {}
        for m in members:
            parts[m.symbol] = parts.get(m.symbol, 0.0) + m.occupancy
        total = sum(parts.values())
        if total > 1 + OCC_TOL:
            labels = ", ".join(dict.fromkeys(m.label for m in members))
            raise InputError(f"sites {labels} share one place with occupancies adding up to {total:g} (> 1)",
                             path=source)
        for el, occ in parts.items():
            weights[el] = weights.get(el, 0.0) + occ
        main = max(sorted(parts), key=lambda el: parts[el])
        d = np.array([m.position for m in members], float) - e.position
        if lattice is not None:
            d -= np.round(d)
        positions.append(e.position + d.mean(axis=0))
        symbols.append(main)
        numbers.append(next(m.number for m in members if m.symbol == main))
        if len(parts) == 1 and total >= 1 - OCC_TOL:  # split entries of one full atom
            types.append(numbers[-1])
            mixtures.append("")
            continue
        name = mixture_name({el: round(occ, OCC_DECIMALS) for el, occ in parts.items()})
        kinds.setdefault(name, MIXTURE_TYPE_BASE + len(kinds))
        counts[name] = counts.get(name, 0) + 1
        types.append(kinds[name])
        mixtures.append(name)
    notes: tuple[str, ...] = ()
    if kinds:
        listed = ", ".join(f"{name} ({counts[name]} atom{'s' if counts[name] > 1 else ''})" for name in kinds)
        notes = ("partial occupancy read as disorder, one atom type per species/occupancy mixture: " + listed
                 + "; elements and formula show each mixture by its largest species",)
    return Disorder(positions=np.array(positions, float).reshape(-1, 3), symbols=tuple(symbols),
                    numbers=np.array(numbers, int), types=np.array(types, int) if kinds else None,
                    mixtures=tuple(mixtures), notes=notes, weights=weights)


__all__ = ["Disorder", "Entry", "MIXTURE_TYPE_BASE", "OCC_DECIMALS", "OCC_TOL", "merge_entries", "mixture_name"]
