"""Minimal supergroups of a concrete space group, built as group extensions (numpy only).

A space group G is stored as its lattice (the primitive basis) and one translation τ(R)
per rotation R of its point group, all in that primitive basis (x' = R x + τ(R), mod 1).
By Hermann's theorem a maximal subgroup H ⊂ G is either

* **translationengleiche** (t): same lattice, P_H maximal in P_G. The new rotations are
  lattice automorphisms (:func:`pseudo_holohedry`, within a strain tolerance); their
  translations are the solutions w of the cocycle conditions τ(RS) ≡ τ(R) + R τ(S)
  (:func:`extension_translations`), linear congruences M w ≡ c (mod 1) solved exactly by
  a Smith normal form: finitely many discrete solutions plus, for polar groups, a free
  subspace (the origin along the polar axis, fitted to the structure by the caller);
* **klassengleiche** (k): same point group, a finer lattice Λ ⊃ T invariant under every
  rotation (:func:`invariant_overlattices`); G = {R | τ(R) + t}, t ∈ Λ/T.

A structure is idealised to G by :func:`group_average` (the projection onto the
G-invariant configurations) and its lattice by :func:`stretch_to_metric`.

>>> import numpy as np
>>> P = point_group_closure([-np.eye(3, dtype=int)])  # the point group of P-1
>>> len(P)
2
>>> len(invariant_overlattices(P, 2))  # every index-2 overlattice of Z³ is centrosymmetric
7
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np

#: largest point group order (m-3m)
MAX_POINT_GROUP_ORDER = 48
#: congruences M w ≡ c (mod 1) hold when |c − round(c)| stays below this (fractional units)
CONGRUENCE_TOL = 1e-4


def _key(R: np.ndarray) -> bytes:
    return np.asarray(R, np.int64).tobytes()


def point_group_closure(generators, limit: int = MAX_POINT_GROUP_ORDER) -> list[np.ndarray] | None:
    """Every product of the integer matrices ``generators`` (identity first), or None
    when more than ``limit`` arise (not a finite crystallographic point group).
    """
    eye = np.eye(3, dtype=np.int64)
    gens = [np.asarray(g, np.int64) for g in generators]
    seen = {_key(eye): eye}
    queue = [eye]
    while queue:
        A = queue.pop()
        for g in gens:
            B = A @ g
            k = _key(B)
            if k not in seen:
                if len(seen) >= limit or np.abs(B).max() > 8:
                    return None
                seen[k] = B
                queue.append(B)
    return list(seen.values())


def generators_of(group: list[np.ndarray]) -> list[np.ndarray]:
    """A small generating set of a finite matrix group (greedy)."""
    gens: list[np.ndarray] = []
    span = {_key(np.eye(3, dtype=np.int64))}
    for R in group:
        if _key(R) not in span:
            gens.append(R)
            span = {_key(M) for M in point_group_closure(gens)}
    return gens


@lru_cache(maxsize=1)
def _unimodular_candidates() -> np.ndarray:
    """(n, 3, 3) int: matrices with entries in {−1, 0, 1} and determinant ±1 (the lattice
    automorphisms of a Delaunay-reduced basis are among them).
    """
    vals = np.array(list(itertools.product((-1, 0, 1), repeat=9)), np.int64).reshape(-1, 3, 3)
    det = np.rint(np.linalg.det(vals.astype(float)))
    return vals[np.abs(det) == 1]


def pseudo_holohedry(lattice: np.ndarray, max_strain: float) -> list[np.ndarray]:
    """Integer matrices W (fractional action on columns of the basis ``lattice``, rows in
    Å) that are isometries within ``max_strain``: every singular value of the Cartesian
    matrix Lᵀ W L⁻ᵀ lies within max_strain of 1.
    """
    L = np.asarray(lattice, float)
    return [w.copy() for w in _holohedry(np.round(L, 10).tobytes(), float(max_strain))]


@lru_cache(maxsize=64)
def _holohedry(key: bytes, max_strain: float) -> tuple:
    import spglib

    L = np.frombuffer(key).reshape(3, 3)
    red = spglib.delaunay_reduce(L, eps=1e-8)
    T = np.rint(red @ np.linalg.inv(L)).astype(np.int64)  # red = T L
    W = _unimodular_candidates()
    g = red @ red.T
    # cheap pre-filter: W must keep every basis vector's length within the strain bound
    lengths = np.einsum("nji,jk,nki->ni", W, g, W)
    keep = np.all(np.abs(np.sqrt(lengths / np.diag(g)) - 1) <= 1.5 * max_strain + 1e-9, axis=1)
    W = W[keep]
    Rc = np.einsum("ji,njk,kl->nil", red, W.astype(float), np.linalg.inv(red).T)
    sv = np.linalg.svd(Rc, compute_uv=False)
    ok = W[np.all(np.abs(sv - 1.0) <= max_strain, axis=1)]
    # y_input = Tᵀ y_reduced, so W_input = Tᵀ W_red T⁻ᵀ
    Tinv = np.rint(np.linalg.inv(T.astype(float))).astype(np.int64)
    return tuple(T.T @ w @ Tinv.T for w in ok)


def minimal_point_supergroups(P: list[np.ndarray], holohedry: list[np.ndarray]) -> list[list[np.ndarray]]:
    """Groups P_G inside ``holohedry`` in which ``P`` is a maximal subgroup."""
    found = _minimal_point_supergroups(tuple(_key(R) for R in P), tuple(_key(R) for R in holohedry))
    return [[np.frombuffer(k, np.int64).reshape(3, 3).copy() for k in G] for G in found]


@lru_cache(maxsize=256)
def _minimal_point_supergroups(P_keys: tuple, hol_keys: tuple) -> tuple:
    P = [np.frombuffer(k, np.int64).reshape(3, 3) for k in P_keys]
    inside, hol = set(P_keys), set(hol_keys)
    closures: dict[bytes, frozenset] = {}
    groups: dict[frozenset, tuple] = {}
    for kw in hol_keys:
        if kw in inside:
            continue
        G = point_group_closure([*P, np.frombuffer(kw, np.int64).reshape(3, 3)])
        if G is None or any(_key(R) not in hol for R in G):
            continue
        closures[kw] = frozenset(_key(R) for R in G)
        groups.setdefault(closures[kw], tuple(_key(R) for R in G))
    return tuple(G for keys, G in groups.items()
                 if all(closures.get(k, keys) == keys for k in G if k not in inside))


# ----------------------------------------------------------------------------------------
# linear congruences
# ----------------------------------------------------------------------------------------
def _row_reduce(M: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Integer row echelon form of M (m×3) with the right-hand sides c carried along;
    False when a zero row has c ≢ 0 (mod 1).
    """
    M = [list(map(int, r)) for r in M]
    c = [float(x) for x in c]
    r = 0
    for j in range(3):
        while True:
            rows = [i for i in range(r, len(M)) if M[i][j] != 0]
            if not rows:
                break
            p = min(rows, key=lambda i: abs(M[i][j]))
            M[r], M[p] = M[p], M[r]
            c[r], c[p] = c[p], c[r]
            done = True
            for i in range(r + 1, len(M)):
                if M[i][j]:
                    q = M[i][j] // M[r][j]
                    M[i] = [a - q * b for a, b in zip(M[i], M[r])]
                    c[i] -= q * c[r]
                    done = done and M[i][j] == 0
            if done:
                r += 1
                break
    ok = all(abs(x - round(x)) < CONGRUENCE_TOL for x in c[r:])
    return np.array(M[:r], np.int64).reshape(-1, 3), np.array(c[:r]), ok


