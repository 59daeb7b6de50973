"""The CDML numbers of the Γ irreps of all 230 space groups against the Bilbao REPRES
tables (tests/data/bcs_irreps/GM_all.json, see its README): every label we print without a
``?`` is the table's, and the point groups whose numbering we read are read in every group
that has them. C4v, 4̄2m and 6̄m2 were numbered in D4h's / 6̄2m's order before (GM3/GM4 and
GM2/GM4 swapped in 20 space groups); unread ones (centred orthorhombic, C4, C3, C6, T, Th …)
stay spgrep's order with a ``?``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import spglib

from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry import _labels
from symbreak_cli.symmetry._induced import _small_irreps
from symbreak_cli.symmetry._supercell import standard_parent
from symbreak_cli.symmetry.irreps import _label

TABLES = json.loads((Path(__file__).parent.parent / "data" / "bcs_irreps" / "GM_all.json").read_text())["groups"]

_FIRST_HALL = {}
for _h in range(1, 531):
    _FIRST_HALL.setdefault(spglib.get_spacegroup_type(_h).number, _h)

#: a generic cell per crystal system (a, b, c, α, β, γ), conventional
_LATTICE = {"a": (5, 6, 7, 80, 85, 75), "m": (5, 6, 7, 90, 100, 90), "o": (5, 6, 7, 90, 90, 90),
            "t": (5, 5, 7, 90, 90, 90), "h": (5, 5, 7, 90, 90, 120), "c": (6, 6, 6, 90, 90, 90)}


def _system(n: int) -> str:
    return "a" if n <= 2 else "m" if n <= 15 else "o" if n <= 74 else "t" if n <= 142 else "h" if n <= 194 else "c"


def _lattice(a, b, c, al, be, ga) -> np.ndarray:
    al, be, ga = np.radians([al, be, ga])
    cx, cy = c * np.cos(be), c * (np.cos(al) - np.cos(be) * np.cos(ga)) / np.sin(ga)
    return np.array([[a, 0, 0], [b * np.cos(ga), b * np.sin(ga), 0], [cx, cy, np.sqrt(c * c - cx * cx - cy * cy)]])


def _structure(n: int) -> Cell:
    """Three general-position orbits of three elements: exactly space group n, no accident."""
    ops = spglib.get_symmetry_from_database(_FIRST_HALL[n])
    frac, numbers = [], []
    for x0, z in (((0.1123, 0.2345, 0.0731), 6), ((0.3712, 0.0817, 0.4119), 8), ((0.2631, 0.4417, 0.3313), 14)):
        orbit = []
        for R, t in zip(ops["rotations"], ops["translations"]):
            y = (R @ np.array(x0) + t) % 1.0
            if not any(np.abs((y - q + 0.5) % 1 - 0.5).max() < 1e-6 for q in orbit):
                orbit.append(y)
        frac += orbit
        numbers += [z] * len(orbit)
    L = _lattice(*_LATTICE[_system(n)])
    symbols = tuple({6: "C", 8: "O", 14: "Si"}[z] for z in numbers)
    return Cell(L, np.array(frac) @ L, np.array(numbers), symbols, True, source=f"SG{n}")


def _characters(chars) -> np.ndarray:
    return np.array([c[0] + 1j * c[1] if isinstance(c, list) else c for c in chars], complex)


def _gamma_labels(n: int) -> list[tuple[str, list[str]]]:
    P = standard_parent(_structure(n), 1e-4)
    assert P.number == n
    R = P.rotations.astype(np.int64)
    irreps, mapping = _small_irreps(R.tobytes(), P.translations.astype(np.float64).tobytes(), len(R), (0.0, 0.0, 0.0))
    conv = _labels.conventional(P.rotations[mapping], P.number, P.hm)
    table = TABLES[str(n)]
    column = {r: i for i, r in enumerate(table["rotations"])}
    sign = {1: "+", -1: "-", 0: "0"}
    where = [column["".join(sign[int(x)] for x in Rc.ravel())] for Rc in conv]
    chars = {lab: _characters(ch) for lab, ch in table["irreps"].items()}
    out = []
    for i, D in enumerate(irreps):
        chi = np.trace(D, axis1=1, axis2=2)
        same = [lab for lab, ch in chars.items() if np.allclose(ch[where], chi, atol=1e-6)]
        out.append((_label(P, "GM", D, mapping, i), same))
    return out


@pytest.mark.parametrize("block", [range(1, 76), range(76, 143), range(143, 195), range(195, 231)],
                         ids=["triclinic-orthorhombic", "tetragonal", "trigonal-hexagonal", "cubic"])
def test_every_read_gamma_label_is_bilbaos(block):
    read = 0
    for n in block:
        for ours, same in _gamma_labels(n):
            if "?" not in ours:  # a number we claim: the characters name one table irrep, that one
                assert same == [ours], (n, ours, same)
                read += 1
    assert read >= {1: 150, 76: 250, 143: 100, 195: 60}[block.start], read


@pytest.mark.parametrize("n, hm", [(99, "P4mm"), (110, "I4_1cd"), (111, "P-42m"), (122, "I-42d"), (187, "P-6m2"),
                                   (188, "P-6c2")])
def test_the_groups_numbered_wrongly_before_are_read(n, hm):
    pairs = _gamma_labels(n)
    assert all("?" not in ours and ours == same[0] for ours, same in pairs), pairs
    assert hm == spglib.get_spacegroup_type(_FIRST_HALL[n]).international_short
