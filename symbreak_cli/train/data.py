r"""From a data file to one batched graph: node features, edges, per-node 1o targets.

Tasks
-----
``dynamics``  per particle and frame t: input :math:`[1, v_t]` (0e + 1o, plus one-hot
              species when there are several), target the acceleration
              :math:`a_t = (v_{t+1}-v_t)/\Delta t` (finite differences; velocities from
              positions when the file has none). One frame = one sample graph.
``pairs``     per point: input :math:`[1, f]` (0e + optional scalar features), target the
              displacement :math:`y - x` (1o). One input cloud = one sample graph.

Units never reach the network: after the edges are found (in the data's length unit),
positions and the cutoff are divided by the length scale :math:`L` (root-mean-square
distance of the points from their sample's centroid), every vector or scalar input column
by its root-mean-square and the target by its root-mean-square :math:`\sigma_y` (so
:math:`\mathrm{mean}(y^2) = 1` and every loss is in units of the target's mean square).
The same data in Å or nm, fs or ps, gives the same graph and the same numbers; the scales
are in ``meta["scales"]`` and the report.

Edges join points of one sample closer than ``cutoff`` (both directions, no self loops);
``edge_vec = r_dst − r_src``. All samples are concatenated into one graph so a full-batch
step is a handful of tensor operations with no Python loop over atoms;
:meth:`GraphSet.to_torch` gives the :class:`~symbreak_cli.nn.graph.GraphBatch` the network
consumes (which owns the keys, mini-batch selection and the O(3) action).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from symbreak_cli.errors import InputError, OptionError


@dataclass
class GraphSet:
    """Concatenated sample graphs (numpy; :meth:`to_torch` moves them to a device).

    Attributes
    ----------
    x : (n, d_in) node inputs, irreps ``irreps_in``
    y : (n, 3) per-node 1o targets (acceleration or displacement, data units)
    pos : (n, 3) node positions
    sample : (n,) sample index of each node
    edge_src, edge_dst : (E,) node indices; ``edge_vec`` (E, 3) = pos[dst] − pos[src]
    """

    x: np.ndarray
    y: np.ndarray
    pos: np.ndarray
    sample: np.ndarray
    edge_src: np.ndarray
    edge_dst: np.ndarray
    irreps_in: str
    task: str
    n_samples: int
    meta: dict = field(default_factory=dict)
    cutoff: float = 1.0  # edge cutoff in the scaled length unit (data cutoff / L)

    @property
    def edge_vec(self) -> np.ndarray:
        return self.pos[self.edge_dst] - self.pos[self.edge_src]

    @property
    def avg_neighbors(self) -> float:
        n = len(self.x)
        return float(len(self.edge_src)) / n if n else 0.0

    def subset(self, samples) -> "GraphSet":
        """The graphs of the given sample indices, renumbered 0..k−1."""
        samples = np.asarray(samples, dtype=np.int64)
        remap = -np.ones(self.n_samples, dtype=np.int64)
        remap[samples] = np.arange(len(samples))
        keep = remap[self.sample] >= 0
        new_index = -np.ones(len(self.x), dtype=np.int64)
        new_index[keep] = np.arange(int(keep.sum()))
        ekeep = keep[self.edge_src]
        return GraphSet(self.x[keep], self.y[keep], self.pos[keep], remap[self.sample[keep]],
                        new_index[self.edge_src[ekeep]], new_index[self.edge_dst[ekeep]],
                        self.irreps_in, self.task, len(samples), dict(self.meta), self.cutoff)

    def to_torch(self, device, dtype=None):
        """The :class:`~symbreak_cli.nn.graph.GraphBatch` of every sample, on ``device``."""
        import torch

        from symbreak_cli.nn.graph import GraphBatch

        dtype = dtype or torch.get_default_dtype()
        t = lambda a: torch.as_tensor(a, dtype=dtype, device=device)  # noqa: E731
        i = lambda a: torch.as_tensor(a, dtype=torch.long, device=device)  # noqa: E731
        return GraphBatch(x=t(self.x), y=t(self.y), edge_src=i(self.edge_src), edge_dst=i(self.edge_dst),
                          edge_vec=t(self.edge_vec), sample=i(self.sample), irreps_in=self.irreps_in, pos=t(self.pos))


def radius_edges(pos: np.ndarray, cutoff: float) -> tuple[np.ndarray, np.ndarray]:
    """Edges within ``cutoff`` inside each sample of ``pos`` (S, N, 3); global node ids."""
    s_count, n = pos.shape[:2]
    chunk = max(1, int(2e7 // max(n * n, 1)))
    srcs, dsts = [], []
    for s0 in range(0, s_count, chunk):
        p = pos[s0:s0 + chunk]
        d = np.linalg.norm(p[:, None, :, :] - p[:, :, None, :], axis=-1)  # d[s, i, j] = |p_j − p_i|
        mask = (d < cutoff) & ~np.eye(n, dtype=bool)[None]
        s, i, j = np.nonzero(mask)
        base = (s + s0) * n
        srcs.append(base + j)
        dsts.append(base + i)
    return np.concatenate(srcs).astype(np.int64), np.concatenate(dsts).astype(np.int64)


def _rms(a: np.ndarray) -> float:
    """sqrt(mean(a²)), or 1 when that is 0 or not finite (nothing to rescale)."""
    r = float(np.sqrt(np.mean(np.square(a)))) if a.size else 0.0
    return r if np.isfinite(r) and r > 0 else 1.0


def _assemble(pos, x, y, cutoff, irreps_in, task, meta, vector_cols=()) -> GraphSet:
    """One graph of all samples, scaled to unit-free numbers (module docstring).

    ``vector_cols`` are the columns of ``x`` holding one 3-vector (scaled together by the
    RMS of its length); every other column but the constant first one is a scalar scaled
    by its own RMS.
    """
    s_count, n = pos.shape[:2]
    src, dst = radius_edges(pos, cutoff)
    sample = np.repeat(np.arange(s_count), n)
    length = _rms(pos - pos.mean(axis=1, keepdims=True)) * np.sqrt(3.0)  # RMS distance from the centroid
    if length == np.sqrt(3.0):  # one point per sample, or all at their centroid: the cutoff sets the scale
        length = float(cutoff)
    x = np.array(x, dtype=np.float64)
    scales = {"length": float(length), "target": _rms(y), "inputs": []}
    vec = list(vector_cols)
    if vec:
        s_v = float(_rms(x[..., vec]) * np.sqrt(3.0))
        x[..., vec] /= s_v
        scales["inputs"].append({"columns": vec, "kind": "vector", "rms": s_v})
    for c in range(1, x.shape[-1]):
        if c not in vec:
            s_c = _rms(x[..., c])
            x[..., c] /= s_c
            scales["inputs"].append({"columns": [c], "kind": "scalar", "rms": s_c})
    meta = dict(meta, scales=scales)
    return GraphSet(x.reshape(s_count * n, -1), (y / scales["target"]).reshape(s_count * n, 3),
                    (pos / length).reshape(-1, 3), sample, src, dst, irreps_in, task, s_count, meta,
                    float(cutoff) / length)


def frame_times(traj, path: str, dt: float = 0.0) -> tuple[np.ndarray, str]:
    """(T,) frame times and where they came from: the file's (H5MD time, ASE info, extxyz
    comment), else ``dt`` (``--dt``) spacing. A file with velocities and no times has
    equally spaced frames (the acceleration is per frame; the internal target scaling
    makes the verdict independent of the step); positions only and no time step is an
    InputError: velocities and accelerations cannot be formed without guessing Δt.
    """
    t_count = traj.n_frames
    if traj.times is not None:
        if dt > 0 and not np.allclose(np.diff(traj.times), dt, rtol=1e-6, atol=0):
            raise OptionError(f"--dt {dt:g} differs from the time step of {path} ({np.diff(traj.times)[0]:g}); drop --dt")
        return np.asarray(traj.times, float), "file"
    if dt > 0:
        return dt * np.arange(t_count), "--dt"
    if traj.velocities is None:
        raise InputError("holds positions only and no frame times (H5MD time, ASE atoms.info 'time'/'dt', extxyz "
                         "time=); pass the time step between frames with --dt", path=path)
    return np.arange(t_count, dtype=float), "frames (no times in the file; velocities stored)"


def dynamics_set(path: str, cutoff: float, dt_opt: float = 0.0) -> GraphSet:
    from symbreak_cli.io.trajectories import read_trajectory

    traj = read_trajectory(path)
    t_count = traj.n_frames
    times, time_source = frame_times(traj, path, dt_opt)
    dt = np.diff(times)
    if traj.velocities is not None:
        vel, pos = traj.velocities, traj.positions
        acc = (vel[1:] - vel[:-1]) / dt[:, None, None]
        v_in, p_in = vel[:-1], pos[:-1]
    else:
        if t_count < 3:
            raise InputError(f"has {t_count} frames and no velocities; need at least 3 frames", path=path)
        vel = (traj.positions[1:] - traj.positions[:-1]) / dt[:, None, None]
        acc = (vel[1:] - vel[:-1]) / dt[1:, None, None]
        v_in, p_in = vel[:-1], traj.positions[:-2]
    s_count, n = v_in.shape[:2]
    parts = [np.ones((s_count, n, 1)), v_in]
    irreps = "1x0e+1x1o"
    species = traj.species
    if species is not None and len(np.unique(species)) > 1:
        kinds = np.unique(species)
        onehot = (species[:, None] == kinds[None, :]).astype(np.float64)
        parts.insert(1, np.broadcast_to(onehot, (s_count, n, len(kinds))))
        irreps = f"{1 + len(kinds)}x0e+1x1o"
    x = np.concatenate(parts, axis=-1)
    meta = {"target": "acceleration (finite differences of velocity)", "n_points": n,
            "velocities": "stored" if traj.velocities is not None else "from positions", "time_step": time_source}
    return _assemble(p_in, x, acc, cutoff, irreps, "dynamics", meta, vector_cols=range(x.shape[-1] - 3, x.shape[-1]))


def pairs_set(path: str, cutoff: float) -> GraphSet:
    from symbreak_cli.io.h5 import read_pairs

    pairs = read_pairs(path)
    s_count, n = pairs.inputs.shape[:2]
    parts = [np.ones((s_count, n, 1))]
    if pairs.features is not None:
        parts.append(pairs.features)
    x = np.concatenate(parts, axis=-1)
    meta = {"target": "displacement target − input", "n_points": n}
    return _assemble(pairs.inputs, x, pairs.targets - pairs.inputs, cutoff, f"{x.shape[-1]}x0e", "pairs", meta)


def resolve_task(path: str, task: str) -> str:
    """'auto' → 'pairs' for a pairs file, 'dynamics' for a trajectory."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", path=path)
    kind = "dynamics"
    if p.suffix.lower() in {".h5", ".h5md", ".hdf5"}:
        from symbreak_cli.io.h5 import h5_kind

        kind = h5_kind(p)
        if kind == "fields":
            raise OptionError(f"{path} holds voxel fields (/fields): train them with --model gconv (the e3nn model trains on particle trajectories and input/target pairs)")
    if task == "auto":
        return kind
    if task != kind:
        raise OptionError(f"--task {task} does not match {path}, which holds {kind} data")
    return task


def load_graph_set(path: str, task: str, cutoff: float, dt: float = 0.0) -> GraphSet:
    """The graph set of ``path``; ``dt`` (> 0) is the time step when the file has no times."""
    task = resolve_task(path, task)
    return pairs_set(path, cutoff) if task == "pairs" else dynamics_set(path, cutoff, dt)


def split_samples(n_samples: int, val_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """Seeded train/validation split of sample indices.

    With a single sample there is nothing to hold out: validation reuses the training
    sample, and the third return value (``val_is_train``) says so.
    """
    if n_samples < 2 or val_fraction == 0:
        idx = np.arange(n_samples)
        return idx, idx, True
    perm = np.random.default_rng(seed).permutation(n_samples)
    n_val = min(max(1, int(round(val_fraction * n_samples))), n_samples - 1)
    return np.sort(perm[n_val:]), np.sort(perm[:n_val]), False
