"""`symbreak detect DIR --json / --jsonl` with a broken file among good ones, as a user runs it."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.testing import validate_report

runner = CliRunner()


def _batch(tmp_path, sample_dir):
    for name in ("BaTiO3_P4mm.cif", "NH3.xyz"):
        shutil.copy(sample_dir / name, tmp_path / name)
    (tmp_path / "broken.cif").write_text("data_x\n_cell_length_a 3\n")
    return tmp_path


def test_json_batch_reports_every_file_and_names_errors_on_stderr(tmp_path, sample_dir):
    d = _batch(tmp_path, sample_dir)
    r = runner.invoke(app, ["detect", str(d), "--json", "--no-ladder"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    validate_report(doc)
    res = {x["path"].rsplit("/", 1)[-1]: x for x in doc["results"]}
    assert res["BaTiO3_P4mm.cif"]["crystal"]["hm_short"] == "P4mm"
    assert res["NH3.xyz"]["molecule"]["point_group_schoenflies"] == "C3v"
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"symbreak: error: {d / 'broken.cif'}: ")
    assert "Traceback" not in r.stderr


def test_jsonl_streams_one_valid_report_per_file(tmp_path, sample_dir):
    d = _batch(tmp_path, sample_dir)
    r = runner.invoke(app, ["detect", str(d), "--jsonl", "--no-ladder", "--jobs", "2"])
    assert r.exit_code == 1
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 3
    docs = [json.loads(line) for line in lines]
    for doc in docs:
        assert validate_report(doc) == "detect"
    assert [doc["inputs"]["options"]["index"] for doc in docs] == [0, 1, 2]
    names = [doc["results"][0]["path"].rsplit("/", 1)[-1] for doc in docs]
    assert names == ["BaTiO3_P4mm.cif", "NH3.xyz", "broken.cif"]
    assert docs[0]["results"][0]["crystal"]["space_group_number"] == 99
    assert docs[2]["results"][0]["error"] and "broken.cif" in r.stderr


def test_json_and_jsonl_together_is_a_usage_error(sample_dir):
    r = runner.invoke(app, ["detect", str(sample_dir / "NH3.xyz"), "--json", "--jsonl"])
    assert r.exit_code == 2 and "not both" in r.stderr and r.stdout == ""


def test_a_reader_bug_is_one_line_on_stderr_and_an_entry(tmp_path, sample_dir, monkeypatch):
    import symbreak_cli.io.structures as structures

    d = _batch(tmp_path, sample_dir)
    real = structures.read_structures

    def read(path, *a, **kw):
        if path.endswith("NH3.xyz"):
            raise AttributeError("'NoneType' object has no attribute 'sites'\nsecond line of library text")
        return real(path, *a, **kw)

    monkeypatch.setattr(structures, "read_structures", read)
    r = runner.invoke(app, ["detect", str(d), "--json", "--no-ladder"])
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    doc = json.loads(r.stdout)
    validate_report(doc)
    assert [x["crystal"]["hm_short"] for x in doc["results"] if x["crystal"]] == ["P4mm"]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and any(f"{d / 'NH3.xyz'}: could not be analysed (AttributeError" in ln for ln in lines)
    assert "second line" not in r.stderr


def test_no_operations_keeps_their_number(sample_dir):
    r = runner.invoke(app, ["detect", str(sample_dir / "BaTiO3_P4mm.cif"), "--json", "--no-ladder", "--no-operations"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    validate_report(doc)
    c = doc["results"][0]["crystal"]
    # P4mm in its primitive cell: the 8 operations of point group 4mm, listed only on request
    assert (c["operations"], c["operations_omitted"], c["n_operations"]) == ([], True, 8)
    full = json.loads(runner.invoke(app, ["detect", str(sample_dir / "BaTiO3_P4mm.cif"), "--json", "--no-ladder"]).stdout)
    assert len(full["results"][0]["crystal"]["operations"]) == 8 and not full["results"][0]["crystal"]["operations_omitted"]
