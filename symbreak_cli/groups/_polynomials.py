"""Invariant harmonic polynomials: what a new invariant of G → H looks like, in words.

f(x) = Σ_α c_α x^a y^b z^c (degree l, :func:`~symbreak_cli.groups._harmonics.monomials`)
is invariant under g when s(g)·f(R_g⁻¹x) = f(x), with s(g) = det R_g for pseudo-tensors
(p ≠ (−1)^l, e.g. 1e) and 1 otherwise. The H-invariant harmonics (Laplacian kernel)
orthogonal in L²(S²) to the G-invariant ones are the new invariants, printed as
polynomials: Oh → D4h gives "−x² − y² + 2z²" (= 3z² − r²) for 2e.

>>> from symbreak_cli.groups._point_group import PointGroup
>>> [describe_polynomial(c, 1, -1) for c in new_invariant_polynomials(
...     PointGroup.named("Oh"), PointGroup.named("C4v"), 1, -1)]
['vector along (z)']
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product
from math import gamma
from typing import TYPE_CHECKING

import numpy as np

from symbreak_cli.groups._harmonics import eval_monomials, monomials
from symbreak_cli.groups._operations import axis_text, canonical_axis

if TYPE_CHECKING:
    from symbreak_cli.groups._point_group import PointGroup


def _sphere_gram(mons) -> np.ndarray:
    """W_αβ = ∫_{S²} m_α m_β dΩ (closed form with Γ functions); cached per degree."""
    return _sphere_gram_cached(tuple(mons))


@lru_cache(maxsize=32)
def _sphere_gram_cached(mons: tuple) -> np.ndarray:
    n = len(mons)
    W = np.zeros((n, n))
    for i, j in product(range(n), range(n)):
        a, b, c = (mons[i][k] + mons[j][k] for k in range(3))
        if a % 2 or b % 2 or c % 2:
            continue
        W[i, j] = 2 * gamma((a + 1) / 2) * gamma((b + 1) / 2) * gamma((c + 1) / 2) / gamma((a + b + c + 3) / 2)
    W.setflags(write=False)
    return W


@lru_cache(maxsize=32)
def _harmonic_basis(l: int) -> np.ndarray:
    """(n_monomials, 2l+1): the kernel of the Laplacian on degree-l polynomials."""
    mons = monomials(l)
    if l < 2:
        return np.eye(len(mons))
    low = {m: i for i, m in enumerate(monomials(l - 2))}
    L = np.zeros((len(low), len(mons)))
    for j, (a, b, c) in enumerate(mons):
        for k, e in enumerate((a, b, c)):
            if e >= 2:
                t = [a, b, c]
                t[k] -= 2
                L[low[tuple(t)], j] += e * (e - 1)
    _, s, Vt = np.linalg.svd(L)
    out = Vt[len(low):].T if len(s) else np.eye(len(mons))
    out.setflags(write=False)
    return out


def _invariant_harmonics(G: PointGroup, l: int, p: int) -> np.ndarray:
    """(n_monomials, k) harmonic polynomials invariant under G, orthonormal in L²(S²)."""
    mons = monomials(l)
    Hb = _harmonic_basis(l)
    X = np.random.default_rng(7).normal(size=(3 * len(mons), 3))
    V = eval_monomials(mons, X)
    Vinv = np.linalg.pinv(V)
    pseudo = p != (-1) ** l
    signs = np.linalg.det(G.matrices) if pseudo else np.ones(G.order)
    # f ↦ f(R⁻¹x) for every R at once: rows xᵀR = (Rᵀx)ᵀ, monomials evaluated in one broadcast
    XR = np.einsum("pi,gij->gpj", X, G.matrices)
    E = np.prod(XR[:, :, None, :] ** np.array(mons)[None, None, :, :], axis=3)  # (g, points, monomials)
    P = Vinv @ np.einsum("g,gpm->pm", signs, E) / G.order
    img = P @ Hb
    W = _sphere_gram(mons)
    U, s, _ = np.linalg.svd(img)
    k = int((s > 1e-6 * max(s.max(initial=0), 1)).sum())
    B = U[:, :k]
    # orthonormalise in L²(S²): B (BᵀWB)^(-1/2)
    if k:
        w, Q = np.linalg.eigh(B.T @ W @ B)
        B = B @ Q @ np.diag(w**-0.5) @ Q.T
    return B


def new_invariant_polynomials(G: PointGroup, H: PointGroup, l: int, p: int) -> list[np.ndarray]:
    """Monomial-coefficient vectors of the H-invariant harmonics ⟂ (L²) the G-invariant ones."""
    BH = _invariant_harmonics(H, l, p)
    BG = _invariant_harmonics(G, l, p)
    W = _sphere_gram(monomials(l))
    R = BH - BG @ (BG.T @ W @ BH) if BG.shape[1] else BH
    U, s, _ = np.linalg.svd(R)
    k = BH.shape[1] - BG.shape[1]
    return [_tidy(U[:, j]) for j in range(k)]


def _tidy(c: np.ndarray) -> np.ndarray:
    c = np.where(np.abs(c) < 1e-8 * np.abs(c).max(), 0.0, c)
    nz = np.abs(c[c != 0])
    c = c / nz.min()
    if np.allclose(c, np.round(c), atol=1e-6):
        c = np.round(c)
    return c if c[np.argmax(np.abs(c))] > 0 else -c


_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def polynomial_text(c: np.ndarray, l: int) -> str:
    """'2z² − x² − y²' from monomial coefficients (degree l).

    >>> polynomial_text(np.array([-1.0, 0, 0, -1.0, 0, 2.0]), 2)
    '−x² − y² + 2z²'
    """
    terms = []
    for coef, (a, b, cz) in zip(c, monomials(l)):
        if abs(coef) < 1e-9:
            continue
        mono = "".join(v + (str(e).translate(_SUP) if e > 1 else "") for v, e in zip("xyz", (a, b, cz)) if e)
        mag = abs(coef)
        num = (f"{mag:.0f}" if abs(mag - round(mag)) < 1e-6 else f"{mag:.3g}") if (mag != 1 or not mono) else ""
        terms.append(("−" if coef < 0 else "+", num + mono))
    if not terms:
        return "0"
    first = ("−" if terms[0][0] == "−" else "") + terms[0][1]
    return first + "".join(f" {s} {t}" for s, t in terms[1:])


def describe_polynomial(c: np.ndarray, l: int, p: int) -> str:
    """Readable invariant: vectors as directions, l = 2 tensors with their unique axis."""
    pseudo = p != (-1) ** l
    text = polynomial_text(c, l)
    if l == 1:
        return f"{'axial ' if pseudo else ''}vector along ({text})"
    if l == 2:
        T = quadratic_form(c)
        w, V = np.linalg.eigh(T)
        uniq = [k for k in range(3) if all(abs(w[k] - w[j]) > 1e-6 for j in range(3) if j != k)]
        if len(uniq) == 1:
            return f"{'pseudo-' if pseudo else ''}{text} (uniaxial, unique axis {axis_text(canonical_axis(V[:, uniq[0]]))})"
    return f"{'pseudo-' if pseudo else ''}{text}"


def quadratic_form(c: np.ndarray) -> np.ndarray:
    """(3, 3) symmetric T with Σ c_α m_α(x) = xᵀ T x for a degree-2 coefficient vector c."""
    T = np.zeros((3, 3))
    for coef, e in zip(c, monomials(2)):
        idx = [k for k in range(3) for _ in range(e[k])]
        i, j = idx
        T[i, j] += coef / (1 if i == j else 2)
        if i != j:
            T[j, i] += coef / 2
    return T


