"""The invariant harmonics are the common fixed space of a generating set
(:func:`~symbreak_cli.groups._polynomials.generators`): the set found must generate the whole
group (in any frame), and the fixed space must have the dimension the O(3) characters give
(1/|G| Σ χ), at every degree and parity — with a negative control (a set that does not
generate Oh has more invariants than Oh).
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.groups import PointGroup
from symbreak_cli.groups._o3 import n_invariants
from symbreak_cli.groups._polynomials import _invariant_harmonics, generators
from tests.groups.test_character_tables import CRYSTALLOGRAPHIC, MOLECULAR
from tests.symmetry._molecule_corpus import _close  # an independent closure: the oracle


def _key(m: np.ndarray) -> bytes:
    return (np.round(m, 6) + 0.0).tobytes()


def _closure(gens: np.ndarray) -> set[bytes]:
    return {_key(m) for m in _close(list(gens))}


def _turned(K: PointGroup, seed: int) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(3, 3)))
    return np.einsum("ij,gjk,lk->gil", q, K.matrices, q)


@pytest.mark.parametrize("name", CRYSTALLOGRAPHIC + MOLECULAR)
def test_generators_generate_the_group(name):
    G = PointGroup.named(name)
    for mats in (G.matrices, _turned(G, 3)):
        gens = generators(mats)
        assert len(gens) <= 5
        assert _closure(mats[gens]) == {_key(m) for m in mats}


@pytest.mark.parametrize("name", CRYSTALLOGRAPHIC + ["Ih", "D6h", "C5v"])
def test_fixed_space_of_generators_has_the_character_dimension(name):
    G = PointGroup.named(name)
    turned = _turned(G, 5)
    for l in range(9):
        for p in (1, -1):
            n = n_invariants(G, l, p)
            assert _invariant_harmonics(G, l, p).shape[1] == n, (l, p)
            assert _invariant_harmonics(turned, l, p).shape[1] == n, (l, p)


def test_a_non_generating_set_has_more_invariants():  # negative control: one generator of Oh left out
    Oh = PointGroup.named("Oh")
    gens = generators(Oh.matrices)
    for drop in range(len(gens)):
        part = Oh.matrices[np.delete(gens, drop)]
        assert any(_invariant_harmonics(part, l, p).shape[1] > n_invariants(Oh, l, p)
                   for l in range(9) for p in (1, -1)), drop
