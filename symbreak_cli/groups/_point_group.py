"""Finite point groups as sets of Cartesian 3×3 orthogonal matrices.

:class:`PointGroup` is immutable and built in one place, its constructor: the matrices
(identity first), the multiplication table ``table[a, b] = index(g_a g_b)``, the inverse
indices, the classification of every element (:mod:`._operations`), the conjugacy
classes with textbook labels (:mod:`._classes`) and the Schoenflies and Hermann–Mauguin
names (:mod:`._catalogue`). A generating set is computed on first use.

Constructors::

    PointGroup.from_matrices(mats, tol=DEFAULT_TOL)   # closure checked, raises SymmetryError
    PointGroup.from_generators(gens, tol=DEFAULT_TOL)
    PointGroup.named("D4h") / named("4/mmm")          # standard orientation (_catalogue.py)

``tol`` is a tolerance scale (:mod:`._tolerances`): two matrices are the same element when
every entry differs by at most ``MATCH_FACTOR · tol`` (1e-4 at the default).

Group–subgroup analysis of G ⊇ H in one frame: :func:`subgroup_relation` → index |G|/|H|,
the lost operations G∖H, the left cosets gH (one per orientational domain) with a
representative each.

>>> G = PointGroup.named("Oh"); H = PointGroup.named("D4h")
>>> subgroup_relation(G, H).n_domains
3
>>> G.order = 7
Traceback (most recent call last):
...
AttributeError: PointGroup is immutable: cannot set 'order'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups._catalogue import identify_matrices
from symbreak_cli.groups._classes import ConjugacyClass, conjugacy_classes
from symbreak_cli.groups._operations import OpInfo, classify
from symbreak_cli.groups._tolerances import DEFAULT_TOL, ORTHOGONALITY_FLOOR, entry_tolerance

__all__ = ["ConjugacyClass", "PointGroup", "SubgroupRelation", "close_matrices", "embed", "match_indices",
           "subgroup_relation", "unique_matrices", "DEFAULT_TOL"]


def match_indices(A: np.ndarray, B: np.ndarray, tol: float) -> np.ndarray:
    """(k,) int: for each matrix in A (k, 3, 3), the index of the equal matrix in B (n, 3, 3), or −1.

    Equal: every entry within ``entry_tolerance(tol) = MATCH_FACTOR · tol``.
    """
    a = A.reshape(len(A), 9)
    b = B.reshape(len(B), 9)
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    j = np.argmin(d2, axis=1)
    ok = np.abs(a - b[j]).max(axis=1) <= entry_tolerance(tol)
    return np.where(ok, j, -1)


def unique_matrices(mats: np.ndarray, tol: float) -> np.ndarray:
    """One matrix per set of equal ones (max entry difference ≤ MATCH_FACTOR · tol), first kept."""
    if len(mats) == 0:
        return mats
    _, first = np.unique(np.round(mats.reshape(len(mats), 9), 4) + 0.0, axis=0, return_index=True)
    reps = mats[np.sort(first)]
    flat = reps.reshape(len(reps), 9)  # rounding boundaries can split a set: check the few left
    same = np.abs(flat[:, None, :] - flat[None, :, :]).max(axis=2) <= entry_tolerance(tol)
    return reps[np.argmax(same, axis=1) == np.arange(len(reps))]


def close_matrices(gens: np.ndarray, tol: float = DEFAULT_TOL, max_order: int = 240) -> np.ndarray:
    """All products of the generators: the smallest finite group containing them.

    Breadth-first: every new element times every generator, so the work is O(|G|·k).
    """
    gens = list(unique_matrices(np.asarray(gens, float).reshape(-1, 3, 3), tol)) if len(gens) else []
    mats = np.eye(3)[None]
    frontier = mats
    while len(frontier):
        cand = np.einsum("aij,bjk->abik", frontier, np.array(gens)).reshape(-1, 3, 3) if gens else frontier[:0]
        cand = cand[match_indices(cand, mats, tol) < 0]
        if len(cand) == 0:
            break
        frontier = unique_matrices(cand, tol)
        mats = np.concatenate([mats, frontier])
        if len(mats) > max_order:
            raise SymmetryError(f"generators do not close into a finite point group of order ≤ {max_order}")
    return mats


class PointGroup:
    """A finite subgroup of O(3), given by its Cartesian matrices; immutable.

    Parameters
    ----------
    matrices : array_like, shape (n, 3, 3)
        Orthogonal matrices forming a group (duplicates within tolerance are merged).
    tol : float
        Tolerance scale (dimensionless, :mod:`._tolerances`).

    Attributes
    ----------
    matrices : (n, 3, 3) float64, read-only, orthogonal, identity first.
    order : n.
    table : (n, n) int, read-only, ``table[a, b]`` is the index of ``matrices[a] @ matrices[b]``.
    inverse : (n,) int, read-only, index of each element's inverse.
    ops : tuple of OpInfo, the classification of every element.
    classes : tuple of ConjugacyClass with textbook labels; ``class_of[a]`` (read-only) its index.
    class_roles : read-only mapping of class roles used for Mulliken labels (:mod:`._classes`).
    schoenflies, hm : names, e.g. "D4h", "4/mmm".
    tol : the tolerance scale used.

    Raises
    ------
    SymmetryError
        If the matrices are not orthogonal, lack the identity or are not closed.
    """

    def __init__(self, matrices, tol: float = DEFAULT_TOL, *, _checked: bool = False):
        tol = float(tol)
        mats = np.array(matrices, dtype=np.float64).reshape(-1, 3, 3)  # a copy the group owns
        if not _checked:
            mats = self._validate(mats, tol)
        mats.setflags(write=False)
        order = len(mats)
        prods = np.einsum("aij,bjk->abik", mats, mats).reshape(-1, 3, 3)
        t = match_indices(prods, mats, tol)
        if (t < 0).any():
            raise SymmetryError(f"the {order} operations are not closed under multiplication at tol={tol:g}")
        table = t.reshape(order, order)
        inverse = np.argmax(table == 0, axis=1)
        table.setflags(write=False)
        inverse.setflags(write=False)
        ops = tuple(classify(m, tol) for m in mats)
        classes, class_of, roles = conjugacy_classes(ops, table, inverse)
        schoenflies, hm = identify_matrices(mats, tol)
        for name, value in (("tol", tol), ("matrices", mats), ("order", order), ("table", table),
                            ("inverse", inverse), ("ops", ops), ("classes", classes), ("class_of", class_of),
                            ("class_roles", roles), ("schoenflies", schoenflies), ("hm", hm)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"PointGroup is immutable: cannot set {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"PointGroup is immutable: cannot delete {name!r}")

    # declared for readers and type checkers; set once in __init__
    tol: float
    matrices: np.ndarray
    order: int
    table: np.ndarray
    inverse: np.ndarray
    ops: tuple[OpInfo, ...]
    classes: tuple[ConjugacyClass, ...]
    class_of: np.ndarray
    class_roles: Mapping
    schoenflies: str
    hm: str

    @staticmethod
    def _validate(mats: np.ndarray, tol: float) -> np.ndarray:
        if len(mats) == 0:
            raise SymmetryError("a point group needs at least the identity")
        err = np.abs(np.einsum("aji,ajk->aik", mats, mats) - np.eye(3)).max()
        if err > max(entry_tolerance(tol), ORTHOGONALITY_FLOOR):
            raise SymmetryError(f"matrices are not orthogonal (|RᵀR − I| = {err:.2e})")
        uniq = match_indices(mats, mats, tol)
        mats = mats[np.sort(unique(uniq))]
        e = match_indices(np.eye(3)[None], mats, tol)[0]
        if e < 0:
            raise SymmetryError("the operations do not contain the identity")
        order = [e] + [i for i in range(len(mats)) if i != e]
        return mats[order]

    @classmethod
    def from_matrices(cls, mats, tol: float = DEFAULT_TOL) -> "PointGroup":
        """Group of the given operations (n, 3, 3); raises SymmetryError unless they form a group.

        >>> PointGroup.from_matrices([np.eye(3), -np.eye(3)]).schoenflies
        'Ci'
        """
        return cls(np.asarray(mats, dtype=np.float64), tol)

    @classmethod
    def from_generators(cls, gens, tol: float = DEFAULT_TOL) -> "PointGroup":
        """The smallest finite group containing the generators (k, 3, 3) (:func:`close_matrices`).

        >>> PointGroup.from_generators([np.diag([-1.0, -1.0, 1.0]), np.diag([1.0, 1.0, -1.0])]).hm
        '2/m'
        """
        return cls(close_matrices(np.asarray(gens, float).reshape(-1, 3, 3), tol), tol)

    @classmethod
    def named(cls, name: str) -> "PointGroup":
        """A named group (Schoenflies or HM) in the standard orientation, cached.

        >>> PointGroup.named("4/mmm").schoenflies
        'D4h'
        """
        from symbreak_cli.groups._catalogue import named_group

        return named_group(name)

    @cached_property
    def generators(self) -> tuple[int, ...]:
        """Indices of a small generating set (greedy, highest element order first)."""
        order = sorted(range(1, self.order), key=lambda a: (-self.ops[a].element_order, a))
        gens: list[int] = []
        span = {0}
        for a in order:
            if a in span:
                continue
            gens.append(a)
            span = self._span(gens)
            if len(span) == self.order:
                break
        return tuple(gens)

    def _span(self, gens) -> set[int]:
        span = {0}
        frontier = [0]
        while frontier:
            nxt = []
            for a in frontier:
                for g in gens:
                    b = int(self.table[a, g])
                    if b not in span:
                        span.add(b)
                        nxt.append(b)
            frontier = nxt
        return span

    @property
    def multiplication_table(self) -> np.ndarray:
        """Alias of ``table``."""
        return self.table

    @cached_property
    def has_inversion(self) -> bool:
        """Whether −I is an element."""
        return bool((match_indices(-np.eye(3)[None], self.matrices, self.tol) >= 0)[0])

    def index_of(self, mats: np.ndarray) -> np.ndarray:
        """(k,) int: indices of the given matrices (k, 3, 3) in this group (−1 where absent)."""
        return match_indices(np.asarray(mats, float).reshape(-1, 3, 3), self.matrices, self.tol)

    def __len__(self) -> int:
        return self.order

    def __repr__(self) -> str:
        return f"PointGroup({self.schoenflies} = {self.hm}, order {self.order})"


@dataclass(frozen=True)
class SubgroupRelation:
    """G ⊇ H in one frame.

    ``cosets[k]`` lists the G-indices of the left coset g_k H; ``representatives[k]`` is
    g_k (the identity for H itself): domain k is the child structure transformed by g_k.
    ``lost`` are the G-indices of G∖H; symbols are ITA-like (:mod:`._operations`).
    """

    parent: PointGroup
    child: PointGroup
    index: int
    child_in_parent: tuple[int, ...]
    lost: tuple[int, ...]
    cosets: tuple[tuple[int, ...], ...]
    representatives: tuple[int, ...]

    @property
    def n_domains(self) -> int:
        return self.index

    @property
    def lost_symbols(self) -> list[str]:
        return [self.parent.ops[a].symbol for a in self.lost]

    @property
    def representative_symbols(self) -> list[str]:
        return [self.parent.ops[a].symbol for a in self.representatives]


def embed(G: PointGroup, H: PointGroup, tol: float | None = None) -> np.ndarray:
    """Index in G of every element of H; SymmetryError if H is not a subgroup of G."""
    idx = match_indices(H.matrices, G.matrices, tol if tol is not None else max(G.tol, H.tol))
    if (idx < 0).any():
        missing = [H.ops[k].symbol for k in np.flatnonzero(idx < 0)[:4]]
        raise SymmetryError(
            f"{H.schoenflies} is not a subgroup of {G.schoenflies} in this frame "
            f"(missing e.g. {', '.join(missing)}); give both groups in a common frame"
        )
    return idx


def subgroup_relation(G: PointGroup, H: PointGroup, tol: float | None = None) -> SubgroupRelation:
    """Index, lost operations and left cosets G/H (= orientational domains)."""
    sub = embed(G, H, tol)
    in_h = np.zeros(G.order, bool)
    in_h[sub] = True
    # simplest representative first: identity, then low element order, proper before improper
    key = sorted(range(G.order), key=lambda a: (a != 0, not G.ops[a].proper, G.ops[a].element_order, a))
    seen = np.zeros(G.order, bool)
    cosets, reps = [], []
    for g in key:
        if seen[g]:
            continue
        coset = tuple(sorted(int(G.table[g, h]) for h in sub))
        seen[list(coset)] = True
        cosets.append(coset)
        reps.append(g)
    return SubgroupRelation(
        parent=G,
        child=H,
        index=G.order // H.order,
        child_in_parent=tuple(int(a) for a in sub),
        lost=tuple(int(a) for a in np.flatnonzero(~in_h)),
        cosets=tuple(cosets),
        representatives=tuple(reps),
    )
