"""The ``symbreak.break/<major>`` report: a symmetric structure broken to a subgroup, every domain.

Schema only: made from :class:`symbreak_cli.symmetry.breaking.Breaking` by
:mod:`symbreak_cli.workflows.break_`. Lengths in Å, strains dimensionless; vectors and
operation symbols refer to the parent's input Cartesian frame (molecules: about its
centroid). Every group–subgroup section is optional, so a report of another way of
producing broken structures (e.g. samples of a trained model) can fill in its own section
and leave these out.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from symbreak_cli.results.base import REPORT_KINDS, Frozen, ReportBase
from symbreak_cli.results.groups import SubgroupRelationModel
from symbreak_cli.results.samples import SamplesSection

SCHEMA_BREAK = REPORT_KINDS["break"].schema_id  # major 2: the samples section counts only classified draws


class BreakingPartModel(Frozen):
    irrep: str = Field(description="O(3) irrep in e3nn notation, e.g. '2e', '1o'")
    l: int
    parity: int
    vector: list[float] = Field(description="unit vector of 2l+1 coefficients in e3nn's basis (1o: x, y, z)")
    polynomial: str = Field(description="the same object as a readable harmonic polynomial, e.g. '−x² − y² + 2z²'")
    parent_irreps: list[str] = Field(description="irreps of the parent point group G the vector belongs to (Mulliken)")
    n_new_invariants: int = Field(description="dimension of the H-invariant subspace of this irrep minus the G-invariant one")


class BreakingObjectModel(Frozen):
    """The lowest-l O(3) object whose stabiliser in G is exactly H."""

    parts: list[BreakingPartModel] = Field(description="one irrep, or two when no single one up to lmax has stabiliser H")
    alternatives: list[str] = Field(default_factory=list, description="other irreps of the same l that would do as well")
    o3_symmetry: str = Field(description="the object's own symmetry in all of O(3), e.g. 'C∞v' for a vector")
    lmax: int = Field(description="highest l searched")


class IrrepRequestModel(Frozen):
    """The space-group irrep and order-parameter direction asked for (``--irrep``/``--direction``)."""

    label: str = Field(description="irrep label (CDML / ISOTROPY style, e.g. 'GM4-', 'R4+')")
    direction: list[float] = Field(description="order-parameter direction η in the irrep's space, as used")
    isotropy_group: str = Field(description="space group kept by that direction, 'HM (number)'")
    supercell: list[list[int]] = Field(description="N (3×3 integers): supercell rows = N · parent primitive rows")
    origin: str = Field(description="which parent atom sits at the origin (the labels depend on it)")


class DomainCheckModel(Frozen):
    found: str = Field(description="group re-detected in the written structure (point group, or space group 'HM (number)')")
    space_group_number: Optional[int] = None
    same_operations: bool = Field(description="the operations found are the domain's own g H g⁻¹ (its orientation)")
    verified: bool = Field(description="the expected group, in the domain's orientation")


class DomainModel(Frozen):
    index: int = Field(description="0-based domain index (0: the domain of the object as written)")
    representative: str = Field(description="operation g of the parent mapping domain 0 onto this one (coset g H)")
    path: Optional[str] = Field(None, description="the file written for this domain (null when nothing was written)")
    check: DomainCheckModel
    point_operations: list[str] = Field(description="rotations of the domain's group g H g⁻¹ (ITA symbols, the parent's frame)")
    n_operations: int = Field(description="operations of the parent (on this cell) the domain keeps, translations included")
    object: dict[str, list[float]] = Field(description="the breaking object of this domain, D(g) v per irrep")
    displacements_A: list[list[float]] = Field(description="N×3 displacement of each atom from the parent, Å, Cartesian")
    strain: Optional[list[list[float]]] = Field(None, description="3×3 strain ε added to the cell (x' = (1 + ε) x)")
    max_displacement_A: float


class BreakReport(ReportBase):
    schema_id: str = Field(SCHEMA_BREAK, alias="schema")
    structure: str = Field(description="the parent structure's path")
    formula: str
    kind: Literal["molecule", "crystal"]
    symbols: list[str] = Field(description="the undistorted reference's atoms: the parent in file order, or its "
                                           "supercell (cell-major) when broken along an irrep")
    positions_A: list[list[float]] = Field(description="the reference's Cartesian positions, Å (the displacements start here)")
    lattice_A: Optional[list[list[float]]] = Field(None, description="the reference's lattice vectors (rows), Å; null for a molecule")
    parent_group: Optional[str] = Field(None, description="the parent's group: point group (molecules) or 'HM (number)'")
    target_group: Optional[str] = Field(None, description="the group asked for and obtained")
    target_space_group_number: Optional[int] = None
    irrep: Optional[IrrepRequestModel] = Field(None, description="the irrep and direction broken along (--irrep)")
    relation: Optional[SubgroupRelationModel] = Field(None, description="point groups G ⊃ H: index, lost operations, cosets")
    subgroup_classes: Optional[int] = Field(
        None, description="conjugacy classes of subgroups of H's type in G (the first, in G's standard orientation where "
                          "possible, was used)")
    object: Optional[BreakingObjectModel] = None
    pattern_irreps: list[str] = Field(default_factory=list,
                                      description="irreps of G (Mulliken) the displacement pattern transforms as")
    pattern: Optional[str] = Field(None, description="how the displacements were built, in words")
    amplitude_A: Optional[float] = Field(None, description="√(Σ_i |u_i|²) over the reference (molecule, parent cell, or "
                                                           "the supercell of an irrep: ISODISTORT's As), Å")
    strain: Optional[float] = Field(None, description="Frobenius norm of the added strain (0: none)")
    orientational_domains: Optional[int] = None
    translational_domains: Optional[int] = None
    total_domains: Optional[int] = None
    domains: list[DomainModel] = Field(default_factory=list, description="the domains built (all, or the first --domains N)")
    out: Optional[str] = Field(None, description="directory the structures were written to")
    symprec_A: Optional[float] = Field(None, description="distance tolerance of detection and re-detection, Å")
    samples: Optional[SamplesSection] = Field(None, description="break --model RUN: draws from a trained SymPE run, "
                                                                 "grouped into symmetry-equivalent classes")
