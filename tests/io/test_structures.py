"""Reading every format users have, and refusing bad input with a clear message."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from symbreak_cli.errors import InputError, OptionError, OutputError
from symbreak_cli.io.structures import expand_inputs, read_structures
from symbreak_cli.workflows.sample_data import perovskite, structure_samples


def test_sample_data_is_regenerable(tmp_path, sample_dir):
    """The committed sample_data/ is exactly what `symbreak sample-data` writes."""
    from symbreak_cli.workflows.sample_data import write_sample_data

    written = write_sample_data(tmp_path)
    assert {p.name for p in written} <= {p.name for p in sample_dir.iterdir()}
    for p in written:
        assert p.read_bytes() == (sample_dir / p.name).read_bytes(), p.name
    with pytest.raises(OutputError, match="--force"):
        write_sample_data(tmp_path)


def test_every_format_reads_the_same_structure(tmp_path):
    from ase.io import write
    from pymatgen.io.ase import AseAtomsAdaptor

    atoms = perovskite(3.99, c=4.03, dz=(0.015, -0.024, -0.014, -0.014))
    paths = {"cif": tmp_path / "a.cif", "vasp": tmp_path / "POSCAR", "extxyz": tmp_path / "a.extxyz", "traj": tmp_path / "a.traj"}
    for fmt, p in paths.items():
        write(p, atoms, format=fmt)
    (tmp_path / "a.json").write_text(AseAtomsAdaptor.get_structure(atoms).to_json())
    paths["json"] = tmp_path / "a.json"
    for fmt, p in paths.items():
        (cell,) = read_structures(str(p))
        assert cell.periodic and cell.n_atoms == 5, fmt
        assert np.allclose(cell.lattice, atoms.cell.array, atol=1e-6), fmt
        assert np.allclose(cell.positions, atoms.positions, atol=1e-5), fmt
        assert cell.symbols == ("Ba", "Ti", "O", "O", "O"), fmt


def test_cif_with_two_data_blocks_gives_two_structures(tmp_path):
    text = structure_samples()
    p = tmp_path / "two.cif"
    p.write_text(text["BaTiO3_Pm-3m.cif"] + "\n" + text["BaTiO3_P4mm.cif"].replace("data_BaTiO3", "data_BaTiO3_tet"))
    cells = read_structures(str(p))
    assert len(cells) == 2 and all(c.label for c in cells)
    (second,) = read_structures(str(p), frame=1)
    assert second.positions[1, 2] == pytest.approx(0.515 * 4.03)  # the P4mm block's Ti z
    with pytest.raises(InputError, match="no data block 5"):
        read_structures(str(p), frame=5)


def test_trajectory_frames(tmp_path):
    from ase.io import write

    frames = []
    for k in range(3):
        a = perovskite(4.0)
        pos = a.get_positions()
        pos[1, 2] += 0.05 * k
        a.set_positions(pos)
        frames.append(a)
    write(tmp_path / "t.traj", frames)
    z = [read_structures(str(tmp_path / "t.traj"), frame=f)[0].positions[1, 2] for f in (0, 1, -1)]
    assert z == pytest.approx([2.0, 2.05, 2.10])
    with pytest.raises(InputError, match="no frame 7"):
        read_structures(str(tmp_path / "t.traj"), frame=7)


def test_molecule_override_and_stdin(monkeypatch, sample_dir):
    (cell,) = read_structures(str(sample_dir / "BaTiO3_Pm-3m.cif"), molecule=True)
    assert not cell.periodic and cell.lattice is None
    data = (sample_dir / "H2O.xyz").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    (cell,) = read_structures("-", fmt="xyz")
    assert cell.symbols == ("O", "H", "H")
    with pytest.raises(OptionError, match="--format"):
        read_structures("-")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.cif", b"", "file is empty"),
        ("noise.cif", os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00", "binary"),
        ("garbage.cif", b"this is not\na cif file at all\n", "cannot be read as CIF: line 1"),
        ("noatoms.cif", b"data_x\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\n_cell_angle_alpha 90\n"
                        b"_cell_angle_beta 90\n_cell_angle_gamma 90\n", "no atoms"),
        ("nan.xyz", b"2\n\nH 0 0 nan\nH 0 0 0.74\n", "non-finite"),
        ("same.xyz", b"2\n\nH 0 0 0\nH 0 0 0.0002\n", "same place"),
        ("structure.docx", b"hello", "unsupported file type .docx"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_structures(str(p))
    assert str(p) in str(err.value)


def test_missing_file_and_empty_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_structures(str(tmp_path / "missing.cif"))
    (tmp_path / "notes.txt").write_text("nothing here")
    with pytest.raises(InputError, match="no structure files"):
        expand_inputs([str(tmp_path)])


def test_directory_expands_to_structure_files_only(sample_dir):
    files = expand_inputs([str(sample_dir)])
    assert all(not f.endswith(".h5") for f in files) and len(files) == 11 and files == sorted(files)
