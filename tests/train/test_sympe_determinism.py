"""Determinism of the SymPE commands (issue 16 item 3): the same ``train-relaxed --sympe``
and ``break --model RUN --samples N`` command with the same seed writes byte-identical
JSON on the CPU, apart from the provenance block (times, host, paths); another seed
changes it (negative control: the comparison can fail).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.io.h5 import write_pairs
from symbreak_cli.train.sample_data import square_vertices, stretched_copies

runner = CliRunner()


def run(*args) -> str:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.stderr
    return r.stdout


def without_provenance(text: str) -> str:
    """The JSON text with its provenance block removed, keys in the order written."""
    doc = json.loads(text)
    assert "provenance" in doc
    doc.pop("provenance")
    return json.dumps(doc, ensure_ascii=False)


@pytest.fixture(scope="module")
def square(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sympe_det")
    return write_pairs(tmp / "square.h5", *stretched_copies(square_vertices(), (0, 1), n=12, seed=1)[:2])


def _train(square, seed, name="run"):
    out = square.parent / name
    return run("train-relaxed", square, "--sympe", "--noise", "--restarts", 2, "--epochs", 10, "--seed", seed,
               "--out", out, "--force", "--json", "--quiet", "--device", "cpu"), out


@pytest.fixture(scope="module")
def trained(square):
    first, out = _train(square, 3)
    return first, (out / "report.json").read_text(), out


def test_train_sympe_same_seed_same_json(square, trained):
    first, report, out = trained
    second, _ = _train(square, 3)  # the same command again (--force: over the same run directory)
    assert without_provenance(first) == without_provenance(second)
    assert without_provenance(report) == without_provenance((out / "report.json").read_text())
    other, _ = _train(square, 4, "other")
    assert without_provenance(other) != without_provenance(first)


def test_break_with_model_same_seed_same_json(trained, tmp_path):
    out = trained[2]
    xyz = tmp_path / "sq.xyz"
    xyz.write_text("4\nsquare\n" + "".join(f"C {x} {y} 0.0\n" for x, y in [(0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5), (0.5, -0.5)]))
    args = ["break", xyz, "--model", out, "--samples", 40, "--out", tmp_path / "d", "--force", "--json"]
    first = run(*args)
    files = {p.name: p.read_bytes() for p in (tmp_path / "d").glob("sample_*.xyz")}
    second = run(*args)
    assert without_provenance(first) == without_provenance(second)
    assert files == {p.name: p.read_bytes() for p in (tmp_path / "d").glob("sample_*.xyz")} and len(files) == 40
    other = run(*args[:-4], "--out", tmp_path / "e", "--seed", 1, "--json")
    assert without_provenance(other) != without_provenance(first)
