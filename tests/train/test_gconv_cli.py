"""``train-relaxed --model gconv`` end to end: the JSON report validates against the schema,
resume continues the run, plots are written, bad input is a one-line error.
"""

import json

from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.io.fields import write_fields
from symbreak_cli.io.h5 import write_pairs
from symbreak_cli.testing import validate_report
from symbreak_cli.train.config import GCONV_DEFAULTS
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


def test_restarts_agree_on_c2_and_report_the_lowest_loss(tmp_path):
    """Square → rectangle (Wang et al. 2022: C4 broken to C2): the reported restart keeps C2
    and no restart names another group; the reported model is the restart with the lowest
    validation loss, its checkpoint named. The gconv defaults (GCONV_DEFAULTS: 2 restarts)."""
    data = tmp_path / "rect.h5"
    write_fields(data, *square_images(True, seed=1))
    out = tmp_path / "r"
    res = CliRunner().invoke(app, ["train-relaxed", str(data), "--model", "gconv", "--out", str(out), "--json", "-q"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert validate_report(doc) == "train"
    rs, g = doc["restarts"], doc["gconv"]
    assert rs["n"] == GCONV_DEFAULTS["restarts"] == 2 and not rs["vectorised"] and g["kept"]["name"] == "C2"
    # no restart names another group (one that does not fit says so; that is what restarts are for)
    assert all(r["verdict"].startswith("C2 ") or r["verdict"] == "no fit" for r in rs["rows"])
    agreeing = sum(r["verdict"] == g["kept"]["description"] for r in rs["rows"])
    assert rs["verdict"] == g["kept"]["description"] and rs["summary"] == f"{rs['verdict']} in {agreeing}/2"
    rows = rs["rows"]
    best = min(range(2), key=lambda r: rows[r]["best_val_loss"])
    assert [r["reported"] for r in rows] == [r == best for r in range(2)]
    relaxed = next(m for m in doc["models"] if m["label"] == "relaxed")
    assert relaxed["best_val_loss"] == rows[best]["best_val_loss"]
    assert relaxed["checkpoint"] == ("relaxed.pt" if best == 0 else "relaxed-restart1.pt")
    assert all((out / f).exists() for f in ("relaxed.pt", "relaxed-restart1.pt")) and "relaxed-restart1.pt" in doc["files"]


def test_restart_zero_is_the_single_run(tmp_path):
    data = tmp_path / "sq.h5"
    write_fields(data, *square_images(False, n_samples=8))
    docs = []
    for n in (1, 2):
        res = CliRunner().invoke(app, ["train-relaxed", str(data), "--model", "gconv", "--restarts", str(n), "--epochs",
                                       "5", "--out", str(tmp_path / f"r{n}"), "--json", "-q"])
        assert res.exit_code == 0, res.output
        docs.append(json.loads(res.stdout))
    single = next(m for m in docs[0]["models"] if m["label"] == "relaxed")
    assert docs[0].get("restarts") is None
    rows = docs[1]["restarts"]["rows"]
    assert rows[0]["best_val_loss"] == single["best_val_loss"] and rows[0]["seed"] == 0 and rows[1]["seed"] == 7919
