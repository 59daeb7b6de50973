"""Rotations, spherical harmonics and Wigner-D matrices: textbook facts and e3nn's values.

Facts checked (e.g. Sakurai, *Modern Quantum Mechanics*, §3.3 and §3.6; e3nn's docs):
R(û, θ) rotates û-perpendicular vectors by θ counter-clockwise, R(û, θ)R(û, −θ) = I;
Y_l(Rx) = D_l(R) Y_l(x); D is a homomorphism, orthogonal, with trace χ_l(θ) =
sin((2l+1)θ/2)/sin(θ/2); component-normalised harmonics have |Y_l(r̂)|² = 2l + 1.
"""

import numpy as np
import pytest

from symbreak_cli.groups import (
    PointGroup,
    axis_angle,
    mirror,
    rot,
    rotation_axis_angle,
    spherical_harmonics,
    wigner_D,
)


def random_orthogonal(rng, n):
    """n random elements of O(3): half of them improper."""
    q, r = np.linalg.qr(rng.normal(size=(n, 3, 3)))
    q = q * np.sign(np.einsum("nii->ni", r))[:, None, :]
    return q * np.where(np.arange(n) % 2, -1.0, 1.0)[:, None, None]


def test_axis_angle_known_matrix():
    # 120° about [111] permutes the axes cyclically: x → y → z → x
    R = axis_angle([1, 1, 1], 2 * np.pi / 3)
    np.testing.assert_allclose(R, [[0, 0, 1], [1, 0, 0], [0, 1, 0]], atol=1e-15)
    np.testing.assert_allclose(axis_angle([0, 0, 2.0], np.pi / 2), [[0, -1, 0], [1, 0, 0], [0, 0, 1]], atol=1e-15)
    assert np.allclose(rot([0, 0, 1], 4), axis_angle([0, 0, 1], np.pi / 2))
    np.testing.assert_allclose(mirror([1, 0, 0]), np.diag([-1.0, 1, 1]))


def test_axis_angle_inverse_round_trip():
    rng = np.random.default_rng(1)
    for _ in range(50):
        u = rng.normal(size=3)
        u /= np.linalg.norm(u)
        theta = rng.uniform(0.01, np.pi - 0.01)
        R = axis_angle(u, theta)
        np.testing.assert_allclose(R @ R.T, np.eye(3), atol=1e-14)
        assert np.linalg.det(R) == pytest.approx(1.0)
        np.testing.assert_allclose(axis_angle(u, theta) @ axis_angle(u, -theta), np.eye(3), atol=1e-14)
        v, t = rotation_axis_angle(R)
        assert t == pytest.approx(theta, abs=1e-12)
        np.testing.assert_allclose(v, u, atol=1e-10)
        np.testing.assert_allclose(axis_angle(v, t), R, atol=1e-12)
    # θ = π: the axis comes from R + I, up to sign
    v, t = rotation_axis_angle(axis_angle([1, 2, 2], np.pi))
    assert t == pytest.approx(np.pi) and abs(abs(v @ np.array([1, 2, 2]) / 3) - 1) < 1e-12
    assert rotation_axis_angle(np.eye(3))[1] == 0.0


@pytest.mark.parametrize("l", range(0, 12))
def test_spherical_harmonics_equal_e3nn(l):
    torch = pytest.importorskip("torch")
    o3 = pytest.importorskip("e3nn.o3")
    x = np.random.default_rng(l).normal(size=(40, 3)) * 2.5
    for normalize in (True, False):
        ref = o3.spherical_harmonics(l, torch.tensor(x), normalize, normalization="component").numpy()
        np.testing.assert_allclose(spherical_harmonics(l, x, normalize=normalize), ref, atol=1e-10, rtol=1e-10)


def test_spherical_harmonics_facts():
    x = np.random.default_rng(0).normal(size=(30, 3))
    for l in range(7):
        Y = spherical_harmonics(l, x)
        np.testing.assert_allclose((Y**2).sum(axis=1), 2 * l + 1, rtol=1e-12)  # component normalisation
        assert spherical_harmonics(l, x[0]).shape == (2 * l + 1,)
    np.testing.assert_allclose(spherical_harmonics(1, x), np.sqrt(3) * x / np.linalg.norm(x, axis=1, keepdims=True))


@pytest.mark.parametrize("l, p", [(0, -1), (1, 1), (2, 1), (3, -1), (4, 1), (6, -1)])
def test_wigner_D_homomorphism_orthogonality_equivariance(l, p):
    rng = np.random.default_rng(10 * l + (p > 0))
    A, B = random_orthogonal(rng, 6), random_orthogonal(rng, 6)
    DA, DB, DAB = wigner_D(l, p, A), wigner_D(l, p, B), wigner_D(l, p, A @ B)
    np.testing.assert_allclose(DAB, DA @ DB, atol=1e-11)
    np.testing.assert_allclose(DA @ DA.transpose(0, 2, 1), np.broadcast_to(np.eye(2 * l + 1), DA.shape), atol=1e-11)
    # Y(Rx) = D(R) Y(x) for proper R; parity p for the inversion
    proper = A * np.linalg.det(A)[:, None, None]
    x = rng.normal(size=(5, 3))
    Yx, D = spherical_harmonics(l, x), wigner_D(l, (-1) ** l, proper)
    np.testing.assert_allclose(spherical_harmonics(l, np.einsum("aij,nj->ani", proper, x)),
                               np.einsum("aij,nj->ani", D, Yx), atol=1e-10)
    np.testing.assert_allclose(wigner_D(l, p, -np.eye(3)[None])[0], p * np.eye(2 * l + 1), atol=1e-12)


def test_wigner_D_trace_is_the_character():
    theta = 2 * np.pi * 0.137
    for l in range(6):
        D = wigner_D(l, 1, axis_angle([0.3, -0.2, 0.9], theta)[None])[0]
        assert np.trace(D) == pytest.approx(np.sin((2 * l + 1) * theta / 2) / np.sin(theta / 2), abs=1e-10)


@pytest.mark.parametrize("l, p", [(1, -1), (2, 1), (3, -1), (4, 1), (5, 1), (8, -1)])
def test_wigner_D_equals_e3nn(l, p):
    torch = pytest.importorskip("torch")
    o3 = pytest.importorskip("e3nn.o3")
    R = random_orthogonal(np.random.default_rng(3), 8)
    ref = o3.Irrep(l, p).D_from_matrix(torch.tensor(R)).numpy()
    np.testing.assert_allclose(wigner_D(l, p, R), ref, atol=1e-5)  # e3nn's own D is accurate to ~5e-7


def test_point_group_is_immutable():
    G = PointGroup.named("D4h")
    for name, value in (("order", 3), ("schoenflies", "C1"), ("classes", ()), ("_anything", 1)):
        with pytest.raises(AttributeError, match="immutable"):
            setattr(G, name, value)
    with pytest.raises(AttributeError):
        del G.hm
    for arr in (G.matrices, G.table, G.inverse, G.class_of):
        with pytest.raises(ValueError):
            arr[0] = 0
    with pytest.raises(TypeError):
        G.class_roles["principal"] = 0
    # the group owns its matrices: writing the caller's array later changes nothing
    mats = np.array(PointGroup.named("C2v").matrices)
    H = PointGroup.from_matrices(mats)
    mats[1] = 0.0
    assert H.schoenflies == "C2v" and np.allclose(H.matrices[1] @ H.matrices[1], np.eye(3))
