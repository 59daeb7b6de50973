"""Reading real files right: each fixture's literature space group and atom count (tests/io/data/README.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from symbreak_cli.errors import InputError
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.detect import spglib_dataset

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    "name, n_atoms, counts, number",
    [
        ("NaCl_old_style_Fm3m.cif", 8, {"Na": 4, "Cl": 4}, 225),
        ("CoAsS_alloclasite_P1211_symbol_only.cif", 6, {"Co": 2, "As": 2, "S": 2}, 4),
        ("PbClO2_Ccca_amcsd0010179.cif", 40, {"Pb": 8, "Cl": 16, "O": 16}, 68),
        ("graphite_P1_thirds_4dp.cif", 4, {"C": 4}, 194),
        ("NaCl_vacancy_site_occupancy0.cif", 16, {"Na": 8, "Cl": 8}, 225),
        ("MnO_AFM2.mcif", 64, {"Mn": 32, "O": 32}, 225),
        ("NiO_magndata_1.6.mcif", 64, {"Ni": 32, "O": 32}, 225),
        ("Cr_incommensurate_magndata_1.1.4.mcif", 2, {"Cr": 2}, 229),
        ("R-3_finite_precision_pymatgen.cif", 72, None, 148),
        ("POSCAR-111_F_0.0066A", 20, {"K": 2, "Sb": 2, "F": 16}, 111),
        ("POSCAR-125-2_Se_0.0072A", 20, {"K": 2, "Ce": 2, "Se": 16}, 125),
    ],
)
def test_fixture_reads_as_the_literature_says(name, n_atoms, counts, number):
    (cell,) = read_structures(str(DATA / name))
    assert cell.periodic and cell.pbc == (True, True, True)
    assert cell.n_atoms == n_atoms and (counts is None or Counter(cell.symbols) == counts)
    assert spglib_dataset(cell, symprec=1e-5).number == number


def test_near_coincident_atoms_are_a_warning_not_a_refusal():
    (cell,) = read_structures(str(DATA / "POSCAR-111_F_0.0066A"))
    assert any("0.0066 Å apart" in w for w in cell.warnings)
    pos = cell.positions
    assert np.linalg.norm(pos[15] - pos[16]) == pytest.approx(0.0066, abs=5e-5)


def test_occupancy_zero_site_is_dropped_with_a_note():
    (cell,) = read_structures(str(DATA / "NaCl_vacancy_site_occupancy0.cif"))
    assert cell.warnings == ("dropped 1 site(s) with occupancy 0",)


def test_cell_is_read_in_ase_orientation():
    """a along x, b in the xy plane — the same matrix as ASE's cellpar_to_cell."""
    from ase.geometry import cellpar_to_cell

    (cell,) = read_structures(str(DATA / "CoAsS_alloclasite_P1211_symbol_only.cif"))
    assert np.allclose(cell.lattice, cellpar_to_cell([4.661, 5.602, 3.411, 90, 90.2, 90]), atol=1e-9)


_GENERAL = "\n".join(["data_g", "_symmetry_space_group_name_H-M '{hm}'", "_cell_length_a 5.1", "_cell_length_b {b}",
                      "_cell_length_c {c}", "_cell_angle_alpha 90", "_cell_angle_beta {beta}", "_cell_angle_gamma {gamma}",
                      "loop_", "_atom_site_label", "_atom_site_fract_x", "_atom_site_fract_y", "_atom_site_fract_z",
                      "C1 0.1123 0.2345 0.3456", ""])


@pytest.mark.parametrize(
    "hm, order, lattice",
    [  # multiplicity of the general position, International Tables vol. A
        ("C 1 2/m 1", 8, (6.2, 7.3, 101.0, 90)),
        ("P 1 21/c 1", 4, (6.2, 7.3, 101.0, 90)),
        ("P 21/c", 4, (6.2, 7.3, 101.0, 90)),
        ("P n m a", 8, (6.2, 7.3, 90, 90)),
        ("F m 3 m", 192, (5.1, 5.1, 90, 90)),
        ("Fm-3m", 192, (5.1, 5.1, 90, 90)),
        ("R -3", 18, (5.1, 13.0, 90, 120)),
        ("I 41/a m d", 32, (5.1, 9.0, 90, 90)),
    ],
)
def test_symbol_only_cif_expands_the_general_position(tmp_path, hm, order, lattice):
    b, c, beta, gamma = lattice
    p = tmp_path / "g.cif"
    p.write_text(_GENERAL.format(hm=hm, b=b, c=c, beta=beta, gamma=gamma))
    (cell,) = read_structures(str(p))
    assert cell.n_atoms == order


def test_ccca_file_operations_win_over_the_symbol():
    """ASE's own expansion of this file gives 56 atoms in Fmmm; the file's operations give 40 in Ccca."""
    (cell,) = read_structures(str(DATA / "PbClO2_Ccca_amcsd0010179.cif"))
    assert cell.n_atoms == 40


def test_thirds_are_snapped_only_when_written_short(tmp_path):
    from symbreak_cli.io.cif import snap_sixths

    assert snap_sixths("0.3333", 0.3333) == 1 / 3 and snap_sixths("0.6667(2)", 0.6667) == 2 / 3
    assert snap_sixths("0.333341", 0.333341) == 0.333341  # six decimals: a real coordinate
    assert snap_sixths("0.000011", 0.000011) == 0.000011


def test_bom_and_multiple_blocks(tmp_path):
    text = (DATA / "NaCl_old_style_Fm3m.cif").read_text()
    p = tmp_path / "two.cif"
    p.write_bytes(b"\xef\xbb\xbf" + (text + "\n" + text.replace("data_NaCl", "data_NaCl_b")).encode())
    cells = read_structures(str(p))
    assert [c.label for c in cells] == ["NaCl", "NaCl_b"] and all(c.n_atoms == 8 for c in cells)
    assert read_structures(str(p), frame=-1)[0].label == "NaCl_b"
    with pytest.raises(InputError, match="no data block -3"):
        read_structures(str(p), frame=-3)


def test_truncated_atom_loop_contradicts_the_formula(tmp_path):
    text = (DATA / "CoAsS_alloclasite_P1211_symbol_only.cif").read_text()
    p = tmp_path / "cut.cif"
    p.write_text(text.split("As 0.04766")[0])
    with pytest.raises(InputError, match=r"2 atoms were read .* means 6 .*truncated"):
        read_structures(str(p))


def test_missing_hydrogens_are_a_note_not_an_error(tmp_path):
    text = (DATA / "NaCl_old_style_Fm3m.cif").read_text().replace("'Na Cl'", "'Na Cl H2'")
    p = tmp_path / "noh.cif"
    p.write_text(text)
    (cell,) = read_structures(str(p))
    assert cell.n_atoms == 8 and "has 8 H but its atom list has 0" in cell.warnings[-1]


def test_pymatgen_fallback_reads_what_gemmi_cannot(tmp_path):
    """An unquoted value with a space is invalid CIF syntax; pymatgen's parser is forgiving."""
    text = (DATA / "NaCl_old_style_Fm3m.cif").read_text().replace("data_NaCl", "data_NaCl\n_journal_name Am Mineral")
    p = tmp_path / "sloppy.cif"
    p.write_text(text)
    (cell,) = read_structures(str(p))
    assert cell.n_atoms == 8 and spglib_dataset(cell, symprec=1e-5).number == 225
