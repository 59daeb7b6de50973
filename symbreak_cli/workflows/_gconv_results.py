"""``train-relaxed --model gconv`` / ``gconv-equivariant``: relaxed group convolutions on
fields files, from the data to the :class:`~symbreak_cli.results.train.TrainReport`
(its ``gconv`` block). Same run directory, progress, resume, device and JSON conventions
as the e3nn model (:mod:`symbreak_cli.workflows.train`); no torchrun data parallelism.

The group-lasso weight is unit-free here: λ = ``reg`` × the mean square of what the
network must add to its trivial prediction (the target, or target − input with the
residual connection), so rescaling the data changes no verdict.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from symbreak_cli.results.train import (DataSummary, GconvEquivariance, GconvIrrep, GconvKept, GconvLayer,
                                        GconvLinearAsymmetry, GconvResult, GconvSubgroupTest)

DECIMALS = 8  # weights and Fourier norms in the report


def _r(a) -> list:
    return np.round(np.asarray(a, dtype=float), DECIMALS).tolist()


def build_gconv(cfg, fields, relaxed: bool):
    from symbreak_cli.nn.grid_actions import DEFAULT_GROUP, grid_group
    from symbreak_cli.nn.relaxed_gconv import RelaxedGroupConvNet

    G = grid_group(DEFAULT_GROUP[fields.dim] if cfg.group == "auto" else cfg.group, fields.dim)
    return RelaxedGroupConvNet(G, fields.input_types, fields.target_types, relaxed=relaxed, filter_banks=cfg.filter_banks,
                               hidden=cfg.hidden, layers=cfg.layers - 1, periodic=fields.periodic,
                               kernel=cfg.gconv_kernel(fields.dim, fields.grid[0]))


def train_gconv(cfg, *, resume=False, force=False, progress=None, on_epoch=None, command=None, write_plots=None):
    """Train (relaxed and tied-weight baseline), analyse, write the run directory; the report."""
    import torch

    from symbreak_cli.io.files import atomic_write_text
    from symbreak_cli.train import distributed as dd
    from symbreak_cli.train.data import split_samples
    from symbreak_cli.train.fields import field_batch, load_fields
    from symbreak_cli.train.loop import fit
    from symbreak_cli.workflows.train import _prepare_dir, _threads_for

    t0 = time.perf_counter()
    cfg = cfg.for_gconv()
    device = dd.resolve_device(cfg.device)
    fields = load_fields(cfg.data)
    out = _prepare_dir(cfg, resume, force)
    atomic_write_text(out / "config.json", cfg.to_json())
    torch.manual_seed(cfg.seed)
    split = split_samples(fields.n_samples, cfg.val_fraction, cfg.seed)
    tr, va, same = split
    train_b = field_batch(fields, tr, device)
    val_b = None if same else field_batch(fields, va, device)
    labels = (["relaxed"] if cfg.model == "gconv" else []) + ["equivariant"]
    models, results, restarts = {}, {}, None
    if cfg.model == "gconv" and cfg.restarts > 1 and on_epoch is not None:
        raise ValueError("on_epoch callbacks watch one model: train with restarts=1")
    size = int(train_b.x.numel()) * 64
    with _threads_for(size, device), (progress if progress is not None else contextlib.nullcontext()):
        for label in labels:
            torch.manual_seed(cfg.seed)
            model = build_gconv(cfg, fields, relaxed=label == "relaxed").to(device)
            ref = (train_b.y - train_b.x) if model.residual else train_b.y
            run_cfg = cfg.replace(reg=cfg.reg * float((ref ** 2).mean()))
            if label == "relaxed" and cfg.restarts > 1:
                restarts = _fit_restarts(run_cfg, fields, model, train_b, val_b, device, out, resume, progress)
                best = restarts.best()
                models[label], results[label] = restarts.models[best], restarts.results[best]
                continue
            res = fit(model, train_b, val_b, run_cfg, label=label, checkpoint=out / f"{label}.pt", resume=resume,
                      progress=progress, on_epoch=on_epoch)
            if res.best_state is not None:
                model.load_state_dict(res.best_state)
            models[label], results[label] = model.cpu(), res
        gres = _analyse(cfg, fields, split, models, results, run_reg=run_cfg.reg)
        summary = None if restarts is None else _restarts_summary(restarts, fields, split, results, gres)
    return _report(cfg, fields, split, models, results, gres, out, t0, command, str(device), write_plots,
                   restarts=restarts, summary=summary)


def _analyse(cfg, fields, split, models, results, run_reg: float) -> GconvResult:
    from symbreak_cli.groups import PointGroup, breaking_irreps
    from symbreak_cli.train import evidence, gconv_analysis as ga
    from symbreak_cli.train.fields import field_batch

    tr, va, same = split
    train_b = field_batch(fields, tr, "cpu")
    val_b = train_b if same else field_batch(fields, va, "cpu")
    any_model = next(iter(models.values()))
    G = any_model.group
    eq, stabs = [], ()
    for k, m in models.items():
        e = ga.equivariance_error_pair(m, val_b, G)
        stabs = e.stabilizers
        eq.append(GconvEquivariance(model=k, per_element=_r(e.ordinary), mean=round(float(e.ordinary.mean()), DECIMALS),
                                    relaxed_per_element=_r(e.relaxed), relaxed_mean=round(float(e.relaxed.mean()), DECIMALS)))
    orders: dict[str, int] = {}
    for st in stabs:
        orders[str(len(st))] = orders.get(str(len(st)), 0) + 1
    common = dict(group=G.name, group_order=G.order, elements=list(G.labels), grid=list(fields.grid),
                  input_channels=list(fields.input_types), target_channels=list(fields.target_types),
                  periodic=fields.periodic, filter_banks=cfg.filter_banks, equivariance=eq, input_stabilizers=orders,
                  data_asymmetry_linear=_linear_asymmetry(G, fields, split, any_model.kernel))
    ratio = None
    if "relaxed" in results and results["relaxed"].best_val > 0:
        ratio = results["equivariant"].best_val / results["relaxed"].best_val
    if "relaxed" not in models:
        return GconvResult(verdict="no relaxed model", **common)
    from symbreak_cli.workflows._train_results import fit_check

    model = models["relaxed"]
    weights = model.weight_matrices()
    layers = [GconvLayer(layer=k, weights=_r(w), fourier={a: _r(b) for a, b in ga.fourier(G, w).items()})
              for k, w in enumerate(weights)]
    stab = ga.weight_stabilizer(G, weights)
    stab_name = ga.name_subgroup(G, stab)[1]
    fq = evidence.fit_quality(results["relaxed"].best_val, val_b, results["equivariant"].best_val)
    common.update(layers=layers, weight_stabilizer=stab_name, weight_stabilizer_order=len(stab), fit=fit_check(fq),
                  data_asymmetry=ratio)
    if not fq.fits:
        return GconvResult(verdict="no fit", **common)
    ks = ga.kept_subgroup(model, G, train_b, val_b, lr=cfg.lr, reg=run_reg, fixed=stab)
    lab = list(G.labels)
    tests = [GconvSubgroupTest(name=t.name, description=t.description, order=len(t.elements),
                               elements=[lab[i] for i in t.elements], delta_val_loss=t.delta_val, refit=t.refit,
                               kept=t.kept) for t in ks.tests]
    kept = GconvKept(name=ks.kept.name, description=ks.kept.description, order=len(ks.kept.elements),
                     elements=[lab[i] for i in ks.kept.elements], margin=ks.margin, control_val_loss=ks.control_loss,
                     noise=ks.noise, val_loss=ks.val_loss, target_mean_square=ks.target_mean_square, tests=tests)
    pg = G.point_group()
    H = PointGroup(G.mats3[list(ks.kept.elements)].astype(float))
    carriers = {label for label, _ in breaking_irreps(pg, H)}
    norms: dict[str, float] = {}
    for w in weights:
        for a, b in ga.fourier(G, w).items():
            norms[a] = norms.get(a, 0.0) + float(np.sum(np.square(b)))
    irreps = [GconvIrrep(label=a, norm=round(float(np.sqrt(v)), DECIMALS), breaking=a in carriers) for a, v in norms.items()]
    common.update(kept=kept, irreps=irreps)
    return GconvResult(verdict="kept", **common)


def _linear_asymmetry(G, fields, split, kernel: int) -> GconvLinearAsymmetry:
    from symbreak_cli.train.gconv_asymmetry import linear_asymmetry

    tr, va, same = split
    va = tr if same else va
    la = linear_asymmetry(G, fields.inputs[tr], fields.targets[tr], fields.inputs[va], fields.targets[va],
                          fields.input_types, fields.target_types, periodic=fields.periodic, kernel=kernel)
    return GconvLinearAsymmetry(asymmetry=round(la.asymmetry, DECIMALS), free_rel=round(la.free_rel, DECIMALS),
                                equivariant_rel=round(la.equivariant_rel, DECIMALS), n_free=la.n_free,
                                n_equivariant=la.n_equivariant)


def _report(cfg, fields, split, models, results, gres, out: Path, t0, command, device, write_plots,
            restarts=None, summary=None):
    from symbreak_cli.io.files import sha256_file
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance
    from symbreak_cli.results.train import TrainProvenance, TrainReport
    from symbreak_cli.workflows import _train_results as conv
    from symbreak_cli.workflows.train import RUN_LIBS

    tr, va, same = split
    data = DataSummary(path=cfg.data, task="fields", target="target field (" + ", ".join(fields.target_types) + ")",
                       irreps_in="channels: " + ", ".join(fields.input_types), n_samples=fields.n_samples,
                       n_points=int(np.prod(fields.grid)), n_train=len(tr), n_val=len(va), val_is_train=same,
                       n_edges=0, cutoff=0.0)
    ratio = gres.data_asymmetry
    files = ["config.json", "report.json"] + [f"{k}.pt" for k in models]
    base = make_provenance(command, libs=RUN_LIBS, device=device, wall_time_s=time.perf_counter() - t0)
    provenance = TrainProvenance(**base.model_dump(), run_dir=str(out), timings=[conv.timing(k, results[k]) for k in models])
    report = TrainReport(inputs=Inputs(files=[InputFile(path=cfg.data, sha256=sha256_file(cfg.data))],
                                       options={k: v for k, v in cfg.to_dict().items() if k != "out"}),
                         provenance=provenance, data=data,
                         models=[conv.model_result(k, models[k], results[k], out / f"{k}.pt") for k in models],
                         loss_ratio_equivariant_over_relaxed=ratio, files=files, gconv=gres)
    if restarts is not None:
        report = _with_restarts(report, restarts, summary)
    from symbreak_cli.workflows.train import finish_run

    return finish_run(report, out, list(report.files), write_plots)


# --- restarts (--restarts N) ------------------------------------------------------------------------------

GCONV_AGREEMENT_RULE = ("other restarts judged without refits: every subgroup H of G is tried with all relaxed "
                        "weights averaged over H; kept when the validation MSE rises by at most max(1.0 × its "
                        "own, 0.001 × mean(target²)); the verdict is the largest kept H (ties: the smallest rise), "
                        "or 'no fit' by the fit rule of the reported model")


@dataclass
class GconvRestarts:
    """N relaxed models from seeds ``restart_seed(seed, r)``, trained one after another
    (each stops on its own), each holding its best weights; which diverged; checkpoints.
    """

    models: list
    results: list
    seeds: list[int]
    diverged: list[bool]
    checkpoints: list[str]
    wall_s: float
    vectorised: bool = False

    def best(self) -> int:
        """The restart with the lowest best validation loss (never a diverged one)."""
        ok = [r for r, d in enumerate(self.diverged) if not d and np.isfinite(self.results[r].best_val)]
        return min(ok, key=lambda r: (self.results[r].best_val, r))


def _fit_restarts(run_cfg, fields, first, train_b, val_b, device, out: Path, resume: bool, progress) -> GconvRestarts:
    r"""Train ``run_cfg.restarts`` relaxed models one after another, restart 0 being ``first``
    (the single run of ``--seed``). Not vectorised: ``torch.func.vmap`` of the 16³ O model
    (conv3d over stacked kernels) took 2.2× the CPU time of the plain loop for 4 restarts,
    since each step is a few passes over the large G × grid tensor, not many small
    operations. Each restart has its own checkpoint, so ``--resume`` continues each one.
    """
    import torch

    from symbreak_cli.train.loop import FitResult, TrainingDiverged, fit
    from symbreak_cli.train.restarts import restart_seed

    n = run_cfg.restarts
    start = time.perf_counter()
    models, results, seeds, diverged, names = [], [], [], [], []
    for r in range(n):
        seeds.append(restart_seed(run_cfg.seed, r))
        if r == 0:
            model = first
        else:
            torch.manual_seed(seeds[-1])
            model = build_gconv(run_cfg, fields, relaxed=True).to(device)
        names.append("relaxed.pt" if r == 0 else f"relaxed-restart{r}.pt")
        label = f"relaxed {r + 1}/{n}"
        try:
            res = fit(model, train_b, val_b, run_cfg, label=label, checkpoint=out / names[-1], resume=resume,
                      progress=progress)
            diverged.append(False)
        except TrainingDiverged:
            res = FitResult(label, stop_reason="diverged")
            diverged.append(True)
        if res.best_state is not None:
            model.load_state_dict(res.best_state)
        res.label = "relaxed"
        models.append(model.cpu())
        results.append(res)
    if all(diverged):
        raise TrainingDiverged(f"relaxed model diverged in every restart; try a smaller --lr than {run_cfg.lr:g}")
    return GconvRestarts(models, results, seeds, diverged, names, time.perf_counter() - start)


def restart_verdict(model, val_b, res, baseline_val: float | None) -> tuple[str, tuple[str, ...]]:
    """(kept subgroup's description or 'no fit', the irreps carrying G → H) of one restart,
    judged without refits (:data:`GCONV_AGREEMENT_RULE`).
    """
    import torch

    from symbreak_cli.groups import PointGroup, breaking_irreps
    from symbreak_cli.nn.grid_actions import invariant_projector
    from symbreak_cli.train import evidence, gconv_analysis as ga

    if not evidence.fit_quality(res.best_val, val_b, baseline_val).fits:
        return "no fit", ()
    G = model.group
    l0 = evidence.target_mean_square(val_b) or 1.0
    saved = [w.param.detach().clone() for w in model.relaxed_weights()]
    dtype = saved[0].dtype

    def val() -> float:
        with torch.no_grad():
            return float(((model(val_b) - val_b.target) ** 2).mean())

    base = val()
    margin = max(evidence.NEEDED_REL * base, evidence.FLOOR_REL * l0)
    kept = []
    try:
        for H in ga.subgroups(G):  # largest first
            if kept and len(H) < len(kept[0][1]):
                break
            P = torch.as_tensor(invariant_projector(G, H), dtype=dtype)
            with torch.no_grad():
                for w, w0 in zip(model.relaxed_weights(), saved):
                    w.param.copy_(P @ w0)
            delta = val() - base
            if delta <= margin:
                kept.append((delta, H))
    finally:
        with torch.no_grad():
            for w, w0 in zip(model.relaxed_weights(), saved):
                w.param.copy_(w0)
    H = min(kept)[1] if kept else (0,)
    carriers = breaking_irreps(G.point_group(), PointGroup(G.mats3[list(H)].astype(float)))
    return ga.name_subgroup(G, H)[1], tuple(sorted({label for label, _ in carriers}))


def _restarts_summary(run: GconvRestarts, fields, split, results, gres):
    """The report's ``restarts`` block: every restart's verdict, the reported one's (the
    lowest validation loss) being the full analysis' (``gres``).
    """
    from symbreak_cli.results.train import RestartRow, Restarts
    from symbreak_cli.train.fields import field_batch

    tr, va, same = split
    val_b = field_batch(fields, tr if same else va, "cpu")
    base = results["equivariant"].best_val if "equivariant" in results else None
    best = run.best()
    main = gres.kept.description if gres.kept is not None else gres.verdict
    rows, counts = [], {}
    for r, (m, res) in enumerate(zip(run.models, run.results)):
        if run.diverged[r]:
            verdict, needed = "diverged", ()
        elif r == best:
            verdict, needed = main, tuple(i.label for i in (gres.irreps or []) if i.breaking)
        else:
            verdict, needed = restart_verdict(m, val_b, res, base)
        counts[verdict] = counts.get(verdict, 0) + 1
        rows.append(RestartRow(seed=run.seeds[r], best_val_loss=res.best_val, epochs_run=res.epoch,
                               stop_reason=res.stop_reason, verdict=verdict, needed=list(needed), reported=r == best))
    n = len(rows)
    return Restarts(n=n, vectorised=False, verdict=main, agreeing=counts[main], counts=counts,
                    summary=f"{main} in {counts[main]}/{n}", rule=GCONV_AGREEMENT_RULE, rows=rows)


def _with_restarts(report, run: GconvRestarts, summary):
    """The report with its ``restarts`` block, the reported restart's checkpoint and every
    restart's checkpoint file (before it is written: one report.json).
    """
    best = run.checkpoints[run.best()]
    models = [m.model_copy(update={"checkpoint": best}) if m.label == "relaxed" else m for m in report.models]
    files = list(report.files) + [c for c in run.checkpoints if c not in report.files]
    return report.model_copy(update={"restarts": summary, "models": models, "files": files})
