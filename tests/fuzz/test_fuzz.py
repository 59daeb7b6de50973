"""Fuzzing every reader through every command, in-process (issue 16, deliverable 1).

``_cases.make_cases`` writes ≥ 500 seeded malformed inputs (truncated and byte-flipped
files of every format, BOMs, CRLF, wrong extensions, empty files, NaN/inf/1e308, singular
cells, thousands of coincident atoms, unknown elements, HDF5 files with missing,
mis-shaped, wrong-dtype, string and empty datasets, reports with wrong/future/missing
schemas, deep nesting, trailing garbage). Each goes through every command that reads its
family, via typer's CliRunner in this process (500 interpreter start-ups would take
minutes), in chunks of :data:`CHUNK` cases per test. For each case:

* exit 1 or 2 — or 0 only where the case allows it (``same``: with the seed's answer;
  ``any``: with a report that validates against its schema);
* on failure exactly one stderr line, ``symbreak: error: <file>: <problem>``, naming the
  file, with no traceback and no raw library text (``KeyError``, ``AssertionError``,
  ``could not broadcast``, ``RecursionError``, "unexpected …");
* no library warning escapes (recorded with the interpreter's default filters);
* bounded: each case is killed after :data:`CASE_LIMIT_S` seconds (SIGALRM).

**Adding a command** is one entry in :data:`COMMANDS`: its name, the input families it
reads, and how to build its argv for one file and a scratch directory, e.g.::

    "break": Command(("structure",), lambda f, work: ["break", f, "--json"]),

(the new command's malformed inputs come for free; a new input family also needs its
cases in ``_cases.py``).
"""

from __future__ import annotations

import json
import re
import signal
import time
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from ._cases import SAMPLE, Case, make_cases

#: cases per test (one pytest item per chunk keeps the report readable and the run balanced)
CHUNK = 60
#: hard bound on one case, seconds (imports are paid before, in the fixture; the machine may be loaded)
CASE_LIMIT_S = 60


@dataclass(frozen=True)
class Command:
    reads: tuple[str, ...]
    argv: Callable[[Case, Path], list[str]]
    answers: str = "report"  # what stdout holds on success: 'report' (a JSON report) or 'text'
    select: Callable[[Case], bool] = lambda case: True  # which of the families' cases it runs


def _some(case: Case) -> bool:
    """Every case that must fail, and a seeded quarter of the others (a successful break is the costly part)."""
    return case.expect == "fail" or zlib.crc32(case.name.encode()) % 4 == 0


#: tiny training options: each training case ends in a second or two
GCONV = ["--model", "gconv", "--epochs", "2", "--hidden", "1", "--filter-banks", "1"]
SYMPE = ["--sympe", "--epochs", "2", "--restarts", "1"]
#: the symmetric input that the ``break --model`` cases draw for (the tiny run learned squares)
SQUARE = "4\nsquare\n" + "".join(f"C {x} {y} 0.0\n" for x, y in [(0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5), (0.5, -0.5)])


def _f(case: Case) -> str:
    return str(case.path)


#: every command that reads user files -> the families it reads and its argv for one case
COMMANDS: dict[str, Command] = {
    "detect": Command(("structure", "trajectory"), lambda c, work: ["detect", _f(c), "--no-ladder", "--json", "-q"]),
    "break": Command(("structure",), lambda c, work: ["break", _f(c), "--to", "Cs", "--domains", "1", "--json", "-q"],
                     select=_some),
    "break-options": Command(("breakopts",), lambda c, work: ["break", _f(c), *c.args, "--json", "-q"]),
    "break-model": Command(("run",), lambda c, work: ["break", c.args[0], "--model", _f(c), "--samples", "4",
                                                      "--out", str(work / "draws"), "--json", "-q"]),
    "detect-parent": Command(("parent",), lambda c, work: ["detect", c.args[0], "--parent", _f(c), *c.args[1:],
                                                           "--no-ladder", "--json", "-q"]),
    "detect-pseudo": Command(("pseudo",), lambda c, work: ["detect", _f(c), "--pseudo", *c.args, "--no-ladder", "--json", "-q"]),
    "train-relaxed": Command(("h5", "trajectory"), lambda c, work: [
        "train-relaxed", _f(c), "--epochs", "1", "--out", str(work / "run"), "--json", "-q"]),
    "train-resume": Command(("resume",), lambda c, work: [
        "train-relaxed", c.args[0], "--model", "gconv", "--out", _f(c), "--resume", "--json", "-q"]),
    "train-gconv": Command(("fields",), lambda c, work: [
        "train-relaxed", _f(c), *GCONV, *c.args, "--out", str(work / "run"), "--json", "-q"]),
    "train-sympe": Command(("pointcloud", "h5"), lambda c, work: [
        "train-relaxed", _f(c), *SYMPE, "--out", str(work / "run"), "--json", "-q"],
        select=lambda c: c.family == "pointcloud" or c.name.startswith("pairs-")),
    "report": Command(("report",), lambda c, work: ["report", _f(c), "--format", "markdown"], answers="text"),
}

