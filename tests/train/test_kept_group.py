"""The kept group of nearly compatible blocks: the nearest closed group, never 'no group'.

Fact: a vector E (1o) and an axial vector B (1e) with E ⟂ B are both invariant under
exactly one non-trivial operation, the mirror ⟂ B (Cs) — E lies in that mirror, and an
axial vector ⟂ the mirror is unchanged by it. Fitted directions are a few mrad off; the
verdict must not depend on how far within the tolerance they are.
"""

import numpy as np
import pytest

from symbreak_cli.groups import stabilizer_of_signal


def _tilted(v, eps, rng):
    v = np.asarray(v, float) + eps * rng.normal(size=3)
    return v / np.linalg.norm(v)


@pytest.mark.parametrize("seed", range(6))
def test_nearly_orthogonal_e_and_b_give_cs_with_the_mirror_perpendicular_to_b(seed):
    rng = np.random.default_rng(seed)
    E, B = 1.0 * _tilted([1, 0, 0], 2e-3, rng), 1.6 * _tilted([0, 1, 0], 2e-3, rng)
    s = stabilizer_of_signal({"0e": [0.7], "1o": E, "1e": B}, tol=8e-3)
    assert s.name == "Cs" and s.max_residual <= 8e-3
    m = s.group.matrices[1]  # a mirror: R = I − 2nnᵀ, n ⟂ the mirror
    n = np.linalg.eigh(np.eye(3) - m)[1][:, -1]
    assert abs(n @ B) / np.linalg.norm(B) > 0.999


def test_a_tolerance_below_the_misfit_keeps_only_the_identity():
    """Negative control: the same tilted signal is C1 when tol is below its misfit."""
    rng = np.random.default_rng(1)
    E, B = _tilted([1, 0, 0], 2e-3, rng), 1.6 * _tilted([0, 1, 0], 2e-3, rng)
    assert stabilizer_of_signal({"1o": E, "1e": B}, tol=1e-5).name == "C1"


def _e_only(path, E=(1.0, 0.0, 0.0), n=10, frames=51, dt=0.1):
    from symbreak_cli.io.h5 import write_h5md

    rng = np.random.default_rng(0)
    pos, vel = np.zeros((frames, n, 3)), np.zeros((frames, n, 3))
    pos[0, :, 0] = 100.0 * np.arange(n)
    vel[0] = rng.normal(size=(n, 3))
    for t in range(frames - 1):  # a = E, whatever v: B = 0
        vel[t + 1] = vel[t] + dt * np.asarray(E)
        pos[t + 1] = pos[t] + dt * vel[t]
    write_h5md(path, pos, velocities=vel, times=dt * np.arange(frames), species=np.ones(n, dtype=np.int64))
    return str(path)


@pytest.mark.parametrize("seed", [0, pytest.param(1, marks=pytest.mark.slow)])
def test_electric_field_only_keeps_c_infinity_v_about_e(tmp_path, seed):
    """Charges in E alone: a = E is invariant under every rotation about E and every mirror
    containing it — C∞v (∞m), an infinite group, named so, with its axis along E."""
    from symbreak_cli.train.config import TrainConfig
    from symbreak_cli.workflows.train import train_relaxed

    r = train_relaxed(TrainConfig(data=_e_only(tmp_path / "e.h5"), out=str(tmp_path / "r"), seed=seed, restarts=1,
                                  epochs=300, device="cpu"))
    k = r.symmetry.kept
    assert r.symmetry.verdict == "kept" and (k.schoenflies, k.hm, k.is_continuous) == ("C∞v", "∞m", True)
    assert abs(np.array(k.continuous_axis) @ [1, 0, 0]) > 0.999
    assert {b.irrep for b in r.symmetry.evidence.blocks if b.verdict == "needed"} == {"1o"}
