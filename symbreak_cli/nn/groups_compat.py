r"""O(3) representations in e3nn's real basis, from :mod:`symbreak_cli.groups`.

``groups`` is to become the one numpy home of Wigner-D matrices and spherical harmonics
(``groups.wigner_D(l, p, mats)``, ``groups.spherical_harmonics(l, xyz)``). Until a branch
has them, this shim falls back to ``groups.wigner_from_polynomials`` (the same D, exact to
~1e-12) and to e3nn's ``o3.spherical_harmonics`` (``normalize=True``,
``normalization="component"``: :math:`\|Y_l(\hat r)\|^2 = 2l+1`). Delete it once
``groups`` exports both names.

>>> import numpy as np
>>> D = wigner_D(1, -1, np.diag([1.0, -1.0, 1.0])[None])   # 1o: D(R) = R
>>> np.allclose(D[0], np.diag([1.0, -1.0, 1.0]))
True
"""

from __future__ import annotations

import numpy as np

from symbreak_cli import groups


def wigner_D(l: int, p: int, mats) -> np.ndarray:
    """(n, 2l+1, 2l+1) real Wigner D of the O(3) irrep (l, p) for (n, 3, 3) matrices."""
    mats = np.asarray(mats, dtype=np.float64).reshape(-1, 3, 3)
    fn = getattr(groups, "wigner_D", None)
    if fn is not None:
        return np.asarray(fn(l, p, mats))
    return groups.wigner_from_polynomials(l, p, mats)


def spherical_harmonics(l: int, xyz) -> np.ndarray:
    """(n, 2l+1) e3nn's Y_l at the directions of ``xyz`` (n, 3), component normalisation."""
    xyz = np.asarray(xyz, dtype=np.float64).reshape(-1, 3)
    fn = getattr(groups, "spherical_harmonics", None)
    if fn is not None:
        return np.asarray(fn(l, xyz))
    import torch
    from e3nn import o3

    return o3.spherical_harmonics(l, torch.as_tensor(xyz), normalize=True, normalization="component").numpy()


def block_diag_D(irreps: list[tuple[int, int, int]], mats) -> np.ndarray:
    """(n, dim, dim) D of a direct sum ``[(mul, l, p), …]`` (e3nn ``Irreps`` order)."""
    mats = np.asarray(mats, dtype=np.float64).reshape(-1, 3, 3)
    dim = sum(mul * (2 * l + 1) for mul, l, _ in irreps)
    out = np.zeros((len(mats), dim, dim))
    i = 0
    for mul, l, p in irreps:
        D = wigner_D(l, p, mats)
        d = 2 * l + 1
        for _ in range(mul):
            out[:, i:i + d, i:i + d] = D
            i += d
    return out


def random_o3(n: int, seed: int = 0) -> np.ndarray:
    """(2n, 3, 3) float64: n Haar-random rotations, then the same n times −1 (improper)."""
    rng = np.random.default_rng(seed)
    Q, Rr = np.linalg.qr(rng.normal(size=(n, 3, 3)))
    Q = Q * np.sign(np.diagonal(Rr, axis1=1, axis2=2))[:, None, :]  # Haar (sign fix of QR)
    Q = Q * np.sign(np.linalg.det(Q))[:, None, None]  # proper
    return np.concatenate([Q, -Q])
