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
    e = np.array(mons, int).reshape(-1, 3)
    s = e[:, None, :] + e[None, :, :]  # exponents of m_α m_β, (n, n, 3)
    top = int(s.sum(axis=2).max(initial=0))
    half = np.array([gamma((a + 1) / 2) for a in range(top + 1)])  # Γ((a+1)/2)
    whole = np.array([gamma((a + 3) / 2) for a in range(top + 1)])  # Γ((a+b+c+3)/2)
    W = 2 * half[s[..., 0]] * half[s[..., 1]] * half[s[..., 2]] / whole[s.sum(axis=2)]
    W[(s % 2).any(axis=2)] = 0.0  # an odd power integrates to zero
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


#: φ₃, the root of x⁴ = x + 1: its powers give Roberts' R₃ low-discrepancy sequence
_PHI3 = 1.2207440846057596


@lru_cache(maxsize=32)
def _sample_points(l: int) -> tuple[np.ndarray, np.ndarray]:
    """(X, V⁺): fixed points filling the cube [−1, 1]³ evenly (the R₃ sequence, 3× as many as
    monomials) and the pseudo-inverse of the monomials evaluated there — f ↦ its coefficients
    from its values; the same for every group, so cached per degree. Better conditioned than
    random normal points (cond 56 against 4e3 at l = 6), and deterministic without an RNG.
    """
    mons = monomials(l)
    steps = np.arange(1, 3 * len(mons) + 1)[:, None] / _PHI3 ** np.arange(1, 4)
    X = 2 * ((0.5 + steps) % 1.0) - 1
    Vinv = np.linalg.pinv(eval_monomials(mons, X))
    X.setflags(write=False)
    Vinv.setflags(write=False)
    return X, Vinv


def _matrices(G) -> np.ndarray:
    """The (order, 3, 3) rotation matrices of a PointGroup or of an array of them."""
    return np.asarray(getattr(G, "matrices", G), dtype=float)


def generators(mats: np.ndarray) -> np.ndarray:
    """Indices into ``mats`` (a finite group's (order, 3, 3) matrices) of a generating set,
    taken greedily in the given order: each is the first element not yet generated.

    >>> from symbreak_cli.groups._point_group import PointGroup
    >>> len(generators(PointGroup.named("Oh").matrices)) <= 4
    True
    """
    mats = np.asarray(mats, float)

    def key(m: np.ndarray) -> bytes:  # + 0.0: −0.0 and 0.0 are one key
        return (np.round(m, 6) + 0.0).tobytes()

    index = {key(m): i for i, m in enumerate(mats)}
    gens: list[int] = []
    identity = index.get(key(np.eye(3)))
    have = set() if identity is None else {identity}
    for i in range(len(mats)):
        if i in have:
            continue
        gens.append(i)
        frontier = list(have | {i})
        have.add(i)
        while frontier:  # close under right multiplication by the generators
            prods = (np.round(mats[frontier][:, None] @ mats[gens][None], 6) + 0.0).reshape(-1, 9)
            frontier = []
            for row in prods:
                j = index.get(row.tobytes())
                if j is not None and j not in have:
                    have.add(j)
                    frontier.append(j)
    return np.array(gens, int)


@lru_cache(maxsize=64)
def _cached_generators(key: bytes) -> np.ndarray:
    """:func:`generators` of the matrices whose float64 bytes are ``key`` (one search per group
    and frame, however many degrees are asked).
    """
    return generators(np.frombuffer(key).reshape(-1, 3, 3))


@lru_cache(maxsize=32)
def _harmonic_frame(l: int) -> tuple[np.ndarray, np.ndarray]:
    """(Q, A): Q (n_monomials, 2l+1) an L²(S²)-orthonormal basis of the degree-l harmonics,
    and A (2l+1, points) the coordinates in that basis of a harmonic given by its values at
    the sample points (:func:`_sample_points`).
    """
    Hb = _harmonic_basis(l)
    W = _sphere_gram(monomials(l))
    w, V = np.linalg.eigh(Hb.T @ W @ Hb)
    Q = Hb @ V @ np.diag(w**-0.5) @ V.T
    A = Q.T @ W @ _sample_points(l)[1]
    Q.setflags(write=False)
    A.setflags(write=False)
    return Q, A


