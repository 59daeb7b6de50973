"""Batches beyond one process (issue 16, deliverables 5–6): ``--executor dask`` end to end on a
local Dask cluster gives the same entries as the serial run; ``--shard K/N`` splits a file list
into disjoint, complete, order-independent shards; ``--jsonl`` streams; big batches get a
failures summary table.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.errors import OptionError
from symbreak_cli.workflows._executors import parse_shard, shard

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
runner = CliRunner()


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("batch")
    for p in SAMPLE.iterdir():
        if p.suffix in (".cif", ".xyz"):
            (d / p.name).write_bytes(p.read_bytes())
    (d / "broken.xyz").write_text("junk\n")
    return d


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
                                  silence_logs=50) as c:
        yield c.scheduler_address


def _entries(stdout: str) -> list[tuple]:
    doc = json.loads(stdout)
    return [(r["path"], r.get("error"), (r.get("crystal") or {}).get("hm_short"),
             (r.get("molecule") or {}).get("point_group_schoenflies")) for r in doc["results"]]


def test_dask_batch_matches_the_serial_run(batch, cluster):
    serial = runner.invoke(app, ["detect", str(batch), "--no-ladder", "--json", "-q"])
    dask = runner.invoke(app, ["detect", str(batch), "--no-ladder", "--json", "-q", "--executor", "dask",
                               "--scheduler", cluster])
    assert serial.exit_code == dask.exit_code == 1  # broken.xyz
    assert _entries(dask.stdout) == _entries(serial.stdout)
    assert json.loads(dask.stdout)["inputs"]["options"]["executor"] == "dask"
    assert sum(1 for e in _entries(dask.stdout) if e[1]) == 1
    assert "broken.xyz" in dask.stderr.strip().splitlines()[-1]


def test_dask_jsonl_streams_one_report_per_file_in_order(batch, cluster):
    r = runner.invoke(app, ["detect", str(batch), "--no-ladder", "--jsonl", "-q", "--executor", "dask",
                            "--scheduler", cluster])
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    files = sorted(str(p) for p in batch.iterdir())
    assert [ln["inputs"]["files"][0]["path"] for ln in lines] == files
    assert [ln["inputs"]["options"]["index"] for ln in lines] == list(range(len(files)))


def test_unreachable_scheduler_is_one_line(batch):
    r = runner.invoke(app, ["detect", str(batch), "--no-ladder", "--json", "-q", "--executor", "dask",
                            "--scheduler", "tcp://127.0.0.1:1"])
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--scheduler tcp://127.0.0.1:1: cannot connect" in lines[0], r.stderr


def test_scheduler_without_dask_is_a_usage_error(batch):
    r = runner.invoke(app, ["detect", str(batch), "--scheduler", "tcp://x:1"])
    assert r.exit_code == 2 and "--executor dask" in r.stderr


@pytest.mark.slow
def test_default_local_cluster_of_worker_processes(batch):
    r = runner.invoke(app, ["detect", str(batch), "--no-ladder", "--json", "-q", "--executor", "dask", "--jobs", "2"])
    serial = runner.invoke(app, ["detect", str(batch), "--no-ladder", "--json", "-q"])
    assert _entries(r.stdout) == _entries(serial.stdout)


# --- shards --------------------------------------------------------------------------------------
@pytest.mark.parametrize("n_files, n", [(0, 1), (1, 3), (7, 3), (100, 8), (101, 101)])
def test_shards_are_disjoint_complete_and_order_independent(n_files, n):
    files = [f"dir/f{i:04d}.cif" for i in range(n_files)]
    parts = [shard(files, f"{k}/{n}") for k in range(n)]
    flat = [f for p in parts for f in p]
    assert sorted(flat) == sorted(files) and len(set(flat)) == len(flat)
    sizes = [len(p) for p in parts]
    assert max(sizes) - min(sizes) <= 1  # balanced
    shuffled = files[:]
    random.Random(n_files).shuffle(shuffled)
    assert [shard(shuffled, f"{k}/{n}") for k in range(n)] == parts


@pytest.mark.parametrize("spec", ["3", "1/0", "2/2", "-1/3", "a/b", "1/2/3", ""])
def test_bad_shard_specs(spec):
    with pytest.raises(OptionError, match="--shard"):
        parse_shard(spec)


def test_shard_through_the_cli_covers_the_batch(batch):
    seen = []
    for k in range(3):
        r = runner.invoke(app, ["detect", str(batch), "--no-ladder", "--json", "-q", "--shard", f"{k}/3"])
        doc = json.loads(r.stdout)
        assert doc["inputs"]["options"]["shard"] == f"{k}/3"
        seen += [f["path"] for f in doc["inputs"]["files"]]
    assert sorted(seen) == sorted(str(p) for p in batch.iterdir())
    r = runner.invoke(app, ["detect", str(batch), "--shard", "9/2"])
    assert r.exit_code == 1 and "--shard 9/2" in r.stderr


# --- failures summary -----------------------------------------------------------------------------
def test_big_batch_gets_a_failures_summary_table_small_one_does_not(tmp_path):
    text = (SAMPLE / "NH3.xyz").read_text()
    for i in range(25):
        (tmp_path / f"ok{i:02d}.xyz").write_text(text)
    for i in range(3):
        (tmp_path / f"junk{i}.xyz").write_text("junk\n")
    (tmp_path / "dup.xyz").write_text("2\n\nH 0 0 0\nH 0 0 0\n")
    r = runner.invoke(app, ["detect", str(tmp_path), "--no-ladder", "--jsonl"])
    assert r.exit_code == 1
    assert "4 of 29 files failed" in r.stderr
    rows = [ln for ln in r.stderr.splitlines() if "│" in ln and ("junk" in ln or "dup.xyz" in ln)]
    assert any(ln.split("│")[1].strip() == "3" for ln in rows) and any(ln.split("│")[1].strip() == "1" for ln in rows)
    small = runner.invoke(app, ["detect", str(tmp_path / "junk0.xyz"), str(tmp_path / "ok00.xyz"), "--no-ladder", "--jsonl"])
    assert "files failed" not in small.stderr and len(small.stderr.strip().splitlines()) == 1
