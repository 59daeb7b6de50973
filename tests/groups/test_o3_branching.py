"""O(3) irreps restricted to point groups (literature: Altmann & Herzig, *Point-Group
Theory Tables*, 1994, tables of spherical-harmonic branching)."""

import numpy as np
import pytest

from symbreak_cli.errors import OptionError
from symbreak_cli.groups import PointGroup
from symbreak_cli.groups import (
    branching_table,
    decompose,
    decomposition_text,
    invariant_basis,
    irrep_label,
    n_invariants,
    new_invariant_basis,
    o3_characters,
    parse_irrep,
    wigner_D,
)


def e3nn_D(g, l, p):
    """e3nn's ``Irrep(l, p).D_from_matrix`` on every element of g (the reference basis)."""
    torch = pytest.importorskip("torch")
    o3 = pytest.importorskip("e3nn.o3")
    return o3.Irrep(l, p).D_from_matrix(torch.tensor(np.array(g.matrices), dtype=torch.float64)).numpy()


def G(name):
    return PointGroup.named(name)


@pytest.mark.parametrize(
    "group, irrep, n",
    [("Oh", "2e", 0), ("D4h", "2e", 1), ("Oh", "4e", 1), ("D4h", "4e", 2), ("C4v", "1o", 1), ("D4h", "1o", 0),
     ("Oh", "0e", 1), ("Oh", "0o", 0), ("Td", "3o", 1), ("Ih", "6e", 1), ("Ih", "4e", 0), ("C1", "3o", 7)],
)
def test_invariant_counts(group, irrep, n):
    assert n_invariants(G(group), *parse_irrep(irrep)) == n


@pytest.mark.parametrize(
    "group, irrep, text",
    [("Oh", "1o", "T1u"), ("Oh", "2e", "Eg + T2g"), ("D4h", "2e", "A1g + B1g + B2g + Eg"),
     ("Oh", "1e", "T1g"), ("Td", "1o", "T2"), ("Ih", "2e", "Hg"), ("Ih", "3o", "T2u + Gu"),
     ("D6h", "1o", "A2u + E1u"), ("C3v", "2e", "A1 + 2E")],
)
def test_decompositions(group, irrep, text):
    assert decomposition_text(decompose(G(group), *parse_irrep(irrep))) == text


@pytest.mark.parametrize("group", ["Oh", "Ih", "D6h", "C3h", "S4"])
def test_analytic_characters_match_e3nn(group):
    g = G(group)
    for l in range(5):
        for p in (1, -1):
            np.testing.assert_allclose(np.einsum("aii->a", e3nn_D(g, l, p)), o3_characters(g, l, p), atol=1e-5)
            np.testing.assert_allclose(np.einsum("aii->a", wigner_D(l, p, g.matrices)), o3_characters(g, l, p), atol=1e-10)


def test_e3nn_l1_is_cartesian_xyz():
    # documented convention: e3nn 0.6 orders 1o as (x, y, z), D(R) = R
    g = G("D4h")
    np.testing.assert_allclose(e3nn_D(g, 1, -1), g.matrices, atol=1e-6)
    np.testing.assert_allclose(e3nn_D(g, 1, 1), g.matrices * np.linalg.det(g.matrices)[:, None, None], atol=1e-6)
    np.testing.assert_allclose(wigner_D(1, -1, g.matrices), g.matrices, atol=1e-12)
    np.testing.assert_allclose(wigner_D(1, 1, g.matrices), g.matrices * np.linalg.det(g.matrices)[:, None, None], atol=1e-12)


def test_oh_to_d4h_new_invariants():
    rows = {r.irrep: r for r in branching_table(G("Oh"), G("D4h"), lmax=4)}
    assert [k for k, r in rows.items() if r.breaks] == ["2e", "4e"]
    assert rows["2e"].new_invariants == ("−x² − y² + 2z² (uniaxial, unique axis [001])",)
    # in e3nn's y-polar l=2 basis, 3z²−r² has two components in ratio −√3 (components 2 and 4)
    b = new_invariant_basis(G("Oh"), G("D4h"), 2, 1)
    assert b.shape == (1, 5)
    np.testing.assert_allclose(b[0, [0, 1, 3]], 0, atol=1e-6)
    assert b[0, 4] / b[0, 2] == pytest.approx(-np.sqrt(3), rel=1e-5)
    # the cubic 4e invariant: components 4 and 8 in ratio sqrt(7/5)
    c = invariant_basis(G("Oh"), 4, 1)
    assert c.shape == (1, 9) and c[0, 8] / c[0, 4] == pytest.approx(np.sqrt(5 / 7), rel=1e-5)


def test_oh_to_c4v_polar_vector():
    rows = {r.irrep: r for r in branching_table(G("Oh"), G("C4v"), lmax=2)}
    assert rows["1o"].breaks and rows["1o"].new_invariants == ("vector along (z)",)
    assert not rows["1e"].breaks


@pytest.mark.parametrize("l, p", [(0, 1), (1, -1), (2, 1), (3, 1), (7, -1)])
def test_irrep_label_round_trip(l, p):
    assert parse_irrep(irrep_label(l, p)) == (l, p)


def test_invariant_bases_are_invariant_and_match_e3nn_projectors():
    Oh, D4h = G("Oh"), G("D4h")
    for Gr, l, p in [(Oh, 4, 1), (D4h, 2, 1), (D4h, 4, 1), (G("C4v"), 1, -1)]:
        B = invariant_basis(Gr, l, p)
        assert B.shape[0] == n_invariants(Gr, l, p)
        np.testing.assert_allclose(B @ B.T, np.eye(len(B)), atol=1e-12)
        DB = np.einsum("gij,kj->gki", wigner_D(l, p, Gr.matrices), B)
        np.testing.assert_allclose(DB, np.broadcast_to(B, DB.shape), atol=1e-10)
        # same subspace as e3nn's own projector
        P = e3nn_D(Gr, l, p).mean(axis=0)
        np.testing.assert_allclose(P @ B.T, B.T, atol=1e-5)
    # the new 4e invariant of Oh → D4h: D4h-invariant, orthogonal to the cubic one
    new = new_invariant_basis(Oh, D4h, 4, 1)
    assert new.shape == (1, 9)
    np.testing.assert_allclose(new @ invariant_basis(Oh, 4, 1).T, 0, atol=1e-12)
    np.testing.assert_allclose(wigner_D(4, 1, D4h.matrices) @ new[0], np.broadcast_to(new[0], (16, 9)), atol=1e-10)


def test_bad_inputs():
    with pytest.raises(OptionError):
        parse_irrep("2x")
    with pytest.raises(OptionError):
        branching_table(G("Oh"), lmax=-1)
