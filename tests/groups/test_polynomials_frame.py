"""New invariants of a child in rotated axes: written in the child's own axes (sparse, small
integers) with those axes named, instead of a dense polynomial of noisy coefficients; the
forms are checked by evaluation under every group element, with a negative control.
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.groups import PointGroup
from symbreak_cli.groups._harmonics import eval_monomials, monomials
from symbreak_cli.groups._polynomials import (
    _tidy,
    describe_new_invariants,
    describe_polynomial,
    new_invariant_polynomials,
    sparse_new_invariants,
    symmetry_frame,
)


def _rotation(seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def _turned(K: PointGroup, Q: np.ndarray) -> PointGroup:
    return PointGroup.from_matrices(np.einsum("ij,gjk,lk->gil", Q, K.matrices, Q))


def _strip(text: str) -> str:
    return text.split(" in axes ")[0].replace("′", "").split(" (")[0]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("l", [2, 4])
def test_rotated_d4h_child_reads_as_in_standard_axes(seed, l):
    Q = _rotation(seed)
    Oh, D4h = PointGroup.named("Oh"), PointGroup.named("D4h")
    (standard,) = describe_new_invariants(Oh, D4h, l, 1)
    (rotated,) = describe_new_invariants(_turned(Oh, Q), _turned(D4h, Q), l, 1)
    assert _strip(rotated) == _strip(standard)  # −x′² − y′² + 2z′², −x′⁴ + 12x′²y′² − …
    assert " in axes x′ = [" in rotated
    frame = symmetry_frame(_turned(D4h, Q))
    assert abs(abs(frame[2] @ Q[:, 2]) - 1) < 1e-9  # z′ on the 4-fold axis
    # the dense form the old printing gave in these axes has more terms
    (dense,) = [describe_polynomial(c, l, 1) for c in new_invariant_polynomials(_turned(Oh, Q), _turned(D4h, Q), l, 1)]
    assert dense.count("x") + dense.count("y") > rotated.split(" in axes")[0].count("x") + \
        rotated.split(" in axes")[0].count("y")


@pytest.mark.parametrize("seed", [0, 3])
def test_forms_in_the_named_axes_are_invariant_under_every_child_element(seed):
    Q = _rotation(seed)
    G, H = _turned(PointGroup.named("Oh"), Q), _turned(PointGroup.named("D4h"), Q)
    l = 4
    frame, (form,) = sparse_new_invariants(G, H, l, 1)
    assert frame is not None
    X = np.random.default_rng(seed).normal(size=(40, 3))
    mons = monomials(l)

    def f(points):  # the printed polynomial, in the named axes x′ = F x
        return eval_monomials(mons, points @ frame.T) @ form

    assert all(np.allclose(f(X @ R.T), f(X)) for R in H.matrices)
    lost = [R for R in G.matrices if not any(np.allclose(R, S, atol=1e-8) for S in H.matrices)]
    assert not all(np.allclose(f(X @ R.T), f(X)) for R in lost)  # it does break G


def test_standard_axes_and_axisless_groups_keep_the_present_axes():
    assert symmetry_frame(PointGroup.named("D4h")) is None
    assert symmetry_frame(PointGroup.named("Ci")) is None
    assert describe_new_invariants(PointGroup.named("D6h"), PointGroup.named("C6v"), 3, -1) == ("3x²z + 3y²z − 2z³",)


def test_several_new_invariants_come_in_echelon_form():
    Q = _rotation(5)
    got = describe_new_invariants(_turned(PointGroup.named("Oh"), Q), _turned(PointGroup.named("D2h"), Q), 2, 1)
    assert [_strip(t) for t in got] == ["x² − z²", "y² − z²"]


def test_tidy_rounds_relative_to_the_largest():
    np.testing.assert_array_equal(_tidy(np.array([1.0, 1e-9, 2.5])), [2.0, 0.0, 5.0])
    np.testing.assert_array_equal(_tidy(np.array([np.sqrt(2) - 1, 1.0])), [0.414, 1.0])
    np.testing.assert_array_equal(_tidy(np.array([-1e-3, 2e-10, -2e-3])), [1.0, 0.0, 2.0])
