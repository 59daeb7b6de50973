"""Molecule point groups: right and fast, against libmsym (pymsym) measured in the same run.

Prints (1) agreement on the test corpus (tests/symmetry/_molecule_corpus.py, ≥ 400
molecules): each search against the judge — the construction's group for symmetric
clusters, else the independent brute-force search (tests/symmetry/_molecule_oracle.py,
molecules ≤ 40 atoms) — and ours against libmsym; (2) per-molecule time, median and max;
(3) the default tolerance ladder (10 steps, 1e-5…0.5 Å) on biphenyl (22 atoms); (4) a
2057-atom Ih Cu cluster (1e-4 Å noise), whole process: `python -m symbreak_cli detect
cluster.xyz` against a bare `ase.io.read` + libmsym script. Times are medians of --repeat.

    python benchmarks/molecules.py [--repeat 3]
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
sys.path.insert(0, str(REPO / "tests" / "symmetry"))
MSYM_NAMES = {"Dinfh": "D∞h", "Cinfv": "C∞v"}
BARE = """
import sys, ase.io, pymsym
a = ase.io.read(sys.argv[1])
print(pymsym.get_point_group(a.numbers.tolist(), a.positions.tolist()))
"""


def timed(f, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def wall(cmd: list[str], repeat: int) -> float:
    return timed(lambda: subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}), repeat)[0]


def ours(numbers, pos, tol=0.01) -> str:
    from symbreak_cli.errors import SymmetryError
    from symbreak_cli.symmetry.molecule import molecule_point_group

    try:
        return molecule_point_group(pos, numbers, tol).schoenflies
    except SymmetryError as err:
        return f"error: {err}"


def libmsym(numbers, pos) -> str:
    import pymsym

    g = pymsym.get_point_group(np.asarray(numbers).tolist(), np.asarray(pos).tolist())
    return MSYM_NAMES.get(g, g)


def corpus_table(repeat: int) -> None:
    from _molecule_corpus import corpus
    from _molecule_oracle import brute_force_point_group

    entries = corpus()
    rows = []
    for name, src, num, pos, truth in entries:
        t_ours, g = timed(lambda n=num, p=pos: ours(n, p), repeat)
        t_ms, m = timed(lambda n=num, p=pos: libmsym(n, p), repeat)
        judge = truth or (brute_force_point_group(pos, num, 0.01) if len(num) <= 40 else None)
        rows.append((name, src, len(num), g, m, judge, t_ours, t_ms))
    judged = [r for r in rows if r[5] is not None]
    ok_ours = sum(r[3] == r[5] for r in judged)
    ok_ms = sum(r[4] == r[5] for r in judged)
    agree = sum(r[3] == r[4] for r in rows)
    print(f"corpus: {len(rows)} molecules, {len(judged)} judged (construction or brute force at 0.01 Å)")
    print(f"  ours right     {ok_ours}/{len(judged)} = {100 * ok_ours / len(judged):.1f} %")
    print(f"  libmsym right  {ok_ms}/{len(judged)} = {100 * ok_ms / len(judged):.1f} %  (default thresholds)")
    print(f"  ours = libmsym {agree}/{len(rows)} = {100 * agree / len(rows):.1f} %")
    for subset, keep in (("real molecules", lambda r: "orbit" not in r[0]), ("exact clusters", lambda r: "noise 0 " in r[0]),
                         ("clusters, 1e-3 Å noise", lambda r: "noise 0.001" in r[0])):
        sub = [r for r in judged if keep(r)]
        print(f"    {subset:24s} ours {sum(r[3] == r[5] for r in sub)}/{len(sub)}, libmsym {sum(r[4] == r[5] for r in sub)}/{len(sub)}")
    wrong = [r[:6] for r in judged if r[3] != r[5]]
    if wrong:
        print("  ours wrong:", wrong)
    t_o = [r[6] for r in rows]
    t_m = [r[7] for r in rows]
    print(f"  time per molecule: ours median {1e3 * statistics.median(t_o):.1f} ms, max {1e3 * max(t_o):.0f} ms; "
          f"libmsym median {1e3 * statistics.median(t_m):.2f} ms, max {1e3 * max(t_m):.0f} ms; "
          f"ratio of medians {statistics.median(t_o) / statistics.median(t_m):.1f}×")


def ladder_row(repeat: int) -> None:
    from ase.build import molecule

    from symbreak_cli.io.structures import _from_ase
    from symbreak_cli.symmetry.detect import molecule_ladder

    a = molecule("biphenyl")
    cell = _from_ase(a, "biphenyl", "", True)
    t_ladder, steps = timed(lambda: molecule_ladder(cell, np.geomspace(1e-5, 0.5, 10)), repeat)
    t_ms, _ = timed(lambda: libmsym(a.numbers, a.positions), repeat)
    print(f"ladder, biphenyl ({len(a)} atoms, 10 steps 1e-5…0.5 Å): {t_ladder:.3f} s "
          f"({t_ladder / t_ms:.0f}× one libmsym call, {t_ms * 1e3:.1f} ms); groups {[s.group for s in steps]}")


def cluster_row(repeat: int) -> None:
    import ase.io
    from ase.cluster import Icosahedron

    at = Icosahedron("Cu", 9)
    at.positions += np.random.default_rng(1).normal(0, 1e-4, at.positions.shape)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cluster.xyz"
        ase.io.write(path, at)
        t_cli = wall([sys.executable, "-m", "symbreak_cli", "detect", str(path)], repeat)
        t_nolad = wall([sys.executable, "-m", "symbreak_cli", "detect", "--no-ladder", str(path)], repeat)
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE)
        t_bare = wall([sys.executable, str(bare), str(path)], repeat)
    print(f"cluster, {len(at)} atoms Ih, whole process: detect {t_cli:.2f} s (with the 10-step ladder), "
          f"--no-ladder {t_nolad:.2f} s; ase.io + libmsym {t_bare:.2f} s; ratios {t_cli / t_bare:.1f}×, {t_nolad / t_bare:.1f}×")


def bench(quick: bool) -> list:
    """Rows for benchmarks/run.py: point groups of the molecule corpus, ours vs libmsym (pymsym), in process."""
    from _molecule_corpus import corpus
    from _row import Row, repeat

    mols = [(np.asarray(m[2]), np.asarray(m[3])) for m in corpus()]  # (name, source, numbers, positions, answer)
    mols = mols[:40] if quick else mols
    n = 1 if quick else 3
    return [Row("molecules", f"{len(mols)} corpus molecules", "libmsym (pymsym)",
                repeat(lambda: [ours(z, x) for z, x in mols], n), repeat(lambda: [libmsym(z, x) for z, x in mols], n))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    corpus_table(1)
    ladder_row(args.repeat)
    cluster_row(args.repeat)


if __name__ == "__main__":
    main()
