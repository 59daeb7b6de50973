"""Generated character tables against textbook tables (Cotton, *Chemical Applications of
Group Theory*, 3rd ed., Appendix IIA) and the orthogonality relations."""

import numpy as np
import pytest

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups._characters import (
    _complex_characters,
    breaking_irreps,
    character_table,
    restriction_multiplicity,
)
from symbreak_cli.groups import PointGroup, rot

INV = -np.eye(3)

PHI = (1 + np.sqrt(5)) / 2

CRYSTALLOGRAPHIC = ["C1", "Ci", "C2", "Cs", "C2h", "D2", "C2v", "D2h", "C4", "S4", "C4h", "D4", "C4v",
                    "D2d", "D4h", "C3", "S6", "D3", "C3v", "D3d", "C6", "C3h", "C6h", "D6", "C6v", "D3h",
                    "D6h", "T", "Th", "O", "Td", "Oh"]
MOLECULAR = ["I", "Ih", "C5v", "D5h", "D5d", "C5", "C5h", "D4d", "D6d", "C7v", "S8"]

# Textbook tables: class labels (columns) and {irrep: characters}.
TEXTBOOK = {
    "C2v": (["E", "C2", "σv", "σv'"],
            {"A1": [1, 1, 1, 1], "A2": [1, 1, -1, -1], "B1": [1, -1, 1, -1], "B2": [1, -1, -1, 1]}),
    "C3v": (["E", "2C3", "3σv"], {"A1": [1, 1, 1], "A2": [1, 1, -1], "E": [2, -1, 0]}),
    "C4v": (["E", "2C4", "C2", "2σv", "2σd"],
            {"A1": [1, 1, 1, 1, 1], "A2": [1, 1, 1, -1, -1], "B1": [1, -1, 1, 1, -1],
             "B2": [1, -1, 1, -1, 1], "E": [2, 0, -2, 0, 0]}),
    "D3h": (["E", "2C3", "3C2'", "σh", "2S3", "3σv"],
            {"A1'": [1, 1, 1, 1, 1, 1], "A2'": [1, 1, -1, 1, 1, -1], "E'": [2, -1, 0, 2, -1, 0],
             "A1''": [1, 1, 1, -1, -1, -1], "A2''": [1, 1, -1, -1, -1, 1], "E''": [2, -1, 0, -2, 1, 0]}),
    "D4h": (["E", "2C4", "C2", "2C2'", "2C2''", "i", "2S4", "σh", "2σv", "2σd"],
            {"A1g": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "A2g": [1, 1, 1, -1, -1, 1, 1, 1, -1, -1],
             "B1g": [1, -1, 1, 1, -1, 1, -1, 1, 1, -1], "B2g": [1, -1, 1, -1, 1, 1, -1, 1, -1, 1],
             "Eg": [2, 0, -2, 0, 0, 2, 0, -2, 0, 0], "A1u": [1, 1, 1, 1, 1, -1, -1, -1, -1, -1],
             "A2u": [1, 1, 1, -1, -1, -1, -1, -1, 1, 1], "B1u": [1, -1, 1, 1, -1, -1, 1, -1, -1, 1],
             "B2u": [1, -1, 1, -1, 1, -1, 1, -1, 1, -1], "Eu": [2, 0, -2, 0, 0, -2, 0, 2, 0, 0]}),
    "D6h": (["E", "2C6", "2C3", "C2", "3C2'", "3C2''", "i", "2S3", "2S6", "σh", "3σd", "3σv"],
            {"A1g": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "A2g": [1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1],
             "B1g": [1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1], "B2g": [1, -1, 1, -1, -1, 1, 1, -1, 1, -1, -1, 1],
             "E1g": [2, 1, -1, -2, 0, 0, 2, 1, -1, -2, 0, 0], "E2g": [2, -1, -1, 2, 0, 0, 2, -1, -1, 2, 0, 0],
             "A1u": [1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1], "A2u": [1, 1, 1, 1, -1, -1, -1, -1, -1, -1, 1, 1],
             "B1u": [1, -1, 1, -1, 1, -1, -1, 1, -1, 1, -1, 1], "B2u": [1, -1, 1, -1, -1, 1, -1, 1, -1, 1, 1, -1],
             "E1u": [2, 1, -1, -2, 0, 0, -2, -1, 1, 2, 0, 0], "E2u": [2, -1, -1, 2, 0, 0, -2, 1, 1, -2, 0, 0]}),
    "Td": (["E", "8C3", "3C2", "6S4", "6σd"],
           {"A1": [1, 1, 1, 1, 1], "A2": [1, 1, 1, -1, -1], "E": [2, -1, 2, 0, 0],
            "T1": [3, 0, -1, 1, -1], "T2": [3, 0, -1, -1, 1]}),
    "Oh": (["E", "8C3", "6C2'", "6C4", "3C2", "i", "6S4", "8S6", "3σh", "6σd"],
           {"A1g": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "A2g": [1, 1, -1, -1, 1, 1, -1, 1, 1, -1],
            "Eg": [2, -1, 0, 0, 2, 2, 0, -1, 2, 0], "T1g": [3, 0, -1, 1, -1, 3, 1, 0, -1, -1],
            "T2g": [3, 0, 1, -1, -1, 3, -1, 0, -1, 1], "A1u": [1, 1, 1, 1, 1, -1, -1, -1, -1, -1],
            "A2u": [1, 1, -1, -1, 1, -1, 1, -1, -1, 1], "Eu": [2, -1, 0, 0, 2, -2, 0, 1, -2, 0],
            "T1u": [3, 0, -1, 1, -1, -3, -1, 0, 1, 1], "T2u": [3, 0, 1, -1, -1, -3, 1, 0, 1, -1]}),
}
# Ih: Cotton writes the 5-fold entries as -2cos(144°) = φ and -2cos(72°) = 1 - φ.
_a, _b = PHI, 1 - PHI
_IH_G = {"Ag": [1, 1, 1, 1, 1], "T1g": [3, _a, _b, 0, -1], "T2g": [3, _b, _a, 0, -1],
         "Gg": [4, -1, -1, 1, 0], "Hg": [5, 0, 0, -1, 1]}
