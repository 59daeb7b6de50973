"""What the reader notices but does not refuse reaches the user: in the JSON and a table."""

import json

from typer.testing import CliRunner

from symbreak_cli.cli.app import app

# rock salt written with one Cl 0.3 Å from Na: too close to be a real crystal, far from a duplicate
CLOSE_ATOMS = """\
data_close
_cell_length_a 5.64
_cell_length_b 5.64
_cell_length_c 5.64
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
Na1 Na 0 0 0
Cl1 Cl 0.5 0.5 0.5
Cl2 Cl 0.0532 0 0
"""


def test_close_atoms_warning_in_json_and_table(tmp_path):
    f = tmp_path / "close.cif"
    f.write_text(CLOSE_ATOMS)
    res = CliRunner().invoke(app, ["detect", str(f), "--json", "--no-ladder"])
    assert res.exit_code == 0, res.output
    entry = json.loads(res.stdout)["results"][0]
    assert entry["n_atoms"] == 3
    assert any("0.3" in w for w in entry["warnings"]), entry["warnings"]
    table = CliRunner().invoke(app, ["detect", str(f), "--no-ladder"])
    assert table.exit_code == 0 and "Warnings" in table.stdout
