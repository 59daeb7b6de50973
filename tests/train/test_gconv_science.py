"""Relaxed group convolutions against the physics of their data: the BaTiO3 fields target of
Wang, Walters & Yu (ICML 2024: weight stabilisers of order 48, 8, 4 for cubic → cubic, → P4mm,
→ Amm2), the data's own asymmetry from least-squares fits, and the relaxed equivariance of
Kaba & Ravanbakhsh (f(g·x) ∈ g·Stab(x)·f(x)).
"""

import numpy as np
import pytest
import torch

from symbreak_cli.io.fields import write_fields
from symbreak_cli.nn.grid_actions import FieldBatch, act_grid_np, grid_group
from symbreak_cli.train.config import TrainConfig
from symbreak_cli.train.gconv_analysis import name_subgroup
from symbreak_cli.train.gconv_asymmetry import linear_asymmetry
from symbreak_cli.train.sample_data import advected_blobs, perovskite_fields, perovskite_sites, square_images

# phase → (space group number of the cell (International Tables), stabiliser order in Oh, axis words; a cubic
# group is named without an axis: it has three 4-fold ones)
PHASES = {"cubic": (221, 48, "Oh"), "tetragonal": (99, 8, "4-fold axis along z"),
          "orthorhombic": (38, 4, "2-fold axis along [0 1 1]")}


def _stabiliser(G, f):
    return tuple(k for k, m in enumerate(G.mats) if np.abs(act_grid_np(f, m) - f).max() <= 1e-9 * np.abs(f).max())


@pytest.mark.parametrize("phase", list(PHASES))
def test_perovskite_cells_are_the_literature_space_groups_and_their_fields_the_point_groups(phase):
    """spglib: the displaced cells are Pm-3m (221), P4mm (99), Amm2 (38) — BaTiO3's cubic, tetragonal
    and orthorhombic phases; the target fields' Oh stabilisers have the point-group orders 48, 8, 4.
    """
    import spglib

    number, order, axis = PHASES[phase]
    species, frac = perovskite_sites(phase)
    z = {"Ba": 56, "Ti": 22, "O": 8}
    ds = spglib.get_symmetry_dataset((np.eye(3) * 4.0, frac, [z[s] for s in species]), symprec=1e-4)
    assert ds.number == number
    G = grid_group("Oh", 3)
    x, y = perovskite_fields(phase, n_samples=2)
    assert all(len(_stabiliser(G, xi)) == 48 for xi in x)
    H = _stabiliser(G, y[0])
    assert len(H) == order and all(_stabiliser(G, yi) == H for yi in y)
    assert axis in name_subgroup(G, H)[1]


def _train(tmp_path, x, y, periodic, **kw):
    from symbreak_cli.workflows.train import train_relaxed

    path = tmp_path / "f.h5"
    write_fields(path, x, y, periodic=periodic)
    cfg = TrainConfig(data=str(path), out=str(tmp_path / "run"), model="gconv", device="cpu", **kw)
    return train_relaxed(cfg, force=True).gconv


def _fit_relaxed(phase, epochs=30, seed=0):
    from symbreak_cli.nn.relaxed_gconv import RelaxedGroupConvNet
    from symbreak_cli.train.loop import fit

    x, y = perovskite_fields(phase, n_samples=2, seed=seed)
    types = ("scalar",) * 3
    b = FieldBatch(torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32), types, types, True)
    torch.manual_seed(seed)
    G = grid_group("Oh", 3)
    m = RelaxedGroupConvNet(G, types, types, hidden=2, layers=0, periodic=True)
    fit(m, b, None, TrainConfig(data="-", epochs=epochs, reg=0.0, seed=seed), label="relaxed")
    return G, m, b


@pytest.mark.parametrize("phase,seed", [("cubic", 0), ("tetragonal", 0), ("orthorhombic", 0), ("orthorhombic", 1)])
def test_batio3_weight_stabiliser_is_the_distorted_phase_point_group(phase, seed):
    """The paper's BaTiO3 experiment: from equal weights, plain (un-penalised) gradient steps keep
    w invariant under exactly Stab(X) ∩ Stab(Y): order 48 (m-3m), 8 (4mm about z), 4 (mm2 about
    [011]). The relaxed model breaks the symmetry of the cubic input, yet only within its
    stabiliser: relaxed equivariance error 0 where the ordinary one is not.
    """
    from symbreak_cli.train.gconv_analysis import equivariance_error_pair, weight_stabilizer

    _, order, axis = PHASES[phase]
    G, m, b = _fit_relaxed(phase, seed=seed)
    H = weight_stabilizer(G, m.weight_matrices())
    assert len(H) == order and axis in name_subgroup(G, H)[1], name_subgroup(G, H)
    e = equivariance_error_pair(m, b, G)
    assert [len(s) for s in e.stabilizers] == [48, 48] and e.relaxed.max() < 1e-6
    assert (e.ordinary.max() > 1e-3) == (order < 48)


