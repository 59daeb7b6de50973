"""Relaxed group convolutions: exact equivariance at equal weights under every element of
C4, D4, O, Oh (scalars, vectors, pseudovectors), a negative control, equivariance under the
subgroup that fixes the weights, the grid action against a direct index computation, and
the penalty gradient against autograd.
"""

import numpy as np
import pytest
import torch

from symbreak_cli.nn.grid_actions import FieldBatch, act_grid_np, grid_group, isotypic_projectors
from symbreak_cli.nn.relaxed_gconv import RelaxedGroupConvNet
from symbreak_cli.testing import assert_equivariant
from symbreak_cli.testing.relaxed_model import float64_default

CASES = [("C4", 2, ("scalar", "vector.x", "vector.y"), ("vector.x", "vector.y", "pseudoscalar"), False),
         ("D4", 2, ("scalar", "pseudoscalar"), ("scalar", "vector.x", "vector.y"), True),
         ("O", 3, ("scalar", "pseudovector.x", "pseudovector.y", "pseudovector.z"), ("vector.x", "vector.y", "vector.z"), True),
         ("Oh", 3, ("scalar",), ("pseudovector.x", "pseudovector.y", "pseudovector.z"), False)]


def _built(name, dim, tin, tout, periodic, layers=1):
    with float64_default():
        torch.manual_seed(0)
        G = grid_group(name, dim)
        m = RelaxedGroupConvNet(G, tin, tout, layers=layers, hidden=2, filter_banks=2, periodic=periodic, residual=False)
        s = (5,) * dim
        b = FieldBatch(torch.randn(2, len(tin), *s), torch.randn(2, len(tout), *s), tin, tout, periodic)
    return G, m, b


def _check(m, b, H):
    return assert_equivariant(lambda bb: m(bb), H, b, lambda R, bb: bb.act(R), lambda R, y: b.act_on_output(R, y))


@pytest.mark.parametrize("name,dim,tin,tout,periodic", CASES)
def test_equal_weights_exactly_equivariant_and_broken_weights_not(name, dim, tin, tout, periodic):
    G, m, b = _built(name, dim, tin, tout, periodic)
    assert float(m(b).detach().abs().max()) > 1e-3
    assert _check(m, b, G.point_group()) < 1e-10
    with torch.no_grad():
        m.weights[1].add_(0.5 * torch.randn_like(m.weights[1]))  # the group-conv layer's weights
    with pytest.raises(AssertionError, match="not equivariant"):
        _check(m, b, G.point_group())


def test_weights_invariant_under_a_subgroup_keep_it_and_only_it():
    """O with w(hg) = w(g) for h in C4 about z: equivariant under that C4, not under O."""
    from symbreak_cli.groups import PointGroup
    from symbreak_cli.train.gconv_analysis import subgroups

    G, m, b = _built(*CASES[2])
    c4z = next(H for H in subgroups(G) if len(H) == 4 and all(G.mats3[h][2, 2] == 1 for h in H)
               and any(G.labels[h].startswith("4") for h in H))
    with torch.no_grad():
        for w in m.weights:
            v = torch.randn(G.order, w.shape[1], dtype=torch.float64)
            w.copy_(torch.stack([v[[G.table[h, g] for h in c4z]].mean(0) for g in range(G.order)]))
    H = PointGroup(G.mats3[list(c4z)].astype(float))
    assert _check(m, b, H) < 1e-10
    with pytest.raises(AssertionError, match="not equivariant"):
        _check(m, b, G.point_group())


@pytest.mark.parametrize("name,dim", [("D4", 2), ("Oh", 3)])
def test_grid_action_matches_coordinates(name, dim):
    """act_grid_np(f, M)[x] = f[M⁻¹x] with x in centred coordinates, every element."""
    G = grid_group(name, dim)
    n = 4
    f = np.random.default_rng(0).normal(size=(n,) * dim)
    coords = np.stack(np.meshgrid(*[np.arange(n) - (n - 1) / 2] * dim, indexing="ij"), -1).reshape(-1, dim)
    for M in G.mats:
        src = coords @ M  # rows: (M⁻¹ x)ᵀ = xᵀ M for orthogonal M
        idx = np.rint(src + (n - 1) / 2).astype(int)
        want = f[tuple(idx.T)].reshape((n,) * dim)
        np.testing.assert_array_equal(act_grid_np(f, M), want)


def test_isotypic_projectors_decompose_the_regular_representation():
    """Σ P = 1, P² = P, tr P = d² (each irrep appears d times in the regular representation)."""
    for name, dim in [("C4", 2), ("D4", 2), ("O", 3), ("Oh", 3)]:
        G = grid_group(name, dim)
        labels, dims, P = isotypic_projectors(G)
        np.testing.assert_allclose(P.sum(0), np.eye(G.order), atol=1e-12)
        for p, d in zip(P, dims):
            np.testing.assert_allclose(p @ p, p, atol=1e-12)
            # a complex pair (C4's E) is two 1-dim irreps: trace 2 = 1² + 1²
            assert round(np.trace(p)) in (d * d, d)
        assert sum(round(np.trace(p)) for p in P) == G.order


def test_penalty_zero_at_start_and_gradient_matches_autograd():
    G, m, b = _built(*CASES[0])
    assert float(m.penalty().detach()) == 0.0
    with torch.no_grad():
        for w in m.weights:
            w.add_(torch.randn_like(w))
    (0.3 * m.penalty()).backward()
    want = [w.grad.clone() for w in m.weights]
    m.zero_grad(set_to_none=True)
    m.add_penalty_grad(0.3)
    for w, e in zip(m.weights, want):
        torch.testing.assert_close(w.grad, e)


def test_tied_baseline_has_no_relaxed_weights_and_is_equivariant():
    with float64_default():
        G = grid_group("O", 3)
        m = RelaxedGroupConvNet(G, ("scalar",), ("vector.x", "vector.y", "vector.z"), relaxed=False, hidden=2)
        b = FieldBatch(torch.randn(1, 1, 4, 4, 4), torch.randn(1, 3, 4, 4, 4), ("scalar",),
                       ("vector.x", "vector.y", "vector.z"), False)
    assert m.relaxed_weights() == [] and float(m.penalty()) == 0.0
    assert _check(m, b, G.point_group()) < 1e-10
