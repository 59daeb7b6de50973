"""Character-table generation time: all 32 crystallographic point groups plus Ih.

Prints one row per group (build from generators, table cold, table cached) and the
totals. Target (issue 3): all 33 tables in < 1 s total. Run:

    python benchmarks/groups.py
"""

from __future__ import annotations

import time

GROUPS = ["C1", "Ci", "C2", "Cs", "C2h", "D2", "C2v", "D2h", "C4", "S4", "C4h", "D4", "C4v", "D2d", "D4h",
          "C3", "S6", "D3", "C3v", "D3d", "C6", "C3h", "C6h", "D6", "C6v", "D3h", "D6h", "T", "Th", "O",
          "Td", "Oh", "Ih"]


def _spgrep_point_groups() -> dict[str, object]:
    """Schoenflies name -> integer rotations of one space group of that point group (spglib's database)."""
    import numpy as np
    import spglib

    out = {}
    for hall in range(1, 531):
        t = spglib.get_spacegroup_type(hall)
        name = t.schoenflies.split("^")[0]
        if name not in out:
            rots = spglib.get_symmetry_from_database(hall)["rotations"]
            out[name] = np.unique(rots, axis=0)
    return out


def bench(quick: bool) -> list:
    """Rows for benchmarks/run.py: irreps/characters of the 32 crystallographic point groups, ours
    (PointGroup + character_table, cold caches) against spgrep's point-group irreps from the same groups."""
    from _row import Row, repeat

    from symbreak_cli.groups import PointGroup, character_table

    rots = _spgrep_point_groups()
    names = [g for g in GROUPS if g in rots]
    from spgrep import get_crystallographic_pointgroup_irreps_from_symmetry

    from symbreak_cli.groups._catalogue import named_group

    def ours():
        named_group.cache_clear()  # groups (and the tables cached on them) built afresh each repeat
        for name in names:
            character_table(PointGroup.named(name))

    def theirs():
        for name in names:
            get_crystallographic_pointgroup_irreps_from_symmetry(rots[name])

    n = 1 if quick else 5
    return [Row("groups", f"{len(names)} point groups: irreps + characters", "spgrep irreps", repeat(ours, n), repeat(theirs, n),
                note="cold: groups rebuilt each repeat")]


def main() -> None:
    from symbreak_cli.groups import character_table
    from symbreak_cli.groups import PointGroup

    print(f"{'group':6s} {'order':>5s} {'build ms':>9s} {'table ms':>9s} {'cached µs':>10s}")
    tb = tt = 0.0
    for name in GROUPS:
        t0 = time.perf_counter()
        G = PointGroup.named(name)
        t1 = time.perf_counter()
        character_table(G)
        t2 = time.perf_counter()
        character_table(G)
        t3 = time.perf_counter()
        tb, tt = tb + t1 - t0, tt + t2 - t1
        print(f"{name:6s} {G.order:5d} {1e3 * (t1 - t0):9.2f} {1e3 * (t2 - t1):9.2f} {1e6 * (t3 - t2):10.1f}")
    print(f"total: build {tb:.3f} s, tables {tt:.3f} s, together {tb + tt:.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
