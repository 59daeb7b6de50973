"""Every command as a user runs it: help, exit codes, stdout carries only the answer.

Exit codes: 0 success, 1 a failure the user can fix (one line on stderr, no traceback),
2 a usage error (unknown option, missing argument, a value outside the choices).
"""

from __future__ import annotations

import dataclasses
import json
import typing

import click
import pytest
import typer
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.results.registry import REPORT_KINDS
from symbreak_cli.testing import validate_report
from symbreak_cli.train.config import TrainConfig
from symbreak_cli.workflows.options import DetectOptions, ParentRequest

runner = CliRunner()
COMMANDS = ["detect", "break", "train-relaxed", "report", "schema", "sample-data"]


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def one_line_error(r, message: str, code: int = 1) -> None:
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    assert message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stdout == ""


# ---------------------------------------------------------------------------------------
# help
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [[], *([c] for c in COMMANDS)])
def test_help_advertises_only_what_exists(args):
    r = run(*args, "--help")
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert "not yet available" not in text
    if args:
        assert "Examples" in text


def test_root_help_lists_every_command():
    text = run("--help").stdout
    for command in COMMANDS:
        assert command in text


def test_report_kinds_in_help_come_from_the_registry():
    text = run("schema", "--help").stdout
    assert all(kind in text for kind in REPORT_KINDS)


def _params(name: str) -> dict[str, click.Parameter]:
    command = typer.main.get_command(app).commands[name]
    return {p.name: p for p in command.params}


@pytest.mark.parametrize("option, cls, field", [
    ("symprec", DetectOptions, "symprec"), ("angle_tol", DetectOptions, "angle_tolerance"),
    ("ladder_min", DetectOptions, "ladder_min"), ("ladder_max", DetectOptions, "ladder_max"),
    ("ladder_steps", DetectOptions, "ladder_steps"), ("max_displacement", DetectOptions, "max_displacement"),
    ("frame", DetectOptions, "frame"), ("lmax", ParentRequest, "lmax"), ("max_strain", ParentRequest, "max_strain"),
])
def test_detect_defaults_are_the_options_dataclass_defaults(option, cls, field):
    default = {f.name: f.default for f in dataclasses.fields(cls)}[field]
    assert _params("detect")[option].default == default


@pytest.mark.parametrize("field", ["model", "task", "l_relaxed", "reg", "cutoff", "epochs", "lr", "seed", "device",
                                   "batch_size", "layers", "baseline", "sympe", "noise"])
def test_train_defaults_are_the_config_defaults(field):
    default = {f.name: f.default for f in dataclasses.fields(TrainConfig)}[field]
    assert _params("train-relaxed")[field].default == default


def _choices(command: str, name: str) -> list[str]:
    return list(typing.get_args(_params(command)[name].type_descriptor.annotation))


def test_choices_are_what_the_library_accepts():
    assert _choices("train-relaxed", "model") == ["e3nn", "equivariant", "gconv", "gconv-equivariant"]
    assert _choices("train-relaxed", "task") == ["auto", "dynamics", "pairs"]
    assert _choices("train-relaxed", "device") == ["auto", "cpu", "cuda"]
    assert _choices("report", "fmt") == ["table", "markdown", "html", "json"]
    assert _choices("schema", "kind") == list(REPORT_KINDS)
    for model in _choices("train-relaxed", "model"):
        TrainConfig(data="x.h5", model=model)  # every advertised choice is accepted


# ---------------------------------------------------------------------------------------
# usage errors: exit 2
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["detect"],  # missing argument
    ["detect", "x.cif", "--no-such-option"],
    ["train-relaxed", "x.h5", "--model", "no-such-model"],  # not a model this tool has
    ["train-relaxed", "x.h5", "--device", "tpu"],
    ["train-relaxed", "x.h5", "--epochs", "many"],
    ["report", "r.json", "--format", "pdf"],
    ["nosuchcommand"],
])
def test_usage_errors_exit_2(args):
    r = run(*args)
    assert r.exit_code == 2, (r.exit_code, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout and r.stdout == ""
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]  # one line: command, problem, where to read more
    assert len(lines) == 1 and lines[0].startswith("symbreak") and lines[0].endswith("--help)"), r.stderr
    assert any(a in lines[0] for a in args[-2:]), lines[0]  # names the option (or command) that was wrong


