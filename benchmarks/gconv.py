"""Relaxed group convolution (``--model gconv``): whole-process time to the kept-subgroup
verdict on a 16³ advection–diffusion set, and relaxed vs tied-weight step time.

    python benchmarks/gconv.py [--size 16] [--epochs 150] [--lr 0.05] [--threads 2]

Step times are medians of timed full-batch steps of both models in the same run; the
verdict time is one ``symbreak train-relaxed --model gconv`` subprocess, start to exit.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def step_times(size: int, group: str, n_samples: int, repeats: int = 15) -> dict[str, float]:
    import torch

    from symbreak_cli.nn.grid_actions import FieldBatch, grid_group
    from symbreak_cli.nn.relaxed_gconv import RelaxedGroupConvNet
    from symbreak_cli.train.sample_data import advected_blobs

    x, y = advected_blobs(n_samples=n_samples, size=size)
    b = FieldBatch(torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32),
                   ("scalar",), ("scalar",), True)
    out = {}
    for label, relaxed in (("relaxed", True), ("tied", False)):
        m = RelaxedGroupConvNet(grid_group(group, 3), ("scalar",), ("scalar",), relaxed=relaxed, hidden=4, layers=0,
                                periodic=True)  # the CLI default: --layers 1 = the lifting layer only
        opt = torch.optim.AdamW(m.parameters(), lr=1e-3, fused=True)

        def step(m=m, opt=opt):
            opt.zero_grad(set_to_none=True)
            ((m(b) - b.y) ** 2).mean().backward()
            m.add_penalty_grad(1e-4)
            opt.step()

        for _ in range(3):
            step()
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            step()
            times.append(time.perf_counter() - t)
        out[label] = statistics.median(times)
    return out


def verdict_run(size: int, epochs: int, group: str, n_samples: int, lr: float) -> tuple[float, str]:
    import json

    from symbreak_cli.io.fields import write_fields
    from symbreak_cli.train.sample_data import advected_blobs

    d = Path(tempfile.mkdtemp())
    write_fields(d / "f.h5", *advected_blobs(n_samples=n_samples, size=size), periodic=True)
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "symbreak_cli", "train-relaxed", str(d / "f.h5"), "--model", "gconv",
                          "--group", group, "--epochs", str(epochs), "--lr", str(lr), "--out", str(d / "run"), "--json", "--quiet"],
                         capture_output=True, text=True)
    wall = time.perf_counter() - t
    if res.returncode != 0:
        return wall, "failed: " + res.stderr.strip()[-200:]
    g = json.loads(res.stdout)["gconv"]
    return wall, g["kept"]["description"] if g.get("kept") else g["verdict"]


def main() -> None:
    import torch

    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=150)
    ap.add_argument("--lr", type=float, default=5e-2)
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--group", default="O")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    st = step_times(a.size, a.group, a.samples)
    print(f"{a.size}³ {a.group}, {a.samples} samples, hidden 4, lifting layer only (the default), full batch, {a.threads} threads")
    print(f"  step relaxed {1000 * st['relaxed']:.1f} ms  tied {1000 * st['tied']:.1f} ms  "
          f"ratio {st['relaxed'] / st['tied']:.2f}")
    wall, verdict = verdict_run(a.size, a.epochs, a.group, a.samples, a.lr)
    print(f"  train-relaxed --model gconv --epochs {a.epochs} --lr {a.lr:g}: {wall:.1f} s whole process, kept {verdict}")


if __name__ == "__main__":
    main()
