"""The `detect` command as a user runs it: exit codes, one-line errors, JSON on stdout."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.testing import validate_report

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_version_and_help():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("symbreak ")
    r = run("detect", "--help")
    assert r.exit_code == 0 and "--max-displacement" in r.stdout and "Examples" in r.stdout


def test_json_is_one_document_and_validates(sample_dir):
    r = run("detect", str(sample_dir / "BaTiO3_P4mm.cif"), str(sample_dir / "NH3.xyz"), "--json", "--ladder-steps", "6")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    validate_report(doc)
    assert [x["path"].rsplit("/", 1)[-1] for x in doc["results"]] == ["BaTiO3_P4mm.cif", "NH3.xyz"]  # input order
    assert doc["results"][0]["crystal"]["space_group_number"] == 99
    assert doc["results"][1]["molecule"]["point_group_schoenflies"] == "C3v"


def test_stdin_with_format(sample_dir):
    r = run("detect", "-", "--format", "cif", "--json", "--no-ladder", input=(sample_dir / "SrTiO3_I4mcm.cif").read_text())
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["crystal"]["hm_short"] == "I4/mcm"


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.cif"], "missing.cif: no such file"),
        (["{s}/BaTiO3_Pm-3m.cif", "--symprec", "0"], "--symprec must be in (0, 5)"),
        (["{s}/BaTiO3_Pm-3m.cif", "--symprec", "7"], "--symprec must be in (0, 5)"),
        (["{s}/BaTiO3_Pm-3m.cif", "--ladder-max", "5"], "ladder tolerances"),
        (["{s}/BaTiO3_Pm-3m.cif", "--ladder-steps", "3"], "--ladder-steps"),
        (["{s}/BaTiO3_Pm-3m.cif", "--jobs", "0"], "--jobs"),
    ],
)
def test_errors_are_one_line_without_traceback(sample_dir, args, message):
    r = run("detect", *[a.format(s=sample_dir) for a in args])
    assert r.exit_code == 1
    assert message in r.stderr and "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert len(r.stderr.strip().splitlines()) == 1


def test_one_bad_file_among_good_ones(tmp_path, sample_dir):
    bad = tmp_path / "bad.cif"
    bad.write_text("not a cif")
    r = run("detect", str(sample_dir / "BaTiO3_Pm-3m.cif"), str(bad), "--json", "--no-ladder", "--jobs", "2")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    validate_report(doc)
    good, failed = doc["results"]
    assert good["crystal"]["space_group_number"] == 221 and good["error"] is None
    assert "bad.cif" in failed["error"] and failed["crystal"] is None


def test_jobs_gives_the_same_answers_in_input_order(sample_dir):
    one = json.loads(run("detect", str(sample_dir), "--json", "--no-ladder").stdout)["results"]
    two = json.loads(run("detect", str(sample_dir), "--json", "--no-ladder", "--jobs", "2").stdout)["results"]
    assert one == two


def test_debug_shows_the_traceback():
    r = run("detect", "missing.cif", "--debug")
    assert r.exit_code != 0 and r.exception is not None


def test_schema_command_prints_the_schema():
    r = run("schema", "detect")
    schema = json.loads(r.stdout)
    assert schema["properties"]["schema"]["const"] == "symbreak.detect/2"
    bad = run("schema", "nonsense")  # not one of the choices: a usage error
    assert bad.exit_code == 2 and "Invalid value for 'kind'" in bad.stderr and "nonsense" in bad.stderr


def test_help_and_detect_do_not_import_torch(sample_dir):
    """Start-up stays fast: neither --help nor detect imports torch, e3nn or matplotlib."""
    code = (
        "import json, sys; from typer.testing import CliRunner; from symbreak_cli.cli.app import app\n"
        "r = CliRunner()\n"
        "assert r.invoke(app, ['--help']).exit_code == 0\n"
        "out = r.invoke(app, ['detect', sys.argv[1], '--json'])\n"
        "assert out.exit_code == 0, out.stderr\n"
        "assert json.loads(out.stdout)['results'][0]['crystal']['space_group_number'] == 99\n"
        "heavy = [m for m in ('torch', 'e3nn', 'matplotlib') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(sample_dir / "BaTiO3_P4mm.cif")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "HEAVY []" in out.stderr, out.stderr[-2000:]


def test_console_script_runs(sample_dir):
    out = subprocess.run([sys.executable, "-m", "symbreak_cli", "detect", str(sample_dir / "H2O.xyz"), "--json", "--no-ladder"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and json.loads(out.stdout)["results"][0]["molecule"]["point_group_schoenflies"] == "C2v"


def test_parent_analysis_from_stdin_and_in_workers(sample_dir):
    """The parent analysis runs where each structure is detected: stdin works, and --jobs 2
    gives the same answers (SrTiO3 I4/mcm in cubic SrTiO3: 3 orientational × 2 translational)."""
    child = (sample_dir / "SrTiO3_I4mcm.cif").read_text()
    r = run("detect", "-", "--format", "cif", "--parent", str(sample_dir / "SrTiO3_Pm-3m.cif"), "--json", "--no-ladder",
            input=child)
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    validate_report(doc)
    assert doc["results"][0]["parent"]["total_domains"] == 6
    assert doc["inputs"]["files"][-1]["path"].endswith("SrTiO3_Pm-3m.cif") and len(doc["inputs"]["files"][-1]["sha256"]) == 64
    files = [str(sample_dir / n) for n in ("SrTiO3_I4mcm.cif", "BaTiO3_P4mm.cif", "perovskite_a0a0c+_P4mbm.cif")]
    one = json.loads(run("detect", *files, "--parent-group", "Pm-3m", "--json", "--no-ladder").stdout)["results"]
    two = json.loads(run("detect", *files, "--parent-group", "Pm-3m", "--json", "--no-ladder", "--jobs", "2").stdout)["results"]
    assert one == two and [x["parent"]["orientational_domains"] for x in one] == [3, 6, 3]
