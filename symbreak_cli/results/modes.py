"""JSON models of the symmetry-mode decomposition of ``detect CHILD --parent PARENT``
(crystal child and parent): the matching (P, p, pairing), the amplitude of every irrep,
the strain by irrep and the mode vectors, embedded in
:class:`~.parent.ParentAnalysis.modes`.

Schema only: made from :class:`symbreak_cli.symmetry.modes.ModeDecomposition` by
:mod:`symbreak_cli.workflows._mode_results`.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from symbreak_cli.results.base import Frozen


class MatchingModel(Frozen):
    """How the child sits in the parent (found: supercell, origin, atom pairing)."""

    basis_P: list[list[int]] = Field(description="P (3×3 integers), Bilbao convention x_parent = P·x_child + p; "
                                     "columns are the child basis vectors in the parent's primitive basis")
    origin_shift_p: list[float] = Field(description="p, the child origin in the parent's fractional coordinates")
    supercell_matrix: list[list[int]] = Field(description="N = Pᵀ: child lattice rows ≈ N · parent primitive rows")
    pairing: list[int] = Field(description="for each child atom (from 1), the parent-supercell atom it displaces (from 1; "
                               "supercell atoms cell-major: parent atom j in cell c is c·n_parent + j)")
    displacements_A: list[list[float]] = Field(description="per child atom, Cartesian displacement from its parent site, Å, "
                                               "parent standardised frame, uniform translation removed")
    max_displacement_A: float = Field(description="largest atomic displacement, Å")
    total_distortion_A: float = Field(description="√(Σ|u|²) over the child cell, Å (As of the whole distortion)")
    strain: list[list[float]] = Field(description="Green–Lagrange strain of the child lattice against N·parent (volume part "
                                      "included), parent frame")


class IrrepAmplitudeModel(Frozen):
    """One irrep's share of the distortion."""

    irrep: str = Field(description="CDML/ISOTROPY label (e.g. GM4-, R4+, M3+; a complex pair as GM3+GM4+; a '?' marks "
                       "spgrep's numbering where the ISOTROPY number could not be read)")
    kpoint: list[float] = Field(description="k of the arm used, parent primitive reciprocal basis")
    star_arms: int = Field(description="arms of the k-star (with −k)")
    irrep_dimension: int = Field(description="components of the order parameter")
    direction: list[float] = Field(description="unit order-parameter direction in the irrep basis (irreps.py)")
    direction_text: str = Field(description="the direction as ISOTROPY names one, e.g. (a,0,0), (a,a,0), (a,b;0,0;0,0)")
    amplitude_parent_A: float = Field(description="Ap: amplitude per parent cell, Å")
    amplitude_child_A: float = Field(description="As = Ap·√(V_child/V_parent): amplitude over the child cell, Å")
    share: float = Field(description="Ap² / Ap_total²")
    isotropy_subgroup: Optional[str] = Field(None, description="space group (HM) of the parent distorted by this irrep alone")
    isotropy_subgroup_number: Optional[int] = None
    n_modes: int = Field(description="modes of this irrep compatible with the child's symmetry (AMPLIMODES' count)")
    multiplicity: int = Field(description="copies of the irrep in the displacement representation of the parent supercell")
    mode_amplitudes_A: list[float] = Field(description="the child's amplitude along each mode (As), Å")
    mode_vectors: Optional[list[list[list[float]]]] = Field(
        None, description="per mode, per child atom (child order), the Cartesian displacement of the normalised mode "
                          "(Σ over the child cell = 1); null when left out")


class StrainIrrepModel(Frozen):
    irrep: str = Field(description="Γ irrep of the parent point group (GM1+ volume, GM3+ tetragonal/orthorhombic, GM5+ shear …)")
    amplitude: float = Field(description="Frobenius norm of the Biot strain's part in this irrep (dimensionless; "
                             "ISODISTORT's strain-mode amplitude)")
    tensor: list[list[float]] = Field(description="that part of the Biot strain U − 1 (U = √(FᵀF), the right stretch "
                                      "of the child lattice against N·parent), parent frame")


class ModeAnalysisModel(Frozen):
    """The symmetry-mode decomposition of a crystal child against its parent structure."""

    parent_space_group: str
    parent_space_group_number: int
    parent_origin: str = Field(description="which parent atom sits at the origin: labels flip with it (perovskite B at "
                               "the origin: tilts R4+/M3+; A at the origin: R5-/M2+)")
    child_space_group: str
    child_space_group_number: int
    normalisation: str = Field(description="how the amplitudes are normalised, in words")
    metric: Literal["child", "parent"] = Field("child", description="in which lattice a displacement is measured in Å: "
                                               "'child' the parent supercell scaled to the child's volume, 'parent' the "
                                               "undistorted parent lattice (ISODISTORT's amplitudes)")
    repeated_supercell: list[list[int]] = Field(description="the parent supercell (invariant under every parent rotation) "
                                                "in which the child's displacements were decomposed")
    matching: MatchingModel
    total_parent_A: float = Field(description="Ap of the whole displacement, Å (√Σ Ap²)")
    total_child_A: float = Field(description="As of the whole displacement, Å")
    irreps: list[IrrepAmplitudeModel] = Field(description="every irrep at the commensurate k-points, largest first")
    strain: list[StrainIrrepModel] = Field(description="the Biot strain split over the Γ irreps of the parent point group")


__all__ = ["IrrepAmplitudeModel", "MatchingModel", "ModeAnalysisModel", "StrainIrrepModel"]
