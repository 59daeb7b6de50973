"""Determinism (issue 16, deliverable 3): the same command with the same seed gives
byte-identical JSON on CPU, apart from the ``provenance`` block (times, host, command).

Each command runs twice in fresh interpreters with different ``PYTHONHASHSEED`` values (so
an answer that depends on set or dict-of-hash order shows up), in the same working
directory with the same paths, outputs into a fresh relative directory each time. The
documents are compared as text after removing every ``provenance`` block; the failure message
shows the first differing line. SymPE (``train-relaxed --sympe``, ``break --model``) is
checked by its own tests.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
TIMEOUT_S = 300


def _strip(doc):
    """The document without its provenance blocks (at any depth: a batch nests them)."""
    if isinstance(doc, dict):
        return {k: _strip(v) for k, v in doc.items() if k != "provenance"}
    if isinstance(doc, list):
        return [_strip(v) for v in doc]
    return doc


def _canonical(text: str, jsonl: bool = False) -> str:
    """Each JSON document re-dumped without provenance, keys in file order (order is part of the bytes)."""
    docs = [json.loads(line) for line in text.splitlines() if line.strip()] if jsonl else [json.loads(text)]
    return "\n".join(json.dumps(_strip(d), indent=1, ensure_ascii=False) for d in docs)


def _run(args: list[str], cwd: Path, hash_seed: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": str(hash_seed), "OMP_NUM_THREADS": "1",
           "COLUMNS": "100"}
    r = subprocess.run([sys.executable, "-m", "symbreak_cli", *args], cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=TIMEOUT_S)
    assert r.returncode == 0, f"{' '.join(args)}: exit {r.returncode}: {r.stderr[-2000:]}"
    return r


def _twice(args: list[str], cwd: Path, outs: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, ...]:
    """Run twice (hash seeds 1 and 2); the relative output paths ``outs`` are removed before each run."""
    runs = []
    for seed in (1, 2):
        for o in outs:
            shutil.rmtree(cwd / o, ignore_errors=True)
        runs.append(_run(args, cwd, seed))
    return tuple(runs)


def _same(a: str, b: str, what: str) -> None:
    if a != b:
        diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "run 1", "run 2", n=1, lineterm=""))
        pytest.fail(f"{what}: two runs differ outside provenance:\n" + "\n".join(diff[:40]))


@pytest.fixture()
def work(tmp_path):
    return tmp_path


def test_detect_one_file_with_ladder_and_its_reports(work):
    """detect (tolerance ladder on, the default), then report markdown/html of that JSON."""
    args = ["detect", str(SAMPLE / "BaTiO3_P4mm.cif"), "--json"]
    a, b = _twice(args, work)
    _same(_canonical(a.stdout), _canonical(b.stdout), "detect --ladder")
    (work / "d.json").write_text(a.stdout)
    for fmt in ("markdown", "html"):
        x, y = _twice(["report", "d.json", "--format", fmt], work)
        _same(x.stdout, y.stdout, f"report --format {fmt}")  # a rendering has no provenance of its own to strip


def test_detect_batch_two_jobs_jsonl(work):
    batch = work / "batch"
    batch.mkdir()
    for name in ("BaTiO3_P4mm.cif", "SrTiO3_I4mcm.cif", "perovskite_a0a0c+_P4mbm.cif", "NH3.xyz", "SF6.xyz", "CH4.xyz"):
        shutil.copy(SAMPLE / name, batch / name)
    a, b = _twice(["detect", "batch", "--jobs", "2", "--jsonl", "--no-ladder"], work)
    _same(_canonical(a.stdout, jsonl=True), _canonical(b.stdout, jsonl=True), "detect --jobs 2 --jsonl")
    assert len(a.stdout.splitlines()) == 6


def test_detect_parent_modes_and_pseudo(work):
    a, b = _twice(["detect", str(SAMPLE / "SrTiO3_I4mcm.cif"), "--parent", str(SAMPLE / "SrTiO3_Pm-3m.cif"),
                   "--parent-origin", "Ti", "--no-ladder", "--json"], work)
    _same(_canonical(a.stdout), _canonical(b.stdout), "detect --parent")
    assert json.loads(a.stdout)["results"][0]["parent"]["modes"] is not None  # the modes were decomposed
    a, b = _twice(["detect", str(SAMPLE / "BaTiO3_P4mm.cif"), "--pseudo", "--no-ladder", "--json"], work)
    _same(_canonical(a.stdout), _canonical(b.stdout), "detect --pseudo")
    assert json.loads(a.stdout)["results"][0]["pseudo"]["candidates"]


def test_break_every_domain_molecule_and_crystal(work):
    """break --to (all domains, written and re-detected): the report and every written file."""
    a, b = _twice(["break", str(SAMPLE / "SF6.xyz"), "--to", "C4v", "--json"], work)
    _same(_canonical(a.stdout), _canonical(b.stdout), "break SF6 --to C4v")
    texts = []
    for seed in (1, 2):
        shutil.rmtree(work / "sto", ignore_errors=True)
        r = _run(["break", str(SAMPLE / "SrTiO3_Pm-3m.cif"), "--irrep", "R4+", "--direction", "0,0,a", "--origin", "Ti",
                  "--out", "sto", "--json"], work, seed)
        files = sorted((work / "sto").iterdir())
        texts.append((_canonical(r.stdout), [(f.name, f.read_bytes()) for f in files]))
    _same(texts[0][0], texts[1][0], "break SrTiO3 --irrep R4+")
    assert texts[0][1] == texts[1][1] and len(texts[0][1]) == 6  # the six domain CIFs, byte for byte


def test_schema_of_every_kind(work):
    from symbreak_cli.results.registry import REPORT_KINDS

    for kind in REPORT_KINDS:
        a, b = _twice(["schema", kind], work)
        _same(a.stdout, b.stdout, f"schema {kind}")
        assert json.loads(a.stdout)


def _train_twice(work: Path, args: list[str]) -> str:
    runs = _twice([*args, "--out", "run", "--json", "-q", "--device", "cpu"], work, outs=("run",))
    _same(_canonical(runs[0].stdout), _canonical(runs[1].stdout), " ".join(args[:4]))
    return _canonical(runs[0].stdout)


def test_provenance_is_all_that_is_stripped():
    """Negative control of the comparison: a number anywhere but in provenance still counts."""
    doc = {"provenance": {"created": "now"}, "results": [{"provenance": {"t": 1}, "loss": 0.5, "wall_s": 3}]}
    other = {**doc, "results": [{"provenance": {"t": 2}, "loss": 0.5, "wall_s": 4}]}
    assert _canonical(json.dumps(doc)) != _canonical(json.dumps(other))
    assert _canonical(json.dumps(doc)) == _canonical(json.dumps({**doc, "provenance": {"created": "later"}}))


@pytest.mark.slow
def test_train_relaxed_e3nn_small(work):
    _train_twice(work, ["train-relaxed", str(SAMPLE / "cube_to_prism.h5"), "--epochs", "4", "--restarts", "2", "--baseline"])


@pytest.mark.slow
def test_train_relaxed_gconv_small(work):
    args = ["train-relaxed", str(SAMPLE / "square_to_rectangle.h5"), "--model", "gconv", "--epochs", "4",
            "--hidden", "2", "--filter-banks", "1"]
    first = _train_twice(work, args)
    # control: another seed trains other weights, and the comparison sees it
    shutil.rmtree(work / "run")
    other = _run([*args, "--seed", "1", "--out", "run", "--json", "-q", "--device", "cpu"], work, 1)
    assert _canonical(other.stdout) != first
