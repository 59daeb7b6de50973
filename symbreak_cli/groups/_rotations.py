r"""Rotations of R³: the one axis–angle (Rodrigues) map and its inverse.

.. math::

    R(\hat u, \theta) = I + \sin\theta\,[\hat u]_\times + (1 - \cos\theta)\,[\hat u]_\times^2,

counter-clockwise by θ (radians) looking down the axis û (any non-zero length; it is
normalised). :func:`rotation_axis_angle` inverts it for a proper rotation, θ ∈ [0, π].

>>> import numpy as np
>>> R = axis_angle([0, 0, 1], np.pi / 2)
>>> np.allclose(R @ [1, 0, 0], [0, 1, 0])
True
>>> u, theta = rotation_axis_angle(R)
>>> u.tolist(), round(float(np.degrees(theta)), 9)
([0.0, 0.0, 1.0], 90.0)
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.groups._tolerances import DEFAULT_TOL, IDENTITY_ANGLE_FLOOR, entry_tolerance


def skew(u: np.ndarray) -> np.ndarray:
    """(3, 3) cross-product matrix [u]× with [u]× v = u × v."""
    return np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])


def axis_angle(axis, angle: float) -> np.ndarray:
    """(3, 3) rotation by ``angle`` radians about ``axis`` (3,), right-handed (Rodrigues).

    Parameters
    ----------
    axis : array_like, shape (3,)
        Rotation axis, any non-zero length.
    angle : float
        Radians, counter-clockwise looking down ``axis``.

    Returns
    -------
    numpy.ndarray, shape (3, 3), float64, proper orthogonal.

    >>> np.round(axis_angle([1, 0, 0], np.pi), 12) + 0.0
    array([[ 1.,  0.,  0.],
           [ 0., -1.,  0.],
           [ 0.,  0., -1.]])
    """
    u = np.asarray(axis, dtype=np.float64)
    u = u / np.linalg.norm(u)
    K = skew(u)
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * K @ K


def rotation_axis_angle(R: np.ndarray, tol: float = DEFAULT_TOL) -> tuple[np.ndarray, float]:
    """Axis û (3,) and angle θ ∈ [0, π] radians of a proper rotation, R = exp(θ [û]×).

    θ = atan2(|(R − Rᵀ)ᵛ|/2, (tr R − 1)/2); for θ < π, û ∝ (R − Rᵀ)ᵛ; at θ ≈ π, û is the
    +1 eigenvector. Angles below ``MATCH_FACTOR · max(tol, IDENTITY_ANGLE_FLOOR)`` radians
    return the identity's (zeros(3), 0.0). The inverse of :func:`axis_angle` for θ ∈ (0, π).
    """
    w = np.array([R[2, 1] - R[1, 2], R[0, 2] - R[2, 0], R[1, 0] - R[0, 1]])
    # atan2 stays accurate near 0 and π, where arccos of the trace loses half the digits
    theta = float(np.arctan2(np.linalg.norm(w) / 2.0, (np.trace(R) - 1.0) / 2.0))
    if theta < entry_tolerance(max(tol, IDENTITY_ANGLE_FLOOR)):
        return np.zeros(3), 0.0
    if np.linalg.norm(w) > 1e-3:  # far enough from π for the skew part to fix the axis
        return w / np.linalg.norm(w), theta
    # θ ≈ π: R + I = 2ûûᵀ
    S = (R + np.eye(3)) / 2.0
    k = int(np.argmax(np.diag(S)))
    u = S[:, k] / np.sqrt(max(S[k, k], 1e-300))
    return u / np.linalg.norm(u), theta


def random_o3(n: int, seed: int = 0) -> np.ndarray:
    """(2n, 3, 3) float64: n Haar-random rotations, then the same n times −1 (improper)."""
    rng = np.random.default_rng(seed)
    Q, Rr = np.linalg.qr(rng.normal(size=(n, 3, 3)))
    Q = Q * np.sign(np.diagonal(Rr, axis1=1, axis2=2))[:, None, :]  # Haar (sign fix of QR)
    Q = Q * np.sign(np.linalg.det(Q))[:, None, None]  # proper
    return np.concatenate([Q, -Q])
