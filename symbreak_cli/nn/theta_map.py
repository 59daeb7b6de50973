r"""A weighted fully connected tensor product with one operand shared, as a matrix.

For a relaxed weight :math:`\theta` shared by every node and edge, the bilinear map

.. math::

    \mathrm{TP}(x, \theta; w)_{c,w,k} = \sum_{p=(a,b,c)} \alpha_p \sum_{u,v} w^{p}_{uvw}
        \sum_{i,q} C^{l_a l_b l_c}_{iqk}\, x_{a,u,i}\, \theta_{b,v,q}

is *linear* in :math:`x` once :math:`\theta` is fixed: :math:`\mathrm{TP}(x,\theta;w) = x\,M(\theta, w)`.
:class:`ThetaMap` builds the (dim_in × dim_out) matrix :math:`M` in four tensor operations
whatever the number of paths :math:`p`:

1. one matrix–vector product gives, for every non-zero entry :math:`e = (p,u,v,w,i,k)`
   of :math:`M`, the path block entry :math:`K^{p}_{v,ik} = \alpha_p\sum_q C^{p}_{iqk}
   \theta_{b,v,q}` (a precomputed dense (nnz × dim θ) basis; only (i, k) pairs where the
   Clebsch–Gordan block is non-zero are kept);
2. gather :math:`w^p_{uvw}` for every entry; 3. multiply; 4. ``index_add`` into :math:`M`.

The model then applies :math:`M` to all nodes (or edges) with one matmul, so the cost of
the relaxation per step is independent of the number of edges and nearly independent of
how many irreps :math:`\theta` holds — the equivariant baseline runs the very same
operations with :math:`\theta = (1)` of irreps ``0e``.

Normalisation and weight layout are e3nn's ``FullyConnectedTensorProduct`` defaults
(``irrep_normalization="component"``, ``path_normalization="element"``):
:math:`\alpha_p = \sqrt{(2l_c+1)/\sum_{p'\to c} \mathrm{mul}_a\,\mathrm{mul}_b}`, weights
flattened path by path as (mul_a, mul_b, mul_c); ``tests/nn`` checks
:math:`M(\theta) = ` ``FullyConnectedTensorProduct(...).right(θ)`` to rounding.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from e3nn import o3


def fully_connected_paths(irreps_in1: o3.Irreps, irreps_in2: o3.Irreps, irreps_out: o3.Irreps):
    """(i_in1, i_in2, i_out) of every allowed path, in e3nn's instruction order."""
    return [(i1, i2, io) for i1, (_, ir1) in enumerate(irreps_in1) for i2, (_, ir2) in enumerate(irreps_in2)
            for io, (_, ir_out) in enumerate(irreps_out) if ir_out in ir1 * ir2]


class ThetaMap(torch.nn.Module):
    r"""``forward(theta) -> M`` with ``x @ M == FullyConnectedTensorProduct(in, theta, out)(x, theta)``.

    Parameters
    ----------
    irreps_in : irreps of the operand the matrix is applied to (rows of M)
    irreps_theta : irreps of the shared operand :math:`\theta`
    irreps_out : irreps of the result (columns of M)

    Attributes
    ----------
    weight : (weight_numel,) learnable path weights, initialised N(0, 1) like e3nn
    """

    def __init__(self, irreps_in, irreps_theta, irreps_out):
        super().__init__()
        self.irreps_in, self.irreps_theta, self.irreps_out = (o3.Irreps(irreps_in), o3.Irreps(irreps_theta),
                                                              o3.Irreps(irreps_out))
        in1, in2, out = self.irreps_in, self.irreps_theta, self.irreps_out
        paths = fully_connected_paths(in1, in2, out)
        fan = {io: sum(in1[a].mul * in2[b].mul for a, b, o in paths if o == io) for io in range(len(out))}
        s1, s2, so = in1.slices(), in2.slices(), out.slices()
        g_rows, g_cols, g_vals, widx, kidx, midx = [], [], [], [], [], []
        n_w = n_k = 0
        for a, b, c in paths:
            (m1, ir1), (m2, ir2), (mo, iro) = in1[a], in2[b], out[c]
            alpha = math.sqrt(iro.dim / fan[c])
            w3j = o3.wigner_3j(ir1.l, ir2.l, iro.l, dtype=torch.float64).numpy()  # (d1, d2, do)
            ii, kk = np.nonzero(np.abs(w3j).sum(axis=1) > 1e-12)  # the non-zero (i, k) of the block
            nz = len(ii)
            for v in range(m2):
                # K[n_k + v·nz + t] = α Σ_q C[i_t, q, k_t] θ[s2[b].start + v·d2 + q]
                for q in range(ir2.dim):
                    g_rows.append(np.full(nz, s2[b].start + v * ir2.dim + q))
                    g_cols.append(n_k + v * nz + np.arange(nz))
                    g_vals.append(alpha * w3j[ii, q, kk])
            u, v, w, t = np.meshgrid(np.arange(m1), np.arange(m2), np.arange(mo), np.arange(nz), indexing="ij")
            widx.append((n_w + (u * m2 + v) * mo + w).ravel())
            kidx.append((n_k + v * nz + t).ravel())
            rows = s1[a].start + u * ir1.dim + ii[t]
            cols = so[c].start + w * iro.dim + kk[t]
            midx.append((rows * out.dim + cols).ravel())
            n_w += m1 * m2 * mo
            n_k += m2 * nz
        cat = lambda parts, dt: np.concatenate(parts).astype(dt) if parts else np.zeros(0, dt)  # noqa: E731
        G = np.zeros((in2.dim, n_k))
        if g_rows:
            np.add.at(G, (cat(g_rows, np.int64), cat(g_cols, np.int64)), cat(g_vals, np.float64))
        self.weight_numel = n_w
        if n_w:
            self.weight = torch.nn.Parameter(torch.randn(n_w))
        else:  # no allowed path (e.g. 0e ⊗ 0e → 1o): M = 0, and no empty parameter for DDP
            self.register_buffer("weight", torch.zeros(0), persistent=False)
        # basis[e] = G[:, kidx[e]]: the K gather folded into the θ product, so building M
        # needs one gather (of w) whatever θ's gradient, and θ's backward is one mv
        basis = G[:, cat(kidx, np.int64)].T
        self.register_buffer("basis", torch.as_tensor(np.ascontiguousarray(basis), dtype=torch.get_default_dtype()),
                             persistent=False)
        for name, idx in (("widx", widx), ("midx", midx)):
            self.register_buffer(name, torch.as_tensor(cat(idx, np.int64)), persistent=False)

    @property
    def nnz(self) -> int:
        """Number of (weight, CG) products summed into M."""
        return int(self.midx.numel())

    def forward(self, theta: torch.Tensor) -> torch.Tensor:
        """M(θ), shape (irreps_in.dim, irreps_out.dim)."""
        vals = self.weight[self.widx] * torch.mv(self.basis, theta)
        m = vals.new_zeros(self.irreps_in.dim * self.irreps_out.dim).index_add(0, self.midx, vals)
        return m.view(self.irreps_in.dim, self.irreps_out.dim)

    def extra_repr(self) -> str:
        return f"{self.irreps_in} x {self.irreps_theta} -> {self.irreps_out} | {self.weight_numel} weights"
