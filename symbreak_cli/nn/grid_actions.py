r"""Point groups acting on voxel grids and on the channels of fields.

A grid group is a finite point group whose Cartesian matrices have integer entries
(signed permutations): C4 and D4 acting on the xy plane of a 2D grid, O and Oh on a cubic
3D grid. The matrices come from :func:`symbreak_cli.groups.named_group` (no hand-typed
tables); in 2D an element is the xy block of the 3D matrix (D4's C2' rotations become
mirrors of the plane). With grid coordinates centred on the grid,

.. math:: (g\cdot f)_c(x) = \sum_{c'} \rho(g)_{cc'}\, f_{c'}(g^{-1}x),

where ρ is 1 on scalars, det g on pseudoscalars, g on the components of a vector and
(det g)·g on those of a pseudovector. Functions on G × grid (the hidden features of a
group convolution) move as :math:`(k\cdot F)(g, x) = F(k^{-1}g, k^{-1}x)`.

>>> G = grid_group("C4", 2)
>>> G.order, G.labels[:2], G.inverse.tolist()
(4, ('1', '4+_[001]'), [0, 3, 2, 1])
>>> import numpy as np
>>> f = np.arange(4.0).reshape(1, 2, 2)           # one scalar channel on a 2×2 grid
>>> act_grid_np(f, G.mats[1]).tolist()            # rotate by +90° about z
[[[1.0, 3.0], [0.0, 2.0]]]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

GROUPS = {2: ("C4", "D4"), 3: ("O", "Oh")}
DEFAULT_GROUP = {2: "C4", 3: "O"}


@dataclass(frozen=True)
class GridGroup:
    """A point group as signed-permutation matrices of a ``dim``-dimensional grid.

    Attributes
    ----------
    name : Schoenflies name ('C4', 'D4', 'O', 'Oh')
    dim : 2 or 3
    mats3 : (n, 3, 3) int, the Cartesian matrices (element 0 is the identity)
    """

    name: str
    dim: int
    mats3: np.ndarray

    @property
    def order(self) -> int:
        return len(self.mats3)

    @cached_property
    def mats(self) -> np.ndarray:
        """(n, dim, dim) int: the action on grid coordinates."""
        return self.mats3[:, :self.dim, :self.dim].copy()

    @cached_property
    def table(self) -> np.ndarray:
        """(n, n) int: table[a, b] = index of g_a g_b."""
        flat = {m.tobytes(): i for i, m in enumerate(self.mats3)}
        prod = np.einsum("aij,bjk->abik", self.mats3, self.mats3)
        return np.array([[flat[prod[a, b].tobytes()] for b in range(self.order)] for a in range(self.order)])

    @cached_property
    def inverse(self) -> np.ndarray:
        """(n,) int: index of g⁻¹."""
        return np.argmax(self.table == 0, axis=1)

    @cached_property
    def inv_mul(self) -> np.ndarray:
        """(n, n) int: inv_mul[g, h] = index of g⁻¹h."""
        return self.table[self.inverse]

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """Seitz-like symbols of the elements ('1', '4+_[001]', 'm_[100]', …)."""
        from symbreak_cli.groups import classify

        return tuple(classify(m.astype(float)).symbol for m in self.mats3)

    def point_group(self):
        """The :class:`~symbreak_cli.groups.PointGroup` of the 3D matrices."""
        from symbreak_cli.groups import PointGroup

        return PointGroup(self.mats3.astype(float))


def grid_group(name: str, dim: int) -> GridGroup:
    """The grid group ``name`` ('C4', 'D4' in 2D; 'O', 'Oh' in 3D); identity first."""
    from symbreak_cli.errors import OptionError
    from symbreak_cli.groups import named_group

    if name not in GROUPS.get(dim, ()):
        raise OptionError(f"--group {name} does not act on a {dim}D grid; choose one of {', '.join(GROUPS[dim])}")
    m = named_group(name).matrices
    mats = np.rint(m).astype(np.int64)
    if not np.allclose(m, mats, atol=1e-9):
        raise ValueError(f"{name} has non-integer matrices")  # cannot happen for these groups
    is_id = np.all(mats == np.eye(3, dtype=np.int64), axis=(1, 2))
    order = np.concatenate([np.flatnonzero(is_id), np.flatnonzero(~is_id)])
    return GridGroup(name, dim, mats[order])


def signed_permutation(M: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(dims, flips) with (g·f)(x) = f(g⁻¹x) = f.flip(flips).permute(dims) on the grid axes.

    Column j of the signed permutation M has its ±1 in row σ(j): (g⁻¹x)_j = s_j x_σ(j).
    """
    M = np.asarray(M)
    d = len(M)
    sigma = [int(np.flatnonzero(M[:, j])[0]) for j in range(d)]
    flips = tuple(j for j in range(d) if M[sigma[j], j] < 0)
    dims = [0] * d
    for j in range(d):
        dims[sigma[j]] = j
    return tuple(dims), flips


def channel_rep(types, M3: np.ndarray, dim: int) -> np.ndarray:
    """(C, C) float64: ρ(g) on channels of the given types (see the module docstring)."""
    M3 = np.asarray(M3, dtype=np.float64)
    M = M3[:dim, :dim]
    det = float(np.linalg.det(M))
    C = len(types)
    rho = np.zeros((C, C))
    i = 0
    while i < C:
        kind = types[i].partition(".")[0]
        if kind == "scalar":
            rho[i, i], i = 1.0, i + 1
        elif kind == "pseudoscalar":
            rho[i, i], i = det, i + 1
        else:
            rho[i:i + dim, i:i + dim] = M * (float(np.linalg.det(M3)) if kind == "pseudovector" else 1.0)
            i += dim
    return rho


