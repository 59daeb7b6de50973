"""The named point groups: their generators, building one from its name, and naming a
group from its matrices (identification).

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

Names and their conventions (HM ↔ Schoenflies) are :mod:`._names`; this module holds
the groups themselves.

>>> named_group("D4h").order, point_group_names("-4m2")
(16, ('D2d', 8))
>>> identify(named_group("m-3m"))
('Oh', 'm-3m')
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups._names import canonical_name, hm_symbol, schoenflies_parts
from symbreak_cli.groups._rotations import axis_angle
from symbreak_cli.groups._tolerances import DEFAULT_TOL, entry_tolerance, identify_angle_tolerance

if TYPE_CHECKING:
    from symbreak_cli.groups._point_group import PointGroup

PHI = (1 + np.sqrt(5)) / 2


def rot(axis, n: int, m: int = 1) -> np.ndarray:
    """(3, 3) rotation C_n^m: by 2πm/n about ``axis`` (:func:`~._rotations.axis_angle`).

    >>> np.allclose(rot([0, 0, 1], 4) @ [1, 0, 0], [0, 1, 0])
    True
    """
    return axis_angle(axis, 2 * np.pi * m / n)


def mirror(normal) -> np.ndarray:
    """(3, 3) reflection σ in the plane with the given normal, I − 2ûûᵀ.

    >>> mirror([0, 0, 1]) @ [1.0, 2.0, 3.0]
    array([ 1.,  2., -3.])
    """
    u = np.asarray(normal, float)
    u = u / np.linalg.norm(u)
    return np.eye(3) - 2 * np.outer(u, u)


INV = -np.eye(3)
Z, X = (0, 0, 1), (1, 0, 0)


def identify(G: "PointGroup") -> tuple[str, str]:
    """(Schoenflies, HM) of a point group from its matrices; see the module docstring."""
    return identify_matrices(G.matrices, G.tol)


def identify_matrices(mats: np.ndarray, tol: float = DEFAULT_TOL) -> tuple[str, str]:
    """(Schoenflies, HM) of the group formed by ``mats`` (n, 3, 3), any orientation.

    ``tol`` (tolerance scale, :mod:`._tolerances`) decides whether −I is among them.
    """
    dets = np.linalg.det(mats)
    proper = np.flatnonzero(dets > 0)
    improper = np.flatnonzero(dets < 0)
    R = _rotation_type(mats[proper], tol)
    has_inversion = bool((np.abs(mats + np.eye(3)).reshape(len(mats), 9).max(axis=1) <= entry_tolerance(tol)).any())
    if len(improper) == 0:
        s = R
    elif has_inversion:
        s = _with_inversion(R)
    else:
        Gp = _rotation_type(np.concatenate([mats[proper], -mats[improper]]), tol)
        s = _index_two(Gp, R)
    return s, hm_symbol(s)


def _rotation_type(mats: np.ndarray, tol: float = DEFAULT_TOL) -> str:
    n = len(mats)
    if n == 1:
        return "C1"
    traces = np.einsum("aii->a", mats)
    angles = np.arccos(np.clip((traces - 1) / 2, -1, 1))
    eps = identify_angle_tolerance(tol)
    big = angles[(angles > eps) & (angles < 2 * np.pi / 3 + eps)]  # order ≥ 3
    if n in (12, 24, 60) and len(big) > 2:
        # count distinct ≥3-fold axes: more than one → polyhedral
        axes = []
        for M in mats[(angles > eps) & (angles < 2 * np.pi / 3 + eps)]:
            w = np.array([M[2, 1] - M[1, 2], M[0, 2] - M[2, 0], M[1, 0] - M[0, 1]])
            w = w / np.linalg.norm(w)
            if not any(abs(abs(w @ a) - 1) < eps for a in axes):
                axes.append(w)
        if len(axes) > 1:
            return {12: "T", 24: "O", 60: "I"}[n]
    min_angle = angles[angles > eps].min()
    if abs(min_angle - 2 * np.pi / n) < eps:
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
    """Generators of the Schoenflies group ``s`` in the standard orientation."""
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
    L, n, suf = schoenflies_parts(s)
    if L == "S":
        return [-rot(Z, n, 1 + n // 2)]  # S_n = σh·C_n = −C_n^(1+n/2)
    gens = [rot(Z, n)]
    if L == "D":
        gens.append(rot(X, 2))
    if suf == "h":
        gens.append(mirror(Z))
    elif suf == "v":
        gens.append(mirror((0, 1, 0)))
    elif suf == "d":
        a = np.pi / (2 * n)  # plane through z at angle a from x
        gens.append(mirror((-np.sin(a), np.cos(a), 0)))
    return gens


@lru_cache(maxsize=None)
def named_group(name: str) -> "PointGroup":
    """Point group by name, standard orientation (module docstring); cached."""
    from symbreak_cli.groups._point_group import PointGroup

    s = canonical_name(name)
    G = PointGroup.from_generators(_generators(s)) if s != "C1" else PointGroup(np.eye(3)[None])
    if G.schoenflies != s:  # e.g. "C2v" spelt "C2v" but built from mismatched pieces
        raise SymmetryError(f"internal: built {G.schoenflies} for {s}")
    return G


def point_group_names(hm: str) -> tuple[str, int]:
    """(Schoenflies, order) of a point group given by its HM symbol in any setting spglib
    writes ('-4m2', '3m1', …) or by its Schoenflies name.

    >>> point_group_names("3m1")
    ('C3v', 6)
    """
    s = canonical_name(hm)
    return s, group_order(s)


#: orders of the groups without a principal axis n (Schoenflies names)
_FIXED_ORDERS = {"C1": 1, "Ci": 2, "Cs": 2, "T": 12, "Td": 24, "Th": 24, "O": 24, "Oh": 48, "I": 60, "Ih": 120}


def group_order(name: str) -> int:
    """Order of a point group from its name alone (C_n: n; C_nv, C_nh, D_n: 2n; D_nh, D_nd:
    4n; S_n: n) — no group built; :func:`named_group` checks the same in the tests.

    >>> group_order("D4h"), group_order("-3m"), group_order("S4"), group_order("Oh")
    (16, 12, 4, 48)
    """
    s = canonical_name(name)
    if s in _FIXED_ORDERS:
        return _FIXED_ORDERS[s]
    L, n, suf = schoenflies_parts(s)
    return n * (1 if L in "CS" and not suf else 2) * (2 if L == "D" and suf else 1)
