"""Symmetry detection: space groups of crystals (spglib), point groups of molecules
(our own search, symmetry/molecule.py), the tolerance ladder and the approximate symmetry.

>>> from symbreak_cli.workflows.detect import detect_files, DetectOptions
>>> report = detect_files(["sample_data/BaTiO3_Pm-3m.cif"], DetectOptions(ladder=False))
>>> report.results[0].crystal.hm_short
'Pm-3m'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbreak_cli.workflows.detect import DetectOptions

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.io.cell import Cell
from symbreak_cli.results.detect import (
    CrystalSymmetry,
    LadderStep,
    LatticeParameters,
    MoleculeSymmetry,
    Operation,
    StructureResult,
    WyckoffOrbit,
)
from symbreak_cli.groups import bravais_symbol, crystal_system, pearson_symbol, point_group_names, seitz_symbol
from symbreak_cli.symmetry.molecule import molecule_point_group, symmetrization_displacement
from symbreak_cli.symmetry.symmetrize import spglib_displacement


# ----------------------------------------------------------------------------------------
# crystals
# ----------------------------------------------------------------------------------------
def spglib_dataset(cell: Cell, symprec: float, angle_tolerance: float = -1.0):
    """spglib's dataset, or a :class:`SymmetryError` saying why there is none."""
    import spglib
    import spglib.error

    spglib.error.OLD_ERROR_HANDLING = False  # exceptions, not None + a deprecation warning
    try:
        ds = spglib.get_symmetry_dataset(cell.spglib_cell, symprec=symprec, angle_tolerance=angle_tolerance)
    except Exception as err:  # spglib >= 2.5 may raise instead of returning None
        raise SymmetryError(f"spglib found no space group at symprec={symprec:g} Å: {err}", path=cell.source) from None
    if ds is None:
        raise SymmetryError(f"spglib found no space group at symprec={symprec:g} Å: {spglib.get_error_message()}", path=cell.source)
    return ds


def _lattice_parameters(lattice: np.ndarray) -> LatticeParameters:
    a, b, c = (float(np.linalg.norm(v)) for v in lattice)

    def ang(u, v):
        return float(np.degrees(np.arccos(np.clip(np.dot(u, v) / np.linalg.norm(u) / np.linalg.norm(v), -1, 1))))

    return LatticeParameters(a_A=a, b_A=b, c_A=c, alpha_deg=ang(lattice[1], lattice[2]), beta_deg=ang(lattice[0], lattice[2]),
                             gamma_deg=ang(lattice[0], lattice[1]), volume_A3=float(abs(np.linalg.det(lattice))))


def crystal_symmetry(cell: Cell, symprec: float, angle_tolerance: float = -1.0) -> CrystalSymmetry:
    """Space group, point group, Wyckoff orbits and operations of a crystal (spglib)."""
    import spglib

    ds = spglib_dataset(cell, symprec, angle_tolerance)
    sgt = spglib.get_spacegroup_type(ds.hall_number)
    det_p = abs(float(np.linalg.det(ds.transformation_matrix)))
    orbits = []
    for rep in dict.fromkeys(int(i) for i in ds.equivalent_atoms):
        members = [int(i) for i in np.nonzero(ds.equivalent_atoms == rep)[0]]
        orbits.append(WyckoffOrbit(
            element=cell.symbols[rep], wyckoff=ds.wyckoffs[rep], multiplicity=int(round(len(members) / det_p)),
            site_symmetry=ds.site_symmetry_symbols[rep].strip(), atoms=[m + 1 for m in members],
            representative=[round(float(x), 6) for x in cell.fractional[rep]],
        ))
    ops = [Operation(seitz=seitz_symbol(R, t), rotation=R.astype(float).tolist(), translation=[round(float(x), 9) for x in t])
           for R, t in zip(ds.rotations, ds.translations)]
    pg = ds.pointgroup
    pg_schoenflies, pg_order = point_group_names(pg)
    return CrystalSymmetry(
        space_group_number=int(ds.number), hm_short=ds.international, hm_full=sgt.international_full,
        hall=ds.hall, hall_number=int(ds.hall_number), schoenflies=sgt.schoenflies,
        point_group_hm=pg, point_group_schoenflies=pg_schoenflies,
        point_group_order=pg_order, crystal_system=crystal_system(ds.number),
        bravais=bravais_symbol(ds.number, ds.international),
        pearson=pearson_symbol(ds.number, ds.international, len(ds.std_types)),
        lattice=_lattice_parameters(cell.lattice), n_operations=len(ds.rotations), operations=ops, wyckoff=orbits,
        symprec_A=symprec, angle_tolerance_deg=angle_tolerance,
    )


