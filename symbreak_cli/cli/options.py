"""Option types shared by the commands: ``Annotated[...]`` aliases grouped in help panels.

Defaults are never written here: each command's signature reads them from the options
dataclass that defines them (:func:`default`), so ``--help``, the library and a report's
``inputs.options`` cannot disagree. Choices are ``Literal`` types built from the
values the library accepts.

Light to import: the dataclasses and registries read here import no numpy, spglib,
pydantic or torch.

>>> from symbreak_cli.train.config import TrainConfig
>>> default(TrainConfig, "epochs")
600
>>> "gconv" in MODEL_CHOICES, "e3nn" in MODEL_CHOICES
(True, True)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import typer

from symbreak_cli.render import REPORT_FORMATS
from symbreak_cli.results.registry import REPORT_KINDS
from symbreak_cli.train.choices import DEVICES, MODELS, TASKS

# rich help panels
OUTPUT = "Output"
TOL = "Tolerances"
PARENT = "Parent and group theory"
TRAIN = "Training"


def default(cls: type, name: str) -> Any:
    """The default of field ``name`` of the dataclass ``cls`` (raises if it has none)."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
            raise TypeError(f"{cls.__name__}.{name} has no default")
    raise AttributeError(f"{cls.__name__} has no field {name!r}")


def _choice(values: tuple[str, ...]) -> Any:
    """``Literal[values]`` (typer shows it as ``[a|b]`` and refuses anything else)."""
    return Literal[values]  # type: ignore[valid-type]


#: the --model values training accepts
MODEL_CHOICES = MODELS
Model = _choice(MODEL_CHOICES)
Task = _choice(TASKS)
Device = _choice(DEVICES)
ReportFormat = _choice(REPORT_FORMATS)
ReportKindName = _choice(tuple(REPORT_KINDS))

# --- shared options --------------------------------------------------------------------
JsonOpt = Annotated[bool, typer.Option(
    "--json", help="Print one JSON document on stdout; logs go to stderr.", rich_help_panel=OUTPUT)]
JsonlOpt = Annotated[bool, typer.Option(
    "--jsonl", help="Stream JSON Lines on stdout: one complete detect report per input file, in input order, "
    "as files finish.", rich_help_panel=OUTPUT)]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or log lines.", rich_help_panel=OUTPUT)]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the Python traceback on errors.", rich_help_panel=OUTPUT)]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.", rich_help_panel=OUTPUT)]

# --- structure input ---------------------------------------------------------------------
InputFormatOpt = Annotated[Optional[str], typer.Option(
    "--format", help="Input format for '-' or an unusual extension (an ase.io format name: cif, vasp, xyz, extxyz, traj, json).")]
FrameOpt = Annotated[int, typer.Option("--frame", help="Frame of a trajectory to analyse (0 = first, -1 = last).")]
MoleculeOpt = Annotated[bool, typer.Option("--molecule", help="Treat every input as a molecule (point group), even with a cell.")]
OperationsOpt = Annotated[bool, typer.Option(
    "--operations/--no-operations", help="List every symmetry operation (Seitz symbol, matrix, translation) of each "
    "crystal in the report; --no-operations keeps only their number (about a third of the JSON of a batch).",
    rich_help_panel=OUTPUT)]
WriteOpt = Annotated[Optional[Path], typer.Option(
    "--write", help="Write each structure's standardised conventional and primitive cells and its symmetrised form "
    "into this directory (CIF and POSCAR; xyz for molecules); existing files need --force.", rich_help_panel=OUTPUT)]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", help="Analyse files in N worker processes.")]

# --- tolerances ----------------------------------------------------------------------------
SymprecOpt = Annotated[float, typer.Option(
    "--symprec", help="Distance tolerance for the main answer, in Å.", rich_help_panel=TOL)]
AngleTolOpt = Annotated[float, typer.Option(
    "--angle-tol", help="Angle tolerance in degrees (-1: spglib's default).", rich_help_panel=TOL)]
LadderOpt = Annotated[bool, typer.Option(
    "--ladder/--no-ladder", help="Scan tolerances and report the group at each (the tolerance ladder).", rich_help_panel=TOL)]
LadderMinOpt = Annotated[float, typer.Option("--ladder-min", help="Smallest ladder tolerance, Å.", rich_help_panel=TOL)]
LadderMaxOpt = Annotated[float, typer.Option("--ladder-max", help="Largest ladder tolerance, Å.", rich_help_panel=TOL)]
LadderStepsOpt = Annotated[int, typer.Option(
    "--ladder-steps", help="Number of log-spaced ladder tolerances (≥ 6).", rich_help_panel=TOL)]
