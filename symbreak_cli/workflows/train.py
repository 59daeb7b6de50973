"""``train_relaxed(config)``: the library side of ``symbreak train-relaxed``.

Loads the data, trains the relaxed network (and/or the equivariant baseline), reads θ,
writes the run directory (config.json, checkpoints, report.json, and the plots the caller
injects as ``write_plots``) and returns the :class:`~symbreak_cli.results.train.TrainReport`.
"""

from __future__ import annotations

import contextlib
import copy
import time
from pathlib import Path
from typing import Callable

from symbreak_cli.errors import InputError, OutputError
from symbreak_cli.train.config import TrainConfig

SMALL_PROBLEM = 200_000  # node + edge feature entries below which one thread is fastest
RUN_LIBS = ("numpy", "torch", "e3nn", "pymatgen")  # versions recorded in the provenance


@contextlib.contextmanager
def _threads_for(size: int, device):
    """Tiny full batches run fastest on one thread (OpenMP start-up dominates)."""
    import torch

    old = torch.get_num_threads()
    if device.type == "cpu" and size < SMALL_PROBLEM:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def build_model(cfg: TrainConfig, gset, relaxed: bool):
    """The relaxed (or baseline) network for ``gset``: a :class:`~symbreak_cli.nn.protocol.RelaxedModel`."""
    from symbreak_cli.nn.relaxed_e3nn import RelaxedE3Network

    return RelaxedE3Network(gset.irreps_in, "1x1o", relaxed=relaxed, l_relaxed=cfg.l_relaxed, layers=cfg.layers,
                            mul=cfg.mul, cutoff=gset.cutoff, avg_neighbors=max(gset.avg_neighbors, 1.0),
                            use_edges=len(gset.edge_src) > 0)


def resumed_config(cfg: TrainConfig, given: set[str] | frozenset[str] | None = None) -> TrainConfig:
    """The options of the run in ``cfg.out``: its config.json, with ``epochs`` =
    max(saved, ``cfg.epochs``) when ``epochs`` is given, so a resume can raise the limit.

    ``given`` names the options the caller set on purpose (the CLI passes those on the
    command line); None means every field that differs from its default, and DATA. Any of
    them that differs from the saved run (DATA: another file with other bytes) is an
    :class:`~symbreak_cli.errors.OptionError` naming each one — a resume never silently
    ignores what it was told. No such run directory is an
    :class:`~symbreak_cli.errors.InputError`.
    """
    import dataclasses

    from symbreak_cli.errors import OptionError

    out = Path(cfg.out)
    if not out.is_dir():
        raise InputError("no run directory to resume (train without --resume first)", path=str(out))
    saved = TrainConfig.from_json_file(out / "config.json")
    if given is None:
        given = {"data"} | {f.name for f in dataclasses.fields(TrainConfig)
                            if f.name != "data" and getattr(cfg, f.name) != f.default}
    conflicts = []
    for name in sorted(set(given) - {"out", "epochs"}):
        mine, theirs = getattr(cfg, name), getattr(saved, name)
        if name == "data":
            if not _same_file(mine, theirs):
                conflicts.append(f"DATA {mine} (the run's: {theirs})")
        elif mine != theirs:
            conflicts.append(f"--{name.replace('_', '-')} {mine} (the run's: {theirs})")
    if conflicts:
        raise OptionError(f"--resume continues {out} with its own options, but these differ: {'; '.join(conflicts)}. "
                          "Drop them, or start a new run (another --out, or --force)")
    # only an --epochs given on purpose raises the limit: a plain --resume ends where the run meant to
    return saved.replace(out=str(out), epochs=max(saved.epochs, cfg.epochs) if "epochs" in given else saved.epochs)


def finish_run(report, out: Path, files: list[str], write_plots):
    """Draw the run's plots with ``write_plots`` (their names join ``report.files``; a
    failure only warns: plots are a convenience) and write ``<out>/report.json``
    atomically; the report, as written.
    """
    if write_plots is not None:
        try:
            files = files + list(write_plots(report, out))
        except Exception as err:  # plots are a convenience; the report must still be written
            import warnings

            warnings.warn(f"plots not written: {err}", stacklevel=2)
        report = report.model_copy(update={"files": files})
    from symbreak_cli.io.files import atomic_write_text

    atomic_write_text(out / "report.json", report.to_json())
    return report


def _same_file(a: str, b: str) -> bool:
    """Same path, or two files with the same bytes."""
    from symbreak_cli.io.files import sha256_file

    pa, pb = Path(a), Path(b)
    if pa.resolve() == pb.resolve():
        return True
    return pa.is_file() and pb.is_file() and sha256_file(str(pa)) == sha256_file(str(pb))


