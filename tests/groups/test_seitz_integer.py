"""Seitz symbols of integer (lattice-basis) rotations are computed in exact integer arithmetic
(groups._names._integer_rotation_part); they must say exactly what the general
eigenvector path says, for every rotation of every Hall setting and their conjugates in
other bases.
"""

from __future__ import annotations

import numpy as np
import pytest
import spglib

from symbreak_cli.groups import _names


def _rotations():
    seen = {}
    for hall in range(1, 531):
        for R in spglib.get_symmetry_from_database(hall)["rotations"]:
            seen.setdefault(np.asarray(R, int).tobytes(), np.asarray(R, int))
    return list(seen.values())


ROTATIONS = _rotations()
#: unimodular bases: a shear, a rhombohedral-like and a face-diagonal basis
BASES = [np.array([[1, 1, 0], [0, 1, 0], [0, 0, 1]]), np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1]]),
         np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]])]


def test_every_setting_rotation_matches_the_general_path():
    assert len(ROTATIONS) > 60
    for R in ROTATIONS:
        assert _names._integer_rotation_part(R.tolist()) == _names._general_rotation_part(R.astype(float))


@pytest.mark.parametrize("B", BASES, ids=["shear", "rhombohedral", "fcc"])
def test_conjugates_in_other_bases_match(B):
    Bi = np.linalg.inv(B)
    n = 0
    for R in ROTATIONS:
        C = Bi @ R @ B
        if np.allclose(C, np.rint(C)):
            C = np.rint(C).astype(int)
            assert _names._integer_rotation_part(C.tolist()) == _names._general_rotation_part(C.astype(float)), C
            n += 1
    assert n > 20


def test_known_symbols_and_the_float_fallback():
    four = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1]])
    assert _names.seitz_symbol(four, [0, 0, 0.5]) == "{4+_[001]|0 0 1/2}"
    assert _names.seitz_symbol(-np.eye(3, dtype=int)) == "{-1|0}"
    assert _names.seitz_symbol(np.diag([1, -1, 1])) == "{m_[010]|0}"
    h = np.array([[0.5, -np.sqrt(3) / 2, 0], [np.sqrt(3) / 2, 0.5, 0], [0, 0, 1]])  # Cartesian 6-fold: the float path
    assert _names.seitz_symbol(h) == "{6+_[001]|0}"
