"""Classify one Cartesian point operation (a 3×3 orthogonal matrix).

Every element of O(3) is a proper rotation R(û, θ) or an improper one, −R(û, θ) = i·R.
An improper operation is read as a rotation–reflection S: −R(û, θ) = σ_h·R(û, θ + π), so

* φ = θ + π ≡ 0 → a mirror σ with normal û (proper part C2),
* φ = θ + π ≡ π → the inversion i (proper part E),
* otherwise S_n^m with φ = 2πm/n (m odd when n is odd, because S_n^m is improper).

Symbols (the convention used everywhere in symbreak, ITA Seitz-like, no translation)::

    "1", "-1"             identity, inversion
    "4+_[001]"            C4 about +z, counter-clockwise looking down the axis
    "2_[1-10]"            C2 about [1 -1 0]
    "m_[100]"             mirror with normal x (the plane x = 0)
    "-3+_[111]"           roto-inversion -3 = i·C3+ about [111]
    "5+_[0,0.526,0.851]"  axes that are not small-integer directions print as unit vectors

``seitz`` wraps it as ``{4+_[001]|0}``. Roto-inversions use the crystallographer's -n
(−n = i·C_n), whereas class labels (:mod:`symbreak_cli.groups._classes`) use
Schoenflies S_n; for example -4+ = S4−, -3+ = S6−, -6+ = S3−.

>>> import numpy as np
>>> classify(np.diag([1.0, 1.0, -1.0])).symbol
'm_[001]'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups._rotations import rotation_axis_angle
from symbreak_cli.groups._tolerances import ANGLE_FRACTION_FLOOR, DEFAULT_TOL, MAX_ROTATION_ORDER, entry_tolerance

#: axis sign convention: an axis û is flipped so that û · SIGN_REF > 0 (z first, then y, x)
SIGN_REF = np.array([1e-3, 1e-2, 1.0]) / np.linalg.norm([1e-3, 1e-2, 1.0])


@dataclass(frozen=True)
class OpInfo:
    """What a 3×3 orthogonal matrix does.

    Attributes
    ----------
    proper : det = +1.
    order_n, power_m : the rotation angle of the proper part (proper ops) or of the
        Schoenflies rotation-reflection (improper ops) is 2π·m/n, fraction reduced,
        0 ≤ m < n, measured counter-clockwise about ``axis``. E: (1, 0); C2: (2, 1).
    axis : unit vector (3,), sign fixed by the module's convention (z-ish positive);
        zeros for E and i.
    kind : 'E', 'C', 'i', 'sigma' or 'S'.
    symbol : ITA-like symbol (see module docstring).
    element_order : smallest k ≥ 1 with g^k = E.
    """

    proper: bool
    order_n: int
    power_m: int
    axis: tuple[float, float, float]
    kind: str
    symbol: str
    element_order: int

    @property
    def seitz(self) -> str:
        """Seitz symbol without translation, ``{symbol|0}``."""
        return "{" + self.symbol + "|0}"


def _reduce_angle(phi: float, tol: float) -> tuple[int, int]:
    """φ ∈ [0, 2π) → (n, m) with φ = 2πm/n, fraction reduced."""
    x = (phi / (2 * np.pi)) % 1.0
    fr = Fraction(x).limit_denominator(MAX_ROTATION_ORDER)
    if abs(float(fr) - x) * 2 * np.pi > entry_tolerance(max(tol, ANGLE_FRACTION_FLOOR)):
        raise SymmetryError(f"rotation angle {np.degrees(phi):.4f}° is not 2π·m/n with n ≤ {MAX_ROTATION_ORDER}")
    if fr.numerator == fr.denominator:
        return 1, 0
    return fr.denominator, fr.numerator


_AXIS_FACTORS = np.array([a * b for a in (1.0, 2**0.5, 3**0.5, 5**0.5, 6**0.5, 3.0) for b in (1, 2, 3)])


def axis_text(u: np.ndarray) -> str:
    """[001], [1-10], [111] for small-integer directions, else a rounded unit vector."""
    v = u[None, :] * _AXIS_FACTORS[:, None]
    v = v / np.abs(v).max(axis=1, keepdims=True)
    for scale in (1, 2, 3):
        w = v * scale
        ok = (np.abs(w - np.round(w)).max(axis=1) < 1e-4)
        if ok.any():
            return "[" + "".join(str(int(a)) for a in np.round(w[int(np.argmax(ok))])) + "]"
    return "[" + ",".join(f"{a:.3g}" for a in u) + "]"


def canonical_axis(u: np.ndarray) -> np.ndarray:
    """Flip û so that û·ref > 0 with ref ≈ ẑ (slightly tilted to break ties)."""
    return -u if float(u @ SIGN_REF) < 0 else u


def classify(R: np.ndarray, tol: float = DEFAULT_TOL) -> OpInfo:
    """Classify an orthogonal 3×3 matrix (see the module docstring for conventions).

    Parameters
    ----------
    R : array_like, shape (3, 3)
        Orthogonal matrix (Cartesian).
    tol : float
        Tolerance scale (dimensionless, :mod:`._tolerances`): angles are read as 2πm/n to
        ``MATCH_FACTOR · max(tol, ANGLE_FRACTION_FLOOR)`` radians.

    Returns
    -------
    OpInfo

    >>> classify(-np.eye(3)).symbol, classify(np.diag([-1.0, -1.0, 1.0])).symbol
    ('-1', '2_[001]')
    """
    R = np.asarray(R, dtype=np.float64)
    det = float(np.linalg.det(R))
    proper = det > 0
    P = R if proper else -R
    u, theta = rotation_axis_angle(P, tol)
    if np.linalg.norm(u) > 0:
        cu = canonical_axis(u)
        if cu @ u < 0:
            theta = -theta
        u = cu
    phi = theta if proper else theta + np.pi
    n, m = _reduce_angle(phi, tol)
    ax = axis_text(u) if np.linalg.norm(u) > 0 else ""
    if proper:
        kind = "E" if n == 1 else "C"
        element_order = n
        if n == 1:
            symbol = "1"
        elif n == 2:
            symbol = f"2_{ax}"
        else:
            symbol = f"{n}{'+' if m == 1 else ('-' if m == n - 1 else '^' + str(m))}_{ax}"
    else:
        if n == 1:
            kind, element_order, symbol = "sigma", 2, f"m_{ax}"
        elif n == 2:
            kind, element_order, symbol, u = "i", 2, "-1", np.zeros(3)
        else:
            kind = "S"
            if n % 2 == 1 and m % 2 == 0:
                m += n  # S_n^m must have odd m for odd n
            element_order = n if n % 2 == 0 else 2 * n
            # crystallographic -k = i·C_k: proper part angle θ = φ − π
            nk, mk = _reduce_angle(phi - np.pi, tol)
            sense = "+" if mk == 1 else ("-" if mk == nk - 1 else "^" + str(mk))
            symbol = f"-{nk}{sense if nk > 2 else ''}_{ax}"
    return OpInfo(
        proper=proper,
        order_n=n,
        power_m=m,
        axis=tuple(float(a) for a in u),
        kind=kind,
        symbol=symbol,
        element_order=element_order,
    )
