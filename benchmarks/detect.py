"""Detection speed against plain ase.io.read + spglib, measured in one process run.

Prints a table of ratios (ours / baseline), each the best of ``--repeat`` runs, as wall
time and as CPU time (user + sys of the process and its workers: on a shared, loaded
machine the CPU time is the steadier number; the wall time is what ``--jobs`` buys):

* one CIF, whole process: ``symbreak detect --json --no-ladder`` vs a bare script doing
  ``ase.io.read`` + ``spglib.get_symmetry_dataset``;
* a directory (``--suite DIR``, e.g. spglib's ``test/functional/python/data`` POSCARs, or
  ``--n`` generated perturbed BaTiO3 CIFs) through ``--jobs 1`` and ``--jobs 2`` vs a
  plain serial loop, and ``--jobs 2`` vs ``--jobs 1``;
* the size of the batch's JSON: ``--json``, ``--json --no-operations``, ``--jsonl``.

    python benchmarks/detect.py [--suite DIR | --n 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BARE = """
import os, sys, ase.io, spglib
paths = sys.argv[1:]
if len(paths) == 1 and os.path.isdir(paths[0]):
    paths = [os.path.join(paths[0], n) for n in sorted(os.listdir(paths[0]))]
for p in paths:
    try:
        a = ase.io.read(p, format="vasp" if "POSCAR" in os.path.basename(p) else None)
    except Exception:
        continue
    spglib.get_symmetry_dataset((a.cell.array, a.get_scaled_positions(), a.numbers), symprec=1e-3)
"""


CODE = REPO  # the checkout whose symbreak is measured (--code: e.g. another branch, for a baseline)


def run(cmd: list[str], repeat: int, out: str | None = None) -> tuple[float, float]:
    """(best wall s, best CPU s of the process tree) over ``repeat`` runs."""
    walls, cpus = runs(cmd, repeat, out)
    return min(walls), min(cpus)


def runs(cmd: list[str], repeat: int, out: str | None = None) -> tuple[list[float], list[float]]:
    """(wall s, CPU s of the process tree) of each of ``repeat`` runs."""
    walls, cpus = [], []
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with open(out or os.devnull, "w") as fh:
            subprocess.run(cmd, stdout=fh, stderr=subprocess.DEVNULL, env=env, cwd=CODE)  # -m puts the cwd first on sys.path
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def make_files(directory: Path, n: int) -> None:
    from ase.io import write

    from symbreak_cli.workflows.sample_data import perovskite

    rng = np.random.default_rng(0)
    for i in range(n):
        a = perovskite(3.99, c=4.03, dz=(0.015, -0.024, -0.014, -0.014))
        a.set_positions(a.get_positions() + rng.normal(scale=2e-4, size=(5, 3)))
        write(directory / f"BaTiO3_{i:05d}.cif", a, format="cif")


def wall(cmd: list[str], repeat: int) -> float:
    """Median wall seconds of a command (used by parent.py)."""
    import statistics

    return statistics.median(runs(cmd, repeat)[0])


def bench(quick: bool) -> list:
    """Rows for benchmarks/run.py: one CIF vs the bare script; a batch through --jobs 1/2 vs a
    plain serial ase+spglib loop (wall and CPU), and --jobs 2 vs --jobs 1."""
    from _row import Row

    rep = 1 if quick else 3
    py = sys.executable
    ours = [py, "-m", "symbreak_cli", "detect"]
    cif = str(REPO / "sample_data" / "BaTiO3_P4mm.cif")
    rows = []
    bw, bc = runs([py, "-c", BARE, cif], rep + 2)
    ow, oc = runs([*ours, cif, "--json", "--no-ladder"], rep + 2)
    rows += [Row("detect", "one CIF, whole process (wall)", "ase.io.read + spglib script", ow, bw),
             Row("detect", "one CIF, whole process (CPU)", "ase.io.read + spglib script", oc, bc)]
    with tempfile.TemporaryDirectory() as d:
        n = 40 if quick else 1000
        make_files(Path(d), n)
        bw, bc = runs([py, "-c", BARE, d], rep)
        j1w, j1c = runs([*ours, d, "--json", "--no-ladder", "-q", "--jobs", "1"], rep)
        j2w, j2c = runs([*ours, d, "--json", "--no-ladder", "-q", "--jobs", "2"], rep)
    rows += [Row("detect", f"{n} CIFs --jobs 1 (wall)", "plain serial loop", j1w, bw),
             Row("detect", f"{n} CIFs --jobs 1 (CPU)", "plain serial loop", j1c, bc),
             Row("detect", f"{n} CIFs --jobs 2 (wall)", "plain serial loop", j2w, bw),
             Row("detect", f"{n} CIFs --jobs 2 (CPU)", "plain serial loop", j2c, bc),
             Row("detect", f"{n} CIFs --jobs 2 (wall)", "--jobs 1", j2w, j1w,
                 note=f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", help="directory of structure files (default: --n generated CIFs)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--code", default=str(REPO), help="checkout to measure (default: this one)")
    args = ap.parse_args()
    global CODE
    CODE = Path(args.code)
    py = sys.executable
    ours = [py, "-m", "symbreak_cli", "detect"]
    cif = str(REPO / "sample_data" / "BaTiO3_P4mm.cif")
    rows = [("one CIF, whole process", run([py, "-c", BARE, cif], args.repeat),
             run([*ours, cif, "--json", "--no-ladder"], args.repeat))]
    with tempfile.TemporaryDirectory() as tmp:
        d = args.suite
        if d is None:
            d = tmp
            make_files(Path(d), args.n)
        n = len(os.listdir(d))
        base = run([py, "-c", BARE, d], args.repeat)
        j1 = run([*ours, d, "--json", "--no-ladder", "-q", "--jobs", "1"], args.repeat, out=os.path.join(tmp, "j.json"))
        j2 = run([*ours, d, "--json", "--no-ladder", "-q", "--jobs", "2"], args.repeat)
        rows += [(f"{n} files, --jobs 1 vs serial loop", base, j1), (f"{n} files, --jobs 2 vs serial loop", base, j2),
                 (f"{n} files, --jobs 2 vs --jobs 1", j1, j2)]
        run([*ours, d, "--json", "--no-ladder", "-q", "--no-operations"], 1, out=os.path.join(tmp, "n.json"))
        run([*ours, d, "--jsonl", "--no-ladder", "-q"], 1, out=os.path.join(tmp, "l.jsonl"))
        sizes = {name: os.path.getsize(os.path.join(tmp, name)) / 1e6 for name in ("j.json", "n.json", "l.jsonl")}
    print(f"{'case':36s} {'base wall':>9s} {'ours wall':>9s} {'ratio':>6s}   {'base cpu':>8s} {'ours cpu':>8s} {'ratio':>6s}")
    for name, (bw, bc), (ow, oc) in rows:
        print(f"{name:36s} {bw:9.2f} {ow:9.2f} {ow / bw:6.2f}   {bc:8.2f} {oc:8.2f} {oc / bc:6.2f}")
    print(f"JSON of the batch: --json {sizes['j.json']:.2f} MB, --json --no-operations {sizes['n.json']:.2f} MB, "
          f"--jsonl {sizes['l.jsonl']:.2f} MB (0 where the checkout lacks the option)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
