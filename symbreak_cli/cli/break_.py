"""``symbreak break``: break a symmetric structure to a subgroup, every domain written and re-detected."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from symbreak_cli.cli._output import command_line, emit, guard
from symbreak_cli.cli.options import DebugOpt, ForceOpt, InputFormatOpt, JsonOpt, QuietOpt, default
from symbreak_cli.workflows.break_ import BreakOptions
from symbreak_cli.workflows.sympe_samples import SamplingOptions

BREAK = "Breaking"

StructureArg = Annotated[str, typer.Argument(
    help="The symmetric parent: a molecule (xyz) or a crystal (CIF, POSCAR, …); '-' for stdin with --format.",
    show_default=False)]
ToOpt = Annotated[Optional[str], typer.Option(
    "--to", help="Target subgroup: a point group for a molecule (C4v, 4mm), a space group for a crystal (P4mm, 99); "
    "a crystal target with a larger cell is reached along the one zone-boundary irrep direction giving it with the "
    "fewest domains (choose one yourself with --irrep).",
    rich_help_panel=BREAK)]
IrrepOpt = Annotated[Optional[str], typer.Option(
    "--irrep", help="Break a crystal along this space-group irrep (CDML labels: GM4-, X5+, M3+, R4+); the supercell "
    "follows from its k-point. With --to, its isotropy group must be that space group.", rich_help_panel=BREAK)]
DirectionOpt = Annotated[Optional[str], typer.Option(
    "--direction", help="Order-parameter direction in the irrep's space: 'a,0,0', 'a,a,0', 'a,a,a', '0,0,a', "
    "'a,b,0' (letters are free parameters; default (a,0,…)).", rich_help_panel=BREAK)]
OriginOpt = Annotated[Optional[str], typer.Option(
    "--origin", help="Element moved to the parent's origin before labelling irreps (labels depend on it: in a "
    "perovskite ABO3, --origin B gives R4+ / M3+ for the octahedral tilts).", rich_help_panel=BREAK)]
AmplitudeOpt = Annotated[float, typer.Option(
    "--amplitude", help="Size of the displacement √(Σ|u_i|²) over the molecule / parent cell, Å.", rich_help_panel=BREAK)]
StrainOpt = Annotated[float, typer.Option(
    "--strain", help="Also strain the cell (crystals): Frobenius norm of the symmetry-breaking strain (0: none).",
    rich_help_panel=BREAK)]
DomainsOpt = Annotated[str, typer.Option(
    "--domains", help="'all' domains, or the first N.", rich_help_panel=BREAK)]
OutOpt = Annotated[Optional[Path], typer.Option(
    "--out", "-o", help="Write one structure per domain here (xyz for molecules, CIF for crystals); existing files "
    "need --force.", rich_help_panel="Output")]
SymprecOpt = Annotated[float, typer.Option(
    "--symprec", help="Distance tolerance of detection and re-detection, Å.", rich_help_panel="Tolerances")]
LmaxOpt = Annotated[int, typer.Option(
    "--lmax", help="Highest l searched for the symmetry-breaking object.", rich_help_panel=BREAK)]
MODEL = "Breaking by a trained model"
ModelRunOpt = Annotated[Optional[Path], typer.Option(
    "--model", help="Instead of a subgroup: draw broken structures from this train-relaxed --sympe run directory "
    "(one xyz per draw into --out), grouped into symmetry-equivalent classes with a χ² test against uniform.",
    rich_help_panel=MODEL, show_default=False)]
SamplesOpt = Annotated[int, typer.Option("--samples", help="With --model: number of draws.", rich_help_panel=MODEL)]
SeedOpt = Annotated[int, typer.Option("--seed", help="With --model: seeds the draws.", rich_help_panel=MODEL)]


def break_(
    structure: StructureArg,
    to: ToOpt = default(BreakOptions, "to"),
    irrep: IrrepOpt = default(BreakOptions, "irrep"),
    direction: DirectionOpt = default(BreakOptions, "direction"),
    origin: OriginOpt = default(BreakOptions, "origin"),
    amplitude: AmplitudeOpt = default(BreakOptions, "amplitude"),
    strain: StrainOpt = default(BreakOptions, "strain"),
    domains: DomainsOpt = default(BreakOptions, "domains"),
    out: OutOpt = None,
    force: ForceOpt = default(BreakOptions, "force"),
    symprec: SymprecOpt = default(BreakOptions, "symprec"),
    lmax: LmaxOpt = default(BreakOptions, "lmax"),
    model: ModelRunOpt = None,
    samples: SamplesOpt = default(SamplingOptions, "samples"),
    seed: SeedOpt = default(SamplingOptions, "seed"),
    fmt: InputFormatOpt = default(BreakOptions, "fmt"),
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Break a symmetric structure to a subgroup: the minimal symmetry-breaking object and one distorted structure per domain.

    Give the target as --to SUBGROUP (molecules; crystals at k = 0) or as a space-group irrep with --irrep LABEL --direction a,b,c (crystals, any k: the supercell is built).

    The object is the lowest-l O(3) irrep (e3nn notation) holding a vector whose stabiliser in the parent group is exactly the target; the displacements are built from it, every domain (coset g H) is written and re-detected to the target group in its own orientation.

    Examples:
      symbreak break sample_data/SF6.xyz --to C4v --amplitude 0.1 --out sf6_c4v/
      symbreak break sample_data/BaTiO3_Pm-3m.cif --to P4mm --amplitude 0.1 --strain 0.01 --out bto/
      symbreak break sample_data/BaTiO3_Pm-3m.cif --irrep GM4- --direction a,a,0 --out bto_amm2/
      symbreak break sample_data/SrTiO3_Pm-3m.cif --irrep R4+ --direction 0,0,a --origin Ti --out sto_i4mcm/
      symbreak break sample_data/SF6.xyz --to D3d --json > d3d.json && symbreak report d3d.json --format html -o d3d.html
      symbreak break cube.xyz --model runs/sympe --samples 300 --out draws/
    """  # noqa: D406, D407, E501  (click help: "Examples:" is no numpy section; rich wraps the long paragraph)
    with guard(debug):
        from symbreak_cli.workflows._detect_batch import library_warnings
        from symbreak_cli.workflows.break_ import break_file

        if model is not None:
            _check_model_options(to, irrep, direction, origin)
            from symbreak_cli.workflows.sympe_samples import break_with_model

            sopts = SamplingOptions(model=str(model), samples=samples, seed=seed, out=str(out) if out is not None else None,
                                    force=force, fmt=fmt)
            with library_warnings(debug):
                report = break_with_model(structure, sopts, command=command_line())
            emit("break", report, as_json)
            return
        if samples != default(SamplingOptions, "samples") or seed != default(SamplingOptions, "seed"):
            from symbreak_cli.errors import OptionError

            raise OptionError("--samples and --seed draw from a trained model: they need --model RUN_DIR")
        opts = BreakOptions(to=to, irrep=irrep, direction=direction, origin=origin, amplitude=amplitude, strain=strain, domains=domains,
                            out=str(out) if out is not None else None, force=force, symprec=symprec, lmax=lmax, fmt=fmt)
        with library_warnings(debug):
            report = break_file(structure, opts, command=command_line())
        emit("break", report, as_json)


def _check_model_options(to, irrep, direction, origin) -> None:
    """--model draws from a trained run: the subgroup options do not apply."""
    given = [name for name, v in (("--to", to), ("--irrep", irrep), ("--direction", direction), ("--origin", origin))
             if v is not None]
    if given:
        from symbreak_cli.errors import OptionError

        raise OptionError(f"--model draws from a trained SymPE run; {', '.join(given)} do not combine with it")
