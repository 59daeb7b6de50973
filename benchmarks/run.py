"""Every benchmark in one table: ours against the baseline measured in the same run.

    python benchmarks/run.py [--quick] [--only detect,train] [--json rows.json]

Discovers each ``benchmarks/<topic>.py`` that defines ``bench(quick: bool) -> list[Row]``
(see ``benchmarks/_row.py``; a module without ``bench`` is a stand-alone script and is
skipped), runs them one after the other, and prints one table: topic, case, baseline,
median seconds of each, and ratio = ours / baseline (< 1: ours is faster), with the repeats.
``--quick`` runs small inputs once or twice (CI smoke, ~1–2 min); without it the figures
are those the README quotes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))


def topics() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_") and p.stem != "run")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small inputs, few repeats (CI smoke)")
    ap.add_argument("--only", default="", help="comma-separated topics (default: all)")
    ap.add_argument("--json", help="also write the rows here")
    args = ap.parse_args()
    wanted = [t for t in args.only.split(",") if t] or topics()
    rows, failed = [], []
    for topic in wanted:
        mod = importlib.import_module(topic)
        if not hasattr(mod, "bench"):
            print(f"[{topic}] no bench(quick): stand-alone script, skipped", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        try:
            got = mod.bench(args.quick)
        except Exception:  # one broken benchmark does not hide the others
            failed.append(topic)
            traceback.print_exc()
            continue
        print(f"[{topic}] {len(got)} rows in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        rows += got
    w = max([len(r.case) for r in rows] + [4])
    b = max([len(r.baseline) for r in rows] + [8])
    print(f"{'topic':9s} {'case':{w}s} {'baseline':{b}s} {'base s':>8s} {'ours s':>8s} {'ratio':>6s} {'n':>3s}")
    for r in rows:
        print(f"{r.topic:9s} {r.case:{w}s} {r.baseline:{b}s} {statistics.median(r.base):8.3f} "
              f"{statistics.median(r.ours):8.3f} {r.ratio:6.2f} {len(r.ours):3d}" + (f"  {r.note}" if r.note else ""))
    print(f"\nratio = median ours / median baseline; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
          + (" (--quick)" if args.quick else ""))
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in rows], indent=1))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
