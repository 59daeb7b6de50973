"""Start-up stays fast: ``symbreak --help`` in ≤ 0.25 s, and nothing heavy on the detect path.

Wall times are medians of 5 runs of a fresh interpreter, interleaved with the same runs
of a bare Typer app with rich help panels (the floor any such CLI pays: typer and rich
are most of the 0.2 s). The ratio of the two — symbreak's own imports and commands on
top of that floor — is bounded always, since a busy machine slows both alike; the
absolute bound is checked when the machine is not oversubscribed (load average below
the core count), since under ``pytest -n`` on a busy box wall time measures the queue
for a core rather than symbreak. (Importing numpy or pydantic at start-up would add
0.1–0.15 s: a ratio near 1.6–1.8.)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

HELP_BOUND_S = 0.25
#: the bare typer+rich app starts in ~0.17 s on an idle 2-core machine; slower means other work shares the cores
REFERENCE_QUIET_S = 0.2
FLOOR_RATIO_BOUND = 1.45  # symbreak --help / bare typer+rich app --help (about 1.1-1.25 measured)
RUNS = 5
HEAVY = ("torch", "e3nn", "matplotlib")

REFERENCE_APP = '''
from typing import Annotated
import typer
app = typer.Typer(add_completion=False, rich_markup_mode="rich")
@app.command(rich_help_panel="Analyse")
def detect(path: str, symprec: Annotated[float, typer.Option(rich_help_panel="Tolerances")] = 1e-3) -> None:
    "Detect."
@app.command(rich_help_panel="Reports")
def schema(kind: str) -> None:
    "Schema."
app()
'''


def _wall(args: list[str]) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, timeout=60)
    wall = time.perf_counter() - t0
    assert out.returncode == 0, out.stderr[-2000:]
    return wall


def _busy() -> bool:
    return os.getloadavg()[0] >= (os.cpu_count() or 1)


def test_root_help_is_fast():
    ours = [sys.executable, "-m", "symbreak_cli", "--help"]
    floor = [sys.executable, "-c", REFERENCE_APP, "--help"]
    _wall(ours), _wall(floor)  # warm the file cache and the bytecode
    runs = [(_wall(ours), _wall(floor)) for _ in range(RUNS)]
    wall = statistics.median(a for a, _ in runs)
    ref = statistics.median(b for _, b in runs)
    print(f"symbreak --help: median wall {wall:.3f} s; bare typer+rich app {ref:.3f} s ({RUNS} runs)")
    assert wall <= FLOOR_RATIO_BOUND * ref, f"symbreak --help takes {wall / ref:.2f}x a bare typer app's"
    # the absolute bound on the fastest run: other tests share the cores under xdist, and the
    # fastest of several runs is the one least disturbed by them
    # fastest of several runs is the one least disturbed by them; the bare app's own fastest
    # run says whether the machine could start any typer app that fast just now
    fastest = min(a for a, _ in runs)
    ref_fastest = min(b for _, b in runs)
    if not _busy() and ref_fastest <= REFERENCE_QUIET_S:
        assert fastest <= HELP_BOUND_S, f"--help took {fastest:.3f} s at best (bound {HELP_BOUND_S} s)"


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