def _harmonic_action(mats: np.ndarray, l: int, p: int) -> np.ndarray:
    """(k, 2l+1, 2l+1): f ↦ s(g)·f(R⁻¹x) on the degree-l harmonics for each of the k
    matrices, in the L²-orthonormal basis of :func:`_harmonic_frame` (orthogonal matrices).
    """
    mons = monomials(l)
    Q, A = _harmonic_frame(l)
    X, _ = _sample_points(l)
    pseudo = p != (-1) ** l
    signs = np.linalg.det(mats) if pseudo else np.ones(len(mats))
    # f(R⁻¹x) at the sample points: rows xᵀR = (Rᵀx)ᵀ; each power computed once, then the
    # monomials x^a y^b z^c gathered from the three power tables
    XR = X @ mats  # (g, points, 3)
    e = np.array(mons)
    pw = XR[..., None] ** np.arange(l + 1)  # (g, points, 3, l+1)
    E = pw[:, :, 0, e[:, 0]] * pw[:, :, 1, e[:, 1]] * pw[:, :, 2, e[:, 2]]  # (g, points, monomials)
    return signs[:, None, None] * (A @ (E @ Q))


def _invariant_harmonics(G: PointGroup | np.ndarray, l: int, p: int) -> np.ndarray:
    """(n_monomials, k) harmonic polynomials invariant under G (a PointGroup or its
    (order, 3, 3) matrices), orthonormal in L²(S²): the common fixed space of G's
    generators (:func:`generators`) — invariance under them is invariance under G.
    """
    mats = _matrices(G)
    gens = mats[_cached_generators(mats.tobytes())]
    Q, _ = _harmonic_frame(l)
    if not len(gens):  # the trivial group: every harmonic
        return Q.copy()
    D = _harmonic_action(gens, l, p) - np.eye(2 * l + 1)
    _, s, Vt = np.linalg.svd(D.reshape(-1, 2 * l + 1))  # (k·(2l+1), 2l+1): all 2l+1 singular values
    k = int((s < 1e-6).sum())
    return Q @ Vt[len(Vt) - k:].T


def new_invariant_polynomials(G: PointGroup | np.ndarray, H: PointGroup | np.ndarray, l: int, p: int) -> list[np.ndarray]:
    """Monomial-coefficient vectors of the H-invariant harmonics ⟂ (L²) the G-invariant ones
    (G and H as PointGroups or as their (order, 3, 3) matrices).
    """
    BH = _invariant_harmonics(H, l, p)
    BG = _invariant_harmonics(G, l, p)
    W = _sphere_gram(monomials(l))
    R = BH - BG @ (BG.T @ W @ BH) if BG.shape[1] else BH
    U, s, _ = np.linalg.svd(R)
    k = BH.shape[1] - BG.shape[1]
    return [_tidy(row) for row in _echelon(U[:, :k].T)]


