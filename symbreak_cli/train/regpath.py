r"""``--reg-path``: the verdict along log-spaced group-lasso weights λ (and θ's l_relaxed).

The seed papers leave λ and l_relaxed open. For each l_relaxed, the relaxed model is
trained from one initialisation (``--seed``) at every λ of :data:`REG_PATH_LAMBDAS` at
once — one vectorised run (:func:`~symbreak_cli.train.restarts.fit_restarts` with one λ
per copy). Each point records the best validation loss, ‖θ_non-scalar‖ (root-sum-square
of every non-scalar block, all layers), the norm per irrep, and which irreps are needed
and the kept group by the no-refit removal test
(:func:`~symbreak_cli.train.restarts.quick_verdict`): the irreps that "switch on" at that λ.

The *knee* is the largest λ whose validation loss is still within the evidence margin of
the path's best: :math:`L(\lambda) \le \max((1 + \text{NEEDED\_REL}) L_{\min},\ L_{\min} +
\text{FLOOR\_REL}\cdot L_0)` — beyond it the penalty removes breaking the data needs.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

KNEE_RULE = ("knee: the largest λ whose best validation MSE ≤ max((1 + NEEDED_REL) × the path's best, the path's "
             "best + FLOOR_REL × mean(target²)); irreps on: needed by the no-refit removal test")

#: λ of the path: 1e-4 … 1 in half decades (the default --reg 1e-2 is on it)
REG_PATH_LAMBDAS = tuple(float(x) for x in 10.0 ** np.linspace(-4.0, 0.0, 9))


@dataclass(frozen=True)
class RegPathPoint:
    l_relaxed: int
    reg: float
    best_val: float
    theta_nonscalar: float
    norms: dict[str, float]
    needed: tuple[str, ...]
    verdict: str
    epochs: int


@dataclass(frozen=True)
class RegPath:
    points: tuple[RegPathPoint, ...]
    knees: dict[int, float]  # l_relaxed → λ at the knee


def knee(points: list[RegPathPoint], l0: float) -> float:
    """The largest λ whose validation loss is within the evidence margin of the best (module docstring)."""
    from symbreak_cli.train.evidence import FLOOR_REL, NEEDED_REL

    finite = [p for p in points if math.isfinite(p.best_val)]
    best = min(p.best_val for p in finite)
    limit = max((1.0 + NEEDED_REL) * best, best + FLOOR_REL * l0)
    return max(p.reg for p in finite if p.best_val <= limit)


def _norms(model) -> tuple[dict[str, float], float]:
    rows = [r.coeffs for r in model.relaxed_readout()]
    norms = {k: float(np.sqrt(sum(float(c[k] @ c[k]) for c in rows))) for k in rows[0]}
    return norms, float(np.sqrt(sum(v * v for k, v in norms.items() if k != "0e")))


def regularisation_path(cfg, build, train_b, val_b, task: str, points_cloud, l_values=None,
                        lambdas=REG_PATH_LAMBDAS, progress=None) -> RegPath:
    """Train along ``lambdas`` for every l in ``l_values`` (default: ``cfg.l_relaxed``).

    ``build(l_relaxed)`` returns a new relaxed model (drawn after ``torch.manual_seed``);
    ``train_b``/``val_b`` are batches on the training device, ``val_b`` None when
    validation reuses the training sample.
    """
    import torch

    from symbreak_cli.train.evidence import target_mean_square
    from symbreak_cli.train.restarts import fit_restarts, quick_verdict

    val_cpu = (train_b if val_b is None else val_b).to("cpu")
    l0 = target_mean_square(val_cpu) or 1.0
    out, knees = [], {}
    for lr_ in (l_values or [cfg.l_relaxed]):
        torch.manual_seed(cfg.seed)
        base = build(lr_)
        models = [copy.deepcopy(base) for _ in lambdas]
        run = fit_restarts(models, train_b, val_b, cfg, label=f"λ path, l ≤ {lr_}", progress=progress,
                           regs=list(lambdas))
        pts = []
        for model, lam, res, bad in zip(models, lambdas, run.results, run.diverged):
            model = model.cpu()
            v = quick_verdict(None if bad else model, val_cpu, None, task, points_cloud, cfg.seed, res)
            norms, ns = _norms(model) if not bad else ({}, math.nan)
            pts.append(RegPathPoint(lr_, float(lam), res.best_val, ns, norms, v.needed, v.verdict, res.epoch))
        knees[lr_] = knee(pts, l0)
        out += pts
    return RegPath(tuple(out), knees)
