"""``symbreak train-relaxed``: train a relaxed-equivariant network and read its θ."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from symbreak_cli.cli._output import command_line, emit, guard, training_progress
from symbreak_cli.cli.options import (
    TRAIN,
    BaselineOpt,
    BatchSizeOpt,
    CutoffOpt,
    DebugOpt,
    DeviceOpt,
    EpochsOpt,
    ForceOpt,
    JsonOpt,
    LayersOpt,
    LRelaxedOpt,
    LrOpt,
    ModelOpt,
    QuietOpt,
    RegOpt,
    ResumeOpt,
    RunDirOpt,
    SeedOpt,
    TaskOpt,
    default,
)
from symbreak_cli.train.config import GCONV_DEFAULTS, GCONV_GROUPS, GCONV_MODELS, TrainConfig

GroupOpt = Annotated[Literal[GCONV_GROUPS], typer.Option(  # type: ignore[valid-type]
    "--group", help="gconv: the grid group, C4 or D4 (2D), O or Oh (3D); auto: C4 in 2D, O in 3D. "
    "gconv defaults: " + ", ".join(f"--{k} {v:g}" for k, v in GCONV_DEFAULTS.items()) + ".", rich_help_panel="Training")]
FilterBanksOpt = Annotated[int, typer.Option(
    "--filter-banks", help="gconv: kernels L mixed by each layer's relaxed weights.", rich_help_panel="Training")]
HiddenOpt = Annotated[int, typer.Option(
    "--hidden", help="gconv: channels per group element.", rich_help_panel="Training")]
KernelOpt = Annotated[int, typer.Option(
    "--kernel", help="gconv: odd kernel size; 0: 5 on 3D grids of side ≥ 16, else 3.", rich_help_panel="Training")]

def _given(ctx: typer.Context) -> set[str]:
    """The TrainConfig fields set on the command line (with --resume they must match the run's)."""
    return {name for name in ctx.params if name in TrainConfig.__dataclass_fields__
            and getattr(ctx.get_parameter_source(name), "name", "") in ("COMMANDLINE", "ENVIRONMENT")}


RestartsOpt = Annotated[int, typer.Option(
    "--restarts", help="Seeds of the relaxed model trained together (vectorised); the lowest validation loss is "
    "reported, with how many restarts agree on its verdict (with --sympe: the SymPE network's seeds; the verdict is "
    "its draws' classes and χ² uniformity).", rich_help_panel="Training")]

DtOpt = Annotated[float, typer.Option(
    "--dt", help="Time between frames, for trajectories whose file stores no times (0 = the file's).",
    rich_help_panel="Training")]

RegPathOpt = Annotated[bool, typer.Option(
    "--reg-path", help="Also train along log-spaced λ (1e-4…1): validation loss vs ‖θ_non-scalar‖, the irreps "
    "switched on at each λ, and the λ at the knee.", rich_help_panel="Training")]
RegPathLOpt = Annotated[str, typer.Option(
    "--reg-path-l", help="l_relaxed values of the λ path, comma-separated (default: --l-relaxed).",
    rich_help_panel="Training")]
SymPEOpt = Annotated[bool, typer.Option(
    "--sympe", help="Train SymPE on a pairs file: an equivariant network fed ρ(g̃)·v, g̃ drawn from the inversion kernel "
    "(samples every symmetry-equivalent outcome; with --baseline also the equivariant and relaxed-weights networks).",
    rich_help_panel=TRAIN)]
NoiseOpt = Annotated[bool, typer.Option(
    "--noise", help="With --sympe: also train the noise-injection baseline (Gaussian features of v's size).",
    rich_help_panel=TRAIN)]

DataArg = Annotated[str, typer.Argument(
    help="H5MD trajectory (.h5), pairs file (.h5 with /pairs), or ASE .traj/extxyz with many frames.", show_default=False)]


def train_relaxed(
    ctx: typer.Context,
    data: DataArg,
    model: ModelOpt = default(TrainConfig, "model"),
    task: TaskOpt = default(TrainConfig, "task"),
    l_relaxed: LRelaxedOpt = default(TrainConfig, "l_relaxed"),
    reg: RegOpt = default(TrainConfig, "reg"),
    cutoff: CutoffOpt = default(TrainConfig, "cutoff"),
    epochs: EpochsOpt = default(TrainConfig, "epochs"),
    lr: LrOpt = default(TrainConfig, "lr"),
    seed: SeedOpt = default(TrainConfig, "seed"),
    device: DeviceOpt = default(TrainConfig, "device"),
    batch_size: BatchSizeOpt = default(TrainConfig, "batch_size"),
    layers: LayersOpt = default(TrainConfig, "layers"),
    baseline: BaselineOpt = default(TrainConfig, "baseline"),
    restarts: RestartsOpt = default(TrainConfig, "restarts"),
    dt: DtOpt = default(TrainConfig, "dt"),
    reg_path: RegPathOpt = default(TrainConfig, "reg_path"),
    reg_path_l: RegPathLOpt = default(TrainConfig, "reg_path_l"),
    sympe: SymPEOpt = default(TrainConfig, "sympe"),
    noise: NoiseOpt = default(TrainConfig, "noise"),
    group: GroupOpt = default(TrainConfig, "group"),
    filter_banks: FilterBanksOpt = default(TrainConfig, "filter_banks"),
    hidden: HiddenOpt = default(TrainConfig, "hidden"),
    kernel: KernelOpt = default(TrainConfig, "kernel"),
    out: RunDirOpt = Path(default(TrainConfig, "out")),
    resume: ResumeOpt = False,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Train a relaxed-equivariant network and report which irreps carry the symmetry breaking.

    Reports per O(3) irrep the norm of the learned relaxed weights θ, their physical reading (1o vector, 1e axis, 2e principal axes), the point group the model kept, and which irreps of the data's own symmetry group carry the breaking.

    Examples:
      symbreak sample-data data/
      symbreak train-relaxed data/charged_particle.h5 --baseline --out runs/particle
      symbreak train-relaxed data/cube_to_prism.h5 --l-relaxed 4 --json > report.json
      symbreak train-relaxed data/cube_to_prism.h5 --out runs/prism --resume
      symbreak train-relaxed data/cube_to_prisms.h5 --sympe --noise --baseline --out runs/sympe
      symbreak train-relaxed data/blob_drift_z.h5 --model gconv --group Oh --epochs 200 --lr 0.05 --out runs/blob
      torchrun --nproc_per_node=2 -m symbreak_cli train-relaxed traj.h5 --device cpu
    """  # noqa: D406, D407, E501  (click help: "Examples:" is no numpy section; rich wraps the long paragraph)
    with guard(debug):
        # with --resume the workflow reads <out>/config.json; options given here must agree with it (epochs may rise)
        cfg = TrainConfig(data=data, out=str(out), model=model, task=task, l_relaxed=l_relaxed, reg=reg, cutoff=cutoff,
                          epochs=epochs, lr=lr, seed=seed, device=device, batch_size=batch_size, layers=layers,
                          baseline=baseline, restarts=restarts, dt=dt,
                          reg_path=reg_path, reg_path_l=reg_path_l, sympe=sympe, noise=noise,
                          group=group, filter_banks=filter_banks, hidden=hidden, kernel=kernel)
        if model in GCONV_MODELS:  # the grid models' own defaults for what was not given
            cfg = cfg.replace(gconv_defaults=False, **{k: v for k, v in GCONV_DEFAULTS.items() if k not in _given(ctx)})
        from symbreak_cli.render.train import write_run_plots  # torch and matplotlib only once the options are good
        from symbreak_cli.workflows.train import train_relaxed as run_training

        from symbreak_cli.errors import InputError, SymmetryError, named

        with named(data, (InputError, SymmetryError)):  # a problem with the data names the data file
            report = run_training(cfg, resume=resume, force=force, progress=training_progress(quiet),
                                  command=command_line(), write_plots=write_run_plots, given=_given(ctx))
        if report is not None:  # None on non-zero torchrun ranks
            emit("train", report, as_json)
