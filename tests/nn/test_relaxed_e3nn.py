"""Relaxed E(3) network: exact O(3) equivariance at initialisation and for the baseline;
equivariance exactly under the stabiliser of θ once θ breaks symmetry."""

import dataclasses

import pytest
import torch
from e3nn import o3
from e3nn.util.test import equivariance_error

from symbreak_cli.nn.relaxed_e3nn import RelaxedE3Network
from symbreak_cli.testing import RelaxedModelTests

TOL = 1e-5  # e3nn's D matrices are good to ~1e-7 even in float64


def _graph(n=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    pos = torch.randn(n, 3, generator=g, dtype=torch.float64)
    src, dst = torch.meshgrid(torch.arange(n), torch.arange(n), indexing="ij")
    keep = src != dst
    return pos, src[keep], dst[keep]


def _err(net, x, pos, src, dst):
    f = lambda x, pos: net.forward_graph(x, src, dst, pos[dst] - pos[src])  # noqa: E731
    errs = equivariance_error(f, [x, pos], irreps_in=[net.irreps_in, "cartesian_points"],
                              irreps_out=[net.irreps_out], ntrials=3)
    scale = float(f(x, pos).detach().abs().max())
    return max(float(e.max()) for e in errs.values()) / scale  # relative


@pytest.mark.parametrize("relaxed", [True, False])
@pytest.mark.parametrize("layers, l_relaxed", [(1, 2), (2, 2), (1, 4)])
def test_equivariant_at_initialisation_and_baseline(relaxed, layers, l_relaxed):
    torch.manual_seed(0)
    net = RelaxedE3Network("0e+1o", "1o", relaxed=relaxed, l_relaxed=l_relaxed, layers=layers, cutoff=5.0).double()
    pos, src, dst = _graph()
    x = torch.randn(6, 4, dtype=torch.float64)
    out = net.forward_graph(x, src, dst, pos[dst] - pos[src])
    assert out.abs().max() > 1e-3  # not trivially zero
    assert _err(net, x, pos, src, dst) < TOL


def test_baseline_stays_equivariant_with_any_weights():
    torch.manual_seed(1)
    net = RelaxedE3Network("0e+1o", "1o", relaxed=False, layers=2, cutoff=5.0).double()
    with torch.no_grad():
        for p in net.parameters():
            p.add_(torch.randn_like(p))
    pos, src, dst = _graph(seed=2)
    assert _err(net, torch.randn(6, 4, dtype=torch.float64), pos, src, dst) < TOL


def _broken_net():
    """θ with a 1o part along x: stabiliser C∞v about x."""
    torch.manual_seed(0)
    net = RelaxedE3Network("0e", "1o", relaxed=True, l_relaxed=2, cutoff=5.0).double()
    with torch.no_grad():
        net.layers[0].theta[2:5] = torch.tensor([0.7, 0.0, 0.0])
    return net


def test_broken_theta_is_not_equivariant_outside_its_stabiliser():
    net = _broken_net()
    pos, src, dst = _graph()
    x = torch.ones(6, 1, dtype=torch.float64)
    assert _err(net, x, pos, src, dst) > 1e-2

    def err_for(R):
        R = torch.as_tensor(R, dtype=torch.float64)
        a = net.forward_graph(x, src, dst, (pos[dst] - pos[src]) @ R.T)
        b = net.forward_graph(x, src, dst, pos[dst] - pos[src]) @ R.T
        return float((a - b).detach().abs().max())

    kept = o3.matrix_x(torch.tensor(0.83, dtype=torch.float64))  # rotation about x
    mirror = torch.diag(torch.tensor([1.0, -1.0, 1.0], dtype=torch.float64))  # σ containing x
    lost = o3.matrix_z(torch.tensor(0.83, dtype=torch.float64))
    assert err_for(kept) < TOL and err_for(mirror) < TOL
    assert err_for(lost) > 1e-2


@pytest.mark.parametrize("irreps_in, irreps_theta, irreps_out", [
    ("0e+1o", "0e+0o+1o+1e+2e+2o", "1o"),
    ("0e+1o+2e+3o+4e", "0e+0o+1o+1e+2e+2o+3o+3e+4e+4o", "0e+0o+1o+1e+2e+2o"),
    ("2x0e+3x1o+2x2e", "2x0e+1e", "3x1o+0e+2x2o"),
])
def test_theta_map_equals_e3nn_tensor_product(irreps_in, irreps_theta, irreps_out):
    from symbreak_cli.nn.theta_map import ThetaMap

    torch.manual_seed(0)
    tm = ThetaMap(irreps_in, irreps_theta, irreps_out).double()
    tp = o3.FullyConnectedTensorProduct(irreps_in, irreps_theta, irreps_out).double()
    assert tm.weight_numel == tp.weight_numel
    with torch.no_grad():
        tm.weight.copy_(tp.weight)
    theta = torch.randn(o3.Irreps(irreps_theta).dim, dtype=torch.float64)
    x = torch.randn(5, o3.Irreps(irreps_in).dim, dtype=torch.float64)
    torch.testing.assert_close(x @ tm(theta), tp(x, theta.expand(5, -1)), atol=1e-6, rtol=1e-6)  # float32 CG tables


def test_penalty_is_group_lasso_over_non_scalar_irreps():
    net = _broken_net()
    with torch.no_grad():
        net.layers[0].theta[9:14] = torch.tensor([0.0, 0.3, 0.0, 0.4, 0.0], dtype=torch.float64)  # 2e
    assert float(net.penalty(eps=0.0).detach()) == pytest.approx(0.7 + 0.5)
    # smoothed: within √ε = 1e-6 per non-zero irrep of the exact value, and 0 at the start
    assert float(net.penalty().detach()) == pytest.approx(0.7 + 0.5, abs=3e-6)


def test_analytic_penalty_gradient_equals_autograd():
    net = RelaxedE3Network("0e", "1o", relaxed=True, l_relaxed=3, layers=2, cutoff=5.0).double()
    with torch.no_grad():
        for w in net.relaxed_weights():
            w.param.copy_(torch.randn_like(w.param))
            w.param[5:8] = 0.0  # an irrep at exactly zero: finite gradient thanks to ε
    (0.3 * net.penalty()).backward()
    expected = [w.param.grad.clone() for w in net.relaxed_weights()]
    net.zero_grad(set_to_none=True)
    net.add_penalty_grad(0.3)
    for w, e in zip(net.relaxed_weights(), expected):
        torch.testing.assert_close(w.param.grad, e, atol=1e-9, rtol=1e-7)


def _graph_batch(n=6, seed=0, irreps_in="1x0e+1x1o"):
    from symbreak_cli.nn.graph import GraphBatch, parse_irreps

    pos, src, dst = _graph(n, seed)
    dim = sum(m * (2 * l + 1) for m, l, _ in parse_irreps(irreps_in))
    x = torch.randn(n, dim, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    return GraphBatch(x=x, y=torch.zeros(n, 3), edge_src=src, edge_dst=dst, edge_vec=pos[dst] - pos[src],
                      sample=torch.zeros(n, dtype=torch.long), irreps_in=irreps_in, pos=pos)


class TestRelaxedE3Network(RelaxedModelTests):
    """The relaxed e3nn network passes the checks every RelaxedModel must pass (under Oh)."""

    def make_model(self):
        return RelaxedE3Network("0e+1o", "1o", relaxed=True, l_relaxed=2, cutoff=5.0)

    def make_batch(self):
        return _graph_batch()


class TestRelaxedE3NetworkTwoLayersL4(RelaxedModelTests):
    test_group = "D6h"  # 6-fold axes, which Oh lacks

    def make_model(self):
        return RelaxedE3Network("0e+1o", "1o", relaxed=True, l_relaxed=4, layers=2, cutoff=5.0)

    def make_batch(self):
        return _graph_batch(seed=3)


class TestRelaxedE3NetworkNoEdges(RelaxedModelTests):
    """The per-particle case (no edges): only TP(x, θ) acts."""

    def make_model(self):
        return RelaxedE3Network("0e+1o", "1o", relaxed=True, l_relaxed=2, use_edges=False)

    def make_batch(self):
        b = _graph_batch()
        return dataclasses.replace(b, edge_src=b.edge_src[:0], edge_dst=b.edge_dst[:0], edge_vec=b.edge_vec[:0])
