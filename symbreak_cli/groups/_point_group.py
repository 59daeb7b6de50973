"""Finite point groups as sets of Cartesian 3×3 orthogonal matrices.

:class:`PointGroup` holds the matrices (identity first) and everything derived from them
exactly once: the multiplication table ``table[a, b] = index(g_a g_b)``, the inverse
indices, the conjugacy classes (with textbook labels, :mod:`.classes`), the Schoenflies and
Hermann–Mauguin names (:mod:`.naming`) and a generating set.

Constructors::

    PointGroup.from_matrices(mats, tol=1e-5)   # closure checked, raises SymmetryError
    PointGroup.named("D4h") / named("4/mmm")   # standard orientation (see naming.py)

Group–subgroup analysis of G ⊇ H in one frame: :func:`subgroup_relation` → index |G|/|H|,
the lost operations G∖H, the left cosets gH (one per orientational domain) with a
representative each.

>>> G = PointGroup.named("Oh"); H = PointGroup.named("D4h")
>>> subgroup_relation(G, H).n_domains
3
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups._operations import OpInfo, classify

DEFAULT_TOL = 1e-5  # max |ΔR| entry to call two matrices equal (dimensionless)


def match_indices(A: np.ndarray, B: np.ndarray, tol: float) -> np.ndarray:
    """For each matrix in A (k,3,3), the index of the equal matrix in B (n,3,3), or −1."""
    a = A.reshape(len(A), 9)
    b = B.reshape(len(B), 9)
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    j = np.argmin(d2, axis=1)
    ok = np.abs(a - b[j]).max(axis=1) <= tol * 10
    return np.where(ok, j, -1)


def unique_matrices(mats: np.ndarray, tol: float) -> np.ndarray:
    """One matrix per set of equal ones (max entry difference ≤ 10·tol), first kept."""
    if len(mats) == 0:
        return mats
    _, first = np.unique(np.round(mats.reshape(len(mats), 9), 4) + 0.0, axis=0, return_index=True)
    reps = mats[np.sort(first)]
    flat = reps.reshape(len(reps), 9)  # rounding boundaries can split a set: check the few left
    same = np.abs(flat[:, None, :] - flat[None, :, :]).max(axis=2) <= tol * 10
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


@dataclass(frozen=True)
class ConjugacyClass:
    """One conjugacy class: member indices into ``PointGroup.matrices`` and its label."""

    label: str  # e.g. "8C3", "3σh", "C2'" (size prefix included when > 1)
    members: tuple[int, ...]
    symbol: str  # the label without the size prefix, e.g. "C3"

    @property
    def size(self) -> int:
        return len(self.members)


class PointGroup:
    """A finite subgroup of O(3), given by its Cartesian matrices.

    Attributes
    ----------
    matrices : (n, 3, 3) float64, orthogonal, identity first.
    order : n.
    table : (n, n) int, ``table[a, b]`` is the index of ``matrices[a] @ matrices[b]``.
    inverse : (n,) int, index of each element's inverse.
    classes : list[ConjugacyClass] with textbook labels; ``class_of[a]`` its class index.
    schoenflies, hm : names, e.g. "D4h", "4/mmm".
    tol : matching tolerance used (max matrix-entry difference).
    """

    def __init__(self, matrices: np.ndarray, tol: float = DEFAULT_TOL, *, _checked: bool = False):
        mats = np.asarray(matrices, dtype=np.float64).reshape(-1, 3, 3)
        self.tol = float(tol)
        if not _checked:
            mats = self._validate(mats, self.tol)
        self.matrices = mats
        self.matrices.setflags(write=False)
        self.order = len(mats)
        prods = np.einsum("aij,bjk->abik", mats, mats).reshape(-1, 3, 3)
        t = match_indices(prods, mats, self.tol)
        if (t < 0).any():
            raise SymmetryError(
                f"the {self.order} operations are not closed under multiplication at tol={self.tol:g}"
            )
        self.table = t.reshape(self.order, self.order)
        self.inverse = np.argmax(self.table == 0, axis=1)
        self._build_classes()
        from symbreak_cli.groups._catalogue import identify

        self.schoenflies, self.hm = identify(self)
        from symbreak_cli.groups._classes import label_classes

        self.classes = label_classes(self, self._raw_classes)
        self._sort_classes()

    def _sort_classes(self) -> None:
        """Textbook column order: E, C_n (n descending), C2, C2', C2'', i, S_n, σh, σv, σd."""

        def key(k: int):
            c = self.classes[k]
            o = self.ops[c.members[0]]
            rank = {"E": 0, "C": 1, "i": 2, "S": 3, "sigma": 4}[o.kind]
            sub = {"σh": 0, "σv": 1, "σv'": 2, "σd": 3, "C2(z)": 0, "C2(y)": 1, "C2(x)": 2,
                   "σ(xy)": 0, "σ(xz)": 1, "σ(yz)": 2}.get(c.symbol, 0)
            return (rank, -o.order_n, c.symbol.count("'"), sub, c.symbol, k)

        perm = sorted(range(len(self.classes)), key=key)
        new_index = {old: new for new, old in enumerate(perm)}
        self.classes = [self.classes[k] for k in perm]
        self._raw_classes = [self._raw_classes[k] for k in perm]
        self.class_of = np.array([new_index[int(k)] for k in self.class_of])
        self.class_roles = {
            r: ({a: new_index[b] for a, b in v.items()} if isinstance(v, dict) else (None if v is None else new_index[v]))
            for r, v in self.class_roles.items()
        }

    @staticmethod
    def _validate(mats: np.ndarray, tol: float) -> np.ndarray:
        if len(mats) == 0:
            raise SymmetryError("a point group needs at least the identity")
        err = np.abs(np.einsum("aji,ajk->aik", mats, mats) - np.eye(3)).max()
        if err > max(tol * 10, 1e-4):
            raise SymmetryError(f"matrices are not orthogonal (|RᵀR − I| = {err:.2e})")
        uniq = match_indices(mats, mats, tol)
        mats = mats[np.sort(np.unique(uniq))]
        e = match_indices(np.eye(3)[None], mats, tol)[0]
        if e < 0:
            raise SymmetryError("the operations do not contain the identity")
        order = [e] + [i for i in range(len(mats)) if i != e]
        return mats[order]

    @classmethod
    def from_matrices(cls, mats, tol: float = DEFAULT_TOL) -> "PointGroup":
        """Group of the given operations; raises SymmetryError unless they form a group."""
        return cls(np.asarray(mats, dtype=np.float64), tol)

    @classmethod
    def from_generators(cls, gens, tol: float = DEFAULT_TOL) -> "PointGroup":
        return cls(close_matrices(np.asarray(gens, float).reshape(-1, 3, 3), tol), tol)

    @classmethod
    def named(cls, name: str) -> "PointGroup":
        """A named group (Schoenflies or HM) in the standard orientation, cached."""
        from symbreak_cli.groups._catalogue import named_group

        return named_group(name)

    def _build_classes(self) -> None:
        n = self.order
        conj = self.table[self.table[:, np.arange(n)], self.inverse[:, None]]  # conj[h, g] = h g h⁻¹
        class_of = -np.ones(n, dtype=int)
        raw: list[tuple[int, ...]] = []
        for g in range(n):
            if class_of[g] < 0:
                members = tuple(sorted(set(conj[:, g].tolist())))
                class_of[list(members)] = len(raw)
                raw.append(members)
        self.class_of = class_of
        self._raw_classes = raw

    @cached_property
    def ops(self) -> list[OpInfo]:
        """Classification of every element (axis, angle, symbol)."""
        return [classify(m, self.tol) for m in self.matrices]

    @cached_property
    def generators(self) -> list[int]:
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
        return gens

    def _span(self, gens: list[int]) -> set[int]:
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
        return self.table

    @cached_property
    def has_inversion(self) -> bool:
        return bool((match_indices(-np.eye(3)[None], self.matrices, self.tol) >= 0)[0])

    def index_of(self, mats: np.ndarray) -> np.ndarray:
        """Indices of the given matrices in this group (−1 where absent)."""
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
    ``lost`` are the G-indices of G∖H; symbols are ITA-like (see operations.py).
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
