"""``detect`` as a run: options, batching over files and processes, input hashes and
provenance around the library's per-structure analysis (:mod:`symbreak_cli.symmetry`).

>>> from symbreak_cli.workflows.detect import detect_files, DetectOptions
>>> report = detect_files(["sample_data/BaTiO3_Pm-3m.cif"], DetectOptions(ladder=False))
>>> report.results[0].crystal.hm_short
'Pm-3m'
"""

from __future__ import annotations

from typing import Callable

from symbreak_cli.errors import OptionError, SymbreakError
from symbreak_cli.io.cell import Cell
from symbreak_cli.results.detect import DetectReport, StructureResult
from symbreak_cli.symmetry.detect import analyse_cell
from symbreak_cli.symmetry.parent import check_options
from symbreak_cli.symmetry.tolerances import DEFAULT_LMAX, DEFAULT_MAX_STRAIN
from symbreak_cli.symmetry.types import StructureAnalysis
from symbreak_cli.workflows._detect_results import structure_result
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
    """The library's analysis of one structure under the command's options."""
    req = opts.parent
    return analyse_cell(
        cell, symprec=opts.symprec, angle_tolerance=opts.angle_tolerance,
        ladder_tolerances=opts.tolerances if opts.ladder else None, max_displacement=opts.max_displacement,
        parent=req.parent if req is not None else None, parent_group=req.parent_group if req is not None else None,
        lmax=req.lmax if req is not None else DEFAULT_LMAX, max_strain=req.max_strain if req is not None else DEFAULT_MAX_STRAIN,
        own_group=req is not None and req.character_table,
    )


def analyse_path(path: str, opts: DetectOptions) -> list[StructureResult]:
    """Read a file and analyse every structure in it; errors become entries, not exceptions."""
    from symbreak_cli.io.structures import read_structures

    try:
        cells = read_structures(path, fmt=opts.fmt, frame=opts.frame, molecule=opts.molecule)
        return [structure_result(analyse(c, opts)) for c in cells]
    except SymbreakError as err:  # e.g. the parent analysis: name the child file in its message
        return [StructureResult(path=path, error=str(err) if path in str(err) else f"{path}: {err}")]


def _analyse_many(paths: list[str], opts: DetectOptions) -> list[list[StructureResult]]:
    return [analyse_path(p, opts) for p in paths]


def detect_files(paths: list[str], opts: DetectOptions, jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None, command: str | None = None) -> DetectReport:
    """Analyse files (directories expand to their structure files) into one report.

    With ``jobs > 1`` the files are spread over a process pool in chunks; results keep
    the input order. A file that fails gets its error in its entry; the others succeed.
    ``progress(done, total)`` is called as files finish.
    """
    from symbreak_cli.io.files import sha256_file
    from symbreak_cli.io.structures import expand_inputs
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance

    opts.validate()
    if not (1 <= jobs <= 512):
        raise OptionError(f"--jobs must be between 1 and 512, got {jobs}")
    if not paths:
        raise OptionError("no structure files given")
    files = expand_inputs(paths)
    if files.count("-") > 1:
        raise OptionError("'-' (stdin) can be given only once")
    results: list[StructureResult] = []
    if jobs == 1 or len(files) < 2:
        for i, p in enumerate(files):
            results.extend(analyse_path(p, opts))
            if progress is not None:
                progress(i + 1, len(files))
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        import ase.io  # noqa: F401  imported once here, so forked workers don't each pay ~0.7 s
        import spglib  # noqa: F401

        n_chunks = min(len(files), jobs * 8)
        chunks = [files[i::n_chunks] for i in range(n_chunks)]  # interleaved: balances slow files
        by_path: dict[int, list[StructureResult]] = {}
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_analyse_many, chunk, opts): c for c, chunk in enumerate(chunks)}
            for fut in as_completed(futures):
                c = futures[fut]
                for k, res in enumerate(fut.result()):
                    by_path[c + k * n_chunks] = res
                if progress is not None:
                    progress(len(by_path), len(files))
        for i in range(len(files)):
            results.extend(by_path[i])
    hashes = []
    for p in files:
        try:
            h = sha256_file(p) if p != "-" else None
        except OSError:
            h = None
        hashes.append(InputFile(path=p, sha256=h))
    options = {k: getattr(opts, k) for k in opts.__dataclass_fields__ if k != "parent"}
    options["jobs"] = jobs
    if opts.parent is not None:
        options.update(opts.parent.report_options())
        if opts.parent.parent_path not in (None, "-"):
            hashes.append(InputFile(path=opts.parent.parent_path, sha256=sha256_file(opts.parent.parent_path)))
    return DetectReport(inputs=Inputs(files=hashes, options=_rename_units(options)), provenance=make_provenance(command),
                        results=results)


def _rename_units(options: dict) -> dict:
    units = {"symprec": "symprec_A", "angle_tolerance": "angle_tolerance_deg", "ladder_min": "ladder_min_A",
             "ladder_max": "ladder_max_A", "max_displacement": "max_displacement_A"}
    return {units.get(k, k): v for k, v in options.items()}


__all__ = ["DetectOptions", "ParentRequest", "analyse", "analyse_path", "detect_files", "parent_request", "read_parent"]