def solve_congruences(M: np.ndarray, c: np.ndarray) -> tuple[list[np.ndarray], np.ndarray] | None:
    """All w with M w ≡ c (mod 1): (discrete solutions mod 1, (3, k) basis of the free
    directions), or None when there is none.

    >>> sols, free = solve_congruences(np.array([[2, 0, 0], [0, 1, 0]]), np.array([0.0, 0.25]))
    >>> sorted(round(float(s[0]), 3) for s in sols), [round(float(s[1]), 3) for s in sols], free.shape
    ([0.0, 0.5], [0.25, 0.25], (3, 1))
    """
    A, c, ok = _row_reduce(M, c)
    if not ok:
        return None
    A = A.astype(object)
    r = len(A)
    C = np.eye(3, dtype=np.int64).astype(object)
    c = list(c)
    for t in range(r):  # Smith-type diagonalisation of the r×3 echelon block
        while True:
            nz = [(abs(A[i][j]), i, j) for i in range(t, r) for j in range(t, 3) if A[i][j] != 0]
            _, i, j = min(nz)
            A[[t, i]] = A[[i, t]]
            c[t], c[i] = c[i], c[t]
            A[:, [t, j]] = A[:, [j, t]]
            C[:, [t, j]] = C[:, [j, t]]
            clean = True
            for i in range(t + 1, r):
                q = A[i][t] // A[t][t]
                A[i] = A[i] - q * A[t]
                c[i] -= q * c[t]
                clean = clean and A[i][t] == 0
            for j in range(t + 1, 3):
                q = A[t][j] // A[t][t]
                A[:, j] = A[:, j] - q * A[:, t]
                C[:, j] = C[:, j] - q * C[:, t]
                clean = clean and A[t][j] == 0
            if clean:
                break
    d = [int(A[t][t]) for t in range(r)]
    C = np.array(C, float)
    sols = []
    for ks in itertools.product(*[range(abs(x)) for x in d]):
        y = np.zeros(3)
        for t in range(r):
            y[t] = (c[t] + ks[t]) / d[t]
        w = C @ y
        sols.append(w - np.floor(w + 1e-9))
    return sols, C[:, r:]


