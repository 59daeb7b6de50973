"""A parent crystal, its space group G and the finite group G/T_s acting on a supercell.

Everything the mode analysis needs below the irreps: the parent in spglib's standardised
primitive setting (optionally with a chosen atom moved to the origin), the supercell built
from an integer matrix N (child lattice rows = N · parent lattice rows), the smallest
supercell containing N's whose lattice every parent rotation maps onto itself (so that
G/T_s is a group), and every element of G/T_s as an atom permutation with a Cartesian
rotation (the displacement representation Γ(g): u'[perm[i]] = R u[i]).

Supercell atoms are ordered cell-major: atom ``c * n_parent + j`` is parent atom j
translated by the c-th parent lattice vector of :attr:`Supercell.translations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from math import gcd

import numpy as np

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.io.cell import Cell


@dataclass(frozen=True, eq=False)
class Parent:
    """The parent in its standardised primitive setting with its space-group operations.

    Attributes
    ----------
    cell : the primitive cell used (spglib's standardised orientation: conventional axes
        along x, y, z), origin as stated by ``origin``.
    rotations : (m, 3, 3) int, fractional rotations of the primitive basis.
    translations : (m, 3) float, their translations in [0, 1).
    number, hm : space group.
    origin : one line, e.g. "Ti (1a) at the origin".
    """

    cell: Cell
    rotations: np.ndarray
    translations: np.ndarray
    number: int
    hm: str
    origin: str

    @property
    def cartesian(self) -> np.ndarray:
        """(m, 3, 3) Cartesian rotations, r' = R r."""
        L = self.cell.lattice
        return np.einsum("ji,njk,lk->nil", L, self.rotations.astype(float), np.linalg.inv(L))

    @property
    def symmorphic_at_origin(self) -> bool:
        """True when every operation has zero translation (the origin is a full-symmetry point)."""
        t = self.translations - np.rint(self.translations)
        return bool(np.abs(t).max() < 1e-6)


