"""Symmetry detection: space groups of crystals (spglib), point groups of molecules
(our own search, symmetry/molecule.py), the tolerance ladder and the approximate symmetry.

Every function takes its tolerances as explicit parameters and returns a domain object
of :mod:`.types` at full precision.

>>> import numpy as np
>>> from symbreak_cli.io.structures import read_structures
>>> cell = read_structures("sample_data/SrTiO3_I4mcm.cif")[0]
>>> a = analyse_cell(cell, ladder_tolerances=np.geomspace(1e-3, 0.5, 6), max_displacement=0.1)
>>> a.symmetry.hm_short, a.approximate.group
('I4/mcm', 'Pm-3m')
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups import (
    PointGroup,
    bravais_symbol,
    classify,
    crystal_system,
    pearson_symbol,
    point_group_names,
    seitz_symbol,
)
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry.symmetrize import spglib_displacement
from symbreak_cli.symmetry.tolerances import (
    DEFAULT_ANGLE_TOLERANCE_DEG,
    DEFAULT_LMAX,
    DEFAULT_MAX_DISPLACEMENT_A,
    DEFAULT_MAX_STRAIN,
    DEFAULT_SYMPREC_A,
    MOLECULE_MATRIX_TOL,
    MOLECULE_MIN_TOLERANCE_A,
    MOLECULE_SYMBOL_TOL,
)
from symbreak_cli.symmetry.types import (
    CrystalSymmetry,
    LadderStep,
    LatticeParameters,
    MoleculeSymmetry,
    StructureAnalysis,
    WyckoffOrbit,
)


# ----------------------------------------------------------------------------------------
# crystals
# ----------------------------------------------------------------------------------------
def spglib_dataset(cell: Cell, symprec: float, angle_tolerance: float = DEFAULT_ANGLE_TOLERANCE_DEG):
    """Spglib's dataset, or a :class:`SymmetryError` saying why there is none."""
    import spglib
    import spglib.error

    spglib.error.OLD_ERROR_HANDLING = False  # exceptions, not None + a deprecation warning
    try:
        ds = spglib.get_symmetry_dataset(cell.spglib_cell, symprec=symprec, angle_tolerance=angle_tolerance)
    except Exception as err:  # spglib >= 2.5 may raise instead of returning None
        raise SymmetryError(f"spglib found no space group at symprec={symprec:g} Å: {err}", path=cell.source) from None
    if ds is None:
        raise SymmetryError(f"spglib found no space group at symprec={symprec:g} Å: {spglib.get_error_message()}",
                            path=cell.source)
    return ds


def lattice_parameters(lattice: np.ndarray) -> LatticeParameters:
    """a, b, c, α, β, γ and volume of a lattice given as rows (Å).

    >>> lattice_parameters(np.diag([3.0, 4.0, 5.0])).gamma
    90.0
    """
    a, b, c = (float(np.linalg.norm(v)) for v in lattice)

    def ang(u, v):
        return float(np.degrees(np.arccos(np.clip(np.dot(u, v) / np.linalg.norm(u) / np.linalg.norm(v), -1, 1))))

    return LatticeParameters(a=a, b=b, c=c, alpha=ang(lattice[1], lattice[2]), beta=ang(lattice[0], lattice[2]),
                             gamma=ang(lattice[0], lattice[1]), volume=float(abs(np.linalg.det(lattice))))


def crystal_symmetry(cell: Cell, symprec: float = DEFAULT_SYMPREC_A,
                     angle_tolerance: float = DEFAULT_ANGLE_TOLERANCE_DEG) -> CrystalSymmetry:
    """Space group, point group, Wyckoff orbits and operations of a crystal (spglib).

    ``symprec`` in Å, ``angle_tolerance`` in degrees (−1: spglib's default).
    """
    import spglib

    ds = spglib_dataset(cell, symprec, angle_tolerance)
    sgt = spglib.get_spacegroup_type(ds.hall_number)
    det_p = abs(float(np.linalg.det(ds.transformation_matrix)))
    frac = np.asarray(cell.fractional, float)
    orbits = []
    for rep in dict.fromkeys(int(i) for i in ds.equivalent_atoms):
        members = np.nonzero(ds.equivalent_atoms == rep)[0]
        orbits.append(WyckoffOrbit(
            element=cell.symbols[rep], wyckoff=ds.wyckoffs[rep], multiplicity=int(round(len(members) / det_p)),
            site_symmetry=ds.site_symmetry_symbols[rep].strip(), atoms=members.astype(int), representative=frac[rep].copy(),
        ))
    rotations = np.asarray(ds.rotations, int)
    translations = np.asarray(ds.translations, float)
    pg_schoenflies, pg_order = point_group_names(ds.pointgroup)
    return CrystalSymmetry(
        number=int(ds.number), hm_short=ds.international, hm_full=sgt.international_full,
        hall=ds.hall, hall_number=int(ds.hall_number), schoenflies=sgt.schoenflies,
        point_group_hm=ds.pointgroup, point_group_schoenflies=pg_schoenflies, point_group_order=pg_order,
        crystal_system=crystal_system(ds.number), bravais=bravais_symbol(ds.number, ds.international),
        pearson=pearson_symbol(ds.number, ds.international, len(ds.std_types)),
        lattice=np.asarray(cell.lattice, float).copy(), lattice_parameters=lattice_parameters(cell.lattice),
        rotations=rotations, translations=translations,
        seitz=tuple(seitz_symbol(R, t) for R, t in zip(rotations, translations)),
        wyckoff=tuple(orbits), equivalent_atoms=np.asarray(ds.equivalent_atoms, int),
        transformation_matrix=np.asarray(ds.transformation_matrix, float), origin_shift=np.asarray(ds.origin_shift, float),
        std_lattice=np.asarray(ds.std_lattice, float), std_rotation_matrix=np.asarray(ds.std_rotation_matrix, float),
        primitive_lattice=np.asarray(ds.primitive_lattice, float),
        symprec=float(symprec), angle_tolerance=float(angle_tolerance),
    )


