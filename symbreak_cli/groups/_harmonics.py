r"""Real spherical harmonics and Wigner-D matrices of O(3) in e3nn's basis, numpy only.

Harmonics. e3nn's real harmonics are the standard real (no Condon–Shortley phase)
harmonics with the polar axis along **y**: e3nn's Y_l(x, y, z) is the textbook Y_l(X, Y, Z)
at X = z, Y = x, Z = y (e3nn's docstring: "called with the argument in the order y, z, x").
In component normalisation, |Y_l(r̂)|² = 2l + 1 and, for m = −l … l (index l + m),

.. math::

    Y_l^m = \sqrt{2l+1}\;\Pi_l^{|m|}(Z, r)\;
            \begin{cases} \sqrt2\,\operatorname{Im}(X + iY)^{|m|} & m < 0 \\
                          1 & m = 0 \\
                          \sqrt2\,\operatorname{Re}(X + iY)^{m} & m > 0 \end{cases}

    \Pi_l^m = \sqrt{\tfrac{(l-m)!}{(l+m)!}} \sum_k (-1)^k 2^{-l}
              \binom{l}{k}\binom{2l-2k}{l} \tfrac{(l-2k)!}{(l-2k-m)!}\, r^{2k} Z^{l-2k-m},

homogeneous polynomials of degree l (:func:`harmonic_coefficients` writes them in the
monomials x^a y^b z^c of :func:`monomials`). l = 1 is (x, y, z)·√3; l = 2 is, up to
normalisation, (xz, xy, y² − (x² + z²)/2, yz, (z² − x²)/2).

Wigner-D. Y(Rx) = D_l(R) Y(x) for proper R, so at 3(2l+1) sample points X,
D(R)ᵀ = Y(X)⁺ Y(X Rᵀ) — exact to ~1e-12 (e3nn's own ``D_from_matrix`` composes to ~5e-7).
An improper R = −R′ acts on the O(3) irrep (l, p) as p·D_l(R′) = p·(−1)^l·D_l(R)
(e3nn's ``Irrep(l, p).D_from_matrix``).

>>> import numpy as np
>>> spherical_harmonics(1, np.array([[0.0, 0.0, 2.0]])) / np.sqrt(3)
array([[0., 0., 1.]])
>>> R = np.diag([-1.0, -1.0, 1.0])                  # C2 about z
>>> np.allclose(wigner_D(1, -1, R[None])[0], R)     # 1o is the Cartesian vector
True
"""

from __future__ import annotations

from functools import lru_cache
from math import comb, factorial, sqrt

import numpy as np

#: highest l of :func:`spherical_harmonics` / :func:`wigner_D` (monomial cancellation grows with l)
MAX_L = 12


def monomials(l: int) -> list[tuple[int, int, int]]:
    """Exponents (a, b, c) of the monomials x^a y^b z^c of degree l, x-heavy first.

    >>> monomials(1)
    [(1, 0, 0), (0, 1, 0), (0, 0, 1)]
    """
    return [(a, b, l - a - b) for a in range(l, -1, -1) for b in range(l - a, -1, -1)]


def eval_monomials(mons, X: np.ndarray) -> np.ndarray:
    """(n, len(mons)) values of the monomials at the points X (n, 3)."""
    e = np.array(mons)
    return np.prod(X[:, None, :] ** e[None, :, :], axis=2)


def _poly_mul(p: dict, q: dict) -> dict:
    out: dict = {}
    for ea, ca in p.items():
        for eb, cb in q.items():
            e = (ea[0] + eb[0], ea[1] + eb[1], ea[2] + eb[2])
            out[e] = out.get(e, 0.0) + ca * cb
    return out


def _poly_pow(p: dict, n: int) -> dict:
    out = {(0, 0, 0): 1.0}
    for _ in range(n):
        out = _poly_mul(out, p)
    return out


