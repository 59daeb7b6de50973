"""`symbreak break` as a user runs it: files written atomically and re-readable, the JSON
valid against `symbreak schema break`, the report renderable, and one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.detect import crystal_symmetry, molecule_symmetry
from symbreak_cli.testing import validate_report

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["break", *map(str, args)])


def test_sf6_c4v_all_domains_written(tmp_path, sample_dir):
    out = tmp_path / "sf6"
    r = run(sample_dir / "SF6.xyz", "--to", "C4v", "--amplitude", "0.05", "--domains", "all", "--out", out, "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert validate_report(doc) == "break"
    assert (doc["total_domains"], doc["object"]["parts"][0]["irrep"], doc["pattern_irreps"]) == (6, "1o", ["T1u"])
    files = sorted(out.glob("*.xyz"))
    assert [p.name for p in files] == [f"SF6_C4v_domain{k:02d}.xyz" for k in range(6)]
    assert [d["path"] for d in doc["domains"]] == [str(p) for p in files]
    polar = []
    for p, d in zip(files, doc["domains"]):
        cell = read_structures(str(p))[0]  # the file as written, read back
        x = np.asarray(cell.positions)
        assert molecule_symmetry(cell, 0.01).schoenflies == "C4v"  # (tests/symmetry checks with an independent oracle)
        assert np.allclose(x - np.asarray(doc["positions_A"]), d["displacements_A"], atol=1e-9)
        polar.append(np.asarray(d["object"]["1o"]))
    # the six domains' polar vectors are ±x, ±y, ±z
    assert sorted(map(tuple, np.round(polar, 9).tolist())) == sorted(map(tuple, np.vstack([np.eye(3), -np.eye(3)]).tolist()))
    before = {p: p.read_bytes() for p in files}
    r = run(sample_dir / "SF6.xyz", "--to", "C4v", "--amplitude", "0.07", "--out", out)
    assert r.exit_code == 1 and "exists; pass --force" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in files} == before  # nothing overwritten
    r = run(sample_dir / "SF6.xyz", "--to", "C4v", "--amplitude", "0.07", "--out", out, "--force", "--domains", "2")
    assert r.exit_code == 0, r.stderr
    assert files[0].read_bytes() != before[files[0]] and files[5].read_bytes() == before[files[5]]


def test_crystal_irrep_cif_and_report(tmp_path, sample_dir):
    out = tmp_path / "bto"
    r = run(sample_dir / "BaTiO3_Pm-3m.cif", "--irrep", "GM4-", "--direction", "a,a,0", "--out", out, "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    validate_report(doc)
    assert doc["irrep"]["isotropy_group"] == "Amm2 (38)" and doc["total_domains"] == 12
    cifs = sorted(out.glob("*.cif"))
    assert len(cifs) == 12
    assert {crystal_symmetry(read_structures(str(p))[0]).number for p in cifs} == {38}
    rep = tmp_path / "r.json"
    rep.write_text(r.stdout)
    html = runner.invoke(app, ["report", str(rep), "--format", "html", "--out", str(tmp_path / "r.html")])
    assert html.exit_code == 0, html.stderr
    page = (tmp_path / "r.html").read_text()
    assert 'data-kind="domain_patterns"' in page and "plot not drawn" not in page
    md = runner.invoke(app, ["report", str(rep), "--format", "markdown"])
    assert md.exit_code == 0 and "Amm2 (38)" in md.stdout


def test_table_output(sample_dir):
    r = run(sample_dir / "SF6.xyz", "--to", "D3d")
    assert r.exit_code == 0, r.stderr
    assert "T2g" in r.stdout and "xy + xz + yz" in r.stdout and "D3d" in r.stdout


@pytest.mark.parametrize("args, message", [
    (["SF6.xyz", "--to", "C6v"], "C6v is not a subgroup of Oh"),
    (["SF6.xyz", "--to", "C4v", "--amplitude", "0"], "--amplitude must be positive"),
    (["SF6.xyz", "--to", "C4v", "--amplitude", "-1"], "--amplitude must be positive"),
    (["SF6.xyz", "--to", "C4v", "--amplitude", "3"], "more than half the shortest interatomic distance"),
    (["SF6.xyz", "--to", "C4v", "--strain", "0.01"], "--strain needs a crystal"),
    (["SF6.xyz"], "give --to SUBGROUP"),
    (["SF6.xyz", "--to", "C4v", "--domains", "many"], "--domains must be 'all' or a positive number"),
    (["SF6.xyz", "--to", "C4v", "--domains", "7"], "there are 6 domains"),
    (["BaTiO3_Pm-3m.cif", "--to", "P6mm"], "P6mm (183) is not a subgroup of Pm-3m (221)"),
    (["BaTiO3_Pm-3m.cif", "--irrep", "GM4-", "--direction", "a,a,0", "--to", "P4mm"], "keeps Amm2 (38), not P4mm (99)"),
    (["BaTiO3_Pm-3m.cif", "--irrep", "X9+"], "no irrep 'X9+'"),
    (["SF6.xyz", "--irrep", "GM4-"], "--irrep needs a crystal"),
])
def test_errors_are_one_line(sample_dir, args, message):
    r = run(sample_dir / args[0], *args[1:])
    assert r.exit_code == 1, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symbreak: error:") and message in lines[0], r.stderr
    assert "Traceback" not in r.stderr and not r.stdout


def test_schema_command_lists_break():
    r = runner.invoke(app, ["schema", "break"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert "domains" in schema["properties"] and "object" in schema["properties"]
