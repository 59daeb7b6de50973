"""Group-theory results as report models: character tables, subgroup relations, O(3)
branching, signal symmetry and the ``detect --parent`` analysis.

The tables are computed by :mod:`symbreak_cli.groups` (called here on the domain objects
of :mod:`symbreak_cli.symmetry`); this module only copies and rounds them into the models
of :mod:`symbreak_cli.results.groups` / :mod:`symbreak_cli.results.parent`.

API::

    character_table_model(G, H=None)        -> CharacterTableModel   (breaking irreps marked when H given)
    subgroup_relation_model(G, H)           -> SubgroupRelationModel (index, lost ops, cosets = domains)
    o3_branching_model(G, H=None, lmax=6)   -> O3BranchingModel      (rows per (l, p))
    signal_symmetry_model(SignalSymmetry)   -> SignalSymmetryModel
    parent_analysis_model(GroupSubgroup)    -> ParentAnalysis

G and H are :class:`symbreak_cli.groups.PointGroup` in one Cartesian frame.

>>> from symbreak_cli.groups import PointGroup
>>> t = character_table_model(PointGroup.named("Oh"), PointGroup.named("C4v"))
>>> [ir.label for ir in t.irreps if ir.breaking]
['Eg', 'T1u']
>>> [(ir.label, ir.multiplicity) for ir in t.irreps if ir.multiplicity][0]   # the invariant part, not breaking
('A1g', 1)
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.groups import (
    PointGroup,
    branching_table,
    breaking_irreps,
    character_table,
    decomposition_text,
    restriction_multiplicity,
    subgroup_relation,
)
from symbreak_cli.results.groups import (
    CharacterTableModel,
    ClassModel,
    IrrepModel,
    O3BranchingModel,
    O3BranchingRowModel,
    SignalSymmetryModel,
    SubgroupRelationModel,
)
from symbreak_cli.results.parent import LatticeRelationModel, ParentAnalysis
from symbreak_cli.symmetry.types import Frame, GroupSubgroup

#: decimals kept for characters and other group-theory numbers in reports
CHARACTER_DECIMALS = 6
#: decimals kept for lattice bases, strains and frame matrices in reports
LATTICE_DECIMALS = 6
#: the common frame of G and H, said for people (the JSON carries the code beside it)
FRAME_DESCRIPTIONS = {
    Frame.PARENT_STANDARD: "parent's standardised Cartesian frame (spglib std_lattice; conventional axes along x, y, z)",
    Frame.PARENT_INPUT: "parent molecule's input Cartesian axes, about its centroid",
    Frame.NAMED_GROUP: ("standard orientation of the named parent group "
                        "(see `symbreak` naming: principal axis z, cubic axes x, y, z)"),
}


def _r(x: float, d: int = CHARACTER_DECIMALS) -> float:
    return round(float(x), d) + 0.0  # + 0.0: no "-0.0" in the JSON


def _matrix(m: np.ndarray, d: int = LATTICE_DECIMALS) -> list[list[float]]:
    return (np.round(np.asarray(m, float), d) + 0.0).tolist()


def character_table_model(G: PointGroup, H: PointGroup | None = None, tol: float | None = None) -> CharacterTableModel:
    """G's character table; with H (in G's frame) each irrep's multiplicity in Γ↓H and
    whether it can carry the breaking (``tol``: matrix tolerance of finding H in G).

    An irrep can carry the breaking G → H when its restriction to H contains H's identity
    irrep and it is not G's own identity irrep: that one is the invariant part, present
    in every restriction (multiplicity 1), and lowers nothing.
    """
    t = character_table(G)
    mult = dict(restriction_multiplicity(t, H, tol)) if H is not None else {}
    breaking = {lab for lab, _ in breaking_irreps(G, H, tol)} if H is not None else set()
    return CharacterTableModel(
        schoenflies=G.schoenflies,
        hm=G.hm,
        order=G.order,
        classes=[ClassModel(label=c.label, size=c.size, representative=G.ops[c.members[0]].symbol) for c in t.classes],
        irreps=[
            IrrepModel(
                label=ir.label,
                dim=ir.dim,
                characters=[_r(x) for x in ir.characters],
                complex_pair=ir.complex_pair,
                breaking=ir.label in breaking,
                multiplicity=int(round(mult[ir.label])) if H is not None else None,
            )
            for ir in t.irreps
        ],
        child=H.schoenflies if H is not None else None,
    )


def subgroup_relation_model(G: PointGroup, H: PointGroup, tol: float | None = None) -> SubgroupRelationModel:
    """Index, lost operations and coset representatives of G ⊃ H (one frame)."""
    rel = subgroup_relation(G, H, tol)
    return SubgroupRelationModel(
        parent=G.schoenflies, parent_hm=G.hm, parent_order=G.order,
        child=H.schoenflies, child_hm=H.hm, child_order=H.order,
        index=rel.index, n_domains=rel.n_domains,
        lost_operations=rel.lost_symbols, coset_representatives=rel.representative_symbols,
        matrix_tolerance=tol if tol is not None else max(G.tol, H.tol),
    )


def o3_branching_model(G: PointGroup, H: PointGroup | None = None, lmax: int = 6) -> O3BranchingModel:
    """O(3) irreps (l ≤ lmax, both parities) restricted to G (and H)."""
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
    """From :class:`symbreak_cli.groups.SignalSymmetry`."""
    g = s.group
    return SignalSymmetryModel(
        name=s.name, hm=s.hm, order=g.order if g is not None else None,
        is_continuous=s.is_continuous, is_full_o3=s.is_full_o3,
        axis=list(s.axis) if s.axis is not None else None,
        finite_approximant=g.schoenflies if (g is not None and s.is_continuous) else None,
        operations=[op.symbol for op in g.ops] if g is not None else [],
        tol=s.tol, max_residual=s.max_residual,
    )


def _note(a: GroupSubgroup) -> str | None:
    """A sentence for people about what the structure of ``a`` implies."""
    if a.index == 1:
        return f"the child keeps the whole parent point group {a.G.hm}: no orientational domains"
    if a.alignment is not None:
        return ("the child's group was rotated into the parent's frame (its axes did not line up); "
                "where G holds non-conjugate copies of H, this is one of them")
    return None


def _lattice_model(a: GroupSubgroup) -> LatticeRelationModel | None:
    m = a.lattice
    if m is None:
        return None
    return LatticeRelationModel(
        supercell_matrix=np.asarray(m.supercell).astype(int).tolist(),
        parent_primitive_basis_A=_matrix(m.parent_basis),
        strain=_matrix(m.strain),
        max_strain=_r(m.max_strain, LATTICE_DECIMALS),
        volume_strain=_r(m.volume_strain, LATTICE_DECIMALS),
        translational_index=a.translational_domains,
        max_strain_allowed=a.max_strain,
    )


def parent_analysis_model(a: GroupSubgroup) -> ParentAnalysis:
    """The ``parent`` entry of a detect result, copied from the domain object."""
    tol = a.matrix_tolerance
    relation = subgroup_relation_model(a.G, a.H, tol)
    return ParentAnalysis(
        parent=a.parent, parent_kind=a.parent_kind,
        parent_space_group=a.parent_space_group, parent_space_group_number=a.parent_space_group_number,
        child_space_group=a.child_space_group, child_space_group_number=a.child_space_group_number,
        frame=FRAME_DESCRIPTIONS[a.frame], frame_code=a.frame.value,
        frame_basis=_matrix(a.frame_basis) if a.frame_basis is not None else None,
        alignment=_matrix(a.alignment) if a.alignment is not None else None,
        relation=relation, orientational_domains=a.orientational_domains,
        translational_domains=a.translational_domains, total_domains=a.total_domains, lattice=_lattice_model(a),
        child_operations=[op.symbol for op in a.H.ops],
        character_table=character_table_model(a.G, a.H, tol), branching=o3_branching_model(a.G, a.H, a.lmax),
        note=_note(a), symprec_A=a.symprec, angle_tolerance_deg=a.angle_tolerance,
    )


__all__ = ["character_table_model", "o3_branching_model", "parent_analysis_model", "signal_symmetry_model",
           "subgroup_relation_model"]