def test_batio3_report_fields(tmp_path):
    """The run's gconv block: weight stabiliser order, Stab(x) of the inputs, relaxed equivariance
    and the linear-response asymmetry (> 0.5: the polar displacement is linear in the density).
    """
    g = _train(tmp_path, *perovskite_fields("tetragonal", n_samples=2), True, group="Oh", epochs=20, reg=0.0, hidden=2)
    assert g.weight_stabilizer_order == 8 and "4-fold axis along z" in g.weight_stabilizer
    assert set(g.input_stabilizers) == {"48"}  # every validation input is the cubic cell
    relaxed = next(e for e in g.equivariance if e.model == "relaxed")
    assert relaxed.relaxed_mean < 1e-6 < relaxed.mean and len(relaxed.relaxed_per_element) == 48
    assert g.data_asymmetry_linear.asymmetry > 0.5 and g.data_asymmetry_linear.n_equivariant == 39


# a distortion is seen only when the fit error is well below the breaking it would average away (mm2 must
# beat 3m about [111], which removes only ⅓ of it): the distorted phases need the closer fit of the README's
# command (the sample files: 6 samples, hidden 4, 400 epochs at lr 0.05); the cubic verdict does not
FULL = dict(n_samples=6, epochs=400, hidden=4, lr=0.05)


@pytest.mark.slow
@pytest.mark.parametrize("phase,kw", [("cubic", dict(n_samples=4, epochs=200, hidden=2)), ("tetragonal", FULL),
                                      ("orthorhombic", FULL)])
def test_batio3_kept_subgroup_on_evidence(tmp_path, phase, kw):
    """With the default group lasso, the kept subgroup judged on validation evidence is m-3m, 4mm
    about z, mm2 about [011] — and so is the weights' stabiliser (to WEIGHT_TOL).
    """
    _, order, axis = PHASES[phase]
    kw = dict(kw)
    n = kw.pop("n_samples")
    g = _train(tmp_path, *perovskite_fields(phase, n_samples=n), True, group="Oh", **kw)
    assert g.verdict == "kept" and g.kept.order == order and axis in g.kept.description, g.kept.description
    assert g.weight_stabilizer_order == order, g.weight_stabilizer


# --- the data's own asymmetry, without a network --------------------------------------------------------
def _asym(G, x, y, periodic, types=("scalar",)):
    h = len(x) * 3 // 4
    return linear_asymmetry(G, x[:h], y[:h], x[h:], y[h:], types, types, periodic=periodic)


@pytest.mark.parametrize("seed", [0, 1])
def test_linear_asymmetry_zero_on_symmetric_data_large_on_broken(seed):
    O, C4 = grid_group("O", 3), grid_group("C4", 2)
    still = _asym(O, *advected_blobs(drift=(0, 0, 0), seed=seed), True)
    drift = _asym(O, *advected_blobs(drift=(0, 0, 1.0), seed=seed), True)
    assert abs(still.asymmetry) < 0.02 and drift.asymmetry > 0.5
    assert still.free_rel < 1e-3  # linear diffusion: the linear proxy fits
    square = _asym(C4, *square_images(False, seed=seed), False)
    rect = _asym(C4, *square_images(True, seed=seed), False)
    assert abs(square.asymmetry) < 1e-6 and rect.asymmetry > 0.2
    assert (still.n_free, still.n_equivariant, square.n_free, square.n_equivariant) == (28, 5, 10, 4)


def test_linear_asymmetry_is_unitless():
    O = grid_group("O", 3)
    x, y = advected_blobs(n_samples=8, drift=(0, 0, 1.0))
    a = _asym(O, x, y, True).asymmetry
    assert _asym(O, 7.0 * x, 7.0 * y, True).asymmetry == pytest.approx(a, rel=1e-6)


def test_equivariant_fit_equals_the_fit_on_the_group_augmented_data():
    """min over G-equivariant stencils of the loss on D = min over all stencils of the loss on
    {g·D}: an independent check of the Reynolds projector, with vector channels.
    """
    from symbreak_cli.nn.grid_actions import channel_rep

    G = grid_group("D4", 2)
    types = ("scalar", "vector.x", "vector.y")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(3, 3, 5, 5)), rng.normal(size=(3, 3, 5, 5))
    la = linear_asymmetry(G, x, y, x, y, types, types, periodic=True)

    def move(f, m3, m):
        return np.einsum("cd,sd...->sc...", channel_rep(types, m3, 2), act_grid_np(f, m))

    xa = np.concatenate([move(x, m3, m) for m3, m in zip(G.mats3, G.mats)])
    ya = np.concatenate([move(y, m3, m) for m3, m in zip(G.mats3, G.mats)])
    aug = linear_asymmetry(G, xa, ya, xa, ya, types, types, periodic=True)
    assert aug.free_rel == pytest.approx(la.equivariant_rel, rel=1e-8)
    assert aug.asymmetry == pytest.approx(0.0, abs=1e-8) and la.asymmetry > 0.01


