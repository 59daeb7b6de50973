"""Cost of the symmetry-mode decomposition (`detect CHILD --parent PARENT`), whole process
and in process, against an optional baseline checkout measured in the same run.

Cases (files written once to a temporary directory, read by every command):

* CaTiO3 Pbnm, 20 atoms (Yamanaka et al. 2002, as in tests/symmetry/test_modes.py) against
  its 5-atom cubic parent — target < 1 s whole process;
* a 40-atom 2×2×2 SrTiO3 supercell, tilted (R5- with Sr at the origin) and polar (GM4-)
  plus random 0.02 Å displacements (P1: every irrep at Γ, X, M, R present) — target < 1 s.

Whole process: wall and CPU (user + sys of the child) of `symbreak detect CHILD --no-ladder
--json [--parent PARENT --parent-origin Ti]`, median of --repeat runs after one discarded
warm-up run; bytecode is cached (in a temporary PYTHONPYCACHEPREFIX, as an installed
package has it) even where PYTHONDONTWRITEBYTECODE is set. `--parent` is timed twice: with
the on-disk irreps cache off (SYMBREAK_CACHE_DIR=off: spgrep builds every small irrep, as
on a first run) and with it filled by the warm-up run (every later run against that parent);
each checkout has its own temporary cache directory. The floor is a bare
`python -c "import numpy, spglib"`. In process: CPU seconds of `decompose()` cold (first
call, cache off: irreps built) and warm (mode set cached per parent and supercell), in a
fresh interpreter per checkout. With ``--baseline DIR`` every command is run for DIR (e.g.
an older checkout: ``git worktree add --detach /tmp/base <rev>``) interleaved with this
checkout, and the ratio baseline / this is printed.

On a shared machine wall time drifts by up to 1.6× between minutes (other tenants' load);
the interleaved ratio is steadier than either figure. ``--instructions`` adds the one
figure that does not drift: instructions executed per command (valgrind callgrind, one run
each, ~15 s per command; needs valgrind).

    python benchmarks/modes.py [--repeat 5] [--baseline /path/to/other/checkout] [--instructions]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
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

TARGET_S = 1.0


def _env(root: Path, pycache: Path, cache: Path | str | None = None) -> dict:
    """Environment that imports symbreak_cli from ``root`` (the command also runs there: the
    working directory comes first on sys.path), with the irreps cache in ``cache`` (a
    directory, or "off"; default: a directory beside ``pycache``).
    """
    env = {**os.environ, "PYTHONPATH": str(root), "OMP_NUM_THREADS": "1", "PYTHONPYCACHEPREFIX": str(pycache),
           "PWD": str(root), "SYMBREAK_CACHE_DIR": str(cache if cache is not None else pycache.with_name(pycache.name + "-irreps"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _uncached(env: dict) -> dict:
    return {**env, "SYMBREAK_CACHE_DIR": "off"}


def instructions(cmd: list[str], env: dict) -> float | None:
    """Instructions (10⁹) one run of ``cmd`` executes, by valgrind callgrind; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], env=env,
                         cwd=env["PWD"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    return int(m.group(1)) / 1e9 if m else None


def _once(cmd: list[str], env: dict) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=env["PWD"])
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def run(cmd: list[str], envs: list[dict], repeat: int) -> list[tuple[float, float]]:
    """(median wall s, median CPU s) per environment, the runs interleaved."""
    for env in envs:
        _once(cmd, env)  # warm-up: bytecode written, file cache filled
    samples: list[list[tuple[float, float]]] = [[] for _ in envs]
    for _ in range(repeat):
        for i, env in enumerate(envs):
            samples[i].append(_once(cmd, env))
    return [(statistics.median(w for w, _ in s), statistics.median(c for _, c in s)) for s in samples]


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
    rng = np.random.default_rng(0)

    def projected(label):  # a field of that irrep: independent of the basis chosen for its copies
        b = ms.block(label)
        V = b.vectors.reshape(b.n_modes, -1)
        x = V.T @ (V @ rng.normal(size=V.shape[1]))
        return (x / np.linalg.norm(x)).reshape(-1, 3)

    u = 0.15 * projected("R5-") + 0.1 * projected("GM4-") + rng.normal(scale=0.02, size=(ms.cell.n_atoms, 3))
    c = ms.cell
    big = Cell(c.lattice, c.positions + u, c.numbers, c.symbols, True, source="SrTiO3_2x2x2")
    write_structure(big, tmp / "SrTiO3_2x2x2_P1.cif", force=True)
    return [("CaTiO3 Pbnm, 20 atoms", tmp / "CaTiO3_Pbnm.cif", tmp / "CaTiO3_Pm-3m.cif"),
            ("SrTiO3 2×2×2 P1, 40 atoms", tmp / "SrTiO3_2x2x2_P1.cif", REPO / "sample_data" / "SrTiO3_Pm-3m.cif")]


_IN_PROCESS = """
import json, statistics, sys, time
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.modes import decompose
c, p, repeat = read_structures(sys.argv[1])[0], read_structures(sys.argv[2])[0], int(sys.argv[3])
import spgrep, spgrep.rep.pir, numpy.random, numpy.ma  # imports are not the decomposition's cost
t0 = time.process_time()  # CPU: steadier than wall on a shared machine
d = decompose(p, c, origin="Ti")
cold = time.process_time() - t0
warm = []
for _ in range(repeat):
    t0 = time.process_time()
    decompose(p, c, origin="Ti")
    warm.append(time.process_time() - t0)
print(json.dumps([cold, statistics.median(warm), sum(1 for r in d.irreps if r.share > 1e-6)]))
"""


