r"""The optimisation loop: AdamW on full batches or seeded shuffled mini-batches, warm-up +
cosine schedule, early stopping, atomic checkpoints, resume, DDP.

Loss: :math:`\mathcal L = \mathrm{mean}_{i,c}\,(f(x)_{ic} - y_{ic})^2
+ \lambda \sum_{\text{layers}}\sum_{(l,p)\ne 0e}\|\theta_{l,p}\|` (the group-lasso term keeps
the breaking minimal; θ gets no weight decay). Checkpoints are plain dicts of tensors and
numbers, so they load with ``torch.load(weights_only=True)``.

The loop knows models only through :class:`~symbreak_cli.nn.protocol.RelaxedModel` and
data only through :class:`~symbreak_cli.nn.protocol.Batch` (``model(batch)`` is fitted to
``batch.target``; mini-batches come from ``batch.select``), so any relaxed model plugs in.

An *epoch* is one pass over the training samples: one step with ``batch_size = 0``, else
:math:`\lceil S_{\text{rank}}/B\rceil` steps on batches of :math:`B` samples drawn by
``DistributedSampler`` (shuffled with ``seed + epoch``, so a resumed run sees the same
order; under DDP every rank gets the same number of batches, so no collective is ever
left unmatched). The epoch's training loss is the node-weighted mean over its batches,
averaged over ranks; every stop decision is taken from rank-agreed numbers (and, under
DDP, all-reduced once more), so all ranks leave the loop at the same epoch.
"""

from __future__ import annotations

import io
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from symbreak_cli.errors import SymbreakError
from symbreak_cli.nn.protocol import Batch, RelaxedModel
from symbreak_cli.train.config import TrainConfig
from symbreak_cli.train.distributed import Dist

WARMUP = 10  # epochs of linear learning-rate warm-up
LOG_EVERY = 10  # epochs between θ-norm records (and progress updates)
PATIENCE_GAIN = 0.99  # early stopping: an improvement counts when val loss < 0.99 × the reference
EXPLODE_FACTOR = 1e4  # diverged: train loss above 1e4 × the first epoch's (or not finite)


class TrainingDiverged(SymbreakError):
    """The loss became non-finite or exploded: the run stops (exit 1), nothing is reported."""


@dataclass
class FitResult:
    """Outcome of one model's training (history arrays are per epoch)."""

    label: str
    history: dict = field(default_factory=lambda: {"train_loss": [], "val_loss": [], "lr": [],
                                                   "theta_epochs": [], "theta_norms": []})
    best_val: float = math.inf
    best_epoch: int = -1
    epoch: int = 0
    stop_reason: str = "running"
    wall_s: float = 0.0
    best_state: dict | None = None

    @property
    def finished(self) -> bool:
        return self.stop_reason != "running"


def lr_at(epoch: int, cfg: TrainConfig) -> float:
    """Linear warm-up over WARMUP epochs, then cosine decay to 1 % of ``cfg.lr``."""
    warm = min(1.0, (epoch + 1) / WARMUP)
    cos = 0.5 * (1.0 + math.cos(math.pi * min(epoch, cfg.epochs) / cfg.epochs))
    return cfg.lr * warm * (0.01 + 0.99 * cos)


def theta_norms(model: RelaxedModel) -> list[float]:
    """Per θ irrep, the norm combined over layers: sqrt(Σ_layers ‖θ^k_{l,p}‖²)."""
    rows = [[float(b.detach().norm()) for b in w.blocks().values()] for w in model.relaxed_weights()]
    return [float(np.sqrt(sum(r[i] ** 2 for r in rows))) for i in range(len(rows[0]))] if rows else []


def mse(model, batch: Batch) -> torch.Tensor:
    return ((model(batch) - batch.target) ** 2).mean()


def train_step(net, model: RelaxedModel, opt, batch: Batch, reg: float) -> torch.Tensor:
    r"""One AdamW step on :math:`\mathrm{MSE} + \lambda\,\mathrm{penalty}`; returns the
    detached MSE (no host sync). ``net`` may be the DDP wrapper of ``model``.
    """
    opt.zero_grad(set_to_none=True)
    data_loss = mse(net, batch)
    data_loss.backward()
    model.add_penalty_grad(reg)  # the penalty's gradient, without an autograd graph
    opt.step()
    return data_loss.detach()


def epoch_batches(train: Batch, cfg: TrainConfig, dist: Dist, epoch: int):
    """The batches of one epoch: ``train`` itself (full batch), or shuffled mini-batches of
    ``cfg.batch_size`` samples, this rank's share from ``DistributedSampler``.
    """
    if cfg.batch_size <= 0:
        yield train
        return
    from torch.utils.data.distributed import DistributedSampler

    sampler = DistributedSampler(range(train.n_samples), num_replicas=dist.world, rank=dist.rank,
                                 shuffle=True, seed=cfg.seed, drop_last=False)
    sampler.set_epoch(epoch)
    order = torch.as_tensor(list(sampler), dtype=torch.long, device=train.target.device)
    for start in range(0, len(order), cfg.batch_size):
        yield train.select(order[start:start + cfg.batch_size])


