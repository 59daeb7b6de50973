"""SymPE's network and baselines before training (nn/sympe.py, train/sympe.py batches).

Facts checked: the latent-matched forward is jointly O(3)-equivariant (inputs, kernel
elements and targets moved together; float64, every element of Oh and random O(3)); the
outputs over the kernel's support are exactly the Stab(x)-orbit of one output (joint
equivariance), so draws are relaxed-equivariant while the ordinary error is large; the
negative control, the deterministic frame γ(x) alone, gives one class; the equivariant
baseline's output keeps the cube's whole group (Curie); the loss is the minimum over the
support.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy import stats

from symbreak_cli.groups import named_group, random_o3
from symbreak_cli.symmetry.canonical import act_on_points, equivariance_errors, orbit_classes
from symbreak_cli.testing.equivariance import assert_equivariant
from symbreak_cli.testing.relaxed_model import float64_default
from symbreak_cli.train import sympe as sp
from symbreak_cli.train.sample_data import cube_vertices, square_vertices, stretched_copies

META = {"irreps_base": "1x0e", "v_irreps": "2x1o+1x2e", "layers": 1, "mul": 4, "cutoff": 2.5, "avg_neighbors": 7.0,
        "use_edges": True, "l_relaxed": 2, "n_points": 8}


@pytest.fixture(scope="module")
def cube_data():
    inputs, targets, _ = stretched_copies(cube_vertices(), (0, 1, 2), n=6)
    return sp.prepare(inputs, targets)


def _model(label):
    with float64_default():
        torch.manual_seed(0)
        return sp.build_model(label, META)


@pytest.fixture(scope="module")
def square_data():
    inputs, targets, _ = stretched_copies(square_vertices(), (0, 1), n=4)
    return sp.prepare(inputs, targets)


@pytest.mark.parametrize("label", ["sympe", "equivariant", "relaxed"])
def test_candidates_are_jointly_equivariant_and_the_loss_invariant(square_data, label):
    """Every candidate (one per kernel element, or s·f(x) per s ∈ Stab(x)) moves with the
    input, kernel elements and target; so the latent-matched loss is O(3)-invariant. (The
    chosen candidate itself is not unique: targets with symmetry tie several. The noise
    baseline is the same network with other features.)
    """
    model = _model(label)
    with float64_default():
        batch = sp.make_batch(square_data, dtype=torch.float64)
        rot = lambda R, y: y @ torch.as_tensor(R.copy()).T  # noqa: E731
        if label == "sympe":
            f = lambda b: model.copy_predictions(b, direct=True)  # noqa: E731
        else:
            f = lambda b: model.predict(b.base)  # noqa: E731
        loss = lambda b: ((model(b) - b.target) ** 2).mean().reshape(1)  # noqa: E731
        for group in (named_group("D4h"), "O(3)"):
            assert_equivariant(f, group, batch, lambda R, b: b.act(R), rot, dtype="float64", n_random=3)
            assert_equivariant(loss, group, batch, lambda R, b: b.act(R), lambda R, y: y, dtype="float64", tol=1e-9,
                               n_random=3)
        assert float(f(batch).detach().abs().max()) > 1e-3


def test_support_outputs_are_the_stabiliser_orbit_of_one(cube_data):
    """The network evaluated on every kernel element (direct) gives the Stab(x)-orbit of one
    output — the joint equivariance that lets SymPE evaluate it once per input."""
    model = _model("sympe")
    frame = cube_data.frames[0]
    with float64_default(), torch.no_grad():
        batch = sp.make_batch(cube_data, dtype=torch.float64)
        P = model.copy_predictions(batch, direct=True)[0].numpy()  # (48, 8, 3)
        fast = model.copy_predictions(batch)[0].numpy()
    for k, (h, p) in enumerate(zip(frame.stabiliser, frame.permutations)):
        assert np.abs(P[k] - act_on_points(h, P[0], p)).max() < 1e-10
    assert np.abs(fast - P).max() < 1e-10
    assert np.abs(P[1:] - P[0]).max() > 1e-2  # v breaks the symmetry: the outputs differ


def test_draws_are_relaxed_but_not_ordinarily_equivariant(cube_data):
    model = _model("sympe")
    with float64_default():
        f = sp.sampler(model, "sympe", cube_data, 0, np.random.default_rng(0))
        o, r = equivariance_errors(f, cube_vertices(), random_o3(3, seed=1), cube_data.frames[0].stabiliser)
    assert r.max() < 1e-9 and o.max() > 1e-2


def test_negative_control_deterministic_frame_gives_one_class(cube_data):
    model = _model("sympe")
    frame = cube_data.frames[0]
    with float64_default():
        drawn, k = sp.draw(model, "sympe", cube_data, 0, 480, np.random.default_rng(0))
        fixed, _ = sp.draw(model, "sympe", cube_data, 0, 480, np.random.default_rng(0), deterministic=True)
    kernel = orbit_classes(drawn, frame)
    assert len(kernel.images) == 48 and stats.chisquare(kernel.counts).pvalue > 1e-3  # v generic: 48 outcomes
    det = orbit_classes(fixed, frame)
    assert det.counts.max() == 480 and stats.chisquare(det.counts).pvalue < 1e-100


def test_equivariant_baseline_keeps_the_cube_group(cube_data):
    """Curie: whatever its weights, the equivariant network maps the cube to an Oh-symmetric output."""
    model = _model("equivariant")
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p))
    out, _ = sp.draw(model, "equivariant", cube_data, 0, 1, np.random.default_rng(0))
    assert len(orbit_classes(out, cube_data.frames[0], tol=1e-5).images) == 1
    relaxed = _model("relaxed")
    with torch.no_grad():
        relaxed.inner.layers[0].theta[2:5] = torch.tensor([0.3, -0.5, 0.7])  # a generic 1o θ breaks Oh
    out, _ = sp.draw(relaxed, "relaxed", cube_data, 0, 1, np.random.default_rng(0))
    assert len(orbit_classes(out, cube_data.frames[0], tol=1e-5).images) > 1


def test_loss_is_the_minimum_over_the_support(cube_data):
    model = _model("sympe")
    with float64_default(), torch.no_grad():
        batch = sp.make_batch(cube_data, dtype=torch.float64)
        P = model.copy_predictions(batch)  # (1, 48, 8, 3)
        T = batch.y.view(-1, 8, 3)
        expected = ((P[0][None] - T[:, None]) ** 2).mean(dim=(2, 3)).min(dim=1).values.mean()
        got = ((model(batch) - batch.target) ** 2).mean()
    assert abs(float(got) - float(expected)) < 1e-12


def test_linear_input_draws_the_continuous_stabiliser():
    """A line (C∞v): draws are rotations about it of one output — every draw at the same
    distance from the line's images, spread over the whole circle — and relaxed-equivariant."""
    line = np.array([[0.0, 0, -1.0], [0, 0, 0.2], [0, 0, 1.0]])
    data = sp.prepare(line[None], line[None])
    assert data.frames[0].linear and not data.frames[0].inversion
    model = _model("sympe")
    with float64_default():
        draws, _ = sp.draw(model, "sympe", data, 0, 200, np.random.default_rng(0))
        f = sp.sampler(model, "sympe", data, 0, np.random.default_rng(1))
        _, r = equivariance_errors(f, line, random_o3(2, seed=2), data.frames[0].stabiliser)
    d = draws - line
    radial = np.linalg.norm(d[:, :, :2], axis=-1)
    assert np.ptp(radial, axis=0).max() < 1e-9 and radial.max() > 1e-3  # same off-axis size, every draw
    angles = np.arctan2(d[:, 0, 1], d[:, 0, 0])
    assert stats.kstest((angles + np.pi) / (2 * np.pi), "uniform").pvalue > 1e-3
    assert r.max() < 0.1 * np.abs(d).max()  # within the discrete approximation of C∞v (24 rotations)
