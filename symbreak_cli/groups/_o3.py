"""O(3) irreps (l, p) restricted to a finite point group: branching and invariants.

Characters need no Wigner matrices: a proper rotation by θ has
χ_l(θ) = sin((2l+1)θ/2) / sin(θ/2), and an improper g = −R multiplies by the parity p
(e3nn's convention: ``Irrep(l, p)`` maps the inversion to p·1). So the branching table,
n_Γ = (1/|G|) Σ_g χ_(l,p)(g) χ_Γ(g), and the invariant count n_inv = (1/|G|) Σ_g χ_(l,p)(g)
are pure numpy — ``symbreak detect`` never imports torch.

New invariants of G → H (H ⊂ G): the (l, p) with n_inv(H) > n_inv(G). Their readable
form comes from harmonic polynomials: f(x) = Σ_m c_m Y_m(x) is invariant under g iff
s(g)·f(R_g⁻¹x) = f(x) with s(g) = det R_g when p ≠ (−1)^l (pseudo-tensors, e.g. 1e),
else 1. The H-invariant harmonics orthogonal (L² on the sphere) to the G-invariant
ones are printed as polynomials: Oh → D4h gives "2z² − x² − y²" (= 3z² − r²) for 2e.

In e3nn's own basis (:func:`invariant_basis_e3nn`, imports torch/e3nn lazily) the
projector (1/|H|) Σ_h D(h) minus G's gives an orthonormal basis of the new invariants.
e3nn 0.6 orders l = 1 as (x, y, z) (``D_from_matrix`` of a proper R is R itself), while
l ≥ 2 use its y-polar real harmonics, e.g. for l = 2 (up to normalisation)
(xz, xy, y² − (x² + z²)/2, yz, (z² − x²)/2).
e3nn's D matrices compose only to ~5e-7: tolerances here are 1e-5.
"""

from __future__ import annotations

from functools import lru_cache

import re
from dataclasses import dataclass
from itertools import product
from math import gamma

import numpy as np

from symbreak_cli.errors import OptionError
from symbreak_cli.groups._point_group import PointGroup

_TOL = 1e-5


def parse_irrep(label: str) -> tuple[int, int]:
    """'2e' → (2, +1), '1o' → (1, −1) (e3nn notation)."""
    m = re.fullmatch(r"\s*(\d+)([eo])\s*", label)
    if not m:
        raise OptionError(f"not an O(3) irrep: {label!r} (expected e3nn notation like '1o', '2e')")
    return int(m.group(1)), (1 if m.group(2) == "e" else -1)


def irrep_label(l: int, p: int) -> str:
    return f"{l}{'e' if p > 0 else 'o'}"


