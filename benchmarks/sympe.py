"""SymPE speed target (issue 15): train on the cube set and draw 300 samples, whole process.

    python benchmarks/sympe.py [--repeats 3] [--threads 2]

Each repeat runs two fresh processes: ``symbreak train-relaxed cube_to_prisms.h5 --sympe``
(default options) and the sampling workflow (300 draws for the cube from that run,
xyz files and samples.json written). Baseline in the same session: the plain relaxed
e3nn run on ``cube_to_prism.h5`` (default options), one fresh process. Prints medians of
wall time and of the children's CPU time, the ratio to the baseline, and the quality of
the draws (classes, χ² p, largest distance to a training prism).
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

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 60.0
SAMPLE = """
import sys
from symbreak_cli.workflows.sympe_samples import sample_run
r = sample_run(sys.argv[1], sys.argv[2], 300, sys.argv[3], force=True)
m = r.samples.models[0]
print(m.n_classes, m.chi2.p_value if m.chi2 else None, m.distance_to_training.max)
"""


def timed(cmd: list[str], env: dict) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), PYTHONPATH=str(REPO))
    py = [sys.executable]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run(py + ["-m", "symbreak_cli", "sample-data", str(tmp / "d")], env=env, check=True, capture_output=True)
        cube = tmp / "cube.xyz"
        cube.write_text("8\ncube\n" + "".join(f"C {x} {y} {z}\n" for x in (-0.5, 0.5) for y in (-0.5, 0.5) for z in (-0.5, 0.5)))
        base_w, base_c, _ = timed(py + ["-m", "symbreak_cli", "train-relaxed", str(tmp / "d" / "cube_to_prism.h5"),
                                        "--out", str(tmp / "base"), "--force", "--quiet"], env)
        walls, cpus, quality = [], [], ""
        for k in range(args.repeats):
            run = tmp / f"run{k}"
            w1, c1, _ = timed(py + ["-m", "symbreak_cli", "train-relaxed", str(tmp / "d" / "cube_to_prisms.h5"), "--sympe",
                                    "--out", str(run), "--force", "--quiet", "--json"], env)
            w2, c2, quality = timed(py + ["-c", SAMPLE, str(cube), str(run), str(tmp / f"draws{k}")], env)
            walls.append(w1 + w2)
            cpus.append(c1 + c2)
            epochs = json.loads((run / "report.json").read_text())["models"][0]["epochs_run"]
    w, c = statistics.median(walls), statistics.median(cpus)
    print(f"{'case':44s} {'wall s':>8s} {'CPU s':>8s}")
    print(f"{'train --sympe (cube set) + 300 draws':44s} {w:8.1f} {c:8.1f}   ({epochs} epochs; target {TARGET_S:.0f} s wall)")
    print(f"{'baseline: train-relaxed cube_to_prism.h5':44s} {base_w:8.1f} {base_c:8.1f}")
    print(f"ratio SymPE / baseline (wall): {w / base_w:.2f}; all walls: {', '.join(f'{x:.1f}' for x in walls)}")
    n_classes, p, dmax = quality.split()
    print(f"draws: {n_classes} classes, χ² p {float(p):.3f}, max RMS distance to a training prism {float(dmax):.4f}")


if __name__ == "__main__":
    main()
