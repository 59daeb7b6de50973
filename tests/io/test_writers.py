"""Writers: what is written reads back as the same cell (to 1e-8), atomically and never over a file unasked."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from symbreak_cli.errors import OutputError
from symbreak_cli.io.structures import read_structures
from symbreak_cli.io.writers import write_structure
from symbreak_cli.symmetry.detect import spglib_dataset

DATA = Path(__file__).parent / "data"
CRYSTALS = ["CoAsS_alloclasite_P1211_symbol_only.cif", "graphite_P1_thirds_4dp.cif", "PbClO2_Ccca_amcsd0010179.cif",
            "POSCAR-111_F_0.0066A"]


def _same_sites(a, b, tol=1e-8):
    """Every atom of ``a`` has an atom of the same species in ``b`` within ``tol`` Å (periodic images counted)."""
    assert a.n_atoms == b.n_atoms and Counter(a.symbols) == Counter(b.symbols)
    d = a.fractional[:, None, :] - b.fractional[None, :, :]
    d -= np.round(d)
    dist = np.linalg.norm(d @ a.lattice, axis=-1)
    dist[np.array(a.symbols)[:, None] != np.array(b.symbols)[None, :]] = np.inf
    assert dist.min(axis=1).max() < tol


@pytest.mark.parametrize("name", CRYSTALS)
@pytest.mark.parametrize("out", ["x.cif", "POSCAR", "x.extxyz", "x.xyz"])
def test_round_trip_gives_the_same_cell(tmp_path, name, out):
    (cell,) = read_structures(str(DATA / name))
    (back,) = read_structures(str(write_structure(cell, tmp_path / out)))
    assert back.periodic
    if out == "x.cif":  # a CIF holds parameters, not a matrix; ours are read in ASE orientation both times
        assert np.allclose(back.lattice, cell.lattice, atol=1e-8)
    else:
        assert np.abs(back.lattice - cell.lattice).max() < 1e-8
    _same_sites(cell, back)
    if out != "POSCAR":  # POSCAR groups atoms by species
        assert back.symbols == cell.symbols


def test_cif_with_space_group_holds_the_asymmetric_unit(tmp_path):
    (cell,) = read_structures(str(DATA / "PbClO2_Ccca_amcsd0010179.cif"))
    ds = spglib_dataset(cell, symprec=1e-5)
    p = write_structure(cell, tmp_path / "asym.cif", spacegroup=(ds.international, ds.number),
                        operations=(ds.rotations, ds.translations), equivalent_atoms=ds.equivalent_atoms)
    text = p.read_text()
    assert "_symmetry_space_group_name_H-M 'Ccce'" in text or "'Ccca'" in text
    assert text.count(" 1\n") == len(set(ds.equivalent_atoms))  # one line per orbit: Pb, Cl, O
    (back,) = read_structures(str(p))
    _same_sites(cell, back)
    assert spglib_dataset(back, symprec=1e-5).number == 68


def test_molecule_round_trip_and_refusals(tmp_path, sample_dir):
    (mol,) = read_structures(str(sample_dir / "NH3.xyz"))
    (back,) = read_structures(str(write_structure(mol, tmp_path / "m.xyz")))
    assert not back.periodic and back.symbols == mol.symbols
    assert np.abs(back.positions - mol.positions).max() < 1e-8
    with pytest.raises(OutputError, match="a molecule has no cell"):
        write_structure(mol, tmp_path / "m.cif")
    with pytest.raises(OutputError, match="--force"):
        write_structure(mol, tmp_path / "m.xyz")
    write_structure(mol, tmp_path / "m.xyz", force=True)
    with pytest.raises(OutputError, match="cannot tell the format"):
        write_structure(mol, tmp_path / "m.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.xyz"]  # no temporary file left behind
