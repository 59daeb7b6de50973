"""``symbreak detect``: space groups, point groups, the tolerance ladder, parent analysis."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Annotated, Callable, Iterator, Literal, Optional

import typer

from symbreak_cli.cli._output import command_line, emit, fail, failures_summary, file_progress, guard, one_line, write_stdout
from symbreak_cli.cli.options import (
    AngleTolOpt,
    CharacterTableOpt,
    DebugOpt,
    OUTPUT,
    PARENT,
    ForceOpt,
    FrameOpt,
    InputFormatOpt,
    JobsOpt,
    JsonlOpt,
    JsonOpt,
    LadderMaxOpt,
    LadderMinOpt,
    LadderOpt,
    LadderStepsOpt,
    LmaxOpt,
    MaxDisplacementOpt,
    MaxStrainOpt,
    MoleculeOpt,
    OperationsOpt,
    ParentGroupOpt,
    ParentOpt,
    QuietOpt,
    SymprecOpt,
    WriteOpt,
    default,
)
from symbreak_cli.workflows.options import DetectOptions, ParentRequest

#: a single file's ladder progress shows on stderr once its run has taken this long (s)
SLOW_S = 1.0


@contextlib.contextmanager
def ladder_progress(quiet: bool, single: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """``callback(path, done, total)`` for a molecule's ladder: a rich bar on stderr (a line
    at the end when stderr is no terminal), shown only for a single file that has taken more
    than :data:`SLOW_S`; nothing on stdout, so ``--json`` stays one document.
    """
    if quiet or not single:
        yield None
        return
    start = time.perf_counter()
    state: dict = {}

    def update(path: str, done: int, total: int) -> None:
        if "bar" not in state and time.perf_counter() - start < SLOW_S:
            return
        if "bar" not in state:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            from symbreak_cli.cli._output import console
            from symbreak_cli.render.detect import short_name

            err = console(stderr=True)
            state["bar"] = Progress(TextColumn(f"ladder {short_name(path)}"), BarColumn(), MofNCompleteColumn(),
                                    TextColumn("tolerances"), TimeElapsedColumn(), console=err, transient=True)
            state["terminal"] = err.is_terminal
            state["bar"].start()
            state["task"] = state["bar"].add_task("ladder", total=total)
        state["bar"].update(state["task"], completed=done, total=total)
        state["last"] = (path, done, total)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()
            if not state["terminal"]:
                from symbreak_cli.render.detect import short_name

                path, done, total = state["last"]
                typer.echo(f"symbreak: {short_name(path)}: ladder {done}/{total} tolerances, "
                           f"{time.perf_counter() - start:.1f} s", err=True)


ExecutorOpt = Annotated[Literal["process", "dask"], typer.Option(
    "--executor", help="Where --jobs workers run: process (a local process pool) or dask (a Dask cluster: --scheduler, "
    "else a LocalCluster of --jobs workers).", rich_help_panel="Batches")]
SchedulerOpt = Annotated[Optional[str], typer.Option(
    "--scheduler", help="Address of a running Dask scheduler (tcp://host:8786) for --executor dask.", rich_help_panel="Batches")]
ShardOpt = Annotated[Optional[str], typer.Option(
    "--shard", help="K/N: analyse only shard K (from 0) of N of the sorted file list, for job arrays "
    "(e.g. --shard $SLURM_ARRAY_TASK_ID/8).", rich_help_panel="Batches")]
ParentOriginOpt = Annotated[Optional[str], typer.Option(
    "--parent-origin", help="Element of the parent atom put at the origin for the symmetry-mode labels (e.g. Ti: a "
    "perovskite's tilts are R4+/M3+ with B at the origin, R5-/M2+ with A there). Default: the parent's standard origin.",
    rich_help_panel="Parent and group theory")]
ModeMetricOpt = Annotated[Literal["child", "parent"], typer.Option(
    "--mode-metric", help="Lattice in which the mode amplitudes measure displacements: child (the parent supercell at "
    "the child's volume; AMPLIMODES uses the child's lattice) or parent (the undistorted parent: ISODISTORT's "
    "numbers, which differ by the cube root of the volume ratio).", rich_help_panel="Parent and group theory")]
PseudoOpt = Annotated[bool, typer.Option(
    "--pseudo", help="Pseudo-symmetry search: the supergroups of the space group (climbed through minimal supergroups "
    "up to the cubic aristotype) that the structure reaches moving no atom more than --max-displacement (default 1 Å "
    "with --pseudo) and straining the lattice no more than --max-strain; each with its index, chain and idealised "
    "structure.", rich_help_panel=PARENT)]
WriteParentOpt = Annotated[Optional[Path], typer.Option(
    "--write-parent", help="With --pseudo: write each candidate's idealised structure into this directory as CIF "
    "(<file>_pseudo_<group>_<number>_i<index>.cif, usable as --parent); existing files need --force.",
    rich_help_panel=OUTPUT)]

StructuresArg = Annotated[list[str], typer.Argument(
    help="Structure files (CIF, POSCAR/CONTCAR, xyz, extxyz, ASE .traj, pymatgen JSON), directories "
    "(every structure file inside), or '-' for stdin.", show_default=False)]


def detect(
    structures: StructuresArg,
    fmt: InputFormatOpt = default(DetectOptions, "fmt"),
    frame: FrameOpt = default(DetectOptions, "frame"),
    molecule: MoleculeOpt = default(DetectOptions, "molecule"),
    symprec: SymprecOpt = default(DetectOptions, "symprec"),
    angle_tol: AngleTolOpt = default(DetectOptions, "angle_tolerance"),
    ladder: LadderOpt = default(DetectOptions, "ladder"),
    ladder_min: LadderMinOpt = default(DetectOptions, "ladder_min"),
    ladder_max: LadderMaxOpt = default(DetectOptions, "ladder_max"),
    ladder_steps: LadderStepsOpt = default(DetectOptions, "ladder_steps"),
    max_displacement: MaxDisplacementOpt = default(DetectOptions, "max_displacement"),
    jobs: JobsOpt = 1,
    executor: ExecutorOpt = "process",
    scheduler: SchedulerOpt = None,
    shard: ShardOpt = None,
    parent: ParentOpt = default(ParentRequest, "parent_path"),
    parent_group: ParentGroupOpt = default(ParentRequest, "parent_group"),
    lmax: LmaxOpt = default(ParentRequest, "lmax"),
    max_strain: MaxStrainOpt = default(ParentRequest, "max_strain"),
    character_table: CharacterTableOpt = default(ParentRequest, "character_table"),
    parent_origin: ParentOriginOpt = None,
    mode_metric: ModeMetricOpt = default(ParentRequest, "mode_metric"),
    pseudo: PseudoOpt = default(DetectOptions, "pseudo"),
    write_parent: WriteParentOpt = None,
    operations: OperationsOpt = default(DetectOptions, "operations"),
    write: WriteOpt = None,
    force: ForceOpt = default(DetectOptions, "force"),
    as_json: JsonOpt = False,
    jsonl: JsonlOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    ctx: typer.Context = None,
) -> None:
    """Find the space group (crystals) or point group (molecules) of each structure.

    Reports the group at --symprec, Wyckoff orbits and site symmetries, the symmetry operations, the tolerance ladder (the group found at each tolerance) and the approximate symmetry: the highest group reachable by moving no atom more than --max-displacement.

    Examples:
      symbreak detect sample_data/BaTiO3_P4mm.cif
      symbreak detect sample_data/ --json --no-ladder --jobs 2
      symbreak detect big_dir/ --jsonl --no-ladder --jobs 8 > results.jsonl
      symbreak detect big_dir/ --jsonl --no-ladder --executor dask --jobs 4 > results.jsonl
      symbreak detect big_dir/ --jsonl --no-ladder --shard 0/8 > part0.jsonl
      cat POSCAR | symbreak detect - --format vasp
      symbreak detect sample_data/BaTiO3_P4mm.cif --parent sample_data/BaTiO3_Pm-3m.cif
      symbreak detect sample_data/SrTiO3_I4mcm.cif --parent sample_data/SrTiO3_Pm-3m.cif --parent-origin Ti
      symbreak detect sample_data/SrTiO3_I4mcm.cif --parent-group Pm-3m --lmax 4
      symbreak detect sample_data/NH3.xyz --character-table
      symbreak detect sample_data/SrTiO3_I4mcm.cif --write standardised/
      symbreak detect sample_data/BaTiO3_P4mm.cif --pseudo --write-parent parents/
    """  # noqa: D406, D407, E501  (click help: "Examples:" is no numpy section; rich wraps the long paragraph)
    with guard(debug):
        from symbreak_cli.workflows._detect_batch import library_warnings
        from symbreak_cli.workflows.detect import detect_files, parent_request, stream_reports, structure_progress

        if as_json and jsonl:
            raise fail("give --json (one document) or --jsonl (one line per file), not both", 2)
        with library_warnings(debug):
            request = None
            if parent is not None or parent_group is not None or character_table or parent_origin is not None \
                    or mode_metric != "child":
                request = parent_request(parent, parent_group, lmax=lmax, character_table=character_table,
                                         max_strain=max_strain, molecule=molecule, parent_origin=parent_origin,
                                         mode_metric=mode_metric)
            opts = DetectOptions(
                symprec=symprec, angle_tolerance=angle_tol, ladder=ladder, ladder_min=ladder_min,
                ladder_max=ladder_max, ladder_steps=ladder_steps, max_displacement=max_displacement,
                frame=frame, molecule=molecule, fmt=fmt, parent=request,
                write=str(write) if write is not None else None, force=force, operations=operations,
                pseudo=pseudo, write_parent=str(write_parent) if write_parent is not None else None,
                pseudo_max_strain=max_strain, **_pseudo_bound(ctx, max_displacement),
            )
        if scheduler is not None and executor != "dask":
            raise fail("--scheduler is the address of a Dask scheduler: give it with --executor dask", 2)
        batch = {"executor": executor, "scheduler": scheduler, "shard": shard}
        single = len(structures) == 1 and not os.path.isdir(structures[0])
        if jsonl:
            failed, total = [], 0
            with file_progress(quiet) as progress, ladder_progress(quiet, single) as ladder_cb, \
                    structure_progress(ladder_cb):
                for line in stream_reports(structures, opts, jobs=jobs, command=command_line(), debug=debug,
                                           progress=progress, **batch):
                    write_stdout(line.to_json(indent=None))
                    total = line.inputs.options.get("batch_size", total)
                    for r in line.results:
                        if r.error:  # named as it streams, not at the end
                            typer.echo(f"symbreak: error: {one_line(r.error)}", err=True)
                            failed.append(r.error)
            if failed:
                failures_summary(failed, total, quiet)
                raise typer.Exit(1)
        else:
            with file_progress(quiet) as progress, ladder_progress(quiet, single) as ladder_cb, \
                    structure_progress(ladder_cb):
                report = detect_files(structures, opts, jobs=jobs, progress=progress, command=command_line(), debug=debug,
                                      **batch)
            emit("detect", report, as_json)
            failed = [r.error for r in report.results if r.error]
            total = len({r.path for r in report.results})
        if failed:  # the report carries them too; stderr names each, whatever the output format
            for message in failed[:-1]:
                typer.echo(f"symbreak: error: {one_line(message)}", err=True)
            failures_summary(failed, total, quiet)
            raise fail(failed[-1])


def _pseudo_bound(ctx: typer.Context | None, max_displacement: float) -> dict:
    """--max-displacement bounds --pseudo too when it is given; otherwise --pseudo keeps its own default."""
    source = ctx.get_parameter_source("max_displacement") if ctx is not None else None
    given = source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")  # typer ships its own click
    return {"pseudo_max_displacement": max_displacement} if given else {}
