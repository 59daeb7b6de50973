"""JSON models of the group-theory results (character tables, subgroups, O(3) branching).

API (each returns a frozen pydantic model; the detect/train reports embed them)::

    character_table_model(G, H=None)        -> CharacterTableModel   (breaking irreps marked when H given)
    subgroup_relation_model(G, H)           -> SubgroupRelationModel (index, lost ops, cosets = domains)
    o3_branching_model(G, H=None, lmax=6)   -> O3BranchingModel      (rows per (l, p))
    signal_symmetry_model(SignalSymmetry)   -> SignalSymmetryModel

G and H are :class:`symbreak_cli.groups._point_group.PointGroup` in one Cartesian frame.
Operation symbols follow :mod:`symbreak_cli.groups._operations` ("4+_[001]", "m_[100]",
"-3+_[111]"). Nothing here imports torch.
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
    breaking: bool = Field(False, description="restriction to the child group contains its identity irrep")
    multiplicity: int | None = Field(None, description="(1/|H|) Σ_h χ(h), when a child group is given")


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


def character_table_model(G, H=None) -> CharacterTableModel:
    from symbreak_cli.groups import character_table, restriction_multiplicity

    t = character_table(G)
    mult = dict(restriction_multiplicity(t, H)) if H is not None else {}
    return CharacterTableModel(
        schoenflies=G.schoenflies,
        hm=G.hm,
        order=G.order,
        classes=[ClassModel(label=c.label, size=c.size, representative=G.ops[c.members[0]].symbol) for c in t.classes],
        irreps=[
            IrrepModel(
                label=ir.label,
                dim=ir.dim,
                characters=[round(float(x), 6) + 0.0 for x in ir.characters],
                complex_pair=ir.complex_pair,
                breaking=bool(H is not None and mult[ir.label] > 0.5),
                multiplicity=int(round(mult[ir.label])) if H is not None else None,
            )
            for ir in t.irreps
        ],
        child=H.schoenflies if H is not None else None,
    )


def subgroup_relation_model(G, H) -> SubgroupRelationModel:
    from symbreak_cli.groups import subgroup_relation

    rel = subgroup_relation(G, H)
    return SubgroupRelationModel(
        parent=G.schoenflies, parent_hm=G.hm, parent_order=G.order,
        child=H.schoenflies, child_hm=H.hm, child_order=H.order,
        index=rel.index, n_domains=rel.n_domains,
        lost_operations=rel.lost_symbols, coset_representatives=rel.representative_symbols,
    )


def o3_branching_model(G, H=None, lmax: int = 6) -> O3BranchingModel:
    from symbreak_cli.groups import branching_table, decomposition_text

    rows = branching_table(G, H, lmax)
    return O3BranchingModel(
        group=G.schoenflies,
        child=H.schoenflies if H is not None else None,
        lmax=lmax,
        rows=[
            O3BranchingRowModel(
                irrep=r.irrep, l=r.l, parity=r.parity, decomposition=decomposition_text(r.decomposition),
                n_invariant=r.n_invariant, n_invariant_child=r.n_invariant_child, new_invariants=list(r.new_invariants),
            )
            for r in rows
        ],
    )


def signal_symmetry_model(s) -> SignalSymmetryModel:
    """From :class:`symbreak_cli.groups._stabilizer.SignalSymmetry`."""
    g = s.group
    return SignalSymmetryModel(
        name=s.name, hm=s.hm, order=g.order if g is not None else None,
        is_continuous=s.is_continuous, is_full_o3=s.is_full_o3,
        axis=list(s.axis) if s.axis is not None else None,
        finite_approximant=g.schoenflies if (g is not None and s.is_continuous) else None,
        operations=[op.symbol for op in g.ops] if g is not None else [],
        tol=s.tol, max_residual=s.max_residual,
    )
