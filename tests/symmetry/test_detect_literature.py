"""Space and point groups of published structures — the answers are literature facts."""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.io.structures import read_structures
from symbreak_cli.workflows.sample_data import perovskite
from symbreak_cli.symmetry.detect import analyse_cell, crystal_symmetry, molecule_symmetry
from symbreak_cli.workflows.detect import DetectOptions, analyse


@pytest.mark.parametrize(
    "name, number, hm, pg_hm, pg_s, system",
    [
        ("BaTiO3_Pm-3m.cif", 221, "Pm-3m", "m-3m", "Oh", "cubic"),  # cubic perovskite above 393 K
        ("BaTiO3_P4mm.cif", 99, "P4mm", "4mm", "C4v", "tetragonal"),  # room-temperature ferroelectric
        ("SrTiO3_Pm-3m.cif", 221, "Pm-3m", "m-3m", "Oh", "cubic"),
        ("SrTiO3_I4mcm.cif", 140, "I4/mcm", "4/mmm", "D4h", "tetragonal"),  # a0a0c- below 105 K
        ("perovskite_a0a0c+_P4mbm.cif", 127, "P4/mbm", "4/mmm", "D4h", "tetragonal"),  # Glazer a0a0c+
    ],
)
def test_crystal_space_groups(sample_dir, name, number, hm, pg_hm, pg_s, system):
    (cell,) = read_structures(str(sample_dir / name))
    sym = crystal_symmetry(cell, symprec=1e-3)
    assert (sym.number, sym.hm_short, sym.point_group_hm, sym.point_group_schoenflies, sym.crystal_system) == (
        number, hm, pg_hm, pg_s, system)


def test_cubic_batio3_details(sample_dir):
    (cell,) = read_structures(str(sample_dir / "BaTiO3_Pm-3m.cif"))
    sym = crystal_symmetry(cell, 1e-3)
    assert sym.hm_full == "P 4/m -3 2/m" and sym.hall == "-P 4 2 3" and sym.pearson == "cP5" and sym.bravais == "cP"
    assert sym.n_operations == 48 and sym.point_group_order == 48
    # Pm-3m perovskite, B-site origin: Ba 1a, Ti 1b, O 3c (ITA Wyckoff positions), site symmetries m-3m, m-3m, 4/mmm
    orbits = {o.element: (o.multiplicity, o.wyckoff, o.site_symmetry.replace(".", "")) for o in sym.wyckoff}
    assert orbits["O"][0] == 3 and orbits["O"][2] == "4/mmm"
    assert {orbits["Ba"][1], orbits["Ti"][1]} == {"a", "b"} and {orbits["Ba"][0], orbits["Ti"][0]} == {1}
    assert orbits["O"][1] in ("c", "d")
    assert sym.rotations.shape == (48, 3, 3) and sym.rotations.dtype.kind == "i" and sym.translations.shape == (48, 3)
    seitz = set(sym.seitz)
    assert {"{1|0}", "{-1|0}", "{4+_[001]|0}", "{3+_[111]|0}", "{m_[001]|0}", "{2_[110]|0}"} <= seitz


def test_tetragonal_batio3_wyckoff(sample_dir):
    (cell,) = read_structures(str(sample_dir / "BaTiO3_P4mm.cif"))
    sym = crystal_symmetry(cell, 1e-3)
    # P4mm: Ba 1a (4mm), Ti 1b (4mm), O1 1b, O2 2c (2mm.)
    letters = sorted((o.element, o.multiplicity, o.wyckoff) for o in sym.wyckoff)
    assert letters == [("Ba", 1, "a"), ("O", 1, "b"), ("O", 2, "c"), ("Ti", 1, "b")]


@pytest.mark.parametrize(
    "name, schoenflies, order",
    [("CH4.xyz", "Td", 24), ("NH3.xyz", "C3v", 6), ("C6H6.xyz", "D6h", 24), ("SF6.xyz", "Oh", 48),
     ("H2O.xyz", "C2v", 4), ("C60.xyz", "Ih", 120)],
)
def test_molecule_point_groups(sample_dir, name, schoenflies, order):
    (cell,) = read_structures(str(sample_dir / name))
    assert not cell.periodic
    sym = molecule_symmetry(cell, 0.01)
    assert sym.schoenflies == schoenflies
    assert sym.order == order == len(sym.operations) == len(sym.symbols)
    assert sym.point_group.schoenflies == schoenflies and sym.tolerance == 0.01
    x = cell.positions - cell.positions.mean(axis=0)
    assert np.allclose(sym.centre, cell.positions.mean(axis=0))
    for R in sym.operations:  # every operation maps each atom onto an atom of the same element
        y = x @ R.T
        d = np.linalg.norm(y[:, None] - x[None], axis=-1)
        d[np.array(cell.numbers)[:, None] != np.array(cell.numbers)[None, :]] = np.inf
        assert d.min(axis=1).max() < 0.02 and len(set(d.argmin(axis=1))) == cell.n_atoms
    if schoenflies == "Ih":  # 6 C5 axes: 12 C5 + 12 C5² proper five-fold rotations
        assert sum(name.startswith("{5") for name in sym.symbols) == 24


