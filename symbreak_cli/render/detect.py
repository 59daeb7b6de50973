"""Sections of a ``symbreak.detect/2`` report (rich, Markdown and HTML all draw these)."""

from __future__ import annotations

import os

from symbreak_cli.results.detect import DetectReport, StructureResult
from symbreak_cli.render.sections import PlotBlock, Section, TableBlock

#: longest file name shown whole in a table cell (longer ones keep their start and end)
MAX_NAME = 20


def short_name(path: str, limit: int = MAX_NAME) -> str:
    """A file's name without its directories, shortened in the middle past ``limit``.

    >>> short_name("/data/run-3/perovskite_a0a0c+_P4mbm.cif")
    'perovskit…P4mbm.cif'
    """
    name = os.path.basename(path.rstrip("/")) or path
    if len(name) <= limit:
        return name
    keep = (limit - 1) // 2
    return f"{name[:keep]}…{name[-keep:]}"


def _name(r: StructureResult) -> str:
    name = short_name(r.path)
    return f"{name} [{r.label}]" if r.label else name


def _distance(x: float | None) -> str:
    """Å, fixed format: displacements and tolerances line up in a column."""
    return "—" if x is None else f"{x:.4f}"


def _brief_error(message: str) -> str:
    """An error for a table cell: paths shown as file names (the JSON keeps them whole)."""
    return " ".join(short_name(w) if _is_path(w) else w for w in message.split())


def _is_path(word: str) -> bool:
    """'/data/x.cif:', './x.cif', 'runs/a/POSCAR-1:' are paths; 'species/occupancy' is not."""
    if "/" not in word or len(word) < 2:
        return False
    return word.startswith(("/", "./", "../", "~/")) or word.endswith(":") or "." in word.rsplit("/", 1)[-1]


def _group(r: StructureResult) -> str:
    """Space group (crystals) or point group (molecules), with its number / HM symbol."""
    if r.crystal:
        return f"{r.crystal.hm_short} ({r.crystal.space_group_number})"
    if r.layer:
        return f"{r.layer.hm_short} (layer {r.layer.layer_group_number})"
    m = r.molecule
    return f"{m.point_group_schoenflies} ({m.point_group_hm})" if m.point_group_hm else m.point_group_schoenflies


def _approx(r: StructureResult) -> str:
    a = r.approximate
    return "—" if a is None else f"{a.group} ≤ {_distance(a.max_displacement_A)}"


_GROUP_NOTE = "group: space group (crystals), layer group (slabs) or point group (molecules)"


def summary_blocks(report: DetectReport) -> list[TableBlock]:
    """One short row per structure (fits 80 columns); failures in a table of their own,
    where the message has the width to wrap between words.
    """
    ok = [r for r in report.results if not r.error]
    bad = [r for r in report.results if r.error]
    blocks = []
    if ok:
        blocks.append(TableBlock(
            title="Symmetry",
            columns=["file", "formula", "atoms", "group", "approx. (Å)"],
            rows=[[_name(r), r.formula or "", str(r.n_atoms), _group(r), _approx(r)] for r in ok],
            note=_GROUP_NOTE + ("; approx.: the highest group reachable moving no atom more than --max-displacement"
                                if any(r.approximate for r in ok) else ""),
        ))
    if bad:
        blocks.append(TableBlock(title="Errors", columns=["file", "error"],
                                 rows=[[_name(r), _brief_error(r.error)] for r in bad],
                                 highlight=frozenset(range(len(bad)))))
    noted = [(r, w) for r in ok for w in r.warnings]
    if noted:
        blocks.append(TableBlock(title="Warnings", columns=["file", "warning"],
                                 rows=[[_name(r), _brief_error(w)] for r, w in noted]))
    return blocks


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
            ["operations", f"{c.n_operations} in the input cell" + (" (listing left out: --no-operations)" if c.operations_omitted else "")],
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
    blocks = [facts, orbits, *_ladder_blocks(r)] + ([] if c.operations_omitted else [ops])
    return Section(title=f"{_name(r)} — {r.formula}", blocks=blocks)


def _layer_section(r: StructureResult) -> Section:
    g = r.layer
    lat = g.lattice
    periodic = ", ".join(a for a in "abc" if a != g.aperiodic_axis)
    facts = TableBlock(
        title="Layer group",
        columns=["property", "value"],
        rows=[
            ["layer group", f"{g.hm_short} (layer group No. {g.layer_group_number})"],
            ["point group", f"{g.point_group_hm} ({g.point_group_schoenflies}), order {g.point_group_order}"],
            ["lattice", f"{g.crystal_system}, {g.lattice_system} 2D lattice; periodic along {periodic}, "
                        f"not along {g.aperiodic_axis}"],
            ["cell (Å, °)", f"a={lat.a_A:.4f} b={lat.b_A:.4f} c={lat.c_A:.4f} α={lat.alpha_deg:.2f} "
                            f"β={lat.beta_deg:.2f} γ={lat.gamma_deg:.2f} ({g.aperiodic_axis}: normal to the layer)"],
            ["operations", f"{g.n_operations}" + (" (listing left out: --no-operations)" if g.operations_omitted else "")],
            ["tolerance", f"symprec {g.symprec_A:g} Å"],
        ],
    )
    orbits = TableBlock(
        title="Wyckoff orbits (layer group)",
        columns=["element", "Wyckoff", "site symmetry", "atoms", "representative (frac.)"],
        rows=[[o.element, f"{o.multiplicity}{o.wyckoff}", o.site_symmetry, _atoms(o.atoms),
               " ".join(f"{x:.4f}" for x in o.representative)] for o in g.wyckoff],
    )
    return Section(title=f"{_name(r)} — {r.formula}", blocks=[facts, orbits, *_ladder_blocks(r)])


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
                     "∞" if s.point_group_order is None else str(s.point_group_order), str(s.n_operations),
                     _distance(s.max_displacement_A)])
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
              "max_displacement_A": [s.max_displacement_A for s in r.ladder], "structure": r.path + (f" [{r.label}]" if r.label else "")},
    )
    return [table, plot]


def sections_for_detect(report: DetectReport) -> list[Section]:
    out = [Section(title="Summary", blocks=summary_blocks(report))]
    for r in report.results:
        if r.error:
            continue
        out.append(_crystal_section(r) if r.crystal else _layer_section(r) if r.layer else _molecule_section(r))
        if r.parent or r.character_table:
            from symbreak_cli.render.parent import parent_sections

            out.extend(parent_sections(r))
        if r.pseudo is not None:
            from symbreak_cli.render.pseudo import pseudo_section

            out.append(pseudo_section(r))
    return out
