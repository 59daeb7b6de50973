"""A single slow file shows its molecule ladder's progress on stderr; stdout stays the answer."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from symbreak_cli.cli import detect as detect_cli
from symbreak_cli.cli.app import app
from symbreak_cli.workflows.detect import DetectOptions, detect_files, structure_progress


def test_every_ladder_step_is_reported_for_the_structure(sample_dir):
    path = str(sample_dir / "NH3.xyz")
    seen = []
    with structure_progress(lambda p, done, total: seen.append((p, done, total))):
        detect_files([path], DetectOptions(ladder_steps=7))
    assert seen == [(path, k, 7) for k in range(1, 8)]
    seen.clear()
    detect_files([path], DetectOptions(ladder_steps=7))  # outside the context: nobody is called
    assert seen == []


@pytest.mark.parametrize("slow_s, shown", [(0.0, True), (1e9, False)])
def test_progress_on_stderr_only_when_slow_and_never_on_stdout(sample_dir, monkeypatch, slow_s, shown):
    monkeypatch.setattr(detect_cli, "SLOW_S", slow_s)
    out = CliRunner().invoke(app, ["detect", str(sample_dir / "NH3.xyz"), "--json"])
    assert out.exit_code == 0
    assert json.loads(out.stdout)["results"][0]["molecule"]["point_group_schoenflies"] == "C3v"
    assert ("NH3.xyz: ladder 10/10 tolerances" in out.stderr) is shown


def test_quiet_and_batches_show_no_ladder_progress(sample_dir, monkeypatch):
    monkeypatch.setattr(detect_cli, "SLOW_S", 0.0)
    quiet = CliRunner().invoke(app, ["detect", str(sample_dir / "NH3.xyz"), "--json", "--quiet"])
    assert quiet.exit_code == 0 and "ladder" not in quiet.stderr
    two = CliRunner().invoke(app, ["detect", str(sample_dir / "NH3.xyz"), str(sample_dir / "BaTiO3_P4mm.cif"), "--json"])
    assert two.exit_code == 0 and "ladder" not in two.stderr
