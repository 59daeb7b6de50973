r"""Reading learned relaxed weights θ in physical terms (numpy results, full precision).

e3nn's real bases: a 1o (or 1e) block is a Cartesian (x, y, z) vector; a 2e block
:math:`\theta_2` is the symmetric traceless tensor Q with
:math:`\theta_2\cdot Y_2(\hat r) = \hat r^{\mathsf T} Q \hat r` (component normalisation).
The learned signal is :math:`S(\hat r) = \sum_l \theta_l \cdot Y_l(\hat r)` over the
natural-parity blocks :math:`p = (-1)^l`. θ's layout comes from
:class:`~symbreak_cli.nn.protocol.ThetaLayout` (via the model's readout).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.groups import parse_irrep, spherical_harmonics
from symbreak_cli.nn.protocol import LayerReadout

ZERO_NORM = 1e-12  # θ units: a block below this has no direction to read


@dataclass(frozen=True)
class VectorReading:
    """A 1o/1e block as a vector: ``direction`` (3,) unit Cartesian, ``magnitude`` (θ units)."""

    direction: np.ndarray
    magnitude: float


@dataclass(frozen=True)
class TensorReading:
    """A 2e block as Q (3, 3) symmetric traceless; eigenvalues (3,) ascending, unit
    eigenvectors (3, 3) as rows in the same order, and the axis (3,) of the eigenvalue
    farthest from the other two.
    """

    matrix: np.ndarray
    principal_values: np.ndarray
    principal_axes: np.ndarray
    unique_axis: np.ndarray


@dataclass(frozen=True)
class ThetaReading:
    """One layer's θ: blocks per irrep label (e3nn basis), their norms (θ units), each
    non-scalar norm's share of the non-scalar total (0 for 0e), and physical readings.
    """

    layer: str
    coefficients: dict[str, np.ndarray]
    norms: dict[str, float]
    shares: dict[str, float]
    vector_1o: VectorReading | None
    axis_1e: VectorReading | None
    tensor_2e: TensorReading | None


@dataclass(frozen=True)
class SignalGrid:
    """S(r̂) (n_polar, n_azimuth) on a grid: polar angle from +z, azimuth from +x (deg)."""

    polar_deg: np.ndarray
    azimuth_deg: np.ndarray
    values: np.ndarray


def quadrupole_matrix(theta_2e: np.ndarray) -> np.ndarray:
    """Symmetric traceless Q with θ₂·Y₂(r̂) = r̂ᵀQr̂ (solved from 12 sample directions)."""
    r = np.random.default_rng(0).normal(size=(12, 3))
    r /= np.linalg.norm(r, axis=1, keepdims=True)
    vals = spherical_harmonics(2, r) @ np.asarray(theta_2e, float)
    # unknowns q = (Qxx, Qyy, Qzz, Qxy, Qxz, Qyz)
    A = np.stack([r[:, 0] ** 2, r[:, 1] ** 2, r[:, 2] ** 2, 2 * r[:, 0] * r[:, 1],
                  2 * r[:, 0] * r[:, 2], 2 * r[:, 1] * r[:, 2]], axis=1)
    q = np.linalg.lstsq(A, vals, rcond=None)[0]
    return np.array([[q[0], q[3], q[4]], [q[3], q[1], q[5]], [q[4], q[5], q[2]]])


def principal_axes(Q: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Eigenvalues (ascending), unit eigenvectors as rows, and the index of the unique
    axis (the eigenvalue farthest from the other two).
    """
    w, v = np.linalg.eigh(Q)
    gaps = [abs(w[i] - np.mean(np.delete(w, i))) for i in range(3)]
    return w, v.T, int(np.argmax(gaps))


def _vector(v: np.ndarray) -> VectorReading | None:
    n = float(np.linalg.norm(v))
    return VectorReading(direction=v / n, magnitude=n) if n > ZERO_NORM else None


def read_theta(readout: LayerReadout, layer: str) -> ThetaReading:
    """Norms, shares and the 1o / 1e / 2e readings of one layer's θ."""
    coeffs = readout.coeffs
    norms = {k: float(np.linalg.norm(v)) for k, v in coeffs.items()}
    total = sum(v for k, v in norms.items() if k != "0e") or 1.0
    shares = {k: 0.0 if k == "0e" else n / total for k, n in norms.items()}
    t2 = None
    if "2e" in coeffs and norms["2e"] > ZERO_NORM:
        Q = quadrupole_matrix(coeffs["2e"])
        w, axes, u = principal_axes(Q)
        t2 = TensorReading(matrix=Q, principal_values=w, principal_axes=axes, unique_axis=axes[u].copy())
    return ThetaReading(layer=layer, coefficients=coeffs, norms=norms, shares=shares,
                        vector_1o=_vector(coeffs["1o"]) if "1o" in coeffs else None,
                        axis_1e=_vector(coeffs["1e"]) if "1e" in coeffs else None, tensor_2e=t2)


def signal_grid(coeffs: dict[str, np.ndarray], n_polar: int = 19, n_azimuth: int = 37) -> SignalGrid:
    """S(r̂) of the natural-parity blocks on a (polar, azimuth) grid."""
    pol = np.linspace(0, np.pi, n_polar)
    azi = np.linspace(-np.pi, np.pi, n_azimuth)
    P, A = np.meshgrid(pol, azi, indexing="ij")
    r = np.stack([np.sin(P) * np.cos(A), np.sin(P) * np.sin(A), np.cos(P)], axis=-1).reshape(-1, 3)
    vals = np.zeros(len(r))
    for lab, c in coeffs.items():
        l, p = parse_irrep(lab)
        if p == (-1) ** l:  # natural parity blocks only
            vals += spherical_harmonics(l, r) @ c
    return SignalGrid(polar_deg=np.degrees(pol), azimuth_deg=np.degrees(azi), values=vals.reshape(P.shape))
