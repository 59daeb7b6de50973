"""Domain results of the symmetry layer: frozen dataclasses that own their numpy arrays at
full precision (as spglib's ``SpglibDataset`` does). Nothing here is rounded; the report
models of :mod:`symbreak_cli.results` are made from these by :mod:`symbreak_cli.workflows`.

Units: lengths in Å, angles in degrees, strains dimensionless; fractional coordinates
refer to the input cell unless a field says otherwise. Classes that own arrays compare by
identity (``eq=False``).

>>> from symbreak_cli.io.structures import read_structures
>>> from symbreak_cli.symmetry.detect import crystal_symmetry
>>> sym = crystal_symmetry(read_structures("sample_data/BaTiO3_P4mm.cif")[0], symprec=1e-3)
>>> sym.rotations.shape, sym.rotations.dtype.kind, sym.point_group.schoenflies
((8, 3, 3), 'i', 'C4v')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Literal, Union

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.groups import PointGroup, SubgroupRelation, breaking_irreps
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry.setting import LatticeMatch


# ----------------------------------------------------------------------------------------
# one structure's own symmetry
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LatticeParameters:
    """a, b, c (Å), α, β, γ (degrees) and volume (Å³) of a cell."""

    a: float
    b: float
    c: float
    alpha: float
    beta: float
    gamma: float
    volume: float


@dataclass(frozen=True, eq=False)
class WyckoffOrbit:
    """Atoms of the input cell that one space-group operation maps onto each other.

    Attributes
    ----------
    element : chemical symbol.
    wyckoff : Wyckoff letter in the standard setting.
    multiplicity : atoms of the orbit per conventional cell.
    site_symmetry : oriented site-symmetry symbol (spglib).
    atoms : (k,) int, 0-based indices of the input atoms in the orbit.
    representative : (3,) float, fractional coordinates of the orbit's first atom.
    """

    element: str
    wyckoff: str
    multiplicity: int
    site_symmetry: str
    atoms: np.ndarray
    representative: np.ndarray


def standard_frame_rotations(rotations: np.ndarray, transformation_matrix: np.ndarray, std_lattice: np.ndarray) -> np.ndarray:
    """A crystal's point-group rotations as Cartesian matrices of spglib's standardised
    (idealised, conventional) frame: R = L_sᵀ (P W P⁻¹) L_s⁻ᵀ with P the
    transformation matrix (x_s = P x + p) and L_s = ``std_lattice`` (rows).

    Returns (m, 3, 3) float, one per distinct rotation W of ``rotations`` (n, 3, 3) int.
    """
    P = np.asarray(transformation_matrix, float)
    W = unique(np.asarray(rotations, int), axis=0).astype(float)
    Ws = np.einsum("ij,njk,kl->nil", P, W, np.linalg.inv(P))
    L = np.asarray(std_lattice, float)
    return np.einsum("ji,njk,lk->nil", L, Ws, np.linalg.inv(L))


@dataclass(frozen=True, eq=False)
class CrystalSymmetry:
    """Space group of a crystal at one tolerance (from spglib), with its operations.

    Attributes
    ----------
    number, hm_short, hm_full, hall, hall_number, schoenflies : space-group names.
    point_group_hm, point_group_schoenflies, point_group_order : its point group.
    crystal_system, bravais, pearson : e.g. "cubic", "cP", "cP5".
    lattice : (3, 3) float, Å, input lattice vectors (rows).
    lattice_parameters : of ``lattice``.
    rotations : (n, 3, 3) int, operations' rotations W in the input cell's fractional basis.
    translations : (n, 3) float, their translations w (x' = W x + w, fractional, input cell).
    seitz : n Seitz symbols {W|w} (ITA style) of the operations, same order.
    wyckoff : orbits in order of first atom.
    equivalent_atoms : (N,) int, 0-based index of each atom's orbit representative.
    transformation_matrix : (3, 3) float P and ``origin_shift`` (3,) float p of spglib:
        x_std = P x + p.
    std_lattice : (3, 3) float, Å, idealised standardised conventional lattice (rows) in the
        standardised Cartesian frame.
    std_rotation_matrix : (3, 3) float, x_std_frame = R x_input (Cartesian).
    primitive_lattice : (3, 3) float, Å, idealised primitive lattice (rows), standardised frame.
    symprec : Å and ``angle_tolerance`` : degrees (−1: spglib's default) — the tolerances used.
    """

    number: int
    hm_short: str
    hm_full: str
    hall: str
    hall_number: int
    schoenflies: str
    point_group_hm: str
    point_group_schoenflies: str
    point_group_order: int
    crystal_system: str
    bravais: str
    pearson: str
    lattice: np.ndarray
    lattice_parameters: LatticeParameters
    rotations: np.ndarray
    translations: np.ndarray
    seitz: tuple[str, ...]
    wyckoff: tuple[WyckoffOrbit, ...]
    equivalent_atoms: np.ndarray
    transformation_matrix: np.ndarray
    origin_shift: np.ndarray
    std_lattice: np.ndarray
    std_rotation_matrix: np.ndarray
    primitive_lattice: np.ndarray
    symprec: float
    angle_tolerance: float

    @property
    def n_operations(self) -> int:
        """Operations in the input cell (pure translations of a supercell included)."""
        return len(self.rotations)

    @property
    def n_lattice_translations(self) -> int:
        """Pure translations of the input cell (1 for a primitive cell, 2 for I-centred …)."""
        return int(sum(np.array_equal(R, np.eye(3, dtype=int)) for R in self.rotations))

    @cached_property
    def point_group(self) -> PointGroup:
        """The point group as Cartesian matrices of the standardised frame."""
        return PointGroup.from_matrices(standard_frame_rotations(self.rotations, self.transformation_matrix, self.std_lattice))


@dataclass(frozen=True, eq=False)
class LayerSymmetry:
    """Layer group of a slab (periodic along two lattice vectors) from spglib's layer search.

    Attributes
    ----------
    number : layer-group number (1–80, ITE Vol. E); ``hm_short`` e.g. "p6/mmm"; ``hall``.
    point_group_hm, point_group_schoenflies, point_group_order : its point group.
    crystal_system, lattice_system : e.g. "hexagonal", "hexagonal" (2D: oblique,
        rectangular, square, hexagonal).
    aperiodic_axis : 0, 1 or 2, the lattice vector along which the slab is not periodic.
    lattice : (3, 3) float, Å, the analysis lattice (rows): the file's periodic vectors and,
        on ``aperiodic_axis``, the normal to the layer (:func:`~.layer.layer_cell`).
    lattice_parameters : of ``lattice``.
    rotations : (n, 3, 3) int and ``translations`` (n, 3) float: operations in the
        fractional basis of ``lattice`` (atoms' mid-plane at 0 along the normal).
    seitz : n Seitz symbols of the operations, same order.
    wyckoff : orbits in order of first atom (Wyckoff letters of the layer group).
    equivalent_atoms : (N,) int, 0-based index of each atom's orbit representative.
    transformation_matrix, origin_shift : spglib's P, p (x_std = P x + p).
    std_lattice : (3, 3) float, Å, the standardised conventional lattice (rows).
    symprec : Å, the tolerance used.
    """

    number: int
    hm_short: str
    hall: str
    point_group_hm: str
    point_group_schoenflies: str
    point_group_order: int
    crystal_system: str
    lattice_system: str
    aperiodic_axis: int
    lattice: np.ndarray
    lattice_parameters: LatticeParameters
    rotations: np.ndarray
    translations: np.ndarray
    seitz: tuple[str, ...]
    wyckoff: tuple[WyckoffOrbit, ...]
    equivalent_atoms: np.ndarray
    transformation_matrix: np.ndarray
    origin_shift: np.ndarray
    std_lattice: np.ndarray
    symprec: float

    @property
    def n_operations(self) -> int:
        return len(self.rotations)

    @cached_property
    def point_group(self) -> PointGroup:
        """The point group as Cartesian matrices of the standardised frame."""
        return PointGroup.from_matrices(standard_frame_rotations(self.rotations, self.transformation_matrix, self.std_lattice))


@dataclass(frozen=True, eq=False)
class MoleculeSymmetry:
    """Point group of a molecule and its operations about the centroid.

    Attributes
    ----------
    schoenflies, hm : names ("D∞h", None for the continuous groups of linear molecules,
        "Kh" for a single atom).
    linear : True for C∞v / D∞h (then only E and, for D∞h, i are listed).
    operations : (n, 3, 3) float, Cartesian matrices (input axes, about ``centre``).
    symbols : n operation names (Seitz-like, e.g. "{3+_[001]}").
    centre : (3,) float, Å, the centroid.
    tolerance : Å, distance tolerance of the search.
    matrix_tolerance : largest matrix-entry difference taken as equal when the
        operations were named as a group (:class:`~symbreak_cli.groups.PointGroup`).
    point_group : the finite group, or None (linear molecule, single atom).
    """

    schoenflies: str
    hm: str | None
    linear: bool
    operations: np.ndarray
    symbols: tuple[str, ...]
    centre: np.ndarray
    tolerance: float
    matrix_tolerance: float
    point_group: PointGroup | None

    @property
    def order(self) -> int | None:
        return self.point_group.order if self.point_group is not None else None


@dataclass(frozen=True)
class LadderStep:
    """The group found at one tolerance of the ladder.

    ``group``: space group HM (crystals) or point group Schoenflies (molecules); ``number``
    the space-group number (crystals); ``max_displacement``: Å, the largest atomic
    displacement that symmetrises the structure to this group at fixed lattice.
    """

    tolerance: float
    group: str
    number: int | None
    point_group_order: int | None
    n_operations: int
    max_displacement: float


# ----------------------------------------------------------------------------------------
# a child against its parent
# ----------------------------------------------------------------------------------------
class Frame(str, Enum):
    """The common Cartesian frame in which G and H of a :class:`GroupSubgroup` are given."""

    #: spglib's standardised Cartesian frame of the parent crystal (conventional axes on x, y, z)
    PARENT_STANDARD = "parent_standard"
    #: the parent molecule's input Cartesian axes, about its centroid
    PARENT_INPUT = "parent_input"
    #: the standard orientation of a named group (principal axis z; cubic axes x, y, z)
    NAMED_GROUP = "named_group"


ParentKind = Literal["structure", "molecule", "group"]


@dataclass(frozen=True, eq=False)
class GroupSubgroup:
    """G ⊃ H for one child against its parent, as matrices in one Cartesian frame.

    Attributes
    ----------
    parent : parent structure path, or the parent-group name as given.
    parent_kind : "structure" (crystal), "molecule" or "group" (named).
    G, H : the parent's and the child's point groups, both in ``frame``.
    frame : which frame; ``frame_basis`` (3, 3) float, x_frame = B x_parent_input
        (Cartesian), None for a named group (it has no input axes).
    relation : cosets and lost operations (:func:`symbreak_cli.groups.subgroup_relation`).
    alignment : (3, 3) float rotation Q that carried the child's group H₀ (own frame) into
        G's, H = Q H₀ Qᵀ; None when no rotation was needed or the lattice setting
        placed H (crystal parents).
    translational_domains : child primitive volume / parent primitive volume (crystal
        parent structures), else None.
    lattice : the lattice setting (supercell N, parent basis, strain; crystal pairs), else None.
    max_strain : largest principal shape strain accepted in the lattice search.
    symprec : Å, angle_tolerance : degrees — as used for both structures.
    lmax : highest l asked for the O(3) branching of G and H.
    parent_space_group, parent_space_group_number, child_space_group,
    child_space_group_number : names and numbers where there are space groups.
    """

    parent: str
    parent_kind: ParentKind
    G: PointGroup
    H: PointGroup
    frame: Frame
    frame_basis: np.ndarray | None
    relation: SubgroupRelation
    alignment: np.ndarray | None
    translational_domains: int | None
    lattice: LatticeMatch | None
    max_strain: float
    symprec: float
    angle_tolerance: float
    lmax: int
    parent_space_group: str | None = None
    parent_space_group_number: int | None = None
    child_space_group: str | None = None
    child_space_group_number: int | None = None

    @property
    def index(self) -> int:
        """|G| / |H|."""
        return self.relation.index

    @property
    def orientational_domains(self) -> int:
        return self.relation.n_domains

    @property
    def total_domains(self) -> int | None:
        """Orientational × translational (None without a parent structure's lattice)."""
        return None if self.translational_domains is None else self.orientational_domains * self.translational_domains

    @property
    def matrix_tolerance(self) -> float:
        """Largest matrix-entry difference taken as equal when H was found inside G."""
        return max(self.G.tol, self.H.tol)

    @property
    def child_operations(self) -> np.ndarray:
        """(|H|, 3, 3) float, the child's point-group operations in the common frame."""
        return self.H.matrices

    @property
    def coset_representatives(self) -> np.ndarray:
        """(index, 3, 3) float, g_k of the left cosets g_k H (identity first): domain k is
        the child transformed by g_k.
        """
        return self.G.matrices[list(self.relation.representatives)]

    @property
    def lost_operations(self) -> np.ndarray:
        """(|G| − |H|, 3, 3) float, the operations of G∖H."""
        return self.G.matrices[list(self.relation.lost)]

    @cached_property
    def breaking_irreps(self) -> tuple[str, ...]:
        """Irreps of G that can carry the breaking (restriction to H holds H's identity; G's identity excluded)."""
        return tuple(label for label, _ in breaking_irreps(self.G, self.H, self.matrix_tolerance))


@dataclass(frozen=True, eq=False)
class StructureAnalysis:
    """Everything ``detect`` finds about one structure.

    ``symmetry`` at the main tolerance; ``ladder`` the group at each ladder tolerance and
    ``approximate`` the highest of them within ``max_displacement`` Å (None when none fits;
    both None when no ladder was asked for); ``parent`` the analysis against a parent; ``own_group`` the
    structure's point group when its character table was asked for (standardised frame
    for crystals, input axes for molecules); ``modes`` the symmetry-mode decomposition
    (:class:`~.modes.ModeDecomposition`) against a crystal parent structure, or
    ``modes_note`` saying why there is none; ``pseudo`` the pseudo-symmetry search
    (:class:`~.pseudo.PseudoSearch`, ``detect --pseudo``).
    """

    cell: Cell
    symmetry: Union[CrystalSymmetry, MoleculeSymmetry, LayerSymmetry]
    ladder: tuple[LadderStep, ...] = field(default_factory=tuple)
    approximate: LadderStep | None = None
    max_displacement: float | None = None
    parent: GroupSubgroup | None = None
    own_group: PointGroup | None = None
    modes: object | None = None  # symmetry.modes.ModeDecomposition (crystal child and parent structure)
    modes_note: str | None = None  # why a crystal parent gave no mode decomposition
    pseudo: object | None = None  # symmetry.pseudo.PseudoSearch (detect --pseudo)


__all__ = [
    "CrystalSymmetry", "Frame", "GroupSubgroup", "LadderStep", "LatticeParameters", "LayerSymmetry", "MoleculeSymmetry",
    "StructureAnalysis", "WyckoffOrbit", "standard_frame_rotations",
]
