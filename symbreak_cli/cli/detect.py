"""``symbreak detect``: space groups, point groups, the tolerance ladder, parent analysis."""

from __future__ import annotations

from typing import Annotated

import typer

from symbreak_cli.cli._output import command_line, emit, fail, file_progress, guard
from symbreak_cli.cli.options import (
    AngleTolOpt,
    CharacterTableOpt,
    DebugOpt,
    FrameOpt,
    InputFormatOpt,
    JobsOpt,
    JsonOpt,
    LadderMaxOpt,
    LadderMinOpt,
    LadderOpt,
    LadderStepsOpt,
    LmaxOpt,
    MaxDisplacementOpt,
    MaxStrainOpt,
    MoleculeOpt,
    ParentGroupOpt,
    ParentOpt,
    QuietOpt,
    SymprecOpt,
    default,
)
from symbreak_cli.workflows.options import DetectOptions, ParentRequest

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
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Find the space group (crystals) or point group (molecules) of each structure.

    Reports the group at --symprec, Wyckoff orbits and site symmetries, the symmetry operations, the tolerance ladder (the group found at each tolerance) and the approximate symmetry: the highest group reachable by moving no atom more than --max-displacement.

    Examples:
      symbreak detect sample_data/BaTiO3_P4mm.cif
      symbreak detect sample_data/ --json --no-ladder --jobs 2
      cat POSCAR | symbreak detect - --format vasp
      symbreak detect sample_data/BaTiO3_P4mm.cif --parent sample_data/BaTiO3_Pm-3m.cif
      symbreak detect sample_data/SrTiO3_I4mcm.cif --parent-group Pm-3m --lmax 4
      symbreak detect sample_data/NH3.xyz --character-table
    """  # noqa: D406, D407, E501  (click help: "Examples:" is no numpy section; rich wraps the long paragraph)
    with guard(debug):
        from symbreak_cli.workflows.detect import detect_files, parent_request

        request = None
        if parent is not None or parent_group is not None or character_table:
            request = parent_request(parent, parent_group, lmax=lmax, character_table=character_table,
                                     max_strain=max_strain, molecule=molecule)
        opts = DetectOptions(
            symprec=symprec, angle_tolerance=angle_tol, ladder=ladder, ladder_min=ladder_min,
            ladder_max=ladder_max, ladder_steps=ladder_steps, max_displacement=max_displacement,
            frame=frame, molecule=molecule, fmt=fmt, parent=request,
        )
        with file_progress(quiet) as progress:
            report = detect_files(structures, opts, jobs=jobs, progress=progress, command=command_line())
        emit("detect", report, as_json)
        failed = [r.error for r in report.results if r.error]
        if failed:
            if not as_json:  # the JSON document carries them; a table run names them on stderr
                for message in failed[:-1]:
                    typer.echo(f"symbreak: error: {message}", err=True)
                raise fail(failed[-1])
            raise typer.Exit(1)