_IH = {}
for lab, (e, c5, c52, c3, c2) in _IH_G.items():
    # improper columns i, S10, S10³, S6, σ for g irreps: (χ(E), χ(C5²), χ(C5), χ(C3), χ(C2))
    g = [e, c5, c52, c3, c2, e, c52, c5, c3, c2]
    _IH[lab] = g
for lab in list(_IH):
    _IH[lab.replace("g", "u")] = _IH[lab][:5] + [-x for x in _IH[lab][5:]]
TEXTBOOK["Ih"] = (["E", "12C5", "12C5²", "20C3", "15C2", "i", "12S10", "12S10³", "20S6", "15σ"], _IH)


@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_textbook_tables(name):
    columns, rows = TEXTBOOK[name]
    table = character_table(PointGroup.named(name))
    labels = [c.label for c in table.classes]
    assert sorted(labels) == sorted(columns)
    assert [ir.label for ir in table.irreps] == list(rows)  # textbook row order too
    for ir in table.irreps:
        got = dict(zip(labels, ir.characters))
        np.testing.assert_allclose([got[c] for c in columns], rows[ir.label], atol=1e-9, err_msg=ir.label)


@pytest.mark.parametrize("name", CRYSTALLOGRAPHIC + MOLECULAR)
def test_orthogonality(name):
    G = PointGroup.named(name)
    h = np.array([c.size for c in G.classes])
    chi = _complex_characters(G)
    assert len(chi) == len(G.classes)  # as many irreps as classes
    np.testing.assert_allclose((chi * h) @ chi.conj().T, G.order * np.eye(len(h)), atol=1e-8)
    np.testing.assert_allclose(chi.T @ chi.conj(), np.diag(G.order / h), atol=1e-8)
    # the real (physically irreducible) table: rows orthogonal, norm |G| or 2|G| for merged pairs
    table = character_table(G)
    X = table.matrix()
    norms = np.array([2.0 if ir.complex_pair else 1.0 for ir in table.irreps])
    np.testing.assert_allclose((X * h) @ X.T, G.order * np.diag(norms), atol=1e-8)
    assert sum(ir.dim**2 / (2 if ir.complex_pair else 1) for ir in table.irreps) == G.order
    assert len({ir.label for ir in table.irreps}) == len(table.irreps)
    assert table.irreps[0].label[0] == "A" and np.allclose(table.irreps[0].characters, 1)


def test_complex_pairs_are_merged():
    t = character_table(PointGroup.named("C3"))
    assert [ir.label for ir in t.irreps] == ["A", "E"]
    assert t.irrep("E").complex_pair and list(t.irrep("E").characters) == [2, -1, -1]
    assert [ir.label for ir in character_table(PointGroup.named("C6")).irreps] == ["A", "B", "E1", "E2"]
    assert [ir.label for ir in character_table(PointGroup.named("T")).irreps] == ["A", "E", "T"]
    assert [ir.label for ir in character_table(PointGroup.named("D2h")).irreps] == [
        "Ag", "B1g", "B2g", "B3g", "Au", "B1u", "B2u", "B3u"]
    assert [ir.label for ir in character_table(PointGroup.named("C5v")).irreps] == ["A1", "A2", "E1", "E2"]
    assert [ir.label for ir in character_table(PointGroup.named("D5h")).irreps] == [
        "A1'", "A2'", "E1'", "E2'", "A1''", "A2''", "E1''", "E2''"]
    assert [ir.label for ir in character_table(PointGroup.named("D2d")).irreps] == ["A1", "A2", "B1", "B2", "E"]


def test_table_is_cached():
    G = PointGroup.named("Oh")
    assert character_table(G) is character_table(G)


def _d3d_about_111():
    return PointGroup.from_generators([rot((1, 1, 1), 3), rot((1, -1, 0), 2), INV])


# Literature: e.g. Tolédano & Tolédano, *The Landau Theory of Phase Transitions* (1987), Table.
@pytest.mark.parametrize(
    "child, expected",
    [
        (lambda: PointGroup.named("D4h"), {"Eg": 1}),
        (lambda: PointGroup.named("C4v"), {"Eg": 1, "T1u": 1}),
        (_d3d_about_111, {"T2g": 1}),
    ],
)
def test_breaking_irreps_of_oh(child, expected):
    H = child()
    assert dict(breaking_irreps(PointGroup.named("Oh"), H)) == expected


def test_subgroup_in_wrong_frame_raises():
    rotated = PointGroup.from_generators([rot((1, 0, 0), 4), rot((1, 1, 1), 3), INV])  # Oh again
    D4h_x = PointGroup.from_generators([rot((1, 0, 0), 4), rot((0, 0, 1), 2), INV])
    assert dict(breaking_irreps(rotated, D4h_x)) == {"Eg": 1}
    with pytest.raises(SymmetryError, match="not a subgroup"):
        restriction_multiplicity(character_table(PointGroup.named("D4h")), _d3d_about_111())
