"""Symmetry-mode decomposition (symmetry.modes.decompose) against literature facts.

* BaTiO3 P4mm against Pm-3m: a polar [001] distortion, GM4- only, strain GM1+ and GM3+.
* SrTiO3 I4/mcm (a0a0c-, φ ≈ 2.1°): R4+ only (B cation at the origin), with Ap from the
  oxygen displacement: the two equatorial oxygens of each parent cell move by
  u = (a_p/2)·tan φ, so Ap = √2·u (Ap per parent cell: √(Σ|u|² per cell)).
* a0a0c+ P4/mbm: M3+ only. Howard & Stokes, Acta Cryst. B54, 782 (1998).
* CaTiO3 Pbnm (a−a−c+), Yamanaka, Hirai & Komatsu, Am. Mineral. 87, 1183 (2002),
  AMCSD 0002890: the primary tilts R4+ and M3+ and the antipolar X5+ are the three
  largest, in that order (e.g. Benedek & Fennie, J. Phys. Chem. C 117, 13339 (2013)).
* Completeness (Σ Ap² = Ap_total²) and setting invariance (axes permuted, origin moved by a
  parent lattice vector, atoms reordered).
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.errors import SymmetryError
from symbreak_cli.io.cell import Cell
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.modes import decompose


def _read(name):
    return read_structures(f"sample_data/{name}")[0]


def _present(d, share=1e-6):
    return [r for r in d.irreps if r.share > share]


#: Yamanaka et al. (2002), CaTiO3 x = 0, Pbnm: cell and asymmetric unit
_CTO_CELL = (5.4043, 5.4224, 7.6510)
_CTO_SITES = [("Ca", (0.99160, 0.01230, 0.25)), ("Ti", (0.5, 0.0, 0.0)), ("O", (0.05860, 0.46870, 0.25)),
              ("O", (0.71300, 0.28800, 0.03710))]
_PBNM = [((1, 1, 1), (0, 0, 0)), ((1, 1, -1), (0, 0, .5)), ((-1, -1, 1), (0, 0, .5)), ((1, -1, 1), (.5, .5, .5)),
         ((-1, 1, -1), (.5, .5, .5)), ((-1, 1, 1), (.5, .5, 0)), ((1, -1, -1), (.5, .5, 0)), ((-1, -1, -1), (0, 0, 0))]


def cato3() -> Cell:
    frac, symbols = [], []
    for el, x in _CTO_SITES:
        for signs, t in _PBNM:
            y = (np.array(signs) * x + t) % 1.0
            if not any(np.abs((y - z + 0.5) % 1 - 0.5).max() < 1e-6 for z, s in zip(frac, symbols) if s == el):
                frac.append(y)
                symbols.append(el)
    L = np.diag(_CTO_CELL)
    Z = {"Ca": 20, "Ti": 22, "O": 8}
    return Cell(L, np.array(frac) @ L, np.array([Z[s] for s in symbols]), tuple(symbols), True, source="CaTiO3_Pbnm")


def cubic_cato3(child: Cell) -> Cell:
    a = (abs(np.linalg.det(child.lattice)) / 4) ** (1 / 3)
    frac = np.array([[0.5, 0.5, 0.5], [0, 0, 0], [0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]])
    L = np.eye(3) * a
    return Cell(L, frac @ L, np.array([20, 22, 8, 8, 8]), ("Ca", "Ti", "O", "O", "O"), True, source="CaTiO3_Pm-3m")


@pytest.fixture(scope="module")
def pnma():
    child = cato3()
    return child, decompose(cubic_cato3(child), child, origin="Ti")


def test_batio3_polar_is_gm4_minus_with_tetragonal_strain():
    d = decompose(_read("BaTiO3_Pm-3m.cif"), _read("BaTiO3_P4mm.cif"), origin="Ti")
    (only,) = _present(d)
    assert (only.label, only.isotropy_hm, only.direction_text) == ("GM4-", "P4mm", "(a,0,0)")
    assert only.n_modes == 3  # Ba, Ti, two O kinds along z, less the uniform translation
    strain = {s.label: s.amplitude for s in d.strain}
    assert strain["GM1+"] > 1e-4 and strain["GM3+"] > 1e-3 and strain["GM5+"] < 1e-9


def test_srtio3_antiphase_tilt_is_r4_plus_with_the_analytic_amplitude():
    child = _read("SrTiO3_I4mcm.cif")
    d = decompose(_read("SrTiO3_Pm-3m.cif"), child, origin="Ti")
    (only,) = _present(d, 1e-9)
    assert (only.label, only.isotropy_hm, only.isotropy_number) == ("R4+", "I4/mcm", 140)
    # the equatorial O at (1/4 - δ, 1/4 + δ, 0) of the √2 × √2 × 2 cell: tan φ = 4δ
    o = next(x for s, x in zip(child.symbols, child.fractional) if s == "O" and abs(x[2]) < 1e-6 and abs(x[0]) > 0.1)
    delta = abs(o[1] - 0.25) if abs(o[0] - 0.25) < 0.05 else abs(o[0] - 0.25)
    a_p = child.lattice[0, 0] / np.sqrt(2)
    phi = np.arctan(4 * delta)
    assert abs(np.degrees(phi) - 2.1) < 0.05
    analytic = np.sqrt(2) * (a_p / 2) * np.sin(phi)
    assert abs(only.amplitude_parent - analytic) / analytic < 0.01
    assert abs(only.amplitude_child - only.amplitude_parent * 2) < 1e-9  # As = Ap √(Vs/Vp), Vs = 4 Vp


def test_inphase_tilt_is_m3_plus():
    d = decompose(_read("SrTiO3_Pm-3m.cif"), _read("perovskite_a0a0c+_P4mbm.cif"), origin="Ti")
    (only,) = _present(d, 1e-9)
    assert (only.label, only.isotropy_hm) == ("M3+", "P4/mbm")


def test_a_site_origin_gives_the_other_labels():
    d = decompose(_read("SrTiO3_Pm-3m.cif"), _read("SrTiO3_I4mcm.cif"), origin="Sr")
    assert [r.label for r in _present(d, 1e-9)] == ["R5-"]
    assert d.origin.startswith("Sr")


def test_pnma_tilts_and_antipolar_order(pnma):
    child, d = pnma
    assert d.child_hm == "Pnma"
    top = [r.label for r in d.irreps[:3]]
    assert top == ["R4+", "M3+", "X5+"]
    by = {r.label: r for r in d.irreps}
    assert by["R4+"].isotropy_hm == "Imma" and by["M3+"].isotropy_hm == "P4/mbm"
    assert {r.label for r in _present(d, 1e-8)} <= {"R4+", "M3+", "X5+", "R5+", "M2+", "X3-", "M4+"}


def test_amplitudes_are_complete(pnma):
    child, d = pnma
    assert abs(sum(r.amplitude_parent ** 2 for r in d.irreps) - d.total_parent ** 2) < 1e-6
    # the child-cell modes rebuild the displacement field exactly
    rebuilt = sum(np.einsum("k,kni->ni", r.mode_amplitudes, r.modes) for r in d.irreps if r.n_modes)
    assert np.abs(rebuilt - d.matching.displacements).max() < 1e-8
    for r in d.irreps:
        if r.n_modes:
            assert np.abs(np.einsum("kni,lni->kl", r.modes, r.modes) - np.eye(r.n_modes)).max() < 1e-8


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_child_in_an_equivalent_setting(pnma, seed):
    """Axes permuted cyclically, origin moved by a parent lattice vector and anywhere, atoms reordered."""
    child, d = pnma
    rng = np.random.default_rng(seed)
    perm = np.roll(np.arange(3), seed + 1)
    # a parent lattice vector (pseudo-cubic step (1/2, 1/2, 0) of the Pbnm cell) and an arbitrary origin
    frac0 = child.fractional + np.array([0.5, 0.5, 0.0]) + rng.random(3)
    L = child.lattice[perm]
    frac = frac0[:, perm] % 1.0
    order = rng.permutation(child.n_atoms)
    moved = Cell(L, (frac @ L)[order], child.numbers[order], tuple(np.array(child.symbols)[order]), True, source="moved")
    e = decompose(cubic_cato3(child), moved, origin="Ti")
    a = {r.label: r.amplitude_parent for r in d.irreps}
    b = {r.label: r.amplitude_parent for r in e.irreps}
    assert a.keys() == b.keys()
    assert max(abs(a[k] - b[k]) for k in a) < 1e-6
    assert [r.label for r in e.irreps[:3]] == ["R4+", "M3+", "X5+"]


def test_a_child_of_another_composition_is_refused():
    with pytest.raises(SymmetryError, match="composition"):
        decompose(_read("BaTiO3_Pm-3m.cif"), _read("SrTiO3_I4mcm.cif"))


def test_amplitudes_equal_textbook_character_projections(pnma):
    """Ap of every irrep equals ‖P_R u‖ / √(parent cells) with the character projector
    P_R = (d_R/|G|) Σ_g χ_R(g) Γ(g) built from explicit 3n × 3n matrices Γ(g) (1e-10) —
    no symmetry-adapted basis involved (every irrep of Pm-3m at Γ, X, M, R is of real type,
    so χ_R is the irrep's own character). Negative control: the projector of another irrep
    of the same dimension gives another amplitude for the leading R4+.
    """
    from symbreak_cli.symmetry.modes import _hull_field

    _, d = pnma
    ms = d.modeset
    sc = ms.group
    u, _ = _hull_field(ms, d.parent, d.matching)
    n = sc.perms.shape[1]
    gamma = np.zeros((sc.order, n, 3, n, 3))
    for g in range(sc.order):
        gamma[g, sc.perms[g], :, np.arange(n), :] = sc.cart[g]
    gamma = gamma.reshape(sc.order, 3 * n, 3 * n)

    def ap(block):
        chi = np.trace(block.matrices, axis1=1, axis2=2)
        P = block.irrep_dimension / sc.order * np.tensordot(chi, gamma, axes=(0, 0))
        return float(np.linalg.norm(P @ u.ravel()) / np.sqrt(sc.n_cells))

    by = {r.label: r for r in d.irreps}
    for b in ms.blocks:
        assert abs(ap(b) - by[b.label].amplitude_parent) < 1e-10, b.label
    other = next(b for b in ms.blocks if b.label == "R4-")
    assert abs(ap(other) - by["R4+"].amplitude_parent) > 1e-3