@lru_cache(maxsize=None)
def harmonic_coefficients(l: int) -> np.ndarray:
    """(2l+1, n_monomials) e3nn's Y_l (component normalisation, unnormalised input) in
    the monomials of :func:`monomials` (module docstring); read-only, cached.

    >>> harmonic_coefficients(1) / np.sqrt(3)
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    if not 0 <= l <= MAX_L:
        raise ValueError(f"l must be between 0 and {MAX_L}, got {l}")
    # textbook axes in e3nn's coordinates (exponent slots x, y, z): X = z, Y = x, Z = y
    X, Y, Z = {(0, 0, 1): 1.0}, {(1, 0, 0): 1.0}, {(0, 1, 0): 1.0}
    r2 = {(2, 0, 0): 1.0, (0, 2, 0): 1.0, (0, 0, 2): 1.0}
    index = {m: i for i, m in enumerate(monomials(l))}
    M = np.zeros((2 * l + 1, len(index)))
    for m in range(-l, l + 1):
        am = abs(m)
        legendre: dict = {}
        for k in range((l - am) // 2 + 1):
            c = (-1) ** k * 2.0**-l * comb(l, k) * comb(2 * l - 2 * k, l) * factorial(l - 2 * k) / factorial(l - 2 * k - am)
            for e, v in _poly_mul(_poly_pow(r2, k), _poly_pow(Z, l - 2 * k - am)).items():
                legendre[e] = legendre.get(e, 0.0) + c * v
        # Re / Im of (X + iY)^|m|: the terms with (|m| − q) even / odd powers of iY
        azimuthal: dict = {(0, 0, 0): 1.0} if m == 0 else {}
        for q in range(am + 1):
            j = am - q  # power of iY, i^j = cos(jπ/2) + i sin(jπ/2)
            if (m > 0 and j % 2 == 0) or (m < 0 and j % 2 == 1):
                sign = (-1) ** (j // 2)
                for e, v in _poly_mul(_poly_pow(X, q), _poly_pow(Y, j)).items():
                    azimuthal[e] = azimuthal.get(e, 0.0) + sign * comb(am, q) * v
        scale = sqrt(2 * l + 1) * sqrt(factorial(l - am) / factorial(l + am)) * (sqrt(2.0) if m else 1.0)
        for e, v in _poly_mul(legendre, azimuthal).items():
            M[l + m, index[e]] += scale * v
    M.setflags(write=False)
    return M


def spherical_harmonics(l: int, xyz, normalize: bool = True) -> np.ndarray:
    """(..., 2l+1) e3nn's real spherical harmonics of degree l, component normalisation.

    Equal to ``e3nn.o3.spherical_harmonics(l, xyz, normalize, normalization="component")``.

    Parameters
    ----------
    l : int
        Degree, 0 ≤ l ≤ :data:`MAX_L`.
    xyz : array_like, shape (..., 3)
        Cartesian points.
    normalize : bool
        Project the points onto the unit sphere first (zero stays zero, as in e3nn);
        otherwise Y_l is the homogeneous polynomial of degree l.

    >>> spherical_harmonics(2, [0.0, 1.0, 0.0]).round(6) + 0.0    # y is e3nn's polar axis
    array([0.      , 0.      , 2.236068, 0.      , 0.      ])
    """
    x = np.asarray(xyz, dtype=np.float64)
    shape = x.shape[:-1]
    x = x.reshape(-1, 3)
    if normalize:
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)  # torch's F.normalize eps
    Y = eval_monomials(monomials(l), x) @ harmonic_coefficients(l).T
    return Y.reshape(*shape, 2 * l + 1)


@lru_cache(maxsize=None)
def _sample_inverse(l: int) -> tuple[np.ndarray, np.ndarray]:
    """Sample points X (3(2l+1), 3) and Y(X)⁺ ((2l+1), 3(2l+1)); fixed seed, cached."""
    X = np.random.default_rng(11).normal(size=(3 * (2 * l + 1), 3))
    Yp = np.linalg.pinv(eval_monomials(monomials(l), X) @ harmonic_coefficients(l).T)
    X.setflags(write=False)
    Yp.setflags(write=False)
    return X, Yp


def wigner_D(l: int, p: int, matrices) -> np.ndarray:
    """(n, 2l+1, 2l+1) Wigner-D of the O(3) irrep (l, p) in e3nn's basis.

    Parameters
    ----------
    l : int
        Degree.
    p : int
        Parity, +1 ('e') or −1 ('o'): the inversion acts as p·1.
    matrices : array_like, shape (n, 3, 3)
        Orthogonal Cartesian matrices (proper or improper).

    Returns
    -------
    numpy.ndarray, shape (n, 2l+1, 2l+1), float64; a homomorphism, D(R₁R₂) = D(R₁)D(R₂),
    orthogonal, equal to e3nn's ``Irrep(l, p).D_from_matrix`` (module docstring).

    >>> D = wigner_D(2, 1, -np.eye(3)[None])               # 2e: inversion acts as +1
    >>> np.allclose(D[0], np.eye(5))
    True
    """
    mats = np.asarray(matrices, dtype=np.float64).reshape(-1, 3, 3)
    M = harmonic_coefficients(l)
    X, Yp = _sample_inverse(l)
    XR = np.einsum("nj,aij->ani", X, mats)  # rows (R x)ᵀ
    V = eval_monomials(monomials(l), XR.reshape(-1, 3)).reshape(len(mats), len(X), -1)
    D = np.matmul(Yp, V @ M.T).transpose(0, 2, 1)
    det = np.linalg.det(mats)
    return D * np.where(det < 0, p * (-1) ** l, 1.0)[:, None, None]


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
