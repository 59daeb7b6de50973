"""Breaking crystals along space-group irreps: the isotropy subgroups ISODISTORT gives for
the perovskite order parameters, every domain re-detected, and the mode decomposition of
every domain against the parent's symmetry-adapted modes (the modes helper's
:func:`symbreak_cli.symmetry.irreps.displacement_modes`) holding the requested irrep at the
requested amplitude and nothing else.

Literature (Howard & Stokes, Acta Cryst. B54, 782 (1998); ISODISTORT, B-site origin):
GM4- (a,0,0) → P4mm (99), (a,a,0) → Amm2 (38), (a,a,a) → R3m (160);
R4+ (0,0,a) → I4/mcm (140, a⁰a⁰c⁻), M3+ (0,0,a) → P4/mbm (127, a⁰a⁰c⁺); both with
3 orientational × 2 translational domains (the doubled primitive cell).
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.breaking import break_along_irrep, break_structure
from symbreak_cli.symmetry.irreps import displacement_modes

AMPLITUDE = 0.1


def _parent(name: str):
    return read_structures(f"sample_data/{name}_Pm-3m.cif")[0]


def _decomposition(ms, reference, u) -> dict[str, float]:
    """Amplitude (Å) of u (atoms of ``reference``) in every irrep block of a mode set of the parent."""
    # the mode set's atoms, matched to the reference's by position modulo the supercell
    L = ms.cell.lattice
    d = (ms.cell.fractional[:, None, :] - np.linalg.solve(L.T, np.asarray(reference.positions).T).T[None, :, :])
    d -= np.rint(d)
    order = np.linalg.norm(d @ L, axis=2).argmin(axis=1)
    assert np.linalg.norm(d[np.arange(len(order)), order] @ L, axis=1).max() < 1e-6
    v = np.asarray(u)[order]
    return {b.label: float(np.linalg.norm(b.coordinates(v))) for b in ms.blocks}


def _only(dec: dict[str, float], label: str, amplitude: float) -> None:
    assert abs(dec[label] - amplitude) < 1e-6, dec
    assert all(a < 1e-6 for lab, a in dec.items() if lab != label), dec


@pytest.mark.parametrize("direction, number, n_domains", [("a,0,0", 99, 6), ("a,a,0", 38, 12), ("a,a,a", 160, 8)])
def test_batio3_gm4(direction, number, n_domains):
    parent = _parent("BaTiO3")
    b = break_along_irrep(parent, "GM4-", direction, AMPLITUDE)
    assert (b.target_number, b.n_domains, b.irrep.supercell.tolist()) == (number, n_domains, np.eye(3, dtype=int).tolist())
    ms = displacement_modes(parent, np.eye(3, dtype=int))
    for d in b.domains:
        assert d.check.ok and d.check.same_operations
        _only(_decomposition(ms, b.parent, d.domain.displacements), "GM4-", AMPLITUDE)


@pytest.mark.parametrize("target", ["P4mm", "Amm2", "R3m"])
def test_gamma_target_decomposes_into_gm4(target):
    """``--to`` at k = 0 builds its pattern from the O(3) object: still pure GM4- (T1u)."""
    parent = _parent("BaTiO3")
    b = break_structure(parent, target, AMPLITUDE)
    ms = displacement_modes(parent, np.eye(3, dtype=int))
    for d in b.domains:
        _only(_decomposition(ms, parent, d.domain.displacements), "GM4-", AMPLITUDE)


@pytest.fixture(scope="module")
def srtio3():
    parent = _parent("SrTiO3")
    runs = {lab: break_along_irrep(parent, lab, "0,0,a", AMPLITUDE, origin="Ti") for lab in ("R4+", "M3+")}
    return runs, displacement_modes(parent, runs["R4+"].irrep.supercell, origin="Ti")


@pytest.mark.parametrize("label, number", [("R4+", 140), ("M3+", 127)])
def test_srtio3_tilts(srtio3, label, number):
    runs, ms = srtio3
    b = runs[label]
    assert b.target_number == number
    assert (b.n_domains, b.G.order // b.H.order) == (6, 3)  # 3 orientational × 2 translational
    reps = [d.domain.symbol for d in b.domains]
    assert sum(s.startswith("{1|") for s in reps) == 2  # one antiphase domain reached by a lost translation
    assert np.array_equal(b.irrep.supercell, ms.supercell)
    for d in b.domains:
        assert d.check.ok and d.check.same_operations
        _only(_decomposition(ms, b.parent, d.domain.displacements), label, AMPLITUDE)


def test_to_a_zone_boundary_target_finds_its_irrep():
    """--to P4/mbm needs a doubled cell: the search lands on M3+ (a⁰a⁰c⁺, 3 × 2 domains);
    Pnma needs two irreps at once (R4+ and M3+), which no single direction gives.
    """
    parent = _parent("SrTiO3")
    b = break_structure(parent, "P4/mbm", AMPLITUDE)
    assert (b.irrep.label, b.target_number, b.n_domains) == ("M3+", 127, 6)
    assert all(d.check.ok for d in b.domains)
    with pytest.raises(SymmetryError, match="no single zone-boundary irrep"):
        break_structure(parent, "Pnma", AMPLITUDE)


def test_direction_and_label_errors():
    parent = _parent("BaTiO3")
    with pytest.raises(SymmetryError, match="keeps Amm2 .38., not P4mm"):
        break_along_irrep(parent, "GM4-", "a,a,0", AMPLITUDE, to="P4mm")
    with pytest.raises(SymmetryError, match="no irrep 'GM9-'"):
        break_along_irrep(parent, "GM9-", None, AMPLITUDE)
    with pytest.raises(OptionError, match="direction"):
        break_along_irrep(parent, "GM4-", "a,0", AMPLITUDE)
    with pytest.raises(OptionError, match="direction"):
        break_along_irrep(parent, "GM4-", "x+1,0,0", AMPLITUDE)
    with pytest.raises(OptionError, match="positive"):
        break_along_irrep(parent, "GM4-", "a,0,0", 0.0)
