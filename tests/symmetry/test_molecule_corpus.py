"""Our molecule search against facts it did not produce, on a corpus of ≥ 400 public and
textbook molecules (tests/symmetry/_molecule_corpus.py): the construction's group for
symmetric clusters, an independent brute-force search (_molecule_oracle.py) for molecules
of ≤ 40 atoms, and libmsym (pymsym) as a second opinion."""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.symmetry.molecule import molecule_point_group

from ._molecule_corpus import corpus, orbit_clusters
from ._molecule_oracle import brute_force_point_group

TOL = 0.01  # Å


def _ours(numbers, pos) -> str:
    return molecule_point_group(pos, numbers, TOL).schoenflies


def test_corpus_is_large_and_sourced():
    entries = corpus()
    assert len(entries) >= 400
    assert all(src for _, src, *_ in entries)


@pytest.mark.parametrize("noise", [0.0, 1e-3])
def test_every_constructed_cluster_has_its_group(noise):
    """Orbits of generic points under all 43 finite groups to n = 6 (and S8), in random
    orientations, with or without an atom on the axis or at the centre."""
    wrong = [(name, _ours(num, pos), want) for name, _, num, pos, want in orbit_clusters(seed=3, noise=noise)
             if _ours(num, pos) != want]
    assert wrong == []


def test_g2_agrees_with_brute_force():
    """The 148 G2 molecules of ≥ 2 atoms (ase.collections.g2)."""
    g2 = [e for e in corpus() if e[1] == "ase.collections.g2"]
    assert len(g2) == 148
    wrong = [(name, _ours(num, pos), brute_force_point_group(pos, num, TOL)) for name, _, num, pos, _ in g2]
    assert [w for w in wrong if w[1] != w[2]] == []


@pytest.mark.slow
def test_real_molecules_agree_with_brute_force():
    """ASE's g2, S26 and S22x5 sets, ASE's extra molecules and PyXtal's molecules (≤ 40 atoms; ~40 s)."""
    real = [e for e in corpus() if e[4] is None and len(e[2]) <= 40]
    assert len(real) >= 280
    wrong = [(name, _ours(num, pos), brute_force_point_group(pos, num, TOL)) for name, _, num, pos, _ in real]
    assert [w for w in wrong if w[1] != w[2]] == []


def test_g2_agrees_with_libmsym():
    """libmsym (pymsym, its default thresholds) on the 148 G2 molecules of ≥ 2 atoms."""
    pymsym = pytest.importorskip("pymsym")
    names = {"Dinfh": "D∞h", "Cinfv": "C∞v"}
    g2 = [e for e in corpus() if e[1] == "ase.collections.g2"]
    assert len(g2) == 148
    other = [(name, _ours(num, pos), names.get(m, m)) for name, _, num, pos, _ in g2
             for m in [pymsym.get_point_group(num.tolist(), pos.tolist())]]
    assert [o for o in other if o[1] != o[2]] == []


def test_c60_is_icosahedral():
    from ase.build import molecule

    a = molecule("C60")
    g = molecule_point_group(a.positions, a.numbers, TOL)
    assert (g.schoenflies, len(g.operations)) == ("Ih", 120)
    assert np.allclose(np.einsum("gij,gkj->gik", g.operations, g.operations), np.eye(3), atol=1e-10)
