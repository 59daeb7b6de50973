"""`symbreak detect FILE --write DIR`: every written structure is re-detected by spglib
itself and has the literature space group (SrTiO3 below 105 K: I4/mcm, 140; BaTiO3
tetragonal: P4mm, 99); the symmetrised structure is exactly symmetric (found at symprec
1e-5 although the input had noise of 2e-4 Å); NH3 stays C3v. Existing files need --force.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import spglib
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.io.cell import Cell
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.detect import molecule_symmetry
from symbreak_cli.testing import validate_report

runner = CliRunner()


def _spglib_number(path, symprec=1e-5):
    c = read_structures(str(path))[0]
    return spglib.get_symmetry_dataset(c.spglib_cell, symprec=symprec).number, c.n_atoms


def _write(*args):
    r = runner.invoke(app, ["detect", *map(str, args), "--no-ladder", "--json"])
    return r, (json.loads(r.stdout) if r.stdout.strip() else None)


def test_written_crystals_keep_the_space_group(tmp_path, sample_dir):
    out = tmp_path / "out"
    r, doc = _write(sample_dir / "SrTiO3_I4mcm.cif", "--write", out)
    assert r.exit_code == 0, r.stderr
    validate_report(doc)
    written = doc["results"][0]["written"]
    names = sorted(p.rsplit("/", 1)[-1] for p in written)
    assert names == sorted(f"SrTiO3_I4mcm_{w}.{e}" for w in ("conventional", "primitive", "symmetrised") for e in ("cif", "vasp"))
    atoms = {}
    for p in written:
        number, n = _spglib_number(p)
        assert number == 140, p
        atoms[p.rsplit("_", 1)[-1]] = n
    # I4/mcm with 20 atoms in the conventional cell, 10 in the primitive (body-centred) one
    assert atoms["conventional.cif"] == 20 and atoms["primitive.cif"] == 10 and atoms["symmetrised.cif"] == 20
    assert not list(out.glob(".*tmp"))  # atomic writes leave no temporary files


def test_symmetrised_structure_is_exactly_symmetric(tmp_path, sample_dir):
    c = read_structures(str(sample_dir / "BaTiO3_P4mm.cif"))[0]
    rng = np.random.default_rng(1)
    noisy = c.positions + rng.normal(scale=2e-4, size=c.positions.shape)
    from ase import Atoms
    from ase.io import write

    src = tmp_path / "noisy.cif"
    write(src, Atoms(numbers=c.numbers, positions=noisy, cell=c.lattice, pbc=True), format="cif")
    assert spglib.get_symmetry_dataset(read_structures(str(src))[0].spglib_cell, symprec=1e-5).number == 1
    r, doc = _write(src, "--write", tmp_path / "out")
    assert r.exit_code == 0, r.stderr
    assert doc["results"][0]["crystal"]["space_group_number"] == 99
    for p in doc["results"][0]["written"]:
        assert _spglib_number(p)[0] == 99, p


def test_symmetrised_molecule_keeps_its_point_group(tmp_path, sample_dir):
    r, doc = _write(sample_dir / "NH3.xyz", "--write", tmp_path)
    assert r.exit_code == 0, r.stderr
    (path,) = doc["results"][0]["written"]
    assert path.endswith("NH3_symmetrised.xyz")
    m = read_structures(path)[0]
    assert isinstance(m, Cell) and not m.periodic
    assert molecule_symmetry(m, 1e-4).schoenflies == "C3v"


def test_existing_files_need_force(tmp_path, sample_dir):
    src = sample_dir / "BaTiO3_P4mm.cif"
    assert _write(src, "--write", tmp_path)[0].exit_code == 0
    target = tmp_path / "BaTiO3_P4mm_conventional.cif"
    target.write_text("keep me")
    r, _ = _write(src, "--write", tmp_path)
    assert r.exit_code == 1 and "--force" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert target.read_text() == "keep me"
    r, _ = _write(src, "--write", tmp_path, "--force")
    assert r.exit_code == 0 and _spglib_number(target)[0] == 99
    (tmp_path / "afile").write_text("")
    r, _ = _write(src, "--write", tmp_path / "afile")
    assert r.exit_code == 1 and "not a directory" in r.stderr


def test_a_slab_in_a_written_batch_keeps_its_analysis(tmp_path, sample_dir):
    """--write over a slab and a crystal: the slab's layer group (MoS2 monolayer, p-6m2,
    layer group 78) is still reported, with a warning that it was not written; the crystal
    is written as usual."""
    slab = Path(__file__).resolve().parents[1] / "symmetry" / "layer_data" / "MoS2_p-6m2.extxyz"
    out = tmp_path / "out"
    r, doc = _write(slab, sample_dir / "BaTiO3_P4mm.cif", "--write", out)
    assert r.exit_code == 0, r.stderr
    validate_report(doc)
    by_name = {Path(x["path"]).name: x for x in doc["results"]}
    mos2 = by_name["MoS2_p-6m2.extxyz"]
    assert mos2.get("error") is None and mos2["layer"]["layer_group_number"] == 78
    assert not mos2["written"] and any("not written" in w and "slab" in w for w in mos2["warnings"])
    assert by_name["BaTiO3_P4mm.cif"]["written"]
