"""The point group a signal of O(3)-irrep coefficients still respects (relaxed-weight readout,
Hofgard et al. arXiv 2407.20471: cube → cube keeps Oh, cube → prism keeps D4h, E ∥ x with
B ∥ y keeps only the mirror ⟂ B)."""

import numpy as np
import pytest

pytest.importorskip("e3nn")

from symbreak_cli.errors import OptionError  # noqa: E402
from symbreak_cli.groups import (  # noqa: E402
    PointGroup,
    invariant_basis,
    new_invariant_basis,
    rot,
    stabilizer_of_signal,
    wigner_D,
)


def e3nn_D(l, p, matrices):
    """e3nn's own ``Irrep(l, p).D_from_matrix`` (the reference the numpy wigner_D must equal)."""
    import torch
    from e3nn import o3

    return o3.Irrep(l, p).D_from_matrix(torch.tensor(np.asarray(matrices), dtype=torch.float64)).numpy()


def random_rotation(seed):
    axis = np.random.default_rng(seed).normal(size=3)
    return rot(axis, 1000, 137)  # a generic angle about a generic axis

Oh, D4h = PointGroup.named("Oh"), PointGroup.named("D4h")


def test_e_and_b_fields_keep_one_mirror():
    s = stabilizer_of_signal({"0e": [1.0], "1o": [1.0, 0, 0], "1e": [0, 0.5, 0]})
    assert s.name == "Cs" and not s.is_continuous
    m = s.group.matrices[1]
    np.testing.assert_allclose(m, np.diag([1.0, -1.0, 1.0]), atol=1e-9)  # mirror y → −y
    assert s.group.ops[1].symbol == "m_[010]"


def test_cubic_l4_invariant_is_oh():
    c = invariant_basis(Oh, 4, 1)[0]
    assert abs(c[8] / c[4]) == pytest.approx(np.sqrt(5 / 7), rel=1e-5)  # paper's ratio
    s = stabilizer_of_signal({"0e": [1.0], "4e": c})
    assert (s.name, s.group.order) == ("Oh", 48)


def test_rotated_cubic_signal_is_oh_in_its_own_frame():
    Q = random_rotation(5)
    c = wigner_D(4, 1, Q[None])[0] @ invariant_basis(Oh, 4, 1)[0]
    s = stabilizer_of_signal({"4e": c})
    assert s.name == "Oh"
    rotated = np.einsum("ij,ajk,lk->ail", Q, Oh.matrices, Q)
    assert (s.group.index_of(rotated) >= 0).all()


def test_axial_prism_signal_is_d4h():
    b4 = invariant_basis(D4h, 4, 1)
    s = stabilizer_of_signal({"0e": [1.0], "2e": new_invariant_basis(Oh, D4h, 2, 1)[0], "4e": 0.3 * b4[0] + 0.7 * b4[1]})
    assert s.name == "D4h" and s.max_residual < 1e-5


def test_random_signals():
    rng = np.random.default_rng(0)
    full = {f"{l}{p}": rng.normal(size=2 * l + 1) for l in range(5) for p in "eo"}
    assert stabilizer_of_signal(full).name == "C1"
    even = {f"{l}e": rng.normal(size=2 * l + 1) for l in range(5)}
    assert stabilizer_of_signal(even).name == "Ci"  # parity-e parts are always inversion-invariant


def test_continuous_and_trivial_signals():
    s = stabilizer_of_signal({"1o": [0, 0, 2.0]})
    assert (s.name, s.is_continuous, s.group.schoenflies) == ("C∞v", True, "C6v")
    np.testing.assert_allclose(s.axis, [0, 0, 1], atol=1e-9)
    assert stabilizer_of_signal({"1e": [0, 1.0, 0]}).name == "C∞h"
    assert stabilizer_of_signal({"2e": new_invariant_basis(Oh, D4h, 2, 1)[0]}).name == "D∞h"
    o3 = stabilizer_of_signal({"0e": [1.0], "1o": [0, 0, 0]})
    assert o3.is_full_o3 and o3.group is None and o3.name == "O(3)"


def test_polynomial_wigner_matches_e3nn():
    g = PointGroup.named("Oh")
    for l, p in [(2, 1), (3, -1), (4, 1)]:
        np.testing.assert_allclose(wigner_D(l, p, g.matrices), e3nn_D(l, p, g.matrices), atol=1e-5)


def test_bad_signal():
    with pytest.raises(OptionError, match="components"):
        stabilizer_of_signal({"2e": [1.0, 2.0]})
    with pytest.raises(OptionError):
        stabilizer_of_signal({"1o": [1, 0, 0]}, tol=0)
