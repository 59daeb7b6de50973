"""Symmetry-adapted displacement modes (symmetry.irreps): completeness, equivariance under
every element of G/T_s (with a negative control), the irrep matrices form a
representation, CDML labels and isotropy subgroups against the literature.

Literature: Howard & Stokes, Acta Cryst. B54, 782 (1998) (octahedral tilting in
perovskites, B cation at the origin: a0a0c- is R4+ → I4/mcm, a0b-b- → Imma, a-a-a- → R-3c;
a0a0c+ is M3+ → P4/mbm, a+a+c0 → I4/mmm, a+a+a+ → Im-3); polar Γ4- displacements of
Pm-3m → P4mm [001], Amm2 [110], R3m [111] (ISOTROPY; Stokes & Hatch, Isotropy Subgroups
of the 230 Crystallographic Space Groups, 1988).
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry import displacement_modes, distortion


@pytest.fixture(scope="module")
def cubic():
    return read_structures("sample_data/SrTiO3_Pm-3m.cif")[0]


@pytest.fixture(scope="module")
def modes222(cubic):
    return displacement_modes(cubic, np.diag([2, 2, 2]), origin="Ti")


def _basis(ms):
    return np.concatenate([b.vectors.reshape(b.n_modes, -1) for b in ms.blocks])


def _product_table(sc):
    key = {sc.perms[g].tobytes(): g for g in range(sc.order)}
    return np.array([[key[sc.perms[a][sc.perms[b]].tobytes()] for b in range(sc.order)] for a in range(sc.order)])


@pytest.mark.parametrize("supercell", [np.eye(3, dtype=int), np.diag([2, 2, 2]), np.diag([1, 1, 2])])
def test_modes_are_complete_and_orthonormal(cubic, supercell):
    """Σ over irreps of the projectors VᵀV is the identity on the 3n displacements."""
    ms = displacement_modes(cubic, supercell, origin="Ti")
    V = _basis(ms)
    n = 3 * ms.cell.n_atoms
    assert V.shape == (n, n)
    assert np.abs(V.T @ V - np.eye(n)).max() < 1e-9
    projectors = sum(b.vectors.reshape(b.n_modes, -1).T @ b.vectors.reshape(b.n_modes, -1) for b in ms.blocks)
    assert np.abs(projectors - np.eye(n)).max() < 1e-9


def test_non_symmorphic_centred_parent_is_complete():
    """I4/mcm as a parent (glides, body centring): still complete and equivariant; at Γ the
    small irreps are the co-group's, so their CDML numbers are read (checked against the
    Bilbao table of I4/mcm in test_labels.py).
    """
    ms = displacement_modes(read_structures("sample_data/SrTiO3_I4mcm.cif")[0], np.eye(3, dtype=int))
    V = _basis(ms)
    assert np.abs(V @ V.T - np.eye(len(V))).max() < 1e-9
    sc = ms.group
    for b in ms.blocks:
        for g in range(sc.order):
            lhs = np.array([sc.apply(g, e) for e in b.copies[0]])
            assert np.abs(lhs - np.einsum("ji,jnk->ink", b.matrices[g], b.copies[0])).max() < 1e-8
    assert not any("?" in b.label for b in ms.blocks)


def test_every_element_acts_by_the_irrep_matrices(modes222):
    """Γ(g) e_{a,i} = Σ_j D(g)_{ji} e_{a,j} for all 384 elements; swapping two elements'
    matrices (negative control) breaks it.
    """
    sc = modes222.group
    for b in modes222.blocks:
        E = b.copies  # (m, d, n, 3)
        moved = np.einsum("gab,mdnb->gmdna", sc.cart, E)
        img = np.empty_like(moved)
        img[np.arange(sc.order)[:, None], :, :, sc.perms] = moved.transpose(0, 3, 1, 2, 4)
        expect = np.einsum("gji,mjnk->gmink", b.matrices, E)
        assert np.abs(img - expect).max() < 1e-9, b.label
    b = modes222.block("R4+")
    wrong = b.matrices.copy()
    g1 = next(g for g in range(sc.order) if not np.allclose(b.matrices[g], b.matrices[1]))
    wrong[[1, g1]] = wrong[[g1, 1]]
    E = b.copies[0]
    bad = max(np.abs(np.array([sc.apply(g, e) for e in E]) - np.einsum("ji,jnk->ink", wrong[g], E)).max() for g in (1, g1))
    assert bad > 0.1


def test_irrep_matrices_are_a_representation(modes222):
    sc = modes222.group
    table = _product_table(sc)
    rng = np.random.default_rng(7)
    pairs = rng.integers(sc.order, size=(200, 2))
    for b in modes222.blocks:
        D = b.matrices
        lhs = np.einsum("pij,pjk->pik", D[pairs[:, 0]], D[pairs[:, 1]])
        assert np.abs(lhs - D[table[pairs[:, 0], pairs[:, 1]]]).max() < 1e-9, b.label


def test_labels_of_the_perovskite_k_points(modes222):
    """B cation at the origin: polar modes are GM4- (4 copies: A, B, two O kinds) and the
    O-only GM5- once; the tilts R4+ and M3+ appear once each; X5+ is 2-dimensional per arm.
    """
    by = {b.label: b for b in modes222.blocks}
    assert by["GM4-"].multiplicity == 4 and by["GM5-"].multiplicity == 1
    assert by["R4+"].multiplicity == 1 and by["R4+"].irrep_dimension == 3
    assert by["M3+"].multiplicity == 1 and by["M3+"].irrep_dimension == 3  # one component per arm
    assert by["X5+"].irrep_dimension == 6  # 2 per arm × 3 arms
    assert {b.label[0] for b in modes222.blocks} == {"G", "X", "M", "R"}


@pytest.mark.parametrize("label,direction,number,hm", [
    ("GM4-", (0, 0, 1), 99, "P4mm"), ("GM4-", (1, 1, 0), 38, "Amm2"), ("GM4-", (1, 1, 1), 160, "R3m"),
    ("R4+", (1, 0, 0), 140, "I4/mcm"), ("R4+", (1, 1, 0), 74, "Imma"), ("R4+", (1, 1, 1), 167, "R-3c"),
    ("M3+", (1, 0, 0), 127, "P4/mbm"), ("M3+", (1, 1, 0), 139, "I4/mmm"), ("M3+", (1, 1, 1), 204, "Im-3"),
])
def test_isotropy_subgroups_of_perovskite_order_parameters(cubic, label, direction, number, hm):
    d = distortion(cubic, label, direction, 0.1, origin="Ti")
    assert (d.number, d.hm) == (number, hm)
    assert abs(np.linalg.norm(d.displacements) - 0.1) < 1e-12


def test_origin_swaps_the_tilt_labels(cubic):
    """With Sr at the origin the in-phase tilt is M2+ and the antiphase one R5- (SCIENCE.md §5)."""
    assert distortion(cubic, "R5-", (1, 0, 0), 0.1, origin="Sr").hm == "I4/mcm"
    assert distortion(cubic, "M2+", (1, 0, 0), 0.1, origin="Sr").hm == "P4/mbm"
    with pytest.raises(SymmetryError, match="no irrep 'R4\\+'"):
        distortion(cubic, "R4+", (1, 0, 0), 0.1, origin="Sr")


def test_bad_label_and_direction_are_one_line_errors(cubic):
    with pytest.raises(SymmetryError, match="has no irrep 'R7\\+'"):
        distortion(cubic, "R7+", (1, 0, 0), 0.1, origin="Ti")
    with pytest.raises(OptionError, match="needs 3 numbers"):
        distortion(cubic, "R4+", (1, 0), 0.1, origin="Ti")
    with pytest.raises(OptionError, match="no k-point 'Q'"):
        distortion(cubic, "Q1", (1,), 0.1, origin="Ti")
    with pytest.raises(OptionError, match="no Ba atom"):
        displacement_modes(cubic, np.eye(3, dtype=int), origin="Ba")


# ----------------------------------------------------------------------------------------
# the fast construction against the textbook one
# ----------------------------------------------------------------------------------------
def _gamma_matrices(sc):
    """Γ(g) as explicit 3n × 3n matrices: block (perm_g(l), l) is R_g."""
    n = sc.perms.shape[1]
    out = np.zeros((sc.order, n, 3, n, 3))
    for g in range(sc.order):
        out[g, sc.perms[g], :, np.arange(n), :] = sc.cart[g]
    return out.reshape(sc.order, 3 * n, 3 * n)


@pytest.mark.parametrize("source,supercell", [("SrTiO3_Pm-3m.cif", (2, 2, 2)), ("SrTiO3_I4mcm.cif", (1, 1, 1))])
def test_copies_span_the_textbook_projectors(source, supercell):
    """For every block, Σ_a e_{a,i} e_{a,i}ᵀ equals the Wigner projector
    P_ii = (d/|G|) Σ_g D_ii(g) Γ(g) with Γ(g) built element by element (1e-10): the copies
    (found from one atom per orbit, without 3n × 3n matrices) span exactly the irrep's
    components. Negative control: another block's matrices give a different projector.
    """
    ms = displacement_modes(read_structures(f"sample_data/{source}")[0], np.diag(supercell),
                            origin="Ti" if "Pm-3m" in source else None)
    sc = ms.group
    Gam = _gamma_matrices(sc)
    for b in ms.blocks:
        d = b.irrep_dimension
        P = d / sc.order * np.tensordot(np.diagonal(b.matrices, axis1=1, axis2=2), Gam, axes=(0, 0))  # (d, 3n, 3n)
        for i in range(d):
            E = b.copies[:, i].reshape(b.multiplicity, -1)
            assert np.abs(E.T @ E - P[i]).max() < 1e-10, (b.label, i)
    same = [b for b in ms.blocks if b.irrep_dimension == ms.blocks[0].irrep_dimension]
    if len(same) > 1:
        a, other = same[0], same[1]
        E = a.copies[:, 0].reshape(a.multiplicity, -1)
        wrong = a.irrep_dimension / sc.order * np.tensordot(other.matrices[:, 0, 0], Gam, axes=(0, 0))
        assert np.abs(E.T @ E - wrong).max() > 1e-3


def test_group_action_matches_the_element_by_element_one(modes222):
    """Supercell.act (each rotation once, one gather) equals Supercell.apply per element."""
    sc = modes222.group
    u = np.random.default_rng(3).normal(size=(2, modes222.cell.n_atoms, 3))
    fast = sc.act(u)
    slow = np.array([[sc.apply(g, v) for v in u] for g in range(sc.order)])
    assert np.abs(fast - slow).max() < 1e-12
    some = np.array([0, 7, 100, 383])
    assert np.abs(sc.act(u[0], some) - slow[some, 0]).max() < 1e-12


def test_isotropy_subgroup_from_the_stabiliser_matches_a_symmetry_search(modes222):
    """The isotropy subgroup named from the elements of G/T_s that fix a component equals
    what spglib's own symmetry search finds on the displaced supercell, for the special
    directions (a,0,…), (a,a,…) of every irrep in the 2×2×2 perovskite cell.
    """
    import spglib

    from symbreak_cli.symmetry.modes import _isotropy

    c = modes222.cell
    for b in modes222.blocks:
        d = b.irrep_dimension
        for eta in {tuple(np.eye(d)[0]), tuple(np.eye(d)[:2].sum(axis=0)), tuple(np.ones(d))}:  # (a,0,…) (a,a,0,…) (a,…,a)
            u = b.displacement(eta, np.eye(b.multiplicity)[0])
            u *= 0.1 / np.linalg.norm(u, axis=1).max()
            data = spglib.get_symmetry_dataset((c.lattice, (c.positions + u) @ np.linalg.inv(c.lattice), c.numbers),
                                               symprec=1e-3)
            assert _isotropy(modes222, u) == (int(data.number), str(data.international)), (b.label, eta)