def _prepare_dir(cfg: TrainConfig, resume: bool, force: bool) -> Path:
    out = Path(cfg.out)
    if out.exists() and not out.is_dir():
        raise OutputError("exists and is not a directory; --out names the run directory", path=str(out))
    if out.exists() and any(out.iterdir()) and not (resume or force):
        raise OutputError("run directory exists and is not empty; pass --resume to continue or --force", path=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the run directory ({err.strerror})", path=str(out)) from None
    return out


def train_relaxed(cfg: TrainConfig, *, resume: bool = False, force: bool = False, progress=None,
                  on_epoch=None, command: str | None = None,
                  write_plots: Callable[[object, Path], list[str]] | None = None, given: set[str] | None = None):
    """Train and analyse; return the report (None on non-zero torchrun ranks).

    ``resume=True`` continues the run in ``cfg.out`` with the options of its config.json
    (:func:`resumed_config`; ``given`` names the options set on purpose, which must agree). ``write_plots(report, out_dir) -> [file names]`` (e.g.
    :func:`symbreak_cli.render.train.write_run_plots`) draws the plots; its names are
    listed in ``report.files``. A failing ``write_plots`` only warns: the report is still
    written (atomically) to ``<out>/report.json``.
    """
    import torch

    from symbreak_cli.io.files import atomic_write_text
    from symbreak_cli.train import distributed as dd
    from symbreak_cli.train.data import load_graph_set, split_samples
    from symbreak_cli.train.loop import fit

    t0 = time.perf_counter()
    if resume:
        cfg = resumed_config(cfg, given)
    from symbreak_cli.train.config import GCONV_MODELS

    if cfg.model in GCONV_MODELS:  # relaxed group convolutions on a fields file
        from symbreak_cli.workflows._gconv_results import train_gconv

        return train_gconv(cfg, resume=resume, force=force, progress=progress, on_epoch=on_epoch, command=command,
                           write_plots=write_plots)
    device = dd.resolve_device(cfg.device, dd.local_rank())
    dist = dd.init_distributed(device)
    if dist.active and cfg.restarts > 1 and "restarts" not in (given or ()):
        cfg = cfg.replace(restarts=1)  # the default under torchrun: one seed, data-parallel
    out, failure = Path(cfg.out), None
    if dist.main:
        try:
            out = _prepare_dir(cfg, resume, force)
            atomic_write_text(out / "config.json", cfg.to_json())
        except Exception as err:  # share it: the other ranks must not wait in a collective
            failure = err
    if not dd.all_ok(dist, failure is None):
        dd.shutdown(dist)
        if failure is not None:
            raise failure
        raise OutputError("rank 0 could not prepare the run directory (see its message)", path=str(out))
    if cfg.sympe:  # SymPE: its own data preparation, models and report block (one process)
        try:
            return _train_sympe(cfg, out, device, dist, resume, progress if dist.main else None, on_epoch, t0, command,
                                write_plots)
        finally:
            dd.shutdown(dist)
    torch.manual_seed(cfg.seed)
    gset = load_graph_set(cfg.data, cfg.task, cfg.cutoff, cfg.dt)
    tr, va, same = split_samples(gset.n_samples, cfg.val_fraction, cfg.seed)
    if len(tr) < dist.world:  # decided alike on every rank: all raise, none waits
        from symbreak_cli.errors import OptionError

        dd.shutdown(dist)
        raise OptionError(f"{len(tr)} training sample(s) cannot be shared by {dist.world} processes; use fewer")
    # full batch: each rank its own shard; mini-batches: DistributedSampler shares them out
    shard = tr[dist.rank::dist.world] if dist.active and cfg.batch_size <= 0 else tr
    train_b = gset.subset(shard).to_torch(device)
    val_b = None if same else gset.subset(va).to_torch(device)
    size = train_b.x.numel() + train_b.edge_vec.numel() * 8
    if cfg.batch_size > 0:  # per step only a batch's share of the graph is live
        size = size * min(1.0, cfg.batch_size / max(len(shard), 1))
    with_baseline = cfg.baseline or cfg.model == "equivariant"
    labels = (["relaxed"] if cfg.model == "e3nn" else []) + (["equivariant"] if with_baseline else [])
    models, results = {}, {}
    prog = progress if dist.main else None
    with _threads_for(size, device), (prog if prog is not None else contextlib.nullcontext()):
        restarts = None
        for label in labels:
            if label == "relaxed" and cfg.restarts > 1:
                if on_epoch is not None:
                    raise ValueError("on_epoch callbacks watch one model: train with restarts=1")
                model, res, restarts = _train_restarts(cfg, gset, train_b, val_b, device, dist, out, resume, prog)
                models[label], results[label] = model, res
                continue
            torch.manual_seed(cfg.seed)
            model = build_model(cfg, gset, relaxed=label == "relaxed").to(device)
            res = fit(model, train_b, val_b, cfg, label=label, dist=dist, checkpoint=out / f"{label}.pt",
                      resume=resume, progress=prog, on_epoch=on_epoch)
            if res.best_state is not None:
                model.load_state_dict(res.best_state)
            models[label], results[label] = model.cpu(), res
        verdict = _evidence(cfg, gset, (tr, va, same), models, results) if dist.main else None
        if verdict is not None and restarts is not None:
            verdict = verdict + (_agreement(cfg, gset, (tr, va, same), results, restarts, verdict),)
        path = None
        if cfg.reg_path and "relaxed" in models and dist.main:
            from symbreak_cli.train.regpath import regularisation_path

            path = regularisation_path(cfg, lambda l: build_model(cfg.replace(l_relaxed=l), gset, relaxed=True).to(device),
                                       train_b, val_b, gset.task, gset.pos[gset.sample == 0] if gset.task == "pairs" else None,
                                       cfg.reg_path_ls(), progress=prog)
    dd.barrier(dist)
    report = None
    if dist.main:
        report = _report(cfg, gset, (tr, va, same), models, results, out, t0, command, str(device), write_plots,
                         verdict, path)
    dd.shutdown(dist)
    return report


def _train_restarts(cfg, gset, train_b, val_b, device, dist, out: Path, resume: bool, prog):
    """(best model on the CPU, its FitResult, (RestartsResult, models)) of ``cfg.restarts``
    relaxed models trained together (:mod:`symbreak_cli.train.restarts`). The checkpoint
    holds the best restart's weights (``model``) and every restart's outcome; a finished
    run is read back on ``--resume``, an unfinished one starts the restarts afresh.
    """
    import torch

    from symbreak_cli.errors import OptionError
    from symbreak_cli.train import restarts as rs
    from symbreak_cli.train.loop import read_checkpoint

    if dist.active:  # only reached when --restarts was given (see train_relaxed)
        raise OptionError(f"--restarts {cfg.restarts} trains the seeds in one process; with torchrun use --restarts 1")
    ckpt = out / "relaxed.pt"
    torch.manual_seed(rs.restart_seed(cfg.seed, 0))
    models = [build_model(cfg, gset, relaxed=True)]
    for r in range(1, cfg.restarts):  # the same network drawn from another seed (no rebuild of its tables)
        torch.manual_seed(rs.restart_seed(cfg.seed, r))
        if hasattr(models[0], "reset_weights"):
            m = copy.deepcopy(models[0])
            m.reset_weights()
        else:  # a model without the hook is built anew
            m = build_model(cfg, gset, relaxed=True)
        models.append(m)
    models = [m.to(device) for m in models]
    saved = read_checkpoint(ckpt) if resume and ckpt.exists() else None
    if saved is not None and "restarts" in saved and saved.get("epochs") == cfg.epochs:
        run = rs.restarts_from_checkpoint(saved, models)
    else:
        run = rs.fit_restarts(models, train_b, val_b, cfg, progress=prog)
        if dist.main:
            rs.save_restarts(ckpt, run, models, cfg.epochs)
    models = [m.cpu() for m in models]
    best = run.best()
    res = run.results[best]
    res.label = "relaxed"
    return models[best], res, (run, models)


def _agreement(cfg, gset, split, results, restarts, verdict):
    """Every restart's verdict (:func:`~symbreak_cli.train.restarts.quick_verdict`); the
    best restart's is replaced by its full verdict afterwards (in :func:`_report`).
    """
    from symbreak_cli.train import restarts as rs

    run, models = restarts
    tr, va, same = split
    val_b = gset.subset(tr if same else va).to_torch("cpu")
    points = gset.pos[gset.sample == 0] if gset.task == "pairs" else None
    base = results["equivariant"].best_val if "equivariant" in results else None
    return [rs.quick_verdict(None if run.diverged[r] else m, val_b, base, gset.task, points, run.seeds[r],
                             run.results[r]) for r, m in enumerate(models)], run


def _evidence(cfg, gset, split, models, results):
    """(FitQuality, Evidence or None) of the relaxed model, on the CPU, full batches; None
    without a relaxed model. No evidence is gathered for a model that does not fit.
    """
    from symbreak_cli.train import evidence

    if "relaxed" not in models:
        return None
    tr, va, same = split
    train_b = gset.subset(tr).to_torch("cpu")
    val_b = train_b if same else gset.subset(va).to_torch("cpu")
    base = results["equivariant"].best_val if "equivariant" in results else None
    fit = evidence.fit_quality(results["relaxed"].best_val, val_b, base)
    if not fit.fits:
        return fit, None
    return fit, evidence.block_evidence(models["relaxed"], train_b, val_b, lr=cfg.lr, reg=cfg.reg)


def _report(cfg, gset, split, models, results, out: Path, t0: float, command, device: str, write_plots, verdict,
            path=None):
    """Analyse the trained models, make the TrainReport, draw plots, write report.json."""
    from symbreak_cli.io.files import sha256_file
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance
    from symbreak_cli.results.train import TrainProvenance, TrainReport
    from symbreak_cli.train import analysis, theta
    from symbreak_cli.workflows import _train_results as conv

    readings, history, sym, eq, signal, combined, point_errors = [], {}, None, None, None, [], None
    if "relaxed" in models:
        model = models["relaxed"]
        readout = model.relaxed_readout()
        readings = [theta.read_theta(r, str(k)) for k, r in enumerate(readout)]
        rh = results["relaxed"].history
        history = {"irreps": list(readout[0].layout.labels), "epochs": rh["theta_epochs"], "norms": rh["theta_norms"]}
        points = gset.pos[gset.sample == 0] if gset.task == "pairs" else None
        fit, ev = verdict[:2]
        scale, checks = 1.0, ()
        if ev is not None:
            from symbreak_cli.train.evidence import widest_kept_group

            G0 = analysis.data_point_group(points) if points is not None else None
            tr, va, same = split
            val_b = gset.subset(tr if same else va).to_torch("cpu")
            scale, checks = widest_kept_group(model, val_b, readout, ev, G0)
        sym = analysis.symmetry_analysis(readout, gset.task, points, None if ev is None else ev.needed(), scale)
        G = analysis.data_point_group(points) if points is not None else None
        b = gset.subset([0]).to_torch("cpu")
        eq = analysis.equivariance_errors(model, b, G)
        if gset.task == "pairs":  # relaxed equivariance (Kaba & Ravanbakhsh) beside the ordinary error
            from symbreak_cli.train.sympe import point_cloud_errors

            point_errors = point_cloud_errors(model, points, gset.x[gset.sample == 0][:, 1:], cfg.cutoff, cfg.seed)
        # S(r̂) of the first layer, the one that sees the input geometry
        signal = conv.signal(theta.signal_grid(readout[0].coeffs))
        combined = conv.combined_norms(readings)
    ratio = None
    if "relaxed" in results and "equivariant" in results and results["relaxed"].best_val > 0:
        ratio = results["equivariant"].best_val / results["relaxed"].best_val
    summary = None
    if verdict is not None and len(verdict) > 2 and sym is not None:
        name = "no fit" if not verdict[0].fits else (sym.kept.schoenflies if sym.kept is not None else "no group")
        summary = conv.restarts(*verdict[2], name)
    files = ["config.json", "report.json"] + [f"{k}.pt" for k in models]
    base = make_provenance(command, libs=RUN_LIBS, device=device, wall_time_s=time.perf_counter() - t0)
    provenance = TrainProvenance(**base.model_dump(), run_dir=str(out),
                                 timings=[conv.timing(k, results[k]) for k in models])
    report = TrainReport(inputs=Inputs(files=[InputFile(path=cfg.data, sha256=sha256_file(cfg.data))],
                                       options={k: v for k, v in cfg.to_dict().items() if k != "out"}),
                         provenance=provenance, data=conv.data_summary(cfg, gset, split),
                         models=[conv.model_result(k, models[k], results[k], out / f"{k}.pt") for k in models],
                         theta=[conv.theta_reading(r) for r in readings], theta_combined=combined,
                         theta_norm_history=history, symmetry=None if sym is None else conv.symmetry(sym, fit, ev, checks),
                         equivariance=None if eq is None else conv.equivariance(eq, point_errors), signal=signal,
                         loss_ratio_equivariant_over_relaxed=ratio, restarts=summary,
                         reg_path=None if path is None else conv.reg_path(path), files=files)
    return finish_run(report, out, files, write_plots)


SYMPE_DRAWS = 300  # draws per model for the train report's sympe block


def _train_sympe(cfg, out: Path, device, dist, resume: bool, prog, on_epoch, t0: float, command, write_plots):
    """Train SymPE (and the baselines the options ask for) on a pairs file; the report's
    ``sympe`` block holds each model's draws for the first training input.
    """
    import json

    import torch

    from symbreak_cli.errors import OptionError
    from symbreak_cli.io.files import atomic_write_text, sha256_file
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance
    from symbreak_cli.results.train import DataSummary, TrainProvenance, TrainReport
    from symbreak_cli.train import sympe as sp
    from symbreak_cli.train import theta
    from symbreak_cli.train.data import split_samples
    from symbreak_cli.train.loop import fit
    from symbreak_cli.workflows import _train_results as conv
    from symbreak_cli.workflows.sympe_samples import samples_section

    if dist.active:
        raise OptionError("--sympe trains in one process (run it without torchrun)")
    data = sp.load_pairs(cfg.data, cfg.cutoff)
    meta = sp.model_meta(cfg, data)
    atomic_write_text(out / "sympe.json", json.dumps(meta, indent=2, sort_keys=True))
    tr, va, same = split_samples(data.n_samples, cfg.val_fraction, cfg.seed)
    train_b = sp.make_batch(data, tr, device=device)
    val_b = None if same else sp.make_batch(data, va, device=device)
    models, results, restarts = {}, {}, None
    size = train_b.copies.x.numel() + train_b.copies.edge_vec.numel() * 8
    with _threads_for(size, device), (prog if prog is not None else contextlib.nullcontext()):
        for label in sp.labels_for(cfg):
            if label == "sympe" and cfg.restarts > 1:  # N seeds at once; the best by validation loss is reported
                from symbreak_cli.train import sympe_restarts as sr

                if on_epoch is not None:
                    raise ValueError("on_epoch callbacks watch one model: train with restarts=1")
                ensemble = sr.build_restarts(meta, cfg.seed, cfg.restarts, device)
                run = sr.train_restarts(ensemble, train_b, val_b, cfg, out / "sympe.pt", resume, prog)
                ensemble = [m.cpu() for m in ensemble]
                res = copy.copy(run.results[run.best()])
                res.label = "sympe"
                models[label], results[label], restarts = ensemble[run.best()], res, (run, ensemble)
                continue
            torch.manual_seed(cfg.seed)
            model = sp.build_model(label, meta).to(device)
            res = fit(model, train_b, val_b, cfg, label=label, checkpoint=out / f"{label}.pt", resume=resume,
                      progress=prog, on_epoch=on_epoch)
            if res.best_state is not None:
                model.load_state_dict(res.best_state)
            models[label], results[label] = model.cpu(), res
        rows = [(label, *sp.analyse(m, label, data, 0, SYMPE_DRAWS, cfg.seed, targets=data.targets[tr]))
                for label, m in models.items()]
        block = None
        if restarts is not None:
            from symbreak_cli.workflows.sympe_samples import sympe_restarts

            verdicts = sr.restart_verdicts(*restarts, data, train_b if val_b is None else val_b, cfg.seed,
                                           targets=data.targets[tr], n=SYMPE_DRAWS)
            block = sympe_restarts(verdicts, restarts[0], SYMPE_DRAWS)
    section = samples_section(f"{cfg.data} (training input 0)", data.frames[0], rows, cfg.seed)
    readings = [theta.read_theta(r, str(k)) for k, r in enumerate(models["relaxed"].relaxed_readout())] \
        if "relaxed" in models else []
    summary = DataSummary(path=cfg.data, task="pairs", target="displacement target − input", irreps_in=data.irreps_base,
                          n_samples=data.n_samples, n_points=data.n_points, n_train=len(tr), n_val=len(va),
                          val_is_train=same, n_edges=int(train_b.base.edge_src.numel()), cutoff=cfg.cutoff)
    files = ["config.json", "report.json", "sympe.json"] + [f"{k}.pt" for k in models]
    base = make_provenance(command, libs=RUN_LIBS, device=str(device), wall_time_s=time.perf_counter() - t0)
    provenance = TrainProvenance(**base.model_dump(), run_dir=str(out), timings=[conv.timing(k, results[k]) for k in models])
    report = TrainReport(inputs=Inputs(files=[InputFile(path=cfg.data, sha256=sha256_file(cfg.data))],
                                       options={k: v for k, v in cfg.to_dict().items() if k != "out"}),
                         provenance=provenance, data=summary,
                         models=[conv.model_result(k, models[k], results[k], out / f"{k}.pt") for k in models],
                         theta=[conv.theta_reading(r) for r in readings],
                         theta_combined=conv.combined_norms(readings) if readings else [], sympe=section,
                         restarts=block, files=files)
    return finish_run(report, out, files, write_plots)
