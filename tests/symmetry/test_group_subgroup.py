"""GroupSubgroup keeps G ⊃ H as matrices in one Cartesian frame: every operation of H is
one of G, the coset representatives times H partition G, and there are |G|/|H| of them.

BaTiO3 P4mm in Pm-3m: Oh ⊃ C4v, 6 domains; the irreps restricting to C4v's identity are
A1g (the invariant part), Eg and T1u (Aizu m-3mF4mm).
NH3 in CH4: Td ⊃ C3v, 4 domains; A1 and T2 restrict to C3v's identity.
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.groups import match_indices
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.detect import crystal_symmetry, molecule_symmetry
from symbreak_cli.symmetry.parent import parent_analysis
from symbreak_cli.symmetry.types import Frame, GroupSubgroup


def cell(sample_dir, name):
    return read_structures(str(sample_dir / name))[0]


def assert_cosets_partition(a: GroupSubgroup) -> None:
    G, H = a.G.matrices, a.H.matrices
    tol = a.matrix_tolerance
    # orthogonal 3×3 Cartesian matrices, identity first
    for M in (G, H):
        assert M.shape[1:] == (3, 3) and np.allclose(np.einsum("nji,njk->nik", M, M), np.eye(3), atol=1e-6)
        assert np.allclose(M[0], np.eye(3))
    # H ⊂ G in the same frame
    assert (match_indices(H, G, tol) >= 0).all()
    assert np.array_equal(a.child_operations, H)
    # representatives × H: each element of G exactly once
    reps = a.coset_representatives
    assert len(reps) == a.index == a.orientational_domains == len(G) // len(H)
    assert len(G) % len(H) == 0
    products = np.einsum("kij,hjl->khil", reps, H).reshape(-1, 3, 3)
    idx = match_indices(products, G, tol)
    assert (idx >= 0).all() and sorted(idx.tolist()) == list(range(len(G)))
    assert np.allclose(reps[0], np.eye(3))  # H itself is the first domain
    # the lost operations are G∖H
    lost = a.lost_operations
    assert len(lost) == len(G) - len(H) and (match_indices(lost, H, tol) < 0).all()


def test_batio3_tetragonal_in_cubic_as_matrices(sample_dir):
    child, parent = cell(sample_dir, "BaTiO3_P4mm.cif"), cell(sample_dir, "BaTiO3_Pm-3m.cif")
    a = parent_analysis(child, parent)
    assert (len(a.G.matrices), len(a.H.matrices), a.total_domains) == (48, 8, 6)
    assert set(a.breaking_irreps) == {"Eg", "T1u"}
    assert a.frame is Frame.PARENT_STANDARD
    assert_cosets_partition(a)
    # the frame is the parent's standardised one: G is the parent's own point group there
    own = crystal_symmetry(parent, a.symprec).point_group
    assert (match_indices(own.matrices, a.G.matrices, 1e-6) >= 0).all() and len(own.matrices) == 48
    # H holds the child's rotations carried into that frame by the lattice setting
    assert np.array_equal(a.H.matrices.shape, a.lattice.rotations.shape)
    assert (match_indices(a.lattice.rotations, a.H.matrices, 1e-6) >= 0).all()
    # the 4-fold of the polar child lies along one cubic axis of the frame
    fourfold = [op.axis for op in a.H.ops if op.symbol.startswith("4+")]
    assert len(fourfold) == 1 and sorted(np.abs(fourfold[0]).round(6).tolist()) == [0.0, 0.0, 1.0]


def test_molecule_in_molecule_as_matrices(sample_dir):
    nh3, ch4 = cell(sample_dir, "NH3.xyz"), cell(sample_dir, "CH4.xyz")
    a = parent_analysis(nh3, ch4)
    assert (a.G.schoenflies, a.H.schoenflies, a.index) == ("Td", "C3v", 4)
    assert set(a.breaking_irreps) == {"T2"}
    assert a.frame is Frame.PARENT_INPUT and a.parent_kind == "molecule"
    assert_cosets_partition(a)
    # H = Q H₀ Qᵀ with H₀ NH3's own operations (input axes) and Q the recorded alignment
    H0 = molecule_symmetry(nh3, 0.01).operations
    Q = a.alignment
    turned = np.einsum("ij,njk,lk->nil", Q, H0, Q)
    assert (match_indices(turned, a.H.matrices, a.matrix_tolerance) >= 0).all() and len(turned) == len(a.H.matrices)


@pytest.mark.parametrize("parent_group, order", [("Pm-3m", 48), ("4/mmm", 16)])
def test_named_parent_group_as_matrices(sample_dir, parent_group, order):
    a = parent_analysis(cell(sample_dir, "BaTiO3_P4mm.cif"), parent_group=parent_group)
    assert len(a.G.matrices) == order and a.frame is Frame.NAMED_GROUP and a.frame_basis is None
    assert_cosets_partition(a)
