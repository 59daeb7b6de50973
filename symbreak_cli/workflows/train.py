"""``train_relaxed(config)``: the library side of ``symbreak train-relaxed``.

Loads the data, trains the relaxed network (and/or the equivariant baseline), reads θ,
writes the run directory (config.json, checkpoints, report.json, plots) and returns the
:class:`~symbreak_cli.results.train.TrainReport`.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from symbreak_cli.errors import OutputError
from symbreak_cli.train.config import TrainConfig

SMALL_PROBLEM = 200_000  # node + edge feature entries below which one thread is fastest


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
    from symbreak_cli.nn.relaxed_e3nn import RelaxedE3Network

    return RelaxedE3Network(gset.irreps_in, "1x1o", relaxed=relaxed, l_relaxed=cfg.l_relaxed, layers=cfg.layers,
                            mul=cfg.mul, cutoff=cfg.cutoff, avg_neighbors=max(gset.avg_neighbors, 1.0),
                            use_edges=len(gset.edge_src) > 0)


def _prepare_dir(cfg: TrainConfig, resume: bool, force: bool) -> Path:
    out = Path(cfg.out)
    if out.exists() and any(out.iterdir()) and not (resume or force):
        raise OutputError("run directory exists and is not empty; pass --resume to continue or --force", path=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the run directory ({err.strerror})", path=str(out)) from None
    return out


def train_relaxed(cfg: TrainConfig, *, resume: bool = False, force: bool = False, progress=None,
                  on_epoch=None, command: str | None = None):
    """Train and analyse; ``resume=True`` reads ``<out>/config.json`` for the options."""
    import torch

    from symbreak_cli.io.files import atomic_write_text, sha256_file
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance
    from symbreak_cli.train import distributed as dd
    from symbreak_cli.train.data import load_graph_set, split_samples
    from symbreak_cli.train.loop import fit

    t0 = time.perf_counter()
    device = dd.resolve_device(cfg.device, dd.local_rank())
    dist = dd.init_distributed(device)
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
    torch.manual_seed(cfg.seed)
    gset = load_graph_set(cfg.data, cfg.task, cfg.cutoff)
    tr, va, same = split_samples(gset.n_samples, cfg.val_fraction, cfg.seed)
    if len(tr) < dist.world:  # decided alike on every rank: all raise, none waits
        from symbreak_cli.errors import OptionError

        dd.shutdown(dist)
        raise OptionError(f"{len(tr)} training sample(s) cannot be shared by {dist.world} processes; use fewer")
    # full batch: each rank its own shard; mini-batches: DistributedSampler shares them out
    shard = tr[dist.rank::dist.world] if dist.active and cfg.batch_size <= 0 else tr
    train_b = gset.subset(shard).to_torch(device)
    val_b = None if same else gset.subset(va).to_torch(device)
    size = train_b["x"].numel() + train_b["edge_vec"].numel() * 8
    if cfg.batch_size > 0:  # per step only a batch's share of the graph is live
        size = size * min(1.0, cfg.batch_size / max(len(shard), 1))
    labels = (["relaxed"] if cfg.model == "e3nn" else []) + (["equivariant"] if cfg.baseline or cfg.model == "equivariant" else [])
    models, results = {}, {}
    prog = progress if dist.main else None
    with _threads_for(size, device), (prog if prog is not None else contextlib.nullcontext()):
        for label in labels:
            torch.manual_seed(cfg.seed)
            model = build_model(cfg, gset, relaxed=label == "relaxed").to(device)
            res = fit(model, train_b, val_b, cfg, label=label, dist=dist, checkpoint=out / f"{label}.pt",
                      resume=resume, progress=prog, on_epoch=on_epoch)
            if res.best_state is not None:
                model.load_state_dict(res.best_state)
            models[label], results[label] = model.cpu(), res
    dd.barrier(dist)
    report = None
    if dist.main:
        from symbreak_cli.workflows.train_report import build_report

        report = build_report(cfg, gset, (tr, va, same), models, results, out, t0,
                              inputs=Inputs(files=[InputFile(path=cfg.data, sha256=sha256_file(cfg.data))],
                                            options=cfg.to_dict()),
                              provenance_fn=lambda wall: make_provenance(
                                  command, libs=("numpy", "torch", "e3nn", "pymatgen"), device=str(device),
                                  wall_time_s=wall))
    dd.shutdown(dist)
    return report