MaxDisplacementOpt = Annotated[float, typer.Option(
    "--max-displacement", help="Largest atomic displacement (Å) allowed for the 'approximate symmetry'.", rich_help_panel=TOL)]

# --- parent and group theory ---------------------------------------------------------------
ParentOpt = Annotated[Optional[str], typer.Option(
    "--parent", help="Parent structure (crystal or molecule): group–subgroup relation, domains, breaking irreps; "
    "the setting (supercell, axes) is found from the lattices.", rich_help_panel=PARENT)]
ParentGroupOpt = Annotated[Optional[str], typer.Option(
    "--parent-group", help="Parent named instead: point group (m-3m, Oh), space group (Pm-3m) or its number (221).",
    rich_help_panel=PARENT)]
LmaxOpt = Annotated[int, typer.Option("--lmax", help="Highest l of the O(3) branching table (0–12).", rich_help_panel=PARENT)]
MaxStrainOpt = Annotated[float, typer.Option(
    "--max-strain", help="Largest principal shape strain accepted when matching the child's lattice to the parent's.",
    rich_help_panel=PARENT)]
CharacterTableOpt = Annotated[bool, typer.Option(
    "--character-table", help="Also print each structure's own point-group character table.", rich_help_panel=PARENT)]

# --- training ------------------------------------------------------------------------------
ModelOpt = Annotated[Model, typer.Option(
    "--model", help="e3nn: the relaxed E(3) network (with --baseline also the equivariant one); equivariant: the baseline only; "
    "gconv: relaxed group convolution on a fields file (and its tied-weight baseline); gconv-equivariant: that baseline only.",
    rich_help_panel=TRAIN)]
TaskOpt = Annotated[Task, typer.Option(
    "--task", help="auto, dynamics (fit per-particle acceleration) or pairs (fit per-point displacement).",
    rich_help_panel=TRAIN)]
LRelaxedOpt = Annotated[int, typer.Option(
    "--l-relaxed", help="Highest l of the relaxed weights θ (both parities).", rich_help_panel=TRAIN)]
RegOpt = Annotated[float, typer.Option("--reg", help="Group-lasso weight on the non-scalar parts of θ.", rich_help_panel=TRAIN)]
CutoffOpt = Annotated[float, typer.Option(
    "--cutoff", help="Edge cutoff radius, in the data's length unit.", rich_help_panel=TRAIN)]
EpochsOpt = Annotated[int, typer.Option(
    "--epochs", help="Maximum epochs (passes over the training samples); with --resume, raises the saved limit.",
    rich_help_panel=TRAIN)]
LrOpt = Annotated[float, typer.Option(
    "--lr", help="Peak AdamW learning rate (warm-up, then cosine decay).", rich_help_panel=TRAIN)]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed for weights and the train/validation split.", rich_help_panel=TRAIN)]
DeviceOpt = Annotated[Device, typer.Option("--device", help="auto (CUDA when available), cpu or cuda.", rich_help_panel=TRAIN)]
BatchSizeOpt = Annotated[int, typer.Option(
    "--batch-size", help="Samples per step (shuffled mini-batches, seeded; shared out by DistributedSampler under torchrun); "
    "0 = full batch.", rich_help_panel=TRAIN)]
LayersOpt = Annotated[int, typer.Option(
    "--layers", help="Interaction layers (gated nonlinearity between them).", rich_help_panel=TRAIN)]
BaselineOpt = Annotated[bool, typer.Option(
    "--baseline", help="Also train the equivariant network for comparison.", rich_help_panel=TRAIN)]
RunDirOpt = Annotated[Path, typer.Option(
    "--out", "-o", help="Run directory: config.json, checkpoints, report.json, plots.", rich_help_panel=OUTPUT)]
ResumeOpt = Annotated[bool, typer.Option(
    "--resume", help="Continue the run in --out from its checkpoints, with its saved options (DATA or options given that "
    "differ from them are an error; --epochs may raise the limit).", rich_help_panel=OUTPUT)]

# --- reports ---------------------------------------------------------------------------------
ReportFormatOpt = Annotated[ReportFormat, typer.Option(
    "--format", "-f", help="table (rich), markdown (GitHub tables), html (one self-contained page with plots), "
    "json (validated, re-indented).")]
ReportOutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file (atomically) instead of stdout.")]
KindArg = Annotated[ReportKindName, typer.Argument(help=f"Report kind: {', '.join(REPORT_KINDS)}.", show_default=False)]