def _clean_ops(R: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Operations without pure lattice translations, translations in [0, 1)."""
    R, t = np.asarray(R), np.asarray(t, float)
    keep = [i for i in range(len(R)) if not (np.array_equal(R[i], np.eye(3, dtype=int)) and np.abs(t[i] - np.rint(t[i])).max() > 1e-6)]
    R, t = R[keep], t[keep] % 1.0
    t[np.abs(t - 1) < 1e-6] = 0.0
    t[np.abs(t) < 1e-6] = 0.0
    return np.ascontiguousarray(R, dtype=np.int64), t


def standard_parent(parent: Cell, symprec: float = 1e-3, origin: str | None = None) -> Parent:
    """The parent's standardised primitive cell and operations; ``origin`` (an element
    symbol) moves the most symmetric atom of that element to (0, 0, 0).

    spglib is called for the standardisation and one dataset of the cell used (two with
    ``origin``: the Wyckoff letters spglib gives follow the origin, e.g. 1a and 1b of Pm-3m).
    """
    import spglib

    if not parent.periodic:
        raise SymmetryError("a mode decomposition needs a crystal parent", path=parent.source)
    cell = (parent.lattice, parent.fractional, parent.numbers)
    try:  # spglib >= 2.5 raises (e.g. "too close distance between atoms") where it returned None
        std = spglib.standardize_cell(cell, to_primitive=True, no_idealize=False, symprec=symprec)
    except Exception as err:
        raise SymmetryError(f"spglib could not standardise the parent: {err}", path=parent.source) from None
    if std is None:
        raise SymmetryError("spglib could not standardise the parent", path=parent.source)
    lattice, frac, numbers = (np.asarray(x) for x in std)
    by_number = dict(zip(parent.numbers.tolist(), parent.symbols))
    symbols = tuple(by_number[int(z)] for z in numbers)
    data = spglib.get_symmetry_dataset((lattice, frac, numbers), symprec=symprec)
    if data is None:
        raise SymmetryError("spglib found no symmetry for the parent", path=parent.source)
    R, t = _clean_ops(data.rotations, data.translations)
    if origin is not None:
        choices = [i for i, s in enumerate(symbols) if s == origin]
        if not choices:
            raise OptionError(f"--parent-origin {origin!r}: the parent has no {origin} atom (it has {', '.join(sorted(set(symbols)))})")

        def fixed(i):  # the atom with the largest site symmetry: most operations fixing it
            img = np.einsum("nij,j->ni", R, frac[i]) + t - frac[i]
            return int((np.abs(img - np.rint(img)).max(axis=1) < 1e-4).sum())

        shift = frac[max(choices, key=fixed)].copy()
        frac = (frac - shift) % 1.0
        frac[np.abs(frac - 1) < 1e-8] = 0.0
        data = spglib.get_symmetry_dataset((lattice, frac, numbers), symprec=symprec)  # Wyckoff letters follow the origin
        if data is None:
            raise SymmetryError("spglib found no symmetry for the parent", path=parent.source)
        R, t = _clean_ops(data.rotations, data.translations)
    at0 = [i for i in range(len(frac)) if np.abs(frac[i] - np.rint(frac[i])).max() < 1e-6]
    where = "no atom at the origin"
    if at0:
        i = at0[0]
        ratio = round(abs(np.linalg.det(data.std_lattice) / np.linalg.det(lattice)))
        mult = int((data.equivalent_atoms == data.equivalent_atoms[i]).sum()) * ratio
        where = f"{symbols[i]} ({mult}{data.wyckoffs[i]}) at the origin"
    pc = Cell(lattice, frac @ lattice, numbers.astype(int), symbols, True, source=parent.source, label=parent.label)
    return Parent(pc, R, t, int(data.number), str(data.international), where)


def invariant_hull(N: np.ndarray, rotations: np.ndarray) -> np.ndarray:
    """The smallest (diagonal-friendly) supercell N' ⊇ N whose lattice every parent
    rotation maps onto itself: the intersection of the lattices N·Rᵀ (rows). Returns N
    itself when it is already invariant.
    """
    N = np.asarray(N, int)

    def invariant(M):
        Minv = np.linalg.inv(M)
        return all(np.allclose(np.rint(x := M @ R.T @ Minv), x, atol=1e-8) for R in rotations)

    if invariant(N):
        return N
    # m·I is invariant under every integer rotation: the smallest such m with m·I ⊂ N
    det = abs(int(round(np.linalg.det(N))))
    Ninv = np.linalg.inv(N)
    for m in range(1, det + 1):
        if np.allclose(np.rint(x := m * Ninv), x, atol=1e-8):
            return m * np.eye(3, dtype=int)
    return det * np.eye(3, dtype=int)


def lattice_translations(N: np.ndarray) -> np.ndarray:
    """(|det N|, 3) int, the parent lattice vectors inside the supercell N (zero first)."""
    N = np.asarray(N, int)
    det = abs(int(round(np.linalg.det(N))))
    lo, hi = np.minimum(N, 0).sum(axis=0), np.maximum(N, 0).sum(axis=0)
    grid = np.array(np.meshgrid(*[np.arange(a, b + 1) for a, b in zip(lo, hi)], indexing="ij")).reshape(3, -1).T
    y = grid @ np.linalg.inv(N)
    inside = np.all((y > -1e-8) & (y < 1 - 1e-8), axis=1)
    t = grid[inside]
    order = np.lexsort(t.T[::-1])
    t = t[order]
    if len(t) != det:
        raise SymmetryError(f"supercell {N.tolist()} holds {len(t)} parent cells, expected {det}")
    return t


def commensurate_kpoints(N: np.ndarray) -> np.ndarray:
    """(|det N|, 3) the k-points (parent reciprocal basis, in [0, 1)) with N·k integer."""
    N = np.asarray(N, int)
    t = lattice_translations(N.T)  # k = N⁻¹ m over m in the transposed cell
    k = (np.linalg.inv(N) @ t.T).T % 1.0
    k[np.abs(k - 1) < 1e-8] = 0.0
    return k


@dataclass(frozen=True, eq=False)
class Supercell:
    """G/T_s acting on the parent supercell N.

    Attributes
    ----------
    parent : :class:`Parent`.
    matrix : (3, 3) int, N.
    translations : (n_cells, 3) int, parent lattice vectors of the cells.
    cell : the undistorted supercell (lattice N · L_parent).
    perms : (|G/T_s|, n) int, image of each atom; ``cart`` (|G/T_s|, 3, 3) rotations;
        ``op`` (|G/T_s|,) parent operation index; ``shift`` (|G/T_s|, 3) int lattice part.
        Elements are ordered op-major, identity's translations first.
    """

    parent: Parent
    matrix: np.ndarray
    translations: np.ndarray
    cell: Cell
    perms: np.ndarray
    cart: np.ndarray
    op: np.ndarray
    shift: np.ndarray

    @property
    def order(self) -> int:
        return int(len(self.perms))

    @property
    def n_cells(self) -> int:
        return int(len(self.translations))

    @cached_property
    def inverse_perms(self) -> np.ndarray:
        """(|G/T_s|, n) int: the atom each element sends onto atom j (perms inverted)."""
        inv = np.empty_like(self.perms)
        inv[np.arange(len(self.perms))[:, None], self.perms] = np.arange(self.perms.shape[1])[None, :]
        return inv

    @cached_property
    def op_cart(self) -> np.ndarray:
        """(m, 3, 3) Cartesian rotation of each parent operation (``cart`` is these, repeated)."""
        return self.parent.cartesian

    def images(self, u: np.ndarray, elements: np.ndarray | None = None) -> np.ndarray:
        """Γ(g) v for every element g (or those of ``elements``) and field v of u (k, n, 3),
        atom-major: (|E|, n, k, 3). (Γ(g) v)[j] = R_g v[perm_g⁻¹(j)], each of the m distinct
        rotations applied once, then one gather.
        """
        u = np.asarray(u, float).reshape(-1, self.perms.shape[1], 3)
        k, n = u.shape[:2]
        inv = self.inverse_perms if elements is None else self.inverse_perms[elements]
        op = self.op if elements is None else self.op[elements]
        m = len(self.op_cart)
        turned = u.transpose(1, 0, 2).reshape(1, n * k, 3) @ self.op_cart.transpose(0, 2, 1)  # (m, n·k, 3)
        return np.take(turned.reshape(m * n, k * 3), op[:, None] * n + inv, axis=0).reshape(len(op), n, k, 3)

    def act(self, u: np.ndarray, elements: np.ndarray | None = None) -> np.ndarray:
        """Γ(g) u for every element g (or those of ``elements``) and field u (..., n, 3): (|E|, ..., n, 3)."""
        u = np.asarray(u, float)
        out = np.moveaxis(self.images(u, elements), 2, 1)  # (|E|, k, n, 3)
        return out.reshape(len(out), *u.shape)

    def apply(self, g: int, u: np.ndarray) -> np.ndarray:
        """Γ(g) u for a displacement field u (n, 3)."""
        out = np.empty_like(u)
        out[self.perms[g]] = u @ self.cart[g].T
        return out


def _keys(Y: np.ndarray) -> np.ndarray:
    g = np.rint(Y * 1e4).astype(np.int64) % 10000
    return (g[..., 0] * 10000 + g[..., 1]) * 10000 + g[..., 2]


def _match(Y: np.ndarray, images: np.ndarray) -> np.ndarray | None:
    """(k, n) index of the atom of Y (n, 3) at each image (k, n, 3), fractions mod 1; None
    when an image lands on no atom.
    """
    ref = _keys(Y)
    order = np.argsort(ref)
    keys = _keys(images)
    pos = np.clip(np.searchsorted(ref[order], keys), 0, len(ref) - 1)
    perms = order[pos]
    d = images - Y[perms]
    if np.abs(d - np.rint(d)).max() < 1e-5:
        return perms
    d = images[:, :, None, :] - Y[None, None, :, :]  # rounding put a coordinate on a grid edge: compare all pairs
    d -= np.rint(d)
    dist = np.abs(d).max(axis=-1)
    perms = dist.argmin(axis=-1)
    return perms if dist.min(axis=-1).max() < 1e-4 else None


def build_supercell(parent: Parent, N: np.ndarray) -> Supercell:
    """The supercell N of ``parent`` with every element of G/T_s (N must be invariant)."""
    N = np.asarray(N, int)
    if abs(round(np.linalg.det(N))) < 1:
        raise OptionError(f"supercell matrix {N.tolist()} is singular")
    T = lattice_translations(N)
    xp = parent.cell.fractional
    X = (T[:, None, :] + xp[None, :, :]).reshape(-1, 3)  # parent fractional, cell-major
    Ninv = np.linalg.inv(N)
    Y = (X @ Ninv) % 1.0
    R, t = parent.rotations, parent.translations
    img = np.einsum("oij,nj->oni", R, X) + t[:, None, :]  # (m, n, 3) parent frac
    img = img[:, None, :, :] + T[None, :, None, :]  # (m, c, n, 3)
    Yi = (img @ Ninv).reshape(-1, len(Y), 3)
    perms = _match(Y, Yi)
    if perms is None:
        raise SymmetryError(f"supercell {N.tolist()}: the parent's operations do not map its atoms onto each other")
    if not (np.sort(perms, axis=1) == np.arange(len(Y))[None, :]).all():  # two atoms onto one: not a permutation
        raise SymmetryError(f"parent {parent.cell.source}: two of its atoms sit on one site (a mixed site is one atom "
                            "with its occupancies)")
    L = parent.cell.lattice
    cart = np.repeat(parent.cartesian, len(T), axis=0)
    op = np.repeat(np.arange(len(R)), len(T))
    shift = np.tile(T, (len(R), 1))
    Ls = N @ L
    cell = Cell(Ls, (Y @ Ls), np.tile(parent.cell.numbers, len(T)), parent.cell.symbols * len(T), True,
                source=parent.cell.source, label="parent supercell")
    return Supercell(parent, N, T, cell, perms, cart, op, shift)


@lru_cache(maxsize=64)
def _denominator(x: float) -> int:
    for q in range(1, 25):
        if abs(x * q - round(x * q)) < 1e-6:
            return q
    raise OptionError(f"k-point component {x:g} is not a simple fraction")


def supercell_for(kpoints: np.ndarray) -> np.ndarray:
    """Smallest diagonal supercell making every k-point (rows) commensurate."""
    n = [1, 1, 1]
    for k in np.atleast_2d(kpoints):
        for i, x in enumerate(k):
            q = _denominator(float(x) % 1.0)
            n[i] = n[i] * q // gcd(n[i], q)
    return np.diag(n).astype(int)


def symmetric_form(Rf: np.ndarray) -> np.ndarray:
    """k-point transformation of fractional rotations: k' = R⁻ᵀ k."""
    return np.rint(np.linalg.inv(Rf.astype(float)).transpose(0, 2, 1)).astype(int)


__all__ = ["Parent", "Supercell", "build_supercell", "commensurate_kpoints", "invariant_hull", "lattice_translations",
           "standard_parent", "supercell_for"]
