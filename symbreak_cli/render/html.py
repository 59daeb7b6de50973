"""One self-contained HTML page from a report's sections.

The page opens offline and loads nothing: CSS is inline, plots are inline SVG (base64
PNG for dense ones, or on request), there is no script at all, and a Content-Security-Policy forbids every
fetch, so a stray URL could not leak a request either. Layout: a masthead (kind,
inputs, schema, time), the summary, a contents list, one ``<section>`` per
:class:`~symbreak_cli.render.sections.Section`, and provenance folded at the end.
Highlighted table rows (e.g. the irreps that can carry the breaking) get
``class="hl"``: tinted, bold and marked at the left edge.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import PurePath
from typing import Any, Literal

from symbreak_cli.errors import SymbreakError
from symbreak_cli.render.markdown import is_numeric, summary_first
from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, sections_for

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CSS = """
:root{--ink:#1d2733;--muted:#5c6b78;--line:#dfe4ea;--soft:#f5f7fa;--accent:#1f5f99;
--hl:#fff1c2;--hl-edge:#d99a00}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--ink);font:15px/1.55 -apple-system,"Segoe UI",
"Helvetica Neue",Arial,"Noto Sans","Liberation Sans","DejaVu Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 32px 48px}
header.mast{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:20px}
header.mast .kicker{color:var(--accent);font-weight:600;letter-spacing:.08em;
text-transform:uppercase;font-size:12px}
header.mast h1{font-size:26px;line-height:1.25;margin:4px 0 8px;font-weight:650}
.meta{display:flex;flex-wrap:wrap;gap:6px 18px;color:var(--muted);font-size:13px;margin:0}
.meta b{color:var(--ink);font-weight:600}
code,.mono{font-family:"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.9em}
nav.toc{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13.5px;margin:4px 0 22px;color:var(--muted)}
nav.toc a{color:var(--accent);text-decoration:none}
nav.toc a:hover{text-decoration:underline}
section{margin:0 0 30px}
section h2{font-size:19px;margin:0 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
section.summary{background:var(--soft);border:1px solid var(--line);border-radius:8px;
padding:16px 20px 6px}
section.summary h2{border:0;padding:0}
p.text{margin:0 0 12px;white-space:pre-line}
figure{margin:0 0 20px}
figcaption{font-weight:600;font-size:14px;margin:0 0 6px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:13.5px;font-variant-numeric:tabular-nums;min-width:40%}
th,td{padding:5px 11px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;border-bottom:2px solid #c9d1da}
td.brk{overflow-wrap:anywhere}
td.num,th.num{text-align:right}
tbody tr:nth-child(even) td{background:#fbfcfd}
tr.hl td{background:var(--hl)!important;font-weight:650}
tr.hl td:first-child{box-shadow:inset 4px 0 0 var(--hl-edge)}
p.note{color:var(--muted);font-size:12.5px;margin:6px 0 0}
.swatch{display:inline-block;width:11px;height:11px;background:var(--hl);
border-left:4px solid var(--hl-edge);vertical-align:-1px;margin-right:6px}
figure.plot svg,figure.plot img{display:block;width:100%;height:auto}
p.missing{color:var(--muted);font-style:italic}
details.prov{margin-top:36px;font-size:13px;color:var(--muted)}
details.prov summary{cursor:pointer;font-weight:600}
details.prov table{margin-top:8px;font-size:12.5px}
footer{margin-top:28px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media (max-width:600px){main{padding:16px 14px 32px}header.mast h1{font-size:21px}}
@media print{main{max-width:none;padding:0}section{break-inside:avoid-page}
details.prov{display:block}nav.toc{display:none}}
"""


def _anchor(title: str, used: set[str]) -> str:
    base = "s-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section")
    a, n = base, 2
    while a in used:
        a, n = f"{base}-{n}", n + 1
    used.add(a)
    return a


def _td_class(cell: str, numeric: bool) -> str:
    # long unbreakable tokens (paths, hashes) may wrap anywhere; words never do
    cls = ["num"] if numeric else []
    if any(len(tok) > 24 for tok in cell.split()):
        cls.append("brk")
    return f' class="{" ".join(cls)}"' if cls else ""


def table_html(block: TableBlock) -> str:
    """A table block as ``<figure>`` with caption, header, highlighted rows and note."""
    ncol = len(block.columns)
    numeric = []
    for j in range(ncol):
        cells = [str(r[j]).strip() for r in block.rows if j < len(r)]
        cells = [c for c in cells if c not in ("", "—", "-")]
        numeric.append(bool(cells) and all(is_numeric(c) for c in cells))
    head = "".join(f'<th{" class=num" if numeric[j] else ""} scope="col">{escape(str(c))}</th>'
                   for j, c in enumerate(block.columns))
    body = []
    for i, row in enumerate(block.rows):
        cells = [str(c) for c in list(row)[:ncol]] + [""] * (ncol - len(row))
        tds = "".join(f"<td{_td_class(c, numeric[j])}>{escape(c)}</td>" for j, c in enumerate(cells))
        body.append(f"<tr class=hl>{tds}</tr>" if i in block.highlight else f"<tr>{tds}</tr>")
    cap = f"<figcaption>{escape(block.title)}</figcaption>" if block.title else ""
    note = ""
    if block.note or block.highlight:
        swatch = '<span class="swatch" title="highlighted rows"></span>' if block.highlight else ""
        note = f'<p class="note">{swatch}{escape(block.note or "highlighted rows")}</p>'
    return (f'<figure class="table">{cap}<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>{note}</figure>')


SVG_LIMIT = 100_000  # characters; beyond it (dense meshes) a PNG is smaller and faster


def plot_html(block: PlotBlock, fmt: Literal["auto", "svg", "png"] = "auto") -> str:
    """A plot block drawn by :func:`symbreak_cli.render.plots.make_figure`, inlined.

    ``auto``: inline SVG (sharp, text searchable) unless it is longer than
    :data:`SVG_LIMIT`, then base64 PNG.

    A plot kind this version cannot draw (a report from a newer symbreak) becomes a
    visible note instead of an error, so the rest of the report still renders.
    """
    from symbreak_cli.render.plots import figure_to_png_base64, figure_to_svg, make_figure

    cap = f"<figcaption>{escape(block.title)}</figcaption>"
    try:
        fig = make_figure(block.kind, block.data)
    except SymbreakError as err:
        return f'<figure class="plot">{cap}<p class="missing">plot not drawn: {escape(str(err))}</p></figure>'
    # fill the column, but never blow a small figure up past 1.3x its drawn size
    style = f'style="max-width:{fig.get_figwidth() * 96 * 1.3:.0f}px"'
    svg = figure_to_svg(fig) if fmt != "png" else ""
    if fmt == "png" or (fmt == "auto" and len(svg) > SVG_LIMIT):
        img = f'<img alt="{escape(block.title)}" {style} src="data:image/png;base64,{figure_to_png_base64(fig)}">'
    else:
        img = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(block.title)}" {style} ', 1)
    return f'<figure class="plot" data-kind="{escape(block.kind)}">{cap}{img}</figure>'


def section_html(section: Section, anchor: str, plots: Literal["auto", "svg", "png"] = "auto") -> str:
    cls = ' class="summary"' if section.title.strip().lower() == "summary" else ""
    parts = [f'<section id="{anchor}"{cls}><h2>{escape(section.title)}</h2>']
    if section.text:
        parts.append(f'<p class="text">{escape(section.text.strip())}</p>')
    for block in section.blocks:
        if isinstance(block, TableBlock):
            parts.append(table_html(block))
        elif isinstance(block, PlotBlock):
            parts.append(plot_html(block, plots))
    parts.append("</section>")
    return "\n".join(parts)


def _masthead(kind: str, report: Any) -> tuple[str, str]:
    """(page title, masthead HTML)."""
    inputs = getattr(report, "inputs", None)
    files = [PurePath(f.path).name or f.path for f in inputs.files] if inputs is not None else []
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    title = f"symbreak {kind} report" + (f" — {shown}" if shown else "")
    prov = getattr(report, "provenance", None)
    meta = [f"<span><b>schema</b> <code>{escape(str(getattr(report, 'schema_id', kind)))}</code></span>",
            f"<span><b>symbreak</b> {escape(str(getattr(report, 'symbreak_version', '?')))}</span>"]
    if prov is not None:
        meta.append(f"<span><b>created</b> {escape(prov.created)}</span>")
        if prov.wall_time_s is not None:
            meta.append(f"<span><b>wall time</b> {prov.wall_time_s:.3g} s</span>")
        if prov.device:
            meta.append(f"<span><b>device</b> {escape(prov.device)}</span>")
    h1 = escape(shown) if shown else f"{escape(kind)} report"
    mast = (f'<header class="mast"><div class="kicker">symbreak · {escape(kind)} report</div>'
            f'<h1>{h1}</h1><p class="meta">{"".join(meta)}</p></header>')
    return title, mast


def _provenance(report: Any) -> str:
    rows: list[tuple[str, str]] = []
    prov = getattr(report, "provenance", None)
    if prov is not None:
        rows += [("command", prov.command), ("created", prov.created), ("python", prov.python),
                 ("platform", prov.platform)]
        rows += [(f"{k} version", v) for k, v in prov.versions.items()]
        if prov.device:
            rows.append(("device", prov.device))
    inputs = getattr(report, "inputs", None)
    if inputs is not None:
        rows += [(f"input {f.path}", f"sha256 {f.sha256}" if f.sha256 else "—") for f in inputs.files]
        rows += [(f"option {k}", str(v)) for k, v in inputs.options.items()]
    if not rows:
        return ""
    trs = "".join(f"<tr><th scope=row>{escape(k)}</th><td class=mono>{escape(v)}</td></tr>" for k, v in rows)
    return ('<details class="prov"><summary>Provenance and inputs</summary>'
            f'<div class="scroll"><table>{trs}</table></div></details>')


def render_html(kind: str, report: Any, *, plots: Literal["auto", "svg", "png"] = "auto") -> str:
    """The whole report as one self-contained HTML document.

    Parameters
    ----------
    kind
        Report kind (a key of :data:`symbreak_cli.results.registry.REPORT_KINDS`).
    report
        The validated report model.
    plots
        ``"auto"`` (default: inline SVG, base64 PNG for very dense figures), ``"svg"``
        (always inline vector) or ``"png"`` (always base64 PNG ``<img>``).
    """
    sections = summary_first(sections_for(kind, report))
    used: set[str] = set()
    anchors = [_anchor(s.title, used) for s in sections]
    title, mast = _masthead(kind, report)
    toc = ""
    if len(sections) > 2:
        links = "".join(f'<a href="#{a}">{escape(s.title)}</a>' for s, a in zip(sections, anchors))
        toc = f'<nav class="toc" aria-label="contents">{links}</nav>'
    body = [section_html(s, a, plots) for s, a in zip(sections, anchors)]
    if sections and toc:  # contents after the summary, so the answer is the first thing seen
        body.insert(1 if sections[0].title.strip().lower() == "summary" else 0, toc)
    version = escape(str(getattr(report, "symbreak_version", "")))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="symbreak {version}">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{mast}\n" + "\n".join(body) + "\n" + _provenance(report)
        + f"\n<footer>Made by symbreak {version} · self-contained page: no scripts, no network.</footer>\n"
        "</main>\n</body>\n</html>\n"
    )
