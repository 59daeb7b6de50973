r"""Which relaxed-weight blocks the fit needs, and whether the relaxed model fits at all.

*Fit quality.* :math:`L_0 = \mathrm{mean}(y^2)` over the validation targets is the loss of
predicting zero (the scale of the target, in its own units squared). The relaxed model
*fits* when its best validation loss is at most ``FIT_REL`` · :math:`L_0` (it explains at
least 90 % of the target's mean square) — and, when an equivariant baseline was trained
and could not fit, at most ``FIT_REL`` · the baseline's loss. Otherwise the verdict is
"no fit" and no group is named.

*Evidence per block.* For every relaxed layer k and every non-scalar irrep block
:math:`\theta^k_{l,p}`: set it to zero and re-evaluate the validation loss. A block whose
removal costs at most the margin is *negligible* at once. Any other block is removed again
and the other weights (θ included) are refitted for ``REFIT_EPOCHS`` full-batch epochs;
a *control* refit of the same length with nothing removed gives the reference loss
:math:`L_c`. The block is *needed* when :math:`L_{\text{removed}} - L_c > m` with the margin

.. math:: m = \max(\text{NEEDED\_REL}\cdot L_c,\ \text{NOISE\_FACTOR}\cdot\nu,\ \text{FLOOR\_REL}\cdot L_0)

where ν, the run's noise, is the spread (max − min) of the control refit's validation
loss over its last ``NOISE_WINDOW`` epochs. Finally all negligible blocks are removed
together (with a refit); if that costs more than the margin, the negligible block whose
own removal cost most is moved to the needed ones, until the rest can go together.
Losses are unit-free ratios to :math:`L_0` in every comparison, so rescaling the data
changes no verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from symbreak_cli.nn.protocol import Batch, RelaxedModel

FIT_REL = 0.1  # fits when best val loss ≤ FIT_REL × mean(y²) (and × a non-fitting baseline's loss)
NEEDED_REL = 1.0  # needed: removal (after refit) raises the loss by more than 100 % of the control's …
NOISE_FACTOR = 3.0  # … and by more than 3 × the run's noise …
FLOOR_REL = 1e-3  # … and by more than 0.1 % of mean(y²)
REFIT_EPOCHS = 100  # full-batch epochs of each refit
REFIT_LR_REL = 0.1  # refit learning rate, × the run's peak --lr (constant)
NOISE_WINDOW = 20  # last epochs of the control refit whose spread is the noise ν
ZERO_BLOCK = 1e-12  # θ units: a block below this is absent (nothing to remove)


@dataclass(frozen=True)
class FitQuality:
    """``val_loss`` (best), ``target_mean_square`` :math:`L_0`, ``baseline_val_loss``
    (None without a baseline), and ``fits`` by the FIT_REL rule.
    """

    val_loss: float
    target_mean_square: float
    baseline_val_loss: float | None
    fits: bool
    reason: str


@dataclass(frozen=True)
class BlockTest:
    """One block's evidence. ``delta_val`` is the validation-loss increase when it is
    removed: against the trained loss when ``refit`` is False, against the control refit
    when True. ``needed`` is the verdict.
    """

    layer: int
    irrep: str
    norm: float
    share: float
    delta_val: float
    refit: bool
    needed: bool


@dataclass(frozen=True)
class Evidence:
    """All blocks' tests, the losses they were judged against and the margin used."""

    val_loss: float
    control_loss: float
    target_mean_square: float
    noise: float
    margin: float
    blocks: tuple[BlockTest, ...]
    joint_delta: float
    refit_lr: float

    def needed(self) -> set[tuple[int, str]]:
        return {(b.layer, b.irrep) for b in self.blocks if b.needed}


def target_mean_square(batch: Batch) -> float:
    return float((batch.target.double() ** 2).mean())


