"""`symbreak detect --parent / --parent-group / --character-table` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.testing import validate_report

runner = CliRunner()


def detect_json(*args):
    r = runner.invoke(app, ["detect", *map(str, args), "--json", "--no-ladder"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    validate_report(doc)
    return doc


def breaking(parent: dict) -> set[str]:
    return {ir["label"] for ir in parent["character_table"]["irreps"] if ir["breaking"]}


def test_parent_structure_json(sample_dir):
    doc = detect_json(sample_dir / "BaTiO3_P4mm.cif", "--parent", sample_dir / "BaTiO3_Pm-3m.cif", "--lmax", "4")
    p = doc["results"][0]["parent"]
    assert (p["relation"]["parent_hm"], p["relation"]["child_hm"], p["relation"]["index"]) == ("m-3m", "4mm", 6)
    assert (p["orientational_domains"], p["translational_domains"], p["total_domains"]) == (6, 1, 6)
    assert breaking(p) == {"Eg", "T1u"}
    assert p["branching"]["lmax"] == 4 and len(p["branching"]["rows"]) == 10
    # the frame and the tolerances behind the verdict are data, beside it
    assert p["frame_code"] == "parent_standard" and np.allclose(p["frame_basis"], np.eye(3))
    assert (p["symprec_A"], p["relation"]["matrix_tolerance"], p["lattice"]["max_strain_allowed"]) == (1e-3, 1e-5, 0.05)
    assert [f["path"].rsplit("/", 1)[-1] for f in doc["inputs"]["files"]] == ["BaTiO3_P4mm.cif", "BaTiO3_Pm-3m.cif"]
    assert all(f["sha256"] for f in doc["inputs"]["files"])


def test_two_children_against_one_parent(sample_dir):
    doc = detect_json(sample_dir / "SrTiO3_I4mcm.cif", sample_dir / "perovskite_a0a0c+_P4mbm.cif",
                      "--parent", sample_dir / "SrTiO3_Pm-3m.cif")
    for res in doc["results"]:
        p = res["parent"]
        assert (p["relation"]["child_hm"], p["orientational_domains"], p["translational_domains"], p["total_domains"]) == ("4/mmm", 3, 2, 6)
        assert breaking(p) == {"Eg"}


@pytest.mark.parametrize("name", ["Pm-3m", "221", "Oh"])
def test_parent_group(sample_dir, name):
    p = detect_json(sample_dir / "BaTiO3_P4mm.cif", "--parent-group", name)["results"][0]["parent"]
    assert (p["relation"]["parent_hm"], p["orientational_domains"], p["total_domains"]) == ("m-3m", 6, None)
    assert (p["frame_code"], p["frame_basis"], p["lattice"]) == ("named_group", None, None)
    assert breaking(p) == {"Eg", "T1u"}


def test_character_table_of_the_structure_itself(sample_dir):
    doc = detect_json(sample_dir / "NH3.xyz", "--character-table")
    t = doc["results"][0]["character_table"]
    assert t["schoenflies"] == "C3v" and [ir["label"] for ir in t["irreps"]] == ["A1", "A2", "E"]
    r = runner.invoke(app, ["detect", str(sample_dir / "NH3.xyz"), "--character-table", "--no-ladder"])
    assert r.exit_code == 0 and "Character table of C3v" in r.stdout


def test_tables_are_printed(sample_dir):
    r = runner.invoke(app, ["detect", str(sample_dir / "SrTiO3_I4mcm.cif"), "--parent", str(sample_dir / "SrTiO3_Pm-3m.cif"), "--no-ladder", "--lmax", "2"])
    assert r.exit_code == 0, r.stderr
    for text in ("Oh → D4h", "translational domains", "Character table of Oh", "O(3) branching", "Setting relation"):
        assert text in r.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["SrTiO3_Pm-3m.cif", "--parent", "{s}/BaTiO3_P4mm.cif"], "is not a supergroup"),
        (["SrTiO3_Pm-3m.cif", "--parent-group", "4/mmm"], "is not a supergroup"),
        (["BaTiO3_P4mm.cif", "--parent-group", "Foo"], "--parent-group 'Foo'"),
        (["BaTiO3_P4mm.cif", "--parent", "{s}/missing.cif"], "missing.cif: no such file"),
        (["BaTiO3_P4mm.cif", "--parent", "{s}/BaTiO3_Pm-3m.cif", "--parent-group", "Oh"], "not both"),
        (["BaTiO3_P4mm.cif", "--parent-group", "Oh", "--lmax", "13"], "--lmax"),
        (["BaTiO3_P4mm.cif", "--parent", "{s}/SF6.xyz"], "is a crystal but --parent"),
        (["BaTiO3_P4mm.cif", "--parent-group", "Ia-3d"], "P4mm (99) is not a subgroup of --parent-group Ia-3d (230)"),
    ],
)
def test_errors_are_one_line(sample_dir, args, message):
    argv = [str(sample_dir / args[0])] + [a.format(s=sample_dir) for a in args[1:]]
    r = runner.invoke(app, ["detect", *argv, "--no-ladder"])
    assert r.exit_code == 1
    assert message in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert len(r.stderr.strip().splitlines()) == 1


def test_detect_with_parent_does_not_import_torch(sample_dir):
    code = ("import sys; from symbreak_cli.cli.app import main; sys.argv = ['symbreak', 'detect', "
            f"'{sample_dir / 'BaTiO3_P4mm.cif'}', '--parent', '{sample_dir / 'BaTiO3_Pm-3m.cif'}', '--json', '--no-ladder']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'torch' not in sys.modules and 'e3nn' not in sys.modules, 'torch imported'")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["parent"]["total_domains"] == 6


def test_mode_metric_parent_gives_isodistorts_amplitudes(sample_dir):
    """--mode-metric parent measures displacements in the undistorted parent lattice
    (ISODISTORT's numbers): every amplitude is the default's divided by the cube root of the
    child-to-parent-supercell volume ratio, the choice is in the report and its options, and
    the labels do not change."""
    args = (sample_dir / "BaTiO3_P4mm.cif", "--parent", sample_dir / "BaTiO3_Pm-3m.cif")
    child = detect_json(*args)["results"][0]["parent"]["modes"]
    doc = detect_json(*args, "--mode-metric", "parent")
    parent = doc["results"][0]["parent"]["modes"]
    assert (child["metric"], parent["metric"]) == ("child", "parent")
    assert doc["inputs"]["options"]["mode_metric"] == "parent"
    assert [i["irrep"] for i in child["irreps"]] == [i["irrep"] for i in parent["irreps"]]
    gm4 = [(c, p) for c, p in zip(child["irreps"], parent["irreps"]) if c["irrep"] == "GM4-"][0]
    ratio = gm4[0]["amplitude_child_A"] / gm4[1]["amplitude_child_A"]
    from symbreak_cli.io.structures import read_structures

    v_child = abs(np.linalg.det(read_structures(str(args[0]))[0].lattice))
    v_parent = abs(np.linalg.det(read_structures(str(args[2]))[0].lattice))
    assert ratio == pytest.approx((v_child / v_parent) ** (1 / 3), rel=1e-4)
    assert abs(ratio - 1) > 5e-4  # the two metrics differ here (0.08 %): the control


def test_mode_metric_needs_a_parent_structure(sample_dir):
    r = runner.invoke(app, ["detect", str(sample_dir / "BaTiO3_P4mm.cif"), "--mode-metric", "parent", "--no-ladder"])
    assert r.exit_code == 1
    assert "--mode-metric needs --parent" in r.stderr
