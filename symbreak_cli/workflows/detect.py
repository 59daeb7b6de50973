"""``detect`` as a run: options, batching over files and processes, input hashes and
provenance around the library's per-structure analysis (:mod:`symbreak_cli.symmetry`).

>>> from symbreak_cli.workflows.detect import detect_files, DetectOptions
>>> report = detect_files(["sample_data/BaTiO3_Pm-3m.cif"], DetectOptions(ladder=False))
>>> report.results[0].crystal.hm_short
'Pm-3m'
"""

from __future__ import annotations

from typing import Callable, Iterator

from symbreak_cli.errors import OptionError
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
                   molecule: bool = False) -> ParentRequest:
    """Check the parent options and read the parent structure (OptionError/InputError)."""
    if parent_path is not None or parent_group is not None:
        check_options(parent_path, parent_group, lmax, max_strain)
    parent = read_parent(parent_path, molecule=molecule) if parent_path else None
    return ParentRequest(parent, parent_path, parent_group, lmax, max_strain, character_table)


def analyse(cell: Cell, opts: DetectOptions) -> StructureAnalysis:
    """The library's analysis of one structure under the command's options (with
    ``opts.pseudo``, a :class:`~symbreak_cli.symmetry.pseudo.PseudoStructureAnalysis`
    carrying the search; ``opts.write_parent`` writes its candidates' idealised structures).
    """
    a = _analyse(cell, opts)
    if not opts.pseudo:
        return a
    import dataclasses

    from symbreak_cli.symmetry.pseudo import PseudoStructureAnalysis, pseudo_search

    search = pseudo_search(cell, opts.symprec, opts.angle_tolerance, opts.pseudo_max_displacement, opts.pseudo_max_strain)
    if opts.write_parent is not None:
        from symbreak_cli.workflows._pseudo_results import write_parents

        search = dataclasses.replace(search, written=write_parents(search, cell, opts.write_parent, opts.force))
    fields = {f.name: getattr(a, f.name) for f in dataclasses.fields(a)}
    return PseudoStructureAnalysis(**fields, pseudo=search)


def _analyse(cell: Cell, opts: DetectOptions) -> StructureAnalysis:
    req = opts.parent
    return analyse_cell(
        cell, symprec=opts.symprec, angle_tolerance=opts.angle_tolerance,
        ladder_tolerances=opts.tolerances if opts.ladder else None, max_displacement=opts.max_displacement,
        parent=req.parent if req is not None else None, parent_group=req.parent_group if req is not None else None,
        lmax=req.lmax if req is not None else DEFAULT_LMAX, max_strain=req.max_strain if req is not None else DEFAULT_MAX_STRAIN,
        own_group=req is not None and req.character_table,
    )


def _check_batch(paths: list[str], opts: DetectOptions, jobs: int) -> list[str]:
    """The files of a batch (directories expanded), after checking the options."""
    from symbreak_cli.io.structures import expand_inputs

    opts.validate()
    if not (1 <= jobs <= 512):
        raise OptionError(f"--jobs must be between 1 and 512, got {jobs}")
    if not paths:
        raise OptionError("no structure files given")
    files = expand_inputs(paths)
    if files.count("-") > 1:
        raise OptionError("'-' (stdin) can be given only once")
    return files


def _input_file(path: str):
    from symbreak_cli.io.files import sha256_file
    from symbreak_cli.results.base import InputFile

    try:
        h = sha256_file(path) if path != "-" else None
    except OSError:
        h = None
    return InputFile(path=path, sha256=h)


def _options(opts: DetectOptions, jobs: int) -> dict:
    options = {k: getattr(opts, k) for k in opts.__dataclass_fields__ if k != "parent"}
    options["jobs"] = jobs
    if opts.parent is not None:
        options.update(opts.parent.report_options())
    return _rename_units(options)


def _parent_input(opts: DetectOptions) -> list:
    if opts.parent is not None and opts.parent.parent_path not in (None, "-"):
        return [_input_file(opts.parent.parent_path)]
    return []


def detect_files(paths: list[str], opts: DetectOptions, jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None, command: str | None = None,
                 debug: bool = False) -> DetectReport:
    """Analyse files (directories expand to their structure files) into one report.

    With ``jobs > 1`` the files are spread over a process pool in small chunks; results
    keep the input order. A file that fails in any way gets a one-line error in its entry;
    the others succeed. ``progress(done, total)`` is called as files finish; ``debug``
    lets library warnings and per-file tracebacks through to stderr.
    """
    from symbreak_cli.results.base import Inputs, make_provenance

    files = _check_batch(paths, opts, jobs)
    results: list[StructureResult] = []
    for i, entries in iter_results(files, opts, jobs, debug):
        results.extend(entries)
        if progress is not None:
            progress(i + 1, len(files))
    hashes = [_input_file(p) for p in files] + _parent_input(opts)
    return DetectReport(inputs=Inputs(files=hashes, options=_options(opts, jobs)), provenance=make_provenance(command),
                        results=results)


def stream_reports(paths: list[str], opts: DetectOptions, jobs: int = 1, command: str | None = None,
                   debug: bool = False) -> Iterator[DetectReport]:
    """One complete ``symbreak.detect/2`` report per input file, in input order, as each
    file (and every file before it) is done: the lines of ``detect --jsonl``.

    Each report's ``inputs.files`` holds that file (and the parent, if any) and its
    options carry ``"index"`` (0-based position in the batch) and ``"batch_size"``, so a
    line read on its own still says what it is and validates against the detect schema.
    """
    from symbreak_cli.results.base import Inputs, make_provenance

    files = _check_batch(paths, opts, jobs)
    provenance = make_provenance(command)
    options = _options(opts, jobs)
    parent = _parent_input(opts)
    for i, entries in iter_results(files, opts, jobs, debug):
        yield DetectReport(inputs=Inputs(files=[_input_file(files[i]), *parent],
                                         options={**options, "index": i, "batch_size": len(files)}),
                           provenance=provenance, results=entries)


def _rename_units(options: dict) -> dict:
    units = {"symprec": "symprec_A", "angle_tolerance": "angle_tolerance_deg", "ladder_min": "ladder_min_A",
             "ladder_max": "ladder_max_A", "max_displacement": "max_displacement_A",
             "pseudo_max_displacement": "pseudo_max_displacement_A"}
    return {units.get(k, k): v for k, v in options.items()}


__all__ = ["DetectOptions", "ParentRequest", "analyse", "analyse_path", "detect_files", "parent_request", "read_parent",
           "stream_reports"]
