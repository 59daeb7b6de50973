"""``symbreak break`` speed, whole process, against a bare baseline measured in the same run.

Cases (each the median of ``--repeat`` fresh processes, wall and CPU time; on a shared,
loaded machine the CPU time of the process is the steadier number):

* SrTiO3 Pm-3m → I4/mcm along R4+ (0,0,a), Ti at the origin: all 6 domains (3 orientational ×
  2 translational) built, re-detected and written as CIF — the target is < 2 s;
* BaTiO3 Pm-3m → P4mm (``--to``, k = 0), all 6 domains;
* SF6 Oh → C4v, all 6 domains as xyz.

Baseline: a bare script doing the unavoidable part of the I4/mcm job by hand — read the
CIF (ase), build the 2×2×2 supercell, displace the O atoms by a fixed a⁰a⁰c⁻ tilt pattern,
run spglib on each of 6 structures and write 6 CIFs (ase). The in-process split says where
the I4/mcm time goes (the modes helper's ``distortion`` vs. our domains and re-detection).

    python benchmarks/break_.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

BARE = """
import sys, numpy as np, ase.io, spglib
a = ase.io.read("sample_data/SrTiO3_Pm-3m.cif") * (2, 2, 2)
x = a.get_positions()
c = a.cell.lengths()[0] / 2
for k in range(6):  # 6 antiphase/orientational variants of an a0a0c- tilt, by hand
    b = a.copy()
    u = np.zeros_like(x)
    o = np.array([s == "O" for s in a.get_chemical_symbols()])
    cellidx = np.floor(x / c + 1e-6).astype(int).sum(axis=1) % 2
    u[o, (k % 3)] = 0.02 * (2 * cellidx[o] - 1) * ((-1) ** (k // 3))
    b.set_positions(x + u)
    spglib.get_symmetry_dataset((b.cell.array, b.get_scaled_positions(), b.numbers), symprec=1e-3)
    ase.io.write(f"{sys.argv[1]}/bare_{k}.cif", b)
"""

CASES = {
    "I4/mcm (R4+ 0,0,a)": ["sample_data/SrTiO3_Pm-3m.cif", "--irrep", "R4+", "--direction", "0,0,a", "--origin", "Ti"],
    "P4mm (--to, k=0)": ["sample_data/BaTiO3_Pm-3m.cif", "--to", "P4mm"],
    "SF6 → C4v": ["sample_data/SF6.xyz", "--to", "C4v"],
}


def run(cmd: list[str], repeat: int) -> tuple[float, float]:
    """(median wall s, median CPU s) of ``cmd`` in fresh processes."""
    walls, cpus = [], []
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            p = subprocess.run([*cmd, out] if cmd[-1] == "--out" else cmd + [out], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env, cwd=REPO, text=True)
            walls.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if p.returncode:
                raise SystemExit(f"{' '.join(cmd)} failed: {p.stderr.strip()}")
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def split() -> dict[str, float]:
    """Where the I4/mcm time goes, in this process (modes helper vs. break's own work): CPU s."""
    os.environ["OMP_NUM_THREADS"] = "1"  # before numpy: one thread, as in the measured processes
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    from symbreak_cli.io.structures import read_structures
    from symbreak_cli.symmetry import breaking, irreps

    cell = read_structures("sample_data/SrTiO3_Pm-3m.cif")[0]
    t0 = time.process_time()
    irreps.distortion(cell, "R4+", (0, 0, 1), 0.1, origin="Ti")
    t1 = time.process_time()
    breaking.break_along_irrep(cell, "R4+", "0,0,a", 0.1, origin="Ti")  # the mode set is cached now
    t2 = time.process_time()
    return {"modes helper: distortion (mode set, first call)": t1 - t0, "break: domains, object, re-detection": t2 - t1}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    base_wall, base_cpu = run([sys.executable, "-c", BARE], args.repeat)
    print(f"{'case':<24} {'wall s':>8} {'cpu s':>8} {'wall / bare':>12}")
    print(f"{'bare ase+spglib (6×)':<24} {base_wall:8.3f} {base_cpu:8.3f} {1.0:12.2f}")
    for name, argv in CASES.items():
        wall, cpu = run([sys.executable, "-m", "symbreak_cli", "break", *argv, "--json", "--force", "--out"], args.repeat)
        print(f"{name:<24} {wall:8.3f} {cpu:8.3f} {wall / base_wall:12.2f}")
    print()
    for k, v in split().items():
        print(f"  {k:<52} {v:6.3f} CPU s")


if __name__ == "__main__":
    main()
