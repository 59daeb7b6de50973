"""Where a ``detect`` batch runs: this process, a local process pool, or a Dask cluster; and
which part of a file list a job-array task takes (``--shard K/N``).

Every executor yields ``(index, entries)`` in input order as soon as a file and every file
before it are done (:func:`symbreak_cli.workflows._detect_batch.iter_results` for the first
two, :func:`iter_dask` here), so ``--jsonl`` streams and memory stays flat in the number of files.

>>> shard(["c.cif", "a.cif", "b.cif", "d.cif", "e.cif"], "0/2")
['a.cif', 'c.cif', 'e.cif']
>>> shard(["c.cif", "a.cif", "b.cif", "d.cif", "e.cif"], "1/2")
['b.cif', 'd.cif']
"""

from __future__ import annotations

from typing import Iterator

from symbreak_cli.errors import OptionError
from symbreak_cli.results.detect import StructureResult
from symbreak_cli.workflows.options import DetectOptions

#: the executors ``detect --executor`` accepts
EXECUTORS = ("process", "dask")
#: files per Dask task: big enough to amortise scheduling, small enough to stream
DASK_CHUNK = 32


def parse_shard(text: str) -> tuple[int, int]:
    """``'K/N'`` -> (K, N) with 0 ≤ K < N (K is 0-based, like ``$SLURM_ARRAY_TASK_ID`` with ``--array=0-(N-1)``)."""
    k, sep, n = str(text).partition("/")
    if not sep or not k.strip().isdigit() or not n.strip().isdigit():
        raise OptionError(f"--shard must look like K/N (e.g. 0/8), got {text!r}")
    k_, n_ = int(k), int(n)
    if not (n_ >= 1 and 0 <= k_ < n_):
        raise OptionError(f"--shard {text}: need 0 ≤ K < N (K counts from 0)")
    return k_, n_


def shard(files: list[str], spec: str) -> list[str]:
    """Shard K of N of a file list: the sorted list dealt round-robin, so the N shards are
    disjoint, cover every file, and are the same on every machine whatever order the files
    were given in.
    """
    k, n = parse_shard(spec)
    return sorted(files)[k::n]


def _chunk(paths: list[str], opts: DetectOptions, debug: bool) -> list[list[StructureResult]]:
    from symbreak_cli.workflows._detect_batch import analyse_path

    return [analyse_path(p, opts, debug) for p in paths]


def iter_dask(files: list[str], opts: DetectOptions, jobs: int = 2, scheduler: str | None = None,
              debug: bool = False) -> Iterator[tuple[int, list[StructureResult]]]:
    """(index, entries) per file, in input order, computed on a Dask distributed cluster.

    ``scheduler`` is the address of a running scheduler (``tcp://host:8786``); without it a
    ``LocalCluster`` of ``jobs`` single-threaded worker processes is started for this batch
    and closed after it. ``'-'`` (stdin) is read here. A task that fails on the cluster (a
    worker lost, a failure outside :func:`analyse_path`) costs only its files, whose entries
    say so.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise OptionError("--executor dask needs dask and distributed: pip install 'symbreak-cli[dask]'") from None
    from symbreak_cli.workflows._detect_batch import analyse_path

    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as err:
                raise OptionError(f"--scheduler {scheduler}: cannot connect ({err})") from None
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=50)
            client = Client(cluster)
        with client:
            pooled = [i for i, p in enumerate(files) if p != "-"]
            chunks = [pooled[i:i + DASK_CHUNK] for i in range(0, len(pooled), DASK_CHUNK)]
            futures = {client.submit(_chunk, [files[i] for i in c], opts, debug, pure=False): c for c in chunks}
            done: dict[int, list[StructureResult]] = {}
            nxt = 0
            for fut in as_completed(futures):
                c = futures.pop(fut)
                try:
                    for i, res in zip(c, fut.result()):
                        done[i] = res
                except Exception as err:  # noqa: BLE001 — the batch goes on
                    for i in c:
                        done[i] = [StructureResult(path=files[i], error=f"{files[i]}: the Dask task analysing it failed "
                                                                          f"({type(err).__name__}); the other files are unaffected")]
                fut.release()
                while nxt < len(files) and (nxt in done or files[nxt] == "-"):
                    yield nxt, done.pop(nxt) if nxt in done else analyse_path(files[nxt], opts, debug)
                    nxt += 1
            while nxt < len(files):
                yield nxt, analyse_path(files[nxt], opts, debug)
                nxt += 1
    finally:
        if cluster is not None:
            cluster.close()


__all__ = ["DASK_CHUNK", "EXECUTORS", "iter_dask", "parse_shard", "shard"]
