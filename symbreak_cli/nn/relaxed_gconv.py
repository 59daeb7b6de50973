r"""Relaxed group convolutions on voxel grids (Wang, Walters & Yu, ICML 2022).

A lifting layer takes fields on the grid to functions on G × grid, relaxed group
convolutions act on those, and an equivariant projection returns fields of the target's
channel types:

.. math::

   \text{lift:}\quad F(g, x) = \sum_y \sum_{l=1}^{L} w^0_l(g)\,
       \big[\rho_{in}(g)\,\psi^0_l(g^{-1}y)\,\rho_{in}(g)^{-1}\big] f(x+y)

   \text{group conv:}\quad (F \tilde\star \psi)(g, x) = \sum_{h\in G}\sum_y F(h, x+y)
       \sum_{l=1}^{L} w_l(h)\,\psi_l(g^{-1}h,\ g^{-1}y)

   \text{project:}\quad f_{out}(x) = \tfrac1{|G|}\sum_g \rho_{out}(g)\,A\,F(g, x)

The relaxed weights :math:`w_l(g)` (one per group element and filter bank, ``L =
filter_banks``) start equal, so the network starts exactly equivariant under G; it stays
equivariant under every H ⊂ G for which :math:`w(hg) = w(g)`. The kernels of all G
elements are gathered from one parameter tensor with precomputed indices, so a relaxed
layer costs one convolution, like the tied-weight one (``relaxed=False``: w fixed at 1,
one bank). The penalty is the group lasso on the non-trivial isotypic parts of w
(Fourier transform on G, :func:`~symbreak_cli.nn.grid_actions.isotypic_projectors`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from symbreak_cli.nn.grid_actions import GridGroup, channel_rep, isotypic_projectors, kernel_index
from symbreak_cli.nn.protocol import LayerReadout, RelaxedWeight

TINY = 1e-12  # isotypic parts below this norm get no penalty gradient (the lasso's kink)


@dataclass(frozen=True)
class GroupWeightLayout:
    """Layout of relaxed weights w (n_elements × banks, flattened element-major).

    ``labels`` are the real irreps of G (Mulliken), ``trivial`` the identity irrep's.
    """

    group: str
    labels: tuple[str, ...]
    order: int
    banks: int

    @property
    def dim(self) -> int:
        return self.order * self.banks

    @property
    def trivial(self) -> str:
        return self.labels[0]


@dataclass(frozen=True)
class GroupRelaxedWeight(RelaxedWeight):
    """A relaxed weight whose blocks are its isotypic parts (projections, not slices)."""

    projectors: torch.Tensor = None  # (r, n, n)

    def blocks(self) -> dict[str, torch.Tensor]:
        w = self.param
        return {lab: P @ w for lab, P in zip(self.layout.labels, self.projectors)}


def _init(shape, fan_in: int = 1) -> torch.nn.Parameter:
    return torch.nn.Parameter(torch.randn(*shape) / np.sqrt(max(fan_in, 1)))


class RelaxedGroupConvNet(torch.nn.Module):
    """Lift → ``layers`` relaxed group convolutions → projection; SiLU in between (the projection
    reads the last layer both before and after it, so linear dynamics are fitted exactly).

    Parameters
    ----------
    group : the grid group (:func:`~symbreak_cli.nn.grid_actions.grid_group`)
    input_types, target_types : channel types of the input and target fields
    relaxed : relaxed weights per element (True) or tied (the equivariant baseline)
    filter_banks : L, kernels mixed by the relaxed weights (1 when tied)
    hidden : channels per group element
    layers : relaxed group-convolution layers after the lifting layer
    kernel : odd kernel size
    periodic : circular padding (else zeros)
    residual : add the input to the output (only when input and target types agree)
    """

    def __init__(self, group: GridGroup, input_types, target_types, *, relaxed: bool = True, filter_banks: int = 2,
                 hidden: int = 4, layers: int = 1, kernel: int = 3, periodic: bool = False, residual: bool = True):
        super().__init__()
        self.group, self.relaxed, self.periodic, self.kernel = group, relaxed, periodic, kernel
        self.input_types, self.target_types = tuple(input_types), tuple(target_types)
        self.residual = residual and self.input_types == self.target_types
        n, d, L = group.order, group.dim, (filter_banks if relaxed else 1)
        K, c_in, c_out = kernel ** d, len(input_types), len(target_types)
        self.banks, self.hidden = L, hidden
        labels, _, projs = isotypic_projectors(group)
        self.irrep_labels = tuple(labels)
        self.register_buffer("projectors", torch.as_tensor(projs, dtype=torch.get_default_dtype()))
        smap = kernel_index(group, kernel)  # (n, K)
        self.register_buffer("smap", torch.as_tensor(smap, dtype=torch.long))
        gh = group.inv_mul[:, :, None] * K + smap[:, None, :]  # (n_g, n_h, K): flat index of (g⁻¹h, g⁻¹y)
        self.register_buffer("ghmap", torch.as_tensor(gh, dtype=torch.long))
        inv = group.inverse
        self.register_buffer("rho_in_inv", torch.as_tensor(
            np.stack([channel_rep(self.input_types, group.mats3[inv[g]], d) for g in range(n)]),
            dtype=torch.get_default_dtype()))
        self.register_buffer("rho_out", torch.as_tensor(
            np.stack([channel_rep(self.target_types, m, d) for m in group.mats3]), dtype=torch.get_default_dtype()))
        # kernels are stored in units of their 1/sqrt(fan-in) scale (entries ~ N(0, 1)), so an AdamW step
        # changes them by the same relative amount as the relaxed weights (~1): with the scale inside the
        # parameter, a 16³ drift fit stalled at 0.023 × mean(y²) in 150 epochs; with it outside, 0.0013
        self.lift_scale = float(1 / np.sqrt(L * c_in * K))
        self.conv_scale = float(1 / np.sqrt(L * hidden * n * K))
        self.lift = _init((L, hidden, c_in, K))
        self.convs = torch.nn.ParameterList([_init((L, hidden, hidden, n, K)) for _ in range(layers)])
        self.biases = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(hidden)) for _ in range(layers + 1)])
        self.proj = _init((c_out, 2 * hidden), 2 * hidden)  # reads the last layer with and without SiLU
        self.register_buffer("scalar_out", torch.as_tensor([t == "scalar" for t in self.target_types],
                                                           dtype=torch.get_default_dtype()))
        self.out_bias = torch.nn.Parameter(torch.zeros(c_out))
        self.all_scalar_out = all(t == "scalar" for t in self.target_types)
        ones = [torch.ones(n, L) for _ in range(layers + 1)]
        if relaxed:
            self.weights = torch.nn.ParameterList([torch.nn.Parameter(w) for w in ones])
        else:
            for k, w in enumerate(ones):
                self.register_buffer(f"tied_{k}", w)

    # --- the network -------------------------------------------------------------------------------------
    def _w(self, k: int) -> torch.Tensor:
        return self.weights[k] if self.relaxed else getattr(self, f"tied_{k}")

    def _conv(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        p = self.kernel // 2
        d = self.group.dim
        x = F.pad(x, (p,) * (2 * d), mode="circular" if self.periodic else "constant")
        return (F.conv2d if d == 2 else F.conv3d)(x, weight, bias.repeat_interleave(self.group.order))

    def lift_kernel(self) -> torch.Tensor:
        """(hidden·n, C_in, k…): K[h, g, c] = Σ_l w_l(g) (ψ_l(g⁻¹ ·) ρ_in(g)⁻¹)[h, c]."""
        n, k, d = self.group.order, self.kernel, self.group.dim
        psi = self.lift[..., self.smap] * self.lift_scale  # (L, H, C, n, K)
        ker = torch.einsum("lhcgk,gl,gcd->hgdk", psi, self._w(0), self.rho_in_inv)
        return ker.reshape(self.hidden * n, -1, *(k,) * d)

    def conv_kernel(self, layer: int) -> torch.Tensor:
        """(O·n_g, C·n_h, k…): K[o, g, c, h] = Σ_l w_l(h) ψ_l[o, c, g⁻¹h, g⁻¹y]."""
        n, k, d = self.group.order, self.kernel, self.group.dim
        p = self.convs[layer] * self.conv_scale
        L, O, C = p.shape[:3]
        psi = p.reshape(L, O, C, -1)[..., self.ghmap]  # (L, O, C, n_g, n_h, K)
        ker = torch.einsum("locghk,hl->ogchk", psi, self._w(layer + 1))
        return ker.reshape(O * n, C * n, *(k,) * d)

    def head(self) -> torch.Tensor:
        r"""(C_out, 2, hidden·n): the projection as one map from G × hidden channels,
        :math:`M[a, s, (h, g)] = \tfrac1{|G|}\sum_b \rho_{out}(g)_{ab} A[b, s, h]` (s = 0 reads
        SiLU(F), s = 1 reads F), so f_out = M₀·SiLU(F) + M₁·F per voxel.
        """
        n, H = self.group.order, self.hidden
        A = self.proj.view(-1, 2, H)
        if self.all_scalar_out:
            M = A[..., None].expand(*A.shape, n)
        else:
            M = torch.einsum("gab,bsh->ashg", self.rho_out, A)
        return M.reshape(A.shape[0], 2, H * n) / n

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """(S, hidden·n, *grid): the last layer's functions on G × grid (channel h·n + g), before SiLU."""
        h = self._conv(x, self.lift_kernel(), self.biases[0])
        for k in range(len(self.convs)):
            h = self._conv(F.silu(h), self.conv_kernel(k), self.biases[k + 1])
        return h

    def forward(self, batch) -> torch.Tensor:
        x = batch.x
        h = self.features(x).flatten(2)  # (S, H·n, V)
        S = h.shape[0]
        # the projection and Σ_g ρ_out(g) as one (C_out × H·n) map per voxel: batched matrix products
        # read the big tensor once each, with no concatenated copy of SiLU(F) and F
        M = self.head().unsqueeze(0).expand(S, -1, -1, -1)
        out = torch.bmm(M[:, :, 0], F.silu(h)) + torch.bmm(M[:, :, 1], h)
        out = out.reshape(S, -1, *x.shape[2:])
        out = out + (self.out_bias * self.scalar_out).view(-1, *(1,) * self.group.dim)
        return out + x if self.residual else out

    # --- the RelaxedModel protocol -----------------------------------------------------------------------
    def layout(self) -> GroupWeightLayout:
        return GroupWeightLayout(self.group.name, self.irrep_labels, self.group.order, self.banks)

    def relaxed_weights(self) -> list[RelaxedWeight]:
        if not self.relaxed:
            return []
        lay = self.layout()
        return [GroupRelaxedWeight(f"weights.{k}", w, lay, self.projectors) for k, w in enumerate(self.weights)]

    def _nontrivial(self, w: torch.Tensor) -> torch.Tensor:
        """(r−1, n, L): the non-trivial isotypic parts of w."""
        return torch.einsum("rab,bl->ral", self.projectors[1:], w)

    def penalty(self) -> torch.Tensor:
        total = self.projectors.new_zeros(())
        for w in self.relaxed_weights():
            total = total + self._nontrivial(w.param).flatten(1).norm(dim=1).sum()
        return total

    def add_penalty_grad(self, reg: float) -> None:
        if reg == 0:
            return
        with torch.no_grad():
            for w in self.relaxed_weights():
                parts = self._nontrivial(w.param)
                norms = parts.flatten(1).norm(dim=1)
                scale = torch.where(norms > TINY, 1.0 / norms.clamp_min(TINY), torch.zeros_like(norms))
                g = reg * (parts * scale.view(-1, 1, 1)).sum(0)  # P symmetric: ∂‖Pw‖/∂w = Pw/‖Pw‖
                if w.param.grad is None:
                    w.param.grad = g.clone()
                else:
                    w.param.grad.add_(g)

    def relaxed_readout(self) -> list[LayerReadout]:
        return [LayerReadout(w.name, w.layout, w.param.detach().cpu().double().numpy().reshape(-1).copy())
                for w in self.relaxed_weights()]

    def weight_matrices(self) -> list[np.ndarray]:
        """Per relaxed layer, w as an (n_elements, banks) float64 array."""
        return [w.param.detach().cpu().double().numpy().copy() for w in self.relaxed_weights()]
