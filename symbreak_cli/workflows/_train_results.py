"""Library objects of a training run → :class:`~symbreak_cli.results.train.TrainReport`
parts (copy and round only: every number is computed in :mod:`symbreak_cli.train`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from symbreak_cli.results.train import (BlockVerdict, BreakingIrrep, DataSummary, Equivariance, Evidence, FitCheck, GroupCheck,
                                        IrrepNorm, KeptAxis, KeptGroup, LossHistory, ModelResult, ModelTiming, RegPath, RegPathPoint, RestartRow, Restarts,
                                        SymmetryAnalysis, TensorReading, ThetaReading, ToleranceRule, VectorReading)
from symbreak_cli.train import analysis as an
from symbreak_cli.train import evidence as ev

AXIS_DECIMALS = 6  # kept-group axis directions: exact axes print as 0/±1, not ±1e-17
SIGNAL_DECIMALS = (3, 6)  # S(r̂) grid: angles (deg), values


def _floats(a) -> list:
    return np.asarray(a, dtype=float).tolist()


def data_summary(cfg, gset, split) -> DataSummary:
    tr, va, same = split
    return DataSummary(path=cfg.data, task=gset.task, target=gset.meta["target"], irreps_in=gset.irreps_in,
                       n_samples=gset.n_samples, n_points=int(gset.meta["n_points"]), n_train=len(tr),
                       n_val=len(va), val_is_train=same, n_edges=len(gset.edge_src), cutoff=cfg.cutoff,
                       scales=gset.meta.get("scales"), time_step=gset.meta.get("time_step"))


def model_result(label, model, res, checkpoint: Path) -> ModelResult:
    h = res.history
    return ModelResult(label=label, n_parameters=sum(p.numel() for p in model.parameters()),
                       epochs_run=res.epoch, stop_reason=res.stop_reason,
                       final_train_loss=h["train_loss"][-1] if h["train_loss"] else float("nan"),
                       final_val_loss=h["val_loss"][-1] if h["val_loss"] else float("nan"),
                       best_val_loss=res.best_val, best_epoch=res.best_epoch, checkpoint=checkpoint.name,
                       history=LossHistory(train_loss=h["train_loss"], val_loss=h["val_loss"]))


def timing(label, res) -> ModelTiming:
    return ModelTiming(label=label, wall_time_s=res.wall_s, time_per_step_ms=1000 * res.wall_s / max(res.epoch, 1))


def fit_check(f) -> FitCheck:
    return FitCheck(fits=f.fits, val_loss=f.val_loss, target_mean_square=f.target_mean_square,
                    baseline_val_loss=f.baseline_val_loss, fit_rel=ev.FIT_REL, reason=f.reason)


def evidence(e, checks=()) -> Evidence | None:
    if e is None:
        return None
    blocks = [BlockVerdict(layer=b.layer, irrep=b.irrep, norm=b.norm, share=b.share, delta_val_loss=b.delta_val,
                           refit=b.refit, verdict="needed" if b.needed else "negligible") for b in e.blocks]
    return Evidence(margin=e.margin, needed_rel=ev.NEEDED_REL, noise_factor=ev.NOISE_FACTOR, floor_rel=ev.FLOOR_REL,
                    val_loss=e.val_loss, control_val_loss=e.control_loss, noise=e.noise,
                    target_mean_square=e.target_mean_square, refit_epochs=ev.REFIT_EPOCHS, refit_lr=e.refit_lr,
                    joint_delta_val_loss=e.joint_delta, blocks=blocks,
                    group_checks=[GroupCheck(group=c.group, order=c.order, tol_scale=c.tol_scale, delta_val_loss=c.delta_val,
                                             accepted=c.accepted) for c in checks])


def _vector(v) -> VectorReading | None:
    return None if v is None else VectorReading(direction=_floats(v.direction), magnitude=v.magnitude)


def theta_reading(r) -> ThetaReading:
    t = r.tensor_2e
    t2 = None if t is None else TensorReading(matrix=_floats(t.matrix), principal_values=_floats(t.principal_values),
                                              principal_axes=_floats(t.principal_axes), unique_axis=_floats(t.unique_axis))
    return ThetaReading(layer=r.layer, coefficients={k: _floats(v) for k, v in r.coefficients.items()},
                        irreps=[IrrepNorm(irrep=k, norm=n, share=r.shares[k]) for k, n in r.norms.items()],
                        vector_1o=_vector(r.vector_1o), axis_1e=_vector(r.axis_1e), tensor_2e=t2)


def combined_norms(readings) -> list[IrrepNorm]:
    """Per irrep, the root-sum-square of the layers' norms (as the θ-norm history)."""
    labels = list(readings[0].norms)
    norms = {k: float(np.sqrt(sum(r.norms[k] ** 2 for r in readings))) for k in labels}
    total = sum(v for k, v in norms.items() if k != "0e") or 1.0
    return [IrrepNorm(irrep=k, norm=n, share=0.0 if k == "0e" else n / total) for k, n in norms.items()]


