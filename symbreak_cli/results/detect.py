"""The ``symbreak.detect/2`` report: one entry per structure, in input order.

Schema only: made from :class:`symbreak_cli.symmetry.types.StructureAnalysis` by
:mod:`symbreak_cli.workflows._detect_results`.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from symbreak_cli.results.base import Frozen, ReportBase
from symbreak_cli.results.groups import CharacterTableModel
from symbreak_cli.results.parent import ParentAnalysis
from symbreak_cli.results.pseudo import PseudoSearchModel

SCHEMA_DETECT = "symbreak.detect/2"


class Operation(Frozen):
    """A symmetry operation x' = R x + t."""

    seitz: str = Field(description="Seitz symbol {R|t} (crystals, ITA style) or Schoenflies-type name (molecules)")
    rotation: list[list[float]] = Field(description="3×3 matrix R: integer, in the input cell's fractional basis for crystals; Cartesian for molecules")
    translation: Optional[list[float]] = Field(None, description="t in fractional coordinates of the input cell (crystals only)")


class WyckoffOrbit(Frozen):
    element: str
    wyckoff: str = Field(description="Wyckoff letter in the standard setting")
    multiplicity: int = Field(description="Wyckoff multiplicity (atoms of this orbit in the conventional cell)")
    site_symmetry: str = Field(description="oriented site-symmetry symbol (spglib)")
    atoms: list[int] = Field(description="1-based indices of the input atoms in this orbit")
    representative: list[float] = Field(description="fractional coordinates of the first atom of the orbit, input cell")


class LatticeParameters(Frozen):
    a_A: float
    b_A: float
    c_A: float
    alpha_deg: float
    beta_deg: float
    gamma_deg: float
    volume_A3: float


class CrystalSymmetry(Frozen):
    space_group_number: int
    hm_short: str = Field(description="Hermann–Mauguin short symbol, e.g. 'Pm-3m'")
    hm_full: str = Field(description="Hermann–Mauguin full symbol, e.g. 'P 4/m -3 2/m'")
    hall: str
    hall_number: int
    schoenflies: str = Field(description="Schoenflies space-group symbol, e.g. 'Oh^1'")
    point_group_hm: str
    point_group_schoenflies: str
    point_group_order: int
    crystal_system: str
    bravais: str = Field(description="Bravais lattice symbol, e.g. 'cP', 'tI'")
    pearson: str = Field(description="Pearson symbol, e.g. 'cP5'")
    lattice: LatticeParameters
    n_operations: int = Field(description="operations in the input cell (incl. pure translations of a supercell)")
    operations: list[Operation] = Field(description="every operation of the input cell; empty when operations_omitted")
    operations_omitted: bool = Field(False, description="true when --no-operations left the operations out (n_operations still counts them)")
    wyckoff: list[WyckoffOrbit]
    symprec_A: float = Field(description="distance tolerance used, Å")
    angle_tolerance_deg: float = Field(description="angle tolerance used, degrees (-1: spglib default)")


class LayerSymmetry(Frozen):
    """The layer group of a slab (periodic along two lattice vectors; spglib's layer search)."""

    layer_group_number: int = Field(description="layer-group number, 1–80 (ITE Vol. E; Bilbao LAYER groups)")
    hm_short: str = Field(description="Hermann–Mauguin symbol of the layer group, lower-case lattice letter, e.g. 'p6/mmm'")
    hall: str
    point_group_hm: str
    point_group_schoenflies: str
    point_group_order: int
    crystal_system: str
    lattice_system: str = Field(description="two-dimensional lattice system: oblique, rectangular, square or hexagonal")
    aperiodic_axis: Literal["a", "b", "c"] = Field(description="the lattice vector along which the slab is not periodic")
    lattice: LatticeParameters = Field(description="analysis cell: the file's periodic vectors and the normal to the layer")
    n_operations: int
    operations: list[Operation] = Field(description="operations in the fractional basis of the analysis cell (atoms' "
                                        "mid-plane at 0 along the normal); empty when operations_omitted")
    operations_omitted: bool = False
    wyckoff: list[WyckoffOrbit]
    symprec_A: float = Field(description="distance tolerance used, Å (the layer search takes no angle tolerance)")


class MoleculeSymmetry(Frozen):
    point_group_schoenflies: str = Field(description="e.g. 'Td', 'D6h', 'Ih', 'C∞v', 'D∞h'")
    point_group_hm: Optional[str] = Field(None, description="HM symbol where the group is crystallographic")
    order: Optional[int] = Field(None, description="group order; null for the continuous groups of linear molecules")
    linear: bool
    n_operations: int
    operations: list[Operation] = Field(description="Cartesian operations about the centroid (for linear molecules only E and, for D∞h, i)")
    tolerance_A: float = Field(description="distance tolerance used, Å (max(symprec, 0.01))")
    matrix_tolerance: Optional[float] = Field(
        None, description="largest matrix-entry difference taken as equal when the operations were named as a group")


class LadderStep(Frozen):
    tolerance_A: float
    group: str = Field(description="space group HM (crystals), layer group HM (slabs) or point group Schoenflies (molecules)")
    number: Optional[int] = Field(None, description="space-group number (crystals) or layer-group number (slabs)")
    point_group_order: Optional[int] = None
    n_operations: int
    max_displacement_A: Optional[float] = Field(None, description="largest atomic displacement that symmetrises the structure to this group at fixed lattice, Å")


class StructureResult(Frozen):
    path: str
    label: str = Field("", description="data block / item inside the file, when it holds several")
    error: Optional[str] = Field(None, description="why this input failed; the other fields are then empty")
    formula: Optional[str] = None
    n_atoms: Optional[int] = None
    periodic: Optional[bool] = None
    crystal: Optional[CrystalSymmetry] = None
    molecule: Optional[MoleculeSymmetry] = None
    layer: Optional[LayerSymmetry] = Field(None, description="layer group of a slab (pbc along two lattice vectors)")
    pbc: Optional[list[bool]] = Field(None, description="periodicity along a, b, c as analysed")
    disordered: bool = Field(False, description="partial occupancy read as disorder: one atom type per species/occupancy "
                             "mixture (the warnings name them)")
    ladder: list[LadderStep] = Field(default_factory=list)
    approximate: Optional[LadderStep] = Field(None, description="highest group reachable within max_displacement_allowed_A")
    max_displacement_allowed_A: Optional[float] = Field(
        None, description="largest atomic displacement allowed for the approximate symmetry, Å (--max-displacement)")
    parent: Optional[ParentAnalysis] = Field(None, description="group–subgroup analysis against a parent (detect --parent / --parent-group)")
    character_table: Optional[CharacterTableModel] = Field(None, description="the structure's own point-group character table (detect --character-table)")
    pseudo: Optional[PseudoSearchModel] = Field(None, description="pseudo-symmetry search: candidate supergroups within "
                                                "--max-displacement, each with its idealised structure (detect --pseudo)")
    warnings: list[str] = Field(default_factory=list, description="what the reader noticed and did not refuse: atoms closer "
                                "than 0.5 Å, dropped occupancy-0 sites, guessed element names, missing hydrogens, …")
    written: list[str] = Field(default_factory=list, description="files written by --write: standardised conventional and "
                               "primitive cells and the symmetrised structure (CIF and POSCAR; xyz for molecules)")


class DetectReport(ReportBase):
    schema_id: Literal["symbreak.detect/2"] = Field(SCHEMA_DETECT, alias="schema")
    results: list[StructureResult]
