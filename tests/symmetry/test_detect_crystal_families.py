"""Space groups, Bravais lattices and Pearson symbols of textbook structures across the
crystal families — every expected value is from the literature (ITA, Pearson's Handbook)."""

from __future__ import annotations

import pytest
from ase.build import bulk
from ase.spacegroup import crystal

from symbreak_cli.io.structures import _from_ase
from symbreak_cli.symmetry.detect import crystal_symmetry


def _structures():
    return {
        # name: (atoms, number, HM, point group HM, Schoenflies, Bravais, Pearson)
        "NaCl rocksalt": (bulk("NaCl", "rocksalt", a=5.64), 225, "Fm-3m", "m-3m", "Oh", "cF", "cF8"),
        "Si diamond": (bulk("Si", "diamond", a=5.431), 227, "Fd-3m", "m-3m", "Oh", "cF", "cF8"),
        "Mg hcp": (bulk("Mg", "hcp", a=3.21, c=5.21), 194, "P6_3/mmc", "6/mmm", "D6h", "hP", "hP2"),
        "ZnO wurtzite": (bulk("ZnO", "wurtzite", a=3.25, c=5.21, u=0.382), 186, "P6_3mc", "6mm", "C6v", "hP", "hP4"),
        "TiO2 rutile": (crystal(["Ti", "O"], basis=[(0, 0, 0), (0.305, 0.305, 0)], spacegroup=136,
                                cellpar=[4.594, 4.594, 2.959, 90, 90, 90]), 136, "P4_2/mnm", "4/mmm", "D4h", "tP", "tP6"),
        "Al2O3 corundum": (crystal(["Al", "O"], basis=[(0, 0, 0.352), (0.306, 0, 0.25)], spacegroup=167,
                                   cellpar=[4.759, 4.759, 12.99, 90, 90, 120]), 167, "R-3c", "-3m", "D3d", "hR", "hR10"),
        "W bcc": (bulk("W", "bcc", a=3.165), 229, "Im-3m", "m-3m", "Oh", "cI", "cI2"),
        "CsCl": (bulk("CsCl", "cesiumchloride", a=4.12), 221, "Pm-3m", "m-3m", "Oh", "cP", "cP2"),
    }


@pytest.mark.parametrize("name", list(_structures()))
def test_textbook_crystals(name):
    atoms, number, hm, pg, schoenflies, bravais, pearson = _structures()[name]
    sym = crystal_symmetry(_from_ase(atoms, name, "", False), symprec=1e-3)
    assert (sym.number, sym.hm_short, sym.point_group_hm, sym.point_group_schoenflies) == (number, hm, pg, schoenflies)
    assert (sym.bravais, sym.pearson) == (bravais, pearson)


def test_primitive_and_conventional_cells_agree():
    """The fcc primitive cell (1 atom per lattice point) and the conventional cubic cell give
    the same group; Wyckoff multiplicities are per conventional cell in both (Na 4a, Cl 4b)."""
    prim = crystal_symmetry(_from_ase(bulk("NaCl", "rocksalt", a=5.64), "p", "", False), 1e-3)
    conv = crystal_symmetry(_from_ase(bulk("NaCl", "rocksalt", a=5.64, cubic=True), "c", "", False), 1e-3)
    assert prim.number == conv.number == 225
    for sym in (prim, conv):
        assert sorted((o.element, o.multiplicity, o.wyckoff) for o in sym.wyckoff) == [("Cl", 4, "b"), ("Na", 4, "a")]