def extension_translations(P: list[np.ndarray], tau: list[np.ndarray], G: list[np.ndarray], W: np.ndarray):
    """Translations of G = ⟨(P, τ), (W, w)⟩ on the same lattice, as affine functions of w.

    Returns (rotations of G, their (M_R, c_R) with τ(R) = M_R w + c_R, the congruences'
    solutions for w as :func:`solve_congruences` gives them) or None when no w makes a
    space group (the extension needs extra translations).
    """
    gens = [(R, np.zeros((3, 3), np.int64), np.asarray(t, float)) for R, t in zip(generators_of(P), _taus(P, tau, generators_of(P)))]
    gens.append((np.asarray(W, np.int64), np.eye(3, dtype=np.int64), np.zeros(3)))
    known: dict[bytes, tuple] = {_key(R): (R, np.zeros((3, 3), np.int64), np.asarray(t, float)) for R, t in zip(P, tau)}
    kw = _key(W)
    if kw not in known:
        known[kw] = gens[-1]
    rows, rhs = [], []
    queue = list(known.values())
    done = 0
    while done < len(queue):
        R1, M1, c1 = queue[done]
        done += 1
        for R2, M2, c2 in gens:
            R, M, c = R1 @ R2, R1 @ M2 + M1, R1 @ c2 + c1
            k = _key(R)
            if k in known:
                _, Mk, ck = known[k]
                rows.extend(M - Mk)
                rhs.extend(ck - c)
            else:
                if len(known) >= len(G):
                    return None
                known[k] = (R, M, c)
                queue.append(known[k])
    solved = solve_congruences(np.array(rows, np.int64).reshape(-1, 3), np.array(rhs, float)) if rows else \
        ([np.zeros(3)], np.eye(3))
    if solved is None:
        return None
    return list(known.values()), solved


def _taus(P, tau, chosen) -> list[np.ndarray]:
    index = {_key(R): t for R, t in zip(P, tau)}
    return [index[_key(R)] for R in chosen]


