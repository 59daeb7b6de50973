"""The setting relation between a child structure and its parent, found from the lattices.

Nobody should have to type a basis matrix. We look for the integer matrix N with

    L_child ≈ Q · (N · L_parent)          (rows are lattice vectors)

where L_parent is the parent's idealised primitive lattice in spglib's standardised
Cartesian frame (cubic axes along x, y, z; ``primitive_lattice``), Q an unknown rigid
rotation and the remainder a small strain. Only the metric is compared, so Q never has to
be guessed: N · G_p · Nᵀ ≈ G_c, with G = L Lᵀ the Gram matrices. The child's fractional
rotations W_c then become fractional rotations of the parent lattice,

    W_p = Nᵀ W_c N⁻ᵀ,        R = L_pᵀ W_p L_p⁻ᵀ  (Cartesian, parent frame),

exact integers when the child operation belongs to the parent's lattice point group.
Among all N of the right volume we take the one with the smallest strain whose rotations
all lie in the parent point group; the strain is reported as the Green–Lagrange tensor
E = ½(Fᵀ F − I) in the parent frame, with the isotropic (volume) part split off first so
a parent at a different volume still matches.

:func:`align_subgroup` does the same job for groups alone (``--parent-group``,
molecules): a rotation Q with Q H Qᵀ ⊆ G, found by mapping the axes of H's highest-order
operations onto axes of G's operations of the same kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups import PointGroup
from symbreak_cli.symmetry.tolerances import DEFAULT_MAX_STRAIN  # largest principal shape strain accepted

#: most lattice settings N collected before the search stops
_MAX_CANDIDATES = 20000


@dataclass(frozen=True)
class LatticeMatch:
    """One child lattice expressed in the parent's.

    Attributes
    ----------
    supercell : (3, 3) int, N with child input lattice ≈ N · ``parent_basis`` (rows).
    parent_basis : (3, 3) float, Å, the parent's idealised, Niggli-reduced primitive
        lattice (rows) in the parent's standardised Cartesian frame.
    strain : (3, 3) float, Green–Lagrange shape strain (volume part removed), parent frame.
    volume_strain : V_child / (|det N| V_parent_prim) − 1.
    rotations : (n, 3, 3) float, the child's rotations in the parent's Cartesian frame.
    """

    supercell: np.ndarray
    parent_basis: np.ndarray
    strain: np.ndarray
    volume_strain: float
    rotations: np.ndarray

    @property
    def max_strain(self) -> float:
        return float(np.abs(np.linalg.eigvalsh(self.strain)).max())

    @property
    def det(self) -> int:
        return int(round(abs(np.linalg.det(self.supercell))))


def niggli(lattice: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(reduced lattice, K) with reduced = K · lattice, K unimodular integer."""
    import spglib

    red = spglib.niggli_reduce(np.asarray(lattice, float), eps=1e-5)
    if red is None:
        return np.asarray(lattice, float), np.eye(3, dtype=int)
    K = np.rint(red @ np.linalg.inv(lattice)).astype(int)
    return K @ lattice, K


def _candidates(basis: np.ndarray, length: float, tol: float) -> np.ndarray:
    """Integer rows n with | |n·basis| − length | ≤ tol·length."""
    inv = np.linalg.inv(basis)
    bound = np.ceil(length * (1 + tol) * np.linalg.norm(inv, axis=0)).astype(int)
    ranges = [np.arange(-b, b + 1) for b in bound]
    n = np.array(np.meshgrid(*ranges, indexing="ij")).reshape(3, -1).T
    lengths = np.linalg.norm(n @ basis, axis=1)
    return n[np.abs(lengths - length) <= tol * length]


def _shape_strain(A: np.ndarray, gram_child: np.ndarray) -> np.ndarray:
    """Green–Lagrange strain taking the rows of A to vectors with Gram matrix ``gram_child``."""
    Ainv = np.linalg.inv(A)
    return 0.5 * (Ainv @ gram_child @ Ainv.T - np.eye(3))


def match_lattices(child_lattice: np.ndarray, parent_basis: np.ndarray, max_strain: float = DEFAULT_MAX_STRAIN):
    """Every integer N (child ≈ N · parent, rows) within ``max_strain``, smallest strain first.

    Yields (N, shape strain tensor, volume strain). Raises SymmetryError when the volumes
    are not (nearly) an integer ratio.
    """
    Lc = np.asarray(child_lattice, float)
    Vc, Vp = abs(np.linalg.det(Lc)), abs(np.linalg.det(parent_basis))
    k = int(round(Vc / Vp))
    if k < 1 or abs(Vc / (k * Vp) - 1) > 3 * max_strain:
        raise SymmetryError(
            f"child cell volume {Vc:.2f} Å³ is not a whole multiple of the parent's primitive volume {Vp:.2f} Å³ "
            f"(ratio {Vc / Vp:.3f}): the two lattices are not related by a supercell"
        )
    scale = (k * Vp / Vc) ** (1 / 3)  # remove the volume part: match shapes only
    Lr, K = niggli(Lc * scale)
    Kinv = np.rint(np.linalg.inv(K)).astype(int)
    gram = Lr @ Lr.T
    lengths = np.sqrt(np.diag(gram))
    cands = [_candidates(parent_basis, l, max_strain * 1.5) for l in lengths]
    vecs = [c @ parent_basis for c in cands]
    if any(len(c) == 0 for c in cands):
        return
    slack = 3 * max_strain

    def ok(i, j):  # dot products within what the strain allows
        return np.abs(vecs[i] @ vecs[j].T - gram[i, j]) <= slack * lengths[i] * lengths[j]

    found = []
    ok01, ok02, ok12 = ok(0, 1), ok(0, 2), ok(1, 2)
    for a, b in zip(*np.nonzero(ok01)):
        cs = np.flatnonzero(ok02[a] & ok12[b])
        for c in cs:
            M = np.array([cands[0][a], cands[1][b], cands[2][c]])
            if int(round(abs(np.linalg.det(M)))) != k:
                continue
            E = _shape_strain(M @ parent_basis, gram)
            e = float(np.abs(np.linalg.eigvalsh(E)).max())
            if e <= max_strain:
                found.append((e, np.linalg.det(M) * np.linalg.det(Lr) < 0, Kinv @ M, E))
            if len(found) > _MAX_CANDIDATES:
                break
    # equal strain: G-equivalent settings; prefer the one closest to the identity's look
    found.sort(key=lambda t: (round(t[0], 6), t[1], -int(np.trace(t[2])), int((t[2] < 0).sum())))
    for _e, _, N, E in found:
        yield N, E, Vc / (k * Vp) - 1


