"""Scale on one machine (issue 16, deliverable 5): a 100,000-atom crystal through
``detect --no-ladder`` and 10,000 small files through ``detect --jobs 2 --jsonl``, whole
process, with the peak resident memory of the process tree.

    python benchmarks/scale.py [--quick]     # or through benchmarks/run.py

Baselines (same run): a bare ase.io.read + spglib script on the same crystal, and a plain
serial ase + spglib loop over the same files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PEAK = """
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, r.ru_maxrss / 1024)
"""


def measured(cmd: list[str]) -> tuple[float, float]:
    """(wall s, peak RSS MB of the largest process in the tree) of one run."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", PEAK, *cmd], capture_output=True, text=True, env=env, cwd=REPO).stdout
    wall, mb = out.split()
    return float(wall), float(mb)


def crystal(path: Path, reps: int) -> int:
    from ase.build import bulk
    from ase.io import write

    a = bulk("NaCl", "rocksalt", a=5.64, cubic=True).repeat((reps, reps, reps))
    write(path, a, format="vasp", direct=True)
    return len(a)


def small_files(d: Path, n: int) -> None:
    text = (REPO / "sample_data" / "BaTiO3_P4mm.cif").read_text()
    for i in range(n):
        (d / f"BaTiO3_{i:05d}.cif").write_text(text)


def bench(quick: bool) -> list:
    from _row import Row

    from detect import BARE

    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "POSCAR_big"
        n = crystal(p, 10 if quick else 23)
        base_t, base_mb = measured([py, "-c", BARE, str(p)])
        ours_t, ours_mb = measured([py, "-m", "symbreak_cli", "detect", str(p), "--no-ladder", "--json", "--no-operations", "-q"])
        rows.append(Row("scale", f"{n}-atom crystal, detect --no-ladder", "ase.io.read + spglib script", [ours_t], [base_t],
                        note=f"peak RSS {ours_mb:.0f} MB vs {base_mb:.0f} MB"))
        d = Path(tmp) / "many"
        d.mkdir()
        nf = 500 if quick else 10000
        small_files(d, nf)
        base_t, base_mb = measured([py, "-c", BARE, str(d)])
        ours_t, ours_mb = measured([py, "-m", "symbreak_cli", "detect", str(d), "--no-ladder", "--jsonl", "--jobs", "2", "-q",
                                    "--no-operations"])
        rows.append(Row("scale", f"{nf} CIFs, detect --jobs 2 --jsonl", "plain serial loop", [ours_t], [base_t],
                        note=f"peak RSS {ours_mb:.0f} MB (largest process) vs {base_mb:.0f} MB"))
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for r in bench("--quick" in sys.argv):
        print(f"{r.case:45s} ours {r.ours[0]:8.2f} s  base {r.base[0]:8.2f} s  ratio {r.ratio:5.2f}  {r.note}")