def act_grid_np(f: np.ndarray, M: np.ndarray) -> np.ndarray:
    """f(g⁻¹x) for an array whose last ``len(M)`` axes are the grid (numpy)."""
    dims, flips = signed_permutation(M)
    lead = f.ndim - len(M)
    out = np.flip(f, axis=tuple(lead + j for j in flips)) if flips else f
    return np.transpose(out, tuple(range(lead)) + tuple(lead + d for d in dims))


def act_grid(t, M: np.ndarray):
    """f(g⁻¹x) for a torch tensor whose last ``len(M)`` axes are the grid."""
    dims, flips = signed_permutation(M)
    lead = t.dim() - len(M)
    if flips:
        t = t.flip([lead + j for j in flips])
    return t.permute(*range(lead), *(lead + d for d in dims))


def kernel_index(G: GridGroup, k: int) -> np.ndarray:
    """(n, k^dim) int: flat index of g⁻¹y in a k×…×k kernel, for each g and flat y."""
    idx = np.arange(k ** G.dim).reshape((k,) * G.dim)
    return np.stack([act_grid_np(idx, m).reshape(-1) for m in G.mats])


def isotypic_projectors(G: GridGroup) -> tuple[list[str], list[int], np.ndarray]:
    r"""(labels, dims, P): P (r, n, n) projects a function w on G onto the isotypic part of
    each real irrep of G (character-table projection in the left-regular representation,
    :math:`P_\rho \propto \sum_g \chi_\rho(g) L(g)`, scaled to be idempotent; P is symmetric).
    """
    from symbreak_cli.groups import character_table

    pg = G.point_group()
    table = character_table(pg)
    # element order of pg may differ from G.mats3: map by index_of
    where = pg.index_of(G.mats3.astype(float))
    n = G.order
    labels, dims, projs = [], [], []
    for ir in table.irreps:
        chi = table.element_characters(ir)[where]
        P = np.zeros((n, n))
        for g in range(n):  # (L(g) w)(x) = w(g⁻¹x): L(g)[x, g⁻¹x] = 1
            P[np.arange(n), G.inv_mul[g]] += chi[g]
        P /= np.trace(P @ P) / np.trace(P)
        labels.append(ir.label)
        dims.append(int(ir.dim))
        projs.append(P)
    return labels, dims, np.stack(projs)


def invariant_projector(G: GridGroup, subgroup: np.ndarray) -> np.ndarray:
    """(n, n): w ↦ (mean over h ∈ H of w(h g)) — the part of w invariant under H ⊂ G."""
    n = G.order
    P = np.zeros((n, n))
    for h in subgroup:
        P[np.arange(n), G.table[h]] += 1.0
    return P / len(subgroup)


def grid_element(R, dim: int) -> np.ndarray:
    """The integer ``dim``×``dim`` grid action of a 3×3 matrix R (a signed permutation;
    in 2D R must keep the z axis). Raises ValueError for any other matrix.
    """
    R = np.asarray(R, dtype=np.float64)
    M = np.rint(R).astype(np.int64)
    ok = np.allclose(R, M, atol=1e-6) and np.all(np.abs(M).sum(0) == 1) and np.all(np.abs(M).sum(1) == 1)
    if not ok or (dim == 2 and abs(M[2, 2]) != 1):
        raise ValueError("a grid moves only under signed permutations of its axes (integer point-group matrices)")
    return M


@dataclass
class FieldBatch:
    """Fields on a grid, for a group-convolution model (:class:`~symbreak_cli.nn.protocol.Batch`).

    Attributes
    ----------
    x : (S, C_in, *grid) input fields
    y : (S, C_out, *grid) target fields
    input_types, target_types : channel types (:mod:`symbreak_cli.io.fields`)
    periodic : whether the grid wraps around
    """

    x: object
    y: object
    input_types: tuple[str, ...]
    target_types: tuple[str, ...]
    periodic: bool

    @property
    def dim(self) -> int:
        return self.x.dim() - 2

    @property
    def target(self):
        return self.y

    @property
    def n_samples(self) -> int:
        return int(self.x.shape[0])

    def select(self, samples) -> "FieldBatch":
        return FieldBatch(self.x[samples], self.y[samples], self.input_types, self.target_types, self.periodic)

    def to(self, device=None, dtype=None) -> "FieldBatch":
        return FieldBatch(self.x.to(device=device, dtype=dtype), self.y.to(device=device, dtype=dtype),
                          self.input_types, self.target_types, self.periodic)

    def _act(self, R, t, types):
        import torch

        M3 = grid_element(R, self.dim)
        rho = torch.as_tensor(channel_rep(types, M3, self.dim), dtype=t.dtype, device=t.device)
        return torch.einsum("cd,sd...->sc...", rho, act_grid(t, M3[:self.dim, :self.dim]))

    def act(self, R) -> "FieldBatch":
        """Input and target moved by the point operation R (3×3, a signed permutation)."""
        return FieldBatch(self._act(R, self.x, self.input_types), self._act(R, self.y, self.target_types),
                          self.input_types, self.target_types, self.periodic)

    def act_on_output(self, R, y):
        return self._act(R, y, self.target_types)
