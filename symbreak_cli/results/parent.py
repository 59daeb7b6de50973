"""JSON models of ``detect --parent`` / ``--parent-group``: the group–subgroup analysis of a
child against its parent, embedded in :class:`~.detect.StructureResult.parent`.

Schema only: made from :class:`symbreak_cli.symmetry.types.GroupSubgroup` by
:mod:`symbreak_cli.workflows._group_results`; the group parts reuse :mod:`.groups`
(character table with the breaking irreps, subgroup relation, O(3) branching).
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from symbreak_cli.results.groups import CharacterTableModel, O3BranchingModel, SubgroupRelationModel
from symbreak_cli.results.base import Frozen
from symbreak_cli.results.modes import ModeAnalysisModel


class LatticeRelationModel(Frozen):
    """How the child's lattice sits in the parent's (found, not typed by the user)."""

    supercell_matrix: list[list[int]] = Field(
        description="N (3×3 integers): child input lattice vectors (rows) ≈ N · parent primitive basis vectors (rows)")
    parent_primitive_basis_A: list[list[float]] = Field(
        description="the parent's idealised, Niggli-reduced primitive lattice (rows, Å) in its standardised Cartesian frame")
    strain: list[list[float]] = Field(
        description="Green–Lagrange shape strain ½(FᵀF − I) of the child lattice against the parent supercell, volume part removed, parent frame")
    max_strain: float = Field(description="largest principal value of |strain| (dimensionless)")
    volume_strain: float = Field(description="V_child / (|det N| · V_parent_primitive) − 1")
    translational_index: int = Field(description="child primitive cell volume / parent primitive cell volume")
    max_strain_allowed: float = Field(description="largest principal shape strain accepted in the search")


class ParentAnalysis(Frozen):
    parent: str = Field(description="parent structure path, or the --parent-group name")
    parent_kind: Literal["structure", "molecule", "group"]
    parent_space_group: Optional[str] = Field(None, description="parent space group HM (crystal parents, or a space group named by --parent-group)")
    parent_space_group_number: Optional[int] = None
    child_space_group: Optional[str] = None
    child_space_group_number: Optional[int] = None
    frame: str = Field(description="the common Cartesian frame of G and H (operation symbols refer to it), in words")
    frame_code: Optional[Literal["parent_standard", "parent_input", "named_group"]] = Field(
        None, description="that frame: the parent crystal's spglib standardised frame, the parent molecule's input axes "
                          "(about its centroid), or the named group's standard orientation")
    frame_basis: Optional[list[list[float]]] = Field(
        None, description="3×3 rotation B with x_frame = B · x_parent_input (Cartesian); null for a named group")
    alignment: Optional[list[list[float]]] = Field(
        None, description="3×3 rotation Q that turned the child's point group into the frame (H = Q H₀ Qᵀ); "
                          "null when none was needed or the lattice setting placed H")
    symprec_A: Optional[float] = Field(None, description="distance tolerance used for both structures, Å")
    angle_tolerance_deg: Optional[float] = Field(None, description="angle tolerance used, degrees (-1: spglib default)")
    relation: SubgroupRelationModel = Field(description="point groups G ⊃ H: index, lost operations, coset representatives")
    orientational_domains: int = Field(description="|G| / |H|")
    translational_domains: Optional[int] = Field(None, description="index of the child's translation lattice in the parent's; null without a parent structure")
    total_domains: Optional[int] = Field(None, description="orientational × translational")
    lattice: Optional[LatticeRelationModel] = Field(None, description="supercell matrix and strain (crystal parent structures)")
    child_operations: list[str] = Field(description="the child's point-group operations in the common frame")
    character_table: CharacterTableModel = Field(description="character table of G; breaking irreps marked with their multiplicity in Γ↓H")
    branching: O3BranchingModel = Field(description="O(3) irreps (l ≤ lmax, both parities) restricted to G and H")
    note: Optional[str] = Field(None, description="what the relation implies, in words")
    modes: Optional[ModeAnalysisModel] = Field(
        None, description="symmetry-mode decomposition (crystal child against a crystal parent structure): matching, "
                          "amplitude per irrep, strain by irrep, mode vectors")
    modes_note: Optional[str] = Field(None, description="why there is no mode decomposition, when a crystal parent gave none")
