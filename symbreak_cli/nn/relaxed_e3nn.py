r"""Relaxed E(3) graph network on e3nn (Hofgard, Wang, Walters, Smidt, arXiv 2407.20471).

Each layer owns a relaxed weight :math:`\theta` holding every O(3) irrep up to
``l_relaxed`` in both parities (0e, 0o, 1o, 1e, 2e, 2o, …), one copy shared by all nodes,
edges and channels, initialised :math:`\theta_{0e} = 1`, rest 0. It enters the layer twice:

.. math::

    F_{ij} &= \mathrm{TP}(Y(\hat r_{ij}), \theta)                     &\text{(relaxed filter)}\\
    m_{ij} &= \mathrm{TP}\big(x_j, F_{ij};\ w(|r_{ij}|)\big)          &\text{(message)}\\
    x'_i  &= \mathrm{TP}(x_i, \theta) + \tfrac{1}{\bar n}\textstyle\sum_{j} m_{ij}
                                                                       &\text{(update)}

The first product also covers per-node tasks without edges (a single charged particle):
there only :math:`\mathrm{TP}(x_i,\theta)` acts. The network satisfies
:math:`f(gx; D(g)\theta) = g\,f(x;\theta)`, so it is equivariant exactly under the
stabiliser of :math:`\theta` — at initialisation, all of O(3).

Speed: θ is shared, so both products with θ are *linear maps fixed per forward pass*.
:class:`~symbreak_cli.nn.theta_map.ThetaMap` builds each as a (dim_in × dim_out) matrix
once per step in four tensor operations (whatever the number of paths); per node/edge the
relaxation then costs one small matmul.

``relaxed=False`` gives the baseline: the same network with θ fixed to the scalar
:math:`\theta = (1)` of irreps 0e — exactly what the relaxed model is at initialisation —
so ``TP(x, θ)`` is an equivariant linear self-interaction and ``TP(Y, θ)`` a per-l
rescaling of Y. Both models run the same operations on tensors of the same shapes (the
filter holds both parities up to ``lmax_filter`` in both; the baseline's other-parity
channels are zero), so their step times differ only by the size of θ. The baseline is
equivariant under all of O(3) at every step.
"""

from __future__ import annotations

import math

import torch
from e3nn import o3
from e3nn.nn import FullyConnectedNet, Gate

from symbreak_cli.nn.protocol import LayerReadout, RelaxedWeight, ThetaLayout
from symbreak_cli.nn.theta_map import ThetaMap

PENALTY_EPS = 1e-12  # θ units²: smooths √‖θ_g‖² so its gradient at the θ = 0 start is finite


def smooth_finite_basis(length: torch.Tensor, cutoff: float, number: int) -> torch.Tensor:
    r"""e3nn's ``soft_one_hot_linspace(length, 0, cutoff, number, "smooth_finite", cutoff=True)``
    in plain tensor operations (e3nn's soft unit step is an ``autograd.Function`` that
    ``torch.func.vmap`` cannot batch; the values are the same to rounding, tested):
    :math:`1.14136\,e^2\,u(d+1)\,u(1-d)` with :math:`u(x) = e^{-1/x}` for x > 0 (else 0)
    and d the distance to each of ``number`` centres in units of their spacing.
    """
    values = torch.linspace(0.0, cutoff, number + 2, dtype=length.dtype, device=length.device)
    step = values[1] - values[0]
    diff = (length[..., None] - values[1:-1]) / step

    def unit_step(x):
        pos = x > 0.0
        return torch.where(pos, torch.exp(-1.0 / torch.where(pos, x, torch.ones_like(x))), torch.zeros_like(x))

    return 1.14136 * math.exp(2.0) * unit_step(diff + 1) * unit_step(1 - diff)


def all_parities(lmax: int, mul: int = 1) -> o3.Irreps:
    """``mul`` copies of every O(3) irrep up to ``lmax`` (θ's order: 0e+0o+1o+1e+…)."""
    return o3.Irreps([(mul, (l, p)) for l, p in ThetaLayout.up_to(lmax).irreps])


