"""Names of point groups: identify a group from its structure, build one from its name.

Identification (any orientation). Let R = G ∩ SO(3) be the rotation subgroup: C_n (one
element of order |R|), D_n, T (12), O (24) or I (60), told apart by order and by the number
of axes of order ≥ 3. Then

* G = R                          → R itself;
* i ∈ G                          → R × C_i: C1→Ci, C_n→C_nh (n even) / S_2n (n odd),
                                   D_n→D_nh (n even) / D_nd (n odd), T→Th, O→Oh, I→Ih;
* otherwise G⁺ = R ∪ {−g : g improper} is a rotation group with R of index 2:
  (C2, C1)→Cs, (C2n, Cn)→C_nh (n odd) / S_2n (n even), (Dn, Cn)→C_nv,
  (D2n, Dn)→D_nh (n odd) / D_nd (n even), (O, T)→Td.

Standard orientation of :func:`named_group`: principal axis z; a C2′ along x for dihedral
groups; σ_v containing x (normal y) for C_nv; σ_d of D_nd bisecting the C2′ axes; cubic
axes along x, y, z; the icosahedron with vertices at cyclic permutations of (0, ±1, ±φ)
(C2 along x, y, z, C3 along [111]).

HM names: the 32 crystallographic symbols; otherwise generated (C5v → "5m", D5h →
"-10m2", D5d → "-5m", Ih → "-5-3m", I → "532").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from symbreak_cli.errors import SymmetryError

if TYPE_CHECKING:
    from symbreak_cli.groups._point_group import PointGroup

PHI = (1 + np.sqrt(5)) / 2


def rot(axis, n: int, m: int = 1) -> np.ndarray:
    """Rotation by 2πm/n about ``axis`` (Rodrigues)."""
    u = np.asarray(axis, float)
    u = u / np.linalg.norm(u)
    t = 2 * np.pi * m / n
    K = np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    return np.eye(3) + np.sin(t) * K + (1 - np.cos(t)) * K @ K


def mirror(normal) -> np.ndarray:
    u = np.asarray(normal, float)
    u = u / np.linalg.norm(u)
    return np.eye(3) - 2 * np.outer(u, u)


INV = -np.eye(3)
Z, X = (0, 0, 1), (1, 0, 0)


def _hm(s: str) -> str:
    """HM symbol for a Schoenflies name (generated beyond the crystallographic 32)."""
    fixed = {"C1": "1", "Ci": "-1", "Cs": "m", "T": "23", "Th": "m-3", "Td": "-43m", "O": "432",
             "Oh": "m-3m", "I": "532", "Ih": "-5-3m", "D2": "222", "D2h": "mmm", "C2v": "mm2"}
    if s in fixed:
        return fixed[s]
    m = re.fullmatch(r"([CDS])(\d+)([hvd]?)", s)
    if not m:
        return s
    L, n, suf = m.group(1), int(m.group(2)), m.group(3)
    if L == "S":  # S_2k
        k = n // 2
        return f"-{n}" if k % 2 == 0 else f"-{k}"
    if L == "C":
        if suf == "":
            return str(n)
        if suf == "v":
            return f"{n}m" if n % 2 else f"{n}mm"
        return f"{n}/m" if n % 2 == 0 else f"-{2 * n}"
    if suf == "":
        return f"{n}2" if n % 2 else f"{n}22"
    if suf == "h":
        return f"{n}/mmm" if n % 2 == 0 else f"-{2 * n}m2"
    return f"-{n}m" if n % 2 else f"-{2 * n}2m"


def identify(G: "PointGroup") -> tuple[str, str]:
    """(Schoenflies, HM) of a point group from its structure; see the module docstring."""
    dets = np.linalg.det(G.matrices)
    proper = np.flatnonzero(dets > 0)
    improper = np.flatnonzero(dets < 0)
    R = _rotation_type(G.matrices[proper])
    if len(improper) == 0:
        s = R
    elif G.has_inversion:
        s = _with_inversion(R)
    else:
        Gp = _rotation_type(np.concatenate([G.matrices[proper], -G.matrices[improper]]))
        s = _index_two(Gp, R)
    return s, _hm(s)


def _rotation_type(mats: np.ndarray) -> str:
    n = len(mats)
    if n == 1:
        return "C1"
    traces = np.einsum("aii->a", mats)
    angles = np.arccos(np.clip((traces - 1) / 2, -1, 1))
    big = angles[(angles > 1e-6) & (angles < 2 * np.pi / 3 + 1e-6)]  # order ≥ 3
    if n in (12, 24, 60) and len(big) > 2:
        # count distinct ≥3-fold axes: more than one → polyhedral
        axes = []
        for M in mats[(angles > 1e-6) & (angles < 2 * np.pi / 3 + 1e-6)]:
            w = np.array([M[2, 1] - M[1, 2], M[0, 2] - M[2, 0], M[1, 0] - M[0, 1]])
            w = w / np.linalg.norm(w)
            if not any(abs(abs(w @ a) - 1) < 1e-6 for a in axes):
                axes.append(w)
        if len(axes) > 1:
            return {12: "T", 24: "O", 60: "I"}[n]
    min_angle = angles[angles > 1e-6].min()
    if abs(min_angle - 2 * np.pi / n) < 1e-6:
        return f"C{n}"
    return f"D{n // 2}"


def _with_inversion(R: str) -> str:
    if R == "C1":
        return "Ci"
    if R in ("T", "O", "I"):
        return R + "h"
    n = int(R[1:])
    if R[0] == "C":
        return f"C{n}h" if n % 2 == 0 else f"S{2 * n}"
    return f"D{n}h" if n % 2 == 0 else f"D{n}d"


def _index_two(Gp: str, R: str) -> str:
    if Gp == "O" and R == "T":
        return "Td"
    if Gp == "C2" and R == "C1":
        return "Cs"
    n = int(R[1:]) if R != "C1" else 1
    if Gp[0] == "C":
        return f"C{n}h" if n % 2 else f"S{2 * n}"
    if R[0] == "C":
        return f"C{n}v"
    return f"D{n}h" if n % 2 else f"D{n}d"


def _generators(s: str) -> list[np.ndarray]:
    if s == "C1":
        return []
    if s == "Ci":
        return [INV]
    if s == "Cs":
        return [mirror(Z)]
    cubic = {"T": [rot(Z, 2), rot(X, 2), rot((1, 1, 1), 3)], "O": [rot(Z, 4), rot((1, 1, 1), 3)]}
    ico = [rot(Z, 2), rot(X, 2), rot((1, 1, 1), 3), rot((0, 1, PHI), 5)]
    if s in ("T", "Th", "Td"):
        extra = {"T": [], "Th": [INV], "Td": [mirror((1, -1, 0))]}[s]
        return cubic["T"] + extra
    if s in ("O", "Oh"):
        return cubic["O"] + ([INV] if s == "Oh" else [])
    if s in ("I", "Ih"):
        return ico + ([INV] if s == "Ih" else [])
    m = re.fullmatch(r"([CDS])(\d+)([hvd]?)", s)
    if not m:
        raise SymmetryError(f"unknown point group {s!r}")
    L, n, suf = m.group(1), int(m.group(2)), m.group(3)
    if n < 1 or n > 24:
        raise SymmetryError(f"point group {s!r}: n must be between 1 and 24")
    if L == "S":
        if n % 2 or suf:
            raise SymmetryError(f"unknown point group {s!r} (S_n needs even n; S_odd is C_nh)")
        return [-rot(Z, n, 1 + n // 2)]  # S_n = σh·C_n = −C_n^(1+n/2)
    gens = [rot(Z, n)]
    if L == "D":
        gens.append(rot(X, 2))
    if suf == "h":
        gens.append(mirror(Z))
    elif suf == "v":
        if L == "D":
            raise SymmetryError(f"unknown point group {s!r}")
        gens.append(mirror((0, 1, 0)))
    elif suf == "d":
        if L != "D":
            raise SymmetryError(f"unknown point group {s!r}")
        a = np.pi / (2 * n)  # plane through z at angle a from x
        gens.append(mirror((-np.sin(a), np.cos(a), 0)))
    return gens


_ALIASES = {"C1h": "Cs", "S2": "Ci", "C3i": "S6", "C1v": "Cs", "D1": "C2", "C1i": "Ci", "Oh": "Oh"}


def _hm_map() -> dict[str, str]:
    names = ["C1", "Ci", "Cs", "T", "Th", "Td", "O", "Oh", "I", "Ih"]
    for n in range(2, 13):
        names += [f"C{n}", f"C{n}v", f"C{n}h", f"D{n}", f"D{n}h", f"D{n}d"]
    names += [f"S{n}" for n in range(4, 25, 2)]
    out = {_hm(s): s for s in names}
    out.update({"m-3-5": "Ih", "-53m": "Ih", "2mm": "C2v", "m2m": "C2v", "-4m2": "D2d", "-62m": "D3h",
                "-3m1": "D3d", "-31m": "D3d", "3m1": "C3v", "31m": "C3v", "321": "D3", "312": "D3",
                "4/m-32/m": "Oh", "2/m": "C2h", "-6": "C3h", "-1": "Ci"})
    return out


def canonical_name(name: str) -> str:
    """Schoenflies name for a Schoenflies or HM input ('4/mmm' → 'D4h'); SymmetryError if unknown."""
    raw = name.strip().replace(" ", "")
    if raw in _ALIASES:
        return _ALIASES[raw]
    hm = _hm_map()
    if raw in hm:
        return hm[raw]
    cand = raw[0].upper() + raw[1:].lower() if raw else raw
    cand = _ALIASES.get(cand, cand)
    try:
        _generators(cand)
    except SymmetryError:
        raise SymmetryError(
            f"unknown point group {name!r}: give a Schoenflies (Oh, D4h, C3v, Ih, D5d) or "
            "Hermann–Mauguin (m-3m, 4/mmm, 3m) symbol"
        ) from None
    return cand


@lru_cache(maxsize=None)
def named_group(name: str) -> "PointGroup":
    """Point group by name, standard orientation (module docstring); cached."""
    from symbreak_cli.groups._point_group import PointGroup

    s = canonical_name(name)
    G = PointGroup.from_generators(_generators(s)) if s != "C1" else PointGroup(np.eye(3)[None])
    if G.schoenflies != s:  # e.g. "C2v" spelt "C2v" but built from mismatched pieces
        raise SymmetryError(f"internal: built {G.schoenflies} for {s}")
    return G
