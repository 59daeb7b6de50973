"""``train-relaxed --sympe`` end to end and the sampling workflow on its run directory.

Facts checked: the run writes what the report lists and validates against its schema
(train/5 with the ``sympe`` block, every model); --resume of a finished run returns the
same block; sampling a *rotated* square from the run writes one xyz file per draw whose
shapes are the rotated rectangles, two classes, χ² p > 0.01, and the samples report
validates and renders; bad input is one line, exit 1.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.groups import random_o3
from symbreak_cli.io.h5 import write_pairs
from symbreak_cli.testing import validate_report
from symbreak_cli.train.sample_data import STRETCH, square_vertices, stretched_copies

runner = CliRunner()
EPOCHS = 200


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def square_data(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sympe")
    return write_pairs(tmp / "square.h5", *stretched_copies(square_vertices(), (0, 1), n=12, seed=1)[:2])


@pytest.fixture(scope="module")
def square_run(square_data):
    out = square_data.parent / "run"
    r = run("train-relaxed", square_data, "--sympe", "--epochs", EPOCHS, "--lr", 5e-2, "--out", out, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    return square_data, out, json.loads(r.stdout)


def test_train_report_has_the_sympe_block(square_run):
    _, out, doc = square_run
    assert validate_report(doc) == "train" and doc["schema"] == "symbreak.train/5"
    block = doc["sympe"]
    assert block["stabiliser"] == "D4h" and block["stabiliser_order"] == 16
    m = block["models"][0]
    assert m["label"] == "sympe" and m["n_classes"] == 2 and m["chi2"]["p_value"] > 0.01
    assert m["distance_to_training"]["max"] < 0.05
    assert m["equivariance"]["relaxed_max"] < 1e-5 < 0.1 < m["equivariance"]["ordinary_max"]
    assert m["entropy"]["uniform_nats"] == pytest.approx(np.log(16), abs=1e-9)
    assert m["entropy"]["nats"] == pytest.approx(np.log(16), abs=0.1)  # plug-in entropy of 300 uniform draws
    assert doc["restarts"]["n"] == 8 and doc["restarts"]["verdict"] == "2 classes, uniform"  # the default N for SymPE too
    assert all((out / f).is_file() for f in doc["files"])


def test_noise_and_baselines_side_by_side(square_data):
    out = square_data.parent / "all"
    r = run("train-relaxed", square_data, "--sympe", "--noise", "--baseline", "--epochs", 5, "--restarts", 1, "--out", out,
            "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert validate_report(doc) == "train"
    assert [m["label"] for m in doc["models"]] == ["sympe", "noise", "equivariant", "relaxed"]
    by = {m["label"]: m for m in doc["sympe"]["models"]}
    assert by["equivariant"]["n_classes"] == 1  # Curie: the square's symmetry survives, trained or not
    assert by["equivariant"]["equivariance"]["ordinary_max"] < 1e-5
    assert by["noise"]["entropy"]["kind"] == "differential" and by["sympe"]["entropy"]["kind"] == "discrete"
    assert len(doc["theta"]) == 1 and doc["theta"][0]["layer"] == "0"  # the relaxed baseline's θ is read


def test_resume_of_a_finished_run_gives_the_same_block(square_run):
    data, out, doc = square_run
    r = run("train-relaxed", data, "--sympe", "--epochs", EPOCHS, "--out", out, "--resume", "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    again = json.loads(r.stdout)
    assert again["sympe"] == doc["sympe"]
    assert [m["best_val_loss"] for m in again["models"]] == [m["best_val_loss"] for m in doc["models"]]


def test_sampling_a_rotated_square_from_the_run(square_run, tmp_path):
    from symbreak_cli.workflows.sympe_samples import sample_run

    _, out, _ = square_run
    g = random_o3(1, seed=3)[0]
    sq = square_vertices() @ g.T + [1.0, -2.0, 0.5]
    xyz = tmp_path / "square.xyz"
    xyz.write_text("4\nrotated square\n" + "".join(f"C {p[0]:.12f} {p[1]:.12f} {p[2]:.12f}\n" for p in sq))
    report = sample_run(str(xyz), str(out), 200, str(tmp_path / "draws"))
    files = sorted((tmp_path / "draws").glob("sample_*.xyz"))
    assert len(files) == 200
    shapes = np.array([np.loadtxt(f, skiprows=2, usecols=(1, 2, 3)) for f in files])
    local = (shapes - [1.0, -2.0, 0.5]) @ g  # back in the square's own frame
    rect = [square_vertices() * np.where(np.arange(3) == a, STRETCH, 1.0) for a in (0, 1)]
    d = np.stack([np.abs(local - r).max(axis=(1, 2)) for r in rect], axis=1)
    counts = np.bincount(d.argmin(axis=1), minlength=2)
    assert d.min(axis=1).max() < 0.05 and counts.min() > 0
    sympe = report.samples.models[0]
    assert sympe.label == "sympe" and sympe.n_classes == 2 and sympe.chi2.p_value > 0.01
    doc = json.loads((tmp_path / "draws" / "samples.json").read_text())
    assert validate_report(doc) == "samples"
    r = run("report", tmp_path / "draws" / "samples.json")
    assert r.exit_code == 0 and "Symmetry-breaking draws" in r.stdout


def test_errors_are_one_line(square_data, tmp_path):
    data = square_data
    r = run("train-relaxed", data, "--noise", "--out", tmp_path / "x")
    assert r.exit_code == 1 and "--noise" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    traj = tmp_path / "t.h5"
    from symbreak_cli.io.h5 import write_h5md

    write_h5md(traj, np.random.default_rng(0).normal(size=(4, 3, 3)))
    r = run("train-relaxed", traj, "--sympe", "--out", tmp_path / "y")
    assert r.exit_code == 1 and "pairs" in r.stderr and "Traceback" not in r.stderr
    from symbreak_cli.errors import InputError
    from symbreak_cli.workflows.sympe_samples import sample_run

    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "config.json").write_text(json.dumps({"data": str(data)}))
    with pytest.raises(InputError, match="not a train-relaxed --sympe run"):
        sample_run(str(traj), str(plain), 10, str(tmp_path / "z"))


def test_plain_e3nn_pairs_report_has_the_relaxed_error(square_data, tmp_path):
    """The e3nn model's report carries the relaxed error beside the ordinary one (same units);
    the relaxed one minimises over Stab(x) ∋ identity, so it never exceeds the ordinary one."""
    r = run("train-relaxed", square_data, "--epochs", 5, "--out", tmp_path / "e3nn", "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    eq = json.loads(r.stdout)["equivariance"]
    assert eq["relaxed_error_o3"] is not None and 0 <= eq["relaxed_error_o3"] <= eq["point_error_o3"] + 1e-12


def test_break_with_a_model_writes_draws_and_a_break_report(square_run, tmp_path):
    _, out, _ = square_run
    xyz = tmp_path / "sq.xyz"
    xyz.write_text("4\nsquare\n" + "".join(f"C {x} {y} 0.0\n" for x, y in [(0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5), (0.5, -0.5)]))
    r = run("break", xyz, "--model", out, "--samples", 60, "--out", tmp_path / "d", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert validate_report(doc) == "break" and doc["parent_group"] == "D4h" and doc["domains"] == []
    m = doc["samples"]["models"][0]
    assert m["n_samples"] == 60 and m["n_classes"] == 2 and len(m["files"]) == 60
    assert len(list((tmp_path / "d").glob("sample_*.xyz"))) == 60
    r = run("break", xyz, "--model", out, "--samples", 60, "--out", tmp_path / "d")  # files exist: --force needed
    assert r.exit_code == 1 and "exists" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    for args, message in [(["--model", out, "--to", "C4v"], "--to"), (["--samples", 10], "--model"),
                          (["--model", tmp_path], "not a train-relaxed run")]:
        r = run("break", xyz, *args)
        assert r.exit_code == 1 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "Traceback" not in r.stderr