def crystal_ladder(cell: Cell, tolerances, angle_tolerance: float = DEFAULT_ANGLE_TOLERANCE_DEG) -> tuple[LadderStep, ...]:
    """The space group at each ladder tolerance (Å), with the displacement to reach it.

    A tolerance at which spglib finds no group is left out.
    """
    steps: list[LadderStep] = []
    displacement_cache: dict[tuple[int, int], float] = {}
    for tol in tolerances:
        try:
            ds = spglib_dataset(cell, float(tol), angle_tolerance)
        except SymmetryError:
            continue
        key = (int(ds.number), len(ds.rotations))
        if key not in displacement_cache:
            displacement_cache[key] = float(spglib_displacement(cell.fractional, cell.lattice, ds))
        steps.append(LadderStep(tolerance=float(tol), group=ds.international, number=int(ds.number),
                                point_group_order=point_group_names(ds.pointgroup)[1], n_operations=len(ds.rotations),
                                max_displacement=displacement_cache[key]))
    return tuple(steps)


# ----------------------------------------------------------------------------------------
# molecules
# ----------------------------------------------------------------------------------------
def molecule_tolerance(symprec: float) -> float:
    """Distance tolerance for molecules (Å): symprec, but at least ``MOLECULE_MIN_TOLERANCE_A``."""
    return max(symprec, MOLECULE_MIN_TOLERANCE_A)


def molecule_symmetry(cell: Cell, tolerance: float) -> MoleculeSymmetry:
    """Point group of a molecule and its operations as Cartesian matrices (about the centroid).

    ``tolerance`` in Å. A single atom is reported as Kh (with only E listed).
    """
    centre = np.asarray(cell.positions, float).mean(axis=0)
    if cell.n_atoms == 1:
        return MoleculeSymmetry(schoenflies="Kh", hm=None, linear=False, operations=np.eye(3)[None], symbols=("E",),
                                centre=centre, tolerance=float(tolerance), matrix_tolerance=MOLECULE_MATRIX_TOL,
                                point_group=None)
    from symbreak_cli.symmetry.molecule import molecule_point_group  # molecules only: crystals skip its import

    g = molecule_point_group(cell.positions, cell.site_types, tolerance)
    ops = np.asarray(g.operations, float)
    group = None if g.linear else (g.point_group or PointGroup.from_matrices(ops, tol=MOLECULE_MATRIX_TOL))
    return MoleculeSymmetry(
        schoenflies=g.schoenflies, hm=g.hm, linear=g.linear, operations=ops,
        symbols=tuple(classify(R, tol=MOLECULE_SYMBOL_TOL).seitz for R in ops), centre=np.asarray(g.centre, float),
        tolerance=float(tolerance), matrix_tolerance=MOLECULE_MATRIX_TOL, point_group=group,
    )


def molecule_ladder(cell: Cell, tolerances, progress=None) -> tuple[LadderStep, ...]:
    """The point group at each ladder tolerance (Å), with the displacement to reach it.

    A tolerance so large that no finite group fits is left out of the ladder.
    ``progress(done, total)``, when given, is called after each tolerance (a caller may
    show it for big molecules: a 2000-atom cluster takes a few tenths of a second a step).
    """
    steps: list[LadderStep] = []
    if cell.n_atoms < 2:
        return ()
    from symbreak_cli.symmetry.molecule import molecule_point_group, symmetrization_displacement

    tolerances = [float(t) for t in tolerances]
    named: dict = {}
    cache: dict[tuple[str, int], float] = {}
    for done, tol in enumerate(tolerances, 1):
        try:
            g = molecule_point_group(cell.positions, cell.site_types, tol, cache=named)
        except SymmetryError:
            g = None
        if g is not None:
            key = (g.schoenflies, len(g.operations))
            if key not in cache:
                cache[key] = float(symmetrization_displacement(cell.positions, cell.site_types, g))
            steps.append(LadderStep(tolerance=tol, group=g.schoenflies, number=None, point_group_order=g.order,
                                    n_operations=len(g.operations), max_displacement=cache[key]))
        if progress is not None:
            progress(done, len(tolerances))
    return tuple(steps)


