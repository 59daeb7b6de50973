"""``train-relaxed --model gconv`` end to end: the JSON report validates against the schema,
resume continues the run, plots are written, bad input is a one-line error.
"""

import json

from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.io.fields import write_fields
from symbreak_cli.io.h5 import write_pairs
from symbreak_cli.testing import validate_report
from symbreak_cli.train.sample_data import square_images


def test_cli_report_validates_and_resumes(tmp_path):
    data = tmp_path / "rect.h5"
    write_fields(data, *square_images(True, n_samples=12))
    runner = CliRunner()
    args = ["train-relaxed", str(data), "--model", "gconv", "--out", str(tmp_path / "r"), "--json", "-q"]
    res = runner.invoke(app, args + ["--epochs", "4"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert validate_report(doc) == "train"
    g = doc["gconv"]
    assert g["group"] == "C4" and g["elements"][0] == "1" and len(g["layers"][0]["weights"]) == 4
    assert {m["label"] for m in doc["models"]} == {"relaxed", "equivariant"}
    assert any(f.endswith(".png") for f in doc["files"])
    res = runner.invoke(app, args + ["--epochs", "6", "--resume"])
    assert res.exit_code == 0, res.output
    assert {m["label"]: m["epochs_run"] for m in json.loads(res.stdout)["models"]} == {"relaxed": 6, "equivariant": 6}


def test_cli_errors_are_one_line(tmp_path):
    runner = CliRunner()
    fields = tmp_path / "f.h5"
    write_fields(fields, *square_images(False, n_samples=4))
    pairs = tmp_path / "p.h5"
    write_pairs(pairs, [[[0.0, 0, 0], [1, 0, 0]]], [[[0.0, 0, 0], [1, 0, 0]]])
    cases = [([str(fields)], "--model gconv"), ([str(pairs), "--model", "gconv"], "missing group /fields"),
             ([str(fields), "--model", "gconv", "--group", "O"], "--group O does not act on a 2D grid")]
    for k, (args, msg) in enumerate(cases):
        res = runner.invoke(app, ["train-relaxed", *args, "--epochs", "2", "--out", str(tmp_path / f"o{k}")])
        assert res.exit_code == 1 and msg in res.stderr, res.output
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
