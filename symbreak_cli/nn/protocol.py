r"""What the training loop and the analysis need from a relaxed-equivariant model.

A *relaxed* model carries, per layer, relaxed weights :math:`\theta` that transform under
O(3) irreps; the model is exactly equivariant under the stabiliser of its θ. The loop
(:mod:`symbreak_cli.train.loop`) and the analysis (:mod:`symbreak_cli.train.analysis`)
know models only through :class:`RelaxedModel` and data only through :class:`Batch`, so
a network of another kind (a voxel group convolution, SymPE) plugs in by implementing
these two protocols; ``symbreak_cli.testing.RelaxedModelTests`` checks that it does.

θ's layout (which O(3) irrep each component belongs to) is defined once, here, by
:class:`ThetaLayout`; it is numpy-only so the analysis can use it without torch.

>>> lay = ThetaLayout.up_to(1)
>>> lay.labels, lay.dim, lay.slices[2]
(('0e', '0o', '1o', '1e'), 8, slice(2, 5, None))
>>> sorted(lay.split([1, 0, 0.5, 0, 0, 0, 0, 0]))
['0e', '0o', '1e', '1o']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:  # torch only for the annotations: this module imports without it
    import torch


def _label(l: int, p: int) -> str:
    return f"{l}{'e' if p == 1 else 'o'}"


@dataclass(frozen=True)
class ThetaLayout:
    """Which O(3) irrep each component of a relaxed weight θ (dim,) belongs to.

    Attributes
    ----------
    irreps : ((l, p), …) one copy of each irrep, in θ's order; p = +1 (e) or −1 (o)
    """

    irreps: tuple[tuple[int, int], ...]

    @classmethod
    def up_to(cls, l_relaxed: int) -> "ThetaLayout":
        """Every O(3) irrep up to ``l_relaxed``, natural parity first: 0e+0o+1o+1e+2e+2o+…"""
        out = []
        for l in range(l_relaxed + 1):
            nat = (-1) ** l
            out += [(l, nat), (l, -nat)]
        return cls(tuple(out))

    @classmethod
    def scalar(cls) -> "ThetaLayout":
        """θ = (1) of irreps 0e: the equivariant baseline's fixed weight."""
        return cls(((0, 1),))

    @property
    def labels(self) -> tuple[str, ...]:
        """e3nn names, e.g. ('0e', '0o', '1o', …)."""
        return tuple(_label(l, p) for l, p in self.irreps)

    @property
    def dims(self) -> tuple[int, ...]:
        return tuple(2 * l + 1 for l, _ in self.irreps)

    @property
    def dim(self) -> int:
        return sum(self.dims)

    @property
    def slices(self) -> tuple[slice, ...]:
        starts = np.concatenate([[0], np.cumsum(self.dims)])
        return tuple(slice(int(a), int(b)) for a, b in zip(starts[:-1], starts[1:]))

    @property
    def irreps_str(self) -> str:
        """e3nn ``Irreps`` string, e.g. '1x0e+1x0o+1x1o+…'."""
        return "+".join(f"1x{lab}" for lab in self.labels)

    def component_irrep(self) -> np.ndarray:
        """(dim,) int: the irrep number (index into ``irreps``) of each θ component."""
        return np.concatenate([np.full(d, k) for k, d in enumerate(self.dims)])

    def initial(self) -> np.ndarray:
        """θ with 0e = 1 and every other component 0 (the exactly equivariant start)."""
        t = np.zeros(self.dim)
        t[self.slices[self.irreps.index((0, 1))]] = 1.0
        return t

    def split(self, theta) -> dict[str, np.ndarray]:
        """θ (dim,) → {'0e': (1,), '0o': (1,), '1o': (3,), …} float64 copies, e3nn basis."""
        theta = np.asarray(theta, dtype=np.float64)
        if theta.shape != (self.dim,):
            raise ValueError(f"θ has shape {theta.shape}, this layout needs ({self.dim},)")
        return {lab: theta[sl].copy() for lab, sl in zip(self.labels, self.slices)}


@dataclass(frozen=True)
class LayerReadout:
    """One layer's relaxed weights as group-theory objects (numpy, float64, full precision).

    Attributes
    ----------
    name : the layer's state-dict key of θ (e.g. 'layers.0.theta')
    layout : the irreps of θ
    theta : (layout.dim,) θ in e3nn's real basis (1o/1e blocks are Cartesian (x, y, z))
    """

    name: str
    layout: ThetaLayout
    theta: np.ndarray

    @property
    def blocks(self) -> dict[tuple[int, int], np.ndarray]:
        """{(l, p): (2l+1,) block}."""
        return {ir: self.theta[sl].copy() for ir, sl in zip(self.layout.irreps, self.layout.slices)}

    @property
    def coeffs(self) -> dict[str, np.ndarray]:
        """{'0e': …, '1o': …}: the form ``symbreak_cli.groups.stabilizer_of_signal`` takes."""
        return self.layout.split(self.theta)


@dataclass(frozen=True)
class RelaxedWeight:
    """A relaxed weight of a model: its state-dict name, the parameter, its layout."""

    name: str
    param: Any  # torch.nn.Parameter (Any: no torch import at module load)
    layout: ThetaLayout

    def blocks(self) -> dict[str, "torch.Tensor"]:
        """{irrep label: view of the parameter's block}."""
        return {lab: self.param[sl] for lab, sl in zip(self.layout.labels, self.layout.slices)}


@runtime_checkable
class Batch(Protocol):
    """A batch of samples a model consumes; it owns its keys and where its tensors live.

    ``target`` is what ``model(batch)`` should predict (the loss is their mean squared
    difference); ``n_samples`` and ``select`` let the loop draw mini-batches of whole
    samples; ``act(R)`` is the batch with every input *and* the target moved by the O(3)
    element R (3×3), and ``act_on_output(R, y)`` moves a prediction the same way.
    """

    @property
    def target(self) -> "torch.Tensor": ...

    @property
    def n_samples(self) -> int: ...

    def select(self, samples: "torch.Tensor") -> "Batch": ...

    def to(self, device=None, dtype=None) -> "Batch": ...

    def act(self, R) -> "Batch": ...

    def act_on_output(self, R, y: "torch.Tensor") -> "torch.Tensor": ...


@runtime_checkable
class RelaxedModel(Protocol):
    r"""A torch module relaxed by weights θ that transform under O(3) irreps.

    ``forward(batch)`` → prediction shaped like ``batch.target``.
    ``relaxed_weights()`` → one :class:`RelaxedWeight` per relaxed layer, layer order
    (empty for an equivariant baseline).
    ``penalty()`` → scalar tensor, the regulariser on the non-trivial (non-0e) parts of θ
    (zero when θ is at its equivariant start).
    ``add_penalty_grad(reg)`` adds :math:`\lambda\,\partial\,\mathrm{penalty}/\partial\theta`
    to the θ gradients in place (what ``(reg * penalty()).backward()`` would add, but
    cheaper); call after the data loss's ``backward()``.
    ``relaxed_readout()`` → one :class:`LayerReadout` per relaxed layer (numpy, float64).
    """

    def forward(self, batch: Batch) -> "torch.Tensor": ...

    def relaxed_weights(self) -> list[RelaxedWeight]: ...

    def penalty(self) -> "torch.Tensor": ...

    def add_penalty_grad(self, reg: float) -> None: ...

    def relaxed_readout(self) -> list[LayerReadout]: ...
