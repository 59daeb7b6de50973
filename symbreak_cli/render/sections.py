"""Renderer-neutral report content: every report kind becomes a list of :class:`Section`.

One function per kind (``sections_for_<kind>``) turns a report model into sections; the
rich, Markdown and HTML renderers only know sections. So the terminal table and the HTML
table come from one place, and a new report kind (or a new part of one) adds a section
without touching the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


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
    """A plot drawn by ``symbreak_cli.render.plots.<kind>(data) -> matplotlib Figure``.

    Only the HTML renderer (and ``--plots`` writers) draw it; terminals skip it.
    """

    title: str
    kind: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[TableBlock | PlotBlock] = field(default_factory=list)
    text: str | None = None


# schema kind -> function(report_model) -> list[Section]; registered lazily by module path
_SECTION_BUILDERS: dict[str, tuple[str, str]] = {
    "detect": ("symbreak_cli.render.detect", "sections_for_detect"),
    "train": ("symbreak_cli.render.train", "sections_for_train"),
}


def sections_for(kind: str, report: Any) -> list[Section]:
    import importlib

    module, name = _SECTION_BUILDERS[kind]
    fn: Callable[[Any], list[Section]] = getattr(importlib.import_module(module), name)
    return fn(report)


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