def _kept(k) -> KeptGroup | None:
    if k is None:
        return None
    axes = [KeptAxis(symbol=a.symbol, operation=a.operation,
                     direction=(np.round(a.direction, AXIS_DECIMALS) + 0.0).tolist()) for a in k.axes]
    rule = ToleranceRule(rel_largest_block=an.KEPT_TOL_REL_BLOCK, rel_scalar=an.NOISE_TOL_REL_SCALAR,
                         floor=an.KEPT_TOL_FLOOR)
    c_axis = None if k.continuous_axis is None else (np.round(k.continuous_axis, AXIS_DECIMALS) + 0.0).tolist()
    return KeptGroup(schoenflies=k.schoenflies, hm=k.hm, order=k.order, is_continuous=k.is_continuous,
                     continuous_axis=c_axis,
                     tolerances=_floats(k.tolerances), tolerance_rule=rule, operations=list(k.operations), axes=axes)


def symmetry(s, fit, e, checks=()) -> SymmetryAnalysis:
    """The verdict: "no fit" names no group (and lists no breaking irreps)."""
    common = dict(fit=fit_check(fit), evidence=evidence(e, checks), data_group=s.data_group,
                  data_group_source=s.data_group_source, data_group_order=s.data_group_order)
    if not fit.fits:
        return SymmetryAnalysis(verdict="no fit", kept=None, breaking=[], n_domains=None,
                                note=f"no fit: {fit.reason}; no group is named", **common)
    return SymmetryAnalysis(verdict="kept" if s.kept is not None else "no group", kept=_kept(s.kept),
                            breaking=[BreakingIrrep(label=b.label, multiplicity=b.multiplicity, theta_norm=b.theta_norm)
                                      for b in s.breaking], n_domains=s.n_domains, note=s.note, **common)


def equivariance(e, points=None) -> Equivariance:
    """``points``: (ordinary, relaxed) point-cloud errors of a pairs model, or None."""
    o, r = points if points is not None else (None, None)
    return Equivariance(model_error_group=e.model_error_group, data_error_group=e.data_error_group,
                        model_error_o3=e.model_error_o3, point_error_o3=o, relaxed_error_o3=r)


def signal(g) -> dict:
    ang, val = SIGNAL_DECIMALS
    return {"polar_deg": np.round(g.polar_deg, ang).tolist(), "azimuth_deg": np.round(g.azimuth_deg, ang).tolist(),
            "values": np.round(g.values, val).tolist()}


def restarts(verdicts, run, main_verdict: str) -> Restarts:
    """The restarts' verdicts, the best restart's replaced by ``main_verdict`` (its full one)."""
    from symbreak_cli.train import restarts as rs

    best = run.best()
    names = [main_verdict if r == best else v.verdict for r, v in enumerate(verdicts)]
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    rows = [RestartRow(seed=v.seed, best_val_loss=v.best_val, epochs_run=v.epochs, stop_reason=v.stop_reason,
                       verdict=names[r], needed=list(v.needed), reported=r == best) for r, v in enumerate(verdicts)]
    n = len(verdicts)
    return Restarts(n=n, vectorised=run.vectorised, verdict=main_verdict, agreeing=counts[main_verdict], counts=counts,
                    summary=f"{main_verdict} in {counts[main_verdict]}/{n}", rule=rs.AGREEMENT_RULE, rows=rows)


def reg_path(p) -> RegPath:
    from symbreak_cli.train import regpath as rp

    pts = [RegPathPoint(l_relaxed=q.l_relaxed, reg=q.reg, best_val_loss=q.best_val, theta_nonscalar=q.theta_nonscalar,
                        norms=dict(q.norms), needed=list(q.needed), verdict=q.verdict, epochs_run=q.epochs)
           for q in p.points]
    lambdas = sorted({q.reg for q in p.points})
    return RegPath(lambdas=lambdas, points=pts, knees={str(k): v for k, v in p.knees.items()},
                   rule=rp.KNEE_RULE)
