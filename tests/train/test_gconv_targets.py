"""Reproduction targets of relaxed group convolutions (Wang, Walters & Yu, ICML 2022; Wang
et al. 2024): the kept subgroup of the trained weights is the symmetry of the data's map.
"""

import pytest

from symbreak_cli.io.fields import write_fields
from symbreak_cli.train.config import TrainConfig
from symbreak_cli.train.sample_data import advected_blobs, square_images


def _run(tmp_path, x, y, periodic, **kw):
    from symbreak_cli.workflows.train import train_relaxed

    path = tmp_path / "f.h5"
    write_fields(path, x, y, periodic=periodic)
    cfg = TrainConfig(data=str(path), out=str(tmp_path / "run"), model="gconv", device="cpu", **kw)
    return train_relaxed(cfg, force=True).gconv


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_square_to_square_keeps_c4(tmp_path, seed):
    g = _run(tmp_path, *square_images(False, seed=seed), False, epochs=150, seed=seed)
    assert g.verdict == "kept" and g.kept.name == "C4"
    f = g.layers[0].fourier  # paper: (4.03, 0, 0, 0); the scale trades against the kernels', the pattern does not
    assert min(f["A"]) > 0.5 and max(f["B"] + f["E"]) < 1e-3 * min(f["A"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_square_to_rectangle_keeps_c2(tmp_path, seed):
    g = _run(tmp_path, *square_images(True, seed=seed), False, epochs=150, seed=seed)
    assert g.verdict == "kept" and g.kept.name == "C2" and g.kept.order == 2
    f = g.layers[0].fourier  # paper: (4.05, 1.87, 0, 0): the C2-invariant B part carries the breaking
    assert max(f["B"]) > 0.05 * max(f["A"]) and max(f["E"]) < 1e-3 * max(f["A"])
    assert {i.label for i in g.irreps if i.breaking} == {"B"}
    relaxed, tied = ({e.model: e.mean for e in g.equivariance}[k] for k in ("relaxed", "equivariant"))
    assert tied < 1e-5 < relaxed and g.data_asymmetry > 2


@pytest.mark.slow
@pytest.mark.parametrize("drift,group,kept", [((0, 0, 1.0), "O", "C4"), ((0, 0, 0), "O", "O"),
                                              ((0, 0, 1.0), "Oh", "C4v")])
def test_3d_advection_keeps_the_symmetry_of_the_drift(tmp_path, drift, group, kept):
    x, y = advected_blobs(n_samples=10, size=6, drift=drift, seed=0)
    g = _run(tmp_path, x, y, True, epochs=200, lr=5e-2, group=group, hidden=2)
    assert g.verdict == "kept" and g.kept.name == kept, g.kept.description
    if kept != group:
        assert "axis along z" in g.kept.description
        # a drift is a polar vector: without the vector irrep the weights would keep the z → −z
        # operations (D4 / D4h), so it must be present
        vector = {"O": "T1", "Oh": "T1u"}[group]
        norms = {i.label: i.norm for i in g.irreps}
        assert norms[vector] > 1e-2 * g.irreps[0].norm
        # irreps that cannot carry G → H (no H-invariant vector) stay at zero
        trivial = g.irreps[0].label
        assert all(i.norm < 1e-3 * g.irreps[0].norm for i in g.irreps if not i.breaking and i.label != trivial)
