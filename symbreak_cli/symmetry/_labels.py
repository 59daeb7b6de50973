"""CDML / Miller–Love labels of space-group irreps (GM4-, X5+, M3+, R4+ …) as ISOTROPY and
the Bilbao server print them.

A label is the k-point's letter plus the number of the small irrep and, when the little
co-group holds the inversion, its parity. The letters are the CDML special points of the
parent's Bravais lattice (conventional reciprocal coordinates). The numbers are those of
the Bilbao REPRES tables (CDML), read from the characters on the conventional-basis
operations:

* O_h, O: 1 A₁, 2 A₂, 3 E, 4 T₁, 5 T₂; T_d: 4 is T₂ (χ(4̄) = −1), 5 T₁;
* D_4h, D_4, D_2d (4̄m2): 1 A₁, 2 B₁, 3 A₂, 4 B₂, 5 E, where B₁ / A₁ are even under the
  two-fold axes (or mirror normals) along the lattice axes ⟂ the 4 (4̄) axis; C_4v and
  D_2d (4̄2m): 1 A₁, 2 B₁, 3 B₂, 4 A₂ (:data:`_C4V_ORDER`);
* D_6h, D_6: 1 A₁, 2 A₂, 3 B₁, 4 B₂ (B₁ even under the two-folds along a, b, a+b), 5 E₂,
  6 E₁; D_3h: 1 A₁′, 2 A₁″, 3 A₂″, 4 A₂′, 5 E′, 6 E″ by the two-fold rotations (6̄2m; with
  the mirrors along a, b, a+b, 6̄m2, 2 and 4 swap); D_3d, D_3, C_3v: 1 A₁, 2 A₂, 3 E;
* D_2h, D_2 at the points of :data:`_D2H_AXES`: 2, 3, 4 even under the axis listed;
  C_2h, C_2, C_s: 1 even, 2 odd under the two-fold.

They are read when the small irrep is a co-group irrep with trivial phases: every
exp(2πi k·t) of the little group is 1 (a symmorphic parent with a full-symmetry point at the
origin, Γ of any parent, and e.g. K and M of P6_3/mmc). Any other case is numbered in
spgrep's order and the label says so by a ``?`` (e.g. ``Z2?``): those numbers are not
ISOTROPY's. tests/symmetry/test_labels.py checks every label against the Bilbao tables of
nine groups.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: CDML special points, conventional reciprocal coordinates, per Bravais lattice
_POINTS = {
    "cP": {"GM": (0, 0, 0), "X": (0, 0.5, 0), "M": (0.5, 0.5, 0), "R": (0.5, 0.5, 0.5)},
    "cF": {"GM": (0, 0, 0), "X": (0, 1, 0), "L": (0.5, 0.5, 0.5), "W": (0.5, 1, 0)},
    "cI": {"GM": (0, 0, 0), "H": (1, 0, 0), "N": (0.5, 0.5, 0), "P": (0.5, 0.5, 0.5)},
    "tP": {"GM": (0, 0, 0), "Z": (0, 0, 0.5), "X": (0, 0.5, 0), "M": (0.5, 0.5, 0), "R": (0, 0.5, 0.5), "A": (0.5, 0.5, 0.5)},
    "tI": {"GM": (0, 0, 0), "M": (0, 0, 1), "X": (0.5, 0.5, 0), "N": (0.5, 0, 0.5), "P": (0.5, 0.5, 0.5)},
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
    "C": np.array([[0.5, -0.5, 0], [0.5, 0.5, 0], [0, 0, 1]]),
    "A": np.array([[1, 0, 0], [0, 0.5, 0.5], [0, -0.5, 0.5]]),
    "R": np.array([[2 / 3, 1 / 3, 1 / 3], [-1 / 3, 1 / 3, 1 / 3], [-1 / 3, -2 / 3, 1 / 3]]),
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


@lru_cache(maxsize=1024)
def _axis_of(key: bytes) -> np.ndarray:
    return _axis(np.frombuffer(key, dtype=np.int64).reshape(3, 3))


@lru_cache(maxsize=1024)
def _kind_of(key: bytes) -> tuple[int, int]:
    return _kind(np.frombuffer(key, dtype=np.int64).reshape(3, 3))


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


def _axial(rotations: np.ndarray, kinds, principal: np.ndarray) -> list[int]:
    """Two-fold elements (rotations, or mirrors by their normal) perpendicular to the
    principal axis and along a lattice axis: the proper ones when there are any.
    """
    axial = []
    for i, (_det, n) in enumerate(kinds):
        if n != 2:
            continue
        a = _axis_of(rotations[i].tobytes())
        if abs(a @ principal) > 1e-6 or np.count_nonzero(np.abs(a) > 1e-6) != 1:
            continue
        axial.append(i)
    proper = [i for i in axial if kinds[i][0] == 1]
    return proper or axial


def _along(rotations: np.ndarray, kinds, axis, det: int = 1) -> int | None:
    """Index of the two-fold element (rotation, or mirror by its normal) along ``axis``."""
    axis = np.asarray(axis, float)
    for i, (d, n) in enumerate(kinds):
        if n == 2 and d == det:
            a = _axis_of(rotations[i].tobytes())
            if np.linalg.norm(np.cross(a, axis)) < 1e-6:
                return i
    return None


def cogroup_number(rotations: np.ndarray, characters: np.ndarray, dim: int,
                   point: tuple[str, str] | None = None) -> int | None:
    """Bradley–Cracknell / CDML number of a co-group irrep from its characters (one per
    rotation). ``rotations`` are in the conventional basis of the lattice (axes along the
    lattice vectors); ``point`` (Bravais symbol, k letter) picks the CDML convention of
    that k-point where it is not the general one (:data:`_D2H_AXES`).
    None when the co-group is none of those read here.
    """
    rotations = np.asarray(rotations, np.int64)
    chi = np.real(np.asarray(characters))
    kinds = [_kind_of(R.tobytes()) for R in rotations]
    order = len(rotations)
    has = {k: [i for i, kk in enumerate(kinds) if kk == k] for k in set(kinds)}
    proper4, improper4 = has.get((1, 4), []), has.get((-1, 4), [])
    proper6, improper6 = has.get((1, 6), []), has.get((-1, 6), [])
    threes = [i for i, k in enumerate(kinds) if k[1] == 3]
    inversion = (-1, 1) in has
    sign = lambda x: 1 if x > 0 else -1  # noqa: E731
    if threes and order in (24, 48) and (proper4 or improper4):  # O, Td, Oh
        if dim == 2:
            return 3
        if proper4:  # O, Oh: Γ4 = T1 (χ(C4) = +1)
            c4 = chi[proper4[0]]
            return (1 if c4 > 0 else 2) if dim == 1 else (4 if c4 > 0 else 5)
        s4 = chi[improper4[0]]  # Td: Γ4 = T2 (χ(S4) = −1), the vector
        return (1 if s4 > 0 else 2) if dim == 1 else (4 if s4 < 0 else 5)
    if proper6 and order in (12, 24):  # D6, D6h: C2' along the lattice vectors a, b, a+b
        principal = _axis_of(rotations[proper6[0]].tobytes())
        axial = [i for i in _axial(rotations, kinds, principal) if kinds[i][0] == 1]
        c2 = next((i for i in has.get((1, 2), []) if np.linalg.norm(np.cross(
            _axis_of(rotations[i].tobytes()), principal)) < 1e-6), None)
        if not axial or c2 is None:
            return None
        if dim == 2:
            return 5 if chi[c2] > 0 else 6
        return {(1, 1): 1, (1, -1): 2, (-1, 1): 3, (-1, -1): 4}[(sign(chi[proper6[0]]), sign(chi[axial[0]]))]
    if threes and not proper6 and not (proper4 or improper4) and order in (6, 12):  # D3, C3v, D3d, D3h
        principal = _axis_of(rotations[threes[0]].tobytes())
        twos = [i for i, k in enumerate(kinds) if k[1] == 2
                and abs(_axis_of(rotations[i].tobytes()) @ principal) < 1e-6]
        if improper6 and not inversion:  # D3h: C2 ⟂ the 3-fold, σh
            sh = next((i for i, k in enumerate(kinds) if k == (-1, 2) and np.linalg.norm(
                np.cross(_axis_of(rotations[i].tobytes()), principal)) < 1e-6), None)
            c2 = next((i for i in twos if kinds[i][0] == 1), None)
            if sh is None or c2 is None:
                return None
            if dim == 2:
                return 5 if chi[sh] > 0 else 6
            n = {(1, 1): 1, (1, -1): 2, (-1, -1): 3, (-1, 1): 4}[(sign(chi[c2]), sign(chi[sh]))]
            u = _axis_of(rotations[c2].tobytes())
            along = any(np.linalg.norm(np.cross(u, v)) < 1e-6 for v in ((1, 0, 0), (0, 1, 0), (1, 1, 0)))  # a, b, a+b
            return n if along or n in (1, 3) else 6 - n  # 6̄m2 (mirrors along a, b, a+b): 2 and 4 swap
        if not twos:
            return None
        return 3 if dim == 2 else (1 if chi[twos[0]] > 0 else 2)  # D3, D3d: C2; C3v: σv
    if not threes and (proper4 or improper4) and order in (8, 16):  # D4, C4v, D4h, D2d
        principal = _axis_of(rotations[(proper4 or improper4)[0]].tobytes())
        axial = _axial(rotations, kinds, principal)
        if not axial:  # C4h
            return None
        if dim == 2:
            return 5
        key = (sign(chi[(proper4 or improper4)[0]]), sign(chi[axial[0]]))
        c4v = proper4 and order == 8 and kinds[axial[0]][0] == -1  # mirrors along the axes, no two-fold ⟂ 4
        d2d_proper = not proper4 and kinds[axial[0]][0] == 1  # 4̄2m: the axial two-folds are rotations
        return (_C4V_ORDER if c4v or d2d_proper else _D4_ORDER)[key]
    if not threes and not (proper4 or improper4) and order in (4, 8) and len(has.get((1, 2), [])) == 3:  # D2, D2h
        axes = _D2H_AXES.get(point)
        if axes is None or dim != 1:
            return None
        even = [n for n, a in enumerate(axes, start=2) if (i := _along(rotations, kinds, a)) is not None and chi[i] > 0]
        odd = [n for n, a in enumerate(axes, start=2) if (i := _along(rotations, kinds, a)) is not None and chi[i] < 0]
        if len(even) + len(odd) != 3:
            return None
        return 1 if not odd else (even[0] if len(even) == 1 else None)
    if order in (2, 4) and not threes and not (proper4 or improper4) and dim == 1:  # C1…C2h
        g = has.get((1, 2)) or [i for i, k in enumerate(kinds) if k == (-1, 2)]
        if order == 4 and not inversion and len(has.get((-1, 2), [])) == 2:
            return None  # C2v: its numbering needs the axes
        return 1 if not g or chi[g[0]] > 0 else 2
    if order == 1 and dim == 1:
        return 1
    return None


#: D4, C4v, D4h, D2d: (sign χ(4 or 4̄), sign χ(axial two-fold)) → number, B₁ / A₁ even under
#: the axial two-folds: 1 A₁, 2 B₁, 3 A₂, 4 B₂
_D4_ORDER = {(1, 1): 1, (-1, 1): 2, (1, -1): 3, (-1, -1): 4}

#: C4v (4mm) and D2d with its two-fold rotations along the lattice axes (4̄2m), Bilbao REPRES
#: (checked at Γ of all 230 groups): 1 A₁, 2 B₁, 3 B₂, 4 A₂ — 4̄m2 (mirrors along the axes) is
#: :data:`_D4_ORDER`
_C4V_ORDER = {(1, 1): 1, (-1, 1): 2, (-1, -1): 3, (1, -1): 4}

#: D2h points: the two-fold axes (conventional direct-lattice directions) under which the
#: irreps numbered 2, 3, 4 are even (Bilbao REPRES tables, the table's arm of the star)
_D2H_AXES = {
    ("tP", "X"): ((0, 0, 1), (1, 0, 0), (0, 1, 0)),
    ("tP", "R"): ((0, 0, 1), (1, 0, 0), (0, 1, 0)),
    ("tI", "X"): ((0, 0, 1), (1, -1, 0), (1, 1, 0)),
    ("cI", "N"): ((0, 0, 1), (1, 1, 0), (1, -1, 0)),
    ("hP", "M"): ((0, 0, 1), (0, 1, 0), (2, 1, 0)),
    ("hP", "L"): ((0, 0, 1), (0, 1, 0), (2, 1, 0)),
    ("oP", "GM"): ((0, 0, 1), (1, 0, 0), (0, 1, 0)),
}


def conventional(rotations: np.ndarray, number: int, hm: str) -> np.ndarray:
    """Fractional rotations of the standardised primitive basis in the conventional basis."""
    C = _CENTRING.get(bravais(number, hm)[1], np.eye(3))
    out = np.einsum("ij,njk,kl->nil", C.T, np.asarray(rotations, float), np.linalg.inv(C.T))
    return np.rint(out).astype(np.int64)


def cogroup_characters(rotations: np.ndarray, translations: np.ndarray, k: np.ndarray,
                       D: np.ndarray) -> np.ndarray | None:
    """Characters of the co-group irrep the small irrep D at k is, or None when it is not one.

    Read only where every phase exp(2πi k·t_g) is 1 and D is then a representation of the
    little co-group (always when every t_g is zero, and at Γ): elsewhere in a non-symmorphic
    group the numbering of the small irreps is CDML's own and is not read here.
    """
    R = np.asarray(rotations, np.int64)
    t = np.asarray(translations, float)
    kt = t @ np.asarray(k, float)
    if np.abs(kt - np.rint(kt)).max() > 1e-8:
        return None
    chi = np.trace(D, axis1=1, axis2=2)
    if np.abs(t - np.rint(t)).max() < 1e-8:
        return chi
    index = {R[i].tobytes(): i for i in range(len(R))}
    prod = np.array([[index.get((R[a] @ R[b]).tobytes(), -1) for b in range(len(R))] for a in range(len(R))])
    if (prod < 0).any() or np.abs(np.einsum("aij,bjk->abik", D, D) - D[prod]).max() > 1e-6:
        return None
    return chi


def label(number: int, hm: str, rotations: np.ndarray, translations: np.ndarray, letter: str,
          D: np.ndarray, index: int) -> str:
    """CDML label of the small irrep D (on the little group's ``rotations``/``translations``,
    primitive basis) at the special point ``letter`` of space group ``number``/``hm``;
    spgrep's number and a ``?`` (e.g. ``Z2?``) when it cannot be read (see the module doc).
    """
    k = special_points(number, hm).get(letter)
    k = np.zeros(3) if k is None else np.round(k % 1.0, 8)
    dim = D.shape[1]
    chi = cogroup_characters(rotations, translations, k, D) if letter in special_points(number, hm) else None
    n = None
    if chi is not None:
        n = cogroup_number(conventional(rotations, number, hm), chi, dim, (bravais(number, hm), letter))
    sign = parity(rotations, chi if chi is not None else np.trace(D, axis1=1, axis2=2), dim)
    return f"{letter}{n}{sign}" if n is not None else f"{letter}{index + 1}?{sign}"


def parity(rotations: np.ndarray, characters: np.ndarray, dim: int) -> str:
    """'+' / '-' from the inversion's character, '' when the co-group has no inversion."""
    for i, R in enumerate(rotations):
        if np.array_equal(R, -np.eye(3, dtype=int)):
            c = characters[i].real
            return "" if abs(c) < 1e-6 else ("+" if c > 0 else "-")
    return ""


__all__ = ["bravais", "cogroup_characters", "cogroup_number", "conventional", "label", "parity", "point_letter",
           "special_points"]