def test_bare_command_still_prints_help():
    r = run()
    assert r.exit_code == 2 and "Usage" in r.stdout + r.stderr and "detect" in r.stdout + r.stderr


# ---------------------------------------------------------------------------------------
# train-relaxed: errors before any training (no torch run needed)
# ---------------------------------------------------------------------------------------
def test_train_missing_file_is_one_line(tmp_path):
    one_line_error(run("train-relaxed", tmp_path / "missing.h5", "--out", tmp_path / "m", "-q"), "missing.h5: no such file")


def test_train_bad_option_value_is_one_line(tmp_path):
    one_line_error(run("train-relaxed", tmp_path / "x.h5", "--epochs", "0", "--out", tmp_path / "m"), "--epochs must be ≥ 1")


# ---------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def detect_json(tmp_path_factory, sample_dir) -> str:
    r = run("detect", sample_dir / "BaTiO3_P4mm.cif", "--json", "--ladder-steps", "6")
    assert r.exit_code == 0, r.stderr
    path = tmp_path_factory.mktemp("report") / "detect.json"
    path.write_text(r.stdout)
    return str(path)


@pytest.mark.parametrize("fmt, marker", [("table", "P4mm"), ("markdown", "# symbreak detect report"),
                                         ("html", "<!DOCTYPE html>"), ("json", '"schema": "symbreak.detect/2"')])
def test_report_every_format_on_stdout(detect_json, fmt, marker):
    r = run("report", detect_json, "--format", fmt)
    assert r.exit_code == 0, r.stderr
    assert marker in r.stdout and r.stderr == ""
    if fmt == "json":
        validate_report(json.loads(r.stdout))


def test_report_from_stdin(detect_json):
    with open(detect_json) as fh:
        r = run("report", "-", "-f", "markdown", input=fh.read())
    assert r.exit_code == 0 and r.stdout.startswith("# symbreak detect report")


def test_report_out_is_written_once_without_force(detect_json, tmp_path):
    out = tmp_path / "page.html"
    r = run("report", detect_json, "-f", "html", "--out", out)
    assert r.exit_code == 0 and r.stdout == "" and f"wrote {out}" in r.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")
    one_line_error(run("report", detect_json, "-f", "html", "--out", out), "exists")
    assert run("report", detect_json, "-f", "html", "--out", out, "--force").exit_code == 0


def test_report_errors_are_one_line(tmp_path):
    one_line_error(run("report", tmp_path / "missing.json"), "missing.json: no such file")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    one_line_error(run("report", bad), "not JSON")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"schema": "symbreak.nosuch/1"}))
    one_line_error(run("report", other), "unknown report kind 'nosuch'")


# ---------------------------------------------------------------------------------------
# schema, sample-data
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(REPORT_KINDS))
def test_schema_of_every_kind_is_one_json_document(kind):
    r = run("schema", kind)
    assert r.exit_code == 0 and r.stderr == ""
    schema = json.loads(r.stdout)
    assert schema["properties"]["schema"]["default"] == REPORT_KINDS[kind].schema_id


def test_sample_data_lists_files_on_stderr_only(tmp_path, sample_dir):
    r = run("sample-data", tmp_path / "data")
    assert r.exit_code == 0 and r.stdout == ""
    written = {p.rsplit("/", 1)[-1] for p in r.stderr.split()}
    assert {"BaTiO3_P4mm.cif", "NH3.xyz", "cube_to_prism.h5"} <= written
    assert (tmp_path / "data" / "BaTiO3_P4mm.cif").read_text() == (sample_dir / "BaTiO3_P4mm.cif").read_text()
    one_line_error(run("sample-data", tmp_path / "data"), "exists")