class RelaxedLayer(torch.nn.Module):
    """One relaxed interaction layer (see the module docstring for the maths).

    Parameters
    ----------
    irreps_in, irreps_out : node feature irreps before/after the layer
    irreps_sh : edge spherical-harmonics irreps (natural parity, l ≤ lmax_sh)
    l_relaxed : highest l in θ; ``relaxed=False`` fixes θ = (1) of irreps 0e (the baseline)
    lmax_filter : highest l of the filter F_ij fed to the message product (both parities,
        in both models, so relaxed and baseline share one cost structure)
    n_basis, radial_hidden : radial MLP on ``n_basis`` smooth basis functions
    use_edges : False for per-node tasks without edges (no message product at all)
    """

    def __init__(self, irreps_in, irreps_out, irreps_sh, *, relaxed: bool, l_relaxed: int,
                 lmax_filter: int = 2, n_basis: int = 8, radial_hidden: int = 16, use_edges: bool = True):
        super().__init__()
        self.irreps_in, self.irreps_out = o3.Irreps(irreps_in), o3.Irreps(irreps_out)
        self.relaxed, self.use_edges = relaxed, use_edges
        self.layout = ThetaLayout.up_to(l_relaxed) if relaxed else ThetaLayout.scalar()
        self.irreps_theta = o3.Irreps(self.layout.irreps_str)
        init = torch.as_tensor(self.layout.initial(), dtype=torch.get_default_dtype())
        if relaxed:
            self.theta = torch.nn.Parameter(init)
            index = torch.as_tensor(self.layout.component_irrep())
            self.register_buffer("irrep_index", index, persistent=False)  # θ component → irrep number
            # P[g, c] = 1 when component c belongs to non-scalar irrep g + 1 (0e, irrep 0, left out)
            groups = (index[None, :] == torch.arange(1, len(self.layout.irreps))[:, None]).to(torch.get_default_dtype())
            self.register_buffer("groups", groups, persistent=False)
            self.register_buffer("groups_t", groups.T.contiguous(), persistent=False)
            self.register_buffer("eps", torch.full((len(groups),), PENALTY_EPS), persistent=False)
        else:  # a constant, not a parameter: the baseline is equivariant at every step
            self.register_buffer("theta_fixed", init, persistent=False)
        self.self_map = ThetaMap(self.irreps_in, self.irreps_theta, self.irreps_out)
        if use_edges:
            self.irreps_filter = all_parities(lmax_filter)
            self.filter_map = ThetaMap(o3.Irreps(irreps_sh), self.irreps_theta, self.irreps_filter)
            self.msg_tp = o3.FullyConnectedTensorProduct(self.irreps_in, self.irreps_filter, self.irreps_out,
                                                         shared_weights=False, internal_weights=False)
            self.radial = FullyConnectedNet([n_basis, radial_hidden, self.msg_tp.weight_numel], torch.nn.functional.silu)

    def forward(self, x, edge_src, edge_dst, edge_sh, edge_basis, inv_neighbors: float):
        theta = self.theta if self.relaxed else self.theta_fixed
        out = x @ self.self_map(theta)
        if self.use_edges:  # also with 0 edges, so every parameter is always in the graph (DDP)
            filt = edge_sh @ self.filter_map(theta)
            msg = self.msg_tp(x[edge_src], filt, self.radial(edge_basis))
            out = out.index_add(0, edge_dst, msg * inv_neighbors)
        return out


