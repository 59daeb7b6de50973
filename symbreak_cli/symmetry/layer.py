"""Layer groups of slabs: structures periodic along two lattice vectors only (spglib's
layer-group search, ``spglib.get_symmetry_layerdataset``).

A slab's non-periodic lattice vector is only a box: spglib's search needs it normal to the
two periodic ones (an oblique box vector gives p-1 for an fcc(001) slab that is p4/mmm), so
the analysis cell keeps the periodic vectors and the Cartesian positions and replaces the
box vector by the normal to the layer, long enough to hold the atoms with vacuum
(:func:`layer_cell`). Rods (one periodic vector) have rod groups, which spglib does not
search: :func:`check_periodicity` refuses them naming the file and the periodicity.

>>> import numpy as np
>>> from symbreak_cli.io.cell import Cell
>>> a = 2.46
>>> lat = np.array([[a, 0, 0], [-a / 2, a * 3 ** 0.5 / 2, 0], [0, 0, 0]])  # graphene, no box vector
>>> cell = Cell(lat, np.array([[1 / 3, 2 / 3, 0], [2 / 3, 1 / 3, 0]]) @ lat, np.array([6, 6]), ("C", "C"),
...             False, "graphene.extxyz", pbc=(True, True, False))
>>> s = layer_symmetry(cell, symprec=1e-3)
>>> s.number, s.hm_short, s.point_group_schoenflies, s.lattice_system
(80, 'p6/mmm', 'D6h', 'hexagonal')
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups import point_group_names, seitz_symbol
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry.symmetrize import spglib_displacement
from symbreak_cli.symmetry.tolerances import DEFAULT_SYMPREC_A
from symbreak_cli.symmetry.types import LadderStep, LatticeParameters, LayerSymmetry, WyckoffOrbit

#: vacuum (Å) added to the atoms' thickness when the box vector of a slab is rebuilt
LAYER_VACUUM_A = 10.0
#: (last layer-group number, crystal system, lattice system) of the 80 layer groups (ITE, Vol. E, Table 1.2.2.1)
_SYSTEMS = ((2, "triclinic", "oblique"), (7, "monoclinic", "oblique"), (18, "monoclinic", "rectangular"),
            (48, "orthorhombic", "rectangular"), (64, "tetragonal", "square"), (72, "trigonal", "hexagonal"),
            (80, "hexagonal", "hexagonal"))
_AXES = "abc"


def layer_systems(number: int) -> tuple[str, str]:
    """(crystal system, two-dimensional lattice system) of layer group ``number`` (1–80).

    >>> layer_systems(61), layer_systems(78)
    (('tetragonal', 'square'), ('hexagonal', 'hexagonal'))
    """
    for last, crystal, lattice in _SYSTEMS:
        if 1 <= number <= last:
            return crystal, lattice
    raise ValueError(f"layer group number {number} out of range 1–80")


def _periodicity(pbc) -> str:
    return " ".join("T" if p else "F" for p in pbc)


def check_periodicity(cell: Cell) -> int:
    """The non-periodic axis (0, 1 or 2) of a slab; a :class:`SymmetryError` for a rod."""
    periodic = [k for k, p in enumerate(cell.pbc) if p]
    if len(periodic) == 1:
        raise SymmetryError(
            f"is periodic along {_AXES[periodic[0]]} only (pbc=\"{_periodicity(cell.pbc)}\"): a rod has a rod "
            "group, which is not searched (spglib finds layer groups, not rod groups); set pbc=\"T T T\" with "
            "vacuum around the rod to treat it as a crystal, or pbc=\"F F F\" for a molecule", path=cell.source)
    if len(periodic) != 2:
        raise SymmetryError(f"is not a slab (pbc=\"{_periodicity(cell.pbc)}\")", path=cell.source)
    return next(k for k, p in enumerate(cell.pbc) if not p)


def layer_cell(cell: Cell) -> tuple[np.ndarray, np.ndarray, int]:
    """(lattice, fractional positions, non-periodic axis) for spglib's layer search.

    The periodic vectors are the file's; the non-periodic one is the file's when it is
    normal to them and longer than the atoms' thickness + 1 Å, else the unit normal times
    thickness + :data:`LAYER_VACUUM_A`. Cartesian positions are unchanged.
    """
    axis = check_periodicity(cell)
    lat = np.array(cell.lattice, float)
    u, v = (lat[k] for k in range(3) if k != axis)
    normal = np.cross(u, v)
    if np.linalg.norm(normal) < 1e-6 * np.linalg.norm(u) * np.linalg.norm(v):
        raise SymmetryError("its two periodic lattice vectors are parallel: not a slab", path=cell.source)
    normal /= np.linalg.norm(normal)
    heights = cell.positions @ normal
    thickness = float(heights.max() - heights.min())
    box = lat[axis]
    length = float(np.linalg.norm(box))
    parallel = length > 0 and abs(abs(float(box @ normal)) - length) < 1e-9 * max(length, 1.0)
    if not (parallel and length > thickness + 1.0):
        lat[axis] = normal * (thickness + LAYER_VACUUM_A)
    frac = np.linalg.solve(lat.T, cell.positions.T).T
    # the atoms' mid-plane at 0 along the normal: a mirror of the layer is then x ↦ −x (no box translation)
    frac[:, axis] -= (frac[:, axis].max() + frac[:, axis].min()) / 2
    return lat, frac, axis


def layer_dataset(lattice: np.ndarray, frac: np.ndarray, numbers, axis: int, symprec: float, source: str = ""):
    """The layer-group dataset of spglib, or a :class:`SymmetryError` saying why there is none."""
    import spglib
    import spglib.error

    spglib.error.OLD_ERROR_HANDLING = False
    try:
        ds = spglib.get_symmetry_layerdataset((lattice, frac, np.asarray(numbers, int)), aperiodic_dir=axis,
                                              symprec=symprec)
    except Exception as err:  # noqa: BLE001 — spglib raises its own types
        raise SymmetryError(f"spglib found no layer group at symprec={symprec:g} Å: {err}", path=source) from None
    if ds is None:
        raise SymmetryError(f"spglib found no layer group at symprec={symprec:g} Å", path=source)
    return ds


def _parameters(lat: np.ndarray) -> LatticeParameters:
    from symbreak_cli.symmetry.detect import lattice_parameters

    return lattice_parameters(lat)


def layer_symmetry(cell: Cell, symprec: float = DEFAULT_SYMPREC_A) -> LayerSymmetry:
    """Layer group, point group, Wyckoff orbits and operations of a slab (spglib).

    ``symprec`` in Å (spglib's layer search takes no angle tolerance).
    """
    lat, frac, axis = layer_cell(cell)
    ds = layer_dataset(lat, frac, cell.site_types, axis, symprec, cell.source)
    number = int(ds.number)
    det_p = abs(float(np.linalg.det(ds.transformation_matrix)))
    orbits = []
    for rep in dict.fromkeys(int(i) for i in ds.equivalent_atoms):
        members = np.nonzero(ds.equivalent_atoms == rep)[0]
        orbits.append(WyckoffOrbit(element=cell.symbols[rep], wyckoff=ds.wyckoffs[rep],
                                   multiplicity=int(round(len(members) / det_p)),
                                   site_symmetry=ds.site_symmetry_symbols[rep].strip(), atoms=members.astype(int),
                                   representative=frac[rep].copy()))
    rotations = np.asarray(ds.rotations, int)
    translations = np.asarray(ds.translations, float)
    pg_schoenflies, pg_order = point_group_names(ds.pointgroup)
    crystal, lattice_system = layer_systems(number)
    return LayerSymmetry(
        number=number, hm_short=ds.international, hall=ds.hall, point_group_hm=ds.pointgroup,
        point_group_schoenflies=pg_schoenflies, point_group_order=pg_order, crystal_system=crystal,
        lattice_system=lattice_system, aperiodic_axis=axis, lattice=lat, lattice_parameters=_parameters(lat),
        rotations=rotations, translations=translations,
        seitz=tuple(seitz_symbol(R, t) for R, t in zip(rotations, translations)), wyckoff=tuple(orbits),
        equivalent_atoms=np.asarray(ds.equivalent_atoms, int),
        transformation_matrix=np.asarray(ds.transformation_matrix, float),
        origin_shift=np.asarray(ds.origin_shift, float), std_lattice=np.asarray(ds.std_lattice, float),
        symprec=float(symprec),
    )


def layer_ladder(cell: Cell, tolerances) -> tuple[LadderStep, ...]:
    """The layer group at each ladder tolerance (Å), with the displacement to reach it.

    A tolerance at which spglib finds no layer group is left out.
    """
    lat, frac, axis = layer_cell(cell)
    steps: list[LadderStep] = []
    cache: dict[tuple[int, int], float] = {}
    for tol in tolerances:
        try:
            ds = layer_dataset(lat, frac, cell.site_types, axis, float(tol), cell.source)
        except SymmetryError:
            continue
        key = (int(ds.number), len(ds.rotations))
        if key not in cache:
            cache[key] = float(spglib_displacement(frac, lat, ds))
        steps.append(LadderStep(tolerance=float(tol), group=ds.international, number=int(ds.number),
                                point_group_order=point_group_names(ds.pointgroup)[1],
                                n_operations=len(ds.rotations), max_displacement=cache[key]))
    return tuple(steps)


__all__ = ["LAYER_VACUUM_A", "check_periodicity", "layer_cell", "layer_dataset", "layer_ladder", "layer_symmetry",
           "layer_systems"]
