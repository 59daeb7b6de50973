"""CDML labels of small irreps (symmetry._labels) against the Bilbao tables.

Reference: tests/data/bcs_irreps/SG<n>.json, the characters and labels of the small irreps at
the special k-points of Pnma (62), P4/mmm (123), I4/mmm (139), I4/mcm (140), P6/mmm (191),
P6_3/mmc (194), Pm-3m (221), Fm-3m (225) and Im-3m (229), as the Bilbao Crystallographic
Server (REPRES) gives them in CDML notation, the notation ISOTROPY and ISODISTORT print:
the ``irreptables`` data of github.com/irreducible-representations/irrep
(irreptables/irreptables/data/tables/irreps-SG=<n>-scal.dat, commit 5a82e29d3f38…; see
tests/data/bcs_irreps/README.md). k-points are in the conventional reciprocal basis,
operations in the conventional basis (ITA standard setting).

Each of our small irreps (spgrep's, labelled by :func:`irreps._label`) is matched to the one
table irrep with its characters; where our label carries a number without ``?`` it must be
the table's. The points and groups where every number is read are listed in ``_READ``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from symbreak_cli.io.cell import Cell
from symbreak_cli.io.structures import read_structures
from symbreak_cli.symmetry import _labels
from symbreak_cli.symmetry._induced import _small_irreps
from symbreak_cli.symmetry._supercell import standard_parent, symmetric_form
from symbreak_cli.symmetry.irreps import _label
from symbreak_cli.symmetry.modes import decompose

DATA = Path(__file__).parent.parent / "data" / "bcs_irreps"

_HEX = np.array([[3.0, 0, 0], [-1.5, 1.5 * np.sqrt(3), 0], [0, 0, 5.0]])

#: (lattice rows, fractional sites, numbers) of a structure with exactly that space group
_CELLS = {
    123: (np.diag([4.0, 4, 5]), [[0, 0, 0]], [1]),
    139: (np.diag([4.0, 4, 7]), [[0, 0, 0], [.5, .5, .5]], [1, 1]),
    191: (_HEX, [[0, 0, 0], [1 / 3, 2 / 3, .5], [2 / 3, 1 / 3, .5]], [13, 5, 5]),  # AlB2 type
    194: (_HEX, [[1 / 3, 2 / 3, .25], [2 / 3, 1 / 3, .75]], [1, 1]),  # hcp
    221: (np.eye(3) * 4, [[0, 0, 0]], [1]),
    225: (np.eye(3) * 4, [[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]], [1] * 4),
    229: (np.eye(3) * 4, [[0, 0, 0], [.5, .5, .5]], [1, 1]),
}

#: the (group, point) pairs whose every small irrep gets its CDML number: every special point of
#: the symmorphic groups (full-symmetry point at the origin), Γ of every group, and the points
#: of a non-symmorphic group where exp(2πi k·t) = 1 for its operations
_READ = {
    62: {"GM"}, 123: {"A", "GM", "M", "Z", "R", "X"}, 139: {"GM", "M", "P", "X", "N"}, 140: {"GM", "X"},
    191: {"A", "GM", "H", "K", "L", "M"}, 194: {"GM", "K", "M"}, 221: {"GM", "R", "M", "X"},
    225: {"GM", "X", "L", "W"}, 229: {"GM", "H", "P", "N"},
}


def _table(sg: int) -> dict:
    return json.loads((DATA / f"SG{sg}.json").read_text())


def _parent(sg: int):
    if sg == 140:
        cell = read_structures("sample_data/SrTiO3_I4mcm.cif")[0]
    elif sg == 62:
        cell = read_structures("tests/data/CaTiO3_Pbnm_AMCSD0002890.cif")[0]
    else:
        L, frac, Z = _CELLS[sg]
        frac = np.array(frac, float)
        cell = Cell(L, frac @ L, np.array(Z), tuple(f"Z{z}" for z in Z), True, source=f"SG{sg}")
    P = standard_parent(cell, 1e-3)
    assert P.number == sg
    return P


def _ops(table):
    out = []
    for s in table["ops"]:
        r, t = s.split("|")
        out.append((np.array(r.split(), int).reshape(3, 3), np.array(t.split(), float)))
    return out


def _labels_at(P, table, kp):
    """[(our label, [table labels with the same characters])] at one table k-point."""
    C = _labels._CENTRING.get(_labels.bravais(P.number, P.hm)[1], np.eye(3))
    kc = np.rint(np.array(kp["k"]) * 6) / 6  # the table writes 1/3 as 0.333333
    k = C @ kc
    star = np.unique(np.round((symmetric_form(P.rotations) @ k) % 1.0, 8), axis=0)
    letter, _ = _labels.point_letter(star, P.number, P.hm)
    assert letter == kp["name"], (P.number, kp["name"], letter)
    D, mapping = _small_irreps(P.rotations.astype(np.int64).tobytes(), P.translations.astype(np.float64).tobytes(),
                               len(P.rotations), tuple(float(x) for x in k))
    ops = _ops(table)
    where = []  # (column in the table's list, phase of our operation against the table's)
    for o in mapping:
        Rc = np.rint(C.T @ P.rotations[o] @ np.linalg.inv(C.T)).astype(int)
        (j,) = [j for j in kp["ops"] if np.array_equal(ops[j][0], Rc)]
        dt = C.T @ P.translations[o] - ops[j][1]  # a lattice translation
        where.append((kp["ops"].index(j), np.exp(-2j * np.pi * kc @ dt)))
    out = []
    for i, Dm in enumerate(D):
        chi = np.trace(Dm, axis1=1, axis2=2)
        same = [lab for lab, ch in kp["irreps"].items()
                if np.allclose([ch[c] * ph for c, ph in where], chi, atol=1e-3)]
        out.append((_label(P, letter, Dm, mapping, i), same))
    return out


@pytest.mark.parametrize("sg", sorted(_READ))
def test_labels_are_the_bilbao_cdml_labels(sg):
    table = _table(sg)
    P = _parent(sg)
    read = set()
    for kp in table["kpoints"]:
        pairs = _labels_at(P, table, kp)
        for ours, same in pairs:
            assert len(same) == 1, (sg, kp["name"], ours, same)  # the characters name one irrep
            if "?" not in ours:
                assert ours == same[0], (sg, kp["name"], ours, same[0])
        if all("?" not in ours for ours, _ in pairs):
            read.add(kp["name"])
    assert read >= _READ[sg], (sg, _READ[sg] - read)


def test_unread_points_say_so():
    """At M of I4/mcm the small irreps are not co-group irreps (exp(2πi k·t) = −1 for the
    glides): spgrep's order, marked '?', never a wrong CDML number."""
    table = _table(140)
    (kp,) = [k for k in table["kpoints"] if k["name"] == "M"]
    pairs = _labels_at(_parent(140), table, kp)
    assert all("?" in ours for ours, _ in pairs)


