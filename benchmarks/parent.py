"""Cost of the group–subgroup analysis (`detect --parent`), whole process and in process.

Prints wall times (median of --repeat runs) of `symbreak detect` on the sample BaTiO3 pair
with and without --parent / --parent-group, the ratio to plain `detect`, and the
in-process time of :func:`symbreak_cli.symmetry.parent.parent_analysis` per pair
(groups and tables warm). Target: the whole BaTiO3 --parent run < 1.5 s.

    python benchmarks/parent.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
S = REPO / "sample_data"


from detect import wall  # noqa: E402  (benchmarks/ is on sys.path when run as a script)


def in_process(child: str, parent: str, repeat: int) -> tuple[float, float]:
    from symbreak_cli.io.structures import read_structures
    from symbreak_cli.symmetry.parent import parent_analysis

    c, p = read_structures(str(S / child))[0], read_structures(str(S / parent))[0]
    t0 = time.perf_counter()
    parent_analysis(c, p)
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        parent_analysis(c, p)
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times)


def bench(quick: bool) -> list:
    """Rows for benchmarks/run.py: whole-process detect with --parent / --parent-group vs plain detect."""
    from _row import Row
    from detect import runs

    rep = 1 if quick else 5
    cmd = [sys.executable, "-m", "symbreak_cli", "detect", str(S / "BaTiO3_P4mm.cif"), "--no-ladder"]
    plain = runs(cmd, rep)[0]
    return [Row("parent", "detect --parent BaTiO3 Pm-3m", "plain detect", runs(cmd + ["--parent", str(S / "BaTiO3_Pm-3m.cif")], rep)[0], plain),
            Row("parent", "detect --parent-group Pm-3m", "plain detect", runs(cmd + ["--parent-group", "Pm-3m"], rep)[0], plain)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "symbreak_cli", "detect", str(S / "BaTiO3_P4mm.cif")]
    plain = wall(cmd, args.repeat)
    rows = [
        ("detect (default, ladder)", plain),
        ("detect --parent Pm-3m file", wall(cmd + ["--parent", str(S / "BaTiO3_Pm-3m.cif")], args.repeat)),
        ("detect --parent … --json", wall(cmd + ["--parent", str(S / "BaTiO3_Pm-3m.cif"), "--json"], args.repeat)),
        ("detect --parent-group Pm-3m", wall(cmd + ["--parent-group", "Pm-3m"], args.repeat)),
        ("detect --parent … --lmax 12", wall(cmd + ["--parent", str(S / "BaTiO3_Pm-3m.cif"), "--lmax", "12"], args.repeat)),
    ]
    print(f"{'whole process (BaTiO3 P4mm)':36s} {'wall s':>8s} {'vs plain':>9s}")
    for name, t in rows:
        print(f"{name:36s} {t:8.3f} {t / plain:9.2f}")
    print(f"\n{'parent_analysis in process':36s} {'first s':>8s} {'warm s':>9s}")
    for child, parent in [("BaTiO3_P4mm.cif", "BaTiO3_Pm-3m.cif"), ("SrTiO3_I4mcm.cif", "SrTiO3_Pm-3m.cif"),
                          ("perovskite_a0a0c+_P4mbm.cif", "SrTiO3_Pm-3m.cif")]:
        first, warm = in_process(child, parent, args.repeat)
        print(f"{child + ' / ' + parent.split('_')[0]:36s} {first:8.3f} {warm:9.3f}")


if __name__ == "__main__":
    main()
