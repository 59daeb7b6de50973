"""Partial occupancy read as disorder: one atom type per species/occupancy mixture, named in a
warning; checked against the literature and against pymatgen's SpacegroupAnalyzer, which
treats each distinct species/occupancy composition as one type too.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from symbreak_cli.errors import InputError
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.detect import crystal_symmetry

DATA = Path(__file__).parent / "disorder_data"

_BCC = """data_FeCo
_cell_length_a 2.857
_cell_length_b 2.857
_cell_length_c 2.857
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
_symmetry_space_group_name_H-M 'P 1'
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
Fe1 Fe 0 0 0 0.5
Co1 Co 0 0 0 0.5
Fe2 Fe 0.5 0.5 0.5 {fe}
Co2 Co 0.5 0.5 0.5 {co}
"""


def test_solid_solution_with_vacancies_has_its_literature_group():
    (cell,) = read_structures(str(DATA / "SrYCoO_I4mmm_srycoo.cif"))
    assert cell.disordered and cell.n_atoms == 80
    assert crystal_symmetry(cell, symprec=1e-3).number == 139  # I4/mmm (Istomin et al. 2003)
    (note,) = [w for w in cell.warnings if "disorder" in w]
    assert "Sr 0.7 + Y 0.3 (16 atoms)" in note and "O 0.25 + vacancy 0.75 (8 atoms)" in note


@pytest.mark.parametrize("fe, co, number", [
    ("0.5", "0.5", 229),  # both sites the same mixture: disordered FeCo is bcc (A2), Im-3m
    ("0.6", "0.4", 221),  # two mixtures: the body centre is another type, Pm-3m (B2-like)
    ("1.0", "0.0", 221),  # one mixture and pure Fe: Pm-3m
])
def test_same_mixture_is_one_type_and_another_mixture_is_not(tmp_path, fe, co, number):
    p = tmp_path / "FeCo.cif"
    p.write_text(_BCC.format(fe=fe, co=co))
    (cell,) = read_structures(str(p))
    assert cell.n_atoms == 2 and crystal_symmetry(cell, symprec=1e-3).number == number


def _analyzer_number(structure) -> int:
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SpacegroupAnalyzer(structure, symprec=1e-3).get_space_group_number()


@pytest.mark.parametrize("replace, expected", [
    (None, 225),  # every Na site Na 0.5 + K 0.5: still rock salt, Fm-3m
    (0, 221),  # one cation site Na only: the others are another type, Pm-3m
])
def test_disordered_pymatgen_json_agrees_with_pymatgen(tmp_path, replace, expected):
    from pymatgen.core import Lattice, Structure

    s = Structure.from_spacegroup("Fm-3m", Lattice.cubic(5.64), [{"Na": 0.5, "K": 0.5}, "Cl"],
                                  [[0, 0, 0], [0.5, 0.5, 0.5]])
    if replace is not None:
        s.replace(replace, "Na")
    p = tmp_path / "disordered.json"
    p.write_text(json.dumps(s.as_dict()))
    (cell,) = read_structures(str(p))
    assert cell.n_atoms == 8 and cell.disordered
    got = crystal_symmetry(cell, symprec=1e-3).number
    assert got == _analyzer_number(s) == expected
    assert any("K 0.5 + Na 0.5" in w for w in cell.warnings)


def test_srycoo_agrees_with_pymatgen_reading():
    from pymatgen.io.cif import CifParser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = CifParser(str(DATA / "SrYCoO_I4mmm_srycoo.cif")).parse_structures(primitive=False)[0]
    assert _analyzer_number(s) == 139 and len(s) == 80


def test_overfull_place_is_one_clean_error(tmp_path):
    p = tmp_path / "over.cif"
    p.write_text(_BCC.format(fe="0.9", co="0.5"))
    with pytest.raises(InputError, match=r"sites Fe2, Co2 share one place with occupancies adding up to 1.4"):
        read_structures(str(p))


def test_half_occupied_site_contradicting_the_formula_is_an_error(tmp_path):
    """NaCl whose Cl is written half occupied while its formula says Na Cl, Z = 4."""
    text = (Path(__file__).parent / "data" / "NaCl_old_style_Fm3m.cif").read_text()
    p = tmp_path / "half.cif"
    p.write_text(text.replace("Cl1 Cl- 0.5 0.5 0.5 1.0", "Cl1 Cl- 0.5 0.5 0.5 0.5"))
    with pytest.raises(InputError, match=r"6 atoms were read \(2 Cl\) but the file's _chemical_formula_sum"):
        read_structures(str(p))
    p.write_text(text.replace("Cl1 Cl- 0.5 0.5 0.5 1.0", "Cl1 Cl- 0.5 0.5 0.5 0.5").replace("'Na Cl'", "'Na Cl0.5'"))
    (cell,) = read_structures(str(p))
    assert crystal_symmetry(cell, symprec=1e-3).number == 225
    assert any("Cl 0.5 + vacancy 0.5 (4 atoms)" in w for w in cell.warnings)


def test_cli_names_the_mixtures_in_json_and_table():
    from typer.testing import CliRunner

    from symbreak_cli.cli.app import app

    path = str(DATA / "SrYCoO_I4mmm_srycoo.cif")
    out = CliRunner().invoke(app, ["detect", path, "--json", "--no-ladder", "--no-operations"])
    assert out.exit_code == 0, out.output
    (r,) = json.loads(out.stdout)["results"]
    assert r["crystal"]["space_group_number"] == 139 and r["disordered"] is True
    assert any("Sr 0.7 + Y 0.3" in w for w in r["warnings"])
    table = CliRunner().invoke(app, ["detect", path, "--no-ladder"], env={"COLUMNS": "80"})
    text = " ".join(table.stdout.split())
    assert "species/occupancy mixture" in text.replace("│ │", "")


def test_disordered_molecule_reading_keeps_the_types_and_write_refuses(tmp_path):
    from symbreak_cli.errors import SymmetryError
    from symbreak_cli.symmetry.standardize import standard_cells

    p = tmp_path / "FeCo.cif"
    p.write_text(_BCC.format(fe="0.6", co="0.4"))
    (mol,) = read_structures(str(p), molecule=True)
    assert not mol.periodic and mol.disordered and len(set(mol.site_types)) == 2
    with pytest.raises(SymmetryError, match="is disordered"):
        standard_cells(read_structures(str(p))[0])
