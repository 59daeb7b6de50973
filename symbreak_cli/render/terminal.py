"""Render reports: load any JSON report, and draw its sections with rich.

Markdown and HTML live in ``markdown.py`` and ``html.py``; all three render the same
:class:`~symbreak_cli.render.sections.Section` list, so their content cannot drift apart.
"""

from __future__ import annotations

import json
import re
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


#: a token (word, symbol, or a run of numbers such as fractional coordinates) up to this long
#: is never broken across lines; a longer one (a long path in a message) may fold
MAX_TOKEN = 24
_NUMBER = r"[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBERS = re.compile(rf"^{_NUMBER}(?:\s+{_NUMBER})*$")
_BLANK = ("", "—", "-", "∞")


def _tokens(cell: str) -> list[str]:
    """What must stay on one line: a cell of numbers whole ('0.0000 0.5000 0.2500'), else each word."""
    text = cell.strip()
    return [text] if _NUMBERS.match(text) else text.split()


def _is_numeric(cells: list[str]) -> bool:
    return any(_NUMBERS.match(c.strip()) for c in cells) and \
        all(_NUMBERS.match(c.strip()) or c.strip() in _BLANK for c in cells)


def _least(header: str, cells: list[str]) -> int:
    """The narrowest a column may be: its longest token (header words included), at most
    :data:`MAX_TOKEN`; a numeric column at least as wide as its widest cell, so its numbers
    never wrap.
    """
    longest = max((len(t) for c in [header, *cells] for t in _tokens(c)), default=1)
    if _is_numeric(cells):
        longest = max(longest, max(len(c.strip()) for c in cells))
    return max(1, min(longest, MAX_TOKEN))


def column_widths(block: TableBlock, width: int) -> list[int] | None:
    """Content widths of the columns so the table fits ``width`` terminal columns without
    breaking a token; None when every cell fits on one line anyway (rich lays it out).

    Each column gets its minimum (:func:`_least`) and the rest of the room in proportion to
    what it still lacks of its natural width; when even the minimums do not fit, text
    columns give way first, then all (never below 4).
    """
    n = len(block.columns)
    cols = [[row[j] for row in block.rows if j < len(row)] for j in range(n)]
    natural = [max((len(line) for c in [h, *cells] for line in (c.splitlines() or [""])), default=1)
               for h, cells in zip(block.columns, cols)]
    room = width - 3 * n - 1  # one space each side of a cell and a rule between/around them
    if sum(natural) <= room:
        return None
    least = [min(_least(h, cells), nat) for h, cells, nat in zip(block.columns, cols, natural)]
    numeric = [_is_numeric(cells) for cells in cols]
    widths = list(least)
    for keep_numbers in (True, False):  # too narrow for whole tokens: the widest text columns give way
        for _ in range(max(0, sum(widths) - room)):
            flexible = [j for j in range(n) if widths[j] > 4 and not (keep_numbers and numeric[j])]
            if not flexible:
                break
            widths[max(flexible, key=lambda k: widths[k])] -= 1
    body = [max([w, *(len(line) for c in cells for line in (c.splitlines() or [""]))]) for w, cells in zip(least, cols)]
    for target in (body, natural):  # the cells' room first, then the headers'
        _grow(widths, target, room)
    return widths


def _grow(widths: list[int], target: list[int], room: int) -> None:
    """Widen ``widths`` toward ``target`` within ``room`` by water-filling: columns that lack
    less than an equal share get all they lack (short columns end up on one line), the
    others share what is left equally.
    """
    extra = room - sum(widths)
    open_ = [j for j in range(len(widths)) if target[j] > widths[j]]
    while extra > 0 and open_:
        share = extra // len(open_)
        done = [j for j in open_ if target[j] - widths[j] <= share]
        if not done:
            for k, j in enumerate(sorted(open_, key=lambda j: target[j] - widths[j])):
                widths[j] += share + (1 if k >= len(open_) - extra % len(open_) else 0)
            return
        for j in done:
            extra -= target[j] - widths[j]
            widths[j] = target[j]
        open_ = [j for j in open_ if j not in done]


def _rich_table(block: TableBlock, width: int | None = None):
    """The rich Table of a block; with ``width`` (the console's) the columns are sized by
    :func:`column_widths` so no token is broken; numeric columns are right-aligned.
    """
    from rich.table import Table

    t = Table(title=block.title, caption=block.note, title_justify="left", show_lines=False)
    widths = column_widths(block, width) if width else None
    for j, c in enumerate(block.columns):
        cells = [row[j] for row in block.rows if j < len(row)]
        t.add_column(c, overflow="fold", justify="right" if _is_numeric(cells) else "left",
                     width=None if widths is None else widths[j])
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
                console.print(_rich_table(block, console.width))
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
