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
    """

    lattice: np.ndarray | None
    positions: np.ndarray
    numbers: np.ndarray
    symbols: tuple[str, ...]
    periodic: bool
    source: str = ""
    label: str = ""

    @property
    def n_atoms(self) -> int:
        return int(len(self.numbers))

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
    def spglib_cell(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lattice, fractional positions, numbers) as spglib takes them."""
        return (np.asarray(self.lattice, float), self.fractional, np.asarray(self.numbers, int))

    @property
    def volume(self) -> float | None:
        return None if self.lattice is None else float(abs(np.linalg.det(self.lattice)))
