r"""The batch a graph network consumes: concatenated sample graphs as torch tensors.

It owns its keys (the loop and the analysis only use the
:class:`~symbreak_cli.nn.protocol.Batch` protocol): ``target`` is the per-node 1o target,
``select`` draws whole sample graphs, ``act(R)`` moves inputs and target by an O(3)
element (node inputs by the block-diagonal D of ``irreps_in``, edge vectors and
positions by R, the 1o target by R).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import torch

from symbreak_cli.groups import block_diag_D, parse_irrep


def parse_irreps(irreps: str) -> list[tuple[int, int, int]]:
    """'2x0e+1x1o' → [(2, 0, 1), (1, 1, -1)] (mul, l, parity)."""
    out = []
    for term in str(irreps).replace(" ", "").split("+"):
        mul, ir = term.split("x") if "x" in term else ("1", term)
        out.append((int(mul), *parse_irrep(ir)))
    return out


@dataclass(frozen=True)
class GraphBatch:
    """Sample graphs on one device.

    Attributes
    ----------
    x : (n, d_in) node inputs, irreps ``irreps_in``
    y : (n, 3) per-node 1o targets (data units)
    edge_src, edge_dst : (E,) long node indices
    edge_vec : (E, 3) r_dst − r_src
    sample : (n,) long sample id of each node (0..S−1)
    irreps_in : e3nn irreps string of ``x``
    pos : (n, 3) node positions, or None (only the analysis needs them)
    """

    x: torch.Tensor
    y: torch.Tensor
    edge_src: torch.Tensor
    edge_dst: torch.Tensor
    edge_vec: torch.Tensor
    sample: torch.Tensor
    irreps_in: str
    pos: torch.Tensor | None = None

    @property
    def target(self) -> torch.Tensor:
        return self.y

    @property
    def n_samples(self) -> int:
        """Number of sample graphs (their ids are 0..S−1)."""
        return int(self.sample.max()) + 1 if self.sample.numel() else 0

    @property
    def device(self) -> torch.device:
        return self.x.device

    def to(self, device=None, dtype=None) -> "GraphBatch":
        """On ``device``; floating tensors cast to ``dtype`` when given."""
        def move(t):
            if t is None:
                return None
            return t.to(device=device, dtype=dtype if (dtype is not None and t.is_floating_point()) else None)

        return GraphBatch(*(move(getattr(self, f.name)) if f.name != "irreps_in" else self.irreps_in
                            for f in dataclasses.fields(self)))

    def select(self, samples: torch.Tensor) -> "GraphBatch":
        """The sample graphs ``samples`` (1-D long tensor), on this batch's device.

        Nodes keep their order; edge endpoints are renumbered by the prefix sum of the kept
        nodes, so the result is again one valid graph (samples listed twice appear once).
        """
        keep = torch.isin(self.sample, samples)
        new_index = torch.cumsum(keep, 0) - 1
        ekeep = keep[self.edge_src]
        return GraphBatch(self.x[keep], self.y[keep], new_index[self.edge_src[ekeep]], new_index[self.edge_dst[ekeep]],
                          self.edge_vec[ekeep], self.sample[keep], self.irreps_in,
                          None if self.pos is None else self.pos[keep])

    def act(self, R) -> "GraphBatch":
        """Inputs and target moved by the O(3) element R (3×3, any array)."""
        R = np.asarray(R, dtype=np.float64)
        Rt = torch.as_tensor(R.copy(), dtype=self.x.dtype, device=self.x.device)
        D = torch.as_tensor(block_diag_D(parse_irreps(self.irreps_in), R)[0], dtype=self.x.dtype, device=self.x.device)
        return dataclasses.replace(self, x=self.x @ D.T, y=self.act_on_output(R, self.y), edge_vec=self.edge_vec @ Rt.T,
                                   pos=None if self.pos is None else self.pos @ Rt.T)

    def act_on_output(self, R, y: torch.Tensor) -> torch.Tensor:
        """A per-node 1o prediction moved by R: y Rᵀ."""
        return y @ torch.as_tensor(np.array(R, dtype=np.float64), dtype=y.dtype, device=y.device).T
