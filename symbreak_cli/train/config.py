"""Training configuration: every option of ``train-relaxed``, validated, JSON round-trip.

Written to ``<run>/config.json``; ``--resume`` reads it back so a resumed run continues
with exactly the options it started with.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from symbreak_cli.errors import OptionError

from symbreak_cli.train.choices import DEVICES, GCONV_GROUPS, GCONV_MODELS, MODELS, TASKS

__all__ = ["DEVICES", "GCONV_DEFAULTS", "GCONV_GROUPS", "GCONV_MODELS", "MODELS", "TASKS", "TrainConfig"]

# the gconv models' defaults, for options not given on the command line (the other defaults suit e3nn):
# full-batch steps on a grid are few and large, the fit plateaus within ~150 epochs (benchmarks/gconv.py)
GCONV_DEFAULTS = {"epochs": 150, "lr": 5e-2, "patience": 25, "restarts": 2}


@dataclass(frozen=True)
class TrainConfig:
    """Options of a relaxed-equivariant training run.

    Attributes
    ----------
    data : input file (H5MD, pairs .h5, ASE .traj/extxyz)
    model : 'e3nn' (relaxed) or 'equivariant' (baseline only)
    task : 'dynamics' (per-particle acceleration), 'pairs' (per-point displacement) or 'auto'
    l_relaxed : highest angular momentum l held by θ (both parities)
    reg : weight λ of the group-lasso penalty λ Σ ‖θ_non-scalar‖ (dimensionless)
    cutoff : edge cutoff radius, in the data's length unit
    epochs : maximum number of epochs (passes over the training samples; one step each
        with full batches)
    lr : peak AdamW learning rate
    weight_decay : AdamW weight decay of the network weights (never of θ); 0 by default —
        1e-6, the former default, changed nothing measurable in 600 epochs
    seed : seeds torch, the split and the data order
    device : 'auto' (CUDA when available), 'cpu' or 'cuda'
    batch_size : samples per step (shuffled mini-batches, reshuffled every epoch with
        ``seed + epoch``); 0 = full batch
    val_fraction : share of samples held out for validation (≥ 1 sample when S ≥ 2)
    patience : early stopping after this many epochs without a 1 % improvement of the
        validation loss (0 = never)
    target_loss : stop once the validation loss is below this (0 = never)
    layers, mul : interaction layers and channels per hidden irrep
    baseline : also train the equivariant network for comparison (with ``sympe``: the
        equivariant and the relaxed-weights networks, matched modulo the input's symmetry)
    restarts : seeds of the relaxed model trained together (vectorised over seeds); the
        lowest validation loss is reported, with how many restarts reached its verdict.
        8 by default: a single seed of the cube → prism sample fails to fit 4 times in 10.
        Under torchrun the default is one seed, data-parallel (an explicit N > 1 is an error).
        With ``sympe`` the SymPE network restarts (8 keep training the cube set and 300
        draws inside the 60 s target: benchmarks/sympe.py), the baselines train once
    reg_path : also train along log-spaced λ (train/regpath.py) and report the knee
    reg_path_l : comma-separated l_relaxed values for the path ('' = ``l_relaxed`` only)
    dt : time between frames, for trajectories without frame times (0 = the file's; a
        positions-only file without times and without ``dt`` is refused)
    sympe : train SymPE (probabilistic symmetry breaking, :mod:`symbreak_cli.nn.sympe`)
        on a pairs file instead of ``model``
    noise : with ``sympe``, also train the noise-injection baseline
    group : gconv: the grid group ('C4', 'D4' in 2D; 'O', 'Oh' in 3D; 'auto': C4 or O)
    filter_banks : gconv: kernels L mixed by the relaxed weights of each layer
    hidden : gconv: channels per group element
    kernel : gconv: odd kernel size of every layer; 0 = 5 on 3D grids of side ≥ 16, else 3
        (a drift of one voxel per step with diffusion needs a kernel reaching two voxels: the
        best 3³ linear kernel leaves 0.8 % of mean(y²) on the 16³ sample, the best 5³ one
        0.003 %; on a 6³ periodic grid a 5³ kernel no longer fits the drift)
    gconv_defaults : gconv: options still at the (e3nn) defaults above take the values of
        ``GCONV_DEFAULTS`` (:meth:`for_gconv`); the CLI applies those itself to the options
        not given on the command line and sets this False, so a given value is kept
    """

    data: str
    out: str = "runs/train"
    model: str = "e3nn"
    task: str = "auto"
    l_relaxed: int = 2
    reg: float = 1e-2
    cutoff: float = 2.5
    epochs: int = 600
    lr: float = 2e-2
    weight_decay: float = 0.0
    seed: int = 0
    device: str = "auto"
    batch_size: int = 0
    val_fraction: float = 0.2
    patience: int = 300
    target_loss: float = 0.0
    layers: int = 1
    mul: int = 8
    baseline: bool = False
    checkpoint_every: int = 100
    restarts: int = 8
    dt: float = 0.0
    reg_path: bool = False
    reg_path_l: str = ""
    sympe: bool = False
    noise: bool = False
    group: str = "auto"
    filter_banks: int = 2
    hidden: int = 4
    gconv_defaults: bool = True
    kernel: int = 0

    def __post_init__(self):
        if self.model not in MODELS:
            raise OptionError(f"--model must be one of {', '.join(MODELS)}, not {self.model!r}")
        if self.task not in TASKS:
            raise OptionError(f"--task must be one of {', '.join(TASKS)}, not {self.task!r}")
        if self.device not in DEVICES:
            raise OptionError(f"--device must be one of {', '.join(DEVICES)}, not {self.device!r}")
        checks = [
            (0 <= self.l_relaxed <= 6, "--l-relaxed must be between 0 and 6"),
            (self.reg >= 0, "--reg must be ≥ 0"),
            (self.cutoff > 0, "--cutoff must be > 0 (a length in the data's unit)"),
            (self.epochs >= 1, "--epochs must be ≥ 1"),
            (self.lr > 0, "--lr must be > 0"),
            (self.batch_size >= 0, "--batch-size must be ≥ 0 (0 = full batch)"),
            (0 <= self.val_fraction < 1, "val_fraction must be in [0, 1)"),
            (self.layers >= 1, "--layers must be ≥ 1"),
            (self.mul >= 1, "--mul must be ≥ 1"),
            (self.restarts >= 1, "--restarts must be ≥ 1"),
            (self.dt >= 0, "--dt must be > 0 (the time between frames, in the file's time unit)"),
        ]
        try:
            ls = self.reg_path_ls()
        except ValueError:
            ls = [-1]
        checks.append((all(0 <= v <= 6 for v in ls), "--reg-path-l must be comma-separated integers 0–6, e.g. 1,2,3"))
        checks += [
            (self.sympe or not self.noise, "--noise is the noise-injection baseline of SymPE: it needs --sympe"),
            (not self.sympe or self.model == "e3nn", "--sympe trains SymPE (and with --baseline the e3nn networks); "
                                                     "--model does not combine with it"),
            (self.group in GCONV_GROUPS, f"--group must be one of {', '.join(GCONV_GROUPS)}, not {self.group!r}"),
            (self.filter_banks >= 1, "--filter-banks must be ≥ 1"),
            (self.hidden >= 1, "--hidden must be ≥ 1"),
            (self.kernel == 0 or (self.kernel >= 1 and self.kernel % 2 == 1), "--kernel must be odd (or 0: 5 on 3D grids of side ≥ 16, else 3)"),
        ]
        for ok, msg in checks:
            if not ok:
                raise OptionError(msg)

    def gconv_kernel(self, dim: int, side: int) -> int:
        """The kernel size on a ``dim``-dimensional grid of ``side`` voxels a side."""
        return self.kernel or (5 if dim == 3 and side >= 16 else 3)

    def for_gconv(self) -> "TrainConfig":
        """The options a gconv run uses: with ``gconv_defaults``, every ``GCONV_DEFAULTS`` option
        still at its dataclass default takes the gconv value.
        """
        if not self.gconv_defaults:
            return self
        fields = {f.name: f.default for f in dataclasses.fields(self)}
        return self.replace(gconv_defaults=False, **{k: v for k, v in GCONV_DEFAULTS.items()
                                                     if getattr(self, k) == fields[k]})

    def reg_path_ls(self) -> list[int]:
        """The l_relaxed values of the regularisation path."""
        text = self.reg_path_l.replace(" ", "")
        return [int(v) for v in text.split(",")] if text else [self.l_relaxed]

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_json_file(cls, path: str | Path) -> "TrainConfig":
        """A run's ``config.json`` (``RUN/config.json``): damaged, foreign or mistyped
        (an option whose value is not of its default's type) is one InputError naming it.
        """
        from symbreak_cli.io.run_dir import check_run_config

        data = check_run_config(Path(path).parent, cls.field_defaults())
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def field_defaults(cls) -> dict:
        """{option: its default} (None for the required ``data``): the types a config.json must hold."""
        return {f.name: getattr(cls, f.name, None) for f in dataclasses.fields(cls)}

    def replace(self, **kw) -> "TrainConfig":
        return dataclasses.replace(self, **kw)
