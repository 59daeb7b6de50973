"""Relaxed group convolution (``--model gconv``): whole-process time to the kept-subgroup
verdict on 16³ advection–diffusion sets, and relaxed vs tied-weight step time.

    python benchmarks/gconv.py [--size 16] [--samples 8] [--seeds 0,1,2] [--threads 2] [--options "..."]

*Step time*: full-batch AdamW steps (forward, backward, penalty, update) of the relaxed and
the tied-weight model at the CLI's default architecture, interleaved in one process;
medians of wall and CPU (user + sys) time. Target: relaxed / tied ≤ 1.3.

*Verdict*: one ``symbreak train-relaxed --model gconv`` subprocess per data set and seed,
start to exit, with the gconv defaults (``--options`` adds any); drift along +z must keep
C4 about z, no drift all of O. Wall and CPU time (user + sys of the subprocess). Target:
≤ 60 s wall on 2 idle cores. The load (``os.getloadavg``) is printed with each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXPECTED = {"drift +z": "C4 (4-fold axis along z)", "no drift": "O"}  # the description, or the name alone


def _load() -> str:
    return "load " + "/".join(f"{v:.1f}" for v in os.getloadavg())


def step_times(size: int, group: str, n_samples: int, repeats: int = 15,
               compiled: bool = False) -> dict[str, tuple[float, float]]:
    """{model: (median wall s, median CPU s)} per full-batch step, the two models interleaved;
    with ``compiled``, the relaxed model eager against the same model under ``torch.compile``
    (keys "relaxed" and "compiled"; the compile itself is in the warm-up, not the medians).
    """
    import torch

    from symbreak_cli.nn.grid_actions import FieldBatch, grid_group
    from symbreak_cli.nn.relaxed_gconv import RelaxedGroupConvNet
    from symbreak_cli.train.config import TrainConfig
    from symbreak_cli.train.sample_data import advected_blobs

    x, y = advected_blobs(n_samples=n_samples, size=size)
    b = FieldBatch(torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32),
                   ("scalar",), ("scalar",), True)
    d = TrainConfig(data="-")
    steps = {}
    pairs = (("relaxed", True), ("compiled", True)) if compiled else (("relaxed", True), ("tied", False))
    for label, relaxed in pairs:
        torch.manual_seed(0)
        m = RelaxedGroupConvNet(grid_group(group, 3), ("scalar",), ("scalar",), relaxed=relaxed, hidden=d.hidden,
                                filter_banks=d.filter_banks, layers=d.layers - 1, periodic=True,
                                kernel=d.gconv_kernel(3, size))
        opt = torch.optim.AdamW(m.parameters(), lr=1e-3, fused=True)
        forward = torch.compile(m) if label == "compiled" else m

        def step(m=m, opt=opt, forward=forward):
            opt.zero_grad(set_to_none=True)
            ((forward(b) - b.y) ** 2).mean().backward()
            m.add_penalty_grad(1e-4)
            opt.step()

        steps[label] = step
    wall = {k: [] for k in steps}
    cpu = {k: [] for k in steps}
    for f in steps.values():
        f(), f(), f()
    for _ in range(repeats):
        for k, f in steps.items():
            t, c = time.perf_counter(), time.process_time()
            f()
            cpu[k].append(time.process_time() - c)
            wall[k].append(time.perf_counter() - t)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in steps}


def verdict_run(path: Path, seed: int, options: list[str]) -> tuple[float, float, str, str]:
    """(wall s, CPU s of the subprocess, kept subgroup or verdict, restarts summary)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "symbreak_cli", "train-relaxed", str(path), "--model", "gconv",
                          "--seed", str(seed), *options, "--out", str(path.parent / f"run-{path.stem}-{seed}"), "--force",
                          "--json", "--quiet"], capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if res.returncode != 0:
        return wall, cpu, "failed: " + res.stderr.strip()[-200:], ""
    doc = json.loads(res.stdout)
    g = doc["gconv"]
    kept = g["kept"]["description"] if g.get("kept") else g["verdict"]
    return wall, cpu, kept, (doc.get("restarts") or {}).get("summary", "1 restart")


def main() -> None:
    import torch

    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=16)
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--group", default="O")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--options", default="", help="extra train-relaxed options, e.g. '--restarts 1'")
    ap.add_argument("--skip-steps", action="store_true")
    ap.add_argument("--compile", action="store_true", help="only: the relaxed step eager vs torch.compile")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.compile:
        t = time.perf_counter()
        st = step_times(a.size, a.group, a.samples, compiled=True)
        (ew, ec), (cw, cc) = st["relaxed"], st["compiled"]
        print(f"{a.size}³ {a.group} relaxed step, {a.threads} threads ({_load()}): eager {1000 * ew:.1f} ms wall / "
              f"{1000 * ec:.1f} ms CPU, torch.compile {1000 * cw:.1f} / {1000 * cc:.1f}; eager/compiled "
              f"{ew / cw:.2f}× wall ({time.perf_counter() - t:.0f} s in all, compile included)")
        return
    if not a.skip_steps:
        st = step_times(a.size, a.group, a.samples)
        (rw, rc), (tw, tc) = st["relaxed"], st["tied"]
        print(f"{a.size}³ {a.group}, {a.samples} samples, default architecture, full batch, {a.threads} threads ({_load()})")
        print(f"  step relaxed {1000 * rw:.1f} ms wall / {1000 * rc:.1f} ms CPU, tied {1000 * tw:.1f} / {1000 * tc:.1f}; "
              f"relaxed/tied {rw / tw:.2f}× wall, {rc / tc:.2f}× CPU (target ≤ 1.3×)")
    from symbreak_cli.io.fields import write_fields
    from symbreak_cli.train.sample_data import advected_blobs

    d = Path(tempfile.mkdtemp())
    sets = {"drift +z": (0.0, 0.0, 1.0), "no drift": (0.0, 0.0, 0.0)}
    options = a.options.split() + ["--group", a.group]
    for name, drift in sets.items():
        path = d / f"{name.replace(' ', '_').replace('+', '')}.h5"
        write_fields(path, *advected_blobs(n_samples=a.samples, size=a.size, drift=drift), periodic=True)
        for seed in (int(s) for s in a.seeds.split(",")):
            wall, cpu, kept, agree = verdict_run(path, seed, options)
            ok = "ok" if EXPECTED[name] in (kept, kept.split(" (")[0]) else f"WRONG (expected {EXPECTED[name]})"
            print(f"  {name}, seed {seed}: {wall:.1f} s wall, {cpu:.1f} s CPU whole process (target ≤ 60 s wall), "
                  f"kept {kept} [{ok}], restarts {agree} ({_load()})", flush=True)


if __name__ == "__main__":
    main()
