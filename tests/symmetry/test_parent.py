"""Group–subgroup analysis against a parent: facts from the perovskite literature.

The irreps that can carry a breaking are the non-identity irreps of G whose restriction
to H contains H's identity irrep (A1g restricts to it too, with multiplicity 1, but is the
invariant part and lowers nothing).
Oh → C4v (BaTiO3 Pm-3m → P4mm): {Eg, T1u} — the polar mode GM4- (T1u) and the tetragonal
strain GM3+ (Eg); 6 domains (Aizu m-3mF4mm).
Oh → D4h (SrTiO3 I4/mcm, a0a0c−; P4/mbm, a0a0c+): {Eg}, 3 orientational domains,
and a doubled primitive cell (octahedral rotations at R or M) → 2 translational.
Oh → C3v (R3m): {T2g, A2u, T1u}, 8 domains (polar T1u along [111], rhombohedral shear T2g).
Space-group types (ITA maximal subgroups): P4mm (99) lies below Pm-3m (221) and Im-3m (229)
but not below Ia-3d (230), whose 4-fold axes are all 4₁/4₃ screws.
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.io.cell import Cell
from symbreak_cli.io.structures import read_structures
from symbreak_cli.groups import PointGroup, branching_table, breaking_irreps
from symbreak_cli.symmetry.parent import is_space_subgroup, parent_analysis, parent_group_by_name
from symbreak_cli.symmetry.setting import align_subgroup, match_lattices
from symbreak_cli.symmetry.types import Frame, GroupSubgroup
from symbreak_cli.workflows._group_results import character_table_model


def cell(sample_dir, name: str) -> Cell:
    return read_structures(str(sample_dir / name))[0]


def breaking(a: GroupSubgroup) -> set[str]:
    """The irreps the report marks as able to carry the breaking."""
    assert isinstance(a, GroupSubgroup)
    table = character_table_model(a.G, a.H, a.matrix_tolerance)
    return {ir.label for ir in table.irreps if ir.breaking}


def test_batio3_tetragonal_in_cubic(sample_dir):
    a = parent_analysis(cell(sample_dir, "BaTiO3_P4mm.cif"), cell(sample_dir, "BaTiO3_Pm-3m.cif"))
    assert (a.G.hm, a.H.hm, a.index) == ("m-3m", "4mm", 6)
    assert (a.orientational_domains, a.translational_domains, a.total_domains) == (6, 1, 6)
    assert breaking(a) == {"Eg", "T1u"}
    # the multiplicities stay: A1g restricts to A1 once, as do Eg and T1u
    assert dict(breaking_irreps(a.G, a.H)) == {"Eg": 1, "T1u": 1}
    assert (a.parent_space_group, a.child_space_group) == ("Pm-3m", "P4mm")
    assert a.frame is Frame.PARENT_STANDARD and a.frame_basis.shape == (3, 3) and a.alignment is None
    # c/a = 4.03/3.99: shape strain ≈ ⅔·1% along c, nothing like 5 %
    assert 0.004 < a.lattice.max_strain < 0.01 and a.max_strain == 0.05
    # 1o (polar vector along the 4-fold) is the lowest harmonic gaining an invariant
    row = next(r for r in branching_table(a.G, a.H, a.lmax) if r.irrep == "1o")
    assert (row.n_invariant, row.n_invariant_child) == (0, 1) and "z" in row.new_invariants[0]


@pytest.mark.parametrize("child", ["SrTiO3_I4mcm.cif", "perovskite_a0a0c+_P4mbm.cif"])
def test_octahedral_rotations_double_the_cell(sample_dir, child):
    a = parent_analysis(cell(sample_dir, child), cell(sample_dir, "SrTiO3_Pm-3m.cif"))
    assert (a.G.hm, a.H.hm) == ("m-3m", "4/mmm")
    assert (a.orientational_domains, a.translational_domains, a.total_domains) == (3, 2, 6)
    assert breaking(a) == {"Eg"}
    assert a.lattice.max_strain < 1e-6
    assert abs(round(np.linalg.det(a.lattice.supercell))) in (2, 4)  # P (10 atoms) or I (20 atoms, centred)


def test_parent_at_another_volume_still_matches(sample_dir):
    # BaTiO3 cubic (a = 4.00 Å) is 7 % larger in volume than SrTiO3's 3.905 Å: shape matches
    a = parent_analysis(cell(sample_dir, "perovskite_a0a0c+_P4mbm.cif"), cell(sample_dir, "BaTiO3_Pm-3m.cif"))
    assert a.total_domains == 6 and a.lattice.volume_strain < -0.05 and a.lattice.max_strain < 1e-6


def test_child_in_a_rotated_frame(sample_dir):
    c = cell(sample_dir, "SrTiO3_I4mcm.cif")
    t = 0.7
    Q = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]]) @ np.array(
        [[1, 0, 0], [0, np.cos(0.4), -np.sin(0.4)], [0, np.sin(0.4), np.cos(0.4)]])
    turned = Cell(c.lattice @ Q.T, c.positions @ Q.T, c.numbers, c.symbols, True, "turned")
    a = parent_analysis(turned, cell(sample_dir, "SrTiO3_Pm-3m.cif"))
    assert (a.H.hm, a.total_domains) == ("4/mmm", 6)


@pytest.mark.parametrize("name", ["Pm-3m", "221", "Oh", "m-3m", "P 4/m -3 2/m"])
def test_parent_group_names_agree(sample_dir, name):
    a = parent_analysis(cell(sample_dir, "BaTiO3_P4mm.cif"), parent_group=name)
    assert (a.G.hm, a.H.hm, a.orientational_domains) == ("m-3m", "4mm", 6)
    assert breaking(a) == {"Eg", "T1u"}
    assert a.translational_domains is None and a.lattice is None and a.total_domains is None
    assert a.frame is Frame.NAMED_GROUP and a.frame_basis is None and a.parent_kind == "group"


def test_space_group_number_names_its_point_group():
    assert parent_group_by_name("140")[1:] == ("I4/mcm", 140)
    assert parent_group_by_name("140")[0].schoenflies == "D4h"
    with pytest.raises(OptionError, match="--parent-group"):
        parent_group_by_name("231")


def test_rhombohedral_child_is_turned_into_the_cubic_frame(sample_dir):
    a0, e = 4.0, 0.003
    L = np.array([[a0, e, e], [e, a0, e], [e, e, a0]])
    frac = np.array([[0, 0, 0], [0.51, 0.51, 0.51], [0.5, 0.5, 0.01], [0.5, 0.01, 0.5], [0.01, 0.5, 0.5]])
    r3m = Cell(L, frac @ L, np.array([56, 22, 8, 8, 8]), ("Ba", "Ti", "O", "O", "O"), True, "R3m")
    for kw in ({"parent": cell(sample_dir, "BaTiO3_Pm-3m.cif")}, {"parent_group": "Pm-3m"}):
        a = parent_analysis(r3m, **kw)
        assert (a.child_space_group, a.H.schoenflies, a.orientational_domains) == ("R3m", "C3v", 8)
        assert breaking(a) == {"T2g", "A2u", "T1u"}


def test_not_a_supergroup_is_a_clear_error(sample_dir):
    with pytest.raises(SymmetryError, match="not a supergroup"):
        parent_analysis(cell(sample_dir, "SrTiO3_Pm-3m.cif"), cell(sample_dir, "BaTiO3_P4mm.cif"))
    with pytest.raises(SymmetryError, match="not a supergroup"):
        parent_analysis(cell(sample_dir, "SrTiO3_Pm-3m.cif"), parent_group="4/mmm")


def test_molecules_in_different_frames(sample_dir):
    a = parent_analysis(cell(sample_dir, "NH3.xyz"), cell(sample_dir, "CH4.xyz"))
    assert (a.G.schoenflies, a.H.schoenflies, a.orientational_domains) == ("Td", "C3v", 4)
    assert breaking(a) == {"T2"}
    assert a.parent_kind == "molecule" and a.total_domains is None
    assert a.frame is Frame.PARENT_INPUT and np.array_equal(a.frame_basis, np.eye(3))
    # NH3's axis is not along one of CH4's 3-folds as read: H was rotated into G
    Q = a.alignment
    assert Q is not None and np.allclose(Q @ Q.T, np.eye(3)) and abs(np.linalg.det(Q) - 1) < 1e-9


def test_align_subgroup_conjugates_into_the_parent():
    G = PointGroup.named("Oh")
    H = PointGroup.named("D3d")  # 3-fold along z: not inside Oh as named
    Q = align_subgroup(G, H)
    assert (G.index_of(Q @ H.matrices @ Q.T) >= 0).all()
    assert abs(np.linalg.det(Q) - 1) < 1e-9
    with pytest.raises(SymmetryError):
        align_subgroup(G, PointGroup.named("D6h"))


def test_lattice_matching_finds_the_root2_cell():
    cubic = np.eye(3) * 3.9
    child = np.diag([3.9 * 2**0.5, 3.9 * 2**0.5, 7.8])
    N, E, dv = next(match_lattices(child, cubic))
    assert round(abs(np.linalg.det(N))) == 4 and np.abs(E).max() < 1e-9 and abs(dv) < 1e-9
    assert sorted(np.abs(N).sum(axis=1).tolist()) == [2, 2, 2]  # (1,1,0), (−1,1,0), (0,0,2)


def test_parent_of_the_other_kind_is_refused(sample_dir):
    crystal, molecule = cell(sample_dir, "BaTiO3_P4mm.cif"), cell(sample_dir, "SF6.xyz")
    with pytest.raises(SymmetryError, match=r"is a crystal but --parent .*SF6.xyz is a molecule.*--parent-group Oh"):
        parent_analysis(crystal, molecule)
    with pytest.raises(SymmetryError, match=r"is a molecule but --parent .*BaTiO3_Pm-3m.cif is a crystal"):
        parent_analysis(cell(sample_dir, "NH3.xyz"), cell(sample_dir, "BaTiO3_Pm-3m.cif"))


def test_space_group_types_below_a_space_group():
    assert is_space_subgroup(99, 221) and is_space_subgroup(99, 229) and not is_space_subgroup(99, 230)
    assert is_space_subgroup(140, 221) and is_space_subgroup(225, 221)   # I4/mcm (a0a0c−), Fm-3m (k-subgroup)
    assert is_space_subgroup(62, 221) and not is_space_subgroup(221, 62)  # Pnma below the cubic perovskite
    assert is_space_subgroup(78, 76)  # P4_3 is an isomorphic (index-3) subgroup type of P4_1


def test_named_space_group_is_checked_beyond_its_point_group(sample_dir):
    child = cell(sample_dir, "BaTiO3_P4mm.cif")
    assert parent_analysis(child, parent_group="Im-3m").parent_space_group_number == 229
    # Ia-3d has point group m-3m ⊃ 4mm, but no pure 4-fold axis: P4mm is not a subgroup
    with pytest.raises(SymmetryError, match=r"P4mm \(99\) is not a subgroup of --parent-group Ia-3d \(230\)"):
        parent_analysis(child, parent_group="Ia-3d")
    with pytest.raises(SymmetryError, match="names a space group"):
        parent_analysis(cell(sample_dir, "NH3.xyz"), parent_group="Pm-3m")