def in_process(child: Path, parent: Path, env: dict, repeat: int) -> tuple[float, float, int]:
    out = subprocess.run([sys.executable, "-c", _IN_PROCESS, str(child), str(parent), str(repeat)], check=True,
                         capture_output=True, text=True, env=_uncached(env), cwd=env["PWD"]).stdout
    cold, warm, n = json.loads(out.strip().splitlines()[-1])
    return cold, warm, n


def bench(quick: bool) -> list:
    """Rows for benchmarks/run.py: whole-process `detect --parent` (ours) against the same
    `detect` without a parent (baseline: the start-up and plain analysis it must add to).
    """
    from _row import Row

    repeat = 1 if quick else 3
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(REPO, Path(tmp) / "pycache")
        for name, child, parent in cases(Path(tmp))[: 1 if quick else 2]:
            detect = [sys.executable, "-m", "symbreak_cli", "detect", str(child), "--no-ladder", "--json"]
            modes = detect + ["--parent", str(parent), "--parent-origin", "Ti"]
            for cmd in (detect, modes):
                _once(cmd, env)  # warm-up
            base = [_once(detect, env)[0] for _ in range(repeat)]
            ours = [_once(modes, env)[0] for _ in range(repeat)]
            rows.append(Row("modes", f"{name}: detect --parent", "detect, no parent", ours, base,
                            note=f"target < {TARGET_S:g} s whole process; irreps cached by the warm-up run"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--baseline", type=Path, default=None, help="another checkout, measured interleaved")
    ap.add_argument("--instructions", action="store_true", help="also count instructions per command (valgrind)")
    args = ap.parse_args()
    py = [sys.executable]
    roots = [REPO] + ([args.baseline.resolve()] if args.baseline else [])
    names = ["this"] + (["baseline"] if args.baseline else [])
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; checkouts: "
          + ", ".join(f"{n} = {r}" for n, r in zip(names, roots)))
    with tempfile.TemporaryDirectory() as tmp:
        envs = [_env(r, Path(tmp) / f"pycache{i}") for i, r in enumerate(roots)]
        for name, env in zip(names, envs):  # each checkout imports its own package
            where = subprocess.run(py + ["-c", "import symbreak_cli; print(symbreak_cli.__file__)"], check=True, env=env,
                                   cwd=env["PWD"], capture_output=True, text=True).stdout.strip()
            print(f"{name}: symbreak_cli from {where}")
        floor = run(py + ["-c", "import numpy, spglib"], envs[:1], args.repeat)[0]
        head = "".join(f" {n + ' wall':>14s} {n + ' cpu':>13s}" for n in names)
        print(f"\n{'whole process, median s':50s}{head}{'  base/this wall' if args.baseline else ''}")
        print(f"{'python -c import numpy, spglib (floor)':50s} {floor[0]:14.3f} {floor[1]:13.3f}")
        verdicts = []
        counted = []
        written = cases(Path(tmp))
        for name, child, parent in written:
            detect = py + ["-m", "symbreak_cli", "detect", str(child), "--no-ladder", "--json"]
            modes = detect + ["--parent", str(parent), "--parent-origin", "Ti"]
            for what, cmd, how in (("detect (no parent)", detect, None),
                                   ("detect --parent, irreps not cached", modes, _uncached),
                                   ("detect --parent, irreps cached", modes, None)):
                run_envs = [how(e) if how else e for e in envs]
                res = run(cmd, run_envs, args.repeat)
                cells = "".join(f" {w:14.3f} {c:13.3f}" for w, c in res)
                ratio = f" {res[1][0] / res[0][0]:16.2f}" if args.baseline else ""
                print(f"{name + ': ' + what:50s}{cells}{ratio}")
                if "--parent" in what:
                    verdicts.append((f"{name}, {what.split(', ')[1]}", res[0]))
                if args.instructions:
                    counted.append((f"{name}: {what}", [instructions(cmd, e) for e in run_envs]))
        if counted:
            print(f"\n{'instructions per run, 10⁹ (valgrind)':50s}" + "".join(f" {n:>14s}" for n in names)
                  + ("  base/this" if args.baseline else ""))
            print(f"{'python -c import numpy, spglib (floor)':50s} "
                  f"{instructions(py + ['-c', 'import numpy, spglib'], envs[0]) or float('nan'):14.3f}")
            for what, counts in counted:
                cells = "".join(f" {c:14.3f}" if c is not None else f" {'n/a':>14s}" for c in counts)
                ratio = f" {counts[1] / counts[0]:10.2f}" if args.baseline and None not in counts else ""
                print(f"{what:50s}{cells}{ratio}")
        print(f"\n{'decompose() in process, CPU s (cache off)':50s}"
              + "".join(f" {n + ' cold':>14s} {n + ' warm':>13s}" for n in names) + f" {'irreps':>7s}")
        for name, child, parent in written:
            res = [in_process(child, parent, env, args.repeat) for env in envs]
            print(f"{name:50s}" + "".join(f" {c:14.3f} {w:13.3f}" for c, w, _ in res) + f" {res[0][2]:7d}")
        print(f"\nload average at end: {os.getloadavg()[0]:.1f}")
        for name, (wall, cpu) in verdicts:
            ok = "meets" if wall < TARGET_S else "misses"
            print(f"target: {name}, detect --parent whole process {wall:.3f} s wall ({cpu:.3f} s CPU) {ok} < {TARGET_S:g} s")


if __name__ == "__main__":
    main()