def evaluate(model, batch: Batch, batch_size: int = 0) -> float:
    """MSE over ``batch`` without gradients, in chunks of ``batch_size`` samples (0 = all)."""
    with torch.no_grad():
        if batch_size <= 0:
            return float(mse(model, batch))
        total, count = batch.target.new_zeros(()), 0
        n = batch.n_samples
        for start in range(0, n, batch_size):
            part = batch.select(torch.arange(start, min(n, start + batch_size), device=batch.target.device))
            total = total + mse(model, part) * part.target.numel()
            count += part.target.numel()
        return float(total) / max(count, 1)


def save_checkpoint(path: Path, model, opt, res: FitResult) -> None:
    """torch.save to memory, then an atomic rename (a crash never leaves half a file)."""
    from symbreak_cli.io.files import atomic_write_bytes

    state = {"model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
             "best_model": res.best_state, "optimizer": opt.state_dict(), "epoch": res.epoch,
             "history": res.history, "best_val": res.best_val, "best_epoch": res.best_epoch,
             "stop_reason": res.stop_reason, "wall_s": res.wall_s, "label": res.label}
    buf = io.BytesIO()
    torch.save(state, buf)
    atomic_write_bytes(path, buf.getvalue())


def read_checkpoint(path: Path) -> dict:
    """A checkpoint's tensors and numbers, loaded weights-only (no code runs); anything
    else in the file — pickled objects, damage — is an InputError naming it.
    """
    import warnings

    try:
        with warnings.catch_warnings():  # torch warns about old pickle protocols; the error below says it all
            warnings.simplefilter("ignore")
            return torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # torch raises UnpicklingError, RuntimeError, EOFError… for these
        from symbreak_cli.errors import InputError

        raise InputError("is not a checkpoint symbreak can load safely (it holds objects other than tensors "
                         "and numbers, or is damaged); start a new run with --force", path=str(path)) from None


def load_checkpoint(path: Path, model, opt, res: FitResult) -> None:
    state = read_checkpoint(path)
    try:
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
    except (RuntimeError, ValueError, KeyError) as err:
        from symbreak_cli.errors import InputError

        raise InputError(f"checkpoint does not fit this model (written by another version or with other "
                         f"options; start a new run with --force): {str(err).splitlines()[0]}", path=str(path)) from None
    res.history, res.best_val, res.best_epoch = state["history"], state["best_val"], state["best_epoch"]
    res.epoch, res.stop_reason, res.wall_s = state["epoch"], state["stop_reason"], state["wall_s"]
    res.best_state = state["best_model"]


def agree_to_continue(dist: Dist, stop_here: bool) -> bool:
    """All ranks continue only if none wants to stop (one all-reduce of a flag)."""
    flag = torch.tensor([1.0 if stop_here else 0.0])
    torch.distributed.all_reduce(flag, op=torch.distributed.ReduceOp.MAX)
    return float(flag) == 0.0


def make_optimizer(model, cfg: TrainConfig):
    """Fused AdamW (one kernel per parameter group instead of ~20 small ops per tensor).

    θ never gets weight decay (the group-lasso penalty is its only regulariser); with
    ``weight_decay = 0`` (the default) all parameters share one group, so the relaxed
    model's optimizer step costs what the baseline's does.
    """
    params = list(model.parameters())
    if cfg.weight_decay == 0:
        return torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0, fused=True)
    relaxed = {id(w.param) for w in model.relaxed_weights()}
    thetas = [p for p in model.parameters() if id(p) in relaxed]
    others = [p for p in model.parameters() if id(p) not in relaxed]
    groups = [{"params": others, "weight_decay": cfg.weight_decay}]
    if thetas:
        groups.append({"params": thetas, "weight_decay": 0.0})
    return torch.optim.AdamW(groups, lr=cfg.lr, fused=True)


