"""assert_equivariant: passes equivariant maps, fails broken ones, per dtype tolerance."""

import numpy as np
import pytest

from symbreak_cli.groups import named_group
from symbreak_cli.testing import FLOAT_TOLERANCE, assert_equivariant
from symbreak_cli.testing.equivariance import group_elements

ACT = lambda R, v: v @ R.T  # noqa: E731
X = np.random.default_rng(0).normal(size=(7, 3))


def test_o3_elements_are_random_orthogonal_with_both_determinants():
    g = group_elements("O(3)", n_random=5)
    assert g.shape == (10, 3, 3)
    np.testing.assert_allclose(g @ g.transpose(0, 2, 1), np.broadcast_to(np.eye(3), g.shape), atol=1e-12)
    assert sorted(np.round(np.linalg.det(g)).tolist()) == [-1.0] * 5 + [1.0] * 5


@pytest.mark.parametrize("group", ["O(3)", named_group("Oh"), named_group("D6h")], ids=["O3", "Oh", "D6h"])
def test_equivariant_map_passes(group):
    f = lambda x: np.cross(x[:1], x[1:2]) * (x ** 2).sum() + x.mean(0, keepdims=True)  # noqa: E731
    pseudo = lambda R, v: np.linalg.det(R) * v @ R.T  # noqa: E731  (a cross product is axial)
    assert assert_equivariant(lambda x: x.mean(0, keepdims=True), group, X, ACT, ACT) < FLOAT_TOLERANCE["float64"]
    assert assert_equivariant(lambda x: np.cross(x[:1], x[1:2]), group, X, ACT, pseudo) < 1e-10
    with pytest.raises(AssertionError, match="not equivariant"):  # the axial part acted on as polar
        assert_equivariant(f, group, X, ACT, ACT)


def test_finite_group_checks_every_element():
    # invariant under D4h about z (x ↔ y, sign flips) but not under the 3-fold axes of Oh
    f = lambda x: np.array([[0.0, 0.0, 1.0]]) * (x[:, 2] ** 2).sum() * 0 + (x[:, :2] ** 2).sum() * np.ones((1, 1))  # noqa: E731
    assert_equivariant(f, named_group("D4h"), X, ACT, lambda R, v: v)
    with pytest.raises(AssertionError):
        assert_equivariant(lambda x: np.array([[(x[:, 2] ** 2).sum()]]), named_group("Oh"), X, ACT, lambda R, v: v)


def test_dtype_picks_the_tolerance():
    noisy = lambda x: x.mean(0, keepdims=True) + 1e-6 * np.sin(1e3 * x[:1])  # noqa: E731
    assert_equivariant(noisy, "O(3)", X, ACT, ACT, dtype="float32")
    with pytest.raises(AssertionError):
        assert_equivariant(noisy, "O(3)", X, ACT, ACT, dtype=np.float64)
