"""The canonical frame and the inversion kernel (symmetry/canonical.py).

Facts checked: the stabiliser the frame finds is the molecule's point group as the
independent operation search (symmetry.molecule) names it; the canonical form is the
same for every O(3) image and atom order; the support moves with the input
(γ(gx) ∈ g·Stab(x)·γ(x)); kernel draws are uniform over Stab(x) (χ², several seeds) and
each maps x onto c(x); and the negative control: without the random stabiliser element
the draws are a point mass, not Stab(x)-invariant.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from symbreak_cli.groups import PointGroup, random_o3
from symbreak_cli.symmetry.canonical import canonical_frame, equivariance_errors, match_permutation, set_distance
from symbreak_cli.symmetry.molecule import molecule_point_group

CUBE = 0.5 * np.array(list(itertools.product((-1.0, 1.0), repeat=3)))
SQUARE = 0.5 * np.array([[1.0, 0, 0], [0, 1, 0], [-1, 0, 0], [0, -1, 0]])


def _molecules():
    from ase.build import molecule

    out = {"cube": (CUBE, np.ones(8, int), "Oh"), "square": (SQUARE, np.ones(4, int), "D4h")}
    for name, pg in [("CH4", "Td"), ("NH3", "C3v"), ("C6H6", "D6h"), ("H2O", "C2v"), ("CH3CH2OH", "Cs")]:
        m = molecule(name)
        out[name] = (m.get_positions(), m.get_atomic_numbers(), pg)
    rng = np.random.default_rng(3)
    out["random"] = (rng.normal(size=(6, 3)), np.ones(6, int), "C1")
    return out


MOLECULES = _molecules()


def _same_sets(A, B, tol=1e-8):
    return len(A) == len(B) and all(min(np.abs(a - b).max() for b in B) < tol for a in A)


@pytest.mark.parametrize("name", sorted(MOLECULES))
def test_stabiliser_is_the_point_group(name):
    x, z, pg = MOLECULES[name]
    cf = canonical_frame(x, z)
    ref = molecule_point_group(x, z, 0.01)
    assert ref.schoenflies == pg
    assert PointGroup.from_matrices(cf.stabiliser, tol=1e-6).schoenflies == pg
    assert _same_sets(cf.stabiliser, ref.operations, 1e-4)
    c = x - cf.centre
    for h, p in zip(cf.stabiliser, cf.permutations):  # each element maps atom i onto atom p[i]
        assert np.allclose(c @ h.T, c[p], atol=1e-6) and np.all(z[p] == z)


@pytest.mark.parametrize("name", ["cube", "square", "CH4", "C6H6", "random"])
def test_canonical_form_and_support_move_with_the_input(name):
    x, z, _ = MOLECULES[name]
    cf = canonical_frame(x, z)
    rng = np.random.default_rng(0)
    for g in random_o3(4, seed=5):
        perm = rng.permutation(len(x))
        gx = (x @ g.T + rng.normal(size=3))[perm]
        cg = canonical_frame(gx, z[perm])
        assert set_distance(cg.canonical, cf.canonical) < 1e-5  # ase's benzene is D6h to ~1e-7 Å
        assert _same_sets(cg.support, g @ cf.support, 1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_is_uniform_on_the_stabiliser_and_maps_onto_the_canonical_form(seed):
    cf = canonical_frame(CUBE)
    rng = np.random.default_rng(seed)
    n = 48 * 60
    hs, k = cf.sample_stabiliser(rng, n)
    counts = np.bincount(k, minlength=cf.order)
    assert stats.chisquare(counts).pvalue > 1e-3
    g = cf.sample(rng, 50)
    for gt in g:  # g̃⁻¹ x = c(x) as point sets
        assert set_distance((CUBE - cf.centre) @ gt, cf.canonical) < 1e-12


def test_negative_control_deterministic_frame_is_a_point_mass():
    """A probe v with trivial stabiliser, moved by the kernel's draws, takes |Stab(x)|
    values equally often (a Stab(x)-invariant law: h·g̃ has the law of g̃); moved by the
    deterministic frame γ(x) alone it takes one value — no symmetric family of outcomes.
    """
    cf = canonical_frame(CUBE)
    v = np.array([0.3, -0.7, 1.1])  # a generic vector: only the identity of Oh keeps it
    draws = cf.sample(np.random.default_rng(0), 4800) @ v
    values, counts = np.unique(np.round(draws, 9), axis=0, return_counts=True)
    assert len(values) == 48 and stats.chisquare(counts).pvalue > 1e-3
    for h in cf.stabiliser:  # invariance of the law: h maps the set of values onto itself
        assert _same_sets(values @ h.T, values, 1e-8)
    det = np.array([cf.frame @ v for _ in range(4800)])
    assert len(np.unique(np.round(det, 9), axis=0)) == 1
    assert not _same_sets(det[:1] @ cf.stabiliser[1].T, det[:1], 1e-8)


def test_linear_input_samples_the_continuous_stabiliser():
    x = np.array([[0, 0, -1.16], [0, 0, 0], [0, 0, 1.16]]) @ random_o3(1, seed=2)[0].T  # CO2, tilted
    z = np.array([8, 6, 8])
    cf = canonical_frame(x, z)
    assert cf.linear and cf.inversion
    hs, _ = cf.sample_stabiliser(np.random.default_rng(1), 2000)
    c = x - cf.centre
    assert all(match_permutation(c @ h.T, c, z, 1e-9) is not None for h in hs[:200])
    perp = np.linalg.svd(np.eye(3) - np.outer(cf.axis, cf.axis))[0][:, 0]
    angles = np.arctan2(np.einsum("i,nij,j->n", np.cross(cf.axis, perp), hs, perp), np.einsum("i,nij,j->n", perp, hs, perp))
    assert stats.kstest((angles % (2 * np.pi)) / (2 * np.pi), "uniform").pvalue > 1e-3
    assert not canonical_frame(x[:2], np.array([8, 6])).inversion  # CO: C∞v


def test_equivariance_errors_of_an_equivariant_and_a_breaking_map():
    stab = canonical_frame(CUBE).stabiliser
    gs = random_o3(3, seed=4)
    stretch = lambda x: x + 0.5 * (x @ [0, 0, 1])[:, None] * np.array([0, 0, 1.0])  # noqa: E731  fixed lab axis
    scale = lambda x: 1.3 * x  # noqa: E731
    o, r = equivariance_errors(scale, CUBE, gs, stab)
    assert o.max() < 1e-12 and r.max() < 1e-12
    o, r = equivariance_errors(stretch, CUBE, gs, stab)
    assert o.min() > 1e-2 and r.min() > 1e-3  # a fixed lab direction is not relaxed-equivariant under O(3)
    o, r = equivariance_errors(stretch, CUBE, stab, stab)  # ... but it is within the cube's own group
    assert r.max() < 1e-12 and o.max() > 0.1
