"""The Typer app: one small function per command; heavy imports live inside commands.

Every command parses options, calls one library function, and renders the result with
:func:`emit` (rich tables, or one JSON document on stdout with ``--json``). Library errors
(:class:`~symbreak_cli.errors.SymbreakError`) become a one-line message on stderr and a
non-zero exit code; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import contextlib
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from symbreak_cli import __version__
from symbreak_cli.errors import SymbreakError

app = typer.Typer(
    name="symbreak",
    help=(
        "Which symmetry your data has, which symmetry it breaks, and which irreducible "
        "representations carry that breaking: crystals, molecules, and the learned weights "
        "of relaxed-equivariant networks.\n\n"
        "Every command prints tables for a person; --json prints one JSON document on "
        "stdout (logs on stderr) that validates against `symbreak schema KIND`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# ---------------------------------------------------------------------------------------
# Shared option types (rich help panels group them in --help)
# ---------------------------------------------------------------------------------------
OUTPUT = "Output"
TOL = "Tolerances"
PARENT = "Parent and group theory"

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout; logs go to stderr.", rich_help_panel=OUTPUT)]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or log lines.", rich_help_panel=OUTPUT)]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the Python traceback on errors.", rich_help_panel=OUTPUT)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.", rich_help_panel=OUTPUT)]


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"symbreak {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """symbreak: symmetry detection and symmetry breaking for crystals, molecules and networks."""


# ---------------------------------------------------------------------------------------
# Error mapping and output
# ---------------------------------------------------------------------------------------
@contextlib.contextmanager
def guard(debug: bool) -> Iterator[None]:
    """Turn library errors into one stderr line + exit code (traceback with --debug)."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except SymbreakError as err:
        if debug:
            raise
        typer.echo(f"symbreak: error: {err}", err=True)
        raise typer.Exit(err.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("symbreak: interrupted", err=True)
        raise typer.Exit(130) from None
    except Exception as err:  # an unexpected failure: still no traceback unless asked
        if debug:
            raise
        typer.echo(
            f"symbreak: error: {type(err).__name__}: {err} (rerun with --debug for the traceback)",
            err=True,
        )
        raise typer.Exit(1) from None


def console(stderr: bool):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=None)


def emit(kind: str, report, as_json: bool) -> None:
    """Print a report: one JSON document on stdout, or rich tables on stdout."""
    if as_json:
        sys.stdout.write(report.to_json() + "\n")
        sys.stdout.flush()
        return
    from symbreak_cli.render.terminal import render_rich

    render_rich(kind, report, console(stderr=False))


@contextlib.contextmanager
def file_progress(quiet: bool, label: str = "structures", min_files: int = 20):
    """A rich progress bar on stderr for batches of more than ``min_files`` files.

    Yields a ``callback(done, total)``; the bar appears on the first call with a big
    enough total, so single-file runs print nothing extra.
    """
    if quiet:
        yield None
        return
    bar = task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if total <= min_files:
            return
        if bar is None:  # rich.progress costs ~30 ms to import: only for real batches
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                           console=console(stderr=True), transient=True)
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


def log_console(quiet: bool):
    """Where progress and log lines go: stderr always (so stdout stays clean for --json)."""
    c = console(stderr=True)
    if quiet:
        c.quiet = True
    return c


