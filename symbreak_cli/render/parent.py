"""Sections for ``detect --parent`` / ``--parent-group`` and ``--character-table``.

:func:`parent_sections` (called by :mod:`.detect` for each structure with a
``parent`` or ``character_table``) → relation and domains, lattice setting and strain,
the parent's character table with the breaking irreps highlighted, the O(3) branching.
"""

from __future__ import annotations

from symbreak_cli.results.detect import StructureResult
from symbreak_cli.render.groups import character_table_block, o3_branching_block
from symbreak_cli.results.parent import ParentAnalysis
from symbreak_cli.render.detect import short_name
from symbreak_cli.render.sections import Section, TableBlock, fmt


def _label(r: StructureResult) -> str:
    return short_name(r.path) + (f" [{r.label}]" if r.label else "")


def _group(name: str | None, number: int | None) -> str:
    return f" — space group {name}" + (f" ({number})" if number else "") if name else ""


def relation_block(p: ParentAnalysis) -> TableBlock:
    r = p.relation
    rows = [
        ["parent", f"{r.parent} ({r.parent_hm}), order {r.parent_order}{_group(p.parent_space_group, p.parent_space_group_number)}"],
        ["child", f"{r.child} ({r.child_hm}), order {r.child_order}{_group(p.child_space_group, p.child_space_group_number)}"],
        ["index |G|/|H|", str(r.index)],
        ["orientational domains", str(p.orientational_domains)],
        ["translational domains", fmt(p.translational_domains) if p.translational_domains is not None else "— (needs a parent structure)"],
        ["total domains", fmt(p.total_domains)],
        ["lost operations", ", ".join(r.lost_operations) or "—"],
        ["domain representatives", ", ".join(r.coset_representatives)],
        ["child operations", ", ".join(p.child_operations)],
        ["common frame", p.frame],
    ]
    return TableBlock(title=f"{r.parent} → {r.child}", columns=["property", "value"], rows=rows, note=p.note)


def lattice_block(p: ParentAnalysis) -> TableBlock | None:
    lat = p.lattice
    if lat is None:
        return None
    mat = lambda m, d=4: " / ".join(" ".join(f"{x:.{d}f}" if isinstance(x, float) else str(x) for x in row) for row in m)  # noqa: E731
    rows = [
        ["supercell matrix N (child = N · parent primitive)", mat(lat.supercell_matrix)],
        ["parent primitive basis (Å, rows)", mat(lat.parent_primitive_basis_A)],
        ["translational index (V_child,prim / V_parent,prim)", str(lat.translational_index)],
        ["shape strain, largest principal value", f"{lat.max_strain:.4%}"],
        ["volume strain", f"{lat.volume_strain:+.4%}"],
        ["strain tensor (parent frame)", mat(lat.strain, 3)],
    ]
    return TableBlock(title="Setting relation (found from the lattices)", columns=["property", "value"], rows=rows,
                      note=f"accepted up to {lat.max_strain_allowed:.0%} shape strain")


def parent_section(r: StructureResult) -> Section:
    p = r.parent
    blocks = [relation_block(p)]
    lat = lattice_block(p)
    if lat is not None:
        blocks.append(lat)
    blocks += [character_table_block(p.character_table), o3_branching_block(p.branching)]
    br = ", ".join(f"{ir.label}" + (f" (×{ir.multiplicity})" if (ir.multiplicity or 0) > 1 else "")
                   for ir in p.character_table.irreps if ir.breaking)
    text = (f"{p.relation.parent_hm} → {p.relation.child_hm}: irreps of {p.relation.parent} that can carry the breaking: {br}. "
            f"Domains: {p.orientational_domains} orientational"
            + (f" × {p.translational_domains} translational = {p.total_domains}." if p.total_domains is not None else "."))
    parent = short_name(p.parent) if p.parent_kind != "group" else p.parent
    return Section(title=f"{_label(r)} — group–subgroup analysis against {parent}",
                   blocks=blocks, text=text)


def parent_sections(r: StructureResult) -> list[Section]:
    """Sections for one structure's parent analysis and/or its own character table."""
    out = []
    if r.parent is not None:
        out.append(parent_section(r))
        if r.parent.modes is not None:
            from symbreak_cli.render.modes import modes_section

            out.append(modes_section(f"{_label(r)} — symmetry modes against {short_name(r.parent.parent)}", r.parent.modes))
        elif r.parent.modes_note:
            out.append(Section(title=f"{_label(r)} — symmetry modes", text=f"No mode decomposition: {r.parent.modes_note}"))
    if r.character_table is not None:
        out.append(Section(title=f"{_label(r)} — character table",
                           blocks=[character_table_block(r.character_table)]))
    return out
