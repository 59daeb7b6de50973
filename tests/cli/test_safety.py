"""Safety (issue 16, deliverable 4): no network, no pickle or eval in the runtime, checkpoints
load weights-only (a pickled payload in a checkpoint never runs), report fields are data.
"""

from __future__ import annotations

import ast
import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
PACKAGE = REPO / "symbreak_cli"
runner = CliRunner()


class NetworkUsed(BaseException):
    """BaseException: no ``except Exception`` in the code under test can swallow it."""


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise NetworkUsed(f"network access attempted: {a[1:] if len(a) > 1 else a}")
    for name in ("connect", "connect_ex", "bind", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_socket_block_really_blocks(no_network):
    """Negative control: the fixture does refuse a connection."""
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
    s = socket.socket()
    with pytest.raises(NetworkUsed):
        s.connect(("127.0.0.1", 9))
    s.close()


def test_every_command_runs_with_sockets_blocked(no_network, tmp_path):
    def ok(*args):
        r = runner.invoke(app, [str(a) for a in args])
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        assert r.exit_code == 0, (args, r.stderr)
        return r

    data = tmp_path / "data"
    ok("sample-data", data)
    det = ok("detect", SAMPLE / "SrTiO3_I4mcm.cif", "--parent", SAMPLE / "SrTiO3_Pm-3m.cif", "--json", "-q")
    ok("detect", SAMPLE / "NH3.xyz", "--character-table", "-q")
    (tmp_path / "d.json").write_text(det.stdout)
    tr = ok("train-relaxed", data / "cube_to_prism.h5", "--epochs", 2, "--out", tmp_path / "run", "--json", "-q")
    (tmp_path / "t.json").write_text(tr.stdout)
    for rep in ("d.json", "t.json"):
        for fmt in ("table", "markdown", "html", "json"):
            ok("report", tmp_path / rep, "-f", fmt, "--out", tmp_path / f"{rep}.{fmt}")
    ok("schema", "detect")
    ok("schema", "train")


# --- static: what the runtime never does ------------------------------------------------------
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "yaml", "urllib", "http",
                     "requests", "socket", "ftplib", "smtplib"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}


def _sources():
    for p in sorted(PACKAGE.rglob("*.py")):
        yield p, ast.parse(p.read_text(), str(p))


def test_runtime_imports_no_pickle_or_network_modules_and_never_evals():
    problems = []
    for p, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            for n in names:
                if n.split(".")[0] in FORBIDDEN_MODULES:
                    problems.append(f"{p.relative_to(REPO)}:{node.lineno} imports {n}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                problems.append(f"{p.relative_to(REPO)}:{node.lineno} calls {node.func.id}()")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                f = node.func
                kw = {k.arg: k.value for k in node.keywords}
                if f.attr == "load" and isinstance(f.value, ast.Name) and f.value.id == "torch":
                    w = kw.get("weights_only")
                    if not (isinstance(w, ast.Constant) and w.value is True):
                        problems.append(f"{p.relative_to(REPO)}:{node.lineno} torch.load without weights_only=True")
                if f.attr in ("load", "loadtxt") and isinstance(f.value, ast.Name) and f.value.id in ("np", "numpy"):
                    ap = kw.get("allow_pickle")
                    if ap is not None and not (isinstance(ap, ast.Constant) and ap.value is False):
                        problems.append(f"{p.relative_to(REPO)}:{node.lineno} np.load with allow_pickle")
    assert not problems, "\n".join(problems)


def test_static_scan_catches_what_it_looks_for(tmp_path, monkeypatch):
    """Negative control: a module that unpickles and evals is reported."""
    bad = tmp_path / "symbreak_cli"
    bad.mkdir()
    (bad / "evil.py").write_text("import pickle\nimport torch\nx = eval('1')\ny = torch.load('f')\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", bad)
    monkeypatch.setattr(__import__(__name__), "REPO", tmp_path)
    with pytest.raises(AssertionError) as err:
        test_runtime_imports_no_pickle_or_network_modules_and_never_evals()
    text = str(err.value)
    assert "imports pickle" in text and "calls eval()" in text and "without weights_only" in text


# --- checkpoints: a pickled payload never runs --------------------------------------------------
class _Payload:
    def __init__(self, target: str):
        self.target = target

    def __reduce__(self):
        return (Path.write_text, (Path(self.target), "pwned"))


def test_a_checkpoint_with_a_pickled_payload_is_refused_and_never_runs(tmp_path):
    import torch

    out = tmp_path / "run"
    r = runner.invoke(app, ["train-relaxed", str(SAMPLE / "cube_to_prism.h5"), "--epochs", "1", "--out", str(out), "-q"])
    assert r.exit_code == 0, r.stderr
    sentinel = tmp_path / "PWNED"
    torch.save({"model": {}, "epoch": 0, "payload": _Payload(str(sentinel))}, out / "relaxed.pt")
    assert not sentinel.exists()
    r = runner.invoke(app, ["train-relaxed", str(SAMPLE / "cube_to_prism.h5"), "--epochs", "2", "--out", str(out),
                            "--resume", "-q"])
    assert not sentinel.exists(), "the checkpoint's pickled payload ran"
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1, (r.exit_code, r.stderr)
    # control: an ordinary unpickle does run it (the test would catch a loader that did)
    torch.load(out / "relaxed.pt", weights_only=False)
    assert sentinel.read_text() == "pwned"


# --- report fields are data ---------------------------------------------------------------------
def test_report_fields_are_never_executed_or_opened(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    r = runner.invoke(app, ["detect", str(SAMPLE / "NH3.xyz"), "--json", "--no-ladder", "-q"])
    doc = json.loads(r.stdout)
    sentinel = tmp_path / "PWNED"
    doc["results"][0]["path"] = str(secret)
    doc["results"][0]["formula"] = f"__import__('pathlib').Path({str(sentinel)!r}).write_text('x')"
    doc["results"][0]["label"] = f"$(touch {sentinel})"
    doc["inputs"]["files"][0]["path"] = str(secret)
    doc["provenance"]["command"] = f"`touch {sentinel}`"
    rep = tmp_path / "evil.json"
    rep.write_text(json.dumps(doc))
    opened = []
    real_open = open

    def spy(file, *a, **k):
        opened.append(str(file))
        return real_open(file, *a, **k)
    monkeypatch.setattr("builtins.open", spy)
    for fmt in ("markdown", "html", "json"):
        r = runner.invoke(app, ["report", str(rep), "-f", fmt])
        assert r.exit_code == 0, r.stderr
        assert "TOP-SECRET-CONTENT" not in r.stdout
    assert not sentinel.exists()
    assert str(secret) not in opened and str(sentinel) not in opened


def test_an_unsafe_checkpoint_is_named_in_the_users_terms(tmp_path):
    import torch

    out = tmp_path / "run"
    r = runner.invoke(app, ["train-relaxed", str(SAMPLE / "cube_to_prism.h5"), "--epochs", "1", "--out", str(out), "-q"])
    assert r.exit_code == 0, r.stderr
    torch.save({"model": {}, "epoch": 0, "payload": _Payload(str(tmp_path / "PWNED"))}, out / "relaxed.pt")
    r = runner.invoke(app, ["train-relaxed", str(SAMPLE / "cube_to_prism.h5"), "--epochs", "2", "--out", str(out),
                            "--resume", "-q"])
    line = r.stderr.strip()
    assert f"{out / 'relaxed.pt'}: " in line and "unexpected" not in line and len(line) < 300, line
