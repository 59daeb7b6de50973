"""Every malformed input is one clean InputError naming the file and the field — never a molecule by fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symbreak_cli.errors import InputError
from symbreak_cli.io.structures import read_structures

NACL = (Path(__file__).parent / "data" / "NaCl_old_style_Fm3m.cif").read_text()
_H2 = "H 0 0 0\nH 0 0 0.74\n"


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("no_b.cif", NACL.replace("_cell_length_b    5.6402", ""), "no _cell_length_b"),
        ("zero_b.cif", NACL.replace("_cell_length_b    5.6402", "_cell_length_b 0"), "_cell_length_b is 0 Å"),
        ("neg_c.cif", NACL.replace("_cell_length_c    5.6402", "_cell_length_c -3"), "_cell_length_c is -3 Å"),
        ("inf_a.cif", NACL.replace("_cell_length_a    5.6402", "_cell_length_a inf"), "_cell_length_a is 'inf'"),
        ("gamma.cif", NACL.replace("_cell_angle_gamma 90", "_cell_angle_gamma 180"), "_cell_angle_gamma is 180"),
        ("flat.cif", NACL.replace("_cell_angle_alpha 90", "_cell_angle_alpha 120").replace(
            "_cell_angle_beta  90", "_cell_angle_beta 120").replace("_cell_angle_gamma 90", "_cell_angle_gamma 120"),
         "do not form a cell"),
        ("huge.cif", NACL.replace("Na1 Na+ 0.0 0.0 0.0", "Na1 Na+ 1e308 0.0 0.0"), "site 'Na1' has an absurd"),
        ("unknown.cif", NACL.replace("Na1 Na+ 0.0 0.0 0.0", "Na1 Na+ ? 0.0 0.0"), "site 'Na1' has a missing"),
        ("twice.cif", NACL.replace("Cl1 Cl- 0.5 0.5 0.5 1.0", "Cl1 Cl- 0.5 0.5 0.5 1.0\nCl2 Cl- 0.5 0.5 0.5 1.0"),
         r"atoms \d+ \(Cl\) and \d+ \(Cl\) are at the same place"),
        ("POSCAR_scale0", "x\n0\n4 0 0\n0 4 0\n0 0 4\nNa\n1\nDirect\n0 0 0\n", "scale factor \\(line 2\\) is '0'"),
        ("POSCAR_zero", "x\n1\n0 0 0\n0 0 0\n0 0 0\nNa\n1\nDirect\n0 0 0\n", "lattice vector a has zero length"),
        ("POSCAR_flat", "x\n1\n4 0 0\n8 0 0\n0 0 4\nNa\n1\nDirect\n0 0 0\n", "singular"),
        ("POSCAR_huge", "x\n1\n4 0 0\n0 4 0\n0 0 4\nNa\n2\nDirect\n0 0 0\n0 0 1e308\n", "atom 2 \\(Na\\) has a fractional"),
        ("POSCAR_short", "x\n1\n4 0 0\n0 4 0\n0 0 4\nNa\n3\nDirect\n0 0 0\n0 0 0.5\n", "its counts say 3 atoms"),
        ("nolattice.extxyz", '2\npbc="T T T"\n' + _H2, 'declares pbc="T T T" but has no Lattice'),
        ("zerovolume.extxyz", '2\nLattice="4 0 0 8 0 0 0 0 4" pbc="T T T"\n' + _H2, "Lattice is singular"),
        ("slab.extxyz", '2\nLattice="4 0 0 8 0 0 0 0 20" pbc="T T F"\n' + _H2, "periodic lattice vectors a and b are parallel"),
        ("huge.xyz", "2\n\nH 0 0 0\nH 0 0 1e308\n", "atom 2 \\(H\\) has a coordinate of 1e\\+308 Å"),
        ("same.xyz", "2\n\nH 0 0 0\nH 0 0 0.0001\n", "atoms 1 \\(H\\) and 2 \\(H\\) are at the same place"),
    ],
)
def test_malformed_file_is_one_clean_error(tmp_path, name, text, message):
    p = tmp_path / name
    p.write_text(text)
    with pytest.raises(InputError, match=message) as err:
        read_structures(str(p))
    assert str(err.value).startswith(str(p)) and "\n" not in str(err.value)


def test_slab_is_exposed_when_asked_for(tmp_path):
    p = tmp_path / "slab.extxyz"
    p.write_text('2\nLattice="4 0 0 0 4 0 0 0 20" pbc="T T F"\n' + _H2)
    (cell,) = read_structures(str(p), partial_pbc=True)
    assert cell.pbc == (True, True, False) and cell.partially_periodic and not cell.periodic


def test_close_atoms_are_a_warning(tmp_path):
    p = tmp_path / "close.xyz"
    p.write_text("2\n\nH 0 0 0\nH 0 0 0.3\n")
    (cell,) = read_structures(str(p))
    assert cell.warnings == ("atoms 1 (H) and 2 (H) are only 0.3 Å apart",)


def test_close_across_the_cell_boundary_counts(tmp_path):
    p = tmp_path / "POSCAR"
    p.write_text("x\n1\n4 0 0\n0 4 0\n0 0 4\nNa\n2\nDirect\n0 0 0.0001\n0 0 0.99995\n")
    with pytest.raises(InputError, match="same place"):
        read_structures(str(p))


@pytest.mark.parametrize("frame", [3, -4, -100])
def test_frame_out_of_range_both_ways(tmp_path, frame):
    block = '2\nLattice="4 0 0 0 4 0 0 0 4" pbc="T T T"\nH 0 0 0\nH 0 0 {z}\n'
    p = tmp_path / "three.extxyz"
    p.write_text("".join(block.format(z=z) for z in (0.74, 0.75, 0.76)))
    assert read_structures(str(p), frame=-3)[0].positions[1, 2] == pytest.approx(0.74)
    assert read_structures(str(p), frame=2)[0].positions[1, 2] == pytest.approx(0.76)
    with pytest.raises(InputError, match=f"has no frame {frame}"):
        read_structures(str(p), frame=frame)


def test_vasp4_without_names_reads_placeholder_types(tmp_path):
    p = tmp_path / "POSCAR"
    p.write_text("cell\n1\n4 0 0\n0 4 0\n0 0 4\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n")
    (cell,) = read_structures(str(p))
    assert cell.symbols == ("X1", "X2") and len(set(cell.numbers)) == 2 and "VASP 4" in cell.warnings[0]


def _pmg_objects():
    from pymatgen.alchemy.materials import TransformedStructure
    from pymatgen.core import Lattice, Molecule, Structure
    from pymatgen.entries.computed_entries import ComputedStructureEntry

    nacl = Structure.from_spacegroup("Fm-3m", Lattice.cubic(5.6402), ["Na", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    disordered = nacl.copy()
    disordered.replace(0, {"Na": 0.5, "K": 0.5})
    return nacl, {
        "structure.json": nacl.as_dict(),
        "molecule.json": Molecule(["O", "H", "H"], [[0, 0, 0], [0, 0.76, 0.59], [0, -0.76, 0.59]]).as_dict(),
        "transformed.json": TransformedStructure(nacl, []).as_dict(),
        "entry.json": ComputedStructureEntry(nacl, -10.0).as_dict(),
        "list.json": [nacl.as_dict(), nacl.as_dict()],
        "disordered.json": disordered.as_dict(),
        "not_structure.json": {"@module": "pymatgen.core.composition", "@class": "Composition", "Na": 1},
    }


def test_every_pymatgen_json_kind_is_read_or_refused_cleanly(tmp_path):
    nacl, docs = _pmg_objects()
    for name, doc in docs.items():
        (tmp_path / name).write_text(json.dumps(doc))
    read = {n: read_structures(str(tmp_path / n)) for n in ("structure.json", "molecule.json", "transformed.json",
                                                              "entry.json", "list.json")}
    for n in ("structure.json", "transformed.json", "entry.json"):
        (cell,) = read[n]
        assert cell.periodic and cell.n_atoms == len(nacl) == 8
        assert abs(cell.volume - nacl.volume) < 1e-8
    assert [c.n_atoms for c in read["list.json"]] == [8, 8]
    (mol,) = read["molecule.json"]
    assert not mol.periodic and mol.symbols == ("O", "H", "H")
    (dis,) = read_structures(str(tmp_path / "disordered.json"))  # read as disorder (tests/io/test_disorder.py)
    assert dis.disordered and any("K 0.5 + Na 0.5 (1 atom)" in w for w in dis.warnings)
    with pytest.raises(InputError, match="pymatgen Composition that holds no structure"):
        read_structures(str(tmp_path / "not_structure.json"))
