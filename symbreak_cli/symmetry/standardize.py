"""The structures ``detect --write`` writes: spglib's standardised conventional and
primitive cells, and the input structure symmetrised to the group found.

Crystals (spglib, at the tolerances of the answer): with x_s = P x + p (spglib's
``transformation_matrix`` P and ``origin_shift`` p) and L = Pᵀ L_s (rows), the
symmetrised structure keeps the input's cell choice, origin and orientation but takes
spglib's idealised lattice (L_s rotated back by ``std_rotation_matrix``) and each atom's
idealised standardised position mapped back, x = P⁻¹(x_s − p). Molecules: the group
average over the operations found (:func:`~.symmetrize.symmetrization_shifts`).

>>> from symbreak_cli.io.structures import read_structures
>>> s = standard_cells(read_structures("sample_data/BaTiO3_P4mm.cif")[0], symprec=1e-3)
>>> s.conventional.n_atoms, s.primitive.n_atoms, s.symmetrised.n_atoms
(5, 5, 5)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry.detect import molecule_symmetry, molecule_tolerance, spglib_dataset
from symbreak_cli.symmetry.symmetrize import symmetrization_shifts
from symbreak_cli.symmetry.tolerances import DEFAULT_ANGLE_TOLERANCE_DEG, DEFAULT_SYMPREC_A


@dataclass(frozen=True, eq=False)
class StandardCells:
    """Cells to write for one structure; ``conventional``/``primitive`` are None for molecules."""

    symmetrised: Cell
    conventional: Cell | None = None
    primitive: Cell | None = None


def _cell(lattice, frac, numbers, like: Cell, label: str) -> Cell:
    from ase.data import chemical_symbols

    lattice = np.asarray(lattice, float)
    numbers = np.asarray(numbers, int)
    return Cell(lattice, np.asarray(frac, float) @ lattice, numbers, tuple(chemical_symbols[z] for z in numbers), True,
                like.source, label)


def _symmetrised_crystal(cell: Cell, ds) -> Cell:
    P = np.asarray(ds.transformation_matrix, float)
    p = np.asarray(ds.origin_shift, float)
    lattice_ideal = P.T @ (np.asarray(ds.std_lattice, float) @ np.asarray(ds.std_rotation_matrix, float))
    xs = cell.fractional @ P.T + p
    L_conv = np.linalg.inv(P).T @ np.asarray(cell.lattice, float)
    std = np.asarray(ds.std_positions, float)
    std_map = np.asarray(ds.std_mapping_to_primitive)
    frac = np.empty_like(xs)
    for i, m in enumerate(np.asarray(ds.mapping_to_primitive)):
        cand = std[std_map == m]
        d = cand - xs[i]
        d -= np.round(d)
        k = int(np.argmin(np.linalg.norm(d @ L_conv, axis=1)))
        frac[i] = np.linalg.solve(P, xs[i] + d[k] - p)  # the idealised site nearest the atom, back in the input cell
    return Cell(lattice_ideal, frac @ lattice_ideal, np.asarray(cell.numbers), cell.symbols, True, cell.source, "symmetrised")


def standard_cells(cell: Cell, symprec: float = DEFAULT_SYMPREC_A,
                   angle_tolerance: float = DEFAULT_ANGLE_TOLERANCE_DEG) -> StandardCells:
    """The standardised conventional and primitive cells and the symmetrised structure
    (crystals), or the symmetrised molecule, at ``symprec`` Å / ``angle_tolerance`` degrees.
    """
    from symbreak_cli.errors import SymmetryError

    if cell.partially_periodic:  # a molecule's average would ignore the slab's translations
        raise SymmetryError("is a slab: --write writes crystals and molecules only (its layer group is in the report)",
                            path=cell.source)
    if cell.disordered:  # an ordered file would claim one species per mixed site
        raise SymmetryError("is disordered (partial occupancy): --write writes ordered structures only",
                            path=cell.source)
    if not cell.periodic:
        sym = molecule_symmetry(cell, molecule_tolerance(symprec))
        x = np.asarray(cell.positions, float) - sym.centre
        shifts = symmetrization_shifts(x, cell.numbers, sym.operations)
        return StandardCells(symmetrised=Cell(None, cell.positions + shifts, cell.numbers, cell.symbols, False,
                                              cell.source, "symmetrised"))
    import spglib

    ds = spglib_dataset(cell, symprec, angle_tolerance)
    prim = spglib.standardize_cell(cell.spglib_cell, to_primitive=True, no_idealize=False, symprec=symprec,
                                   angle_tolerance=angle_tolerance)
    return StandardCells(
        symmetrised=_symmetrised_crystal(cell, ds),
        conventional=_cell(ds.std_lattice, ds.std_positions, ds.std_types, cell, "conventional"),
        primitive=_cell(prim[0], prim[1], prim[2], cell, "primitive"),
    )


__all__ = ["StandardCells", "standard_cells"]
