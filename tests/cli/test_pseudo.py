"""`symbreak detect --pseudo [--max-displacement] [--write-parent DIR]` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.io.structures import read_structures
from symbreak_cli.testing import validate_report

runner = CliRunner()
CATIO3 = Path(__file__).resolve().parents[1] / "data" / "CaTiO3_Pbnm_AMCSD0002890.cif"


def detect_json(*args):
    r = runner.invoke(app, ["detect", *map(str, args), "--json", "--no-ladder", "--no-operations"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    validate_report(doc)
    return doc


def test_write_parent_then_parent_finds_the_relation_with_its_index(tmp_path):
    out = tmp_path / "parents"
    doc = detect_json(CATIO3, "--pseudo", "--write-parent", out)
    p = doc["results"][0]["pseudo"]
    assert (p["space_group"], p["max_displacement_allowed_A"]) == ("Pnma", 1.0)  # --pseudo's own default bound
    cubic = next(c for c in p["candidates"] if c["number"] == 221)
    assert cubic["index"] == 24 and [s["hm"] for s in cubic["chain"]][::len(cubic["chain"]) - 1] == ["Pnma", "Pm-3m"]
    written = Path(cubic["written"])
    assert written.parent == out and written.name == "CaTiO3_Pbnm_AMCSD0002890_pseudo_Pm-3m_221_i24.cif"
    assert sorted(f.name for f in out.iterdir()) == sorted(Path(c["written"]).name for c in p["candidates"])
    parent = read_structures(str(written))[0]
    assert parent.n_atoms == 5  # the standardised cubic cell
    # the written parent is a parent: the group-subgroup relation has the candidate's index
    rel = detect_json(CATIO3, "--parent", written)["results"][0]["parent"]
    assert (rel["parent_space_group_number"], rel["child_space_group_number"]) == (221, 62)
    assert (rel["orientational_domains"], rel["translational_domains"], rel["total_domains"]) == (6, 4, 24)
    for c in p["candidates"]:  # every file written re-detects as its candidate group
        assert detect_json(c["written"])["results"][0]["crystal"]["space_group_number"] == c["number"]


def test_existing_parent_files_need_force(tmp_path, sample_dir):
    args = ["detect", str(sample_dir / "BaTiO3_P4mm.cif"), "--pseudo", "--write-parent", str(tmp_path), "--no-ladder"]
    assert runner.invoke(app, args).exit_code == 0
    r = runner.invoke(app, args)
    assert r.exit_code == 1 and "exists; pass --force" in r.stderr and "Traceback" not in r.stderr
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


def test_table_lists_candidates_and_the_bound_follows_max_displacement(sample_dir):
    r = runner.invoke(app, ["detect", str(sample_dir / "BaTiO3_P4mm.cif"), "--pseudo", "--no-ladder"])
    assert r.exit_code == 0 and "Candidate supergroups" in r.stdout and "Pm-3m (221)" in r.stdout
    doc = detect_json(sample_dir / "BaTiO3_P4mm.cif", "--pseudo", "--max-displacement", "0.05")
    p = doc["results"][0]["pseudo"]
    assert p["max_displacement_allowed_A"] == 0.05 and p["candidates"] == []  # 0.09 Å are needed


def test_no_candidate_is_said_and_exits_0(sample_dir):
    r = runner.invoke(app, ["detect", str(sample_dir / "BaTiO3_Pm-3m.cif"), "--pseudo", "--no-ladder"])
    assert r.exit_code == 0 and "No supergroup of Pm-3m is within 1 Å" in " ".join(r.stdout.split())


def test_write_parent_needs_pseudo(tmp_path, sample_dir):
    r = runner.invoke(app, ["detect", str(sample_dir / "BaTiO3_P4mm.cif"), "--write-parent", str(tmp_path)])
    assert r.exit_code == 1 and "--write-parent needs --pseudo" in r.stderr and "Traceback" not in r.stderr
