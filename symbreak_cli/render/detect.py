"""Sections of a ``symbreak.detect/1`` report (rich, Markdown and HTML all draw these)."""

from __future__ import annotations

from symbreak_cli.results.detect import DetectReport, StructureResult
from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, fmt


def _name(r: StructureResult) -> str:
    return f"{r.path} [{r.label}]" if r.label else r.path


def _group(r: StructureResult) -> tuple[str, str, str]:
    if r.crystal:
        c = r.crystal
        return f"{c.hm_short} ({c.space_group_number})", f"{c.point_group_hm} / {c.point_group_schoenflies}", c.crystal_system
    if r.molecule:
        m = r.molecule
        return "—", f"{m.point_group_hm or '—'} / {m.point_group_schoenflies}", "molecule"
    return "—", "—", "—"


def _approx(r: StructureResult) -> str:
    a = r.approximate
    if a is None:
        return "—"
    return f"{a.group}{f' ({a.number})' if a.number else ''} ≤ {fmt(a.max_displacement_A, 3)} Å"


def summary_table(report: DetectReport) -> TableBlock:
    rows, bad = [], set()
    for i, r in enumerate(report.results):
        if r.error:
            rows.append([_name(r), "error", r.error, "", "", "", ""])
            bad.add(i)
            continue
        sg, pg, system = _group(r)
        rows.append([_name(r), r.formula or "", str(r.n_atoms), sg, pg, system, _approx(r)])
    return TableBlock(
        title="Symmetry",
        columns=["structure", "formula", "atoms", "space group", "point group", "system", "approximate symmetry"],
        rows=rows,
        highlight=frozenset(bad),
        note=None,
    )


def _crystal_section(r: StructureResult) -> Section:
    c = r.crystal
    lat = c.lattice
    facts = TableBlock(
        title="Space group",
        columns=["property", "value"],
        rows=[
            ["space group", f"{c.hm_short} (No. {c.space_group_number}); full {c.hm_full}; {c.schoenflies}"],
            ["Hall symbol", f"{c.hall} (Hall No. {c.hall_number})"],
            ["point group", f"{c.point_group_hm} ({c.point_group_schoenflies}), order {c.point_group_order}"],
            ["lattice", f"{c.crystal_system}, Bravais {c.bravais}, Pearson {c.pearson}"],
            ["cell (Å, °)", f"a={lat.a_A:.4f} b={lat.b_A:.4f} c={lat.c_A:.4f} α={lat.alpha_deg:.2f} β={lat.beta_deg:.2f} γ={lat.gamma_deg:.2f}, V={lat.volume_A3:.2f} Å³"],
            ["operations", f"{c.n_operations} in the input cell"],
            ["tolerances", f"symprec {c.symprec_A:g} Å, angle {'spglib default' if c.angle_tolerance_deg < 0 else f'{c.angle_tolerance_deg:g}°'}"],
        ],
    )
    orbits = TableBlock(
        title="Wyckoff orbits",
        columns=["element", "Wyckoff", "site symmetry", "atoms", "representative (frac.)"],
        rows=[[o.element, f"{o.multiplicity}{o.wyckoff}", o.site_symmetry, _atoms(o.atoms), " ".join(f"{x:.4f}" for x in o.representative)]
              for o in c.wyckoff],
    )
    ops = TableBlock(
        title="Symmetry operations (Seitz symbols, input cell)",
        columns=["#", "operation"],
        rows=[[str(i + 1), op.seitz] for i, op in enumerate(c.operations[:96])],
        note=None if len(c.operations) <= 96 else f"first 96 of {len(c.operations)}; all are in --json",
    )
    return Section(title=f"{_name(r)} — {r.formula}", blocks=[facts, orbits, *_ladder_blocks(r), ops])


def _atoms(idx: list[int]) -> str:
    return ", ".join(map(str, idx)) if len(idx) <= 8 else f"{', '.join(map(str, idx[:6]))}, … ({len(idx)})"


def _molecule_section(r: StructureResult) -> Section:
    m = r.molecule
    facts = TableBlock(
        title="Point group",
        columns=["property", "value"],
        rows=[
            ["point group", f"{m.point_group_schoenflies}" + (f" ({m.point_group_hm})" if m.point_group_hm else "")],
            ["order", "∞ (linear molecule)" if m.order is None else str(m.order)],
            ["operations", f"{m.n_operations} Cartesian matrices about the centroid (in --json)"],
            ["tolerance", f"{m.tolerance_A:g} Å"],
        ],
    )
    return Section(title=f"{_name(r)} — {r.formula}", blocks=[facts, *_ladder_blocks(r)])


def _ladder_blocks(r: StructureResult) -> list:
    if not r.ladder:
        return []
    approx = r.approximate
    rows, hl = [], set()
    for i, s in enumerate(r.ladder):
        rows.append([f"{s.tolerance_A:.2e}", s.group + (f" ({s.number})" if s.number else ""),
                     "∞" if s.point_group_order is None else str(s.point_group_order), str(s.n_operations), fmt(s.max_displacement_A, 3)])
        if approx is not None and s == approx:
            hl.add(i)
    table = TableBlock(
        title="Tolerance ladder",
        columns=["tolerance (Å)", "group", "point-group order", "operations", "max displacement (Å)"],
        rows=rows,
        highlight=frozenset(hl),
        note=(f"highlighted: the approximate symmetry (highest group within --max-displacement"
              f"{f' = {r.max_displacement_allowed_A:g} Å' if r.max_displacement_allowed_A is not None else ''})") if hl else None,
    )
    plot = PlotBlock(
        title="Tolerance ladder",
        kind="ladder",
        data={"tolerance_A": [s.tolerance_A for s in r.ladder], "group": [s.group for s in r.ladder],
              "number": [s.number for s in r.ladder], "order": [s.point_group_order for s in r.ladder],
              "max_displacement_A": [s.max_displacement_A for s in r.ladder], "structure": _name(r)},
    )
    return [table, plot]


def sections_for_detect(report: DetectReport) -> list[Section]:
    out = [Section(title="Summary", blocks=[summary_table(report)])]
    for r in report.results:
        if r.error:
            continue
        out.append(_crystal_section(r) if r.crystal else _molecule_section(r))
        if r.parent or r.character_table:
            from symbreak_cli.render.parent import parent_sections

            out.extend(parent_sections(r))
    return out
