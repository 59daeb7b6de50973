"""The one internal structure type every reader produces and every analysis consumes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Cell:
    """An atomic structure, periodic (crystal) or not (molecule).

    Attributes
    ----------
    lattice : (3, 3) float64 array, Å, rows are the lattice vectors a, b, c; ``None`` for
        a molecule.
    positions : (N, 3) float64 array, Cartesian coordinates in Å.
    numbers : (N,) int array of atomic numbers.
    symbols : tuple of N chemical symbols.
    periodic : True for a crystal (spglib analysis), False for a molecule (point group).
    source : path the structure was read from ('-' for stdin).
    label : name of this structure inside its file (CIF data block, frame index, …).
    pbc : periodicity along a, b, c. ``(True, True, True)`` for a crystal and
        ``(False, False, False)`` for a molecule when not given; a slab (``(True, True,
        False)``, ``periodic`` False, layer group) or a rod (one True) when the file says so.
    warnings : things the reader noticed that do not stop an analysis (atoms closer than
        0.5 Å, sites with occupancy 0 dropped, …), one line each, for the table and JSON.
    types : (N,) int atom types for the symmetry search where they are not the atomic
        numbers: a partially occupied site's species/occupancy mixture is one type
        (:mod:`symbreak_cli.io.disorder`); None for an ordered structure.

    >>> c = Cell(np.eye(3) * 4, np.zeros((1, 3)), np.array([8]), ("O",), True)
    >>> c.pbc, c.warnings
    ((True, True, True), ())
    """

    lattice: np.ndarray | None
    positions: np.ndarray
    numbers: np.ndarray
    symbols: tuple[str, ...]
    periodic: bool
    source: str = ""
    label: str = ""
    pbc: tuple[bool, bool, bool] | None = None
    warnings: tuple[str, ...] = ()
    types: np.ndarray | None = None

    def __post_init__(self):
        if self.pbc is None:
            object.__setattr__(self, "pbc", (bool(self.periodic),) * 3)
        else:
            object.__setattr__(self, "pbc", tuple(bool(x) for x in self.pbc))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    @property
    def n_atoms(self) -> int:
        return int(len(self.numbers))

    @property
    def partially_periodic(self) -> bool:
        """True for a slab or rod: periodic along one or two lattice vectors only."""
        return any(self.pbc) and not all(self.pbc)

    @property
    def formula(self) -> str:
        """Reduced-order Hill formula as pymatgen/ase write it (e.g. 'BaO3Ti')."""
        from collections import Counter

        counts = Counter(self.symbols)
        keys = sorted(counts)
        if "C" in counts:
            keys = ["C"] + (["H"] if "H" in counts else []) + [k for k in keys if k not in ("C", "H")]
        return "".join(f"{k}{counts[k] if counts[k] > 1 else ''}" for k in keys)

    @property
    def fractional(self) -> np.ndarray:
        """(N, 3) fractional coordinates (crystals only)."""
        if self.lattice is None:
            raise ValueError("a molecule has no fractional coordinates")
        return np.linalg.solve(self.lattice.T, self.positions.T).T

    @property
    def site_types(self) -> np.ndarray:
        """(N,) int, what makes two atoms interchangeable: ``types`` when disordered, else the numbers."""
        return np.asarray(self.numbers if self.types is None else self.types, int)

    @property
    def disordered(self) -> bool:
        return self.types is not None

    @property
    def spglib_cell(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lattice, fractional positions, atom types) as spglib takes them."""
        return (np.asarray(self.lattice, float), self.fractional, self.site_types)

    @property
    def volume(self) -> float | None:
        return None if self.lattice is None else float(abs(np.linalg.det(self.lattice)))
