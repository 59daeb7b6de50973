"""Displacement patterns that break G to exactly H, built from the breaking object
(:mod:`symbreak_cli.symmetry.breaking`), the strain that goes with them, and the checks on
their size.

A seed field s_i = ∇f(r_i) + f(r_i) r_i/|r_i|² (f = v · Y_l, the object as a polynomial;
r_i an atom about the centre, or its bonds to the nearest-neighbour shell) is projected
onto the H-invariant fields transforming as the object's irreps of G with rigid motions
removed (:class:`~._domains.SiteAction` projectors). How clearly a field breaks the lost
operations is its *margin* (:func:`breaking_margin`): a detector at a finite tolerance
reads a small one as no breaking at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.groups import PointGroup, breaking_irreps, monomials, spherical_harmonics
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry._domains import SiteAction, check_field_group, remove_rigid, rigid_basis

if TYPE_CHECKING:
    from symbreak_cli.symmetry.breaking import BreakingObject

#: the largest atomic displacement may be at most this fraction of the shortest interatomic distance
MAX_DISPLACEMENT_FRACTION = 0.5


def poly_coeffs(l: int, v: np.ndarray) -> np.ndarray:
    """Monomial coefficients (``monomials(l)`` order) of f(x) = v · Y_l(x) (unnormalised)."""
    mons = np.array(monomials(l))
    X = np.random.default_rng(3).normal(size=(3 * len(mons), 3))
    V = np.prod(X[:, None, :] ** mons[None], axis=2)
    return np.linalg.lstsq(V, spherical_harmonics(l, X, normalize=False) @ v, rcond=None)[0]


# ----------------------------------------------------------------------------------------
# displacement patterns
# ----------------------------------------------------------------------------------------
def _seed(obj: BreakingObject, bonds: list[np.ndarray]) -> np.ndarray:
    """s_i = Σ_parts Σ_{r ∈ bonds_i} ∇f(r) + f(r) r/|r|² with f = v · Y_l (module docstring)."""
    out = np.zeros((len(bonds), 3))
    for part in obj.parts:
        c = poly_coeffs(part.l, part.vector)
        mons = np.array(monomials(part.l))
        for i, R in enumerate(bonds):
            if len(R) == 0:
                continue
            f = np.prod(R[:, None, :] ** mons[None], axis=2) @ c
            grad = np.zeros((len(R), 3))
            for k in range(3):
                lower = np.maximum(mons - np.eye(3, dtype=int)[k], 0)
                grad[:, k] = (np.prod(R[:, None, :] ** lower[None], axis=2) * mons[:, k]) @ c
            r2 = np.maximum((R * R).sum(axis=1), 1e-300)
            out[i] = (grad + f[:, None] * R / r2[:, None]).sum(axis=0)
    return out


def breaking_margin(action: SiteAction, u: np.ndarray, H: PointGroup) -> float:
    """How clearly u breaks the operations it does not keep: the minimum over them of
    max_i |(g·u − u)_i| / max_i |u_i| (a detector keeps g when every atom lands within its
    tolerance, so a small margin reads as no breaking); 0 when the rotations fixing u are
    not exactly H.
    """
    norm = float(np.linalg.norm(u, axis=1).max()) if len(u) else 0.0
    if norm < 1e-9:
        return 0.0
    try:
        fix = set(check_field_group(action, u, H).tolist())
    except SymmetryError:
        return 0.0
    lost = np.setdiff1d(np.arange(action.n_ops), np.fromiter(fix, int))
    if not len(lost):
        return 0.0
    return float(np.linalg.norm(action.images(u)[lost] - u, axis=2).max(axis=1).min() / norm)


#: a pattern is taken at once when every lost operation moves it by this fraction of its norm
GOOD_MARGIN = 0.2


def _range_basis(action: SiteAction, project, n_atoms: int) -> np.ndarray:
    """(r, N, 3) orthonormal basis of the image of the linear map ``project`` on fields."""
    cols = np.array([project(e.reshape(n_atoms, 3)).ravel() for e in np.eye(3 * n_atoms)])
    U, s, _ = np.linalg.svd(cols.T, full_matrices=False)
    return U[:, s > 1e-8].T.reshape(-1, n_atoms, 3)


def displacement_pattern(action: SiteAction, obj: BreakingObject, bonds: list[np.ndarray],
                         positions: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """A unit field u (N, 3) whose stabiliser's rotations are exactly H, and the irreps of G
    it transforms as (:mod:`symbreak_cli.symmetry.breaking`).

    Candidates, in order, until one breaks every lost operation by ≥ ``GOOD_MARGIN``: the
    object's seed projected onto each of the object's irreps (equal norms), then a basis of
    the H-invariant fields of those irreps, then of each other breaking irrep, then of all
    together; the one with the largest :func:`breaking_margin` wins.
    """
    G, H = action.group, obj.H
    h_ops = action.ops_of(H)
    rigid = rigid_basis(positions, action.periodic)
    n = len(positions)

    def project(u, labels):
        u = remove_rigid(action.average(u, h_ops), rigid)
        return sum((action.isotypic(u, lab) for lab in labels), np.zeros_like(u))

    own = tuple(dict.fromkeys(lab for part in obj.parts for lab in part.parent_irreps))
    seed = remove_rigid(action.average(_seed(obj, bonds), h_ops), rigid)
    # each irrep of the object in equal measure, so no part is a negligible admixture
    pieces = [action.isotypic(seed, lab) for lab in own]
    pieces = [p / np.linalg.norm(p) for p in pieces if np.linalg.norm(p) > 1e-9]
    candidates = [(sum(pieces, np.zeros_like(seed)), own)] if pieces else []
    best = (0.0, None, ())
    others = [lab for lab, _ in breaking_irreps(G, H)]
    groups = [own, *[(lab,) for lab in others if lab not in own], tuple(others)]
    for i in range(len(groups) + 1):
        for u, labels in candidates:
            m = breaking_margin(action, u, H)
            if m > best[0]:
                best = (m, u, labels)
        if best[0] >= GOOD_MARGIN or i == len(groups):
            break
        labels = groups[i]
        B = _range_basis(action, lambda x, labels=labels: project(x, labels), n)
        w = 1.0 / np.sqrt(np.arange(len(B)) + 2.0)
        candidates = [(u, labels) for u in [*B, np.einsum("k,kni->ni", w, B)]] if len(B) else []
    m, u, labels = best
    if u is None:
        raise SymmetryError(f"no displacement of these atoms breaks {G.schoenflies} to exactly {H.schoenflies} "
                            "(their sites cannot carry the breaking)")
    u = u / np.linalg.norm(u)
    return u, tuple(lab for lab in labels if np.linalg.norm(action.isotypic(u, lab)) > 1e-6)


def strain_pattern(G: PointGroup, H: PointGroup) -> np.ndarray | None:
    """(3, 3) unit (Frobenius) traceless symmetric strain, H-invariant with no G-invariant
    part (a fixed generic symmetric seed, projected); None when H allows no such strain.
    """
    seed = np.array([[0.31, 0.07, 0.05], [0.07, -0.12, 0.11], [0.05, 0.11, -0.19]])
    avg = lambda grp, M: np.einsum("gij,jk,glk->il", grp.matrices, M, grp.matrices) / grp.order  # noqa: E731
    E = avg(H, seed) - avg(G, seed)
    E -= np.trace(E) / 3 * np.eye(3)
    norm = np.linalg.norm(E)
    return None if norm < 1e-9 else E / norm


def shortest_distance(cell: Cell) -> float:
    """Shortest interatomic distance (Å), periodic images included for a crystal."""
    X = np.asarray(cell.positions, float)
    if len(X) < 2 and not cell.periodic:
        return np.inf
    shifts = [np.zeros(3)]
    if cell.periodic:
        shifts = [np.array(s, float) @ cell.lattice for s in np.ndindex(3, 3, 3)]
        shifts = [s - np.ones(3) @ cell.lattice for s in shifts]
    d = [np.linalg.norm(X[:, None, :] - X[None, :, :] - s, axis=2) for s in shifts]
    D = np.stack(d)
    D[D < 1e-9] = np.inf
    return float(D.min())


def check_amplitude(amplitude: float, u_unit: np.ndarray, cell: Cell) -> float:
    """OptionError for amplitude ≤ 0 or one moving an atom by more than half the shortest
    interatomic distance (then it sits nearer another site than its own: no small distortion);
    returns the largest atomic displacement (Å).
    """
    if not amplitude > 0:
        raise OptionError(f"--amplitude must be positive (Å), got {amplitude}")
    largest = float(np.linalg.norm(u_unit, axis=1).max() * amplitude)
    dmin = shortest_distance(cell)
    if largest > MAX_DISPLACEMENT_FRACTION * dmin:
        raise OptionError(f"--amplitude {amplitude:g} Å moves an atom by {largest:.3g} Å, more than half the shortest "
                          f"interatomic distance ({dmin:.3g} Å): not a small distortion; use a smaller amplitude")
    return largest


#: the largest atomic displacement may be at most this fraction of the shortest interatomic distance
MAX_DISPLACEMENT_FRACTION = 0.5

__all__ = ["GOOD_MARGIN", "MAX_DISPLACEMENT_FRACTION", "breaking_margin", "check_amplitude", "displacement_pattern",
           "poly_coeffs", "shortest_distance", "strain_pattern"]
