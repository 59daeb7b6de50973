"""Atoms under a symmetry group: the displacement representation, its projectors, the
subgroups of a point group up to conjugacy, and the domains (images) of a distortion.

A symmetric structure's operations g = {R|t} permute its atoms, g·x_i = x_{π_g(i)}
(modulo the lattice for a crystal). A displacement field u (N, 3) then transforms as

    (g·u)_{π_g(i)} = R u_i,

a representation of G on R^{3N} (at k = 0 for a crystal: every parent cell of the input
displaced alike). Its projectors are group averages: onto the H-invariant fields
P_H = (1/|H|) Σ_h h, onto the part transforming as the irrep Γ of G
P_Γ = (d_Γ/|G|) Σ_g χ_Γ(g) g. Rigid motions (translations; rotations of a molecule) never
change a structure's symmetry, so breaking patterns are taken orthogonal to them.

Domains are the distinct images g·u of one distorted field u over all of G: their
number is [G : Stab_G(u)], and the first g (in the order of
:func:`symbreak_cli.groups.subgroup_relation`: identity, proper before improper, low
order first) to give each image is the domain's coset representative.

>>> import numpy as np
>>> from symbreak_cli.groups import PointGroup
>>> X = np.array([[1.0, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]])
>>> act = molecule_action(X, np.full(6, 9), PointGroup.named("Oh"))
>>> act.permutations.shape, len(subgroup_classes(act.group, "D4h"))
((48, 6), 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups import PointGroup, canonical_name, character_table, identify_matrices

if TYPE_CHECKING:
    from symbreak_cli.symmetry.breaking import BreakingObject

#: relative residual ‖g·u − u‖ / ‖u‖ below which g leaves a field invariant (dimensionless)
FIELD_TOL = 1e-6


@dataclass(frozen=True, eq=False)
class SiteAction:
    """How the operations of a symmetric structure permute its atoms.

    Attributes
    ----------
    rotations : (n, 3, 3) float, Cartesian R of each operation (the structure's frame).
    permutations : (n, N) int, ``permutations[g, i]`` = π_g(i).
    point_index : (n,) int, index of each operation's R in ``group``.
    group : the point group of the rotations (same frame).
    symbols : n operation names (Seitz symbols for crystals, ITA-like for molecules), or
        callables ``symbols[g](g)`` naming them on demand; read them with :meth:`symbol`.
    periodic : a crystal (no rigid rotations; translations modulo the lattice).
    fractional : (n, 3, 3) int, the rotations W in the cell's fractional basis (crystals), else None.
    """

    rotations: np.ndarray
    permutations: np.ndarray
    point_index: np.ndarray
    group: PointGroup
    symbols: tuple
    periodic: bool
    fractional: np.ndarray | None = None

    @property
    def n_ops(self) -> int:
        return len(self.rotations)

    def apply(self, g: int, u: np.ndarray) -> np.ndarray:
        """g·u for a field u (N, 3)."""
        out = np.empty_like(u)
        out[self.permutations[g]] = u @ self.rotations[g].T
        return out

    def images(self, u: np.ndarray) -> np.ndarray:
        """(n, N, 3): g·u for every operation at once."""
        moved = np.einsum("gij,nj->gni", self.rotations, u)
        out = np.empty_like(moved)
        np.put_along_axis(out, self.permutations[:, :, None].repeat(3, axis=2), moved, axis=1)
        return out

    def symbol(self, g: int) -> str:
        """Name of operation g (computed on first use: a supercell has hundreds)."""
        s = self.symbols[g]
        return s if isinstance(s, str) else s(g)

    def average(self, u: np.ndarray, ops, weights=None) -> np.ndarray:
        """Σ_g w_g g·u / Σ_g 1 over the operations ``ops`` (weights 1 by default)."""
        ops = np.asarray(ops, int)
        w = np.ones(len(ops)) if weights is None else np.asarray(weights, float)
        R = self.rotations[ops]
        moved = np.einsum("gij,nj->gni", R, u) * w[:, None, None]
        out = np.zeros((len(ops),) + u.shape)
        np.put_along_axis(out, self.permutations[ops][:, :, None].repeat(3, axis=2), moved, axis=1)
        return out.sum(axis=0) / len(ops)

    def ops_of(self, subgroup: PointGroup) -> np.ndarray:
        """Indices of the operations whose rotation lies in ``subgroup`` (k = 0 isotropy)."""
        inside = subgroup.index_of(self.group.matrices) >= 0
        return np.flatnonzero(inside[self.point_index])

    def fixers(self, u: np.ndarray, tol: float = FIELD_TOL) -> np.ndarray:
        """Indices of the operations leaving u invariant (relative residual ≤ ``tol``)."""
        scale = max(float(np.linalg.norm(u)), 1e-300)
        return np.flatnonzero(np.linalg.norm(self.images(u) - u, axis=(1, 2)) <= tol * scale)

    def isotypic(self, u: np.ndarray, label: str) -> np.ndarray:
        """P_Γ u: the part of u transforming as the point-group irrep ``label`` of ``group``."""
        t = character_table(self.group)
        ir = t.irrep(label)
        chi = t.element_characters(ir)[self.point_index]
        return ir.dim / (2.0 if ir.complex_pair else 1.0) * self.average(u, np.arange(self.n_ops), chi)


def _match(moved: np.ndarray, ref: np.ndarray, numbers: np.ndarray, tol: float, periodic: bool) -> np.ndarray | None:
    """π with moved[i] ≈ ref[π(i)] (same species; fractional and modulo 1 when periodic), or None."""
    d = moved[:, None, :] - ref[None, :, :]
    if periodic:
        d -= np.round(d)
    dist = np.linalg.norm(d, axis=2)
    dist[numbers[:, None] != numbers[None, :]] = np.inf
    perm = np.argmin(dist, axis=1)
    if (dist[np.arange(len(perm)), perm] > tol).any() or len(set(perm.tolist())) != len(perm):
        return None
    return perm


def molecule_action(positions: np.ndarray, numbers: np.ndarray, G: PointGroup, centre=None, tol: float = 1e-3) -> SiteAction:
    """The permutations of a molecule's atoms by the operations of G (about ``centre``, Å).

    Raises SymmetryError when an operation does not map the molecule onto itself within
    ``tol`` Å.
    """
    X = np.asarray(positions, float) - (np.zeros(3) if centre is None else np.asarray(centre, float))
    numbers = np.asarray(numbers, int)
    perms = []
    for a, R in enumerate(G.matrices):
        p = _match(X @ R.T, X, numbers, tol, False)
        if p is None:
            raise SymmetryError(f"operation {G.ops[a].symbol} of {G.schoenflies} does not map the molecule onto itself")
        perms.append(p)
    return SiteAction(rotations=G.matrices.copy(), permutations=np.array(perms), point_index=np.arange(G.order),
                      group=G, symbols=tuple(op.symbol for op in G.ops), periodic=False)


def crystal_action(lattice: np.ndarray, fractional: np.ndarray, numbers: np.ndarray, rotations: np.ndarray,
                   translations: np.ndarray, symbols, tol: float = 1e-3) -> SiteAction:
    """The permutations of a crystal's atoms by its space-group operations {W|w}
    (fractional, this cell), with Cartesian R = Lᵀ W L⁻ᵀ (L: lattice rows, Å).
    """
    L = np.asarray(lattice, float)
    R = np.einsum("ji,njk,lk->nil", L, np.asarray(rotations, float), np.linalg.inv(L))
    G = PointGroup.from_matrices(unique(np.round(R, 10), axis=0))
    frac = np.asarray(fractional, float)
    numbers = np.asarray(numbers, int)
    ftol = tol / max(float(np.min(np.linalg.norm(L, axis=1))), 1e-9)
    perms = []
    for W, w, s in zip(rotations, translations, symbols):
        p = _match(frac @ np.asarray(W, float).T + w, frac, numbers, ftol, True)
        if p is None:
            raise SymmetryError(f"operation {s} does not map the crystal onto itself")
        perms.append(p)
    return SiteAction(rotations=R, permutations=np.array(perms), point_index=G.index_of(R), group=G,
                      symbols=tuple(symbols), periodic=True, fractional=np.asarray(rotations, int).copy())


def supercell_action(sc) -> SiteAction:
    """The :class:`SiteAction` of G/T_s on a parent supercell (:class:`symbreak_cli.symmetry._supercell.Supercell`):
    its permutations and rotations, Seitz symbols in the supercell's basis
    (W_s = N⁻ᵀ W Nᵀ, w_s = N⁻ᵀ (w + t): a lost parent translation reads {1|1/2 0 0}).
    """
    from symbreak_cli.groups import seitz_symbol

    R = np.asarray(sc.cart, float)
    G = PointGroup.from_matrices(unique(np.round(R, 10), axis=0))
    P = sc.parent
    Nt = np.asarray(sc.matrix, float).T
    Ninv_t = np.linalg.inv(Nt)

    def name(g: int) -> str:
        o, t = sc.op[g], sc.shift[g]
        return seitz_symbol(np.rint(Ninv_t @ P.rotations[o] @ Nt), Ninv_t @ (P.translations[o] + t))

    symbols = (name,) * len(R)
    return SiteAction(rotations=R, permutations=np.asarray(sc.perms, int), point_index=G.index_of(R), group=G,
                      symbols=symbols, periodic=True)


def rigid_basis(positions: np.ndarray, periodic: bool) -> np.ndarray:
    """(k, N, 3) orthonormal rigid motions: 3 translations, and for a molecule 3 rotations ω × r."""
    X = np.asarray(positions, float)
    X = X - X.mean(axis=0)
    N = len(X)
    vecs = [np.tile(e, (N, 1)) for e in np.eye(3)]
    if not periodic:
        vecs += [np.cross(e, X) for e in np.eye(3)]
    A = np.array(vecs).reshape(len(vecs), -1)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    return Vt[s > 1e-9 * max(s.max(), 1.0)].reshape(-1, N, 3)


def remove_rigid(u: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """The field u without its rigid-motion part."""
    c = np.einsum("kni,ni->k", basis, u)
    return u - np.einsum("k,kni->ni", c, basis)


# ----------------------------------------------------------------------------------------
# subgroups of a point group, up to conjugacy
# ----------------------------------------------------------------------------------------
def _closure(table: np.ndarray, gens: list[int]) -> frozenset[int]:
    """Indices of the subgroup generated by ``gens`` (right multiplication by generators)."""
    S, frontier = {0}, [0]
    while frontier:
        new = set(table[np.ix_(frontier, gens)].ravel().tolist()) - S if gens else set()
        S |= new
        frontier = list(new)
    return frozenset(S)


def _signature(M: np.ndarray) -> tuple[float, int]:
    """(trace, det): what conjugation in O(3) preserves about one operation."""
    return round(float(np.trace(M)), 4), int(round(float(np.linalg.det(M))))


def _orientation_key(G: PointGroup, K) -> tuple:
    """Prefer subgroups whose main axis (highest-order rotation, else a mirror normal) has
    no negative component and lies nearest z: [001] before [100], [111] before [-111].
    """
    ops = [G.ops[k] for k in K if G.ops[k].kind not in ("E", "i")]
    if not ops:
        return (0,)
    main = max(ops, key=lambda op: (op.proper, op.element_order))
    u = np.asarray(main.axis, float)
    if u.sum() < -1e-9 or (abs(u.sum()) <= 1e-9 and u[np.flatnonzero(np.abs(u) > 1e-9)[0]] < 0):
        u = -u
    return (int((u < -1e-9).sum()), round(-u[2], 6), round(-u[1], 6), round(-u[0], 6), tuple(sorted(K)))


def subgroup_classes(G: PointGroup, name: str) -> list[tuple[int, ...]]:
    """The subgroups of G of type ``name`` (Schoenflies or HM), one per conjugacy class,
    each as sorted G-indices; the class holding the standard-oriented group comes first.
    """
    target = canonical_name(name)
    H0 = PointGroup.named(target)
    if G.order % H0.order:
        return []
    from itertools import product

    gens = H0.generators
    sig_G = [_signature(M) for M in G.matrices]
    choices = [[a for a in range(G.order) if sig_G[a] == _signature(H0.matrices[h])] for h in gens]
    subs: set[frozenset[int]] = set()
    for combo in product(*choices):
        K = _closure(G.table, list(combo))
        if len(K) == H0.order and K not in subs and identify_matrices(G.matrices[sorted(K)], G.tol)[0] == target:
            subs.add(K)
    classes: dict[tuple[int, ...], tuple[int, ...]] = {}
    for K in sorted(subs, key=sorted):
        images = [tuple(sorted(int(G.table[G.table[g, k], G.inverse[g]]) for k in K)) for g in range(G.order)]
        classes.setdefault(min(images), tuple(sorted(K)))
    std = G.index_of(H0.matrices)
    reps = []
    for K in classes.values():
        conjugates = {tuple(sorted(int(G.table[G.table[g, k], G.inverse[g]]) for k in K)) for g in range(G.order)}
        if (std >= 0).all() and tuple(sorted(int(a) for a in std)) in conjugates:
            reps.insert(0, tuple(sorted(int(a) for a in std)))  # the standard orientation represents its class
        else:
            reps.append(min(conjugates, key=lambda C: _orientation_key(G, C)))
    return reps


# ----------------------------------------------------------------------------------------
# domains
# ----------------------------------------------------------------------------------------
def representative_order(action: SiteAction) -> list[int]:
    """Operations in the order of :func:`symbreak_cli.groups.subgroup_relation`: identity
    first, then proper before improper, low element order first (pure translations of a
    crystal supercell count as the identity's kin: proper, order 1).
    """
    ops = action.group.ops
    key = lambda g: (g != 0, not ops[action.point_index[g]].proper, ops[action.point_index[g]].element_order, g)  # noqa: E731
    return sorted(range(action.n_ops), key=key)


def _same(a: np.ndarray | None, b: np.ndarray | None, tol: float) -> bool:
    if a is None or b is None:
        return True
    scale = float(np.linalg.norm(a))
    return scale < 1e-12 or float(np.linalg.norm(a - b)) <= tol * scale


def domain_images(action: SiteAction, u: np.ndarray, strain: np.ndarray | None = None,
                  tol: float = FIELD_TOL) -> list[tuple[int, np.ndarray, np.ndarray | None]]:
    """The distinct images (g, g·u, R E Rᵀ) of a field (and strain) over all operations, first g kept."""
    U = action.images(u)
    R = action.rotations
    E = None if strain is None else np.einsum("gij,jk,glk->gil", R, strain, R)
    out: list[tuple[int, np.ndarray, np.ndarray | None]] = []
    for g in representative_order(action):
        e = None if E is None else E[g]
        if not any(_same(U[g], w, tol) and _same(e, f, tol) for _, w, f in out):
            out.append((g, U[g], e))
    return out


def fixers_of(action: SiteAction, u: np.ndarray, strain: np.ndarray | None = None, tol: float = FIELD_TOL) -> np.ndarray:
    """Operations leaving both the field and the strain invariant."""
    ok = np.linalg.norm(action.images(u) - u, axis=(1, 2)) <= tol * max(float(np.linalg.norm(u)), 1e-300)
    if strain is not None and np.linalg.norm(strain) > 1e-12:
        R = action.rotations
        E = np.einsum("gij,jk,glk->gil", R, strain, R)
        ok &= np.linalg.norm(E - strain, axis=(1, 2)) <= tol * float(np.linalg.norm(strain))
    return np.flatnonzero(ok)


def check_field_group(action: SiteAction, u: np.ndarray, expected: PointGroup) -> np.ndarray:
    """Operations fixing u; SymmetryError unless their rotations are exactly ``expected``."""
    fix = action.fixers(u)
    rots = unique(action.point_index[fix])
    got = action.group.matrices[rots]
    if len(rots) != expected.order or (expected.index_of(got) < 0).any():
        name = identify_matrices(got, action.group.tol)[0] if len(got) else "—"
        raise SymmetryError(f"the displacement pattern keeps {name}, not {expected.schoenflies}")
    return fix


@dataclass(frozen=True, eq=False)
class PatternDomain:
    """One domain: ``operation`` (index in the action) maps domain 0 onto it;
    ``displacements`` (N, 3) Å, ``strain`` (3, 3) or None; ``group`` (|H|, 3, 3) the
    rotations of g H g⁻¹; ``ops`` the action's operations that keep this domain;
    ``object`` the breaking object turned by g.
    """

    index: int
    operation: int
    symbol: str
    displacements: np.ndarray
    strain: np.ndarray | None
    group: np.ndarray
    ops: np.ndarray
    object: dict


def domains_of(action: SiteAction, u: np.ndarray, strain: np.ndarray | None, obj: BreakingObject | None,
               H: PointGroup) -> list[PatternDomain]:
    """Every domain (g·u, R E Rᵀ) of the pattern over the action's operations (first g kept)."""
    out = []
    for k, (g, v, e) in enumerate(domain_images(action, u, strain)):
        R = action.rotations[g]
        out.append(PatternDomain(index=k, operation=g, symbol=action.symbol(g), displacements=v, strain=e,
                                 group=np.einsum("ij,hjk,lk->hil", R, H.matrices, R), ops=fixers_of(action, v, e),
                                 object=obj.rotated(R) if obj is not None else {}))
    return out


__all__ = ["FIELD_TOL", "PatternDomain", "SiteAction", "check_field_group", "crystal_action", "domain_images", "domains_of",
           "fixers_of", "molecule_action", "remove_rigid", "representative_order", "rigid_basis", "subgroup_classes",
           "supercell_action"]
