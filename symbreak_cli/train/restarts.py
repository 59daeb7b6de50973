r"""``--restarts N``: N seeds of the relaxed model trained at once, vectorised over seeds.

The N models' parameters are stacked along a leading restart axis
(``torch.func.stack_module_state``) and one ``torch.func.vmap`` of
``functional_call(model, params, batch)`` evaluates all of them on the same batch — one
batched graph per step, not N runs. The loss summed over restarts has, for each restart's
parameters, exactly that restart's gradient (the restarts share no parameter), and AdamW is
elementwise, so every restart follows the trajectory it would follow alone (same warm-up +
cosine schedule, same mini-batch order); the group-lasso gradient is added per restart
block as :meth:`~symbreak_cli.nn.protocol.RelaxedModel.add_penalty_grad` would.

Stopping is per restart (patience, target loss); a restart that stopped keeps its best
weights while the others go on, and the loop ends when all have stopped. A restart whose
loss becomes non-finite or explodes is marked diverged and left out; only when every
restart diverged does the run stop with :class:`~symbreak_cli.train.loop.TrainingDiverged`.
A model that ``vmap`` cannot batch (an operation without a batching rule) is trained
restart after restart with :func:`~symbreak_cli.train.loop.fit` instead, and the result
says so (``vectorised=False``).

Restart r trains from ``torch.manual_seed(restart_seed(seed, r))``; restart 0 is the
single run with that seed.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass

import torch

from symbreak_cli.nn.protocol import Batch
from symbreak_cli.train.config import TrainConfig
from symbreak_cli.train.loop import (EXPLODE_FACTOR, LOG_EVERY, PATIENCE_GAIN, FitResult, TrainingDiverged, epoch_batches,
                                     fit, lr_at)

SEED_STRIDE = 7919  # restart r of --seed s starts from torch seed s + SEED_STRIDE · r (a prime, no overlap for r < 7919)
AGREEMENT_RULE = ("other restarts judged without refits: a block is needed when zeroing it raises the val MSE by more "
                  "than max(NEEDED_REL × its val MSE, FLOOR_REL × mean(target²))")
PENALTY_EPS = 1e-12  # θ units²: as the model's own penalty smoothing


def restart_seed(seed: int, r: int) -> int:
    return seed + SEED_STRIDE * r


@dataclass
class RestartsResult:
    """Per restart its FitResult (its model holds its best weights afterwards), the
    restart seeds, which restarts diverged, and whether training was vectorised.
    """

    results: list[FitResult]
    seeds: list[int]
    diverged: list[bool]
    vectorised: bool
    wall_s: float

    def best(self) -> int:
        """Index of the restart with the lowest best validation loss (diverged ones never)."""
        ok = [i for i, d in enumerate(self.diverged) if not d and math.isfinite(self.results[i].best_val)]
        return min(ok, key=lambda i: (self.results[i].best_val, i))


def _theta_blocks(model):
    """(parameter name, [non-scalar slices]) of every relaxed weight (by identity of the parameter)."""
    names = {id(p): n for n, p in model.named_parameters()}
    return [(names[id(w.param)], [sl for lab, sl in zip(w.layout.labels, w.layout.slices) if lab != "0e"])
            for w in model.relaxed_weights()]


def _add_penalty_grad(params, blocks, reg) -> None:
    r"""Add λ θ_g / sqrt(‖θ_g‖² + ε) to the gradient of θ_g, per restart and non-scalar block g
    (``reg``: one λ, or an (n, 1) tensor of one λ per restart).
    """
    if isinstance(reg, float) and not reg:
        return
    with torch.no_grad():
        for name, slices in blocks:
            p = params[name]
            if p.grad is None:
                p.grad = torch.zeros_like(p)
            for sl in slices:
                t = p[:, sl]
                inv = (t * t).sum(1, keepdim=True).add_(PENALTY_EPS).rsqrt_()
                p.grad[:, sl].add_(t * inv * reg)


def fit_restarts(models: list, train: Batch, val: Batch | None, cfg: TrainConfig, *, label: str = "relaxed",
                 progress=None, vectorise: bool = True, regs: list[float] | None = None) -> RestartsResult:
    """Train the ``models`` (same architecture, different initialisations) together.

    ``val=None`` means validation reuses the training loss. ``regs`` gives each model its
    own λ (the regularisation path); else all use ``cfg.reg``. Afterwards every model
    holds its own best-validation weights and ``results[r].best_state`` their state dict.
    """
    seeds = [restart_seed(cfg.seed, r) for r in range(len(models))]
    if vectorise and len(models) > 1:
        try:
            return _fit_vmap(models, train, val, cfg, label, progress, seeds, regs)
        except (RuntimeError, NotImplementedError) as err:
            if "vmap" not in str(err) and "functorch" not in str(err) and "batching rule" not in str(err):
                raise
    start = time.perf_counter()
    results, diverged = [], []
    for r, model in enumerate(models):
        try:
            c = cfg if regs is None else cfg.replace(reg=float(regs[r]))
            res = fit(model, train, val, c, label=f"{label} {r + 1}/{len(models)}", progress=progress)
            diverged.append(False)
        except TrainingDiverged:
            if len(models) == 1:
                raise
            res = FitResult(f"{label} {r + 1}/{len(models)}", stop_reason="diverged")
            diverged.append(True)
        if res.best_state is not None:
            model.load_state_dict(res.best_state)
        results.append(res)
    if all(diverged):
        raise TrainingDiverged(f"{label} model diverged in every restart; try a smaller --lr than {cfg.lr:g}")
    return RestartsResult(results, seeds, diverged, False, time.perf_counter() - start)


def _fit_vmap(models, train, val, cfg, label, progress, seeds, regs=None) -> RestartsResult:
    from torch.func import functional_call, stack_module_state, vmap

    n = len(models)
    params, buffers = stack_module_state(models)
    base = copy.deepcopy(models[0]).to("meta")
    blocks = _theta_blocks(models[0])
    run = vmap(lambda p, b, batch: functional_call(base, (p, b), (batch,)), in_dims=(0, 0, None))
    opt = torch.optim.AdamW(list(params.values()), lr=cfg.lr, weight_decay=0.0, fused=True)
    if cfg.weight_decay:  # θ is never decayed: one group for the network weights, one for θ
        theta_names = {name for name, _ in blocks}
        opt = torch.optim.AdamW([{"params": [p for k, p in params.items() if k not in theta_names],
                                  "weight_decay": cfg.weight_decay},
                                 {"params": [p for k, p in params.items() if k in theta_names], "weight_decay": 0.0}],
                                lr=cfg.lr, fused=True)
    best = {k: v.detach().clone() for k, v in params.items()}
    device = next(iter(params.values())).device
    reg = float(cfg.reg) if regs is None else torch.as_tensor(regs, dtype=torch.get_default_dtype(), device=device)[:, None]
    results = [FitResult(f"{label} {r + 1}/{n}") for r in range(n)]
    best_val = torch.full((n,), math.inf)
    patience_ref, patience_epoch = torch.full((n,), math.inf), torch.zeros(n, dtype=torch.long)
    done = torch.zeros(n, dtype=torch.bool)
    diverged = torch.zeros(n, dtype=torch.bool)
    first = None
    task = progress.add_task(f"{label} ×{n}", total=cfg.epochs, completed=0, info="") if progress else None
    start = time.perf_counter()
    epoch = 0
    for epoch in range(cfg.epochs):
        for g in opt.param_groups:
            g["lr"] = lr_at(epoch, cfg)
        loss_sum, nodes = None, 0
        for batch in epoch_batches(train, cfg, _NoDist, epoch):
            opt.zero_grad(set_to_none=True)
            per = ((run(params, buffers, batch) - batch.target) ** 2).mean(dim=(1, 2))  # (n,) MSE per restart
            torch.where(torch.isfinite(per), per, torch.zeros_like(per)).sum().backward()
            _add_penalty_grad(params, blocks, reg)
            opt.step()
            d = per.detach() * len(batch.target)
            loss_sum, nodes = (d if loss_sum is None else loss_sum + d), nodes + len(batch.target)
        train_loss = (loss_sum / max(nodes, 1)).cpu()
        if val is None:
            val_loss = train_loss
        else:
            with torch.no_grad():
                val_loss = ((run(params, buffers, val) - val.target) ** 2).mean(dim=(1, 2)).cpu()
        if first is None:
            first = train_loss.clone()
        bad = ~torch.isfinite(train_loss) | ((first > 0) & (train_loss > EXPLODE_FACTOR * first))
        newly = bad & ~diverged & ~done
        diverged |= newly
        done |= newly
        if bool(diverged.all()):
            raise TrainingDiverged(f"{label} model diverged in every restart by epoch {epoch + 1} (train MSE "
                                   f"{float(train_loss.min()):.3g}, first epoch {float(first.min()):.3g}); try a "
                                   f"smaller --lr than {cfg.lr:g}")
        improved = (val_loss < best_val) & ~done
        if bool(improved.any()):
            with torch.no_grad():
                mask = improved.to(next(iter(params.values())).device)
                for k, v in params.items():
                    best[k][mask] = v.detach()[mask]
            best_val = torch.where(improved, val_loss, best_val)
        gain = (val_loss < PATIENCE_GAIN * patience_ref) & ~done
        patience_ref = torch.where(gain, val_loss, patience_ref)
        patience_epoch = torch.where(gain, torch.full_like(patience_epoch, epoch), patience_epoch)
        log = epoch % LOG_EVERY == 0 or epoch + 1 == cfg.epochs
        tl, vl = train_loss.tolist(), val_loss.tolist()
        for r, res in enumerate(results):
            if done[r] and not newly[r]:
                continue
            h = res.history
            h["train_loss"].append(tl[r])
            h["val_loss"].append(vl[r])
            h["lr"].append(opt.param_groups[0]["lr"])
            res.epoch = epoch + 1
            if improved[r]:
                res.best_val, res.best_epoch = vl[r], epoch
            if newly[r]:
                res.stop_reason = "diverged"
            elif cfg.target_loss > 0 and vl[r] < cfg.target_loss:
                res.stop_reason = "target loss reached"
            elif cfg.patience and epoch - int(patience_epoch[r]) >= cfg.patience:
                res.stop_reason = f"early stopping (no 1 % improvement in {cfg.patience} epochs)"
            if log:
                h["theta_epochs"].append(epoch)
                h["theta_norms"].append(_norms(params, models[0], r))
            if res.finished:
                done[r] = True
        if progress is not None and log:
            progress.update(task, completed=epoch + 1,
                            info=f"best val MSE {float(best_val.min()):.2e}  stopped {int(done.sum())}/{n}")
        if bool(done.all()):
            break
    for res in results:
        if not res.finished:
            res.stop_reason = "max epochs"
    wall = time.perf_counter() - start
    with torch.no_grad():
        for r, model in enumerate(models):
            for name, p in model.named_parameters():
                p.copy_(best[name][r])
            results[r].best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
            results[r].wall_s = wall / n  # the restarts shared every step
    if progress is not None:
        ran = max(r.epoch for r in results)
        progress.update(task, total=ran, completed=ran)
    return RestartsResult(results, seeds, diverged.tolist(), True, wall)


def _norms(params, model, r: int) -> list[float]:
    """Per θ irrep of restart r, sqrt(Σ_layers ‖θ^k_{l,p}‖²) (as :func:`~symbreak_cli.train.loop.theta_norms`)."""
    names = {id(p): n for n, p in model.named_parameters()}
    rows = []
    for w in model.relaxed_weights():
        t = params[names[id(w.param)]][r].detach()
        rows.append([float(t[sl].norm()) for sl in w.layout.slices])
    return [math.sqrt(sum(row[i] ** 2 for row in rows)) for i in range(len(rows[0]))] if rows else []


class _NoDist:
    """Restarts run in one process (no DDP)."""

    world, rank, active, main = 1, 0, False, True


@dataclass(frozen=True)
class RestartVerdict:
    """One restart's verdict for the agreement count: ``verdict`` is the kept group's
    Schoenflies name, 'no fit' or 'no group'; ``needed`` the irreps (combined over layers)
    whose removal, without a refit, costs more than ``margin``.
    """

    seed: int
    best_val: float
    epochs: int
    stop_reason: str
    verdict: str
    needed: tuple[str, ...]
    margin: float


def quick_verdict(model, val: Batch, baseline_val: float | None, task: str, points, seed: int,
                  res: FitResult) -> RestartVerdict:
    r"""The verdict of one restart from removal tests *without* refits (cheap, for the
    agreement count): fit quality as :func:`~symbreak_cli.train.evidence.fit_quality`; a
    block is needed when zeroing it raises the validation loss by more than
    :math:`\max(\text{NEEDED\_REL}\cdot L,\ \text{FLOOR\_REL}\cdot L_0)`; the kept group
    is the widest group whose averaging of the needed blocks costs at most that margin
    (:func:`~symbreak_cli.train.evidence.widest_kept_group`, as for the reported restart).
    """
    from symbreak_cli.train import analysis, evidence

    if model is None:
        return RestartVerdict(seed, res.best_val, res.epoch, res.stop_reason, "diverged", (), math.nan)
    fit_q = evidence.fit_quality(res.best_val, val, baseline_val)
    if not fit_q.fits:
        return RestartVerdict(seed, res.best_val, res.epoch, res.stop_reason, "no fit", (), math.nan)
    l0 = evidence.target_mean_square(val) or 1.0
    blocks = evidence._Blocks(model)
    saved = {k: v.detach().clone() for k, v in model.state_dict().items()}
    base = evidence._val(model, val)
    margin = max(evidence.NEEDED_REL * base, evidence.FLOOR_REL * l0)
    tests = []
    try:
        for key in blocks.where:
            n = blocks.norm(key)
            if n <= evidence.ZERO_BLOCK:
                continue
            blocks.zero([key])
            delta = evidence._val(model, val) - base
            tests.append(evidence.BlockTest(key[0], key[1], n, 0.0, delta, False, delta > margin))
            model.load_state_dict(saved)
    finally:
        model.load_state_dict(saved)
    ev = evidence.Evidence(val_loss=base, control_loss=base, target_mean_square=l0, noise=0.0, margin=margin,
                           blocks=tuple(tests), joint_delta=0.0, refit_lr=0.0)
    needed = ev.needed()
    readout = model.relaxed_readout()
    G = analysis.data_point_group(points) if points is not None else None
    scale, _ = evidence.widest_kept_group(model, val, readout, ev, G)  # as the reported restart's
    sym = analysis.symmetry_analysis(readout, task, points, needed, scale)
    name = sym.kept.schoenflies if sym.kept is not None else "no group"
    return RestartVerdict(seed, res.best_val, res.epoch, res.stop_reason, name,
                          tuple(sorted({lab for _, lab in needed})), margin)


def agreement(verdicts: list[RestartVerdict], verdict: str) -> tuple[int, dict[str, int]]:
    """(how many restarts reached ``verdict``, count per verdict in first-seen order)."""
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    return counts.get(verdict, 0), counts


def save_restarts(path, run: RestartsResult, models, epochs: int) -> None:
    """The finished restarts: the best one's state as ``model`` (what a single run's
    checkpoint holds), and per restart its state, history and outcome (atomic write).
    """
    import io

    from symbreak_cli.io.files import atomic_write_bytes

    best = run.best()
    per = [{"state": {k: v.detach().cpu() for k, v in m.state_dict().items()}, "history": r.history,
            "best_val": r.best_val, "best_epoch": r.best_epoch, "epoch": r.epoch, "stop_reason": r.stop_reason,
            "wall_s": r.wall_s, "diverged": d} for m, r, d in zip(models, run.results, run.diverged)]
    state = {"model": per[best]["state"], "best_model": per[best]["state"], "epoch": run.results[best].epoch,
             "epochs": epochs, "restarts": per, "seeds": run.seeds, "vectorised": run.vectorised, "wall_s": run.wall_s}
    buf = io.BytesIO()
    torch.save(state, buf)
    atomic_write_bytes(path, buf.getvalue())


def restarts_from_checkpoint(saved: dict, models) -> RestartsResult:
    """The RestartsResult :func:`save_restarts` wrote (the models get their saved weights)."""
    results, diverged = [], []
    for r, (m, rec) in enumerate(zip(models, saved["restarts"])):
        m.load_state_dict(rec["state"])
        res = FitResult(f"relaxed {r + 1}/{len(models)}", history=rec["history"], best_val=rec["best_val"],
                        best_epoch=rec["best_epoch"], epoch=rec["epoch"], stop_reason=rec["stop_reason"],
                        wall_s=rec["wall_s"], best_state=rec["state"])
        results.append(res)
        diverged.append(bool(rec["diverged"]))
    return RestartsResult(results, list(saved["seeds"]), diverged, bool(saved["vectorised"]), float(saved["wall_s"]))
