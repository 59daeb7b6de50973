"""Sections for the group-theory models (renderer-neutral, see :mod:`.sections`).

API::

    character_table_block(CharacterTableModel)     -> TableBlock   (breaking irreps highlighted)
    subgroup_block(SubgroupRelationModel)          -> TableBlock
    o3_branching_block(O3BranchingModel)           -> TableBlock   (rows gaining invariants highlighted)
    signal_symmetry_block(SignalSymmetryModel)     -> TableBlock
    group_analysis_section(table, relation=None, branching=None, title=...) -> Section
"""

from __future__ import annotations

from symbreak_cli.results.groups import (
    CharacterTableModel,
    O3BranchingModel,
    SignalSymmetryModel,
    SubgroupRelationModel,
)
from symbreak_cli.render.sections import Section, TableBlock, fmt


def _char(x: float) -> str:
    if abs(x - round(x)) < 1e-6:
        return str(int(round(x)))
    return f"{x:.3f}"


def character_table_block(t: CharacterTableModel) -> TableBlock:
    cols = [f"{t.schoenflies} ({t.hm})"] + [c.label for c in t.classes]
    if t.child is not None:
        cols.append(f"n in {t.child}")
    rows, hi = [], set()
    for k, ir in enumerate(t.irreps):
        row = [ir.label + (" *" if ir.complex_pair else "")] + [_char(x) for x in ir.characters]
        if t.child is not None:
            row.append(str(ir.multiplicity))
        if ir.breaking:
            hi.add(k)
        rows.append(row)
    notes = []
    if any(ir.complex_pair for ir in t.irreps):
        notes.append("* complex-conjugate pair merged into one real irrep (characters χ + χ̄)")
    if t.child is not None:
        notes.append(f"highlighted: irreps that can carry the breaking (not the identity irrep; restriction to {t.child} "
                     "contains its identity irrep)")
    return TableBlock(title=f"Character table of {t.schoenflies}", columns=cols, rows=rows,
                      highlight=frozenset(hi), note="; ".join(notes) or None)


def subgroup_block(r: SubgroupRelationModel) -> TableBlock:
    rows = [
        ["parent", f"{r.parent} ({r.parent_hm}), order {r.parent_order}"],
        ["child", f"{r.child} ({r.child_hm}), order {r.child_order}"],
        ["index = orientational domains", str(r.index)],
        ["lost operations", ", ".join(r.lost_operations) or "—"],
        ["domain representatives", ", ".join(r.coset_representatives)],
    ]
    return TableBlock(title=f"{r.parent} → {r.child}", columns=["property", "value"], rows=rows)


#: longest readable form of an invariant shown in a table; longer ones (frames off the axes) stay in the JSON
MAX_INVARIANT_TEXT = 40


def _invariants(forms: list[str]) -> str:
    if not forms:
        return "—"
    if all(len(f) <= MAX_INVARIANT_TEXT for f in forms):
        return "; ".join(forms)
    return f"{len(forms)} (forms in --json)"


def o3_branching_block(b: O3BranchingModel) -> TableBlock:
    cols = ["O(3) irrep", f"↓ {b.group}", f"invariants in {b.group}"]
    if b.child is not None:
        cols += [f"invariants in {b.child}", "new invariants"]
    rows, hi = [], set()
    for k, r in enumerate(b.rows):
        row = [r.irrep, r.decomposition, str(r.n_invariant)]
        if b.child is not None:
            row += [fmt(r.n_invariant_child), _invariants(r.new_invariants)]
            if r.n_invariant_child is not None and r.n_invariant_child > r.n_invariant:
                hi.add(k)
        rows.append(row)
    note = f"highlighted: harmonics that can describe the breaking {b.group} → {b.child}" if b.child else None
    return TableBlock(title=f"O(3) branching to {b.group} (l ≤ {b.lmax})", columns=cols, rows=rows,
                      highlight=frozenset(hi), note=note)


def signal_symmetry_block(s: SignalSymmetryModel) -> TableBlock:
    rows = [["point group", f"{s.name} ({s.hm})"]]
    if s.is_continuous and s.finite_approximant:
        rows.append(["finite approximant", s.finite_approximant])
    if s.axis is not None:
        rows.append(["axis", "(" + ", ".join(fmt(a, 4) for a in s.axis) + ")"])
    if s.operations and len(s.operations) <= 16:
        rows.append(["operations", ", ".join(s.operations)])
    rows.append(["tolerance (relative)", fmt(s.tol)])
    rows.append(["max residual", fmt(s.max_residual)])
    return TableBlock(title="Symmetry kept by the signal", columns=["property", "value"], rows=rows)


def group_analysis_section(
    table: CharacterTableModel,
    relation: SubgroupRelationModel | None = None,
    branching: O3BranchingModel | None = None,
    title: str = "Group–subgroup analysis",
) -> Section:
    blocks = []
    if relation is not None:
        blocks.append(subgroup_block(relation))
    blocks.append(character_table_block(table))
    if branching is not None:
        blocks.append(o3_branching_block(branching))
    text = None
    if table.child is not None:
        br = [ir.label for ir in table.irreps if ir.breaking]
        text = f"Irreps of {table.schoenflies} that can carry the breaking to {table.child}: {', '.join(br)}"
    return Section(title=title, blocks=blocks, text=text)
