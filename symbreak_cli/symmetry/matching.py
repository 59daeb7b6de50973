"""Parent–child matching: supercell, axes, origin and atom pairing found automatically.

The child lattice is matched to the standardised primitive parent lattice by
:func:`~.setting.match_lattices` (strain-tolerant, metric only); a setting N counts only
when every child rotation is a parent rotation (:func:`~.setting.rotations_in_parent`).
For each such N, the origin is solved by placing one child atom of the rarest species on
each parent-supercell atom of that species in turn; atoms are then paired species by
species by the assignment of least squared displacement (periodic, Hungarian), the
uniform translation (a polar child's free origin) is removed, and the (N, origin,
pairing) of least total distortion wins.

The transformation is given in the Bilbao convention: x_parent = P · x_child + p, with
P = Nᵀ (child basis vectors as columns of the parent's) and p the child origin in the
parent's fractional coordinates (primitive standardised parent cell).

Displacements are Cartesian, in the parent's standardised frame, measured in the parent
supercell scaled isotropically to the child's volume (the strain is reported apart), so
Σ|u|² over the child cell is the total distortion As².

>>> from symbreak_cli.io.structures import read_structures
>>> from symbreak_cli.symmetry._supercell import standard_parent
>>> p = standard_parent(read_structures("sample_data/SrTiO3_Pm-3m.cif")[0], origin="Ti")
>>> m = match_child(p, read_structures("sample_data/SrTiO3_I4mcm.cif")[0])
>>> round(abs(float(np.linalg.det(m.basis)))), round(m.max_displacement, 3)
(4, 0.072)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import SymmetryError
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry._supercell import Parent, lattice_translations
from symbreak_cli.symmetry.setting import _shape_strain, match_lattices, rotations_in_parent
from symbreak_cli.symmetry.tolerances import DEFAULT_MAX_STRAIN, DEFAULT_SYMPREC_A

#: most lattice settings whose pairing is tried
_MAX_SETTINGS = 12


@dataclass(frozen=True, eq=False)
class Matching:
    """How a child sits in its parent.

    Attributes
    ----------
    supercell : (3, 3) int, N: child lattice ≈ Q · N · L_parent (rows; Q a rotation).
    basis : (3, 3) int, P = Nᵀ; ``origin_shift`` (3,) float, p: x_parent = P x_child + p.
    pairing : (n_child,) int, the parent-supercell atom (cell-major order of the supercell N,
        :mod:`._supercell`) each child atom displaces.
    displacements : (n_child, 3) float, Å, parent frame, uniform translation removed.
    strain : (3, 3) float, Green–Lagrange strain of the child lattice against N · L_parent
        (volume part included), parent frame.
    volume_scale : (V_child / V_supercell)^(1/3), the isotropic factor of the reference.
    child_number, child_hm : the child's space group (spglib, named from the operations
        found for the matching).
    """

    supercell: np.ndarray
    basis: np.ndarray
    origin_shift: np.ndarray
    pairing: np.ndarray
    displacements: np.ndarray
    strain: np.ndarray
    volume_scale: float
    child_number: int = 1
    child_hm: str = "P1"

    @property
    def max_displacement(self) -> float:
        """Largest atomic displacement, Å."""
        return float(np.linalg.norm(self.displacements, axis=1).max())

    @property
    def total_distortion(self) -> float:
        """√(Σ|u|²) over the child cell, Å (As)."""
        return float(np.linalg.norm(self.displacements))


def _supercell_fractional(parent: Parent, N: np.ndarray) -> np.ndarray:
    T = lattice_translations(N)
    X = (T[:, None, :] + parent.cell.fractional[None]).reshape(-1, 3)
    return (X @ np.linalg.inv(N)) % 1.0


def _assign(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the least-cost assignment: each row's nearest column when that is
    already one-to-one (small distortions), else the Hungarian method (scipy).
    """
    c = cost.argmin(axis=1)
    if len(unique(c)) == len(c):
        return np.arange(len(c)), c
    from scipy.optimize import linear_sum_assignment

    return linear_sum_assignment(cost)