class RelaxedE3Network(torch.nn.Module):
    """Relaxed (or, with ``relaxed=False``, equivariant) E(3) graph network.

    Parameters
    ----------
    irreps_in, irreps_out : per-node input/output irreps, e.g. ``"1x0e+1x1o"`` → ``"1x1o"``
    layers : number of interaction layers (gated nonlinearity between layers)
    mul : channels per hidden irrep (hidden = mul × (0e+0o+1o+1e+2e+2o))
    cutoff : edge cutoff radius (same length unit as the data); the radial basis goes
        smoothly to zero there
    avg_neighbors : messages are summed and divided by this (from the training data)

    Implements :class:`~symbreak_cli.nn.protocol.RelaxedModel`: ``forward(batch)`` on a
    :class:`~symbreak_cli.nn.graph.GraphBatch` (or ``forward_graph(x, edge_src, edge_dst,
    edge_vec)`` with ``x`` (n, irreps_in.dim), ``edge_vec = r_dst − r_src`` (E, 3)); returns
    (n, irreps_out.dim).

    >>> net = RelaxedE3Network("0e", "1o", relaxed=True, l_relaxed=2)
    >>> [w.name for w in net.relaxed_weights()], net.relaxed_readout()[0].layout.labels[:3]
    (['layers.0.theta'], ('0e', '0o', '1o'))
    >>> float(net.penalty().detach())
    0.0
    """

    def __init__(self, irreps_in, irreps_out, *, relaxed: bool = True, l_relaxed: int = 2, layers: int = 1,
                 mul: int = 8, cutoff: float = 2.5, n_basis: int = 8, radial_hidden: int = 16,
                 avg_neighbors: float = 1.0, use_edges: bool = True):
        super().__init__()
        self.irreps_in, self.irreps_out = o3.Irreps(irreps_in), o3.Irreps(irreps_out)
        self.cutoff, self.n_basis, self.relaxed = float(cutoff), n_basis, relaxed
        self.l_relaxed, self.use_edges = l_relaxed, use_edges
        self.inv_neighbors = 1.0 / max(float(avg_neighbors), 1.0)
        # θ_l reaches filter irreps l_f ≤ 2 only through Y_l' with l' ≥ l − 2
        self.irreps_sh = o3.Irreps.spherical_harmonics(max(2, l_relaxed))
        self.sh = o3.SphericalHarmonics(self.irreps_sh, normalize=True, normalization="component")
        self._edge_cache: tuple | None = None  # (edge_vec, its version, (sh, basis)): see edge_features
        self.layers = torch.nn.ModuleList()
        self.gates = torch.nn.ModuleList()
        irreps = self.irreps_in
        gated = all_parities(2, mul)[2:]  # 1o, 1e, 2e, 2o
        for k in range(layers):
            last = k == layers - 1
            if last:
                target = self.irreps_out
            else:
                gate = Gate(o3.Irreps(f"{mul}x0e+{mul}x0o"), [torch.nn.functional.silu, torch.tanh],
                            o3.Irreps(f"{gated.num_irreps}x0e"), [torch.sigmoid], gated)
                target = gate.irreps_in
            self.layers.append(RelaxedLayer(irreps, target, self.irreps_sh, relaxed=relaxed, l_relaxed=l_relaxed,
                                            n_basis=n_basis, radial_hidden=radial_hidden, use_edges=use_edges))
            if not last:
                self.gates.append(gate)
                irreps = gate.irreps_out

    def reset_weights(self) -> None:
        """Redraw every network weight from torch's global generator as the constructor
        does (``torch.randn`` of each shape, in registration order) and put θ back to its
        start: after ``torch.manual_seed(s)`` the network equals a new one built after the
        same seed (tested), without rebuilding its tensor-product tables.
        """
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith(".theta"):
                    p.copy_(torch.as_tensor(self.layers[int(name.split(".")[1])].layout.initial(), dtype=p.dtype))
                else:
                    p.copy_(torch.randn(p.shape, dtype=p.dtype))

    def relaxed_weights(self) -> list[RelaxedWeight]:
        """θ of every relaxed layer, in layer order (none for the baseline)."""
        return [RelaxedWeight(f"layers.{k}.theta", layer.theta, layer.layout)
                for k, layer in enumerate(self.layers) if layer.relaxed]

    def relaxed_readout(self) -> list[LayerReadout]:
        """θ per relaxed layer as float64 numpy arrays in e3nn's basis."""
        return [LayerReadout(w.name, w.layout, w.param.detach().cpu().double().numpy().copy())
                for w in self.relaxed_weights()]

    def penalty(self, eps: float = PENALTY_EPS) -> torch.Tensor:
        r"""Group lasso :math:`\sum_{\text{layers}}\sum_{(l,p)\neq 0e}\sqrt{\|\theta_{l,p}\|^2+\epsilon}`.

        Smoothed by ``eps`` so its gradient at the θ = 0 start is finite, and shifted by
        the constant :math:`\sqrt\epsilon` per irrep so it is exactly 0 at the equivariant
        start (the gradient is unchanged). Per layer three tensor operations (square,
        segment sum by irrep, root) whatever ``l_relaxed`` is.
        """
        total = None
        for layer in self.layers:
            if layer.relaxed:
                sq = layer.theta.new_zeros(len(layer.layout.irreps)).index_add(0, layer.irrep_index, layer.theta ** 2)
                term = torch.sqrt(sq[1:] + eps).sum() - (len(sq) - 1) * math.sqrt(eps)
                total = term if total is None else total + term
        if total is None:
            return torch.zeros(())
        return total

    def add_penalty_grad(self, reg: float) -> None:
        r"""Add :math:`\lambda\,\partial(\text{penalty})/\partial\theta` to ``θ.grad`` in place.

        .. math::

            \frac{\partial}{\partial\theta_{c}}\sum_{g}\sqrt{\|\theta_g\|^2+\epsilon}
            = \frac{\theta_{c}}{\sqrt{\|\theta_{g(c)}\|^2+\epsilon}}\quad(c\ \text{not in 0e; else } 0)

        The same gradient as backpropagating :meth:`penalty` (tested), without building an
        autograd graph: five small tensor operations per layer, which keeps the relaxed
        model's training step close to the baseline's even on tiny data, where every
        operation's overhead counts. Call after ``backward()`` (under DDP all ranks add the
        same term, θ being in sync).
        """
        if not reg:
            return
        with torch.no_grad():
            for layer in self.layers:
                if layer.relaxed:
                    theta = layer.theta
                    inv = torch.addmv(layer.eps, layer.groups, theta * theta).rsqrt_()  # 1/‖θ_g‖ per irrep g
                    if theta.grad is None:
                        theta.grad = torch.zeros_like(theta)
                    theta.grad.addcmul_(theta, torch.mv(layer.groups_t, inv), value=reg)

    def forward(self, batch) -> torch.Tensor:
        """Prediction (n, irreps_out.dim) for a :class:`~symbreak_cli.nn.graph.GraphBatch`."""
        return self.forward_graph(batch.x, batch.edge_src, batch.edge_dst, batch.edge_vec)

    def edge_features(self, edge_vec):
        """(Y(r̂_ij), radial basis) of the edges. They depend on the geometry only, which a
        training run feeds unchanged at every step: the last result is reused while
        ``edge_vec`` is the very same tensor, unmodified (the cache holds a reference, so
        its memory cannot be reused by another tensor) and needs no gradient.
        """
        c = self._edge_cache
        if c is not None and c[0] is edge_vec and c[1] == edge_vec._version:
            return c[2]
        edge_sh = self.sh(edge_vec)
        edge_basis = smooth_finite_basis(edge_vec.norm(dim=1), self.cutoff, self.n_basis) * math.sqrt(self.n_basis)
        if not edge_vec.requires_grad:
            self._edge_cache = (edge_vec, edge_vec._version, (edge_sh, edge_basis))
        return edge_sh, edge_basis

    def forward_graph(self, x, edge_src, edge_dst, edge_vec):
        if self.use_edges:  # also with 0 edges, so every parameter is always in the graph (DDP)
            edge_sh, edge_basis = self.edge_features(edge_vec)
        else:
            edge_sh = edge_basis = None
        for k, layer in enumerate(self.layers):
            x = layer(x, edge_src, edge_dst, edge_sh, edge_basis, self.inv_neighbors)
            if k < len(self.gates):
                x = self.gates[k](x)
        return x