RAW_LIBRARY_TEXT = re.compile(
    r"Traceback|\b[A-Z]\w*(Error|Exception)\b|could not broadcast|maximum recursion|unexpected |site-packages|Warning:|"
    r"\bnumpy\b|\bh5py\b|ase\.io|invalid literal|could not convert|has no attribute|not subscriptable|NoneType|"
    r"tuple of length|with base 10|dtype\(|dtype=")  # "dtype |S3" is an HDF5 user's own word; numpy's repr is not


#: a usage error (exit 2) is one line: "symbreak break: Invalid value for '--amplitude': … (see symbreak break --help)"
USAGE_ERROR = re.compile(r"^symbreak[\w -]*: (Invalid value for|No such option|Missing (argument|option)).* \(see symbreak[\w -]* "
                         r"--help\)$")


class CaseTimeout(BaseException):
    """Raised by SIGALRM: a BaseException, so no ``except Exception`` in the code swallows it."""


def _alarm(signum, frame):
    raise CaseTimeout()


runner = CliRunner()


@dataclass
class _TimedOut:
    exception: BaseException
    exit_code: int = -1
    stdout: str = ""
    stderr: str = ""


def invoke(argv: list[str]):
    """Run one command line in-process; (result, recorded warnings, seconds)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_LIMIT_S)
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("default")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
            try:
                r = runner.invoke(app, argv, catch_exceptions=True)
            except CaseTimeout as err:
                r = _TimedOut(err)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return r, list(rec), time.perf_counter() - t0


def _answer(doc: dict) -> list[tuple]:
    """What a detect report says, compared between a seed and its harmless variants."""
    out = []
    for r in doc.get("results", []):
        group = (r.get("crystal") or {}).get("hm_short") or (r.get("molecule") or {}).get("point_group_schoenflies")
        out.append((r.get("n_atoms"), r.get("formula"), group, r.get("error") is None))
    return out


@pytest.fixture(scope="session")
def fuzz(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    # the heavy imports (torch, e3nn, matplotlib: tens of seconds on a loaded machine) are not a case's time
    import symbreak_cli.nn.relaxed_e3nn  # noqa: F401
    import symbreak_cli.render.plots  # noqa: F401
    import symbreak_cli.render.train  # noqa: F401
    import symbreak_cli.train.loop  # noqa: F401
    import symbreak_cli.workflows.train  # noqa: F401
    nacl = Path(__file__).resolve().parents[1] / "io" / "data" / "NaCl_old_style_Fm3m.cif"
    r, _, _ = invoke(["detect", str(nacl), "--no-ladder", "--json", "-q"])
    assert r.exit_code == 0, r.stderr
    cases, seed_paths = make_cases(root / "cases", json.loads(r.stdout))
    cases += _run_cases(root)
    answers = {}
    for key, p in seed_paths.items():
        r, rec, _ = invoke(["detect", str(p), "--no-ladder", "--json", "-q"])
        assert r.exit_code == 0 and not rec, (key, r.stderr, rec)
        answers[key] = _answer(json.loads(r.stdout))
    return cases, answers, root


def _run_cases(root: Path) -> list[Case]:
    """A real tiny SymPE run and gconv run (trained here, once) and their damaged copies, for
    ``break --model`` and ``train-relaxed --resume``."""
    from ._cases_commands import run_cases

    good = root / "sympe-run"
    r, _, _ = invoke(["train-relaxed", str(SAMPLE / "square_to_rectangles.h5"), *SYMPE, "--out", str(good), "--json", "-q"])
    assert r.exit_code == 0, r.stderr
    square = root / "square.xyz"
    square.write_text(SQUARE)
    (root / "runs").mkdir()
    cases = [Case(name, d, "run", expect, args=(str(square),)) for name, d, expect in run_cases(root / "runs", good)]
    from ._cases_commands import resume_cases

    fields = str(SAMPLE / "square_to_rectangle.h5")
    gconv = root / "gconv-run"
    r, _, _ = invoke(["train-relaxed", fields, *GCONV, "--out", str(gconv), "--json", "-q"])
    assert r.exit_code == 0, r.stderr
    return cases + [Case(name, d, "resume", expect, args=(fields,)) for name, d, expect in resume_cases(root / "runs", gconv)]


def _modes_refused(doc: dict) -> str | None:
    """A parent of other species: the group relation stands, the modes must be refused with a note."""
    parent = doc["results"][0].get("parent") or {}
    if parent.get("modes") is not None or not parent.get("modes_note"):
        return f"modes {str(parent.get('modes'))[:80]!r}, note {parent.get('modes_note')!r}"
    return None


#: cases whose successful answer must say something particular: case name -> problem or None
#: (molecules have no mode decomposition: NH3 against CH4 reports the relation Td → C3v alone)
ANSWER_CHECKS: dict[str, Callable[[dict], str | None]] = {"parent-other-species": _modes_refused}


def _runs(cases: list[Case]) -> list[tuple[str, Case]]:
    runs = [(name, c) for c in cases for name, cmd in COMMANDS.items() if c.family in cmd.reads and cmd.select(c)]
    # spread the costly kinds (training, break) over the chunks: a seeded order, the same every run
    return sorted(runs, key=lambda nc: zlib.crc32(f"{nc[0]} {nc[1].name} {nc[1].path.parent.name}".encode()))


def _n_runs() -> int:
    # chunks of CHUNK runs; the number of (command, case) runs is known only once the files
    # exist, so it is fixed here and checked below (raise it when cases are added)
    return 19


def test_at_least_500_cases_cover_every_family(fuzz):
    cases, _, _ = fuzz
    runs = _runs(cases)
    assert len(cases) >= 500, len(cases)
    assert CHUNK * (_n_runs() - 1) < len(runs) <= CHUNK * _n_runs(), f"{len(runs)} runs: set _n_runs() to {-(-len(runs) // CHUNK)}"
    families = {c.family for c in cases}
    assert families == {"structure", "trajectory", "h5", "report", "fields", "pointcloud", "parent", "pseudo",
                        "breakopts", "run", "resume"}
    assert {name for name, _ in runs} == set(COMMANDS)
    expects = {c.expect for c in cases}
    assert expects == {"fail", "same", "any"}


def check(command: str, case: Case, answers: dict, work: Path) -> str | None:
    """The problem with one run, or None."""
    cmd = COMMANDS[command]
    f = str(case.path)
    r, rec, seconds = invoke(cmd.argv(case, work))
    tag = f"{command} {case.name} ({' '.join([f, *case.args])})"
    if "PWNED: code ran" in r.stdout + r.stderr:  # the marker _cases_commands._Evil prints if unpickled
        return f"{tag}: code from the input ran"
    if isinstance(r.exception, CaseTimeout):
        return f"{tag}: still running after {CASE_LIMIT_S} s"
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        return f"{tag}: raised {type(r.exception).__name__}: {r.exception}"
    if rec:
        return f"{tag}: leaked warning {rec[0].category.__name__}: {rec[0].message}"
    stderr = r.stderr
    expect = case.expect if case.expect != "same" or command == "detect" else "any"  # seeds are detect's inputs
    if r.exit_code == 0:
        if expect == "fail":
            return f"{tag}: exit 0 on a broken file; stdout starts {r.stdout[:200]!r}"
        if stderr.strip():
            return f"{tag}: exit 0 but stderr {stderr[:300]!r}"
        if cmd.answers == "report":
            from symbreak_cli.testing import validate_report

            try:
                doc = json.loads(r.stdout)
                validate_report(doc)
            except Exception as err:  # noqa: BLE001
                return f"{tag}: exit 0 with an invalid report ({type(err).__name__}: {str(err)[:200]})"
            wrong = ANSWER_CHECKS.get(case.name, lambda d: None)(doc)
            if wrong:
                return f"{tag}: exit 0 with a wrong answer: {wrong}"
            if expect == "same" and _answer(doc) != answers[case.seed_key]:
                return f"{tag}: answer {_answer(doc)} differs from the seed's {answers[case.seed_key]}"
        elif not r.stdout.strip():
            return f"{tag}: exit 0 with nothing on stdout"
        return None
    if expect == "same":
        return f"{tag}: refused a file that means the same as its seed: {stderr.strip()[:300]}"
    if r.exit_code not in (1, 2):
        return f"{tag}: exit {r.exit_code}"
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if len(lines) != 1:
        return f"{tag}: {len(lines)} stderr lines: {stderr[:500]!r}"
    line = lines[0]
    if r.exit_code == 2 and USAGE_ERROR.search(line):
        # a value the option parser cannot read (an option that takes a number given 'abc'): the line names the option
        names = case.names or (f, case.path.name)
        return None if any(n in line for n in names) else f"{tag}: usage error names none of {names}: {line[:300]!r}"
    if r.exit_code == 1 and not line.startswith("symbreak: error: "):
        return f"{tag}: stderr is not one 'symbreak: error:' line: {line[:300]!r}"
    names = case.names or (f, case.path.name)
    if r.exit_code == 1 and not any(n in line for n in names):
        return f"{tag}: the message names none of {names}: {line[:300]!r}"
    if RAW_LIBRARY_TEXT.search(line):
        return f"{tag}: raw library text in {line[:400]!r}"
    if len(line) > 600:
        return f"{tag}: message of {len(line)} characters"
    return None


@pytest.mark.parametrize("chunk", range(_n_runs()))
def test_malformed_inputs_fail_cleanly(fuzz, chunk, tmp_path):
    cases, answers, _ = fuzz
    runs = _runs(cases)[chunk * CHUNK:(chunk + 1) * CHUNK]
    problems = []
    for i, (command, case) in enumerate(runs):
        work = tmp_path / f"w{i}"
        work.mkdir()
        problem = check(command, case, answers, work)
        if problem:
            problems.append(problem)
    assert not problems, f"{len(problems)} of {len(runs)} runs misbehaved:\n" + "\n".join(problems)