def fit(model: RelaxedModel, train: Batch, val: Batch | None, cfg: TrainConfig, *, label: str,
        dist: Dist = Dist(), checkpoint: Path | None = None, resume: bool = False, progress=None,
        on_epoch: Callable[[int, RelaxedModel, FitResult], bool] | None = None) -> FitResult:
    """Train ``model`` on ``train`` (any :class:`~symbreak_cli.nn.protocol.Batch`).

    ``val=None`` means validation reuses the training loss. ``on_epoch(epoch, model,
    result)`` may return True to stop (used by benchmarks and tests). Under DDP with full
    batches each rank passes its own shard as ``train``; with ``cfg.batch_size > 0`` every
    rank passes all training samples and the sampler shares them out. All ranks pass the
    same ``val``.
    """
    opt = make_optimizer(model, cfg)
    res = FitResult(label)
    if resume and checkpoint is not None and checkpoint.exists():
        load_checkpoint(checkpoint, model, opt, res)
        if res.stop_reason == "max epochs" and res.epoch < cfg.epochs:
            res.stop_reason = "running"  # resumed with a larger --epochs
        if res.finished:
            return res
    net = model
    if dist.active:
        net = torch.nn.parallel.DistributedDataParallel(model)  # every parameter is used in every step
    reg = cfg.reg if model.relaxed_weights() else 0.0
    task = progress.add_task(label, total=cfg.epochs, completed=res.epoch, info="") if progress else None
    start = time.perf_counter() - res.wall_s
    patience_ref, patience_epoch = res.best_val, res.best_epoch
    try:
        while res.epoch < cfg.epochs:
            epoch = res.epoch
            for g in opt.param_groups:
                g["lr"] = lr_at(epoch, cfg)
            net.train()
            loss_sum, nodes = train.target.new_zeros(()), 0
            for batch in epoch_batches(train, cfg, dist, epoch):
                loss_sum = loss_sum + train_step(net, model, opt, batch, reg) * len(batch.target)
                nodes += len(batch.target)
            if dist.active:  # node-weighted mean over every rank's batches
                t = torch.stack([loss_sum, loss_sum.new_tensor(float(nodes))])
                torch.distributed.all_reduce(t)
                loss_sum, nodes = t[0], float(t[1])
            train_loss = float(loss_sum) / max(nodes, 1)
            val_loss = train_loss if val is None else evaluate(model, val, cfg.batch_size)
            h = res.history
            h["train_loss"].append(train_loss)
            h["val_loss"].append(val_loss)
            h["lr"].append(opt.param_groups[0]["lr"])
            res.epoch = epoch + 1
            if val_loss < res.best_val:
                res.best_val, res.best_epoch = val_loss, epoch
                res.best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
            if val_loss < PATIENCE_GAIN * patience_ref:
                patience_ref, patience_epoch = val_loss, epoch
            first = h["train_loss"][0]
            if not math.isfinite(train_loss) or (first > 0 and train_loss > EXPLODE_FACTOR * first):
                raise TrainingDiverged(f"{label} model diverged at epoch {res.epoch} (train MSE {train_loss:.3g}, first "
                                       f"epoch {first:.3g}); try a smaller --lr than {cfg.lr:g}")
            if epoch % LOG_EVERY == 0 or res.epoch == cfg.epochs:
                norms = theta_norms(model)
                h["theta_epochs"].append(epoch)
                h["theta_norms"].append(norms)
                if progress is not None:
                    progress.update(task, completed=res.epoch, info=_progress_info(model, norms, train_loss, val_loss))
            res.wall_s = time.perf_counter() - start
            if cfg.target_loss > 0 and val_loss < cfg.target_loss:
                res.stop_reason = "target loss reached"
            elif cfg.patience and epoch - patience_epoch >= cfg.patience:
                res.stop_reason = f"early stopping (no 1 % improvement in {cfg.patience} epochs)"
            elif on_epoch is not None and on_epoch(epoch, model, res):
                res.stop_reason = "stopped by callback"
            if dist.active and not agree_to_continue(dist, res.finished):
                res.stop_reason = res.stop_reason if res.finished else "stopped by another rank"
            if checkpoint is not None and dist.main and (res.finished or res.epoch % cfg.checkpoint_every == 0):
                save_checkpoint(checkpoint, model, opt, res)
            if res.finished:
                break
        if not res.finished:
            res.stop_reason = "max epochs"
    except KeyboardInterrupt:
        if checkpoint is not None and dist.main:
            save_checkpoint(checkpoint, model, opt, res)  # --resume continues from here
        raise
    res.wall_s = time.perf_counter() - start
    if checkpoint is not None and dist.main:
        save_checkpoint(checkpoint, model, opt, res)
    if progress is not None:  # the real count: an early stop ends the bar at its own epoch
        progress.update(task, total=res.epoch, completed=res.epoch)
    return res


def _progress_info(model, norms: list[float], train_loss: float, val_loss: float) -> str:
    """'train MSE … val MSE … ‖θ‖ 1o … 2e …' (non-scalar irreps, combined over layers)."""
    text = f"train MSE {train_loss:.2e}  val MSE {val_loss:.2e}"
    weights = model.relaxed_weights()
    if weights and norms:
        shown = [f"{lab} {n:.2g}" for lab, n in zip(weights[0].layout.labels, norms) if lab != "0e"][:6]
        text += "  ‖θ‖ " + " ".join(shown)
    return text
