"""Terminal tables at 80 and 160 columns: every line fits, no token (word, symbol, number,
run of coordinates) is broken across lines, numbers right-aligned — for the detect tables of
crystals, slabs, disordered crystals, molecules, ladders, parents and errors.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from symbreak_cli.render.sections import TableBlock, sections_for
from symbreak_cli.render.terminal import MAX_TOKEN, _rich_table, _tokens, column_widths, render_rich
from symbreak_cli.workflows.detect import DetectOptions, detect_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def reports():
    s = ROOT / "sample_data"
    long_dir = "/data/projects/a-rather-long-directory-name/with/many/levels"
    return [
        detect_files([str(s / "SrTiO3_I4mcm.cif"), str(s / "NH3.xyz"), f"{long_dir}/missing_structure_file.cif",
                      str(ROOT / "tests/symmetry/layer_data/MoS2_p-6m2.extxyz"),
                      str(ROOT / "tests/io/disorder_data/SrYCoO_I4mmm_srycoo.cif")],
                     DetectOptions(ladder_steps=6)),
    ]


def _render(block: TableBlock, width: int) -> list[str]:
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, highlight=False).print(_rich_table(block, width))
    return buf.getvalue().splitlines()


def _whole(token: str, lines: list[str]) -> int:
    return sum(line.count(token) for line in lines)


@pytest.mark.parametrize("width", [80, 160])
def test_no_token_split_and_every_line_fits(reports, width):
    checked = 0
    for report in reports:
        whole = io.StringIO()
        render_rich("detect", report, Console(file=whole, width=width, color_system=None, highlight=False))
        assert max(len(line) for line in whole.getvalue().splitlines()) <= width
        for section in sections_for("detect", report):
            for block in section.blocks:
                if not isinstance(block, TableBlock):
                    continue
                lines = _render(block, width)
                assert max(len(line) for line in lines) <= width, block.title
                cells = [*block.columns, *(c for row in block.rows for c in row)]
                wanted: dict[str, int] = {}
                for cell in cells:
                    for token in _tokens(cell):
                        if len(token) <= MAX_TOKEN:
                            wanted[token] = wanted.get(token, 0) + 1
                for token, n in wanted.items():  # each occurrence whole on one line
                    assert _whole(token, lines) >= n, f"{token!r} split in {block.title!r} at width {width}"
                checked += 1
    assert checked >= 8  # summary, errors, warnings, space group, Wyckoff, ladder, layer group, point group …


def test_numbers_keep_their_width_and_align_right():
    block = TableBlock(title="t", columns=["representative (frac.)", "note"],
                       rows=[["0.2408 0.2592 0.0000", "a long explanation " * 6], ["0.5 0.5 0.5", "short"]])
    widths = column_widths(block, 60)
    assert widths[0] >= len("0.2408 0.2592 0.0000") and sum(widths) + 3 * 2 + 1 <= 60
    lines = _render(block, 60)
    assert any("0.2408 0.2592 0.0000" in line for line in lines)
    row = next(line for line in lines if "0.5 0.5 0.5" in line)
    assert row.index("0.5 0.5 0.5") + len("0.5 0.5 0.5") == row.index("│", 1) - 1  # right-aligned


def test_plain_rich_layout_would_split_tokens():
    """The negative control: rich left to itself folds words letter by letter here."""
    block = TableBlock(title="t", columns=["file", "formula", "group", "approx. (Å)", "error"],
                       rows=[["perovskit…P4mbm.cif", "O12Sr4Ti4", "I4/mcm (140)", "Pm-3m ≤ 0.0715",
                              "could not be analysed (AttributeError: something long happened here)"]])
    plain = Table(title="t")
    for c in block.columns:
        plain.add_column(c, overflow="fold")
    plain.add_row(*block.rows[0])
    buf = io.StringIO()
    Console(file=buf, width=80, color_system=None).print(plain)
    assert not all(_whole(t, buf.getvalue().splitlines()) for c in block.rows[0] for t in _tokens(c))
    ours = _render(block, 80)
    assert all(_whole(t, ours) for c in block.rows[0] for t in _tokens(c))
