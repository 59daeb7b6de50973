"""Cost of the symmetry-mode decomposition (`detect CHILD --parent PARENT`), whole process
and in process.

Cases (files written to a temporary directory):

* CaTiO3 Pbnm, 20 atoms (Yamanaka et al. 2002, as in tests/symmetry/test_modes.py) against
  its 5-atom cubic parent — target < 1 s whole process;
* a 40-atom 2×2×2 SrTiO3 supercell, tilted a−a−a− (R4+) and polar (GM4-) plus random
  0.02 Å displacements (P1: every irrep at Γ, X, M, R present) — target < 1 s.

Baselines measured in the same run: a bare `python -c "import numpy, spglib"` process
(the start-up floor) and `detect CHILD --no-ladder` without a parent. Wall and CPU time
of the process tree, median of --repeat runs; in-process times are cold (first call:
irreps built) and warm (irreps cached per parent and supercell), CPU seconds.

    python benchmarks/modes.py [--repeat 5]
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

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "symmetry"))


def run(cmd: list[str], repeat: int) -> tuple[float, float]:
    """(median wall s, median CPU s of the child process)."""
    walls, cpus = [], []
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def cases(tmp: Path) -> list[tuple[str, Path, Path]]:
    from test_modes import cato3, cubic_cato3

    from symbreak_cli.io.cell import Cell
    from symbreak_cli.io.structures import read_structures
    from symbreak_cli.io.writers import write_structure
    from symbreak_cli.symmetry import displacement_modes

    child = cato3()
    write_structure(child, tmp / "CaTiO3_Pbnm.cif", force=True)
    write_structure(cubic_cato3(child), tmp / "CaTiO3_Pm-3m.cif", force=True)
    cubic = read_structures(str(REPO / "sample_data" / "SrTiO3_Pm-3m.cif"))[0]
    ms = displacement_modes(cubic, np.diag([2, 2, 2]))
    u = 0.15 * ms.block("R5-").displacement((1, 1, 1)) + 0.1 * ms.block("GM4-").displacement((0, 0, 1))
    u += np.random.default_rng(0).normal(scale=0.02, size=u.shape)
    c = ms.cell
    big = Cell(c.lattice, c.positions + u, c.numbers, c.symbols, True, source="SrTiO3_2x2x2")
    write_structure(big, tmp / "SrTiO3_2x2x2_P1.cif", force=True)
    return [("CaTiO3 Pbnm, 20 atoms", tmp / "CaTiO3_Pbnm.cif", tmp / "CaTiO3_Pm-3m.cif"),
            ("SrTiO3 2×2×2 P1, 40 atoms", tmp / "SrTiO3_2x2x2_P1.cif", REPO / "sample_data" / "SrTiO3_Pm-3m.cif")]


def in_process(child: Path, parent: Path, repeat: int) -> tuple[float, float, int]:
    from symbreak_cli.io.structures import read_structures
    from symbreak_cli.symmetry.irreps import _MODE_SETS
    from symbreak_cli.symmetry.modes import decompose

    c, p = read_structures(str(child))[0], read_structures(str(parent))[0]
    _MODE_SETS.clear()
    t0 = time.process_time()  # CPU: steadier than wall on a shared machine
    d = decompose(p, c)
    cold = time.process_time() - t0
    warm = []
    for _ in range(repeat):
        t0 = time.process_time()
        decompose(p, c)
        warm.append(time.process_time() - t0)
    return cold, statistics.median(warm), sum(1 for r in d.irreps if r.share > 1e-6)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    py = [sys.executable]
    with tempfile.TemporaryDirectory() as tmp:
        floor = run(py + ["-c", "import numpy, spglib"], args.repeat)
        print(f"{'whole process':44s} {'wall s':>7s} {'cpu s':>7s} {'wall/floor':>10s}")
        print(f"{'python -c import numpy, spglib (floor)':44s} {floor[0]:7.3f} {floor[1]:7.3f} {1:10.2f}")
        for name, child, parent in cases(Path(tmp)):
            detect = py + ["-m", "symbreak_cli", "detect", str(child), "--no-ladder", "--json"]
            plain = run(detect, args.repeat)
            modes = run(detect + ["--parent", str(parent), "--parent-origin", "Ti"], args.repeat)
            print(f"{name + ': detect (no parent)':44s} {plain[0]:7.3f} {plain[1]:7.3f} {plain[0] / floor[0]:10.2f}")
            print(f"{name + ': detect --parent (modes)':44s} {modes[0]:7.3f} {modes[1]:7.3f} {modes[0] / floor[0]:10.2f}")
        print(f"\n{'decompose() in process, CPU':44s} {'cold s':>7s} {'warm s':>7s} {'irreps':>10s}")
        for name, child, parent in cases(Path(tmp)):
            cold, warm, n = in_process(child, parent, args.repeat)
            print(f"{name:44s} {cold:7.3f} {warm:7.3f} {n:10d}")


if __name__ == "__main__":
    main()
