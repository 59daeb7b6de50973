"""Space-group irreps at commensurate k and the symmetry-adapted displacement modes of a
parent supercell.

Public interface (re-exported from :mod:`symbreak_cli.symmetry`)::

    displacement_modes(parent: Cell, supercell: np.ndarray, *, symprec: float = 1e-3,
                       origin: str | None = None) -> ModeSet
    distortion(parent: Cell, label: str, direction: Sequence[float], amplitude: float,
               supercell: np.ndarray | None = None, *, copy: int | None = None,
               symprec: float = 1e-3, origin: str | None = None) -> Distortion
    decompose(parent: Cell, child: Cell, ...) -> ModeDecomposition   (in .modes)

The parent is taken in spglib's standardised primitive setting (conventional axes along
x, y, z; ``origin="Ti"`` first moves the most symmetric Ti to (0, 0, 0): labels depend on
the origin, :attr:`ModeSet.origin` says which was used). ``supercell`` is N with child
lattice rows = N · parent lattice rows; a supercell whose lattice is not invariant under
every parent rotation is replaced by the smallest m·I containing it (G/T_s must be a
group), and :attr:`ModeSet.supercell` is what was used.

The displacement space (3 n, n supercell atoms, cell-major: atom c·n_parent + j is parent
atom j in cell c) splits into one block per physically irreducible representation (real
irrep) D_R of G/T_s at the commensurate k-stars. Each block holds ``multiplicity`` copies
of D_R: ``vectors[a * d + i]`` (Cartesian, orthonormal over the whole supercell) is
component i of copy a, and Γ(g) e_{a,i} = Σ_j D_R(g)_{ji} e_{a,j} for every element g
(``matrices``). An order-parameter direction η (d components) is the displacement
Σ_a q_a Σ_i η_i e_{a,i}; the basis of D_R is put where the commuting involutions of the
group are diagonal, so for a cubic parent (a,0,0), (a,a,0), (a,a,a) are along axes,
face and body diagonals.

>>> from symbreak_cli.io.structures import read_structures
>>> cubic = read_structures("sample_data/SrTiO3_Pm-3m.cif")[0]
>>> ms = displacement_modes(cubic, np.diag([2, 2, 2]), origin="Ti")
>>> ms.origin, ms.cell.n_atoms, sum(b.n_modes for b in ms.blocks)
('Ti (1a) at the origin', 40, 120)
>>> [(b.label, b.irrep_dimension, b.multiplicity) for b in ms.blocks if b.label.startswith("R")]
[('R1+', 1, 1), ('R3+', 2, 1), ('R4+', 3, 1), ('R4-', 3, 1), ('R5+', 3, 2)]
>>> d = distortion(cubic, "R4+", (0, 0, 1), 0.1, origin="Ti")
>>> d.number, d.hm
(140, 'I4/mcm')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry import _labels
from symbreak_cli.symmetry._induced import _canonical, _induce, _induction, _small_irreps, _stars
from symbreak_cli.symmetry._supercell import (
    Parent,
    Supercell,
    build_supercell,
    commensurate_kpoints,
    invariant_hull,
    standard_parent,
    supercell_for,
    symmetric_form,
)
from symbreak_cli.symmetry.tolerances import DEFAULT_SYMPREC_A


@dataclass(frozen=True, eq=False)
class IrrepModes:
    """The modes of one physically irreducible representation in a supercell.

    Attributes
    ----------
    label : CDML label ('GM4-', 'R4+', a complex pair 'GM3+GM4+'; a trailing '?' on a
        number means spgrep's numbering, not ISOTROPY's).
    kpoint : (3,) float, the arm used (parent primitive reciprocal basis).
    star : (n_arms, 3) float, every arm (with −k's arms for a complex pair).
    irrep_dimension : d, components of the order parameter (dimension of D_R).
    matrices : (|G/T_s|, d, d) float, the real irrep D_R on the elements of
        :attr:`ModeSet.elements` order.
    vectors : (multiplicity·d, n_atoms, 3) float, orthonormal modes, copy-major.
    """

    label: str
    kpoint: np.ndarray
    star: np.ndarray
    irrep_dimension: int
    matrices: np.ndarray
    vectors: np.ndarray

    @property
    def multiplicity(self) -> int:
        return len(self.vectors) // self.irrep_dimension

    @property
    def n_modes(self) -> int:
        return len(self.vectors)

    @property
    def copies(self) -> np.ndarray:
        """(multiplicity, d, n_atoms, 3) view of ``vectors``."""
        return self.vectors.reshape(self.multiplicity, self.irrep_dimension, *self.vectors.shape[1:])

    def coordinates(self, u: np.ndarray) -> np.ndarray:
        """(multiplicity, d) coefficients of a displacement field u (n_atoms, 3)."""
        return np.einsum("kni,ni->k", self.vectors, u).reshape(self.multiplicity, self.irrep_dimension)

    def displacement(self, direction: Sequence[float], weights: Sequence[float] | None = None) -> np.ndarray:
        """Σ_a w_a Σ_i η_i e_{a,i} (n_atoms, 3) for direction η and copy weights w."""
        eta = np.asarray(direction, float)
        w = np.ones(self.multiplicity) if weights is None else np.asarray(weights, float)
        return np.einsum("a,i,ainx->nx", w, eta, self.copies)


@dataclass(frozen=True, eq=False)
class ModeSet:
    """Every symmetry-adapted displacement mode of a parent supercell.

    ``parent`` the standardised parent with its operations; ``group`` G/T_s on the
    supercell (permutations, rotations); ``blocks`` one :class:`IrrepModes` per real irrep
    present, Γ first, then by k-star.
    """

    parent: Parent
    group: Supercell
    blocks: tuple[IrrepModes, ...]

    @property
    def cell(self) -> Cell:
        """The undistorted supercell (atoms cell-major)."""
        return self.group.cell

    @property
    def supercell(self) -> np.ndarray:
        return self.group.matrix

    @property
    def origin(self) -> str:
        return self.parent.origin

    def block(self, label: str) -> IrrepModes:
        for b in self.blocks:
            if b.label == label or b.label.replace("?", "") == label:
                return b
        raise SymmetryError(f"parent {self.parent.hm} ({self.origin}) has no irrep {label!r} in supercell "
                            f"{self.supercell.tolist()}; it has {', '.join(b.label for b in self.blocks)}")


@dataclass(frozen=True, eq=False)
class Distortion:
    """A parent supercell displaced along one irrep's order-parameter direction.

    ``cell`` the distorted supercell, ``displacements`` (n, 3) Å, ``number`` and ``hm`` the
    isotropy subgroup spglib finds on it, ``label`` and ``direction`` as asked.
    """

    cell: Cell
    displacements: np.ndarray
    number: int
    hm: str
    label: str
    direction: np.ndarray
    modes: ModeSet


# ----------------------------------------------------------------------------------------
# irreps of G/T_s
# ----------------------------------------------------------------------------------------
def average(sc: Supercell, elements: np.ndarray, V: np.ndarray) -> np.ndarray:
    """(1/|E|) Σ_{g∈E} Γ(g) v for each field v of V (k, n, 3)."""
    return sc.images(V, elements).mean(axis=0).transpose(1, 0, 2)


def _orbit_representatives(sc: Supercell) -> np.ndarray:
    """One atom of each orbit of G/T_s on the supercell atoms."""
    seen = np.zeros(sc.perms.shape[1], bool)
    reps = []
    for atom in range(len(seen)):
        if not seen[atom]:
            reps.append(atom)
            seen[sc.perms[:, atom]] = True
    return np.array(reps)


def _range_basis(X: np.ndarray, rel: float = 1e-6) -> np.ndarray:
    """Orthonormal basis (rows, k) of the column space of X (3n, c) of small rank, by
    Gram–Schmidt with column pivoting (largest residual first, reorthogonalised).
    """
    X = np.array(X, float)
    norms = np.einsum("ij,ij->j", X, X)
    top = float(norms.max(initial=0.0))
    basis: list[np.ndarray] = []
    while len(basis) < min(X.shape) and top > 0:
        j = int(np.argmax(norms))
        if norms[j] <= rel * rel * top:
            break
        q = X[:, j].copy()
        for _ in range(2):
            for B in basis:
                q -= B * (B @ q)
        q /= np.linalg.norm(q)
        basis.append(q)
        X -= np.outer(q, q @ X)
        norms = np.einsum("ij,ij->j", X, X)
    return np.array(basis).reshape(len(basis), X.shape[0])


def _copies(sc: Supercell, reps: np.ndarray, DR: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """Orthonormal copies (m, d, n, 3) of D_R inside the displacement representation.

    With P_ij = (d/|G|) Σ_g D_ij(g) Γ(g), the copies' first components span the image of
    P_00, which is spanned by P_0j e for every j and every unit displacement e of one atom
    of each orbit (P_00 Γ(h) = Σ_j D_j0(h⁻¹) P_0j, and P_00 P_0j = P_0j); component i of the
    copy through v is P_i0 v. Each is a sum over the group applied to a few vectors, so no
    3n × 3n matrix is formed.
    """
    G, d, _ = DR.shape
    n = sc.perms.shape[1]
    weights = (DR[:, 0, :, None, None] * sc.cart[:, None, :, :]).reshape(G, d * 9)  # D_0j(g) R_g[a, b]
    onto = np.zeros((len(reps), n, G))
    onto[np.arange(len(reps))[:, None], sc.perms[:, reps].T, np.arange(G)[None, :]] = 1.0  # atom g·l
    X = (onto @ weights).reshape(len(reps), n, d, 3, 3).transpose(1, 3, 0, 2, 4).reshape(3 * n, -1)
    V = _range_basis(X).T  # (3n, r)
    moved = sc.images(V.T.reshape(-1, n, 3))  # (G, n, r, 3): Γ(g) v
    r = V.shape[1]
    cand = np.tensordot(DR[:, :, 0] / G, moved, axes=(0, 0)).transpose(2, 1, 3, 0).reshape(r, 3 * n, d)  # P_i0 v / d
    kept: list[np.ndarray] = []
    for M in cand:
        for B in kept:
            M = M - B @ (B.T @ M)
        for B in kept:  # twice is enough for numerical orthogonality
            M = M - B @ (B.T @ M)
        c = float(np.trace(M.T @ M)) / d
        if c > tol:
            kept.append(M / np.sqrt(c))
    if not kept:
        return np.zeros((0, d, n, 3))
    return np.array(kept).transpose(0, 2, 1).reshape(len(kept), d, n, 3)


def _displacement_character(sc: Supercell) -> np.ndarray:
    fixed = sc.perms == np.arange(sc.perms.shape[1])[None, :]
    return fixed.sum(axis=1) * np.trace(sc.cart, axis1=1, axis2=2)


def _label(P: Parent, letter: str, D: np.ndarray, mapping: np.ndarray, index: int) -> str:
    return _labels.label(P.number, P.hm, P.rotations[mapping], P.translations[mapping], letter, D, index)


#: cache format of the physically irreducible forms on disk (:mod:`symbreak_cli.io.cache`)
_PIR_CACHE_KIND = "spgrep-physically-irreducible/1"


def _real_form(F: np.ndarray, tol: float = 1e-8) -> np.ndarray:
    """The real form of a complex-written irrep F (|G|, d, d) of Frobenius–Schur indicator 1,
    where spgrep's (the eigenvectors of an intertwiner, split into real and imaginary parts)
    fails because the intertwiner's eigenvalues are degenerate: the realification
    R = [[Re F, Im F], [−Im F, Re F]] is two copies of the real irrep, so the group average
    of a fixed generic symmetric matrix commutes with R and has two d-fold eigenvalues;
    either eigenspace carries the real irrep. Checked: R maps the eigenspace onto itself.
    """
    G, d, _ = F.shape
    R = np.empty((G, 2 * d, 2 * d))
    R[:, :d, :d], R[:, :d, d:], R[:, d:, :d], R[:, d:, d:] = F.real, F.imag, -F.imag, F.real
    idx = np.arange(2 * d)
    for trial in range(1, 6):  # a fixed, generic symmetric matrix; another if its average is degenerate
        M = np.cos(np.add.outer(idx, idx) * 0.7 * trial + idx[:, None] * 1.3 - idx[None, :] * 0.4)
        M = M + M.T
        A = np.einsum("gij,jk,glk->il", R, M, R) / G
        w, V = np.linalg.eigh(0.5 * (A + A.T))
        if w[d] - w[d - 1] > 1e-6 * max(1.0, float(np.abs(w).max())):
            Q = V[:, :d]
            D = np.einsum("ji,gjk,kl->gil", Q, R, Q)
            if np.abs(np.einsum("gij,jk->gik", R, Q) - np.einsum("jk,gki->gji", Q, D)).max() < tol:  # R Q = Q D
                return D
    raise SymmetryError(f"no real form found for a {d}-dimensional irrep of indicator 1 (|G| = {G})")


def _physically_irreducible(F: np.ndarray, nu: int) -> np.ndarray:
    """The real (physically irreducible) form (spgrep) of the induced irrep F (Frobenius–Schur
    indicator nu), kept on disk per F: it needs a random intertwiner, as costly as the small
    irreps themselves.
    """
    from symbreak_cli.io.cache import cache_key, cached_arrays, versions_key

    def compute() -> dict[str, np.ndarray]:
        from spgrep.rep.pir import get_physically_irrep

        try:
            D = get_physically_irrep(F, nu)
        except AssertionError:  # spgrep's square root of the intertwiner fails on degenerate eigenvalues
            if nu != 1:
                raise
            D = _real_form(F)
        return {"D": np.ascontiguousarray(np.real(D), np.float64)}

    F = np.ascontiguousarray(F, np.complex128)
    key = cache_key(_PIR_CACHE_KIND, versions_key("spgrep"), str(nu).encode(), str(F.shape).encode(), F.tobytes())
    return cached_arrays("irreps", key, compute, lambda a: "D" in a and a["D"].shape[0] == F.shape[0])["D"]


def _star_blocks(sc: Supercell, star: np.ndarray, reps: np.ndarray, chi_disp) -> list[IrrepModes]:
    P = sc.parent
    letter, arm = _labels.point_letter(star, P.number, P.hm)
    k0 = arm if arm is not None else star[0]
    if letter == "k":
        letter = "k(" + ",".join(f"{x:.3g}" for x in k0) + ")"
    irreps, mapping = _small_irreps(P.rotations.astype(np.int64).tobytes(), P.translations.astype(np.float64).tobytes(),
                                    len(P.rotations), tuple(float(x) for x in k0))
    _, cidx, lpos, phase = _induction(sc, k0, mapping)
    full = [_induce(D, cidx, lpos, phase) for D in irreps]
    chis = [np.trace(F, axis1=1, axis2=2) for F in full]
    labels = [_label(P, letter, D, mapping, i) for i, D in enumerate(irreps)]
    G = sc.order
    done: set[int] = set()
    out = []
    for a, F in enumerate(full):
        if a in done:
            continue
        done.add(a)
        nu = int(round((np.einsum("gij,gji->", F, F) / G).real))
        label = labels[a]
        chi_r = chis[a]
        if nu == 0:
            pair = next((b for b in range(len(full)) if b not in done and np.allclose(chis[b], np.conj(chis[a]), atol=1e-6)),
                        None)
            if pair is not None:
                done.add(pair)
                label = labels[a] + labels[pair]
            chi_r = 2 * chis[a].real
        elif nu == -1:
            chi_r = 2 * chis[a].real
        c = {1: 1, 0: 2, -1: 4}[nu]
        if round(float(np.real(chi_r @ chi_disp)) / (G * c)) == 0:
            continue  # not in the displacement representation
        real = nu == 1 and np.abs(F.imag).max() < 1e-8
        DR = _canonical(F.real if real else _physically_irreducible(F, nu))
        copies = _copies(sc, reps, DR)
        if len(copies):
            neg = (-star) % 1.0
            arms = unique(np.round(np.concatenate([star, neg]) % 1.0, 8), axis=0)
            out.append(IrrepModes(label, np.asarray(k0, float), arms, DR.shape[1], DR,
                                  copies.reshape(-1, *copies.shape[2:])))
    return out


def _blocks(sc: Supercell) -> tuple[IrrepModes, ...]:
    reps = _orbit_representatives(sc)
    chi = _displacement_character(sc)
    Rk = symmetric_form(sc.parent.rotations)
    blocks: list[IrrepModes] = []
    for star in _stars(commensurate_kpoints(sc.matrix), Rk):
        blocks.extend(_star_blocks(sc, star, reps, chi))
    return tuple(blocks)


#: cache format of a mode basis on disk (:mod:`symbreak_cli.io.cache`); the key also holds
#: the bytes of the modules that compute it (:func:`_mode_set_sources`), so a changed
#: labelling or basis is never read back from an older entry
_MODE_SET_CACHE_KIND = "mode-set/1"


def _mode_set_sources() -> tuple[str, ...]:
    from symbreak_cli.groups import _arrays
    from symbreak_cli.symmetry import _induced, _supercell

    return tuple(m.__file__ for m in (_arrays, _induced, _labels, _supercell)) + (__file__,)


def _block_arrays(blocks: tuple[IrrepModes, ...]) -> dict[str, np.ndarray]:
    """The blocks as seven arrays (few arrays load fast): per block its label, k, dimension and
    numbers of arms and vectors; the arms, matrices (flattened) and vectors concatenated.
    """
    f64 = np.float64
    return {"labels": np.array([b.label for b in blocks], dtype=str), "k": np.array([b.kpoint for b in blocks], f64).reshape(-1, 3),
            "sizes": np.array([(b.irrep_dimension, len(b.star), len(b.vectors)) for b in blocks], np.int64).reshape(-1, 3),
            "stars": np.concatenate([np.asarray(b.star, f64) for b in blocks]) if blocks else np.zeros((0, 3)),
            "matrices": np.concatenate([np.asarray(b.matrices, f64).ravel() for b in blocks]) if blocks else np.zeros(0),
            "vectors": np.concatenate([np.asarray(b.vectors, f64) for b in blocks]) if blocks else np.zeros((0, 0, 3))}


def _arrays_blocks(a: dict[str, np.ndarray], order: int) -> tuple[IrrepModes, ...]:
    out, s, m, v = [], 0, 0, 0
    for label, k, (d, n_star, n_vec) in zip(a["labels"], a["k"], a["sizes"].tolist()):
        D = a["matrices"][m:m + order * d * d].reshape(order, d, d)
        out.append(IrrepModes(str(label), k, a["stars"][s:s + n_star], d, D, a["vectors"][v:v + n_vec]))
        s, m, v = s + n_star, m + order * d * d, v + n_vec
    return tuple(out)


def _valid_blocks(a: dict[str, np.ndarray], sc: Supercell) -> bool:
    """An entry is used only when whole and shaped for ``sc``: every block's matrices are
    (|G/T_s|, d, d), its vectors (m·d, n_atoms, 3), and the modes fill the 3n displacements.
    """
    try:
        n = len(a["labels"])
        d, n_star, n_vec = a["sizes"].T
        return bool(a["labels"].dtype.kind == "U" and a["k"].shape == (n, 3) and a["sizes"].shape == (n, 3)
                    and np.all(d > 0) and np.all(n_vec % d == 0) and a["stars"].shape == (n_star.sum(), 3)
                    and a["matrices"].shape == (sc.order * (d * d).sum(),)
                    and a["vectors"].shape == (3 * sc.cell.n_atoms, sc.cell.n_atoms, 3) and n_vec.sum() == 3 * sc.cell.n_atoms)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return False


def mode_set(parent: Parent, N: np.ndarray) -> ModeSet:
    """The :class:`ModeSet` of an already standardised parent (N made invariant), kept on
    disk (:mod:`symbreak_cli.io.cache`) per parent, N, spgrep release and the code computing it:
    a later run against the same parent reads the basis instead of inducing the irreps.
    """
    from symbreak_cli.io.cache import cache_key, cached_arrays, sources_key, versions_key

    N = invariant_hull(np.asarray(N, int), parent.rotations)
    sc = build_supercell(parent, N)
    c = parent.cell
    key = cache_key(_MODE_SET_CACHE_KIND, versions_key("spgrep"), sources_key(*_mode_set_sources()),
                    parent.rotations.astype(np.int64).tobytes(), parent.translations.astype(np.float64).tobytes(),
                    np.ascontiguousarray(c.lattice, np.float64).tobytes(), np.ascontiguousarray(c.fractional, np.float64).tobytes(),
                    c.numbers.astype(np.int64).tobytes(), c.site_types.astype(np.int64).tobytes(), N.astype(np.int64).tobytes())
    arrays = cached_arrays("modes", key, lambda: _block_arrays(_blocks(sc)), lambda a: _valid_blocks(a, sc),
                           compress=True)
    return ModeSet(parent, sc, _arrays_blocks(arrays, sc.order))


#: mode sets kept per (parent lattice, atoms, supercell): children of one parent reuse them
_MODE_SETS: dict[bytes, ModeSet] = {}
_MAX_MODE_SETS = 16


def cached_mode_set(parent: Parent, N: np.ndarray) -> ModeSet:
    """:func:`mode_set` cached per (parent, N): repeated children of one parent reuse it."""
    c = parent.cell
    key = b"".join([c.lattice.round(6).tobytes(), c.fractional.round(6).tobytes(), c.numbers.astype(np.int64).tobytes(),
                    np.asarray(N, np.int64).tobytes()])
    if key not in _MODE_SETS:
        if len(_MODE_SETS) >= _MAX_MODE_SETS:
            _MODE_SETS.pop(next(iter(_MODE_SETS)))
        _MODE_SETS[key] = mode_set(parent, N)
    return _MODE_SETS[key]


def displacement_modes(parent: Cell, supercell: np.ndarray, *, symprec: float = DEFAULT_SYMPREC_A,
                       origin: str | None = None) -> ModeSet:
    """Every symmetry-adapted displacement mode of ``parent`` in the supercell N (see module doc)."""
    N = np.asarray(supercell)
    if N.shape != (3, 3) or not np.allclose(N, np.rint(N)):
        raise OptionError(f"supercell must be a 3×3 integer matrix, got {N.tolist()}")
    return cached_mode_set(standard_parent(parent, symprec, origin), np.rint(N).astype(int))


def _kpoint_of_label(parent: Parent, label: str) -> np.ndarray:
    letter = label.rstrip("+-?0123456789")
    letter = letter[: len(letter)] if letter else label
    points = _labels.special_points(parent.number, parent.hm)
    if letter not in points:
        raise OptionError(f"irrep {label!r}: no k-point {letter!r} for {parent.hm} (it has {', '.join(points)})")
    k = points[letter]
    Rk = symmetric_form(parent.rotations)
    return unique(np.round((Rk @ k) % 1.0, 8), axis=0)


def distortion(parent: Cell, label: str, direction: Sequence[float], amplitude: float,
               supercell: np.ndarray | None = None, *, copy: int | None = None,
               symprec: float = DEFAULT_SYMPREC_A, origin: str | None = None) -> Distortion:
    """The parent supercell displaced by ``amplitude`` Å (norm over the supercell, As)
    along ``direction`` of irrep ``label``; ``copy`` picks one copy of the irrep (0-based),
    default all copies with equal weight. The supercell is the smallest diagonal one
    holding the label's k-star when not given.
    """
    import spglib

    P = standard_parent(parent, symprec, origin)
    N = supercell_for(_kpoint_of_label(P, label.split("GM")[0] or label)) if supercell is None else np.asarray(supercell)
    ms = cached_mode_set(P, np.rint(N).astype(int))
    block = ms.block(label)
    eta = np.asarray(direction, float).ravel()
    if eta.shape != (block.irrep_dimension,) or not np.isfinite(eta).all() or not np.any(eta):
        raise OptionError(f"direction for {label} needs {block.irrep_dimension} numbers, not all zero; got {list(direction)}")
    if copy is not None and not (0 <= copy < block.multiplicity):
        raise OptionError(f"{label} has {block.multiplicity} copies in this supercell; copy must be 0…{block.multiplicity - 1}")
    w = None if copy is None else np.eye(block.multiplicity)[copy]
    u = block.displacement(eta, w)
    u *= float(amplitude) / np.linalg.norm(u)
    base = ms.cell
    cell = Cell(base.lattice, base.positions + u, base.numbers, base.symbols, True, source=parent.source,
                label=f"{label} {tuple(eta.tolist())}")
    tol = max(1e-4, 0.02 * float(np.abs(u).max()))
    data = spglib.get_symmetry_dataset((cell.lattice, cell.fractional, cell.numbers), symprec=tol)
    if data is None:
        raise SymmetryError(f"spglib found no group for the {label} distortion")
    return Distortion(cell, u, int(data.number), str(data.international), block.label, eta, ms)


__all__ = ["Distortion", "IrrepModes", "ModeSet", "cached_mode_set", "displacement_modes", "distortion", "mode_set"]
