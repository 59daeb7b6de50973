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