def fit_quality(best_val: float, val: Batch, baseline_val: float | None = None) -> FitQuality:
    """Whether the relaxed model fits (see the module docstring)."""
    l0 = target_mean_square(val)
    if not math.isfinite(best_val):
        return FitQuality(best_val, l0, baseline_val, False, "the validation loss is not finite")
    if l0 > 0 and best_val > FIT_REL * l0:
        return FitQuality(best_val, l0, baseline_val, False,
                          f"best validation loss is {best_val / l0:.3g} × mean(target²) (fits: ≤ {FIT_REL:g})")
    if baseline_val is not None and baseline_val > FIT_REL * l0 and best_val > FIT_REL * baseline_val:
        return FitQuality(best_val, l0, baseline_val, False,
                          f"best validation loss is {best_val / baseline_val:.3g} × the equivariant baseline's, which "
                          f"cannot fit (fits: ≤ {FIT_REL:g})")
    return FitQuality(best_val, l0, baseline_val, True, f"best validation loss ≤ {FIT_REL:g} × mean(target²)")


def _mse(model, batch: Batch) -> torch.Tensor:
    return ((model(batch) - batch.target) ** 2).mean()


def _val(model, batch: Batch) -> float:
    with torch.no_grad():
        return float(_mse(model, batch))


class _Blocks:
    """The model's non-scalar θ blocks as (layer, label) → (parameter, slice)."""

    def __init__(self, model: RelaxedModel):
        self.where = {}
        for k, w in enumerate(model.relaxed_weights()):
            for lab, sl in zip(w.layout.labels, w.layout.slices):
                if lab != "0e":
                    self.where[(k, lab)] = (w.param, sl)

    def zero(self, keys) -> None:
        with torch.no_grad():
            for key in keys:
                p, sl = self.where[key]
                p[sl] = 0.0

    def mask_grads(self, keys) -> None:
        for key in keys:
            p, sl = self.where[key]
            if p.grad is not None:
                p.grad[sl] = 0.0

    def norm(self, key) -> float:
        p, sl = self.where[key]
        return float(p.detach()[sl].norm())


def _refit(model, blocks: _Blocks, removed, train: Batch, val: Batch, lr: float, reg: float) -> list[float]:
    """Refit every weight but the ``removed`` blocks (held at zero); validation loss per epoch."""
    blocks.zero(removed)
    opt = torch.optim.AdamW(list(model.parameters()), lr=lr, weight_decay=0.0)
    losses = [_val(model, val)]
    for _ in range(REFIT_EPOCHS):
        opt.zero_grad(set_to_none=True)
        _mse(model, train).backward()
        model.add_penalty_grad(reg)
        blocks.mask_grads(removed)
        opt.step()
        blocks.zero(removed)
        losses.append(_val(model, val))
    return losses


def block_evidence(model: RelaxedModel, train: Batch, val: Batch, *, lr: float, reg: float) -> Evidence:
    """Test every non-scalar relaxed block of the trained ``model`` (restored afterwards)."""
    saved = {k: v.detach().clone() for k, v in model.state_dict().items()}
    blocks = _Blocks(model)
    l0 = target_mean_square(val) or 1.0
    refit_lr = REFIT_LR_REL * lr

    def restore():
        model.load_state_dict(saved)

    def run_refit(removed) -> float:
        losses = _refit(model, blocks, removed, train, val, refit_lr, reg)
        restore()
        return min(losses)

    try:
        base = _val(model, val)
        control = _refit(model, blocks, (), train, val, refit_lr, reg)
        restore()
        lc = min(control + [base])
        tail = control[-NOISE_WINDOW:]
        noise = max(tail) - min(tail)
        margin = max(NEEDED_REL * lc, NOISE_FACTOR * noise, FLOOR_REL * l0)
        layer_totals: dict[int, float] = {}
        for key in blocks.where:
            layer_totals[key[0]] = layer_totals.get(key[0], 0.0) + blocks.norm(key)
        tests, no_refit = [], {}
        for key in blocks.where:
            n = blocks.norm(key)
            share = n / layer_totals[key[0]] if layer_totals[key[0]] > 0 else 0.0
            if n <= ZERO_BLOCK:
                tests.append(BlockTest(key[0], key[1], n, share, 0.0, False, False))
                continue
            blocks.zero([key])
            no_refit[key] = _val(model, val) - base
            restore()
            if no_refit[key] <= margin:
                tests.append(BlockTest(key[0], key[1], n, share, no_refit[key], False, False))
            else:
                delta = run_refit([key]) - lc
                tests.append(BlockTest(key[0], key[1], n, share, delta, True, delta > margin))
        joint = _joint(tests, no_refit, blocks, lambda: _val(model, val) - base, restore, run_refit, lc, margin)
        tests = [t if (t.layer, t.irrep) not in joint[1] else
                 BlockTest(t.layer, t.irrep, t.norm, t.share, t.delta_val, t.refit, True) for t in tests]
    finally:
        restore()
    return Evidence(val_loss=base, control_loss=lc, target_mean_square=l0, noise=noise, margin=margin,
                    blocks=tuple(tests), joint_delta=joint[0], refit_lr=refit_lr)


