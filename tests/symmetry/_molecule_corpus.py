"""The molecule corpus of the point-group tests and benchmarks/molecules.py (sources in
tests/data/molecules/README.md). Each entry: (name, source, numbers, positions Å,
expected Schoenflies or None when only the brute-force check and libmsym judge it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "data" / "molecules"


def _rot(u, phi):
    u = np.asarray(u, float) / np.linalg.norm(u)
    K = np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    return np.eye(3) + np.sin(phi) * K + (1 - np.cos(phi)) * K @ K


def _sigma(u):
    u = np.asarray(u, float) / np.linalg.norm(u)
    return np.eye(3) - 2 * np.outer(u, u)


Z, X = np.array([0.0, 0, 1]), np.array([1.0, 0, 0])
PHI = (1 + 5**0.5) / 2


def textbook_generators(name: str) -> list[np.ndarray]:
    """Generators of a point group in its textbook setting (principal axis z, C2′ along x,
    σv the xz plane)."""
    cubic = [_rot(Z, np.pi), _rot(X, np.pi), _rot((1, 1, 1), 2 * np.pi / 3)]
    special = {
        "C1": [], "Ci": [-np.eye(3)], "Cs": [_sigma(Z)],
        "T": cubic, "Th": cubic + [-np.eye(3)], "Td": cubic + [_sigma((1, -1, 0))],
        "O": [_rot(Z, np.pi / 2), _rot((1, 1, 1), 2 * np.pi / 3)],
        "Oh": [_rot(Z, np.pi / 2), _rot((1, 1, 1), 2 * np.pi / 3), -np.eye(3)],
        "I": cubic + [_rot((0, 1, PHI), 2 * np.pi / 5)],
        "Ih": cubic + [_rot((0, 1, PHI), 2 * np.pi / 5), -np.eye(3)],
    }
    if name in special:
        return special[name]
    kind, n, suffix = name[0], int(name[1:].rstrip("hvd")), name[1:].lstrip("0123456789")
    if kind == "S":
        return [_sigma(Z) @ _rot(Z, 2 * np.pi / n)]
    gens = [_rot(Z, 2 * np.pi / n)] + ([_rot(X, np.pi)] if kind == "D" else [])
    if suffix == "h":
        gens.append(_sigma(Z))
    elif suffix == "v":
        gens.append(_sigma((0, 1, 0)))
    elif suffix == "d":
        gens.append(_sigma(_rot(Z, np.pi / (2 * n)) @ np.array([0, 1.0, 0])))
    return gens


def _close(gens: list[np.ndarray]) -> list[np.ndarray]:
    group = [np.eye(3)]
    frontier = [np.eye(3)]
    while frontier:
        new = []
        for g in gens:
            for h in frontier:
                m = g @ h
                if not any(np.abs(m - k).max() < 1e-8 for k in group):
                    group.append(m)
                    new.append(m)
        frontier = new
    return group


AXIAL = [f"{k}{n}{s}" for n in range(2, 7) for k, s in (("C", ""), ("C", "v"), ("C", "h"), ("D", ""), ("D", "h"), ("D", "d"))]
GROUPS = ["C1", "Ci", "Cs", *AXIAL, "S4", "S6", "S8", "T", "Td", "Th", "O", "Oh", "I", "Ih"]


def orbit_clusters(seed: int = 11, noise: float = 1e-3):
    """Orbits of four generic points (C, H, N, O: fewer are coplanar) under each group, randomly rotated, with ``noise`` Å
    of noise; the second variant adds an atom on the principal axis (axial groups without a
    horizontal mirror) or at the centre."""
    rng = np.random.default_rng(seed)
    out = []
    for name in GROUPS:
        G = _close(textbook_generators(name))
        for variant in ("generic", "axis atom"):
            pts = [np.array(p) + rng.uniform(-0.2, 0.2, 3) for p in ([1.3, 0.4, 0.7], [0.5, 2.1, -0.9], [-1.7, 0.3, 1.9], [2.2, -1.4, -0.4])]
            pos = [g @ p for p in pts for g in G]
            num = [z for z in (6, 1, 7, 8) for _ in G]
            if variant == "axis atom":
                on_axis = name[0] in "C" and name not in ("Ci", "Cs") and not name.endswith("h")
                pos.append(np.array([0, 0, 1.7]) if on_axis else np.zeros(3))
                num.append(9)
            Q = _rot(rng.normal(size=3), rng.uniform(0, np.pi))
            x = np.array(pos) @ Q.T + rng.normal(0, noise, (len(pos), 3))
            out.append((f"{name} orbit ({variant}, noise {noise:g} Å)", "textbook generators", np.array(num), x + rng.normal(size=3), name))
    return out


def textbook_molecules():
    """Clusters from textbook geometries with atoms on the axis or at the centre."""
    out = []
    ring = lambda r, z, n=5, off=0.0: [np.array([r * np.cos(2 * np.pi * k / n + off), r * np.sin(2 * np.pi * k / n + off), z])
                                        for k in range(n)]
    rc, rh = 1.42 / (2 * np.sin(np.pi / 5)), 1.42 / (2 * np.sin(np.pi / 5)) + 1.08
    for name, off in (("ferrocene eclipsed", 0.0), ("ferrocene staggered", np.pi / 5)):
        pos = [np.zeros(3)] + ring(rc, 1.66) + ring(rh, 1.66) + ring(rc, -1.66, off=off) + ring(rh, -1.66, off=off)
        out.append((name, "Fe–Cp 1.66 Å, C–C 1.42 Å, C–H 1.08 Å", np.array([26] + [6] * 5 + [1] * 5 + [6] * 5 + [1] * 5),
                    np.array(pos), "D5h" if off == 0 else "D5d"))
    pos = [np.array([0, 0, 2.4])] + ring(rc, 0.0) + ring(rh, 0.0)
    out.append(("CpTl half-sandwich", "Tl on the C5 axis 2.4 Å above the ring", np.array([81] + [6] * 5 + [1] * 5), np.array(pos), "C5v"))
    pos = [np.zeros(3), np.array([0, 0, 1.45])] + [_rot(Z, 2 * np.pi * k / 3) @ np.array([1.86, 0, -0.62]) for k in range(3)]
    out.append(("POCl3", "P–O 1.45 Å, P–Cl 1.99 Å", np.array([15, 8, 17, 17, 17]), np.array(pos), "C3v"))
    return out


def read_xyz_frames(path: Path):
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines) and lines[i].strip():
        n = int(lines[i])
        comment = lines[i + 1]
        rows = [ln.split() for ln in lines[i + 2:i + 2 + n]]
        yield comment, [r[0] for r in rows], np.array([[float(v) for v in r[1:4]] for r in rows])
        i += 2 + n


def corpus():
    """Every entry of the corpus (≥ 400 molecules of ≥ 2 atoms)."""
    from ase.collections import g2
    from ase.data import atomic_numbers, s22

    out = []
    for a in g2:
        if len(a) > 1:
            out.append((a.get_chemical_formula(), "ase.collections.g2", a.numbers.copy(), a.positions.copy(), None))
    from ase.build import molecule
    from ase.data.extra_molecules import data as extra

    for name in extra:
        a = molecule(name)
        out.append((name, "ase.build.molecule (extra_molecules)", a.numbers.copy(), a.positions.copy(), None))
    for name in s22.s26 + [n for n in s22.s22x5 if not n.endswith("_1.0")]:
        a = s22.create_s22_system(name)
        out.append((name, "ase.data.s22 (S26, S22x5)", a.numbers.copy(), a.positions.copy(), None))
    for comment, symbols, pos in read_xyz_frames(DATA / "pyxtal_molecules.xyz"):
        name = comment.split()[0].removeprefix("name=")
        out.append((name, "PyXtal molecules.json", np.array([atomic_numbers[s] for s in symbols]), pos, None))
    _, symbols, pos = next(read_xyz_frames(DATA / "nh3_4dp.xyz"))
    out.append(("NH3 (4 decimals)", "tests/data/molecules/nh3_4dp.xyz", np.array([7, 1, 1, 1]), pos, "C3v"))
    return out + textbook_molecules() + orbit_clusters() + orbit_clusters(seed=12, noise=0.0)
