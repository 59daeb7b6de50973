"""Names users know: point groups in HM and Schoenflies, crystal systems, Bravais and
Pearson symbols, and Seitz symbols {W|w} for space-group operations (ITA conventions)."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

#: order of each crystallographic point group (Schoenflies, as naming.canonical_name spells it)
_ORDERS = {"C1": 1, "Ci": 2, "C2": 2, "Cs": 2, "C2h": 4, "D2": 4, "C2v": 4, "D2h": 8, "C4": 4, "S4": 4, "C4h": 8,
           "D4": 8, "C4v": 8, "D2d": 8, "D4h": 16, "C3": 3, "S6": 6, "D3": 6, "C3v": 6, "D3d": 12, "C6": 6,
           "C3h": 6, "C6h": 12, "D6": 12, "C6v": 12, "D3h": 12, "D6h": 24, "T": 12, "Th": 24, "O": 24, "Td": 24, "Oh": 48}


def point_group_names(hm: str) -> tuple[str, int]:
    """(Schoenflies, order) of a crystallographic point group given by its HM symbol in any
    setting spglib writes ('-4m2', '3m1', …); names come from :mod:`.naming`, the one table."""
    from symbreak_cli.groups._catalogue import canonical_name

    s = canonical_name(hm)
    return s, _ORDERS[s]


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
    t = None if w is None else tuple(np.round(np.mod(np.asarray(w, float) + 1e-9, 1.0) - 1e-9, 6).tolist())
    return _seitz_cached(np.asarray(W, float).round(9).tobytes(), t)


@lru_cache(maxsize=4096)
def _seitz_cached(W_bytes: bytes, w: tuple[float, ...] | None) -> str:
    """Operations repeat across the structures of a batch; the symbol is computed once."""
    W = np.frombuffer(W_bytes, dtype=float).reshape(3, 3)
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
    if w is None or np.allclose(w, 0.0, atol=1e-6):
        return f"{{{text}|0}}"
    return f"{{{text}|{' '.join(_frac(x) for x in w)}}}"
