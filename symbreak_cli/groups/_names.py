"""Names users know, and the conventions for writing them: Hermann–Mauguin ↔ Schoenflies
point-group symbols, crystal systems, Bravais and Pearson symbols, and Seitz symbols
{W|w} of space-group operations (ITA conventions).

HM names: the 32 crystallographic symbols; otherwise generated (C5v → "5m", D5h →
"-10m2", D5d → "-5m", Ih → "-5-3m", I → "532"). Which groups exist, how they are built
and how one is recognised from its matrices is :mod:`._catalogue`'s business.

>>> canonical_name("-42m"), hm_symbol("D2d")
('D2d', '-42m')
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from math import gcd

import numpy as np

from symbreak_cli.errors import SymmetryError

#: the axial families C_n, C_nv, C_nh, D_n, D_nh, D_nd, S_n
_AXIAL = re.compile(r"([CDS])(\d+)([hvd]?)")
#: the groups outside the axial families
POLYHEDRAL = ("C1", "Ci", "Cs", "T", "Th", "Td", "O", "Oh", "I", "Ih")
#: largest n of an axial group built by name (C24, D24h, S24)
MAX_AXIAL_N = 24


def schoenflies_parts(s: str) -> tuple[str, int, str]:
    """(letter, n, suffix) of an axial Schoenflies name, ('', 0, s) for the polyhedral ones
    and C1, Ci, Cs; SymmetryError for anything else. The one grammar of group names.

    >>> schoenflies_parts("D4h"), schoenflies_parts("Oh")
    (('D', 4, 'h'), ('', 0, 'Oh'))
    """
    if s in POLYHEDRAL:
        return "", 0, s
    m = _AXIAL.fullmatch(s)
    if not m:
        raise SymmetryError(f"unknown point group {s!r}")
    L, n, suf = m.group(1), int(m.group(2)), m.group(3)
    if n < 1 or n > MAX_AXIAL_N:
        raise SymmetryError(f"point group {s!r}: n must be between 1 and {MAX_AXIAL_N}")
    if L == "S" and (n % 2 or suf):
        raise SymmetryError(f"unknown point group {s!r} (S_n needs even n; S_odd is C_nh)")
    if (suf == "v" and L == "D") or (suf == "d" and L != "D"):
        raise SymmetryError(f"unknown point group {s!r}")
    return L, n, suf


def hm_symbol(s: str) -> str:
    """HM symbol for a Schoenflies name (generated beyond the crystallographic 32).

    >>> hm_symbol("D4h"), hm_symbol("D5d"), hm_symbol("S6")
    ('4/mmm', '-5m', '-3')
    """
    fixed = {"C1": "1", "Ci": "-1", "Cs": "m", "T": "23", "Th": "m-3", "Td": "-43m", "O": "432",
             "Oh": "m-3m", "I": "532", "Ih": "-5-3m", "D2": "222", "D2h": "mmm", "C2v": "mm2"}
    if s in fixed:
        return fixed[s]
    m = _AXIAL.fullmatch(s)
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


_ALIASES = {"C1h": "Cs", "S2": "Ci", "C3i": "S6", "C1v": "Cs", "D1": "C2", "C1i": "Ci", "Oh": "Oh"}


@lru_cache(maxsize=1)
def _hm_map() -> dict[str, str]:
    """HM symbol (every setting spglib writes) → Schoenflies."""
    names = ["C1", "Ci", "Cs", "T", "Th", "Td", "O", "Oh", "I", "Ih"]
    for n in range(2, 13):
        names += [f"C{n}", f"C{n}v", f"C{n}h", f"D{n}", f"D{n}h", f"D{n}d"]
    names += [f"S{n}" for n in range(4, 25, 2)]
    out = {hm_symbol(s): s for s in names}
    out.update({"m-3-5": "Ih", "-53m": "Ih", "2mm": "C2v", "m2m": "C2v", "-4m2": "D2d", "-62m": "D3h",
                "-3m1": "D3d", "-31m": "D3d", "3m1": "C3v", "31m": "C3v", "321": "D3", "312": "D3",
                "4/m-32/m": "Oh", "2/m": "C2h", "-6": "C3h", "-1": "Ci"})
    return out


def canonical_name(name: str) -> str:
    """Schoenflies name for a Schoenflies or HM input; SymmetryError if unknown.

    >>> canonical_name("4/mmm"), canonical_name("oh"), canonical_name("C3i")
    ('D4h', 'Oh', 'S6')
    """
    raw = name.strip().replace(" ", "")
    if raw in _ALIASES:
        return _ALIASES[raw]
    hm = _hm_map()
    if raw in hm:
        return hm[raw]
    cand = raw[0].upper() + raw[1:].lower() if raw else raw
    cand = _ALIASES.get(cand, cand)
    try:
        schoenflies_parts(cand)
    except SymmetryError:
        raise SymmetryError(
            f"unknown point group {name!r}: give a Schoenflies (Oh, D4h, C3v, Ih, D5d) or "
            "Hermann–Mauguin (m-3m, 4/mmm, 3m) symbol"
        ) from None
    return cand


def crystal_system(number: int) -> str:
    """Crystal system of space group ``number`` (1–230)."""
    for upper, name in ((2, "triclinic"), (15, "monoclinic"), (74, "orthorhombic"), (142, "tetragonal"),
                        (167, "trigonal"), (194, "hexagonal"), (230, "cubic")):
        if number <= upper:
            return name
    raise ValueError(f"space group number {number} out of range")


_SYSTEM_LETTER = {"triclinic": "a", "monoclinic": "m", "orthorhombic": "o", "tetragonal": "t",
                  "trigonal": "h", "hexagonal": "h", "cubic": "c"}


def bravais_symbol(number: int, hm: str) -> str:
    """Bravais lattice symbol: aP, mP, mC, oP, oS/oC, oI, oF, tP, tI, hP, hR, cP, cI, cF."""
    system = crystal_system(number)
    centring = hm[0]
    if centring in "ABC":
        centring = "C" if system == "monoclinic" else "S"
    return _SYSTEM_LETTER[system] + centring


def pearson_symbol(number: int, hm: str, n_conventional: int) -> str:
    """Pearson symbol: Bravais symbol + atoms in the conventional cell (rhombohedral cell for hR)."""
    b = bravais_symbol(number, hm)
    n = n_conventional // 3 if b == "hR" else n_conventional
    return f"{b}{n}"


def _frac(x: float) -> str:
    f = Fraction(float(x)).limit_denominator(12)
    return str(f) if f.denominator != 1 else str(f.numerator)


def rotation_type(W: np.ndarray) -> str:
    """ITA type of a rotation matrix (any basis): 1, 2, 3, 4, 6, -1, m, -3, -4, -6."""
    det = round(float(np.linalg.det(W)))
    tr = round(float(np.trace(W)))
    if det == 1:
        return {3: "1", -1: "2", 0: "3", 1: "4", 2: "6"}[tr]
    return {-3: "-1", 1: "m", 0: "-3", -1: "-4", -2: "-6"}[tr]


def rotation_axis(W: np.ndarray) -> np.ndarray | None:
    """Smallest integer direction of the rotation axis (mirror normal for m); None for ±1."""
    P = W * np.sign(np.linalg.det(W))
    if np.allclose(P, np.eye(3)):
        return None
    vals, vecs = np.linalg.eig(P)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1))])
    if rotation_type(W) == "m":  # mirror: its normal is the -1 eigenvector of W
        vals, vecs = np.linalg.eig(W)
        v = np.real(vecs[:, np.argmin(np.abs(vals + 1))])
    v = v / np.max(np.abs(v))
    for scale in range(1, 7):
        r = np.round(v * scale)
        if np.allclose(v * scale, r, atol=1e-6):
            v = r
            break
    if v[np.nonzero(np.abs(v) > 1e-9)[0][0]] < 0:
        v = -v
    return v


def seitz_symbol(W: np.ndarray, w: np.ndarray | None = None) -> str:
    """Seitz symbol {R|t} of a space-group operation in the lattice basis, e.g.
    '{4+_[001]|0 0 1/2}', '{m_[010]|0}', '{-1|0}'.

    Same notation as :func:`symbreak_cli.groups._operations.classify` (which names
    Cartesian point operations), but the axis is the lattice direction [uvw] of the
    integer matrix W, as ITA writes it — so this works in any (non-orthogonal) basis.
    """
    text = _rotation_part(np.asarray(W, float).round(9).tobytes())
    if w is None:
        return f"{{{text}|0}}"
    t = np.mod(np.asarray(w, float) + 1e-9, 1.0) - 1e-9
    if np.all(np.abs(t) <= 1e-6):
        return f"{{{text}|0}}"
    return f"{{{text}|{_translation_part(tuple(np.round(t, 6).tolist()))}}}"


@lru_cache(maxsize=4096)
def _translation_part(w: tuple[float, ...]) -> str:
    return " ".join(_frac(x) for x in w)


def _integer_rotation_part(W: list[list[int]]) -> str:
    """:func:`_rotation_part` of an integer matrix in exact integer arithmetic: the axis is
    the kernel of P − 1 (P = det·W, rank 2 for every crystallographic rotation but ±1), the
    cross product of two independent rows, divided by the gcd of its entries.
    """
    (a, b, c), (d, e, f), (g, h, i) = W
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    tr = a + e + i
    if det == 1:
        kind = {3: "1", -1: "2", 0: "3", 1: "4", 2: "6"}[tr]
    else:
        kind = {-3: "-1", 1: "m", 0: "-3", -1: "-4", -2: "-6"}[tr]
    if kind in ("1", "-1"):
        return kind
    P = [[det * x for x in row] for row in W]
    M = [[P[r][k] - (r == k) for k in range(3)] for r in range(3)]
    axis = None
    for r, q in ((0, 1), (0, 2), (1, 2)):
        u, v = M[r], M[q]
        cross = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]
        if any(cross):
            axis = cross
            break
    if axis is None:
        raise ValueError("not a rotation matrix")
    g = gcd(*(abs(x) for x in axis))
    axis = [x // g for x in axis]
    if next(x for x in axis if x) < 0:
        axis = [-x for x in axis]
    text = kind
    if kind in ("3", "4", "6", "-3", "-4", "-6"):
        x = [1, 0, 0] if abs(axis[0]) <= max(abs(axis[1]), abs(axis[2])) else [0, 1, 0]
        Px = [sum(P[r][k] * x[k] for k in range(3)) for r in range(3)]
        sense = (axis[0] * (x[1] * Px[2] - x[2] * Px[1]) - axis[1] * (x[0] * Px[2] - x[2] * Px[0])
                 + axis[2] * (x[0] * Px[1] - x[1] * Px[0]))
        text += "+" if sense > 0 else "-"
    m = max(abs(x) for x in axis)
    if m > 6:  # as the general path writes a direction it cannot scale to integers
        return text + "_[" + "".join(str(x // m) if x % m == 0 else f"{x / m:.3g}" for x in axis) + "]"
    return text + "_[" + "".join(str(x) for x in axis) + "]"


@lru_cache(maxsize=4096)
def _rotation_part(W_bytes: bytes) -> str:
    """The rotation part of a Seitz symbol ('4+_[001]'): rotations repeat across the structures
    of a batch (translations, with their noise, do not), so it is computed once per matrix;
    integer matrices (every lattice-basis operation) in exact integer arithmetic.
    """
    W = np.frombuffer(W_bytes, dtype=float).reshape(3, 3)
    Wi = np.rint(W)
    if np.abs(W - Wi).max() < 1e-9 and abs(round(float(np.linalg.det(Wi)))) == 1:
        try:
            return _integer_rotation_part(Wi.astype(int).tolist())
        except (KeyError, ValueError):
            pass  # not a crystallographic rotation: the general path says so
    return _general_rotation_part(W)


def _general_rotation_part(W: np.ndarray) -> str:
    kind = rotation_type(W)
    axis = rotation_axis(W)
    text = kind
    if axis is not None:
        if kind in ("3", "4", "6", "-3", "-4", "-6"):
            P = W * np.sign(np.linalg.det(W))
            x = np.array([1.0, 0.0, 0.0]) if abs(axis[0]) < max(abs(axis[1]), abs(axis[2])) + 1e-9 else np.array([0.0, 1.0, 0.0])
            sense = np.linalg.det(np.column_stack([axis, x, P @ x]))
            text += "+" if sense > 0 else "-"
        text += "_[" + "".join(str(int(a)) if float(a).is_integer() else f"{a:.3g}" for a in axis) + "]"
    return text
