"""Detect tables read at 80 and at 160 columns: no line longer than the terminal, no word
(file name, group symbol, number) broken across lines, file names without their
directories, no empty column headers.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from symbreak_cli.render.sections import TableBlock, sections_for
from symbreak_cli.render.terminal import _rich_table, render_rich
from symbreak_cli.workflows.detect import DetectOptions, detect_files, parent_request


def _reports(sample_dir):
    yield detect_files([str(sample_dir), "/no/such/dir/file.cif"], DetectOptions(ladder_steps=6))
    yield detect_files([str(sample_dir / "SrTiO3_I4mcm.cif"), str(sample_dir / "perovskite_a0a0c+_P4mbm.cif")],
                       DetectOptions(ladder=False, parent=parent_request(str(sample_dir / "SrTiO3_Pm-3m.cif"), lmax=4)))
    yield detect_files([str(sample_dir / "NH3.xyz")],
                       DetectOptions(ladder=False, parent=parent_request(str(sample_dir / "CH4.xyz"), character_table=True)))


@pytest.fixture(scope="module")
def reports(request):
    from pathlib import Path

    return list(_reports(Path(__file__).resolve().parents[2] / "sample_data"))


@pytest.mark.parametrize("width", [80, 160])
def test_tables_fit_and_no_word_is_split(reports, width):
    for report in reports:
        buf = io.StringIO()
        render_rich("detect", report, Console(file=buf, width=width, color_system=None, highlight=False))
        text = buf.getvalue()
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= width
        for section in sections_for("detect", report):
            for block in section.blocks:
                if not isinstance(block, TableBlock):
                    continue
                assert all(c.strip() for c in block.columns), f"empty header in {block.title!r}"
                one = io.StringIO()  # this table alone: a word found elsewhere in the page proves nothing
                Console(file=one, width=width, color_system=None, highlight=False).print(_rich_table(block))
                table_lines = one.getvalue().splitlines()
                assert max(len(line) for line in table_lines) <= width
                for cell in [*block.columns, *(c for row in block.rows for c in row)]:
                    for word in cell.split():
                        assert any(word in line for line in table_lines), f"{word!r} split at width {width} ({block.title})"


def test_summary_names_files_not_paths(reports):
    summary, errors = sections_for("detect", reports[0])[0].blocks
    assert all("/" not in row[0] for row in summary.rows + errors.rows)
    assert errors.rows[0][0] == "file.cif" and errors.rows[0][1].startswith("file.cif: ") and "/" not in errors.rows[0][1]
