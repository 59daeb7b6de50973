"""CDML / Miller–Love labels of space-group irreps (GM4-, X5+, M3+, R4+ …) as ISOTROPY and
the Bilbao server print them.

A label is the k-point's letter plus the number of the small irrep and, when the little
co-group holds the inversion, its parity. The letters are the CDML special points of the
parent's Bravais lattice (conventional reciprocal coordinates). The numbers follow
Bradley & Cracknell's point-group tables (the ones CDML and ISOTROPY use):

* O_h, O, T_d: 1 A₁, 2 A₂, 3 E, 4 T₁, 5 T₂;
* D_4h, D_4, C_4v: 1 A₁, 2 B₁, 3 A₂, 4 B₂, 5 E, where B₁ / A₁ are even under the two-fold
  axes (or mirror normals) along the lattice axes and A₂ / B₂ odd under them.

They are read from the small irrep's characters when every little-group operation has a
zero translation (a symmorphic parent with a full-symmetry point at the origin: the small
irreps are then the co-group's irreps). Any other case is numbered in spgrep's order
and the label says so by a ``?`` (e.g. ``Z2?``): those numbers are not ISOTROPY's.
"""

from __future__ import annotations

import numpy as np

#: CDML special points, conventional reciprocal coordinates, per Bravais lattice
_POINTS = {
    "cP": {"GM": (0, 0, 0), "X": (0, 0.5, 0), "M": (0.5, 0.5, 0), "R": (0.5, 0.5, 0.5)},
    "cF": {"GM": (0, 0, 0), "X": (0, 1, 0), "L": (0.5, 0.5, 0.5), "W": (0.5, 1, 0)},
    "cI": {"GM": (0, 0, 0), "H": (1, 0, 0), "N": (0.5, 0.5, 0), "P": (0.5, 0.5, 0.5)},
    "tP": {"GM": (0, 0, 0), "Z": (0, 0, 0.5), "X": (0, 0.5, 0), "M": (0.5, 0.5, 0), "R": (0, 0.5, 0.5), "A": (0.5, 0.5, 0.5)},
    "tI": {"GM": (0, 0, 0), "M": (0, 0, 1), "X": (0, 0.5, 0.5), "N": (0, 0.5, 0), "P": (0.5, 0.5, 0.5)},
    "oP": {"GM": (0, 0, 0), "X": (0.5, 0, 0), "Y": (0, 0.5, 0), "Z": (0, 0, 0.5), "S": (0.5, 0.5, 0),
           "U": (0.5, 0, 0.5), "T": (0, 0.5, 0.5), "R": (0.5, 0.5, 0.5)},
    "hP": {"GM": (0, 0, 0), "A": (0, 0, 0.5), "M": (0.5, 0, 0), "K": (1 / 3, 1 / 3, 0), "L": (0.5, 0, 0.5),
           "H": (1 / 3, 1 / 3, 0.5)},
}

#: spglib centring → primitive basis rows in conventional fractional coordinates
_CENTRING = {
    "P": np.eye(3),
    "F": np.array([[0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]),
    "I": np.array([[-0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.5, 0.5, -0.5]]),
}


def bravais(number: int, hm: str) -> str:
    """Bravais symbol (cP, tI, …) of a space group."""
    system = ("a" if number <= 2 else "m" if number <= 15 else "o" if number <= 74 else "t" if number <= 142
              else "h" if number <= 194 else "c")
    centring = hm[0]
    if system == "h" and centring == "R":
        return "hR"
    return system + centring


def special_points(number: int, hm: str) -> dict[str, np.ndarray]:
    """Letter → k in the standardised *primitive* reciprocal basis (spglib's primitive cell)."""
    b = bravais(number, hm)
    table = _POINTS.get(b)
    if table is None:
        return {"GM": np.zeros(3)}
    P = _CENTRING.get(b[1], np.eye(3))  # primitive rows in conventional fractions
    # k_prim_i = k_conv · a_prim_i (a_prim in conventional fractional coordinates)
    return {name: (P @ np.array(k, float)) for name, k in table.items()}


def point_letter(star: np.ndarray, number: int, hm: str) -> tuple[str, np.ndarray | None]:
    """(letter, the arm matching the table) for a k-star; ('k', None) when it is none of them."""
    for name, k in special_points(number, hm).items():
        for arm in star:
            d = arm - k
            if np.abs(d - np.rint(d)).max() < 1e-6:
                return name, arm
    return "k", None


def _axis(R: np.ndarray) -> np.ndarray:
    """Rotation axis (eigenvalue +1 of det·R) of a fractional rotation, as a unit-ish vector."""
    M = R * round(np.linalg.det(R))
    w, v = np.linalg.eig(M.astype(float))
    a = np.real(v[:, np.argmin(np.abs(w - 1))])
    return a / np.abs(a).max()


def _kind(R: np.ndarray) -> tuple[int, int]:
    """(det, rotation order) of a fractional rotation."""
    det = round(np.linalg.det(R))
    tr = round(np.trace(R)) * det
    return det, {3: 1, -1: 2, 0: 3, 1: 4, 2: 6}[tr]


def cogroup_number(rotations: np.ndarray, characters: np.ndarray, dim: int) -> int | None:
    """Bradley–Cracknell number of a co-group irrep from its characters (one per rotation)."""
    kinds = [_kind(R) for R in rotations]
    order = len(rotations)
    proper4 = [i for i, k in enumerate(kinds) if k == (1, 4)]
    improper4 = [i for i, k in enumerate(kinds) if k == (-1, 4)]
    threes = [i for i, k in enumerate(kinds) if k[1] == 3]
    if threes and (order in (24, 48)) and (proper4 or improper4):  # O, Td, Oh
        c4 = characters[(proper4 or improper4)[0]].real
        if dim == 1:
            return 1 if c4 > 0 else 2
        if dim == 2:
            return 3
        return 4 if c4 > 0 else 5
    if not threes and proper4 and order in (8, 16):  # D4, C4v, D4h (not C4h, which has no 2-fold ⊥)
        principal = _axis(rotations[proper4[0]])
        axial = []
        for i, (_det, n) in enumerate(kinds):
            if n != 2:
                continue
            a = _axis(rotations[i])
            if abs(a @ principal) > 1e-6:
                continue
            if np.count_nonzero(np.abs(a) > 1e-6) == 1:  # along a lattice axis
                axial.append(i)
        proper = [i for i in axial if kinds[i][0] == 1]
        axial = proper or axial  # D4, D4h: the two-fold rotations; C4v: the mirrors
        if not axial:
            return None
        if dim == 2:
            return 5
        c4, c2 = characters[proper4[0]].real, characters[axial[0]].real
        return {(1, 1): 1, (-1, 1): 2, (1, -1): 3, (-1, -1): 4}[(int(np.sign(c4)), int(np.sign(c2)))]
    if order in (1, 2) and dim == 1:
        return 1
    return None


def parity(rotations: np.ndarray, characters: np.ndarray, dim: int) -> str:
    """'+' / '-' from the inversion's character, '' when the co-group has no inversion."""
    for i, R in enumerate(rotations):
        if np.array_equal(R, -np.eye(3, dtype=int)):
            return "+" if characters[i].real > 0 else "-"
    return ""


__all__ = ["bravais", "cogroup_number", "parity", "point_letter", "special_points"]