def _pair(xc, species_c, Y, species_p, lattice, origins):
    """Best (cost, pairing, displacement frac, origin) over origin candidates (rows), all
    origins at once; ties go to the earliest origin.
    """
    metric = lattice @ lattice.T
    groups = [(np.flatnonzero(species_c == s), np.flatnonzero(species_p == s)) for s in unique(species_c)]
    o = np.array(origins, float).reshape(-1, 3)
    k = len(o)
    for _ in range(2):  # pair, re-centre on the mean displacement, pair again
        pairing = np.empty((k, len(xc)), int)
        disp = np.empty((k, len(xc), 3))
        for ic, ip in groups:
            d = (xc[ic][None, :, None, :] - o[:, None, None, :]) - Y[ip][None, None, :, :]  # (k, a, b, 3)
            d -= np.rint(d)
            cost = np.einsum("kabi,kabi->kab", d @ metric, d)
            nearest = cost.argmin(axis=2)  # (k, a)
            ordered = np.sort(nearest, axis=1)
            distinct = (np.diff(ordered, axis=1) > 0).all(axis=1)
            for j in range(k):
                r, c = (np.arange(len(ic)), nearest[j]) if distinct[j] else _assign(cost[j])
                pairing[j, ic[r]] = ip[c]
                disp[j, ic[r]] = d[j, r, c]
        o = o + disp.mean(axis=1)
    disp -= disp.mean(axis=1, keepdims=True)
    costs = np.einsum("kni,kni->k", disp @ metric, disp)
    best = 0
    for j in range(1, k):
        if costs[j] < costs[best] - 1e-12:
            best = j
    return float(costs[best]), pairing[best], disp[best], o[best]


def match_child(parent: Parent, child: Cell, symprec: float = DEFAULT_SYMPREC_A,
                max_strain: float = DEFAULT_MAX_STRAIN) -> Matching:
    """Supercell, origin and pairing of ``child`` in the standardised ``parent`` (see module doc)."""
    import spglib

    if not child.periodic:
        raise SymmetryError("a mode decomposition needs a crystal child", path=child.source)
    species_c = np.array(child.symbols)
    pc = parent.cell
    counts_c = {s: int((species_c == s).sum()) for s in set(child.symbols)}
    counts_p = {s: pc.symbols.count(s) for s in set(pc.symbols)}
    if set(counts_c) != set(counts_p) or any(counts_c[s] % counts_p[s] for s in counts_c) or \
            len({counts_c[s] // counts_p[s] for s in counts_c}) != 1:
        raise SymmetryError(f"has composition {child.formula} but the parent {pc.source} has {pc.formula}: "
                            "the atoms cannot be paired", path=child.source)
    try:
        data = spglib.get_symmetry((child.lattice, child.fractional, child.numbers), symprec=symprec)
    except Exception as err:  # spglib >= 2.5 raises where it returned None
        raise SymmetryError(f"spglib found no symmetry for the child: {err}", path=child.source) from None
    if data is None:
        raise SymmetryError("spglib found no symmetry for the child", path=child.source)
    W = unique(data["rotations"], axis=0)
    Lp = pc.lattice
    G = parent.cartesian
    xc = child.fractional % 1.0
    rare = min(counts_c, key=lambda s: (counts_c[s], s))
    i0 = int(np.flatnonzero(species_c == rare)[0])
    best = None
    tried = 0
    for N, _shape, _dv in match_lattices(child.lattice, Lp, max_strain):
        R = rotations_in_parent(W, N, Lp)
        if R is None or not all(np.abs(G - r).max(axis=(1, 2)).min() < 1e-3 for r in R):
            continue
        tried += 1
        Y = _supercell_fractional(parent, N)
        species_p = np.array(pc.symbols * (len(Y) // pc.n_atoms))
        A = N @ Lp
        scale = (abs(np.linalg.det(child.lattice)) / abs(np.linalg.det(A))) ** (1 / 3)
        origins = [xc[i0] - Y[j] for j in np.flatnonzero(species_p == rare)]
        cost, pairing, disp, o = _pair(xc, species_c, Y, species_p, A * scale, origins)
        if best is None or cost < best[0] - 1e-10:
            best = (cost, N, pairing, disp @ (A * scale), o, scale)
        if tried >= _MAX_SETTINGS:
            break
    if best is None:
        raise SymmetryError(f"no supercell of the parent {pc.source} ({parent.hm}) within {max_strain:.0%} strain holds "
                            "the child's operations", path=child.source)
    _, N, pairing, u, o, scale = best
    strain = _shape_strain(N @ Lp, child.lattice @ child.lattice.T)
    # x_child = y + o with y the supercell fraction: x_parent = Nᵀ (x_child − o) → p = −Nᵀ o
    p = (-(N.T @ o)) % 1.0
    p[np.abs(p - 1) < 1e-6] = 0.0
    sg = spglib.get_spacegroup_type_from_symmetry(data["rotations"], data["translations"], lattice=child.lattice)
    return Matching(np.asarray(N, int), np.asarray(N.T, int), p, pairing, u, strain, float(scale),
                    int(sg.number), str(sg.international_short))


__all__ = ["Matching", "match_child"]