def crystal_ladder(cell: Cell, opts: DetectOptions) -> list[LadderStep]:
    """The space group at each ladder tolerance, with the displacement to reach it."""
    steps: list[LadderStep] = []
    displacement_cache: dict[tuple[int, int], float] = {}
    for tol in opts.tolerances:
        try:
            ds = spglib_dataset(cell, float(tol), opts.angle_tolerance)
        except SymmetryError:
            continue
        key = (int(ds.number), len(ds.rotations))
        if key not in displacement_cache:
            displacement_cache[key] = spglib_displacement(cell.fractional, cell.lattice, ds)
        steps.append(LadderStep(tolerance_A=float(tol), group=ds.international, number=int(ds.number),
                                point_group_order=point_group_names(ds.pointgroup)[1], n_operations=len(ds.rotations),
                                max_displacement_A=round(displacement_cache[key], 6)))
    return steps


# ----------------------------------------------------------------------------------------
# molecules
# ----------------------------------------------------------------------------------------
def molecule_tolerance(symprec: float) -> float:
    """Distance tolerance for molecules: symprec, but at least 0.01 Å (xyz files carry few digits)."""
    return max(symprec, 0.01)


def molecule_symmetry(cell: Cell, tolerance: float) -> MoleculeSymmetry:
    """Point group of a molecule and its operations as Cartesian matrices (about the centroid)."""
    if cell.n_atoms == 1:
        return MoleculeSymmetry(point_group_schoenflies="Kh", point_group_hm=None, order=None, linear=False,
                                n_operations=1, operations=[Operation(seitz="E", rotation=np.eye(3).tolist())], tolerance_A=tolerance)
    g = molecule_point_group(cell.positions, cell.numbers, tolerance)
    from symbreak_cli.groups import classify

    ops = [Operation(seitz=classify(R, tol=1e-4).seitz, rotation=np.round(R, 12).tolist()) for R in g.operations]
    return MoleculeSymmetry(point_group_schoenflies=g.schoenflies, point_group_hm=g.hm,
                            order=g.order, linear=g.linear, n_operations=len(ops), operations=ops, tolerance_A=tolerance)


def molecule_ladder(cell: Cell, opts: DetectOptions) -> list[LadderStep]:
    """The point group at each ladder tolerance, with the displacement to reach it.

    A tolerance so large that no finite group fits is left out of the ladder.
    """
    steps: list[LadderStep] = []
    if cell.n_atoms < 2:
        return steps
    cache: dict[tuple[str, int], float] = {}
    for tol in opts.tolerances:
        try:
            g = molecule_point_group(cell.positions, cell.numbers, float(tol))
        except SymmetryError:
            continue
        key = (g.schoenflies, len(g.operations))
        if key not in cache:
            cache[key] = symmetrization_displacement(cell.positions, cell.numbers, g)
        steps.append(LadderStep(tolerance_A=float(tol), group=g.schoenflies, number=None, point_group_order=g.order,
                                n_operations=len(g.operations), max_displacement_A=round(cache[key], 6)))
    return steps


# ----------------------------------------------------------------------------------------
# one structure, many files
# ----------------------------------------------------------------------------------------
def _group_key(step: LadderStep) -> tuple[int, int]:
    order = step.point_group_order if step.point_group_order is not None else 10**6  # continuous groups rank highest
    return (order, step.n_operations)


def approximate_symmetry(ladder: list[LadderStep], max_displacement: float) -> LadderStep | None:
    """Highest group of the ladder reachable by moving no atom more than ``max_displacement`` Å."""
    ok = [s for s in ladder if s.max_displacement_A is not None and s.max_displacement_A <= max_displacement]
    if not ok:
        return None
    best = max(_group_key(s) for s in ok)
    return next(s for s in ok if _group_key(s) == best)


def analyse_cell(cell: Cell, opts: DetectOptions) -> StructureResult:
    """Everything ``detect`` reports about one structure."""
    if cell.periodic:
        sym = crystal_symmetry(cell, opts.symprec, opts.angle_tolerance)
        ladder = crystal_ladder(cell, opts) if opts.ladder else []
        kw = {"crystal": sym}
    else:
        sym = molecule_symmetry(cell, molecule_tolerance(opts.symprec))
        ladder = molecule_ladder(cell, opts) if opts.ladder else []
        kw = {"molecule": sym}
    if opts.parent is not None:
        from symbreak_cli.symmetry.parent import analyse_against_parent

        kw.update(analyse_against_parent(cell, opts.parent, opts.symprec, opts.angle_tolerance))
    return StructureResult(path=cell.source, label=cell.label, formula=cell.formula, n_atoms=cell.n_atoms,
                           periodic=cell.periodic, ladder=ladder, approximate=approximate_symmetry(ladder, opts.max_displacement), **kw)


__all__ = ["analyse_cell", "crystal_symmetry", "molecule_symmetry"]