def rotations_in_parent(W_child: np.ndarray, N: np.ndarray, parent_basis: np.ndarray, tol: float = 1e-3) -> np.ndarray | None:
    """Child fractional rotations as Cartesian matrices of the parent frame; None if any
    of them does not map the parent lattice onto itself (so N is the wrong setting).
    """
    Nt = N.T.astype(float)
    Wp = np.einsum("ij,njk,kl->nil", Nt, np.asarray(W_child, float), np.linalg.inv(Nt))
    if np.abs(Wp - np.rint(Wp)).max() > tol:
        return None
    Wp = np.rint(Wp)
    B = np.asarray(parent_basis, float)
    return np.einsum("ji,njk,lk->nil", B, Wp, np.linalg.inv(B))


def find_setting(child_lattice, child_rotations, parent_basis, G: PointGroup,
                 max_strain: float = DEFAULT_MAX_STRAIN) -> LatticeMatch:
    """The lowest-strain N for which every child rotation lands in the parent group G."""
    tried = 0
    for N, E, dv in match_lattices(child_lattice, parent_basis, max_strain):
        tried += 1
        R = rotations_in_parent(child_rotations, N, parent_basis)
        if R is not None and (G.index_of(R) >= 0).all():
            return LatticeMatch(N, np.asarray(parent_basis, float), E, float(dv), R)
    why = (f"none of the {tried} supercell settings within {max_strain:.0%} strain" if tried
           else f"no supercell setting within {max_strain:.0%} strain")
    raise SymmetryError(f"{why} puts the child's point-group operations inside the parent's {G.hm} ({G.schoenflies})")


# ----------------------------------------------------------------------------------------
# groups alone: conjugate H into G
# ----------------------------------------------------------------------------------------
def _frame(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Right-handed orthonormal frame (columns) from u and the part of v normal to it."""
    e1 = u / np.linalg.norm(u)
    w = v - (v @ e1) * e1
    e2 = w / np.linalg.norm(w)
    return np.column_stack([e1, e2, np.cross(e1, e2)])


def _any_normal(u: np.ndarray) -> np.ndarray:
    t = np.eye(3)[int(np.argmin(np.abs(u)))]
    return np.cross(u, t)


def align_subgroup(G: PointGroup, H: PointGroup) -> np.ndarray:
    """A rotation Q with Q H Qᵀ ⊆ G (the identity when H already sits inside G).

    Conjugation preserves an operation's kind and angle, so H's two highest-order
    operations with distinct axes must go to operations of G with the same trace and
    determinant whose axes make the same angle; each such pair fixes Q (up to the sign of
    each axis, all tried). Raises SymmetryError when no Q works: H is not (isomorphic to a
    conjugate of) a subgroup of G.
    """
    if (G.index_of(H.matrices) >= 0).all():
        return np.eye(3)
    if H.order > G.order or G.order % H.order:
        raise SymmetryError(f"{H.schoenflies} (order {H.order}) cannot be a subgroup of {G.schoenflies} (order {G.order})")
    ops = sorted((a for a in range(1, H.order) if H.ops[a].kind not in ("E", "i")),
                 key=lambda a: (-H.ops[a].element_order, a))
    sig = lambda grp, a: (round(float(np.trace(grp.matrices[a])), 4), round(float(np.linalg.det(grp.matrices[a]))))  # noqa: E731
    axes_H = [np.array(H.ops[a].axis) for a in ops]
    first = ops[0] if ops else None
    second = next((b for b, ub in zip(ops, axes_H) if abs(abs(ub @ axes_H[0]) - 1) > 1e-4), None) if ops else None
    if first is None:  # only E and i: any frame will do
        return np.eye(3)
    u1 = axes_H[0]
    u2 = np.array(H.ops[second].axis) if second is not None else _any_normal(u1)
    cos12 = float(u1 @ u2)
    cand1 = [g for g in range(G.order) if sig(G, g) == sig(H, first)]
    cand2 = [g for g in range(G.order) if sig(G, g) == sig(H, second)] if second is not None else [None]
    src = _frame(u1, u2)
    for g1 in cand1:
        v1 = np.array(G.ops[g1].axis)
        for g2 in cand2:
            v2s = [np.array(G.ops[g2].axis)] if g2 is not None else [_any_normal(v1)]
            for s1, s2 in product((1, -1), (1, -1)):
                v2 = s2 * v2s[0]
                if g2 is not None and abs(float(s1 * v1 @ v2) - cos12) > 1e-4:
                    continue
                Q = _frame(s1 * v1, v2) @ src.T
                if (G.index_of(Q @ H.matrices @ Q.T) >= 0).all():
                    return Q
    raise SymmetryError(f"{H.schoenflies} ({H.hm}) is not a subgroup of {G.schoenflies} ({G.hm}) in any orientation")
