"""``detect`` as a run: options, batching over files and processes, input hashes and
provenance around the library's per-structure analysis (:mod:`symbreak_cli.symmetry`).

>>> from symbreak_cli.workflows.detect import detect_files, DetectOptions
>>> report = detect_files(["sample_data/BaTiO3_Pm-3m.cif"], DetectOptions(ladder=False))
>>> report.results[0].crystal.hm_short
'Pm-3m'
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import Callable, Iterator

from symbreak_cli.errors import OptionError, SymbreakError
from symbreak_cli.io.cell import Cell
from symbreak_cli.results.detect import DetectReport, StructureResult
from symbreak_cli.symmetry.detect import analyse_cell
from symbreak_cli.symmetry.parent import check_options
from symbreak_cli.symmetry.tolerances import DEFAULT_LMAX, DEFAULT_MAX_STRAIN
from symbreak_cli.symmetry.types import StructureAnalysis
from symbreak_cli.workflows._detect_batch import analyse_path, iter_results
from symbreak_cli.workflows.options import DetectOptions, ParentRequest


def read_parent(path: str, fmt: str | None = None, frame: int = 0, molecule: bool = False) -> Cell:
    """The one parent structure in a file (the first data block / frame)."""
    from symbreak_cli.io.structures import read_structures

    cells = read_structures(path, fmt=fmt, frame=frame, molecule=molecule)
    return cells[0]


def parent_request(parent_path: str | None = None, parent_group: str | None = None, lmax: int = DEFAULT_LMAX,
                   character_table: bool = False, max_strain: float = DEFAULT_MAX_STRAIN,
                   molecule: bool = False, parent_origin: str | None = None, mode_metric: str = "child") -> ParentRequest:
    """Check the parent options and read the parent structure (OptionError/InputError)."""
    if parent_path is not None or parent_group is not None:
        check_options(parent_path, parent_group, lmax, max_strain)
    parent = read_parent(parent_path, molecule=molecule) if parent_path else None
    if parent_origin is not None:
        if parent is None or not parent.periodic:
            raise OptionError("--parent-origin needs --parent with a crystal structure")
        if parent_origin not in parent.symbols:
            raise OptionError(f"--parent-origin {parent_origin!r}: the parent {parent_path} has no {parent_origin} atom "
                              f"(it has {', '.join(sorted(set(parent.symbols)))})")
    if mode_metric != "child" and (parent is None or not parent.periodic):
        raise OptionError("--mode-metric needs --parent with a crystal structure")
    return ParentRequest(parent, parent_path, parent_group, lmax, max_strain, character_table, parent_origin, mode_metric)


def _with_modes(a: StructureAnalysis, req: ParentRequest, symprec: float) -> StructureAnalysis:
    """The analysis with its symmetry-mode decomposition (crystal child, crystal parent)."""
    if req.parent is None or not req.parent.periodic or not a.cell.periodic or a.parent is None:
        return a
    from symbreak_cli.symmetry.modes import decompose

    try:
        d = decompose(req.parent, a.cell, origin=req.parent_origin, symprec=symprec,
                      max_strain=req.max_strain, metric=req.mode_metric)
    except SymbreakError as err:
        return replace(a, modes_note=err.message)
    return replace(a, modes=d)


#: ``callback(path, done, total)`` for the ladder steps of the structure being analysed in this
#: process (set by :func:`structure_progress`; worker processes of ``--jobs`` have none)
_STRUCTURE_PROGRESS: ContextVar[Callable[[str, int, int], None] | None] = ContextVar("structure_progress", default=None)


@contextmanager
def structure_progress(callback: Callable[[str, int, int], None] | None) -> Iterator[None]:
    """Report each structure's ladder steps analysed in this process to ``callback(path, done, total)``."""
    token = _STRUCTURE_PROGRESS.set(callback)
    try:
        yield
    finally:
        _STRUCTURE_PROGRESS.reset(token)


def analyse(cell: Cell, opts: DetectOptions) -> StructureAnalysis:
    """The library's analysis of one structure under the command's options (with
    ``opts.pseudo``, its ``pseudo`` field holds the search). Nothing is written here: the
    batch (:func:`~._detect_batch.analyse_path`) writes ``--write``/``--write-parent`` files.
    """
    a = _analyse(cell, opts)
    if not opts.pseudo:
        return a
    import dataclasses

    from symbreak_cli.symmetry.pseudo import pseudo_search

    search = pseudo_search(cell, opts.symprec, opts.angle_tolerance, opts.pseudo_max_displacement, opts.pseudo_max_strain)
    return dataclasses.replace(a, pseudo=search)


def _analyse(cell: Cell, opts: DetectOptions) -> StructureAnalysis:
    req = opts.parent
    report = _STRUCTURE_PROGRESS.get()
    a = analyse_cell(
        cell, symprec=opts.symprec, angle_tolerance=opts.angle_tolerance,
        ladder_tolerances=opts.tolerances if opts.ladder else None, max_displacement=opts.max_displacement,
        parent=req.parent if req is not None else None, parent_group=req.parent_group if req is not None else None,
        lmax=req.lmax if req is not None else DEFAULT_LMAX, max_strain=req.max_strain if req is not None else DEFAULT_MAX_STRAIN,
        own_group=req is not None and req.character_table,
        progress=None if report is None else (lambda done, total: report(cell.source, done, total)),
    )
    return _with_modes(a, req, opts.symprec) if req is not None else a