# ----------------------------------------------------------------------------------------
# klassengleiche: finer invariant lattices
# ----------------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _hnf(n: int) -> tuple[np.ndarray, ...]:
    """Lower-triangular Hermite normal forms of determinant n: one per sublattice of Z³ of index n."""
    out = []
    for d1 in range(1, n + 1):
        for d2 in range(1, n // d1 + 1):
            if n % (d1 * d2):
                continue
            d3 = n // (d1 * d2)
            for a, b, e in itertools.product(range(d2), range(d3), range(d3)):
                out.append(np.array([[d1, 0, 0], [a, d2, 0], [b, e, d3]], np.int64))
    return tuple(out)


def invariant_overlattices(P: list[np.ndarray], index: int) -> list[np.ndarray]:
    """Lattices Λ ⊃ Z³ of ``index`` invariant under every R of P, as (3, 3) float bases
    (columns, fractional coordinates of Z³). Λ = K⁻¹ Z³ with Kᵀ the HNF of its dual.
    """
    return [b.copy() for b in _overlattices(tuple(_key(R) for R in P), index)]


@lru_cache(maxsize=256)
def _overlattices(keys: tuple, index: int) -> tuple:
    P = np.array([np.frombuffer(k, np.int64).reshape(3, 3) for k in keys], float)
    K = np.array(_hnf(index), float).transpose(0, 2, 1)
    Kinv = np.linalg.inv(K)
    X = np.einsum("aij,rjk,akl->aril", K, P, Kinv)
    ok = np.all(np.abs(X - np.rint(X)) < 1e-9, axis=(1, 2, 3))
    return tuple(Kinv[ok])


def lattice_cosets(basis: np.ndarray) -> np.ndarray:
    """(n, 3) representatives of Λ/Z³ for Λ with basis columns ``basis``."""
    return _cosets(np.round(basis, 12).tobytes()).copy()


@lru_cache(maxsize=256)
def _cosets(key: bytes) -> np.ndarray:
    basis = np.frombuffer(key).reshape(3, 3)
    n = int(round(1 / abs(np.linalg.det(basis))))
    pts = {}
    for m in itertools.product(range(n), repeat=3):
        v = basis @ np.array(m, float)
        v -= np.floor(v + 1e-9)
        pts.setdefault(tuple(np.round(v, 8)), v)
    return np.array(list(pts.values()))


# ----------------------------------------------------------------------------------------
# structures and lattices under a group
# ----------------------------------------------------------------------------------------
def group_average(y, species, ops, Lp, reach: float, ref=None):
    """The group average of prim positions ``y`` over ``ops`` [(R, t)], each image paired
    with the nearest atom of its element in ``ref`` (default ``y``; Cartesian via Lp
    rows); None when an image lies farther than ``reach`` Å from every partner or the
    pairing is no permutation.
    """
    ref = y if ref is None else ref
    R = np.array([np.asarray(op[0], float) for op in ops])
    t = np.array([op[1] for op in ops], float)
    img = np.einsum("gij,aj->gai", R, ref) + t[:, None, :]  # (g, M, 3)
    d = img[:, :, None, :] - ref[None, None, :, :]
    d -= np.round(d)
    dist = np.linalg.norm(d @ Lp, axis=3)
    dist[:, species[:, None] != species[None, :]] = np.inf
    pi = np.argmin(dist, axis=2)  # (g, M)
    if np.take_along_axis(dist, pi[:, :, None], 2).max() > reach:
        return None
    if np.any(np.sort(pi, axis=1) != np.arange(len(y))[None, :]):
        return None
    n = np.round(img - ref[pi])
    Rinv = np.linalg.inv(R)
    return np.einsum("gij,gaj->ai", Rinv, y[pi] + n - t[:, None, :]) / len(ops)


def stretch_to_metric(lattice: np.ndarray, basis: np.ndarray, rotations) -> tuple[np.ndarray, float]:
    """(lattice strained to the metric averaged over ``rotations`` (basis fractional),
    largest |principal Green–Lagrange strain|).
    """
    Lp = basis @ lattice
    g = Lp @ Lp.T
    gs = sum(np.asarray(R, float).T @ g @ np.asarray(R, float) for R in rotations) / len(rotations)
    Bi = np.linalg.inv(basis)
    gc = Bi @ gs @ Bi.T
    Li = np.linalg.inv(lattice)
    C = Li @ gc @ Li.T
    C = (C + C.T) / 2
    w, V = np.linalg.eigh(C)
    F = V @ np.diag(np.sqrt(w)) @ V.T
    return lattice @ F, float(np.max(np.abs(w - 1)) / 2)


def lattice_basis(vectors: np.ndarray, denominator: int = 48) -> np.ndarray:
    """A basis (rows) of the lattice spanned by rational ``vectors`` (rows)."""
    V = np.rint(np.asarray(vectors, float) * denominator).astype(np.int64)
    H, _, _ = _row_reduce(V, np.zeros(len(V)))
    return H.astype(float) / denominator


def reduced_basis(basis: np.ndarray, lattice: np.ndarray) -> np.ndarray:
    import spglib

    Lp = basis @ lattice
    red = spglib.delaunay_reduce(Lp, eps=1e-8)
    T = np.rint(red @ np.linalg.inv(Lp))
    return T @ basis


def lattice_contains(outer: np.ndarray, inner: np.ndarray) -> bool:
    """Whether the lattice with basis columns ``inner`` lies in the one with ``outer``."""
    X = np.linalg.solve(outer, inner)
    return bool(np.allclose(X, np.rint(X), atol=1e-9))


def operations_in_basis(W, w, basis):
    """Child-cell operations → one (R, τ) per rotation in the primitive ``basis`` (rows)."""
    A = basis.T  # x_child = A y
    Ai = np.linalg.inv(A)
    rots, taus = {}, {}
    for R, t in zip(W, w):
        Rn = np.rint(Ai @ R @ A).astype(np.int64)
        k = Rn.tobytes()
        if k not in rots:
            tn = Ai @ t
            rots[k], taus[k] = Rn, tn - np.floor(tn + 1e-9)
    return list(rots.values()), list(taus.values())


__all__ = ["extension_translations", "group_average", "lattice_basis", "lattice_contains", "operations_in_basis",
           "reduced_basis", "stretch_to_metric", "generators_of", "invariant_overlattices", "lattice_cosets",
           "minimal_point_supergroups", "point_group_closure", "pseudo_holohedry", "solve_congruences"]
