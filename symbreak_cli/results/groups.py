"""JSON models of the group-theory results (character tables, subgroups, O(3) branching,
the symmetry kept by a signal); the detect and train reports embed them.

Schema only: the models are made from :mod:`symbreak_cli.groups` objects by
:mod:`symbreak_cli.workflows._group_results`. Operation symbols are ITA-like
("4+_[001]", "m_[100]", "-3+_[111]") and refer to the frame the report names.
"""

from __future__ import annotations

from pydantic import Field

from symbreak_cli.results.base import Frozen


class ClassModel(Frozen):
    label: str = Field(description="textbook class label with its size, e.g. '8C3', '3σh'")
    size: int
    representative: str = Field(description="symbol of one member, e.g. '3+_[111]'")


class IrrepModel(Frozen):
    label: str = Field(description="Mulliken label, e.g. 'T1u'")
    dim: int
    characters: list[float] = Field(description="one per class, rounded to 6 decimals")
    complex_pair: bool = Field(False, description="merged from a complex-conjugate pair (χ + χ̄)")
    breaking: bool = Field(False, description="can carry the breaking to the child group: not the identity irrep, and its "
                                               "restriction to the child contains the child's identity irrep (multiplicity > 0)")
    multiplicity: int | None = Field(None, description="(1/|H|) Σ_h χ(h), when a child group is given (1 for the "
                                                       "identity irrep, which is listed but never marked breaking)")


class CharacterTableModel(Frozen):
    schoenflies: str
    hm: str
    order: int
    classes: list[ClassModel]
    irreps: list[IrrepModel]
    child: str | None = Field(None, description="Schoenflies name of the child group H, if any")


class SubgroupRelationModel(Frozen):
    parent: str
    parent_hm: str
    parent_order: int
    child: str
    child_hm: str
    child_order: int
    index: int
    n_domains: int = Field(description="orientational domains = |G|/|H|")
    lost_operations: list[str]
    coset_representatives: list[str] = Field(description="g_k of the left cosets g_k H, one per domain")
    matrix_tolerance: float | None = Field(
        None, description="largest matrix-entry difference taken as equal when H was found inside G (dimensionless)")


class O3BranchingRowModel(Frozen):
    irrep: str = Field(description="e3nn label, e.g. '2e'")
    l: int
    parity: int
    decomposition: str = Field(description="e.g. 'Eg + T2g'")
    n_invariant: int = Field(description="invariants under the parent group")
    n_invariant_child: int | None = None
    new_invariants: list[str] = Field(default_factory=list, description="readable forms, e.g. '2z² − x² − y²'")


class O3BranchingModel(Frozen):
    group: str
    child: str | None = None
    lmax: int
    rows: list[O3BranchingRowModel]


class SignalSymmetryModel(Frozen):
    name: str = Field(description="Schoenflies; '∞' for continuous groups, 'O(3)' for a scalar signal")
    hm: str
    order: int | None = Field(None, description="order of the finite group (or approximant)")
    is_continuous: bool
    is_full_o3: bool
    axis: list[float] | None = None
    finite_approximant: str | None = Field(None, description="e.g. 'C6v' for C∞v")
    operations: list[str] = Field(default_factory=list)
    tol: float = Field(description="relative tolerance ‖D(g)θ − θ‖/‖θ‖ used")
    max_residual: float
