r"""SymPE for point clouds (Lawrence et al., arXiv 2503.21985) and its baselines.

**SymPE.** An exactly equivariant e3nn network :math:`F` (the ``equivariant`` model of
:mod:`~symbreak_cli.nn.relaxed_e3nn`) is fed the points and, on every node, the learned
features :math:`\rho(\tilde g)\,v` (``v`` a few 1o/2e features, generic, so its stabiliser
in O(3) is trivial), with :math:`\tilde g` from the inversion kernel of
:mod:`symbreak_cli.symmetry.canonical`. :math:`F` is jointly equivariant,
:math:`F(hx, h\tilde g) = h F(x, \tilde g)`, so for :math:`\tilde g = s\gamma(x)`,
:math:`s\in\mathrm{Stab}(x)`, the outputs are the Stab(x)-images of one broken output:
drawing :math:`s` uniformly samples every symmetry-equivalent outcome equally often, and
:math:`f(gx) \in g\,\mathrm{Stab}(x)\,f(x)` (relaxed equivariance) for every draw.

**Training (our choice, stated).** A target is explained by *some* element of the
kernel's support, unknown: it is a latent, and the loss takes the best one,
:math:`\min_{\tilde g\in\mathrm{Stab}(x)\gamma(x)} \lVert F(x,\rho(\tilde g)v) - y\rVert^2`.
``forward(batch)`` therefore evaluates every support element of every distinct input and
returns, per sample, the prediction of the element closest to that sample's target, so the
training loop's MSE is exactly this loss (its gradient flows through the chosen element).
Sampling (:meth:`SymPENetwork.copy_predictions`) draws the element uniformly instead.

**Baselines** trained on the same loss, side by side:

* ``noise`` — Gaussian features of the same irreps instead of :math:`\rho(\tilde g)v`,
  the same number of draws per input (K = |Stab(x)|), best draw taken;
* :class:`OrbitMatched` around the equivariant or the relaxed-weights network of
  :mod:`~symbreak_cli.nn.relaxed_e3nn`: a deterministic f, its output matched to the
  target modulo the input's symmetry, :math:`\min_{s\in\mathrm{Stab}(x)}\lVert s\cdot f(x) - y\rVert^2`.
  The equivariant one can only return an Stab(x)-symmetric output (Curie); the relaxed
  one may commit to one broken direction.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import torch

from symbreak_cli.groups import block_diag_D
from symbreak_cli.nn.graph import GraphBatch, parse_irreps
from symbreak_cli.nn.protocol import LayerReadout, RelaxedWeight
from symbreak_cli.nn.relaxed_e3nn import RelaxedE3Network

V_IRREPS = "2x1o+1x2e"  # the learned v: two vectors and a quadrupole (generic: trivial stabiliser in O(3))
NOISE_EVAL_SEED = 12345  # the noise baseline's draws when evaluating (val loss reproducible)
NOISE_STREAM_STRIDE = 1_000_003  # training step t of stream s draws from seed s·stride + t (a prime; no overlap below it)


def rho(irreps: str, mats) -> np.ndarray:
    """(n, d, d) float64 block-diagonal Wigner-D of ``irreps`` for O(3) matrices (n, 3, 3)."""
    return block_diag_D(parse_irreps(irreps), mats)


@dataclass(frozen=True)
class SymPEBatch:
    """Samples for the latent-matched loss: U distinct inputs, each with K kernel elements.

    Attributes
    ----------
    base : U input graphs (node features ``base.x``, irreps ``base.irreps_in``)
    copies : U·K graphs, copy u·K + k is input u (for the networks fed ρ(g̃)v)
    D_v : (U·K, d_v, d_v) ρ(g̃_{u,k}) on the irreps of v
    stab : (U, K, 3, 3) Stab(x_u) (padded by repetition to K)
    perm : (U, K, N) long: element k maps node i onto node perm[u, k, i]
    unique : (S,) long: the distinct input of each sample
    y : (S·N, 3) per-node target displacement
    v_irreps : irreps of v (and of the noise)
    """

    base: GraphBatch
    copies: GraphBatch
    D_v: torch.Tensor
    stab: torch.Tensor
    perm: torch.Tensor
    unique: torch.Tensor
    y: torch.Tensor
    v_irreps: str = V_IRREPS

    @property
    def target(self) -> torch.Tensor:
        return self.y

    @property
    def n_samples(self) -> int:
        return int(self.unique.numel())

    @property
    def shape(self) -> tuple[int, int, int]:
        """(U, K, N)."""
        return tuple(self.perm.shape)

    def to(self, device=None, dtype=None) -> "SymPEBatch":
        f = lambda t: t.to(device=device, dtype=dtype if (dtype is not None and t.is_floating_point()) else None)  # noqa: E731
        return dataclasses.replace(self, base=self.base.to(device, dtype), copies=self.copies.to(device, dtype),
                                   D_v=f(self.D_v), stab=f(self.stab), perm=f(self.perm), unique=f(self.unique), y=f(self.y))

    def select(self, samples: torch.Tensor) -> "SymPEBatch":
        """The samples ``samples`` (every distinct input stays: predictions are per input)."""
        n = self.shape[2]
        samples = samples.to(self.unique.device)
        return dataclasses.replace(self, unique=self.unique[samples], y=self.y.view(-1, n, 3)[samples].reshape(-1, 3))

    def act(self, R) -> "SymPEBatch":
        """Inputs, kernel elements, stabilisers and targets moved by the O(3) element R."""
        R = np.asarray(R, dtype=np.float64)
        Rt = torch.as_tensor(R.copy(), dtype=self.y.dtype, device=self.y.device)
        Dv = torch.as_tensor(rho(self.v_irreps, R)[0], dtype=self.y.dtype, device=self.y.device)
        return dataclasses.replace(self, base=self.base.act(R), copies=self.copies.act(R), D_v=Dv @ self.D_v,
                                   stab=Rt @ self.stab @ Rt.T, y=self.act_on_output(R, self.y))

    def act_on_output(self, R, y: torch.Tensor) -> torch.Tensor:
        return y @ torch.as_tensor(np.array(R, dtype=np.float64), dtype=y.dtype, device=y.device).T


def match_latent(P: torch.Tensor, batch: SymPEBatch) -> torch.Tensor:
    """Per sample, the candidate closest to its target: P (U, K, N, 3) → (S·N, 3)."""
    U, K, N = batch.shape
    T = batch.y.view(-1, N, 3)
    Pu = P[batch.unique]  # (S, K, N, 3)
    err = ((Pu - T[:, None]) ** 2).sum(dim=(2, 3))
    k = err.argmin(dim=1)
    return Pu[torch.arange(len(k), device=k.device), k].reshape(-1, 3)


def orbit_candidates(P: torch.Tensor, batch: SymPEBatch) -> torch.Tensor:
    """s·P for every s of Stab(x): P (U, N, 3) → (U, K, N, 3), rows permuted as s permutes the nodes."""
    U, K, N = batch.shape
    moved = torch.einsum("ukab,unb->ukna", batch.stab, P)
    return torch.zeros_like(moved).scatter(2, batch.perm[..., None].expand(U, K, N, 3), moved)


class _NoRelaxedWeights:
    """The RelaxedModel methods of a model without relaxed weights θ."""

    def relaxed_weights(self) -> list[RelaxedWeight]:
        return []

    def relaxed_readout(self) -> list[LayerReadout]:
        return []

    def penalty(self) -> torch.Tensor:
        return torch.zeros(())

    def add_penalty_grad(self, reg: float) -> None:
        return None


class SymPENetwork(_NoRelaxedWeights, torch.nn.Module):
    """SymPE (``mode='sympe'``) or the noise-injection baseline (``mode='noise'``).

    Parameters
    ----------
    irreps_base : per-node input irreps of the data (e.g. '1x0e')
    mode : 'sympe' (ρ(g̃)v, v learned) or 'noise' (Gaussian features of v's irreps)
    v_irreps : irreps of v
    net : keyword arguments of the equivariant :class:`RelaxedE3Network` (layers, mul,
        cutoff, avg_neighbors, use_edges)

    Implements :class:`~symbreak_cli.nn.protocol.RelaxedModel` (no relaxed weights);
    ``forward`` on a :class:`SymPEBatch` returns the latent-matched prediction (S·N, 3).

    >>> net = SymPENetwork("1x0e", mode="sympe")
    >>> net.relaxed_weights(), tuple(net.v.shape)
    ([], (11,))
    """

    def __init__(self, irreps_base: str, *, mode: str = "sympe", v_irreps: str = V_IRREPS, **net):
        super().__init__()
        if mode not in ("sympe", "noise"):
            raise ValueError(f"mode must be 'sympe' or 'noise', not {mode!r}")
        self.mode, self.v_irreps = mode, v_irreps
        self.net = RelaxedE3Network(f"{irreps_base}+{v_irreps}", "1x1o", relaxed=False, **net)
        if mode == "sympe":
            self.v = torch.nn.Parameter(torch.randn(self.v_dim))
        else:  # the training noise stream: seed (drawn from torch's generator) and steps taken, checkpointed
            self.register_buffer("noise_seed", torch.randint(0, 2 ** 31 - 1, ()))
            self.register_buffer("noise_steps", torch.zeros((), dtype=torch.long))

    @property
    def v_dim(self) -> int:
        return sum(m * (2 * l + 1) for m, l, _ in parse_irreps(self.v_irreps))

    def features(self, batch: SymPEBatch) -> torch.Tensor:
        """(U·K, d_v): ρ(g̃)v, or fresh Gaussian noise: in training, step t of the stream
        ``noise_seed`` (so a resumed run draws what an uninterrupted one would), else the
        fixed draw of ``NOISE_EVAL_SEED`` (validation loss reproducible).
        """
        n = batch.D_v.shape[0]
        if self.mode == "sympe":
            return batch.D_v @ self.v
        gen = torch.Generator(device=batch.y.device)
        if self.training:
            gen.manual_seed(int(self.noise_seed) * NOISE_STREAM_STRIDE + int(self.noise_steps))
            self.noise_steps += 1
        else:
            gen.manual_seed(NOISE_EVAL_SEED)
        return torch.randn(n, self.v_dim, generator=gen, device=batch.y.device, dtype=batch.y.dtype)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        """Runs written before the noise stream was checkpointed load with a fresh stream."""
        if self.mode == "noise" and prefix + "noise_seed" not in state_dict:
            state_dict = {**state_dict, prefix + "noise_seed": torch.zeros((), dtype=torch.long),
                          prefix + "noise_steps": torch.zeros((), dtype=torch.long)}
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def copy_predictions(self, batch: SymPEBatch, features: torch.Tensor | None = None, *,
                         direct: bool = False) -> torch.Tensor:
        r"""(U, K, N, 3): the prediction for every (input, kernel element) copy.

        SymPE evaluates the network once per distinct input: F is jointly equivariant, so
        :math:`F(x, \rho(s\gamma)v) = s\cdot F(x, \rho(\gamma)v)` for s ∈ Stab(x), and the
        K candidates are the Stab(x)-images of one (``stab[:, 0]`` is the identity).
        ``direct=True`` evaluates every copy instead (the tests compare the two); the noise
        baseline always does (its draws are unrelated).
        """
        U, K, N = batch.shape
        if self.mode == "sympe" and features is None and not direct:
            d = self.v_dim
            feats = batch.D_v.view(U, K, d, d)[:, 0] @ self.v  # ρ(γ(x_u)) v
            b = batch.base
            x = torch.cat([b.x, feats[b.sample]], dim=-1)
            return orbit_candidates(self.net.forward_graph(x, b.edge_src, b.edge_dst, b.edge_vec).view(U, N, 3), batch)
        feats = self.features(batch) if features is None else features
        c = batch.copies
        x = torch.cat([c.x, feats[c.sample]], dim=-1)
        return self.net.forward_graph(x, c.edge_src, c.edge_dst, c.edge_vec).view(U, K, N, 3)

    def forward(self, batch: SymPEBatch) -> torch.Tensor:
        return match_latent(self.copy_predictions(batch), batch)


class OrbitMatched(torch.nn.Module):
    """A deterministic network f, its prediction matched to the target modulo Stab(x):
    the candidates are s·f(x) for s ∈ Stab(x) (rows permuted as s permutes the nodes).

    Delegates the :class:`~symbreak_cli.nn.protocol.RelaxedModel` methods to ``inner``
    (its θ keeps the state-dict name ``inner.layers.k.theta``).
    """

    def __init__(self, inner: RelaxedE3Network):
        super().__init__()
        self.inner = inner

    def predict(self, base: GraphBatch) -> torch.Tensor:
        """f(x) for the distinct inputs, (U·N, 3)."""
        return self.inner.forward_graph(base.x, base.edge_src, base.edge_dst, base.edge_vec)

    def forward(self, batch: SymPEBatch) -> torch.Tensor:
        U, K, N = batch.shape
        return match_latent(orbit_candidates(self.predict(batch.base).view(U, N, 3), batch), batch)

    def relaxed_weights(self) -> list[RelaxedWeight]:
        return [dataclasses.replace(w, name=f"inner.{w.name}") for w in self.inner.relaxed_weights()]

    def relaxed_readout(self) -> list[LayerReadout]:
        return [dataclasses.replace(r, name=f"inner.{r.name}") for r in self.inner.relaxed_readout()]

    def penalty(self) -> torch.Tensor:
        return self.inner.penalty()

    def add_penalty_grad(self, reg: float) -> None:
        self.inner.add_penalty_grad(reg)