# --- relaxed equivariance --------------------------------------------------------------------------------
def _net(G, weights_under=None, seed=0):
    from symbreak_cli.nn.grid_actions import invariant_projector
    from symbreak_cli.nn.relaxed_gconv import RelaxedGroupConvNet
    from symbreak_cli.testing.relaxed_model import float64_default

    with float64_default():
        torch.manual_seed(seed)
        m = RelaxedGroupConvNet(G, ("scalar",) * 3, ("scalar",) * 3, hidden=2, layers=1, periodic=True, residual=False)
        with torch.no_grad():
            for w in m.weights:
                v = torch.randn_like(w)
                if weights_under is not None:
                    v = torch.as_tensor(invariant_projector(G, weights_under)) @ v
                w.copy_(v)
    return m


def _batch():
    x, y = perovskite_fields("tetragonal", n_samples=1, size=6)  # Stab(x) = Oh, Stab(y) = C4v
    rnd = np.random.default_rng(3).normal(size=x.shape)  # Stab = C1
    xs = torch.as_tensor(np.concatenate([x, y, rnd]))
    return FieldBatch(xs, xs.clone(), ("scalar",) * 3, ("scalar",) * 3, True)


def test_relaxed_equivariance_matches_the_generic_point_cloud_definition():
    """Per sample, the batched errors equal symmetry.canonical.equivariance_errors (one input at a
    time, the min over Stab(x) written out), for a model with unconstrained random weights.
    """
    from symbreak_cli.symmetry.canonical import equivariance_errors
    from symbreak_cli.train.gconv_analysis import equivariance_error_pair, field_stabilizers

    G = grid_group("Oh", 3)
    m, b = _net(G), _batch()
    stabs = field_stabilizers(G, b)
    assert [len(s) for s in stabs] == [48, 8, 1]
    got = equivariance_error_pair(m, b, G)
    types = ("scalar",) * 3  # scalar channels: inputs and outputs move alike, as the generic function assumes

    def f(a):
        with torch.no_grad():
            t = torch.as_tensor(np.ascontiguousarray(a))
            return m(FieldBatch(t, t, types, types, True)).numpy()

    act = lambda g, v: act_grid_np(v, np.rint(g).astype(int))  # noqa: E731
    dist = lambda p, q: float(np.abs(p - q).mean())  # noqa: E731
    scale = float(np.abs(f(b.x.numpy())).mean())
    some = np.arange(0, G.order, 5)  # every 5th element (the generic loop is slow)
    want_o, want_r = np.zeros(len(some)), np.zeros(len(some))
    for s in range(3):
        o, r = equivariance_errors(f, b.x.numpy()[s:s + 1], G.mats3[some].astype(float),
                                   G.mats3[list(stabs[s])].astype(float), act=act, distance=dist)
        want_o += o / 3 / scale
        want_r += r / 3 / scale
    np.testing.assert_allclose(got.ordinary[some], want_o, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got.relaxed[some], want_r, rtol=1e-9, atol=1e-12)
    assert (got.relaxed[some] < got.ordinary[some] - 1e-3).any()  # the stabilisers matter
    assert got.relaxed.max() > 1e-2  # random weights, an input with trivial stabiliser: not relaxed-equivariant


def test_relaxed_equivariance_of_a_c4v_model():
    """Weights invariant under C4v about z: on the cubic cell (Stab = Oh) the output breaks Oh
    (ordinary error > 0) but relaxed error 0; on a field with trivial stabiliser both errors
    are 0 exactly on C4v and > 0 off it.
    """
    from symbreak_cli.train.gconv_analysis import equivariance_error_pair, subgroups

    G = grid_group("Oh", 3)
    c4v = next(H for H in subgroups(G) if len(H) == 8 and name_subgroup(G, H)[0] == "C4v"
               and "axis along z" in name_subgroup(G, H)[1])
    m, b = _net(G, weights_under=c4v), _batch()
    cubic = equivariance_error_pair(m, b.select([0]), G)
    assert cubic.ordinary.max() > 1e-3 and cubic.relaxed.max() < 1e-12
    rnd = equivariance_error_pair(m, b.select([2]), G)
    inside = np.isin(np.arange(G.order), c4v)
    assert rnd.ordinary[inside].max() < 1e-12 and rnd.ordinary[~inside].min() > 1e-3
    np.testing.assert_array_equal(rnd.relaxed, rnd.ordinary)
