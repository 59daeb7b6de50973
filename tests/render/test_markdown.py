"""Markdown rendering: GitHub-flavoured tables from the same sections as the terminal."""

from __future__ import annotations

import pytest

from symbreak_cli.results.base import REPORT_KINDS
from symbreak_cli.render.markdown import escape, render_markdown, table_markdown
from symbreak_cli.render.terminal import render_to_string
from symbreak_cli.render.sections import TableBlock


def _table_rows(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("|")]


def test_escape_pipes_markup_html_and_newlines():
    assert escape("T2g | x") == r"T2g \| x"
    assert escape("a*b_c`d _x_") == r"a\*b_c\`d \_x\_"  # intraword _ is inert in GFM
    assert escape("<b>") == "&lt;b&gt;"
    assert escape("two\nlines") == "two<br>lines"


def test_table_shape_alignment_and_highlight():
    block = TableBlock("Oh", ["irrep", "E", "name"], [["A1g", "1", "x"], ["Eg", "-2", "a|b"], ["T1u", "3"]],
                       highlight=frozenset({1}), note="bold: breaking")
    md = table_markdown(block)
    rows = _table_rows(md)
    assert rows[1] == "| --- | ---: | --- |"  # numeric column right-aligned
    assert rows[3] == r"| **Eg** | **-2** | **a\|b** |"
    assert rows[4] == "| T1u | 3 |  |"  # short rows padded to the header width
    # every row has the header's number of unescaped pipes
    n = rows[0].count("|")
    assert all(r.replace(r"\|", "").count("|") == n for r in rows)
    assert md.startswith("**Oh**") and md.endswith("_bold: breaking_")


def test_demo_report(demo):
    kind, report = demo
    md = render_markdown(kind, report)
    assert md.startswith("# symbreak demo report")
    assert "`symbreak.demo/1`" in md
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads[0] == "## Summary"  # the builder put it second; the summary leads
    assert "| **Eg** |" in md and "| **T1u** |" in md and "| A1g |" in md
    assert r"T2g \| x" in md
    assert "&lt;tetragonal&gt; & friends" in md
    assert md.count("> Plot: ") == 2
    assert render_to_string(kind, report, "markdown") == md


def test_plot_dir_writes_and_links_pngs(demo, tmp_path):
    kind, report = demo
    md = render_markdown(kind, report, plot_dir=tmp_path)
    pngs = sorted(tmp_path.glob("*.png"))
    assert [p.name for p in pngs] == ["01-tolerance-ladder.png", "02-mode-amplitudes.png"]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert f"![Tolerance ladder]({pngs[0].as_posix()})" in md


@pytest.mark.parametrize("kind", sorted(REPORT_KINDS))
def test_real_kinds_render_markdown(report_of, kind):
    report = report_of(kind)
    md = render_markdown(kind, report)
    assert md.startswith(f"# symbreak {kind} report")
    for block_rows in [_table_rows(md)]:
        assert block_rows, "no table rendered"
