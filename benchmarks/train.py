"""Time to the issue-4 targets, relaxed/equivariant step-time ratio, restarts, peak memory.

    python benchmarks/train.py               # CPU (and CUDA steps/s when available)
    python benchmarks/train.py --restarts    # issue 10: 8 restarts vs one run, in-process and whole-process
    python benchmarks/train.py --sweeps      # issue 10: the sample verdicts over seeds 0…9, default options

Prints one table. Times include model construction but not data generation. The machine
load (``os.getloadavg``) is printed beside every timing: on a shared machine compare
ratios measured in the same run, not absolute times.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from symbreak_cli.train.config import TrainConfig
from symbreak_cli.train.data import load_graph_set
from symbreak_cli.workflows.train import build_model, train_relaxed
from symbreak_cli.train.sample_data import write_training_samples


def time_to(cfg, check):
    t0 = time.perf_counter()
    hit = {}

    def cb(epoch, model, res):
        if epoch % 10 == 0 and check(model, res):
            hit.setdefault("t", time.perf_counter() - t0)
            hit.setdefault("epoch", epoch)
            return True
        return False

    train_relaxed(cfg, force=True, on_epoch=cb)
    return hit.get("t"), hit.get("epoch")


def charged_ok(model, res):
    c = model.relaxed_readout()[0].coeffs
    e, b = c["1o"], c["1e"]
    cos_e = abs(e[0]) / (np.linalg.norm(e) + 1e-30)  # the sign may sit in the weights
    cos_b = abs(b[1]) / (np.linalg.norm(b) + 1e-30)
    return cos_e >= 0.999 and cos_b >= 0.999 and res.history["val_loss"][-1] < 1e-3


def step_ratio(path, cfg, device="cpu", steps=50, repeats=7):
    """Seconds per training step (forward, MSE + penalty, backward, AdamW) of both models
    on the same full batch in this process: blocks of ``steps`` steps alternate between
    the models ``repeats`` times and each keeps its fastest block, so load from other
    processes on a shared machine does not land on one model only."""
    from symbreak_cli.train.loop import make_optimizer, train_step

    g = load_graph_set(str(path), "auto", cfg.cutoff)
    batch = g.to_torch(device)
    runs = {}
    for label in ("relaxed", "equivariant"):
        torch.manual_seed(0)
        m = build_model(cfg, g, relaxed=label == "relaxed").to(device)
        runs[label] = (m, make_optimizer(m, cfg), cfg.reg if label == "relaxed" else 0.0)
    best = {label: float("inf") for label in runs}
    for rep in range(repeats + 1):
        for label, (m, opt, reg) in runs.items():
            sync = torch.cuda.synchronize if device != "cpu" else (lambda: None)
            sync()
            t = time.perf_counter()
            for _ in range(steps):
                train_step(m, m, opt, batch, reg)
            sync()
            if rep:  # the first block warms up
                best[label] = min(best[label], (time.perf_counter() - t) / steps)
    return best


def _load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _median_run(cfg, repeats: int, **kw) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        train_relaxed(cfg, force=True, **kw)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def restarts_rows(files, d, repeats: int = 3) -> list[tuple[str, str]]:
    """One run vs 8 restarts (vectorised, and one after another) of cube → prism, in this
    process (imports paid), medians of ``repeats`` interleaved runs; then the
    charged-particle verdict with the default restarts as a whole process."""
    from symbreak_cli.train import restarts as rs

    rows = []
    cfg = TrainConfig(data=str(files["cube_to_prism"]), out=f"{d}/rs", device="cpu")
    train_relaxed(cfg.replace(epochs=5, restarts=2), force=True)  # warm-up
    seq = rs.fit_restarts
    one, vec, loop = [], [], []
    for _ in range(repeats):
        one.append(_median_run(cfg.replace(restarts=1), 1))
        vec.append(_median_run(cfg.replace(restarts=8), 1))
        rs.fit_restarts = lambda *a, **k: seq(*a, **k, vectorise=False)  # noqa: E731
        try:
            loop.append(_median_run(cfg.replace(restarts=8), 1))
        finally:
            rs.fit_restarts = seq
    o, v, q = (statistics.median(x) for x in (one, vec, loop))
    rows.append((f"cube → prism, 1 run (s, median of {repeats}; {_load()})", f"{o:.2f}"))
    rows.append(("cube → prism, 8 restarts vectorised (s) / 1 run", f"{v:.2f} = {v / o:.2f}×"))
    rows.append(("cube → prism, 8 restarts one after another (s) / 1 run", f"{q:.2f} = {q / o:.2f}×"))
    for name in ("cube_to_prism", "charged_particle"):
        walls = {}
        for n in (1, 8):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "symbreak_cli", "train-relaxed", str(files[name]), "--restarts",
                            str(n), "--out", f"{d}/wp", "--force", "-q", "--json"], check=True, capture_output=True,
                           env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1])))
            walls[n] = time.perf_counter() - t
        rows.append((f"{name}, whole process, --restarts 1 / 8 (s; {_load()})",
                     f"{walls[1]:.1f} / {walls[8]:.1f} = {walls[8] / walls[1]:.2f}×"))
    return rows


def sweep_rows(files, d, seeds=range(10)) -> list[tuple[str, str]]:
    """The issue-10 targets: kept group, breaking irreps, 2e axis / mirror normal, per seed."""
    rows = []
    for name in ("cube_to_prism", "charged_particle"):
        verdicts, agree, t0 = {}, [], time.perf_counter()
        for seed in seeds:
            r = train_relaxed(TrainConfig(data=str(files[name]), out=f"{d}/sw", seed=seed, device="cpu"), force=True)
            s = r.symmetry
            key = s.kept.schoenflies if s.kept else s.verdict
            if name == "cube_to_prism" and s.kept:
                ax = np.abs(np.array(r.theta[0].tensor_2e.unique_axis))
                key += f" {'+'.join(b.label for b in s.breaking)} 2e∥z" if ax[2] > 0.999 else " 2e off z"
            if name == "charged_particle" and s.kept:
                mirror = [a for a in s.kept.axes if a.symbol.startswith("σ")]
                key += " σ⟂y" if mirror and abs(mirror[0].direction[1]) > 0.999 else " σ not ⟂ y"
                key += " 2e negligible" if all(b.verdict == "negligible" for b in s.evidence.blocks
                                                if b.irrep == "2e") else " 2e needed"
            verdicts[key] = verdicts.get(key, 0) + 1
            agree.append(r.restarts.summary if r.restarts else "—")
        rows.append((f"{name}: seeds {seeds[0]}…{seeds[-1]}, default options ({time.perf_counter() - t0:.0f} s)",
                     ", ".join(f"{k} in {v}/{len(seeds)}" for k, v in verdicts.items())))
        rows.append((f"{name}: restarts agreeing per seed", " ".join(a.split(" in ")[-1] for a in agree)))
    return rows


def bench(quick: bool) -> list:
    """Rows for benchmarks/run.py: seconds per training step, relaxed vs the equivariant (tied-weight) model."""
    from _row import Row

    torch.set_num_threads(1)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        files = {p.stem: p for p in write_training_samples(Path(d), force=True)}
        for name in ("charged_particle", "cube_to_prism"):
            cfg = TrainConfig(data=str(files[name]), out=f"{d}/{name}", device="cpu")
            reps = [step_ratio(files[name], cfg, steps=5 if quick else 50, repeats=1) for _ in range(1 if quick else 3)]
            rows.append(Row("train", f"{name}: s/step", "equivariant model", [r["relaxed"] for r in reps],
                            [r["equivariant"] for r in reps]))
    return rows


def main():
    rows = []
    if "--restarts" in sys.argv or "--sweeps" in sys.argv:
        with tempfile.TemporaryDirectory() as d:
            files = {p.stem: p for p in write_training_samples(Path(d), force=True)}
            rows += restarts_rows(files, d) if "--restarts" in sys.argv else []
            rows += sweep_rows(files, d, list(range(10))) if "--sweeps" in sys.argv else []
        w = max(len(a) for a, _ in rows)
        for a, b in rows:
            print(f"{a:<{w}}  {b}", flush=True)
        return
    rows = []
    t = time.perf_counter()
    import e3nn.o3  # noqa: F401  (first import of torch._dynamo via e3nn: ~2 s, paid once per process)

    rows.append(("import e3nn (s; once per process, not in the times below)", f"{time.perf_counter() - t:.1f}"))
    with tempfile.TemporaryDirectory() as d:
        files = {p.stem: p for p in write_training_samples(Path(d), force=True)}
        cp = TrainConfig(data=str(files["charged_particle"]), out=f"{d}/cp", device="cpu", restarts=1)
        t, ep = time_to(cp, charged_ok)
        rows.append(("charged particle: cosines ≥ 0.999 (s)", f"{t:.1f} (epoch {ep})" if t else "not reached"))
        pr = TrainConfig(data=str(files["cube_to_prism"]), out=f"{d}/pr", device="cpu", restarts=1)  # default epochs
        t, ep = time_to(pr, lambda m, r: r.history["val_loss"][-1] < 1e-5)
        rows.append(("cube → prism: loss < 1e-5 (s)", f"{t:.1f} (epoch {ep})" if t else "not reached"))
        torch.set_num_threads(1)
        for name, cfg in (("charged particle", cp), ("cube → prism", pr)):
            r = step_ratio(files[name.replace(" → ", "_to_").replace(" ", "_")], cfg)
            rows.append((f"{name}: ms/step relaxed / equivariant",
                         f"{1e3 * r['relaxed']:.2f} / {1e3 * r['equivariant']:.2f} = {r['relaxed'] / r['equivariant']:.2f}"))
        if torch.cuda.is_available():
            for dev in ("cpu", "cuda"):
                r = step_ratio(files["cube_to_prism"], pr, device=dev)
                rows.append((f"cube → prism steps/s on {dev}", f"{1 / r['relaxed']:.0f}"))
    rows.append(("peak RSS (MB)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"))
    w = max(len(a) for a, _ in rows)
    for a, b in rows:
        print(f"{a:<{w}}  {b}")


if __name__ == "__main__":
    main()
