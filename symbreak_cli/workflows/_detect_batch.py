"""Running ``detect`` over many files: one file never takes the batch down.

:func:`analyse_path` turns *any* failure on one file — a :class:`SymbreakError`, a
``TypeError`` deep inside a reader, a numpy error — into that file's entry with a
one-line error, and keeps library warnings (numpy ``RuntimeWarning``, ase, spglib) off
stderr unless ``debug``. :func:`iter_results` yields each file's entries **in input
order** as soon as they and every file before them are done, serially or over a process
pool in small contiguous chunks; a worker that dies outright (a crash in C code) costs
only the file that killed it, which is rerun alone to find out which it was.
"""

from __future__ import annotations

import contextlib
import sys
from collections import deque
import traceback
import warnings
from typing import Iterator

from symbreak_cli.errors import SymbreakError, SymmetryError
from symbreak_cli.results.detect import StructureResult
from symbreak_cli.workflows.options import DetectOptions

#: files per task sent to a worker: big enough to amortise pickling, small enough to stream
MAX_CHUNK = 16
#: chunks in flight per worker (the rest wait unsubmitted)
WINDOW = 4


def one_line(text: str) -> str:
    """The first non-empty line of a message (library messages can span many)."""
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


@contextlib.contextmanager
def library_warnings(debug: bool) -> Iterator[None]:
    """Library warnings are noise to a user (they name site-packages paths); ``--debug`` shows them."""
    if debug:
        yield
        return
    import numpy as np

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def failure(path: str, err: BaseException) -> str:
    """One line naming the file and what went wrong, in the user's terms where we have them."""
    if isinstance(err, SymbreakError):
        text = one_line(str(err))
        return text if text.startswith(path) else f"{path}: {text}"
    detail = one_line(str(err))
    return (f"{path}: could not be analysed ({type(err).__name__}{': ' + detail if detail else ''}); "
            "rerun this file with --debug for the traceback")


def analyse_path(path: str, opts: DetectOptions, debug: bool = False) -> list[StructureResult]:
    """Read a file and analyse every structure in it; any failure becomes its entry."""
    from symbreak_cli.io.structures import read_structures
    from symbreak_cli.workflows._detect_results import structure_result
    from symbreak_cli.workflows.detect import analyse

    with library_warnings(debug):
        try:
            cells = read_structures(path, fmt=opts.fmt, frame=opts.frame, molecule=opts.molecule)
            out = []
            for cell in cells:
                a = analyse(cell, opts)
                if opts.write_parent is not None and a.pseudo is not None:  # detect --pseudo --write-parent
                    import dataclasses

                    from symbreak_cli.workflows._pseudo_results import write_parents

                    written = write_parents(a.pseudo, cell, opts.write_parent, opts.force)
                    a = dataclasses.replace(a, pseudo=dataclasses.replace(a.pseudo, written=written))
                result = structure_result(a, operations=opts.operations)
                if opts.write is not None:
                    from symbreak_cli.workflows._detect_write import write_found

                    try:
                        written = write_found(cell, opts.write, opts.symprec, opts.angle_tolerance, opts.force)
                    except SymmetryError as err:  # a slab or a disordered cell: the analysis stands, unwritten
                        result = result.model_copy(update={"warnings": [*result.warnings, f"--write: not written: {err.message}"]})
                    else:
                        result = result.model_copy(update={"written": written})
                out.append(result)
            return out
        except Exception as err:  # noqa: BLE001 — the batch goes on; the entry says what happened
            if debug:
                traceback.print_exc(file=sys.stderr)
            return [StructureResult(path=path, error=failure(path, err))]


def _analyse_chunk(paths: list[str], opts: DetectOptions, debug: bool) -> list[list[StructureResult]]:
    return [analyse_path(p, opts, debug) for p in paths]


def _chunks(n: int, jobs: int) -> list[range]:
    size = max(1, min(MAX_CHUNK, -(-n // (jobs * 4))))
    return [range(i, min(n, i + size)) for i in range(0, n, size)]


def _isolated(path: str, opts: DetectOptions, debug: bool) -> list[StructureResult]:
    """Rerun one file in a fresh one-worker pool: if it kills that worker too, it is the culprit."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(analyse_path, path, opts, debug).result()
        except BrokenProcessPool:
            return [StructureResult(path=path, error=f"{path}: the analysis crashed its worker process "
                                                     "(a fault inside a compiled library); the other files are unaffected")]


def iter_results(files: list[str], opts: DetectOptions, jobs: int = 1, debug: bool = False, executor: str = "process",
                 scheduler: str | None = None) -> Iterator[tuple[int, list[StructureResult]]]:
    """(index, entries) for each file, in input order, as they are done.

    ``'-'`` (stdin) is always read in this process; with ``jobs > 1`` the other files go
    to a process pool (forked after ase.io and spglib are imported, so no worker pays
    for those imports again). ``executor='dask'`` runs them on a Dask cluster instead
    (:func:`symbreak_cli.workflows._executors.iter_dask`: ``scheduler`` or a LocalCluster
    of ``jobs`` workers).
    """
    if executor == "dask":
        from symbreak_cli.workflows._executors import iter_dask

        yield from iter_dask(files, opts, jobs=max(jobs, 1), scheduler=scheduler, debug=debug)
        return
    if jobs == 1 or len(files) < 2:
        for i, p in enumerate(files):
            yield i, analyse_path(p, opts, debug)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import ase.io  # noqa: F401  imported once here: forked workers inherit them
    import gemmi  # noqa: F401
    import spglib  # noqa: F401

    import symbreak_cli.io.structures  # noqa: F401
    import symbreak_cli.workflows._detect_results  # noqa: F401

    pooled = [i for i, p in enumerate(files) if p != "-"]
    chunks = deque(_chunks(len(pooled), jobs))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # a bounded window of chunks in flight: finished results are dropped once yielded, so
        # memory does not grow with the number of files (a list of all futures would keep them all)
        window: deque = deque()

        def top_up() -> None:
            while chunks and len(window) < WINDOW * jobs:
                c = chunks.popleft()
                try:
                    window.append((c, pool.submit(_analyse_chunk, [files[pooled[k]] for k in c], opts, debug)))
                except BrokenProcessPool:  # a worker died: the pool takes no more; each file is rerun alone
                    window.append((c, None))

        top_up()
        done: dict[int, list[StructureResult]] = {}
        nxt = 0
        while window:
            c, fut = window.popleft()
            top_up()
            try:
                if fut is None:
                    raise BrokenProcessPool
                for k, res in zip(c, fut.result()):
                    done[pooled[k]] = res
            except BrokenProcessPool:
                for k in c:
                    done[pooled[k]] = _isolated(files[pooled[k]], opts, debug)
            del fut
            while nxt < len(files) and (nxt in done or files[nxt] == "-"):
                yield nxt, done.pop(nxt) if nxt in done else analyse_path(files[nxt], opts, debug)
                nxt += 1
        while nxt < len(files):  # a trailing '-'
            yield nxt, analyse_path(files[nxt], opts, debug)
            nxt += 1


__all__ = ["analyse_path", "failure", "iter_results", "library_warnings", "one_line"]
