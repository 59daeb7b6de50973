"""Pseudo-symmetry search (symmetry.pseudo): facts from the literature and from geometry.

* CaTiO3 (Pbnm, Yamanaka et al. 2002, tests/data): the cubic aristotype Pm-3m (221) is
  found within 1 Å at index 24, through the tilt-system intermediates (Imma a0b−b−,
  P4/mbm a0a0c+, Cmcm) of Howard & Stokes (Acta Cryst. B54, 782 (1998)); its idealised
  structure is the textbook cubic perovskite in the √2×√2×2 cell, and the displacements
  are those to it, computed here from the published coordinates.
* BaTiO3 P4mm (sample): Pm-3m with the displacement of the least-squares origin along
  the polar axis, computed here from the sample's coordinates.
* Random triclinic structures: an inversion-symmetric one shaken by 0.02 Å gives P-1 within
  0.02 Å; without the inversion, nothing within the bound (several seeds).
* The answer does not depend on the setting (axes permuted, origin shifted, atoms reordered).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from symbreak_cli.io.cell import Cell
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.detect import spglib_dataset
from symbreak_cli.symmetry.parent import _maximal_subgroup_types, is_space_subgroup
from symbreak_cli.symmetry.pseudo import IDEAL_SYMPREC_A, pseudo_search

DATA = Path(__file__).resolve().parents[1] / "data"
CATIO3 = DATA / "CaTiO3_Pbnm_AMCSD0002890.cif"
#: cubic perovskite sites in the Pbnm √2×√2×2 cell (Ti at the inversion centres 4b)
IDEAL_PBNM = {"Ca": [(0, 0, 0.25)], "Ti": [(0.5, 0, 0)], "O": [(0, 0.5, 0.25), (0.75, 0.25, 0)]}


@pytest.fixture(scope="module")
def catio3() -> Cell:
    return read_structures(str(CATIO3))[0]


@pytest.fixture(scope="module")
def catio3_search(catio3):
    return pseudo_search(catio3, max_displacement=1.0)


def _nearest_ideal(cell: Cell) -> np.ndarray:
    """Each atom's nearest cubic-perovskite site (Pbnm fractional), over the site's Pbnm orbit."""
    ops = [(np.diag(d), t) for d, t in [((1, 1, 1), (0, 0, 0)), ((1, 1, -1), (0, 0, .5)), ((-1, -1, 1), (0, 0, .5)),
                                         ((1, -1, 1), (.5, .5, .5)), ((-1, 1, -1), (.5, .5, .5)), ((-1, 1, 1), (.5, .5, 0)),
                                         ((1, -1, -1), (.5, .5, 0)), ((-1, -1, -1), (0, 0, 0))]]
    out = []
    for s, x in zip(cell.symbols, cell.fractional):
        sites = np.array([R @ np.array(p) + np.array(t) for p in IDEAL_PBNM[s] for R, t in ops])
        d = sites - x
        d -= np.round(d)
        k = int(np.argmin(np.linalg.norm(d @ cell.lattice, axis=1)))
        out.append(x + d[k])
    return np.array(out)


def test_catio3_finds_the_cubic_aristotype_and_the_tilt_intermediates(catio3, catio3_search):
    s = catio3_search
    assert (s.hm, s.number) == ("Pnma", 62)
    found = {c.number: c for c in s.candidates}
    assert {221, 74, 127, 63} <= set(found)  # Pm-3m, Imma (a0b-b-), P4/mbm (a0a0c+), Cmcm
    cubic = found[221]
    assert cubic.index == 24 and (cubic.point_group_index, cubic.lattice_index) == (6, 4)
    assert cubic.chain[0] == ("Pnma", 62) and cubic.chain[-1] == ("Pm-3m", 221)
    # the displacements are those to the cubic perovskite, from the published coordinates
    d = _nearest_ideal(catio3) - catio3.fractional
    expected = np.linalg.norm(d @ catio3.lattice, axis=1)
    assert cubic.max_displacement == pytest.approx(expected.max(), abs=1e-6)
    assert cubic.mean_displacement == pytest.approx(expected.mean(), abs=1e-6)
    assert 0.3 < cubic.max_displacement < 1.0  # beyond a symprec ladder's reach below ~0.4 Å, within PSEUDO's bound
    ideal = cubic.structure.fractional
    diff = ideal - _nearest_ideal(catio3)
    assert np.abs(diff - np.round(diff)).max() < 1e-9


def test_every_candidate_is_a_true_supergroup_with_an_exact_idealisation(catio3_search):
    for c in catio3_search.candidates:
        assert c.max_displacement <= 1.0
        ds = spglib_dataset(c.structure, IDEAL_SYMPREC_A)
        assert (int(ds.number), ds.international) == (c.number, c.hm)  # re-detects as the candidate, not more
        for (_, a), (_, b) in zip(c.chain, c.chain[1:]):  # each step a maximal subgroup in the ITA tables
            assert a != b and a in _maximal_subgroup_types()[b] and is_space_subgroup(a, b)
        n_prim = len(set(np.asarray(ds.mapping_to_primitive).tolist()))
        assert c.lattice_index == 20 // n_prim  # primitive cells: child 20 atoms, G n_prim atoms


def test_nested_groups_cost_at_least_their_subgroups_displacement(catio3_search):
    """The G-average is a projection onto a subspace of each subgroup's: the total squared
    displacement can only grow up a chain.
    """
    by_chain = {c.chain: c for c in catio3_search.candidates}
    compared = 0
    for c in catio3_search.candidates:
        sub = by_chain.get(c.chain[:-1])
        if sub is not None:
            assert np.sum(c.displacements ** 2) >= np.sum(sub.displacements ** 2) - 1e-9
            compared += 1
    assert compared >= 3  # Pbam → P4/mbm → P4/mmm → Pm-3m at least


def test_batio3_p4mm_to_cubic_with_the_least_squares_polar_origin(sample_dir):
    cell = read_structures(str(sample_dir / "BaTiO3_P4mm.cif"))[0]
    s = pseudo_search(cell, max_displacement=1.0)
    found = {c.number: c for c in s.candidates}
    assert set(found) == {123, 221}  # P4/mmm (adds the inversion), Pm-3m
    assert [n for _, n in found[221].chain] == [99, 123, 221]
    z = cell.fractional[:, 2]
    ideal = np.array([0.0, 0.5, 0.5, 0.5, 1.0])  # Ba 1a, Ti, O(2e), O(2e), O(1c) of the cubic cell (input order)
    dev = z - ideal
    dev -= dev.mean()  # the origin along c is free in P4mm: least squares fixes it
    expected = np.abs(dev) * cell.lattice[2, 2]
    for c in found.values():
        assert c.max_displacement == pytest.approx(expected.max(), abs=1e-6)
        assert np.allclose(np.abs(c.displacements[:, 2]), expected, atol=1e-6)
        assert np.allclose(c.displacements[:, :2], 0, atol=1e-9)
    assert found[221].max_displacement == pytest.approx(0.0903, abs=5e-4)
    assert found[221].index == 6 and found[221].strain > 0 and found[123].strain < 1e-12  # c/a → 1 only in the cube


def _triclinic(seed: int, centrosymmetric: bool) -> Cell:
    rng = np.random.default_rng(seed)
    a, b, c = 5.0, 6.3, 7.7
    al, be, ga = np.radians(rng.uniform(70, 78, 3))
    L = np.array([[a, 0, 0], [b * np.cos(ga), b * np.sin(ga), 0], [0, 0, 0]])
    cx = c * np.cos(be)
    cy = c * (np.cos(al) - np.cos(be) * np.cos(ga)) / np.sin(ga)
    L[2] = [cx, cy, np.sqrt(c * c - cx * cx - cy * cy)]
    x = rng.uniform(0, 1, (3, 3))
    other = (2 * rng.uniform(0, 1, 3) - x) if centrosymmetric else rng.uniform(0, 1, (3, 3))
    frac = np.vstack([x, other])
    cart = frac @ L
    shake = rng.normal(size=cart.shape)
    cart += 0.02 * shake / np.linalg.norm(shake, axis=1, keepdims=True)
    numbers = np.array([8, 14, 26, 8, 14, 26])
    return Cell(L, cart, numbers, ("O", "Si", "Fe", "O", "Si", "Fe"), True, f"triclinic-{seed}")


@pytest.mark.parametrize("name, chain", [("SrTiO3_I4mcm.cif", [140, 123, 221]), ("perovskite_a0a0c+_P4mbm.cif", [127, 123, 221])])
def test_tilted_samples_climb_through_p4mmm_whose_structure_is_already_cubic(sample_dir, name, chain):
    """a0a0c- and a0a0c+ with a cubic metric: the P4/mmm average is the cubic perovskite
    itself, so P4/mmm is a step of the chain, not a candidate.
    """
    s = pseudo_search(read_structures(str(sample_dir / name))[0])
    assert [(c.number, c.index) for c in s.candidates] == [(221, 6)]
    assert [n for _, n in s.candidates[0].chain] == chain


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_triclinic_inversion_found_and_absent_without_it(seed):
    with_inv = pseudo_search(_triclinic(seed, True), max_displacement=0.1)
    assert with_inv.number == 1
    inv = [c for c in with_inv.candidates if c.number == 2]
    assert inv and inv[0].index == 2 and 0 < inv[0].max_displacement <= 0.02 + 1e-9
    without = pseudo_search(_triclinic(seed, False), max_displacement=0.1)
    assert without.number == 1 and without.candidates == ()


@pytest.mark.parametrize("seed", [0, 1])
def test_same_answer_in_an_equivalent_setting(catio3, catio3_search, seed):
    rng = np.random.default_rng(seed)
    perm = [1, 2, 0]  # axes (a, b, c) -> (b, c, a): still right-handed
    order = rng.permutation(catio3.n_atoms)
    frac = (catio3.fractional[:, perm] + rng.uniform(-1, 1, 3))[order]  # an origin shift as well
    L = np.diag(np.diag(catio3.lattice)[perm])
    cell = Cell(L, frac @ L, catio3.numbers[order], tuple(catio3.symbols[i] for i in order), True, "moved")
    s = pseudo_search(cell, max_displacement=1.0)

    def summary(search):
        return sorted((c.number, c.index, round(c.max_displacement, 6), round(c.mean_displacement, 6))
                      for c in search.candidates)

    assert summary(s) == summary(catio3_search)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_noisy_p1_child_recovers_its_group_and_the_aristotype(sample_dir, seed):
    """BaTiO3 P4mm with every atom moved 0.01 Å at random is P1 at symprec 1e-3: the search
    finds P4mm within the noise and Pm-3m within the noise of the clean 0.090 Å. (The
    displacement to P4mm is the noise projected off the P4mm structures: an orthogonal
    projection, so its root-mean-square is at most the noise's, 0.01 Å.)
    """
    c = read_structures(str(sample_dir / "BaTiO3_P4mm.cif"))[0]
    rng = np.random.default_rng(seed)
    shake = rng.normal(size=c.positions.shape)
    cell = Cell(c.lattice, c.positions + 0.01 * shake / np.linalg.norm(shake, axis=1, keepdims=True), c.numbers,
                c.symbols, True, "noisy")
    s = pseudo_search(cell)
    assert s.number == 1
    found = {c.number: c for c in s.candidates}
    p4mm, cubic = found[99], found[221]
    assert p4mm.index == 8 and np.sqrt(np.mean(np.sum(p4mm.displacements ** 2, axis=1))) <= 0.01 + 1e-9
    assert cubic.index == 48 and abs(cubic.max_displacement - 0.0903) <= 0.02
