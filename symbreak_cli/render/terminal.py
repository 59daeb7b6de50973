"""Render reports: load any JSON report, and draw its sections with rich.

Markdown and HTML live in ``markdown.py`` and ``html.py``; all three render the same
:class:`~symbreak_cli.render.sections.Section` list, so their content cannot drift apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from symbreak_cli.errors import InputError
from symbreak_cli.results.base import ReportBase
from symbreak_cli.results.registry import kind_of_schema_id
from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, sections_for


def parse_schema_id(schema_id: Any, source: str) -> tuple[str, int]:
    """'symbreak.detect/1' -> ('detect', 1); a clear error for anything else
    (see :func:`symbreak_cli.results.registry.kind_of_schema_id`).
    """
    entry = kind_of_schema_id(schema_id, source)
    return entry.name, entry.major


def load_report(source: str) -> tuple[str, ReportBase]:
    """Read a report from a path or '-' (stdin) and validate it against its model."""
    from pydantic import ValidationError

    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(source, encoding="utf-8") as fh:
                text = fh.read()
        except FileNotFoundError:
            raise InputError("no such file", path=source) from None
        except IsADirectoryError:
            raise InputError("is a directory, not a JSON report", path=source) from None
        except PermissionError:
            raise InputError("cannot be read (permission denied)", path=source) from None
        except UnicodeDecodeError as err:
            raise InputError(f"is not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset {err.start}); "
                             "expected a JSON report", path=source) from None
    if not text.strip():
        raise InputError("empty input; expected a JSON report", path=source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not JSON ({err.msg} at line {err.lineno})", path=source) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to be a report", path=source) from None
    if not isinstance(data, dict):
        raise InputError("not a symbreak report (top level is not an object)", path=source)
    entry = kind_of_schema_id(data.get("schema"), source)
    kind = entry.name
    try:
        model = entry.load().model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise InputError(f"invalid {kind} report at '{loc}': {first['msg']}", path=source) from None
    return kind, model


def _rich_table(block: TableBlock):
    from rich.table import Table

    t = Table(title=block.title, caption=block.note, title_justify="left", show_lines=False)
    for c in block.columns:
        t.add_column(c, overflow="fold")
    for i, row in enumerate(block.rows):
        t.add_row(*row, style="bold yellow" if i in block.highlight else None)
    return t


def render_rich(kind: str, report: ReportBase, console) -> None:
    """Print a report's sections as rich tables (plots are skipped in a terminal)."""
    from rich.rule import Rule

    for section in sections_for(kind, report):
        console.print(Rule(section.title, align="left"))
        if section.text:
            console.print(section.text)
        for block in section.blocks:
            if isinstance(block, TableBlock):
                console.print(_rich_table(block))
            elif isinstance(block, PlotBlock):
                console.print(f"[dim](plot: {block.title} — see --format html)[/dim]")


def render_to_string(kind: str, report: ReportBase, fmt: str) -> str:
    """Render to 'markdown', 'html', 'json' or 'table' (plain-text rich) as a string
    (:data:`symbreak_cli.render.REPORT_FORMATS`).
    """
    if fmt == "json":
        return report.to_json()
    if fmt == "markdown":
        from symbreak_cli.render.markdown import render_markdown

        return render_markdown(kind, report)
    if fmt == "html":
        from symbreak_cli.render.html import render_html

        return render_html(kind, report)
    if fmt == "table":
        from io import StringIO

        from rich.console import Console

        buf = StringIO()
        render_rich(kind, report, Console(file=buf, width=120, color_system=None))
        return buf.getvalue()
    raise InputError(f"unknown format {fmt!r}")


def sections(kind: str, report: ReportBase) -> list[Section]:
    return sections_for(kind, report)


def write_rendered(path: str | Path, text: str, *, force: bool) -> Path:
    """Write a rendered report atomically; an existing file needs ``force``.

    Raises
    ------
    OutputError
        ``path`` exists and ``force`` is false, or it cannot be written.
    """
    from symbreak_cli.io.files import atomic_write_text, check_writable

    check_writable(path, force)
    return atomic_write_text(path, text, force=force)
