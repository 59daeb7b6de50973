"""Renderer-neutral report content: every report kind becomes a list of :class:`Section`.

One function per kind (``sections_for_<kind>``, listed in
:data:`symbreak_cli.render.registry.SECTIONS`) turns a report model into sections; the
rich, Markdown and HTML renderers only know sections. So the terminal table and the HTML
table come from one place, and a new report kind (or a new part of one) adds a section
without touching the renderers.

>>> fmt(0.000123), fmt(2.5), fmt(None), fmt(True)
('1.230e-04', '2.5', '—', 'yes')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from symbreak_cli.render.payloads import PlotData


@dataclass(frozen=True)
class TableBlock:
    """A table: ``columns`` header strings, ``rows`` of cell strings.

    ``highlight`` holds row indices to emphasise (e.g. the symmetry-breaking irreps of a
    character table); ``note`` is a caption printed under the table.
    """

    title: str
    columns: list[str]
    rows: list[list[str]]
    highlight: frozenset[int] = frozenset()
    note: str | None = None


@dataclass(frozen=True)
class PlotBlock:
    """A plot: ``kind`` names it in :data:`symbreak_cli.render.registry.PLOTS`, ``data``
    is that kind's payload (a TypedDict of :mod:`symbreak_cli.render.payloads`).

    Only the HTML renderer (and the plot writers) draw it; terminals skip it.
    """

    title: str
    kind: str
    data: PlotData


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[TableBlock | PlotBlock] = field(default_factory=list)
    text: str | None = None


def sections_for(kind: str, report: Any) -> list[Section]:
    """The sections of a report (looked up in :data:`symbreak_cli.render.registry.SECTIONS`)."""
    from symbreak_cli.render.registry import sections_for as lookup  # the registry imports the builders, which import us

    return lookup(kind, report)


def fmt(x: Any, digits: int = 4) -> str:
    """Format a number for a table cell: compact floats, '—' for missing."""
    if x is None:
        return "—"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        if x != 0 and (abs(x) < 1e-3 or abs(x) >= 1e5):
            return f"{x:.{max(digits - 1, 1)}e}"
        return f"{x:.{digits}g}"
    return str(x)
