"""Pseudo-symmetry search speed (``detect --pseudo``), measured in one run.

Prints medians over ``--repeat`` runs (wall and CPU seconds of the process tree) of

* the whole process ``symbreak detect CHILD --pseudo --json --no-ladder`` against the
  same command without ``--pseudo`` (the baseline: reading, spglib, the report), on the
  20-atom Pnma CaTiO3 of tests/data (target: < 5 s whole-process) and the 5-atom P4mm
  BaTiO3 sample;
* the search alone in-process (``symmetry.pseudo.pseudo_search``), with the number of
  supergroup settings it examined and the candidates it kept.

    python benchmarks/pseudo.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = {"CaTiO3 Pnma (20 atoms)": REPO / "tests" / "data" / "CaTiO3_Pbnm_AMCSD0002890.cif",
         "BaTiO3 P4mm (5 atoms)": REPO / "sample_data" / "BaTiO3_P4mm.cif"}


def run(cmd: list[str], repeat: int) -> tuple[float, float]:
    """(median wall s, median CPU s of the process tree) over ``repeat`` runs."""
    walls, cpus = [], []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO, check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from symbreak_cli.io.structures import read_structures
    from symbreak_cli.symmetry.pseudo import pseudo_search

    base = [sys.executable, "-m", "symbreak_cli", "detect", "--json", "--no-ladder"]
    print(f"{'case':24s} {'--pseudo wall':>14s} {'baseline wall':>14s} {'ratio':>6s} {'--pseudo CPU':>13s} "
          f"{'search in-process':>18s} {'examined':>9s} {'candidates':>10s}")
    for name, path in CASES.items():
        w1, c1 = run([*base, str(path), "--pseudo"], args.repeat)
        w0, _ = run([*base, str(path)], args.repeat)
        cell = read_structures(str(path))[0]
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            s = pseudo_search(cell)
            times.append(time.perf_counter() - t0)
        print(f"{name:24s} {w1:13.2f}s {w0:13.2f}s {w1 / w0:6.2f} {c1:12.2f}s {statistics.median(times):17.3f}s "
              f"{s.examined:9d} {len(s.candidates):10d}")


if __name__ == "__main__":
    main()