# ---------------------------------------------------------------------------------------
# detect
# ---------------------------------------------------------------------------------------
@app.command(rich_help_panel="Analyse")
def detect(
    structures: Annotated[list[str], typer.Argument(help="Structure files (CIF, POSCAR/CONTCAR, xyz, extxyz, ASE .traj, pymatgen JSON), directories (every structure file inside), or '-' for stdin.", show_default=False)],
    fmt: Annotated[Optional[str], typer.Option("--format", help="Input format for '-' or an unusual extension (an ase.io format name: cif, vasp, xyz, extxyz, traj, json).")] = None,
    frame: Annotated[int, typer.Option("--frame", help="Frame of a trajectory to analyse (0 = first, -1 = last).")] = 0,
    molecule: Annotated[bool, typer.Option("--molecule", help="Treat every input as a molecule (point group), even with a cell.")] = False,
    symprec: Annotated[float, typer.Option("--symprec", help="Distance tolerance for the main answer, in Å.", rich_help_panel=TOL)] = 1e-3,
    angle_tol: Annotated[float, typer.Option("--angle-tol", help="Angle tolerance in degrees (-1: spglib's default).", rich_help_panel=TOL)] = -1.0,
    ladder: Annotated[bool, typer.Option("--ladder/--no-ladder", help="Scan tolerances and report the group at each (the tolerance ladder).", rich_help_panel=TOL)] = True,
    ladder_min: Annotated[float, typer.Option("--ladder-min", help="Smallest ladder tolerance, Å.", rich_help_panel=TOL)] = 1e-5,
    ladder_max: Annotated[float, typer.Option("--ladder-max", help="Largest ladder tolerance, Å.", rich_help_panel=TOL)] = 0.5,
    ladder_steps: Annotated[int, typer.Option("--ladder-steps", help="Number of log-spaced ladder tolerances (≥ 6).", rich_help_panel=TOL)] = 10,
    max_displacement: Annotated[float, typer.Option("--max-displacement", help="Largest atomic displacement (Å) allowed for the 'approximate symmetry'.", rich_help_panel=TOL)] = 0.1,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Analyse files in N worker processes.")] = 1,
    parent: Annotated[Optional[str], typer.Option("--parent", help="Parent structure (crystal or molecule): group–subgroup relation, domains, breaking irreps; the setting (supercell, axes) is found from the lattices.", rich_help_panel=PARENT)] = None,
    parent_group: Annotated[Optional[str], typer.Option("--parent-group", help="Parent named instead: point group (m-3m, Oh), space group (Pm-3m) or its number (221).", rich_help_panel=PARENT)] = None,
    lmax: Annotated[int, typer.Option("--lmax", help="Highest l of the O(3) branching table (0–12).", rich_help_panel=PARENT)] = 6,
    max_strain: Annotated[float, typer.Option("--max-strain", help="Largest principal shape strain accepted when matching the child's lattice to the parent's.", rich_help_panel=PARENT)] = 0.05,
    character_table: Annotated[bool, typer.Option("--character-table", help="Also print each structure's own point-group character table.", rich_help_panel=PARENT)] = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Find the space group (crystals) or point group (molecules) of each structure.

    Reports the group at --symprec, Wyckoff orbits and site symmetries, the symmetry operations, the tolerance ladder (the group found at each tolerance) and the approximate symmetry: the highest group reachable by moving no atom more than --max-displacement.

    Examples
    --------
      symbreak detect sample_data/BaTiO3_P4mm.cif
      symbreak detect sample_data/ --json --no-ladder --jobs 2
      cat POSCAR | symbreak detect - --format vasp
      symbreak detect sample_data/BaTiO3_P4mm.cif --parent sample_data/BaTiO3_Pm-3m.cif
      symbreak detect sample_data/SrTiO3_I4mcm.cif --parent-group Pm-3m --lmax 4
      symbreak detect sample_data/NH3.xyz --character-table
    """
    with guard(debug):
        from symbreak_cli.workflows.detect import DetectOptions, detect_files

        request = None
        if parent is not None or parent_group is not None or character_table:
            from symbreak_cli.workflows.detect import parent_request

            request = parent_request(parent, parent_group, lmax=lmax, character_table=character_table,
                                     max_strain=max_strain, molecule=molecule)
        opts = DetectOptions(
            symprec=symprec, angle_tolerance=angle_tol, ladder=ladder, ladder_min=ladder_min,
            ladder_max=ladder_max, ladder_steps=ladder_steps, max_displacement=max_displacement,
            frame=frame, molecule=molecule, fmt=fmt, parent=request,
        )
        with file_progress(quiet) as progress:
            report = detect_files(structures, opts, jobs=jobs, progress=progress)
        emit("detect", report, as_json)
        if any(e.error for e in report.results):
            if not as_json:
                for e in report.results:
                    if e.error:
                        typer.echo(f"symbreak: error: {e.error}", err=True)
            raise typer.Exit(1)


# --- train-relaxed (issue 4) -----------------------------------------------------------
TRAIN = "Training"


@app.command("train-relaxed", rich_help_panel="Learn")
def train_relaxed(
    data: Annotated[str, typer.Argument(help="H5MD trajectory (.h5), pairs file (.h5 with /pairs), or ASE .traj/extxyz with many frames.", show_default=False)],
    model: Annotated[str, typer.Option("--model", help="e3nn (relaxed E(3) network), equivariant (baseline only) or gconv.", rich_help_panel=TRAIN)] = "e3nn",
    task: Annotated[str, typer.Option("--task", help="auto, dynamics (fit per-particle acceleration) or pairs (fit per-point displacement).", rich_help_panel=TRAIN)] = "auto",
    l_relaxed: Annotated[int, typer.Option("--l-relaxed", help="Highest l of the relaxed weights θ (both parities).", rich_help_panel=TRAIN)] = 2,
    reg: Annotated[float, typer.Option("--reg", help="Group-lasso weight on the non-scalar parts of θ.", rich_help_panel=TRAIN)] = 1e-2,
    cutoff: Annotated[float, typer.Option("--cutoff", help="Edge cutoff radius, in the data's length unit.", rich_help_panel=TRAIN)] = 2.5,
    epochs: Annotated[Optional[int], typer.Option("--epochs", help="Maximum epochs (passes over the training samples) [default: 600]; with --resume, raises the limit.", rich_help_panel=TRAIN, show_default=False)] = None,
    lr: Annotated[float, typer.Option("--lr", help="Peak AdamW learning rate (warm-up, then cosine decay).", rich_help_panel=TRAIN)] = 2e-2,
    seed: Annotated[int, typer.Option("--seed", help="Seed for weights and the train/validation split.", rich_help_panel=TRAIN)] = 0,
    device: Annotated[str, typer.Option("--device", help="auto (CUDA when available), cpu or cuda.", rich_help_panel=TRAIN)] = "auto",
    batch_size: Annotated[int, typer.Option("--batch-size", help="Samples per step (shuffled mini-batches, seeded; shared out by DistributedSampler under torchrun); 0 = full batch.", rich_help_panel=TRAIN)] = 0,
    layers: Annotated[int, typer.Option("--layers", help="Interaction layers (gated nonlinearity between them).", rich_help_panel=TRAIN)] = 1,
    baseline: Annotated[bool, typer.Option("--baseline", help="Also train the equivariant network for comparison.", rich_help_panel=TRAIN)] = False,
    sympe: Annotated[bool, typer.Option("--sympe", help="Symmetry-breaking positional encodings (SymPE).", rich_help_panel=TRAIN)] = False,
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory: config.json, checkpoints, report.json, plots.", rich_help_panel=OUTPUT)] = Path("runs/train"),
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run in --out from its checkpoints (its config.json wins).", rich_help_panel=OUTPUT)] = False,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Train a relaxed-equivariant network and report which irreps break the symmetry.

    Reports per O(3) irrep the norm of the learned relaxed weights θ, their physical reading (1o vector, 1e axis, 2e principal axes), the point group the model kept, and which irreps of the data's own symmetry group carry the breaking.

    Examples
    --------
      symbreak sample-data data/
      symbreak train-relaxed data/charged_particle.h5 --baseline --out runs/particle
      symbreak train-relaxed data/cube_to_prism.h5 --l-relaxed 4 --json > report.json
      symbreak train-relaxed data/cube_to_prism.h5 --out runs/prism --resume
      torchrun --nproc_per_node=2 -m symbreak_cli train-relaxed traj.h5 --device cpu
    """
    with guard(debug):
        from symbreak_cli.train.config import TrainConfig
        from symbreak_cli.workflows.train import train_relaxed as run_training

        if resume and (out / "config.json").exists():
            cfg = TrainConfig.from_json_file(out / "config.json")
            if epochs is not None:
                cfg = cfg.replace(epochs=epochs)
        else:
            cfg = TrainConfig(data=data, out=str(out), model=model, task=task, l_relaxed=l_relaxed, reg=reg,
                              cutoff=cutoff, epochs=600 if epochs is None else epochs, lr=lr, seed=seed,
                              device=device, batch_size=batch_size, layers=layers, baseline=baseline, sympe=sympe)
        progress = None
        if not quiet:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            progress = Progress(TextColumn("{task.description:<11}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                                TimeElapsedColumn(), TextColumn("{task.fields[info]}"), console=log_console(quiet))
        report = run_training(cfg, resume=resume, force=force, progress=progress)
        if report is not None:  # None on non-zero torchrun ranks
            emit("train", report, as_json)


# --- break ------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------
# report, schema, sample-data
# ---------------------------------------------------------------------------------------
class ReportFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    html = "html"
    json = "json"


@app.command(rich_help_panel="Reports")
def report(
    source: Annotated[str, typer.Argument(help="A JSON report written by any symbreak command, or '-' for stdin.")],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table (rich), markdown (GitHub tables), html (one self-contained page with plots), json (validated, re-indented).")] = ReportFormat.table,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file (atomically) instead of stdout.")] = None,
    force: ForceOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Render a JSON report as tables, Markdown or a self-contained HTML page.

    Examples
    --------
      symbreak detect x.cif --json | symbreak report - --format markdown
      symbreak report run/report.json --format html --out run.html
    """
    with guard(debug):
        from symbreak_cli.render.terminal import load_report, render_to_string

        kind, model = load_report(source)
        if fmt is ReportFormat.table and out is None:
            from symbreak_cli.render.terminal import render_rich

            render_rich(kind, model, console(stderr=False))
            return
        text = render_to_string(kind, model, fmt.value)
        if out is None:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        else:
            from symbreak_cli.io.files import atomic_write_text, check_writable

            check_writable(out, force)
            atomic_write_text(out, text)
            typer.echo(f"wrote {out}", err=True)


@app.command(rich_help_panel="Reports")
def schema(
    kind: Annotated[str, typer.Argument(help="Report kind: detect, train or break.")],
    debug: DebugOpt = False,
) -> None:
    """Print the JSON Schema of a report kind (generated from the code's models)."""
    with guard(debug):
        import json

        from symbreak_cli.results.base import json_schema

        sys.stdout.write(json.dumps(json_schema(kind), indent=2) + "\n")


@app.command("sample-data", rich_help_panel="Data")
def sample_data(
    directory: Annotated[Path, typer.Argument(help="Directory to (re)generate the bundled sample data in.")],
    force: ForceOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Regenerate the bundled sample data deterministically (structures, molecules, training sets)."""
    with guard(debug):
        from symbreak_cli.workflows.sample_data import write_sample_data

        written = write_sample_data(directory, force=force)
        for p in written:
            typer.echo(str(p), err=True)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
