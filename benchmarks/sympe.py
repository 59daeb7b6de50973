"""SymPE speed target (issue 15): train on the cube set and draw 300 samples, whole process.

    python benchmarks/sympe.py [--repeats 3] [--threads 2]

Each repeat runs two fresh processes: ``symbreak train-relaxed cube_to_prisms.h5 --sympe``
(default options: ``--restarts 8``, the SymPE default) and the sampling workflow (300
draws for the cube from that run, xyz files and samples.json written); and, interleaved,
the same with ``--restarts 1`` (one seed: what the restarts cost). Baseline in the same
session: the plain relaxed e3nn run on ``cube_to_prism.h5`` (default options), one fresh
process. Prints medians of wall time and of the children's CPU time (user + sys), the
ratios, the load, whether the 60 s target holds, and the quality of the draws (classes,
χ² p, largest distance to a training prism, restarts agreeing).
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
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run(py + ["-m", "symbreak_cli", "sample-data", str(tmp / "d")], env=env, check=True, capture_output=True)
        cube = tmp / "cube.xyz"
        cube.write_text("8\ncube\n" + "".join(f"C {x} {y} {z}\n" for x in (-0.5, 0.5) for y in (-0.5, 0.5) for z in (-0.5, 0.5)))
        base_w, base_c, _ = timed(py + ["-m", "symbreak_cli", "train-relaxed", str(tmp / "d" / "cube_to_prism.h5"),
                                        "--out", str(tmp / "base"), "--force", "--quiet"], env)
        cases = {"default": [], "one": []}
        for k in range(args.repeats):
            for case, extra in (("default", []), ("one", ["--restarts", "1"])):
                run = tmp / f"{case}{k}"
                w1, c1, _ = timed(py + ["-m", "symbreak_cli", "train-relaxed", str(tmp / "d" / "cube_to_prisms.h5"),
                                        "--sympe", *extra, "--out", str(run), "--force", "--quiet", "--json"], env)
                w2, c2, quality = timed(py + ["-c", SAMPLE, str(cube), str(run), str(tmp / f"draws{case}{k}")], env)
                cases[case].append((w1 + w2, c1 + c2))
                load.append(os.getloadavg()[0])
                if case == "default":
                    doc = json.loads((run / "report.json").read_text())
                    epochs, restarts, draws = doc["models"][0]["epochs_run"], doc["restarts"], quality
    med = {c: (statistics.median(w for w, _ in v), statistics.median(x for _, x in v)) for c, v in cases.items()}
    (w, c), (w1, c1) = med["default"], med["one"]
    print(f"load average (1 min) during the run: {min(load):.2f}–{max(load):.2f}; {args.threads} threads; "
          f"{args.repeats} repeats")
    print(f"{'case':52s} {'wall s':>8s} {'CPU s':>8s}")
    print(f"{'train --sympe (cube set, --restarts ' + str(restarts['n']) + ') + 300 draws':52s} {w:8.1f} {c:8.1f}   "
          f"({epochs} epochs)")
    print(f"{'same, --restarts 1':52s} {w1:8.1f} {c1:8.1f}")
    print(f"{'baseline: train-relaxed cube_to_prism.h5 (e3nn)':52s} {base_w:8.1f} {base_c:8.1f}")
    print(f"ratio default / --restarts 1: wall {w / w1:.2f}, CPU {c / c1:.2f}; default / e3nn baseline: wall "
          f"{w / base_w:.2f}")
    print(f"all walls (default): {', '.join(f'{x:.1f}' for x, _ in cases['default'])}")
    print(f"target: {w:.1f} s wall {'≤' if w <= TARGET_S else '>'} {TARGET_S:.0f} s: {'holds' if w <= TARGET_S else 'MISSED'}"
          f" (CPU {c:.1f} s; wall under load is inflated)")
    n_classes, p, dmax = draws.split()
    print(f"draws: {n_classes} classes, χ² p {float(p):.3f}, max RMS distance to a training prism {float(dmax):.4f}; "
          f"restarts: {restarts['summary']}")


if __name__ == "__main__":
    main()
