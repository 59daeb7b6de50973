"""Kept group = intersection of the per-layer stabilisers (a sum over layers can cancel)."""

import numpy as np
import pytest

from symbreak_cli.groups import named_group
from symbreak_cli.groups import spherical_harmonics
from symbreak_cli.nn.protocol import LayerReadout, ThetaLayout
from symbreak_cli.train import analysis


def _readout(name, **blocks):
    lay = ThetaLayout.up_to(2)
    theta = lay.initial()
    for lab, v in blocks.items():
        theta[lay.slices[lay.labels.index(lab)]] = v
    return LayerReadout(name, lay, theta)


def _cancelling_layers():
    """Layer 0: E ∥ +z, B ∥ y. Layer 1: E ∥ −z, B ∥ y. Their sum is B alone (C∞h about y);
    the model keeps only what fixes both layers: Cs, the mirror ⟂ y."""
    return [_readout("layers.0.theta", **{"1o": [0, 0, 0.5], "1e": [0, 0.3, 0]}),
            _readout("layers.1.theta", **{"1o": [0, 0, -0.5], "1e": [0, 0.3, 0]})]


def _coaxial_layers():
    """Layer 0: 1o ∥ +z. Layer 1: 1o ∥ −z and a 2e uniaxial about z. The sum is the 2e
    alone (D∞h); both layers fix exactly C∞v about z."""
    q = 0.4 * spherical_harmonics(2, [[0.0, 0.0, 1.0]])[0]
    return [_readout("layers.0.theta", **{"1o": [0, 0, 0.5]}),
            _readout("layers.1.theta", **{"1o": [0, 0, -0.5], "2e": q})]


@pytest.mark.parametrize("G, name, order", [(None, "Cs", 2), (named_group("Oh"), "Cs", 2)], ids=["O(3)", "Oh"])
def test_opposite_layers_do_not_cancel(G, name, order):
    layers = [r.coeffs for r in _cancelling_layers()]
    summed = {k: layers[0][k] + layers[1][k] for k in layers[0]}
    assert np.allclose(summed["1o"], 0)  # the old 'combined' θ saw no polar vector at all
    kept, H = analysis.kept_group(layers, G)
    assert (kept.schoenflies, kept.order, kept.operations) == (name, order, ("1", "m_[010]"))
    assert kept.tolerances.shape == (2,)
    wrong = analysis.kept_group([summed], G)[0]  # the sum finds a larger group
    assert wrong.order > kept.order


@pytest.mark.parametrize("G, name, order", [(None, "C∞v", 12), (named_group("Oh"), "C4v", 8)], ids=["O(3)", "Oh"])
def test_coaxial_layers_keep_the_common_axial_group(G, name, order):
    layers = [r.coeffs for r in _coaxial_layers()]
    kept, _ = analysis.kept_group(layers, G)
    assert (kept.schoenflies, kept.order, kept.is_continuous) == (name, order, G is None)
    c_axis = next(a for a in kept.axes if a.symbol.startswith("C") and "'" not in a.symbol)
    assert abs(c_axis.direction @ [0, 0, 1]) == pytest.approx(1.0)


def test_single_layer_matches_its_own_stabiliser_and_axes_are_vectors():
    kept, _ = analysis.kept_group([_readout("l", **{"1o": [1.0, 0, 0], "1e": [0, 1.0, 0]}).coeffs])
    assert kept.schoenflies == "Cs" and kept.operations == ("1", "m_[010]")
    (axis,) = kept.axes
    assert axis.symbol == "σh" and axis.operation == "m_[010]" and np.allclose(np.abs(axis.direction), [0, 1, 0])


def test_scalar_theta_keeps_everything():
    assert analysis.kept_group([_readout("l").coeffs]) is None
    s = analysis.symmetry_analysis([_readout("l")], "dynamics", None)
    assert s.kept is None and s.breaking == ()


def test_tolerance_rule_is_the_named_constants():
    c = _readout("l", **{"1o": [0, 0, 2.0], "2e": [0, 0, 0.5, 0, 0]}).coeffs
    assert analysis.layer_tolerance(c) == pytest.approx(analysis.KEPT_TOL_REL_BLOCK * 2.0)
    tiny = _readout("l", **{"1o": [0, 0, 1e-6]}).coeffs
    assert analysis.layer_tolerance(tiny) == pytest.approx(analysis.NOISE_TOL_REL_SCALAR * 1.0)


def test_breaking_norms_sum_over_layers_in_squares():
    readouts = _cancelling_layers()
    s = analysis.symmetry_analysis(readouts, "pairs", 0.5 * np.array(
        [[a, b, c] for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)], float))
    assert s.data_group == "Oh" and s.kept.schoenflies == "Cs" and s.n_domains == 24
    assert all(b.theta_norm > 0 for b in s.breaking)
