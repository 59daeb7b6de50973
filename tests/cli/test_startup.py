"""Start-up stays light: ``symbreak --help`` imports none of numpy, pydantic, spglib, torch…,
and the detect path never imports torch, e3nn or matplotlib.

These are checked by which modules a fresh interpreter loaded, not by wall time: a timed
assertion under ``pytest -n`` on a busy machine measures the queue for a core. Start-up
times are measured in benchmarks/ (``benchmarks/detect.py``: one file, whole process).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("torch", "e3nn", "matplotlib")
#: none of these may load for ``symbreak --help`` (each costs 0.05–2 s of start-up)
STARTUP_HEAVY = HEAVY + ("numpy", "pydantic", "spglib", "scipy", "ase", "h5py")


def test_root_help_imports_nothing_heavy():
    """What makes ``--help`` slow is what it imports: numpy, pydantic, spglib or torch would
    add 0.1–2 s to the ~0.2 s typer and rich cost. Checked by module, not by the clock, so a
    busy machine cannot make it flaky (the wall times are a benchmark's business)."""
    code = ("import sys, runpy\n"
            "sys.argv = ['symbreak', '--help']\n"
            "try:\n    runpy.run_module('symbreak_cli', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print([m for m in %r if m in sys.modules])" % (STARTUP_HEAVY,))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "train-relaxed" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


RUNNER = """
import json, sys
from typer.testing import CliRunner
from symbreak_cli.cli.app import app
r = CliRunner().invoke(app, sys.argv[1:])
assert r.exit_code == 0, r.output
print(json.dumps({"stdout": r.stdout, "heavy": [m for m in %r if m in sys.modules]}))
""" % (HEAVY,)


def _in_fresh_interpreter(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_detect_help_imports_no_torch():
    res = _in_fresh_interpreter("detect", "--help")
    assert "--symprec" in res["stdout"]
    assert res["heavy"] == []


def test_detect_run_imports_no_torch(sample_dir):
    res = _in_fresh_interpreter("detect", str(sample_dir / "BaTiO3_P4mm.cif"), "--json")
    assert json.loads(res["stdout"])["results"][0]["crystal"]["space_group_number"] == 99
    assert res["heavy"] == []


def test_tables_and_parent_import_no_torch(sample_dir):
    res = _in_fresh_interpreter("detect", str(sample_dir / "BaTiO3_P4mm.cif"), "--parent-group", "Pm-3m", "--no-ladder")
    assert "Character table of Oh" in res["stdout"]
    assert res["heavy"] == []


def test_package_import_is_light_and_its_api_resolves():
    code = ("import sys, symbreak_cli\n"
            "light = [m for m in ('numpy', 'typer', 'pydantic', 'spglib') + %r if m in sys.modules]\n"
            "for name in symbreak_cli.__all__: getattr(symbreak_cli, name)\n"
            "print(light)" % (HEAVY,))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_detect_parent_run_skips_numpy_ma_and_random_once_cached(sample_dir, tmp_path, monkeypatch):
    """``detect --parent`` is a sub-second command: numpy.ma (imported by a plain
    ``np.unique``) and numpy.random (spgrep's intertwiners) cost ~20 ms each. The second run
    against one parent reads spgrep's irreps from the on-disk cache and imports neither."""
    monkeypatch.setenv("SYMBREAK_CACHE_DIR", str(tmp_path / "cache"))
    code = RUNNER.replace("%r" % (HEAVY,), "%r" % (HEAVY + ("numpy.ma", "numpy.random", "spgrep"),))
    args = ["detect", str(sample_dir / "SrTiO3_I4mcm.cif"), "--parent", str(sample_dir / "SrTiO3_Pm-3m.cif"),
            "--parent-origin", "Ti", "--no-ladder", "--json"]
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr[-2000:]
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "spgrep" in runs[0]["heavy"]  # the first run computes the irreps (the control)
    assert runs[1]["heavy"] == []
    first, second = (json.loads(r["stdout"]) for r in runs)
    assert first["results"][0]["parent"]["modes"] == second["results"][0]["parent"]["modes"]


def test_detect_imports_no_other_command():
    """Each command's module is imported when it runs: ``detect`` builds neither break's
    nor train-relaxed's options (their dataclasses and defaults); ``--help`` lists all."""
    others = ("symbreak_cli.cli.break_", "symbreak_cli.cli.train", "symbreak_cli.train.config",
              "symbreak_cli.workflows.break_", "symbreak_cli.cli.report")
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom symbreak_cli.cli.app import app\n"
            "r = CliRunner().invoke(app, sys.argv[1:])\n"
            "print(r.exit_code, [m for m in %r if m in sys.modules])" % (others,))
    detect = subprocess.run([sys.executable, "-c", code, "detect", "--help"], capture_output=True, text=True, timeout=120)
    assert detect.stdout.strip().splitlines()[-1] == "0 []", detect.stdout[-2000:] + detect.stderr[-2000:]
    root = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True, timeout=120)
    assert root.stdout.strip().splitlines()[-1].startswith("0 ['symbreak_cli.cli.break_', 'symbreak_cli.cli.train'")  # the control


def test_a_mistyped_command_is_suggested_without_importing_commands():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom symbreak_cli.cli.app import app\n"
            "r = CliRunner().invoke(app, ['brek'])\n"
            "print(r.exit_code, 'symbreak_cli.cli.break_' in sys.modules)\nprint(r.output)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "2 False", out.stdout + out.stderr
    assert "Did you mean 'break'" in out.stdout