def _echelon(B: np.ndarray, tol: float = 1e-6) -> np.ndarray:
    """Reduced row echelon form of the rows of ``B`` (pivots in monomial order): the same
    space, each form free of the others' leading monomials — sparse where a basis can be.

    >>> (_echelon(np.array([[1.0, 1.0], [1.0, -1.0]])) + 0.0).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    A = np.array(B, float)
    row = 0
    for col in range(A.shape[1]):
        if row == len(A):
            break
        pivot = row + int(np.argmax(np.abs(A[row:, col])))
        if abs(A[pivot, col]) < tol * max(np.abs(A).max(), 1e-300):
            continue
        A[[row, pivot]] = A[[pivot, row]]
        A[row] /= A[row, col]
        others = np.arange(len(A)) != row
        A[others] -= np.outer(A[others, col], A[row])
        row += 1
    return A


#: coefficients below this fraction of the largest are numerical noise
NOISE = 1e-6
#: significant digits (relative to the largest coefficient) of a form that has no integer scaling
SIGNIFICANT = 3


def _tidy(c: np.ndarray) -> np.ndarray:
    """Noise dropped relative to the largest coefficient; scaled to the smallest integers
    when it has them (up to a common factor of 12), else to largest = 1 rounded to
    :data:`SIGNIFICANT` digits.
    """
    c = np.asarray(c, float)
    big = np.abs(c).max()
    if big == 0:
        return c
    c = np.where(np.abs(c) < NOISE * big, 0.0, c)
    unit = c / np.abs(c[c != 0]).min()
    for m in range(1, 13):  # 3x²z + 3y²z − 2z³ rather than x²z + y²z − 0.667z³
        ints = unit * m
        if np.abs(ints).max() < 1e4 and np.allclose(ints, np.round(ints), atol=1e-6 * m):
            c = np.round(ints)
            break
    else:
        c = np.round(c / big, SIGNIFICANT)
    c = c + 0.0
    return c if c[np.argmax(np.abs(c))] > 0 else -c


def symmetry_frame(H: PointGroup) -> np.ndarray | None:
    """(3, 3) rows x′, y′, z′: the axes in which ``H`` takes its standard orientation
    (principal rotation axis on z′, a perpendicular 2-fold axis or mirror normal on x′;
    three perpendicular equal axes on x′, y′, z′ for cubic and D2-like groups); None when
    the present axes already are (up to order and sign) or ``H`` has no axis (C1, Ci).

    >>> from symbreak_cli.groups._point_group import PointGroup
    >>> symmetry_frame(PointGroup.named("D4h")) is None
    True
    """
    return _symmetry_frame(_matrices(H).tobytes())


@lru_cache(maxsize=64)
def _symmetry_frame(key: bytes) -> np.ndarray | None:
    """:func:`symmetry_frame` of the matrices whose float64 bytes are ``key`` (asked once per
    degree and parity of a branching table; computed once).
    """
    mats = np.frombuffer(key).reshape(-1, 3, 3)
    dets = np.linalg.det(mats)
    proper = dets[:, None, None] * mats  # a mirror's proper part: the 2-fold rotation about its normal
    angles = np.arccos(np.clip((np.einsum("gii->g", proper) - 1) / 2, -1, 1))
    fixed = np.linalg.svd(proper - np.eye(3))[2][:, -1]  # the direction each leaves fixed
    rotations: list[tuple[int, np.ndarray]] = []
    normals: list[np.ndarray] = []
    for det, angle, axis in zip(dets, angles, fixed):
        if angle < 1e-6:
            continue  # E or i
        if det > 0:
            rotations.append((int(round(2 * np.pi / angle)), axis))
        elif abs(angle - np.pi) < 1e-6:
            normals.append(axis)

    def distinct(axes):
        out: list[np.ndarray] = []
        for a in axes:
            if all(abs(abs(float(a @ b)) - 1) > 1e-6 for b in out):
                out.append(a / np.linalg.norm(a))
        return out

    frame = None
    for n in sorted({n for n, _ in rotations}, reverse=True):
        axes = distinct([a for m, a in rotations if m == n])
        if len(axes) == 1 and n == max(m for m, _ in rotations):
            z = axes[0]
            side = distinct([a for m, a in rotations if m == 2] + normals)
            side = [a for a in side if abs(float(a @ z)) < 1e-6]
            frame = _right_handed(z, side[0] if side else None)
            break
        triple = [(a, b, c) for a in axes for b in axes for c in axes
                  if max(abs(float(a @ b)), abs(float(a @ c)), abs(float(b @ c))) < 1e-6]
        if triple:
            a, b, c = triple[0]
            frame = np.array([a, b, np.cross(a, b)])
            break
    if frame is None and not rotations and normals:  # Cs: the mirror normal on z′
        frame = _right_handed(normals[0], None)
    if frame is None or np.allclose(np.abs(frame).max(axis=1), 1, atol=1e-9):
        return None
    frame.setflags(write=False)  # cached: shared by every caller
    return frame


def _right_handed(z: np.ndarray, x: np.ndarray | None) -> np.ndarray:
    z = canonical_axis(z / np.linalg.norm(z))
    if x is None:  # no preferred direction in the plane: the present axis most nearly in it
        e = np.eye(3)[int(np.argmin(np.abs(z)))]
        x = e - (e @ z) * z
    x = canonical_axis(x / np.linalg.norm(x))
    return np.array([x, np.cross(z, x), z])


def sparse_new_invariants(G: PointGroup, H: PointGroup, l: int, p: int) -> tuple[np.ndarray | None, list[np.ndarray]]:
    """(frame F, forms): the new invariants of G → H as coefficient vectors in the axes
    x′ = F x where they have the fewest terms — H's standard axes, else G's
    (:func:`symmetry_frame`) — or (None, forms in the present axes) when those are best.
    """
    forms = new_invariant_polynomials(G, H, l, p)
    best, best_frame = forms, None
    for frame in (symmetry_frame(H), symmetry_frame(G)):  # the child's own axes, else the parent's
        if frame is None:
            continue

        def turn(K, F=frame):  # the same analysis in the axes x′ = F x: R′ = F R Fᵀ (matrices only:
            return np.einsum("ij,gjk,lk->gil", F, K.matrices, F)  # classifying a PointGroup costs more)

        turned = new_invariant_polynomials(turn(G), turn(H), l, p)
        if sum(map(np.count_nonzero, turned)) < sum(map(np.count_nonzero, best)):
            best, best_frame = turned, frame
    return best_frame, best


def describe_new_invariants(G: PointGroup, H: PointGroup, l: int, p: int) -> tuple[str, ...]:
    """The new invariants of G → H in words; when the groups sit in rotated axes, written in
    the axes where H (else G) takes its standard orientation — sparse, small integer
    coefficients — and those axes named, when that has fewer terms than the present axes.

    >>> from symbreak_cli.groups._point_group import PointGroup
    >>> describe_new_invariants(PointGroup.named("Oh"), PointGroup.named("D4h"), 2, 1)
    ('−x² − y² + 2z² (uniaxial, unique axis [001])',)
    """
    best_frame, best = sparse_new_invariants(G, H, l, p)
    if best_frame is None:
        return tuple(describe_polynomial(c, l, p) for c in best)
    pseudo = p != (-1) ** l
    if l == 1:  # a vector: its direction in the present axes says it all
        return tuple(f"{'axial ' if pseudo else ''}vector along {axis_text(canonical_axis(v / np.linalg.norm(v)))}"
                     for v in (c @ best_frame for c in best))
    frame = np.where(np.abs(best_frame) < 1e-12, 0.0, best_frame)
    axes = ", ".join(f"{v} = {axis_text(a)}" for v, a in zip(("x′", "y′", "z′"), frame))
    return tuple(f"{'pseudo-' if pseudo else ''}{polynomial_text(c, l, 'x′y′z′')} in axes {axes}" for c in best)


_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def polynomial_text(c: np.ndarray, l: int, variables=("x", "y", "z")) -> str:
    """'2z² − x² − y²' from monomial coefficients (degree l), in ``variables``.

    >>> polynomial_text(np.array([-1.0, 0, 0, -1.0, 0, 2.0]), 2)
    '−x² − y² + 2z²'
    """
    if isinstance(variables, str) and len(variables) != 3:  # 'x′y′z′'
        variables = (variables[0:2], variables[2:4], variables[4:6])
    terms = []
    for coef, (a, b, cz) in zip(c, monomials(l)):
        if abs(coef) < 1e-9:
            continue
        mono = "".join(v + (str(e).translate(_SUP) if e > 1 else "") for v, e in zip(variables, (a, b, cz)) if e)
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