def o3_characters(G: PointGroup, l: int, p: int) -> np.ndarray:
    """(|G|,) characters of the O(3) irrep (l, p) on the elements of G."""
    dets = np.linalg.det(G.matrices)
    proper = G.matrices * np.sign(dets)[:, None, None]
    c = np.clip((np.einsum("aii->a", proper) - 1) / 2, -1, 1)
    theta = np.arccos(c)
    s = np.sin(theta / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        chi = np.where(np.abs(s) < 1e-9, 2 * l + 1, np.sin((2 * l + 1) * theta / 2) / np.where(s == 0, 1, s))
    return np.round(chi * np.where(dets < 0, p, 1), 9)


def n_invariants(G: PointGroup, l: int, p: int) -> int:
    """Dimension of the G-invariant subspace of (l, p): (1/|G|) Σ_g χ(g)."""
    return int(round(float(o3_characters(G, l, p).mean())))


def decompose(G: PointGroup, l: int, p: int) -> dict[str, int]:
    """(l, p)↓G as {Mulliken label: multiplicity}, in table order."""
    from symbreak_cli.groups._characters import character_table

    t = character_table(G)
    mult = t.decompose(o3_characters(G, l, p))
    return {ir.label: int(round(m)) for ir, m in zip(t.irreps, mult) if round(m) > 0}


def decomposition_text(dec: dict[str, int]) -> str:
    """{'Eg': 1, 'T2g': 1} → 'Eg + T2g' (multiplicities as 2T1u)."""
    return " + ".join(f"{m if m > 1 else ''}{lab}" for lab, m in dec.items()) or "0"


@dataclass(frozen=True)
class BranchingRow:
    """One O(3) irrep restricted to G (and optionally to a subgroup H)."""

    irrep: str  # e3nn label, e.g. "2e"
    l: int
    parity: int
    decomposition: dict[str, int]
    n_invariant: int
    n_invariant_child: int | None = None
    new_invariants: tuple[str, ...] = ()  # readable polynomials, only when the child gains some

    @property
    def breaks(self) -> bool:
        return self.n_invariant_child is not None and self.n_invariant_child > self.n_invariant


def branching_table(G: PointGroup, H: PointGroup | None = None, lmax: int = 6) -> list[BranchingRow]:
    """Rows for l = 0..lmax, both parities; with H ⊂ G (same frame) the new invariants too."""
    if lmax < 0 or lmax > 12:
        raise OptionError(f"lmax must be between 0 and 12, got {lmax}")
    rows = []
    for l in range(lmax + 1):
        for p in (1, -1) if l % 2 == 0 else (-1, 1):
            nG = n_invariants(G, l, p)
            nH = n_invariants(H, l, p) if H is not None else None
            new: tuple[str, ...] = ()
            if H is not None and nH > nG:
                new = tuple(describe_polynomial(f, l, p) for f in new_invariant_polynomials(G, H, l, p))
            rows.append(BranchingRow(irrep_label(l, p), l, p, decompose(G, l, p), nG, nH, new))
    return rows


# --- harmonic polynomials in the monomial basis x^a y^b z^c -------------------------


def monomials(l: int) -> list[tuple[int, int, int]]:
    return [(a, b, l - a - b) for a in range(l, -1, -1) for b in range(l - a, -1, -1)]


def _eval(mons, X: np.ndarray) -> np.ndarray:
    e = np.array(mons)
    return np.prod(X[:, None, :] ** e[None, :, :], axis=2)


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
    V = _eval(mons, X)
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
    """'2z² − x² − y²' from monomial coefficients (degree l)."""
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
        T = _quadratic_form(c)
        w, V = np.linalg.eigh(T)
        uniq = [k for k in range(3) if all(abs(w[k] - w[j]) > 1e-6 for j in range(3) if j != k)]
        if len(uniq) == 1:
            from symbreak_cli.groups._operations import _axis_text, canonical_axis

            return f"{'pseudo-' if pseudo else ''}{text} (uniaxial, unique axis {_axis_text(canonical_axis(V[:, uniq[0]]))})"
    return f"{'pseudo-' if pseudo else ''}{text}"


def _quadratic_form(c: np.ndarray) -> np.ndarray:
    T = np.zeros((3, 3))
    for coef, e in zip(c, monomials(2)):
        idx = [k for k in range(3) for _ in range(e[k])]
        i, j = idx
        T[i, j] += coef / (1 if i == j else 2)
        if i != j:
            T[j, i] += coef / 2
    return T


# --- e3nn's basis (torch imported lazily) -------------------------------------------


def wigner_matrices(G: PointGroup, l: int, p: int) -> np.ndarray:
    """(|G|, 2l+1, 2l+1) float64 e3nn ``Irrep(l, p).D_from_matrix`` for every element."""
    import torch
    from e3nn import o3

    R = torch.tensor(np.array(G.matrices), dtype=torch.float64)
    return o3.Irrep(l, p).D_from_matrix(R).numpy()


def invariant_basis_e3nn(G: PointGroup, l: int, p: int) -> np.ndarray:
    """(k, 2l+1) orthonormal basis of G-invariant vectors in e3nn's basis."""
    P = wigner_matrices(G, l, p).mean(axis=0)
    P = (P + P.T) / 2
    w, V = np.linalg.eigh(P)
    return V[:, w > 0.5].T


def new_invariant_basis_e3nn(G: PointGroup, H: PointGroup, l: int, p: int) -> np.ndarray:
    """(k, 2l+1) orthonormal basis of the H-invariants orthogonal to the G-invariants.

    P_H − P_G is the orthogonal projector onto them when H ⊂ G (G-invariants ⊂ H-invariants).
    """
    PH = wigner_matrices(H, l, p).mean(axis=0)
    PG = wigner_matrices(G, l, p).mean(axis=0)
    D = PH - PG
    w, V = np.linalg.eigh((D + D.T) / 2)
    return V[:, w > 0.5].T
