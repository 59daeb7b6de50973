"""Detection speed against plain ase.io.read + spglib, measured in one process run.

Prints a table of ratios (ours / baseline): whole-process time of one `symbreak detect
--json --no-ladder` vs a bare Python script doing the same two calls; 1000 perturbed
structure files through `--jobs 1` vs a plain single-process loop; `--jobs 2` vs
`--jobs 1`; and the tolerance ladder's extra cost per structure.

    python benchmarks/detect.py [--n 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BARE = """
import sys, ase.io, spglib
for p in sys.argv[1:]:
    a = ase.io.read(p)
    spglib.get_symmetry_dataset((a.cell.array, a.get_scaled_positions(), a.numbers), symprec=1e-3)
"""


def wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def make_files(directory: Path, n: int) -> list[str]:
    from ase.io import write

    from symbreak_cli.workflows.sample_data import perovskite

    rng = np.random.default_rng(0)
    paths = []
    for i in range(n):
        a = perovskite(3.99, c=4.03, dz=(0.015, -0.024, -0.014, -0.014))
        a.set_positions(a.get_positions() + rng.normal(scale=2e-4, size=(5, 3)))
        p = directory / f"BaTiO3_{i:05d}.cif"
        write(p, a, format="cif")
        paths.append(str(p))
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    py = sys.executable
    cif = str(REPO / "sample_data" / "BaTiO3_P4mm.cif")
    rows = []
    base = wall([py, "-c", BARE, cif], args.repeat)
    ours = wall([py, "-m", "symbreak_cli", "detect", cif, "--json", "--no-ladder"], args.repeat)
    rows.append(("one file, whole process", base, ours, "≤ 1.3"))
    with tempfile.TemporaryDirectory() as d:
        files = make_files(Path(d), args.n)
        base_n = wall([py, "-c", BARE, *files], 3)
        ours_1 = wall([py, "-m", "symbreak_cli", "detect", d, "--json", "--no-ladder", "--jobs", "1"], 3)
        ours_2 = wall([py, "-m", "symbreak_cli", "detect", d, "--json", "--no-ladder", "--jobs", "2"], 3)
        rows.append((f"{args.n} files, --jobs 1", base_n, ours_1, "≤ 1.25"))
        rows.append((f"{args.n} files, --jobs 2 (vs --jobs 1)", ours_1, ours_2, "≤ 0.59 (1.7× faster)"))
        sub = files[:100]
        no_ladder = wall([py, "-m", "symbreak_cli", "detect", *sub, "--json", "--no-ladder"], 1)
        ladder = wall([py, "-m", "symbreak_cli", "detect", *sub, "--json"], 1)
    print(f"{'case':42s} {'baseline s':>11s} {'symbreak s':>11s} {'ratio':>7s}  target")
    for name, b, o, target in rows:
        print(f"{name:42s} {b:11.3f} {o:11.3f} {o / b:7.3f}  {target}")
    print(f"{'ladder (10 tolerances), extra per structure':42s} {'':11s} {(ladder - no_ladder) / len(sub) * 1e3:9.2f} ms")


if __name__ == "__main__":
    main()
