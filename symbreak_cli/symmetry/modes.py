"""Symmetry-mode decomposition of a child structure against its parent (ISODISTORT /
AMPLIMODES style).

``decompose(parent, child)`` matches the child in the parent (:mod:`.matching`), writes its
displacement field in the smallest parent supercell whose lattice the parent's rotations
keep (the child's field repeated), and projects it onto the symmetry-adapted modes of
every physically irreducible representation at the k-points that supercell makes
commensurate (:mod:`.irreps`). The lattice strain is decomposed apart into the Γ irreps
of the symmetric tensors (GM1+, GM3+, GM5+ for a cubic parent): the Biot strain U − 1
(:func:`biot_strain`), ISODISTORT's, whose parts' Frobenius norms are its strain-mode amplitudes.

Normalisation (ISODISTORT's): ``Ap`` = √(Σ|u_R|² over a supercell) / √(parent cells in it)
is the amplitude per parent cell; ``As`` = Ap · √(V_child / V_parent) the amplitude over
the child cell. The uniform translation is removed first, so Σ_R Ap² = Ap_total² exactly
(the modes are complete). Labels depend on the parent's origin
(:attr:`ModeDecomposition.origin`): with the B cation of a perovskite at the origin the
tilts are R4+ / M3+, with the A cation there R5- / M2+.

>>> from symbreak_cli.io.structures import read_structures
>>> cubic = read_structures("sample_data/SrTiO3_Pm-3m.cif")[0]
>>> tilted = read_structures("sample_data/SrTiO3_I4mcm.cif")[0]
>>> d = decompose(cubic, tilted, origin="Ti")
>>> [(r.label, r.direction_text, r.isotropy_hm, round(r.amplitude_parent, 4)) for r in d.irreps if r.share > 1e-6]
[('R4+', '(a,0,0)', 'I4/mcm', 0.1012)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry._supercell import Parent, invariant_hull, standard_parent
from symbreak_cli.symmetry._induced import _small_irreps
from symbreak_cli.symmetry.irreps import ModeSet, _label, average, cached_mode_set
from symbreak_cli.symmetry.matching import Matching, match_child
from symbreak_cli.symmetry.tolerances import DEFAULT_MAX_STRAIN, DEFAULT_SYMPREC_A

#: amplitude (Å, Ap) below which an irrep is taken as absent (no direction, no isotropy subgroup)
MODE_ZERO_A = 1e-5

NORMALISATION = ("Ap: amplitude per parent cell, √(Σ|u|² over a supercell / parent cells in it); "
                 "As = Ap·√(V_child/V_parent), over the child cell (ISODISTORT); uniform translation removed")

#: how a displacement (a change of fractional coordinates) becomes Å: ``decompose(metric=...)``
METRICS = {
    "child": "displacements in Å of the parent supercell scaled to the child's volume (AMPLIMODES measures them "
             "in the child's lattice)",
    "parent": "displacements in Å of the undistorted parent lattice (ISODISTORT's; the child-volume amplitudes "
              "divided by (V_child/V_parent supercell)^(1/3))",
}


@dataclass(frozen=True, eq=False)
class IrrepAmplitude:
    """One irrep's share of the distortion.

    Attributes
    ----------
    label, kpoint (3,), n_arms : the irrep and its k-star.
    irrep_dimension, multiplicity : of the irrep in the (repeated) parent supercell.
    direction : (d,) unit order-parameter direction; ``direction_text`` e.g. '(a,a,0)'.
    amplitude_parent, amplitude_child : Ap and As, Å.
    share : Ap² / Ap_total².
    isotropy_number, isotropy_hm : group spglib finds for this component alone (None when absent).
    modes : (n_modes, n_child, 3) orthonormal modes of this irrep that keep the child's
        symmetry, per child atom (Å per unit amplitude over the child cell);
        ``mode_amplitudes`` (n_modes,) the child's amplitude along each, Å (As).
    """

    label: str
    kpoint: np.ndarray
    n_arms: int
    irrep_dimension: int
    multiplicity: int
    direction: np.ndarray
    direction_text: str
    amplitude_parent: float
    amplitude_child: float
    share: float
    isotropy_number: int | None
    isotropy_hm: str | None
    modes: np.ndarray
    mode_amplitudes: np.ndarray

    @property
    def n_modes(self) -> int:
        return int(len(self.modes))


@dataclass(frozen=True, eq=False)
class StrainComponent:
    """One Γ irrep of the Biot strain U − 1: ``label``, ``amplitude`` (Frobenius norm,
    dimensionless: ISODISTORT's strain-mode amplitude), ``tensor`` (3, 3), parent frame.
    """

    label: str
    amplitude: float
    tensor: np.ndarray


@dataclass(frozen=True, eq=False)
class ModeDecomposition:
    """Everything ``decompose`` finds; see the module doc for the normalisation.

    ``parent`` (standardised, origin stated by ``origin``), ``matching`` (P, p, pairing,
    displacements, strain), ``irreps`` largest first, ``strain`` by irrep, ``total_parent`` /
    ``total_child`` Ap / As of the whole displacement, ``modeset`` the modes of
    ``hull`` (the repeated supercell used), ``child_hm`` / ``child_number`` its group.
    """

    parent: Parent
    matching: Matching
    irreps: tuple[IrrepAmplitude, ...]
    strain: tuple[StrainComponent, ...]
    total_parent: float
    total_child: float
    modeset: ModeSet
    child_hm: str
    child_number: int
    metric: str = "child"

    @property
    def origin(self) -> str:
        return self.parent.origin

    @property
    def hull(self) -> np.ndarray:
        return self.modeset.supercell

    @property
    def normalisation(self) -> str:
        return f"{NORMALISATION}; {METRICS[self.metric]}"


def direction_text(eta: np.ndarray, n_arms: int = 1) -> str:
    """'(a,a,0)'-style name of an order-parameter direction; arms separated by ';'."""
    eta = np.asarray(eta, float)
    top = float(np.abs(eta).max()) if eta.size else 0.0
    letters, names = [], []
    for x in eta:
        if abs(x) < 0.02 * top:
            names.append("0")
            continue
        same = [j for j, v in enumerate(letters) if abs(abs(x) - v) < 0.02 * top]
        if not same:
            letters.append(abs(x))
        i = same[0] if same else len(letters) - 1
        names.append(("-" if x < 0 else "") + "abcdefghijklmnopqrstuvwxyz"[min(i, 25)])
    d = len(names)
    if n_arms > 1 and d % n_arms == 0 and d >= n_arms:
        size = d // n_arms
        return "(" + ";".join(",".join(names[i:i + size]) for i in range(0, d, size)) + ")"
    return "(" + ",".join(names) + ")"


def _hull_field(ms: ModeSet, parent: Parent, m: Matching) -> tuple[np.ndarray, np.ndarray]:
    """(u on the hull supercell (n_h, 3), hull atom → child atom index)."""
    N = m.supercell
    Xh = ms.cell.fractional @ ms.supercell  # parent fractions of hull atoms
    from symbreak_cli.symmetry.matching import _supercell_fractional

    Y = _supercell_fractional(parent, N)
    Yh = (Xh @ np.linalg.inv(N)) % 1.0
    d = Yh[:, None, :] - Y[None, :, :]
    d -= np.rint(d)
    to_super = np.abs(d).max(axis=2).argmin(axis=1)
    inverse = np.empty(len(m.pairing), int)
    inverse[m.pairing] = np.arange(len(m.pairing))
    to_child = inverse[to_super]
    return m.displacements[to_child], to_child


def _child_elements(ms: ModeSet, u: np.ndarray, tol: float) -> np.ndarray:
    """Indices of the elements of G/T_s that leave the displacement field u unchanged."""
    return np.flatnonzero(np.abs(ms.group.act(u) - u[None]).max(axis=(1, 2)) < tol)


#: largest atomic displacement (Å) the isotropy subgroup of one irrep's component is found at,
#: and the tolerance (Å) within which an element of G/T_s must fix it
ISOTROPY_SCALE_A = 0.1
ISOTROPY_TOL_A = 2e-3


def _isotropy(ms: ModeSet, u: np.ndarray) -> tuple[int, str]:
    """Space group (number, HM) of the parent supercell displaced by u: the elements of
    G/T_s fixing u (scaled to :data:`ISOTROPY_SCALE_A`) written in the supercell basis and
    named by spglib from those operations — no symmetry search of the distorted cell.
    """
    import spglib

    u = u * (ISOTROPY_SCALE_A / float(np.linalg.norm(u, axis=1).max()))
    sc = ms.group
    H = _child_elements(ms, u, ISOTROPY_TOL_A)
    P = sc.parent
    N = sc.matrix.astype(float)
    Ninv = np.linalg.inv(N)
    rotations = np.rint(Ninv.T @ P.rotations[sc.op[H]] @ N.T).astype(np.intc)  # y' = N⁻ᵀ R Nᵀ y + N⁻ᵀ (τ + t)
    translations = ((P.translations[sc.op[H]] + sc.shift[H]) @ Ninv) % 1.0
    t = spglib.get_spacegroup_type_from_symmetry(rotations, translations, lattice=ms.cell.lattice)
    if t is None:
        raise SymmetryError(f"spglib could not name the isotropy subgroup of {len(H)} operations")
    return int(t.number), str(t.international_short)


def biot_strain(E: np.ndarray) -> np.ndarray:
    """The Biot (linear) strain U − 1 of a Green–Lagrange strain E = ½(FᵀF − 1), U = √(FᵀF)
    the right stretch: the strain ISODISTORT splits into its strain modes (their amplitudes
    are the Frobenius norms of its parts), equal to E to first order and free of the
    deformation's rotation.
    """
    E = np.asarray(E, float)
    w, Q = np.linalg.eigh(np.eye(3) + E + E.T)  # FᵀF = 1 + 2E, E symmetrised
    return (Q * np.sqrt(np.clip(w, 0.0, None))) @ Q.T - np.eye(3)


def _strain(parent: Parent, E: np.ndarray) -> tuple[StrainComponent, ...]:
    """The strain tensor split over the Γ irreps of the parent point group."""
    R = parent.rotations.astype(np.int64)
    irreps, mapping = _small_irreps(R.tobytes(), parent.translations.astype(np.float64).tobytes(), len(R), (0.0, 0.0, 0.0))
    Rc = parent.cartesian[mapping]
    n = len(mapping)
    # representation on symmetric tensors, acting on the flattened 9-vector
    S = np.einsum("gia,gjb->gijab", Rc, Rc).reshape(n, 9, 9)
    out, seen = [], set()
    e = np.asarray(E, float).ravel()
    swap = np.eye(9).reshape(3, 3, 3, 3).transpose(1, 0, 2, 3).reshape(9, 9)
    sym = 0.5 * (np.eye(9) + swap)
    for a, D in enumerate(irreps):
        chi = np.trace(D, axis1=1, axis2=2)
        key = tuple(np.round(chi.real, 6)) + tuple(np.round(np.abs(chi.imag), 6))
        if key in seen:
            continue
        seen.add(key)
        Pm = (D.shape[1] / n) * np.einsum("g,gij->ij", np.conj(chi), S)
        if np.abs(chi.imag).max() > 1e-8:  # a complex pair: both halves
            Pm = Pm + np.conj(Pm)
        part = np.real(Pm @ e).reshape(3, 3)
        if np.trace(np.real(Pm) @ sym) < 0.5:  # not an irrep of the symmetric tensors
            continue
        label = _label(parent, "GM", D, mapping, a)
        out.append(StrainComponent(label, float(np.linalg.norm(part)), part))
    return tuple(out)


def _ordered_basis(X: np.ndarray, fallback: np.ndarray, tol: float = 1e-8) -> np.ndarray:
    """Orthonormal rows spanning the rows of X, by Gram–Schmidt in row order (twice, a row
    whose residual is below ``tol`` skipped), as many as ``fallback`` has rows: a child's
    modes follow the mode set's own basis, so neither their signs nor their rotation within
    a degenerate space depend on LAPACK's eigenvectors. ``fallback`` (an orthonormal basis
    of the same space) when fewer rows than that are independent.
    """
    out: list[np.ndarray] = []
    for x in X:
        if len(out) == len(fallback):
            break
        q = np.array(x, float)
        for _ in range(2):
            for b in out:
                q -= b * (b @ q)
        norm = float(np.linalg.norm(q))
        if norm > tol:
            out.append(q / norm)
    return np.array(out).reshape(len(out), X.shape[1]) if len(out) == len(fallback) else fallback


def decompose(parent: Cell, child: Cell, *, origin: str | None = None, symprec: float = DEFAULT_SYMPREC_A,
              max_strain: float = DEFAULT_MAX_STRAIN, metric: str = "child") -> ModeDecomposition:
    """Irreps, amplitudes, directions and isotropy subgroups of ``child`` against ``parent``
    (see the module doc). ``origin`` (element symbol) puts that parent atom at the origin;
    ``metric`` (:data:`METRICS`) says in which lattice a displacement is measured in Å:
    "child" the parent supercell at the child's volume, "parent" the undistorted parent
    (ISODISTORT's numbers; they differ by the volume strain's cube root).
    """
    if metric not in METRICS:
        raise OptionError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    P = standard_parent(parent, symprec, origin)
    m = match_child(P, child, symprec, max_strain)
    ms = cached_mode_set(P, invariant_hull(m.supercell, P.rotations))
    u, to_child = _hull_field(ms, P, m)
    if metric == "parent":  # the matching measured u in the parent supercell scaled by volume_scale
        u = u / m.volume_scale
    n_h = ms.group.n_cells
    n_c = abs(int(round(np.linalg.det(m.supercell))))
    total_p = float(np.linalg.norm(u) / np.sqrt(n_h))
    H = _child_elements(ms, u, tol=max(4 * symprec, 1e-6))
    sc = ms.group
    first = np.array([np.flatnonzero(to_child == i)[0] for i in range(len(m.pairing))])  # one hull image per child atom
    rows = []
    for b in ms.blocks:
        C = b.coordinates(u)
        ap = float(np.linalg.norm(C) / np.sqrt(n_h))
        V = b.vectors.reshape(b.n_modes, -1)
        # modes of this irrep that keep the child's symmetry: eigenvalue-1 space of the H-average
        B = V @ average(sc, H, b.vectors).reshape(b.n_modes, -1).T
        w, Q = np.linalg.eigh(0.5 * (B + B.T))
        keep = Q[:, w > 0.5].T @ V  # (n_modes, 3 n_h)
        keep = _ordered_basis((V @ keep.T) @ keep, keep)  # the basis of V's projections, not eigh's
        if not np.any(b.kpoint) and len(keep):  # the uniform translations are no distortion
            T = np.tile(np.eye(3), (ms.cell.n_atoms, 1)).T / np.sqrt(ms.cell.n_atoms)  # (3, 3 n_h)
            rest = keep - (keep @ T.T) @ T
            Uq, sq, _ = np.linalg.svd(rest.T, full_matrices=False)
            keep = _ordered_basis(rest, Uq[:, sq > 1e-6].T)
        modes = keep.reshape(len(keep), ms.cell.n_atoms, 3)
        child_modes = modes[:, first, :] * np.sqrt(n_h / n_c)
        amps = np.einsum("kni,ni->k", modes, u) * np.sqrt(n_c / n_h)
        if ap > MODE_ZERO_A:
            _, _, Vt = np.linalg.svd(C)
            # ISOTROPY's sign: the first component that is not zero (direction_text's 2 %) is +a
            eta = Vt[0] * np.sign(Vt[0][np.flatnonzero(np.abs(Vt[0]) >= 0.02 * np.abs(Vt[0]).max())[0]])
            u_r = np.einsum("ai,ainx->nx", C, b.copies)
            num, hm = _isotropy(ms, u_r)
            text = direction_text(eta, len(b.star) if "GM" not in b.label else 1)
        else:
            eta, num, hm, text = np.zeros(b.irrep_dimension), None, None, "(0)"
        rows.append(IrrepAmplitude(b.label, b.kpoint, len(b.star), b.irrep_dimension, b.multiplicity, eta, text, ap,
                                   float(ap * np.sqrt(n_c)), (ap / total_p) ** 2 if total_p > 0 else 0.0, num, hm,
                                   child_modes, amps))
    # largest first; the absent ones (rounding noise) in the mode set's order, not the noise's
    rows.sort(key=lambda r: -r.amplitude_parent if r.amplitude_parent > MODE_ZERO_A else 0.0)
    return ModeDecomposition(P, m, tuple(rows), _strain(P, biot_strain(m.strain)), total_p, float(total_p * np.sqrt(n_c)), ms,
                             m.child_hm, m.child_number, metric)


__all__ = ["IrrepAmplitude", "METRICS", "ModeDecomposition", "NORMALISATION", "StrainComponent", "biot_strain", "decompose",
           "direction_text"]
