"""Assemble the TrainReport from trained models and write report.json and plots."""

from __future__ import annotations

import time
from pathlib import Path

from symbreak_cli.results.train import DataSummary, LossHistory, ModelResult, TrainReport
from symbreak_cli.train import analysis
from symbreak_cli.train.theta import irrep_labels, signal_grid, split_theta


def _model_result(label, model, res, out: Path) -> ModelResult:
    h = res.history
    return ModelResult(label=label, n_parameters=sum(p.numel() for p in model.parameters()),
                       epochs_run=res.epoch, stop_reason=res.stop_reason,
                       final_train_loss=h["train_loss"][-1] if h["train_loss"] else float("nan"),
                       final_val_loss=h["val_loss"][-1] if h["val_loss"] else float("nan"),
                       best_val_loss=res.best_val, best_epoch=res.best_epoch, wall_time_s=res.wall_s,
                       time_per_step_ms=1000 * res.wall_s / max(res.epoch, 1),
                       checkpoint=str(out / f"{label}.pt"),
                       history=LossHistory(train_loss=h["train_loss"], val_loss=h["val_loss"]))


def build_report(cfg, gset, split, models, results, out: Path, t0: float, *, inputs, provenance_fn) -> TrainReport:
    from symbreak_cli.io.files import atomic_write_text

    tr, va, same = split
    data = DataSummary(path=cfg.data, task=gset.task, target=gset.meta["target"], irreps_in=gset.irreps_in,
                       n_samples=gset.n_samples, n_points=int(gset.meta["n_points"]), n_train=len(tr),
                       n_val=len(va), val_is_train=same, n_edges=len(gset.edge_src), cutoff=cfg.cutoff)
    model_results = [_model_result(k, models[k], results[k], out) for k in models]
    theta, history, sym, eq, signal = [], {}, None, None, None
    if "relaxed" in models:
        model = models["relaxed"]
        per_layer = [split_theta(p.detach().cpu().numpy(), cfg.l_relaxed) for _, p in model.thetas()]
        theta = [analysis.read_theta(c, str(k)) for k, c in enumerate(per_layer)]
        combined = analysis.combined_coeffs(per_layer)
        if len(per_layer) > 1:
            theta.append(analysis.read_theta(combined, "combined"))
        rh = results["relaxed"].history
        history = {"irreps": irrep_labels(cfg.l_relaxed), "epochs": rh["theta_epochs"], "norms": rh["theta_norms"]}
        points = gset.pos[gset.sample == 0] if gset.task == "pairs" else None
        sym = analysis.symmetry_analysis(combined, gset.task, points)
        G = analysis.data_point_group(points) if points is not None else None
        b = gset.subset([0]).to_torch("cpu")
        b["pos"] = b["x"].new_tensor(gset.pos[gset.sample == 0]).double()
        eq = analysis.equivariance_errors(model, b, G if gset.n_samples >= 1 else None)
        signal = signal_grid(combined)
    ratio = None
    if "relaxed" in results and "equivariant" in results and results["relaxed"].best_val > 0:
        ratio = results["equivariant"].best_val / results["relaxed"].best_val
    files = ["config.json", "report.json"] + [f"{k}.pt" for k in models]
    report = TrainReport(inputs=inputs, provenance=provenance_fn(time.perf_counter() - t0), data=data,
                         models=model_results, theta=theta, theta_norm_history=history, symmetry=sym,
                         equivariance=eq, signal=signal, loss_ratio_equivariant_over_relaxed=ratio,
                         run_dir=str(out), files=files)
    try:
        files += write_plots(report, out)
    except Exception as err:  # plots are a convenience; the report must still be written
        import warnings

        warnings.warn(f"plots not written: {err}")
    report = report.model_copy(update={"files": files})
    atomic_write_text(out / "report.json", report.to_json())
    return report


def write_plots(report: TrainReport, out: Path) -> list[str]:
    """Draw every plot block of the report's sections to PNG in the run directory
    (``01-loss-curves.png``, … : :func:`~symbreak_cli.render.plots.write_section_plots` names)."""
    from symbreak_cli.render.plots import write_section_plots
    from symbreak_cli.render.train import sections_for_train

    return [p.name for p in write_section_plots(sections_for_train(report), out, "png", force=True)]