def _check_batch(paths: list[str], opts: DetectOptions, jobs: int, executor: str = "process",
                 shard: str | None = None) -> list[str]:
    """The files of a batch (directories expanded, then this shard's share), after checking the options."""
    from symbreak_cli.io.structures import expand_inputs
    from symbreak_cli.workflows._executors import EXECUTORS, parse_shard
    from symbreak_cli.workflows._executors import shard as take_shard

    opts.validate()
    if not (1 <= jobs <= 512):
        raise OptionError(f"--jobs must be between 1 and 512, got {jobs}")
    if executor not in EXECUTORS:
        raise OptionError(f"--executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    if not paths:
        raise OptionError("no structure files given")
    if shard is not None:
        parse_shard(shard)
    files = expand_inputs(paths)
    if files.count("-") > 1:
        raise OptionError("'-' (stdin) can be given only once")
    if shard is not None:
        if "-" in files:
            raise OptionError("--shard splits a file list; it cannot take '-' (stdin)")
        files = take_shard(files, shard)
        if not files:
            raise OptionError(f"--shard {shard}: this shard holds no files (the batch has fewer files than shards)")
    return files


def _input_file(path: str):
    from symbreak_cli.io.files import sha256_file
    from symbreak_cli.results.base import InputFile

    try:
        h = sha256_file(path) if path != "-" else None
    except OSError:
        h = None
    return InputFile(path=path, sha256=h)


def _options(opts: DetectOptions, jobs: int, executor: str = "process", shard: str | None = None) -> dict:
    options = {k: getattr(opts, k) for k in opts.__dataclass_fields__ if k != "parent"}
    options["jobs"] = jobs
    if executor != "process":
        options["executor"] = executor
    if shard is not None:
        options["shard"] = shard
    if opts.parent is not None:
        options.update(opts.parent.report_options())
    return _rename_units(options)


def _parent_input(opts: DetectOptions) -> list:
    if opts.parent is not None and opts.parent.parent_path not in (None, "-"):
        return [_input_file(opts.parent.parent_path)]
    return []


def detect_files(paths: list[str], opts: DetectOptions, jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None, command: str | None = None,
                 debug: bool = False, executor: str = "process", scheduler: str | None = None,
                 shard: str | None = None) -> DetectReport:
    """Analyse files (directories expand to their structure files) into one report.

    With ``jobs > 1`` the files are spread over a process pool in small chunks; results
    keep the input order. A file that fails in any way gets a one-line error in its entry;
    the others succeed. ``progress(done, total)`` is called as files finish; ``debug``
    lets library warnings and per-file tracebacks through to stderr. ``executor='dask'``
    runs the batch on a Dask cluster (``scheduler`` address, else a LocalCluster of ``jobs``
    workers); ``shard='K/N'`` keeps shard K (from 0) of the sorted file list.
    """
    from symbreak_cli.results.base import Inputs, make_provenance

    files = _check_batch(paths, opts, jobs, executor, shard)
    results: list[StructureResult] = []
    for i, entries in iter_results(files, opts, jobs, debug, executor, scheduler):
        results.extend(entries)
        if progress is not None:
            progress(i + 1, len(files))
    hashes = [_input_file(p) for p in files] + _parent_input(opts)
    return DetectReport(inputs=Inputs(files=hashes, options=_options(opts, jobs, executor, shard)), provenance=make_provenance(command),
                        results=results)


def stream_reports(paths: list[str], opts: DetectOptions, jobs: int = 1, command: str | None = None,
                   debug: bool = False, executor: str = "process", scheduler: str | None = None,
                   shard: str | None = None, progress: Callable[[int, int], None] | None = None) -> Iterator[DetectReport]:
    """One complete ``symbreak.detect/2`` report per input file, in input order, as each
    file (and every file before it) is done: the lines of ``detect --jsonl``.

    Each report's ``inputs.files`` holds that file (and the parent, if any) and its
    options carry ``"index"`` (0-based position in the batch) and ``"batch_size"``, so a
    line read on its own still says what it is and validates against the detect schema.
    """
    from symbreak_cli.results.base import Inputs, make_provenance

    files = _check_batch(paths, opts, jobs, executor, shard)
    provenance = make_provenance(command)
    options = _options(opts, jobs, executor, shard)
    parent = _parent_input(opts)
    for i, entries in iter_results(files, opts, jobs, debug, executor, scheduler):
        if progress is not None:
            progress(i + 1, len(files))
        yield DetectReport(inputs=Inputs(files=[_input_file(files[i]), *parent],
                                         options={**options, "index": i, "batch_size": len(files)}),
                           provenance=provenance, results=entries)


def _rename_units(options: dict) -> dict:
    units = {"symprec": "symprec_A", "angle_tolerance": "angle_tolerance_deg", "ladder_min": "ladder_min_A",
             "ladder_max": "ladder_max_A", "max_displacement": "max_displacement_A",
             "pseudo_max_displacement": "pseudo_max_displacement_A"}
    return {units.get(k, k): v for k, v in options.items()}


__all__ = ["DetectOptions", "ParentRequest", "analyse", "analyse_path", "detect_files", "parent_request",
           "read_parent", "stream_reports", "structure_progress"]
