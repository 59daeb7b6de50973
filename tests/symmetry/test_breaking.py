"""Symmetry breaking G → H: the minimal O(3) object and the domains of a broken molecule/crystal.

Facts checked against things we do not compute with the code under test: the textbook
objects (Oh → D4h: 3z² − r², an Eg function; → C4v: a vector along a 4-fold axis, T1u;
→ D3d: xy + yz + zx, T2g; → C3v: a vector along [111], T1u), evaluated with e3nn's
spherical harmonics; the domain counts |G|/|H| (3, 6, 4, 8); the group of every domain by
an independent brute-force point-group search (tests/symmetry/_molecule_oracle.py); and
equivariance of the object under every element of G with the lost ones as negative control.
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.groups import PointGroup, invariant_basis, random_o3, spherical_harmonics, wigner_D
from symbreak_cli.io.cell import Cell
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry._domains import subgroup_classes
from symbreak_cli.symmetry.breaking import break_structure, breaking_object

from ._molecule_oracle import brute_force_point_group

OH = PointGroup.named("Oh")
# target, domains, irrep, G-irrep, the object as a function of (x, y, z) (up to scale and sign)
TEXTBOOK = [
    ("D4h", 3, "2e", "Eg", lambda x, y, z: 3 * z**2 - (x**2 + y**2 + z**2)),
    ("C4v", 6, "1o", "T1u", lambda x, y, z: z),
    ("D3d", 4, "2e", "T2g", lambda x, y, z: x * y + y * z + z * x),
    ("C3v", 8, "1o", "T1u", lambda x, y, z: x + y + z),
]


def _sf6() -> Cell:
    return read_structures("sample_data/SF6.xyz")[0]


@pytest.mark.parametrize("target, n_domains, irrep, g_irrep, f", TEXTBOOK)
def test_object_is_the_textbook_function(target, n_domains, irrep, g_irrep, f):
    H = PointGroup.named(target) if (OH.index_of(PointGroup.named(target).matrices) >= 0).all() else None
    if H is None:  # D3d, C3v: their standard orientation (C3 along z) is not inside Oh's; take Oh's own copy
        H = PointGroup.from_matrices(OH.matrices[list(subgroup_classes(OH, target)[0])])
    obj = breaking_object(OH, H)
    (part,) = obj.parts
    assert (part.irrep, part.parent_irreps) == (irrep, (g_irrep,))
    # the object as a function on the sphere equals the textbook polynomial up to scale
    l = part.l
    X = np.random.default_rng(0).normal(size=(50, 3))
    ours = spherical_harmonics(l, X, normalize=False) @ part.vector
    ref = f(*X.T)
    if target in ("D3d", "C3v"):  # Oh's copy may have its 3-fold along another body diagonal
        axis = next(np.array(op.axis) for op in H.ops if op.element_order == 3 and op.proper)
        s = np.sign(axis)
        ref = f(*(X * s).T)
    scale = (ours @ ref) / (ref @ ref)
    assert abs(scale) > 1e-3 and np.allclose(ours, scale * ref, atol=1e-9)
    assert len(OH.matrices) // H.order == n_domains


@pytest.mark.parametrize("target", ["D4h", "C4v", "D3d", "C3v", "C2v", "D2h", "Cs", "C4", "T"])
def test_object_stabiliser_is_exactly_H(target):
    """D(g) v = v exactly for g ∈ H, and every lost operation moves v (negative control)."""
    for K in subgroup_classes(OH, target):
        H = PointGroup.from_matrices(OH.matrices[list(K)])
        obj = breaking_object(OH, H)
        in_h = np.zeros(OH.order, bool)
        in_h[list(K)] = True
        moved = np.zeros(OH.order)
        for p in obj.parts:
            D = wigner_D(p.l, p.parity, OH.matrices)
            moved = np.maximum(moved, np.linalg.norm(D @ p.vector - p.vector, axis=1))
        assert moved[in_h].max() < 1e-9
        assert moved[~in_h].min() > 1e-3


@pytest.mark.parametrize("target", ["D4h", "C4v", "D3d", "C3v", "D2h"])
def test_object_has_the_lowest_l(target):
    """No irrep of lower l has a vector whose stabiliser in Oh is H: a generic vector of
    V^H there is kept by more than H.
    """
    H = PointGroup.from_matrices(OH.matrices[list(subgroup_classes(OH, target)[0])])
    l_obj = breaking_object(OH, H).parts[0].l
    rng = np.random.default_rng(1)
    for l in range(l_obj):
        for p in (1, -1):
            B = invariant_basis(H, l, p)
            if not len(B):
                continue
            v = rng.normal(size=len(B)) @ B
            kept = np.linalg.norm(wigner_D(l, p, OH.matrices) @ v - v, axis=1) < 1e-9
            assert kept.sum() > H.order


def _images(positions: np.ndarray, R: np.ndarray) -> np.ndarray:
    return positions @ R.T


def _same_structure(a: np.ndarray, b: np.ndarray, numbers: np.ndarray, tol: float = 1e-6) -> bool:
    d = np.linalg.norm(a[:, None] - b[None], axis=2)
    d[numbers[:, None] != numbers[None, :]] = np.inf
    return bool(d.min(axis=1).max() < tol)


@pytest.mark.parametrize("target, n_domains", [(t, n) for t, n, *_ in TEXTBOOK])
def test_sf6_domains(target, n_domains):
    b = break_structure(_sf6(), target, 0.1)
    assert b.n_domains == len(b.domains) == n_domains
    numbers = np.asarray(b.parent.numbers)
    X = [np.asarray(d.cell.positions) for d in b.domains]
    for d, x in zip(b.domains, X):
        assert d.check.ok and d.check.same_operations and d.check.found == target
        assert brute_force_point_group(x - x.mean(axis=0), numbers, tol=0.005) == target  # independent oracle
    kept = set(b.action.ops_of(b.H).tolist())
    lost = [b.G.matrices[a] for a in range(b.G.order) if a not in kept]
    for i in range(n_domains):
        for j in range(n_domains):
            if i != j:
                assert not _same_structure(X[i], X[j], numbers)
            # a lost operation maps domain i onto domain j; none maps domain 0 onto itself
            hits = [_same_structure(_images(X[i], R), X[j], numbers) for R in lost]
            if i != j:
                assert any(hits)
            elif i == 0:
                assert not any(hits)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("target, n_domains", [("D4h", 3), ("C3v", 8)])
def test_break_is_independent_of_orientation(seed, target, n_domains):
    """SF6 turned by a random O(3) element and its atoms shuffled breaks the same way."""
    c = _sf6()
    rng = np.random.default_rng(seed)
    R = random_o3(1, seed=seed)[seed % 2]  # proper for even seeds, improper for odd
    perm = rng.permutation(c.n_atoms)
    turned = Cell(None, (np.asarray(c.positions) @ R.T)[perm] + rng.normal(size=3), np.asarray(c.numbers)[perm],
                  tuple(np.array(c.symbols)[perm]), False, source="turned")
    b = break_structure(turned, target, 0.1)
    assert b.n_domains == n_domains and all(d.check.ok for d in b.domains)
    for d in b.domains:
        x = np.asarray(d.cell.positions)
        assert brute_force_point_group(x - x.mean(axis=0), np.asarray(turned.numbers), tol=0.005) == target


@pytest.mark.parametrize("target, number, n_domains", [("P4mm", 99, 6), ("Amm2", 38, 12), ("R3m", 160, 8)])
def test_batio3_gamma(target, number, n_domains):
    b = break_structure(read_structures("sample_data/BaTiO3_Pm-3m.cif")[0], target, 0.1)
    assert (b.target_number, b.n_domains) == (number, n_domains)
    assert all(d.check.number == number and d.check.same_operations for d in b.domains)
    u = np.array([d.domain.displacements for d in b.domains])
    assert np.allclose(np.linalg.norm(u, axis=(1, 2)), 0.1) and np.abs(u.sum(axis=1)).max() < 1e-9  # no rigid shift


def test_strain_only_breaking():
    """Pm-3m → P4/mmm has no Γ displacement (only T1u, T2u modes exist): strain alone does it."""
    cell = read_structures("sample_data/BaTiO3_Pm-3m.cif")[0]
    with pytest.raises(SymmetryError, match="add --strain"):
        break_structure(cell, "P4/mmm", 0.1)
    b = break_structure(cell, "P4/mmm", 0.1, strain=0.01)
    assert b.n_domains == 3 and all(d.check.number == 123 for d in b.domains)
    e = b.domains[0].domain.strain
    assert np.isclose(np.linalg.norm(e), 0.01) and abs(np.trace(e)) < 1e-12
    assert len(np.unique(np.round(np.linalg.eigvalsh(e), 9))) == 2  # uniaxial: tetragonal


@pytest.mark.parametrize("target, exc, match", [
    ("C6v", SymmetryError, "not a subgroup"),
    ("C4", SymmetryError, "cannot carry"),   # a square of F and two axial F cannot lose the σv's
    ("P4mm", OptionError, "not a point group"),
])
def test_impossible_targets(target, exc, match):
    with pytest.raises(exc, match=match):
        break_structure(_sf6(), target, 0.1)


@pytest.mark.parametrize("amplitude, match", [(0.0, "positive"), (-0.1, "positive"), (5.0, "half the shortest"),
                                               (0.005, "too small to see")])
def test_amplitude_limits(amplitude, match):
    with pytest.raises(OptionError, match=match):
        break_structure(_sf6(), "C4v", amplitude)


def test_crystal_not_a_subgroup():
    cell = read_structures("sample_data/BaTiO3_Pm-3m.cif")[0]
    with pytest.raises(SymmetryError, match="not a subgroup"):
        break_structure(cell, "P6mm", 0.1)
    with pytest.raises(SymmetryError, match="k ≠ 0"):  # Pnma: two zone-boundary irreps at once
        break_structure(cell, "Pnma", 0.1)
