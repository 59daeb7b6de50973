"""`symbreak train-relaxed` as a user runs it: a short run, its plots, and --resume.

The command builds a TrainConfig from its options, passes ``resume=True`` and the plot
writer (``render.train.write_run_plots``) to the workflow, and prints the report; the
workflow reads a resumed run's config.json itself (saved values win, epochs = the larger).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.testing import validate_report

runner = CliRunner()


@pytest.fixture(scope="module")
def prism(tmp_path_factory):
    from symbreak_cli.workflows.sample_data import write_sample_data

    d = tmp_path_factory.mktemp("samples")
    return next(p for p in write_sample_data(d, force=False) if p.name == "cube_to_prism.h5")


def train(*args):
    return runner.invoke(app, ["train-relaxed", *map(str, args), "--json", "-q"])


def test_short_run_prints_one_report_and_writes_its_plots(prism, tmp_path):
    run_dir = tmp_path / "run"
    r = train(prism, "--epochs", "4", "--out", run_dir, "--seed", "1")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)  # stdout is the report and nothing else
    assert validate_report(doc) == "train"
    assert doc["inputs"]["options"]["epochs"] == 4 and doc["inputs"]["options"]["seed"] == 1
    assert [m["epochs_run"] for m in doc["models"]] == [4]
    pngs = [f for f in doc["files"] if f.endswith(".png")]
    assert pngs and all((run_dir / f).stat().st_size > 1000 for f in pngs)  # drawn by the injected plot writer
    assert json.loads((run_dir / "report.json").read_text()) == doc


def test_existing_run_needs_resume_or_force(prism, tmp_path):
    run_dir = tmp_path / "run"
    assert train(prism, "--epochs", "2", "--out", run_dir).exit_code == 0
    r = train(prism, "--epochs", "2", "--out", run_dir)
    assert r.exit_code == 1 and "--resume" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert train(prism, "--epochs", "2", "--out", run_dir, "--force").exit_code == 0


def test_resume_keeps_the_saved_options_and_raises_the_epoch_limit(prism, tmp_path):
    run_dir = tmp_path / "run"
    assert train(prism, "--epochs", "3", "--out", run_dir, "--lr", "0.01").exit_code == 0
    # a different --lr or DATA on resume is an error naming them, not silently ignored
    other = tmp_path / "other.h5"
    other.write_bytes(b"not the same bytes")
    r = train(other, "--epochs", "5", "--out", run_dir, "--lr", "0.5", "--seed", "0", "--resume")
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "--lr 0.5 (the run's: 0.01)" in r.stderr and "DATA" in r.stderr and "--seed" not in r.stderr  # --seed 0 agrees
    # the same options again (or none) resume, and --epochs raises the limit
    r = train(prism, "--epochs", "5", "--out", run_dir, "--lr", "0.01", "--resume")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["inputs"]["options"]["lr"] == 0.01
    assert doc["inputs"]["options"]["epochs"] == 5 and doc["models"][0]["epochs_run"] == 5