@pytest.mark.parametrize("sg", [191, 194])
def test_the_polar_c_axis_vector_is_gm2_minus_in_the_table(sg):
    """In P6/mmm and P6_3/mmc the z component of a vector transforms as GM2- (Bilbao's table:
    its characters are the zz element of each rotation)."""
    table = _table(sg)
    ops = _ops(table)
    (gm,) = [k for k in table["kpoints"] if k["name"] == "GM"]
    z = [ops[j][0][2, 2] for j in gm["ops"]]
    assert [lab for lab, ch in gm["irreps"].items() if np.allclose(ch, z)] == ["GM2-"]


def test_a_polar_c_axis_distortion_of_a_hexagonal_parent_is_gm2_minus():
    """AlB2-type P6/mmm parent, B layers moved along c against Al: P6mm, GM2- alone."""
    L, frac, Z = _CELLS[191]
    frac = np.array(frac, float)
    parent = Cell(L, frac @ L, np.array(Z), ("Al", "B", "B"), True, source="AlB2")
    child = Cell(L, frac @ L + np.array([[0, 0, 0], [0, 0, 0.08], [0, 0, 0.08]]), np.array(Z), ("Al", "B", "B"), True,
                 source="AlB2 polar")
    d = decompose(parent, child)
    present = [r for r in d.irreps if r.amplitude_parent > 1e-6]
    assert [r.label for r in present] == ["GM2-"]
    assert present[0].isotropy_hm == "P6mm"