# ----------------------------------------------------------------------------------------
# one structure
# ----------------------------------------------------------------------------------------
def _group_key(step: LadderStep) -> tuple[int, int]:
    order = step.point_group_order if step.point_group_order is not None else 10**6  # continuous groups rank highest
    return (order, step.n_operations)


def approximate_symmetry(ladder, max_displacement: float) -> LadderStep | None:
    """Highest group of the ladder reachable by moving no atom more than ``max_displacement`` Å."""
    ok = [s for s in ladder if s.max_displacement <= max_displacement]
    if not ok:
        return None
    best = max(_group_key(s) for s in ok)
    return next(s for s in ok if _group_key(s) == best)


def own_point_group(cell: Cell, symmetry) -> PointGroup:
    """The structure's point group as matrices (the standardised frame for crystals, the
    input axes for molecules); SymmetryError for the continuous groups of linear molecules.
    """
    group = symmetry.point_group
    if group is None:
        raise SymmetryError(f"{symmetry.schoenflies} is a continuous group; a finite parent/child group is needed",
                            path=cell.source)
    return group


def analyse_cell(
    cell: Cell,
    symprec: float = DEFAULT_SYMPREC_A,
    angle_tolerance: float = DEFAULT_ANGLE_TOLERANCE_DEG,
    ladder_tolerances=None,
    max_displacement: float = DEFAULT_MAX_DISPLACEMENT_A,
    parent: Cell | None = None,
    parent_group: str | None = None,
    lmax: int = DEFAULT_LMAX,
    max_strain: float = DEFAULT_MAX_STRAIN,
    own_group: bool = False,
    progress=None,
) -> StructureAnalysis:
    """Everything ``detect`` finds about one structure: a space group (crystal), a layer
    group (slab: periodic along two lattice vectors, :mod:`.layer`) or a point group (molecule).

    Parameters
    ----------
    symprec : Å, angle_tolerance : degrees — the main answer's tolerances.
    ladder_tolerances : Å, the tolerances of the ladder (None or empty: no ladder).
    max_displacement : Å, the largest displacement allowed for the approximate symmetry.
    parent, parent_group, lmax, max_strain : a parent to analyse against
        (:func:`~.parent.parent_analysis`); nothing when both are None.
    own_group : also return the structure's own point group (for its character table).
    progress : ``progress(done, total)`` after each tolerance of a molecule's ladder (the
        slow one: a 2000-atom cluster takes a few tenths of a second a step).
    """
    tolerances = () if ladder_tolerances is None else ladder_tolerances
    if cell.partially_periodic:  # a slab: layer group (a rod is refused there, naming its periodicity)
        from symbreak_cli.symmetry.layer import layer_ladder, layer_symmetry

        if parent is not None or parent_group is not None:
            raise SymmetryError("is a slab (layer group); --parent and --parent-group compare space or point "
                                "groups and do not take slabs", path=cell.source)
        sym = layer_symmetry(cell, symprec)
        ladder = layer_ladder(cell, tolerances)
    elif cell.periodic:
        sym = crystal_symmetry(cell, symprec, angle_tolerance)
        ladder = crystal_ladder(cell, tolerances, angle_tolerance)
    else:
        sym = molecule_symmetry(cell, molecule_tolerance(symprec))
        ladder = molecule_ladder(cell, tolerances, progress=progress)
    relation = None
    if parent is not None and parent.partially_periodic:
        raise SymmetryError("the parent is a slab (layer group); --parent takes a crystal or a molecule",
                            path=parent.source)
    if parent is not None or parent_group is not None:
        from symbreak_cli.symmetry.parent import parent_analysis

        relation = parent_analysis(cell, parent, parent_group, symprec, angle_tolerance, lmax, max_strain)
    group = own_point_group(cell, sym) if own_group else None
    return StructureAnalysis(cell=cell, symmetry=sym, ladder=ladder, approximate=approximate_symmetry(ladder, max_displacement),
                             max_displacement=float(max_displacement) if ladder_tolerances is not None else None,
                             parent=relation, own_group=group)


__all__ = ["analyse_cell", "approximate_symmetry", "crystal_ladder", "crystal_symmetry", "lattice_parameters",
           "molecule_ladder", "molecule_symmetry", "molecule_tolerance", "own_point_group", "spglib_dataset"]
