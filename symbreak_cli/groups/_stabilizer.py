"""The point group that leaves a signal of O(3)-irrep coefficients invariant.

A relaxed e3nn layer's weights θ = {"0e": [..], "1o": [..], "2e": [..], …} (e3nn basis;
1o/1e ordered (x, y, z)) are invariant under g when D_(l,p)(g) θ_(l,p) = θ_(l,p) for every
part. :func:`stabilizer_of_signal` finds the largest such finite group:

1. candidate axes: the 1o/1e directions, the principal axes of the l = 2 tensors, the
   extrema of each part's spherical function S_l(r̂) = Σ_m θ_m Y_lm(r̂) (sampled on a
   Fibonacci sphere, refined by BFGS), the Cartesian axes, face and body diagonals,
   pairwise cross products and bisectors;
2. candidate operations: C_n and −C_n (n = 2…6; −C_2 is the mirror ⟂ the axis) about each
   axis, and the inversion;
3. keep those with ‖D(g)θ − θ‖ ≤ tol·‖θ_non-scalar‖ for every part, close under
   multiplication and name the result with :meth:`PointGroup.from_matrices`.

Continuous groups. If the signal is also invariant under a rotation by an irrational
angle about some axis u it has an axial symmetry: the result is named C∞, C∞v, C∞h, D∞
or D∞h with ``is_continuous=True``, ``axis=u`` and ``group`` its finite approximant
C6, C6v, C6h, D6 or D6h (principal axis along u) for further checks. A signal with no
non-scalar part is O(3) (``is_full_o3=True``, ``group=None``), SO(3) if it has a 0o part.

>>> s = stabilizer_of_signal({"1o": [1, 0, 0], "1e": [0, 1, 0]})   # E ∥ x, B ∥ y
>>> s.name, s.group.ops[1].symbol
('Cs', 'm_[010]')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.groups._catalogue import mirror, rot
from symbreak_cli.groups._harmonics import eval_monomials, harmonic_coefficients, monomials, wigner_D
from symbreak_cli.groups._o3 import parse_signal
from symbreak_cli.groups._operations import SIGN_REF
from symbreak_cli.groups._point_group import PointGroup, close_matrices, match_indices
from symbreak_cli.groups._polynomials import quadratic_form
from symbreak_cli.groups._tolerances import SIGNAL_TOL, STABILIZER_MATRIX_TOL

_CONTINUOUS_NAMES = {"C6": "C∞", "C6v": "C∞v", "C6h": "C∞h", "D6": "D∞", "D6h": "D∞h"}
_IRRATIONAL = 2 * np.pi * 0.1234567


@dataclass(frozen=True)
class SignalSymmetry:
    """Symmetry of a signal.

    name : Schoenflies ("D4h", "C∞v", "O(3)", "SO(3)"); hm : HM where one exists.
    group : the finite group (Cartesian, actual orientation), or the finite approximant
        of a continuous group; None for O(3)/SO(3).
    is_continuous, is_full_o3 : flags; axis : (3,) unit vector of a continuous axis.
    tol : relative tolerance used; max_residual : max over g of ‖D(g)θ − θ‖/‖θ_non-scalar‖.
    """

    name: str
    hm: str
    group: PointGroup | None
    is_continuous: bool = False
    is_full_o3: bool = False
    axis: tuple[float, float, float] | None = None
    tol: float = SIGNAL_TOL
    max_residual: float = 0.0


def _wigner(ls: list[tuple[int, int]], mats: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
    mats = np.asarray(mats, float).reshape(-1, 3, 3)
    return {(l, p): wigner_D(l, p, mats) for l, p in ls}


def _residuals(parts, mats: np.ndarray, scale: float) -> np.ndarray:
    """Largest over parts of ‖D(g)v − v‖ / scale, for each matrix."""
    D = _wigner(list(parts), mats)
    res = np.zeros(len(mats))
    for key, v in parts.items():
        res = np.maximum(res, np.linalg.norm(np.einsum("aij,j->ai", D[key], v) - v, axis=1) / scale)
    return res


def _rotations(axes: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """(k·m, 3, 3) Rodrigues rotations, axis-major: every angle (m,) about every unit axis
    (k, 3), right-handed (as :func:`~._rotations.axis_angle`, vectorised).
    """
    u = axes / np.linalg.norm(axes, axis=1, keepdims=True)
    K = np.zeros((len(u), 3, 3))
    K[:, 0, 1], K[:, 0, 2], K[:, 1, 2] = -u[:, 2], u[:, 1], -u[:, 0]
    K = K - K.transpose(0, 2, 1)
    K2 = K @ K
    s, c = np.sin(angles), 1.0 - np.cos(angles)
    R = np.eye(3) + s[None, :, None, None] * K[:, None] + c[None, :, None, None] * K2[:, None]
    return R.reshape(-1, 3, 3)


def _fibonacci(n: int = 400) -> np.ndarray:
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    r = np.sqrt(1 - z * z)
    a = np.pi * (1 + 5**0.5) * k
    return np.stack([r * np.cos(a), r * np.sin(a), z], axis=1)


def _extrema(l: int, v: np.ndarray) -> list[np.ndarray]:
    from scipy.optimize import minimize  # only here: BFGS refinement of the extrema

    M, mons = harmonic_coefficients(l), monomials(l)
    c = v @ M
    E = np.array(mons)
    # ∂/∂x_k of x^a y^b z^c: exponent k lowered by one, times its old value
    dE = [np.maximum(E - np.eye(3, dtype=int)[k], 0) for k in range(3)]

    def f_and_grad(x):
        n = np.linalg.norm(x)
        r = x / n
        val = float(np.prod(r ** E, axis=1) @ c)
        g = np.array([float((np.prod(r ** dE[k], axis=1) * E[:, k]) @ c) for k in range(3)])
        g = (g - r * (r @ g)) / n  # chain rule through r = x/|x|
        return val, g

    P = _fibonacci()
    vals = eval_monomials(mons, P) @ c
    nbr = np.argsort(-(P @ P.T), axis=1)[:, 1:7]
    out = []
    for sign in (1.0, -1.0):
        loc = np.flatnonzero((sign * vals[:, None] >= sign * vals[nbr]).all(axis=1))
        for i in loc[:16]:
            def obj(x, sign=sign):
                val, g = f_and_grad(x)
                return -sign * val, -sign * g

            r = minimize(obj, P[i], jac=True, method="BFGS", options={"gtol": 1e-12}).x
            out.append(r / np.linalg.norm(r))
    return out


def _candidate_axes(parts) -> list[np.ndarray]:
    axes = [np.eye(3)[k] for k in range(3)]
    axes += [np.array(d, float) for d in ((1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1), (0, 1, 1), (0, 1, -1),
                                          (1, 1, 1), (1, 1, -1), (1, -1, 1), (-1, 1, 1))]
    for (l, _), v in parts.items():
        if np.linalg.norm(v) < 1e-12 or l == 0:
            continue
        if l == 1:
            axes.append(v.copy())
        elif l == 2:
            axes += list(np.linalg.eigh(quadratic_form(v @ harmonic_coefficients(2)))[1].T)
        if l >= 2:
            axes += _extrema(l, v)
    base = _dedupe(np.array([a for a in axes if np.linalg.norm(a) > 1e-9]))
    i, j = np.triu_indices(len(base), 1)
    derived = np.concatenate([np.cross(base[i], base[j]), base[i] + base[j], base[i] - base[j]])
    derived = derived[np.linalg.norm(derived, axis=1) > 1e-6]
    return list(_dedupe(np.concatenate([base, derived])))[:600]


def _dedupe(A: np.ndarray) -> np.ndarray:
    """Unit directions up to sign, first occurrence kept (hash on rounded components)."""
    A = A / np.linalg.norm(A, axis=1, keepdims=True)
    flip = np.where(A @ SIGN_REF < 0, -1.0, 1.0)
    keys = np.round(A * flip[:, None], 4) + 0.0  # extrema are refined to ~1e-6: merge near-equal axes
    _, first = np.unique(keys, axis=0, return_index=True)
    return A[np.sort(first)]


def stabilizer_of_signal(coeffs: dict, tol: float = SIGNAL_TOL) -> SignalSymmetry:
    """Largest point group leaving every part of the signal invariant (module docstring).

    Parameters
    ----------
    coeffs : dict[str, array_like]
        e3nn irrep label ('0e', '1o', '2e', …) → its 2l+1 coefficients (e3nn's basis).
    tol : float
        Relative residual (dimensionless) ‖D(g)θ − θ‖ / ‖θ_non-scalar‖ accepted per part.

    Returns
    -------
    SignalSymmetry
    """
    if tol <= 0:
        raise OptionError(f"tol must be positive, got {tol}")
    parts = parse_signal(coeffs)
    nonscalar = {k: v for k, v in parts.items() if k[0] > 0}
    scale = float(np.sqrt(sum(float(v @ v) for v in nonscalar.values())))
    has_0o = (0, -1) in parts and np.linalg.norm(parts[(0, -1)]) > tol * max(np.linalg.norm(parts.get((0, 1), 0)), 1e-12)
    if scale <= 1e-12:
        name = "SO(3)" if has_0o else "O(3)"
        return SignalSymmetry(name=name, hm="∞∞" if has_0o else "∞∞m", group=None, is_full_o3=not has_0o,
                              is_continuous=True, tol=tol)
    work = dict(nonscalar)
    if has_0o:
        work[(0, -1)] = parts[(0, -1)]
    axes = _candidate_axes(nonscalar)
    A = np.array(axes)
    spin = _residuals(work, _rotations(A, np.array([_IRRATIONAL])), scale)
    if spin.min() <= tol:  # invariant under a rotation by an irrational angle: axial symmetry
        return _continuous(work, axes[int(np.argmin(spin))], axes, scale, tol)
    R = _rotations(A, 2 * np.pi / np.array([2, 3, 4, 5, 6])).reshape(len(A), 5, 1, 3, 3)
    cands = np.concatenate([-np.eye(3)[None], np.concatenate([R, -R], axis=2).reshape(-1, 3, 3)])
    res = _residuals(work, cands, scale)
    keep = res <= tol
    closed, mtol = _nearest_closed_group(cands[keep], res[keep], work, scale, tol)
    G = PointGroup.from_matrices(closed, tol=mtol)
    res = float(_residuals(work, G.matrices, scale).max())
    return SignalSymmetry(name=G.schoenflies, hm=G.hm, group=G, tol=tol, max_residual=res)


def _nearest_closed_group(ops: np.ndarray, res: np.ndarray, work, scale: float, tol: float):
    """(matrices, matrix tolerance scale): the group generated greedily by the candidate
    operations ``ops`` (each within ``tol``), in their order (exact axes first: a mirror a
    few mrad off ⟂ ŷ that fits within ``tol`` is reported as m_[010]).

    A signal whose parts are nearly but not exactly compatible (a learned E and B a few
    mrad from orthogonal) is invariant within ``tol`` under near-equal operations (mirrors
    ⟂ B tilted by ~tol) whose products are tiny irrational rotations: closing all of them
    never ends. An operation is only ambiguous to an angle of about ``tol`` (the residual
    of a unit part under a rotation by δ is ~δ), so matrices are matched at the tolerance
    scale max(STABILIZER_MATRIX_TOL, tol) (entries within ``MATCH_FACTOR`` · that), and an
    operation joins only if the group it generates with those already accepted closes and
    every element of it still leaves the signal invariant within ``tol`` — the largest
    closed group the parts allow, never an error.
    """
    mtol = max(STABILIZER_MATRIX_TOL, tol)
    closed = np.eye(3)[None]
    gens: list[np.ndarray] = []
    for i in range(len(ops)):  # candidate order: Cartesian axes and diagonals first, so exact axes win
        g = ops[i]
        if match_indices(g[None], closed, mtol)[0] >= 0:
            continue  # already in the group (or a near-copy of one of its elements)
        try:
            trial = close_matrices(np.array(gens + [g]), tol=mtol)
        except SymmetryError:  # with those accepted it generates no finite group
            continue
        if _residuals(work, trial, scale).max() > tol:
            continue
        gens.append(g)
        closed = trial
    return closed, mtol


def _continuous(work, u, axes, scale, tol) -> SignalSymmetry:
    """C∞, C∞v, C∞h, D∞, D∞h about u, with the 6-fold finite approximant."""
    w = next((a for a in axes if abs(a @ u) < 1e-7), None)
    if w is None:
        w = np.cross(u, [1.0, 0, 0]) if abs(u[0]) < 0.9 else np.cross(u, [0, 1.0, 0])
    w = w / np.linalg.norm(w)
    gens = [rot(u, 6)]
    tests = [mirror(np.cross(u, w)), rot(w, 2), mirror(u)]  # σv (contains u and w), C2′, σh
    gens += [g for g in tests if _residuals(work, g[None], scale)[0] <= tol]
    G = PointGroup.from_generators(gens)
    name = _CONTINUOUS_NAMES.get(G.schoenflies, G.schoenflies)
    hm = {"C∞": "∞", "C∞v": "∞m", "C∞h": "∞/m", "D∞": "∞2", "D∞h": "∞/mm"}.get(name, G.hm)
    res = float(_residuals(work, G.matrices, scale).max())
    return SignalSymmetry(name=name, hm=hm, group=G, is_continuous=True, axis=tuple(float(a) for a in u),
                          tol=tol, max_residual=res)
