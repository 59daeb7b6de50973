"""``symbreak detect``: space groups, point groups, the tolerance ladder, parent analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from symbreak_cli.cli._output import command_line, emit, fail, file_progress, guard, one_line, write_stdout
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
    parent: ParentOpt = default(ParentRequest, "parent_path"),
    parent_group: ParentGroupOpt = default(ParentRequest, "parent_group"),
    lmax: LmaxOpt = default(ParentRequest, "lmax"),
    max_strain: MaxStrainOpt = default(ParentRequest, "max_strain"),
    character_table: CharacterTableOpt = default(ParentRequest, "character_table"),
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
      cat POSCAR | symbreak detect - --format vasp
      symbreak detect sample_data/BaTiO3_P4mm.cif --parent sample_data/BaTiO3_Pm-3m.cif
      symbreak detect sample_data/SrTiO3_I4mcm.cif --parent-group Pm-3m --lmax 4
      symbreak detect sample_data/NH3.xyz --character-table
      symbreak detect sample_data/SrTiO3_I4mcm.cif --write standardised/
      symbreak detect sample_data/BaTiO3_P4mm.cif --pseudo --write-parent parents/
    """  # noqa: D406, D407, E501  (click help: "Examples:" is no numpy section; rich wraps the long paragraph)
    with guard(debug):
        from symbreak_cli.workflows._detect_batch import library_warnings
        from symbreak_cli.workflows.detect import detect_files, parent_request, stream_reports

        if as_json and jsonl:
            raise fail("give --json (one document) or --jsonl (one line per file), not both", 2)
        with library_warnings(debug):
            request = None
            if parent is not None or parent_group is not None or character_table:
                request = parent_request(parent, parent_group, lmax=lmax, character_table=character_table,
                                         max_strain=max_strain, molecule=molecule)
            opts = DetectOptions(
                symprec=symprec, angle_tolerance=angle_tol, ladder=ladder, ladder_min=ladder_min,
                ladder_max=ladder_max, ladder_steps=ladder_steps, max_displacement=max_displacement,
                frame=frame, molecule=molecule, fmt=fmt, parent=request,
                write=str(write) if write is not None else None, force=force, operations=operations,
                pseudo=pseudo, write_parent=str(write_parent) if write_parent is not None else None,
                pseudo_max_strain=max_strain, **_pseudo_bound(ctx, max_displacement),
            )
        if jsonl:
            failed = []
            for line in stream_reports(structures, opts, jobs=jobs, command=command_line(), debug=debug):
                write_stdout(line.to_json(indent=None))
                for r in line.results:
                    if r.error:  # named as it streams, not at the end
                        typer.echo(f"symbreak: error: {one_line(r.error)}", err=True)
                        failed.append(r.error)
            if failed:
                raise typer.Exit(1)
        else:
            with file_progress(quiet) as progress:
                report = detect_files(structures, opts, jobs=jobs, progress=progress, command=command_line(), debug=debug)
            emit("detect", report, as_json)
            failed = [r.error for r in report.results if r.error]
        if failed:  # the report carries them too; stderr names each, whatever the output format
            for message in failed[:-1]:
                typer.echo(f"symbreak: error: {one_line(message)}", err=True)
            raise fail(failed[-1])


def _pseudo_bound(ctx: typer.Context | None, max_displacement: float) -> dict:
    """--max-displacement bounds --pseudo too when it is given; otherwise --pseudo keeps its own default."""
    source = ctx.get_parameter_source("max_displacement") if ctx is not None else None
    given = source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")  # typer ships its own click
    return {"pseudo_max_displacement": max_displacement} if given else {}
