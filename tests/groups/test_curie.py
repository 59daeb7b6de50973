"""Curie's principle / Kaba & Ravanbakhsh (arXiv 2312.09016): an equivariant network cannot
lower the symmetry of its input, Stab(x) ⊆ Stab(f(x)). A D4h-symmetric input has no
1o invariant, so any e3nn network's pooled 1o output vanishes; a C4v input may keep a
1o output, but only along the 4-fold axis."""

import pytest

torch = pytest.importorskip("torch")
o3 = pytest.importorskip("e3nn.o3")

from symbreak_cli.groups import PointGroup, n_invariants  # noqa: E402


def _network(seed: int):
    torch.manual_seed(seed)
    sh = o3.Irreps.spherical_harmonics(3)
    hidden = o3.Irreps("4x0e + 4x0o + 4x1o + 4x1e + 4x2e + 4x2o")
    tp1 = o3.FullyConnectedTensorProduct(sh, sh, hidden).double()
    tp2 = o3.FullyConnectedTensorProduct(hidden, sh, "3x0e + 3x1o").double()

    def f(pos: torch.Tensor) -> torch.Tensor:
        y = o3.spherical_harmonics(sh, pos, normalize=False)
        h = tp1(y, y)
        out = tp2(h, y).sum(0)  # pooled over points
        return out[3:]  # the 3x1o block

    return f


SQUARE = [[1.0, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_d4h_square_gives_zero_polar_vector(seed):
    assert n_invariants(PointGroup.named("D4h"), 1, -1) == 0
    f = _network(seed)
    with torch.no_grad():
        out = f(torch.tensor(SQUARE, dtype=torch.float64))
        broken = f(torch.tensor(SQUARE[:-1] + [[0.1, -1.0, 0.2]], dtype=torch.float64))
    assert out.abs().max() < 1e-6
    assert broken.abs().max() > 1e-3  # the same network does output a vector for a broken square


def test_c4v_pyramid_keeps_vector_along_axis():
    assert n_invariants(PointGroup.named("C4v"), 1, -1) == 1
    f = _network(0)
    with torch.no_grad():
        out = f(torch.tensor(SQUARE + [[0, 0, 0.7]], dtype=torch.float64)).reshape(3, 3)  # (x, y, z) rows
    assert out[:, :2].abs().max() < 1e-6 and out[:, 2].abs().max() > 1e-3
