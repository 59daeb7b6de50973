"""Every tolerance of the group-theory layer, named once, with its unit.

Matrix comparisons take a tolerance *scale* ``tol`` (dimensionless, :data:`DEFAULT_TOL`):
two 3×3 orthogonal matrices are the same operation when every entry differs by at most
``MATCH_FACTOR · tol`` (1e-4 at the default). Callers pass ``tol`` (``PointGroup(…, tol)``,
``classify(R, tol)``); the factor is applied in one place, :func:`entry_tolerance`.

>>> entry_tolerance(DEFAULT_TOL)
0.0001
"""

from __future__ import annotations

#: default tolerance scale for matrix comparisons (dimensionless; see :func:`entry_tolerance`)
DEFAULT_TOL = 1e-5
#: two matrices are equal when max_ij |A_ij − B_ij| ≤ MATCH_FACTOR · tol
MATCH_FACTOR = 10.0
#: smallest max |RᵀR − I| entry ever called orthogonal (dimensionless), whatever ``tol``
ORTHOGONALITY_FLOOR = 1e-4
#: rotation angles below MATCH_FACTOR · max(tol, IDENTITY_ANGLE_FLOOR) radians are the identity
IDENTITY_ANGLE_FLOOR = 1e-7
#: an angle is read as 2πm/n when it is within MATCH_FACTOR · max(tol, ANGLE_FRACTION_FLOOR) radians
ANGLE_FRACTION_FLOOR = 1e-4
#: highest rotation order n a matrix is read as (C_n, S_n with n ≤ 60)
MAX_ROTATION_ORDER = 60
#: two unit axes are the same line when ||u·v| − 1| ≤ AXIS_TOL (dimensionless, cosines)
AXIS_TOL = 1e-5
#: rotation angles are told apart to at least IDENTIFY_ANGLE_TOL radians when naming a group
#: from its matrices; matrices known only to a coarser entry tolerance widen it (see below)
IDENTIFY_ANGLE_TOL = 1e-6
#: the widest angle tolerance, radians: distinct orders n ≤ 12 differ by ≥ 2π/12 − 2π/13 ≈ 0.04
IDENTIFY_ANGLE_CAP = 0.01
#: eigen-solved characters within CHARACTER_SNAP of an integer are that integer (exact for most)
CHARACTER_SNAP = 1e-7
#: default relative tolerance ‖D(g)θ − θ‖ / ‖θ_non-scalar‖ of :func:`stabilizer_of_signal`
SIGNAL_TOL = 1e-3
#: tolerance scale used to merge and close the stabiliser's candidate matrices
STABILIZER_MATRIX_TOL = 1e-4


def entry_tolerance(tol: float) -> float:
    """Largest matrix-entry difference (dimensionless) accepted at tolerance scale ``tol``."""
    return MATCH_FACTOR * tol


def identify_angle_tolerance(tol: float) -> float:
    """Angle tolerance (radians) matched to matrices equal to :func:`entry_tolerance` ``(tol)``.

    An entry error δ moves the trace by up to 3δ, and the angle θ = arccos((tr − 1)/2) by
    3δ / (2 sin θ) — about 2δ away from θ → 0, π; the cap keeps orders up to 12 apart.

    >>> identify_angle_tolerance(1e-5) <= 1e-3 < identify_angle_tolerance(1e-3) <= IDENTIFY_ANGLE_CAP
    True
    """
    return min(max(IDENTIFY_ANGLE_TOL, 2.0 * entry_tolerance(tol)), IDENTIFY_ANGLE_CAP)

