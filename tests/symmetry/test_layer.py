"""Layer groups of slabs (pbc along two lattice vectors): spglib's layer search, named as
such, checked against the Bilbao LAYER groups / spglib's and ASR's tests (layer_data/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from ase import Atoms
from ase.build import fcc100, fcc111, graphene

from symbreak_cli.errors import SymmetryError
from symbreak_cli.io.checks import make_cell
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry.detect import analyse_cell
from symbreak_cli.symmetry.layer import layer_cell, layer_symmetry

DATA = Path(__file__).parent / "layer_data"


def _cell(atoms: Atoms, pbc=(True, True, False), name="slab.extxyz"):
    return make_cell(atoms.cell.array, atoms.positions, atoms.numbers, atoms.get_chemical_symbols(), all(pbc), name, "",
                     pbc=pbc)


SLABS = [  # (builder, layer-group number, HM, point group Schoenflies, order)
    (lambda: graphene(vacuum=5.0), 80, "p6/mmm", "D6h", 24),
    (lambda: fcc111("Au", (1, 1, 1), vacuum=4.0), 80, "p6/mmm", "D6h", 24),
    (lambda: fcc100("Cu", (1, 1, 3), vacuum=5.0), 61, "p4/mmm", "D4h", 16),
    (lambda: fcc100("Cu", (1, 1, 2), vacuum=5.0), 64, "p4/nmm", "D4h", 16),
    (lambda: fcc111("Cu", (1, 1, 3), vacuum=5.0), 72, "p-3m1", "D3d", 12),
]


@pytest.mark.parametrize("build, number, hm, schoenflies, order", SLABS)
def test_slab_layer_group_is_the_literature_one(build, number, hm, schoenflies, order):
    s = layer_symmetry(_cell(build()), symprec=1e-3)
    assert (s.number, s.hm_short, s.point_group_schoenflies, s.point_group_order) == (number, hm, schoenflies, order)
    assert s.n_operations == order  # a primitive layer cell: one operation per point-group element


def test_mos2_from_spglib_tests_is_p_6m2():
    (cell,) = read_structures(str(DATA / "MoS2_p-6m2.extxyz"))
    assert cell.pbc == (True, True, False) and cell.partially_periodic
    s = analyse_cell(cell, symprec=1e-5).symmetry
    assert (s.number, s.hm_short, s.point_group_schoenflies) == (78, "p-6m2", "D3h")
    assert s.lattice_system == "hexagonal" and s.aperiodic_axis == 2


@pytest.mark.parametrize("build, number", [(b, n) for b, n, *_ in SLABS])
def test_every_operation_maps_the_slab_onto_itself(build, number):
    """Numerics, not spglib's word: each (W, w) sends every atom onto an atom of its element,
    periodic images allowed only along the periodic vectors; a wrong operation does not."""
    cell = _cell(build())
    s = layer_symmetry(cell, symprec=1e-3)
    lat, frac, axis = layer_cell(cell)

    def maps(W, w):
        img = frac @ W.T + w
        d = img[:, None, :] - frac[None, :, :]
        periodic = np.array([k != axis for k in range(3)])
        d[..., periodic] -= np.round(d[..., periodic])
        dist = np.linalg.norm(d @ lat, axis=-1)
        dist[cell.numbers[:, None] != cell.numbers[None, :]] = np.inf
        return bool(np.all(dist.min(axis=1) < 1e-6))

    assert all(maps(W, w) for W, w in zip(s.rotations, s.translations))
    shift = np.zeros(3)
    shift[axis] = 0.37  # a translation off the layer is no symmetry: the check can fail
    assert not maps(np.eye(3, dtype=int), shift)


def test_oblique_box_vector_and_any_non_periodic_axis_give_the_same_group():
    import spglib

    slab = fcc100("Cu", (1, 1, 3), vacuum=5.0)
    lat = slab.cell.array.copy()
    lat[2] = [1.0, 0.7, lat[2, 2]]  # box vector tilted: spglib alone on this cell says p-1
    oblique = Atoms(slab.numbers, positions=slab.positions, cell=lat)
    raw = spglib.get_symmetry_layerdataset((lat, oblique.get_scaled_positions(), oblique.numbers), 2, 1e-3)
    assert raw.number == 2
    assert layer_symmetry(_cell(oblique), 1e-3).number == 61
    perm = [2, 0, 1]  # the same slab with the non-periodic vector first: pbc F T T
    turned = Atoms(slab.numbers, positions=slab.positions[:, perm], cell=slab.cell.array[perm][:, perm])
    s = layer_symmetry(_cell(turned, pbc=(False, True, True)), 1e-3)
    assert (s.number, s.aperiodic_axis) == (61, 0)


def test_zero_box_vector_is_read_and_analysed(tmp_path):
    p = tmp_path / "graphene.extxyz"
    p.write_text('2\nLattice="2.46 0 0 -1.23 2.1304225 0 0 0 0" pbc="T T F"\nC 0 0 0\nC 1.23 0.7101408 0\n')
    (cell,) = read_structures(str(p))
    assert abs(np.linalg.det(cell.lattice)) > 1  # the box is built, the periodic vectors kept
    np.testing.assert_allclose(cell.lattice[:2], [[2.46, 0, 0], [-1.23, 2.1304225, 0]])
    assert layer_symmetry(cell, 1e-3).number == 80


def test_buckled_graphene_loses_the_mirror_and_the_ladder_finds_it_back():
    g = graphene(vacuum=5.0)
    g.positions[0, 2] += 0.02
    g.positions[1, 2] -= 0.02  # silicene-like buckling: p-3m1 (72)
    a = analyse_cell(_cell(g), symprec=1e-3, ladder_tolerances=np.geomspace(1e-3, 0.3, 8), max_displacement=0.05)
    assert (a.symmetry.number, a.symmetry.hm_short) == (72, "p-3m1")
    assert a.approximate.number == 80 and a.approximate.max_displacement == pytest.approx(0.02, abs=1e-6)
    bn = graphene("BN", vacuum=5.0)  # h-BN: the two sublattices differ, no inversion: p-6m2 (78)
    assert layer_symmetry(_cell(bn), 1e-3).number == 78


def test_rod_is_refused_naming_file_and_periodicity():
    rod = Atoms("C2", positions=[[0, 0, 0], [0, 0, 1.3]], cell=[8, 8, 2.6])
    with pytest.raises(SymmetryError, match=r'^rod.extxyz: is periodic along c only \(pbc="F F T"\): a rod has a rod group'):
        analyse_cell(_cell(rod, pbc=(False, False, True), name="rod.extxyz"))


def test_slab_with_parent_is_refused():
    cell = _cell(graphene(vacuum=5.0))
    with pytest.raises(SymmetryError, match="is a slab"):
        analyse_cell(cell, parent_group="6/mmm")


def test_cli_reports_the_layer_group(tmp_path):
    from typer.testing import CliRunner

    from symbreak_cli.cli.app import app

    path = str(DATA / "MoS2_p-6m2.extxyz")
    out = CliRunner().invoke(app, ["detect", path, "--json", "--no-ladder"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["schema"] == "symbreak.detect/2"
    (r,) = doc["results"]
    assert r["crystal"] is None and r["molecule"] is None and r["pbc"] == [True, True, False]
    lg = r["layer"]
    assert (lg["layer_group_number"], lg["hm_short"], lg["point_group_schoenflies"], lg["aperiodic_axis"]) == \
        (78, "p-6m2", "D3h", "c")
    assert len(lg["operations"]) == lg["n_operations"] == 12
    table = CliRunner().invoke(app, ["detect", path, "--no-ladder"], env={"COLUMNS": "80"})
    assert table.exit_code == 0 and "p-6m2 (layer 78)" in table.stdout


def test_cli_rod_is_one_line_error(tmp_path):
    from typer.testing import CliRunner

    from symbreak_cli.cli.app import app

    p = tmp_path / "chain.extxyz"
    p.write_text('2\nLattice="8 0 0 0 8 0 0 0 2.6" pbc="F F T"\nC 0 0 0\nC 0 0 1.3\n')
    out = CliRunner().invoke(app, ["detect", str(p)])
    assert out.exit_code == 1
    assert f'{p}: is periodic along c only (pbc="F F T")' in out.output and "Traceback" not in out.output


def test_write_refuses_a_slab_rather_than_symmetrise_it_as_a_molecule():
    from symbreak_cli.symmetry.standardize import standard_cells

    with pytest.raises(SymmetryError, match="is a slab: --write"):
        standard_cells(_cell(graphene(vacuum=5.0)))
