r"""Reading learned relaxed weights θ in physical terms.

e3nn's real bases: a 1o (or 1e) block is a Cartesian (x, y, z) vector; a 2e block
:math:`\theta_2` is the symmetric traceless tensor Q with
:math:`\theta_2\cdot Y_2(r) = r^{\mathsf T} Q r` (``Y_2`` unnormalised, component
normalisation). The learned signal is :math:`S(\hat r) = \sum_l \theta_l \cdot Y_l(\hat r)`
over the natural-parity blocks :math:`p = (-1)^l`.
"""

from __future__ import annotations

import numpy as np


def irrep_labels(l_relaxed: int) -> list[str]:
    out = []
    for l in range(l_relaxed + 1):
        nat, other = ("e", "o") if l % 2 == 0 else ("o", "e")
        out += [f"{l}{nat}", f"{l}{other}"]
    return out


def split_theta(theta: np.ndarray, l_relaxed: int) -> dict[str, np.ndarray]:
    """θ (dim,) → {'0e': (1,), '0o': (1,), '1o': (3,), …} in e3nn's basis."""
    out, i = {}, 0
    for lab in irrep_labels(l_relaxed):
        d = 2 * int(lab[:-1]) + 1
        out[lab] = np.asarray(theta[i:i + d], dtype=np.float64)
        i += d
    return out


def wigner_d(label: str, matrices: np.ndarray) -> np.ndarray:
    """(n, 2l+1, 2l+1) real Wigner D of O(3) irrep ``label`` for (n, 3, 3) matrices."""
    import torch
    from e3nn import o3

    ir = o3.Irrep(label)
    R = torch.tensor(np.array(matrices), dtype=torch.float64)
    return ir.D_from_matrix(R).numpy()


def quadrupole_matrix(theta_2e: np.ndarray) -> np.ndarray:
    """Symmetric traceless Q with θ₂·Y₂(r) = rᵀQr (solved from 12 sample points)."""
    import torch
    from e3nn import o3

    r = np.random.default_rng(0).normal(size=(12, 3))
    y = o3.spherical_harmonics(2, torch.as_tensor(r), normalize=False, normalization="component").numpy()
    vals = y @ theta_2e
    # unknowns q = (Qxx, Qyy, Qzz, Qxy, Qxz, Qyz)
    A = np.stack([r[:, 0] ** 2, r[:, 1] ** 2, r[:, 2] ** 2, 2 * r[:, 0] * r[:, 1],
                  2 * r[:, 0] * r[:, 2], 2 * r[:, 1] * r[:, 2]], axis=1)
    q = np.linalg.lstsq(A, vals, rcond=None)[0]
    return np.array([[q[0], q[3], q[4]], [q[3], q[1], q[5]], [q[4], q[5], q[2]]])


def principal_axes(Q: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Eigenvalues (ascending), unit eigenvectors as rows, and the index of the unique
    axis (the eigenvalue farthest from the other two)."""
    w, v = np.linalg.eigh(Q)
    gaps = [abs(w[i] - np.mean(np.delete(w, i))) for i in range(3)]
    return w, v.T, int(np.argmax(gaps))


def signal_grid(coeffs: dict[str, np.ndarray], n_polar: int = 19, n_azimuth: int = 37) -> dict:
    """S(r̂) on a (polar, azimuth) grid in degrees; polar angle from +z."""
    import torch
    from e3nn import o3

    pol = np.linspace(0, np.pi, n_polar)
    azi = np.linspace(-np.pi, np.pi, n_azimuth)
    P, A = np.meshgrid(pol, azi, indexing="ij")
    r = np.stack([np.sin(P) * np.cos(A), np.sin(P) * np.sin(A), np.cos(P)], axis=-1).reshape(-1, 3)
    vals = np.zeros(len(r))
    for lab, c in coeffs.items():
        l = int(lab[:-1])
        if (lab[-1] == "e") == (l % 2 == 0):  # natural parity blocks only
            y = o3.spherical_harmonics(l, torch.as_tensor(r), normalize=True, normalization="component").numpy()
            vals += y @ c
    return {"polar_deg": np.degrees(pol).round(3).tolist(), "azimuth_deg": np.degrees(azi).round(3).tolist(),
            "values": vals.reshape(P.shape).round(6).tolist()}


def axis_candidates(coeffs: dict[str, np.ndarray], bisectors: bool = True) -> list[np.ndarray]:
    """Directions a stabiliser of θ may use: x, y, z, the 1o/1e vectors, 2e principal axes
    and their pairwise bisectors (for σd / C2′ operations)."""
    axes = [np.eye(3)[i] for i in range(3)]
    for lab in ("1o", "1e"):
        if lab in coeffs and np.linalg.norm(coeffs[lab]) > 1e-9:
            axes.append(coeffs[lab] / np.linalg.norm(coeffs[lab]))
    if "2e" in coeffs and np.linalg.norm(coeffs["2e"]) > 1e-9:
        axes += list(principal_axes(quadrupole_matrix(coeffs["2e"]))[1])
    base = list(axes)
    for i in range(len(base) if bisectors else 0):
        for j in range(i + 1, len(base)):
            for s in (1, -1):
                b = base[i] + s * base[j]
                if np.linalg.norm(b) > 1e-6:
                    axes.append(b / np.linalg.norm(b))
    return axes


def rotation(axis: np.ndarray, angle: float) -> np.ndarray:
    a = axis / np.linalg.norm(axis)
    K = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * K @ K


def candidate_operations(coeffs: dict[str, np.ndarray], extra: np.ndarray | None = None,
                         bisectors: bool = True) -> np.ndarray:
    """Proper and improper rotations about the candidate axes (orders 2, 3, 4, 6)."""
    mats = [np.eye(3), -np.eye(3)]
    for a in axis_candidates(coeffs, bisectors):
        for n in (2, 3, 4, 6):
            for k in range(1, n):
                R = rotation(a, 2 * np.pi * k / n)
                mats += [R, -R]
    if extra is not None:
        mats += list(extra)
    return np.array(mats)


def stabilizer_matrices(coeffs: dict[str, np.ndarray], candidates: np.ndarray, tol: float) -> np.ndarray:
    """Candidates g with ‖D(g)θ_l − θ_l‖ ≤ tol for every block l (deduplicated)."""
    ok = np.ones(len(candidates), dtype=bool)
    for lab, c in coeffs.items():
        if int(lab[:-1]) == 0 and lab == "0e":
            continue
        if np.linalg.norm(c) <= tol:
            continue
        D = wigner_d(lab, candidates)
        ok &= np.linalg.norm(D @ c - c, axis=1) <= tol
    keep = candidates[ok]
    uniq = []
    for m in keep:  # near-parallel candidate axes give near-equal matrices: keep one
        if not any(np.abs(m - u).max() < 1e-2 for u in uniq):
            uniq.append(m)
    return np.array(uniq)