def _joint(tests, no_refit, blocks, cost, restore, run_refit, lc, margin):
    """(Δ of removing every negligible block together, blocks promoted to needed); a refit
    only when removing them all without one costs more than the margin.
    """
    promoted: set = set()
    while True:
        gone = [(t.layer, t.irrep) for t in tests if not t.needed and (t.layer, t.irrep) not in promoted
                and t.norm > ZERO_BLOCK]
        if not gone:
            return 0.0, promoted
        blocks.zero(gone)
        delta = cost()
        restore()
        if delta > margin:
            delta = run_refit(gone) - lc
        if delta <= margin:
            return delta, promoted
        promoted.add(max(gone, key=lambda key: no_refit.get(key, 0.0)))


TOL_SCALES = (1.0, 3.0, 10.0, 30.0)  # kept-group tolerance × these give the candidate (larger) groups


@dataclass(frozen=True)
class GroupCheck:
    """A candidate kept group (found at ``tol_scale`` × the kept-group tolerance) and the
    validation-loss increase when θ's needed blocks are averaged over it (the others zero).
    """

    group: str
    order: int
    tol_scale: float
    delta_val: float
    accepted: bool


def _symmetrised_loss(model, val: Batch, needed, mats) -> float:
    import numpy as np

    from symbreak_cli.groups import parse_irrep, wigner_D

    saved = {k: v.detach().clone() for k, v in model.state_dict().items()}
    try:
        with torch.no_grad():
            for k, w in enumerate(model.relaxed_weights()):
                for lab, sl in zip(w.layout.labels, w.layout.slices):
                    if lab == "0e":
                        continue
                    block = w.param[sl]
                    if (k, lab) not in needed:
                        w.param[sl] = 0.0
                        continue
                    P = wigner_D(*parse_irrep(lab), np.asarray(mats)).mean(0)
                    w.param[sl] = torch.as_tensor(P, dtype=block.dtype, device=block.device) @ block
        return _val(model, val)
    finally:
        model.load_state_dict(saved)


def widest_kept_group(model: RelaxedModel, val: Batch, readouts, ev: Evidence, G=None):
    """(tolerance scale, checks): the largest candidate group whose averaging of θ costs
    at most the evidence margin — the kept group is the widest one the data allows, so a
    block that is needed but slightly off a symmetric form (optimiser noise) does not
    lower it. Scale 1 (the plain stabiliser) is always accepted.
    """
    from symbreak_cli.train.analysis import kept_group, needed_only

    layers = needed_only(readouts, ev.needed())
    needed = ev.needed()
    checks, best, best_order = [], 1.0, 0
    seen: set[int] = set()
    for sc in TOL_SCALES:
        res = kept_group(layers, G, sc)
        if res is None or res[1].order in seen:
            continue
        seen.add(res[1].order)
        delta = _symmetrised_loss(model, val, needed, res[1].matrices) - ev.val_loss
        ok = sc == 1.0 or delta <= ev.margin
        checks.append(GroupCheck(res[0].schoenflies, res[1].order, sc, delta, ok))
        if ok and res[1].order > best_order:
            best, best_order = sc, res[1].order
    return best, tuple(checks)
