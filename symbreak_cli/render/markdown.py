"""GitHub-flavoured Markdown from a report's sections (for a lab notebook or an issue).

Tables become GFM pipe tables (``|`` and other inline markup escaped, highlighted rows
in bold, numeric columns right-aligned); plots become a one-line note, or image links
when ``plot_dir`` is given and the PNGs are written there.

>>> from symbreak_cli.render.sections import Section, TableBlock
>>> print(table_markdown(TableBlock("t", ["irrep", "χ(E)"], [["A1g", "1"], ["Eg", "2"]], frozenset({1}))))
**t**
<BLANKLINE>
| irrep | χ(E) |
| --- | ---: |
| A1g | 1 |
| **Eg** | **2** |
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, sections_for

_INLINE = re.compile(r"([\\`*|\[\]]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_NUMERIC = re.compile(r"^[−+-]?(\d+(\.\d*)?|\.\d+)([eE][−+-]?\d+)?\s*%?$")


def escape(text: Any) -> str:
    """Escape a table cell: Markdown inline markup, ``|``, HTML, and newlines (→ ``<br>``)."""
    s = _INLINE.sub(lambda m: "\\" + m.group(0), str(text))
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(part.strip() for part in s.splitlines()) if "\n" in s else s


def is_numeric(cell: str) -> bool:
    return bool(_NUMERIC.match(cell.strip()))


def _numeric_columns(block: TableBlock) -> list[bool]:
    out = []
    for j in range(len(block.columns)):
        cells = [r[j] for r in block.rows if j < len(r) and str(r[j]).strip() not in ("", "—", "-")]
        out.append(bool(cells) and all(is_numeric(str(c)) for c in cells))
    return out


def table_markdown(block: TableBlock) -> str:
    """One table block as a titled GFM table with its note underneath."""
    ncol = len(block.columns)
    lines = []
    if block.title:
        lines += [f"**{escape(block.title)}**", ""]
    lines.append("| " + " | ".join(escape(c) for c in block.columns) + " |")
    lines.append("| " + " | ".join("---:" if num else "---" for num in _numeric_columns(block)) + " |")
    for i, row in enumerate(block.rows):
        cells = [escape(c) for c in list(row)[:ncol]] + [""] * (ncol - len(row))
        if i in block.highlight:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    if block.note:
        lines += ["", f"_{escape(block.note)}_"]
    return "\n".join(lines)


def plot_markdown(block: PlotBlock, image: str | None = None) -> str:
    """A plot as an image link (when it was written to ``image``) or a one-line note."""
    if image:
        return f"![{escape(block.title)}]({image})"
    return f"> Plot: {escape(block.title)} (see `symbreak report --format html`)"


def header_markdown(kind: str, report: Any) -> str:
    """Title line and a one-line provenance note (schema, version, time, command)."""
    prov = getattr(report, "provenance", None)
    bits = [f"`{getattr(report, 'schema_id', kind)}`", f"symbreak {getattr(report, 'symbreak_version', '?')}"]
    if prov is not None:
        bits.append(prov.created)
        bits.append(f"`{prov.command.replace('`', chr(39))}`")
    return f"# symbreak {kind} report\n\n_{' · '.join(bits)}_"


def summary_first(sections: list[Section]) -> list[Section]:
    """The sections with the one titled 'Summary' moved to the front (stable otherwise)."""
    return sorted(sections, key=lambda s: s.title.strip().lower() != "summary")


def sections_markdown(sections: list[Section], plot_images: dict[int, str] | None = None) -> str:
    """Render sections; ``plot_images`` maps ``id(block)`` to an image path to link."""
    parts: list[str] = []
    for section in sections:
        parts.append(f"## {escape(section.title)}")
        if section.text:
            parts.append(section.text.strip())
        for block in section.blocks:
            if isinstance(block, TableBlock):
                parts.append(table_markdown(block))
            elif isinstance(block, PlotBlock):
                parts.append(plot_markdown(block, (plot_images or {}).get(id(block))))
    return "\n\n".join(parts)


def render_markdown(kind: str, report: Any, *, plot_dir: str | Path | None = None) -> str:
    """The whole report as GitHub-flavoured Markdown.

    Parameters
    ----------
    kind
        Report kind (a key of :data:`symbreak_cli.results.registry.REPORT_KINDS`).
    report
        The validated report model.
    plot_dir
        If given, every plot is written there as PNG and linked (path relative to the
        Markdown file's folder is the caller's business; the link is the path as given).
    """
    sections = summary_first(sections_for(kind, report))
    images: dict[int, str] = {}
    if plot_dir is not None:
        from symbreak_cli.render.plots import slug, write_plot

        plots = [b for s in sections for b in s.blocks if isinstance(b, PlotBlock)]
        for i, block in enumerate(plots, 1):
            path = Path(plot_dir) / f"{i:02d}-{slug(block.title)}.png"
            write_plot(block.kind, block.data, path)
            images[id(block)] = path.as_posix()
    return header_markdown(kind, report) + "\n\n" + sections_markdown(sections, images) + "\n"