def test_non_crystallographic_and_linear_molecules():
    from ase import Atoms

    # ferrocene-like eclipsed D5h: two parallel C5 rings
    ang = np.arange(5) * 2 * np.pi / 5
    ring = np.c_[1.2 * np.cos(ang), 1.2 * np.sin(ang), np.zeros(5)]
    d5h = Atoms("Fe" + "C10", positions=np.vstack([[0, 0, 0], ring + [0, 0, 1.65], ring - [0, 0, 1.65]]))
    c5v = Atoms("C5N", positions=np.vstack([ring, [0, 0, 1.0]]))
    co2 = Atoms("CO2", positions=[[0, 0, 0], [0, 0, 1.16], [0, 0, -1.16]])
    hcn = Atoms("HCN", positions=[[0, 0, -1.07], [0, 0, 0], [0, 0, 1.16]])
    from symbreak_cli.io.structures import _from_ase

    got = [molecule_symmetry(_from_ase(a, "mem", "", True), 0.01) for a in (d5h, c5v, co2, hcn)]
    assert [s.schoenflies for s in got] == ["D5h", "C5v", "D∞h", "C∞v"]
    assert [s.order for s in got] == [20, 10, None, None] and [s.linear for s in got] == [False, False, True, True]


@pytest.mark.parametrize("name, expected", [("H2O.xyz", "C2v"), ("C6H6.xyz", "D6h"), ("NH3.xyz", "C3v"), ("CH4.xyz", "Td")])
def test_molecule_approximate_symmetry_is_the_true_group(sample_dir, name, expected):
    """Large tolerances must not promote a molecule to a continuous or absurd group:
    the default ladder's approximate symmetry (≤ 0.1 Å) of an ideal molecule is its own group."""
    (cell,) = read_structures(str(sample_dir / name))
    res = analyse(cell, DetectOptions())
    assert res.approximate.group == expected and res.max_displacement == 0.1
    linear = [s for s in res.ladder if "∞" in s.group]
    assert all(s.max_displacement > 0.1 for s in linear)  # H2O at 0.5 Å: H atoms are ~0.6 Å off the axis


def test_ladder_finds_parent_of_slightly_displaced_ti(tmp_path):
    """Cubic BaTiO3 with Ti moved 0.01 Å along z: P4mm at 1e-3 Å, Pm-3m at 0.05 Å."""
    from ase.io import write

    atoms = perovskite(4.0)
    pos = atoms.get_positions()
    pos[1, 2] += 0.01
    atoms.set_positions(pos)
    path = tmp_path / "BaTiO3_Ti_dz0.01.vasp"
    write(path, atoms, format="vasp", direct=True)
    opts = DetectOptions(ladder_min=1e-3, ladder_max=0.05, ladder_steps=6)
    (cell,) = read_structures(str(path))
    res = analyse_cell(cell, ladder_tolerances=opts.tolerances, max_displacement=opts.max_displacement)
    by_tol = {round(s.tolerance, 6): s for s in res.ladder}
    assert by_tol[1e-3].number == 99 and by_tol[0.05].number == 221
    # symmetrising to Pm-3m moves Ti back by 0.01 Å (and nothing else): the displacement is that
    assert by_tol[0.05].max_displacement == pytest.approx(0.01, abs=2e-3)
    assert by_tol[1e-3].max_displacement == pytest.approx(0.0, abs=1e-9)
    assert res.approximate.number == 221


def test_tilt_displacement_is_rotation_amplitude(sample_dir):
    """I4/mcm SrTiO3 → Pm-3m costs the O displacement (a/2)·sin φ = 0.0716 Å for φ = 2.1°."""
    (cell,) = read_structures(str(sample_dir / "SrTiO3_I4mcm.cif"))
    res = analyse(cell, DetectOptions())
    cubic = [s for s in res.ladder if s.number == 221]
    assert cubic and cubic[0].max_displacement == pytest.approx(3.905 / 2 * np.sin(np.radians(2.1)), rel=0.02)
    assert res.approximate.number == 221  # within the default 0.1 Å
