"""JSON models of ``detect --pseudo``: the pseudo-symmetry search of one structure, embedded
in :class:`~.detect.StructureResult.pseudo`.

Schema only: made from :class:`symbreak_cli.symmetry.pseudo.PseudoSearch` by
:mod:`symbreak_cli.workflows._pseudo_results`.
"""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from symbreak_cli.results.base import Frozen


class ChainStep(Frozen):
    hm: str = Field(description="Hermann–Mauguin short symbol")
    number: int = Field(description="space-group number")


class PseudoCandidateModel(Frozen):
    """One supergroup G ⊃ H the structure nearly has, in a concrete setting."""

    hm: str = Field(description="G's Hermann–Mauguin short symbol, e.g. 'Pm-3m'")
    number: int = Field(description="G's space-group number")
    index: int = Field(description="[G : H] = point-group index × lattice index")
    point_group_index: int = Field(description="|P_G| / |P_H|")
    lattice_index: int = Field(description="primitive cell volume of H / primitive cell volume of G")
    chain: list[ChainStep] = Field(description="H first, then each minimal supergroup climbed to reach G (a step whose "
                                   "idealised structure has more symmetry than its group is listed but is no candidate)")
    max_displacement_A: float = Field(description="largest atomic displacement from the structure to the idealised "
                                      "G-symmetric one, Å (measured with the input lattice; strain not counted)")
    mean_displacement_A: float = Field(description="mean atomic displacement, Å")
    strain: float = Field(description="largest |principal value| of the Green–Lagrange strain from the input lattice "
                          "to G's metric (dimensionless)")
    displacements_A: list[list[float]] = Field(description="x̄ − x per input atom (Cartesian, Å, input frame)")
    idealised_lattice_A: list[list[float]] = Field(description="the idealised structure's lattice (rows, Å) in the input's cell")
    idealised_fractional: list[list[float]] = Field(description="the idealised atoms, fractional coordinates of the input's "
                                                    "cell, input order")
    primitive_basis: list[list[float]] = Field(description="G's primitive lattice vectors (rows) in fractional coordinates "
                                               "of the input cell")
    operations: list[str] = Field(description="G's operations modulo its lattice, x,y,z form in the primitive_basis")
    written: Optional[str] = Field(None, description="the idealised structure's CIF (--write-parent), its standardised "
                                   "conventional cell")


class PseudoSearchModel(Frozen):
    space_group: str = Field(description="H, the structure's space group at --symprec (HM)")
    space_group_number: int
    max_displacement_allowed_A: float = Field(description="largest atomic displacement a candidate may need, Å")
    max_strain_allowed: float = Field(description="largest principal strain of a lattice automorphism tried")
    examined: int = Field(description="supergroup settings examined (t- and k-type extensions climbed)")
    complete: bool = Field(True, description="false when the search's budget of settings ran out before every chain "
                           "ended (start from a higher group: a larger --symprec)")
    candidates: list[PseudoCandidateModel] = Field(
        description="one per (group, index), the closest embedding; by index then displacement; empty: no supergroup "
                    "within the bound")
