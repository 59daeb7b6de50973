"""HDF5 inputs: H5MD particle trajectories and input→target pairs files.

Layouts read (all other datasets and attributes are ignored — in particular stored
simulation parameters, which a model must discover rather than be told)::

    H5MD   /particles/<group>/position/value      (T, N, 3)
           /particles/<group>/position/time|step  (T,) optional
           /particles/<group>/velocity/value      (T, N, 3) optional
           /particles/<group>/species             (N,) optional
           /particles/<group>/box/edges           (3,) or (3, 3) optional
    pairs  /pairs/input/position   (S, N, 3)
           /pairs/target/position  (S, N, 3)
           /pairs/input/features   (S, N, F) optional (scalars, 0e)
    fields /fields/input, /fields/target  (S, C, X, Y, Z)  (read by the gconv issue)

Every reader raises :class:`~symbreak_cli.errors.InputError` naming the file and the
dataset for a missing dataset, a wrong shape, NaN/inf or too few frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from symbreak_cli.errors import InputError
from symbreak_cli.io.trajectories import MIN_FRAMES, Trajectory, check_array


@dataclass(frozen=True)
class Pairs:
    """``S`` samples of ``N`` input points and their ``N`` target points.

    Attributes
    ----------
    inputs : (S, N, 3) float64, input positions
    targets : (S, N, 3) float64, target positions (the task fits ``targets − inputs``)
    features : (S, N, F) float64 or None, per-point scalar input features
    path : the file it came from
    """

    inputs: np.ndarray
    targets: np.ndarray
    features: np.ndarray | None
    path: str


def _open(path: str | Path):
    import h5py

    p = str(path)
    if not Path(p).is_file():
        raise InputError("no such file", path=p)
    try:
        return h5py.File(p, "r")
    except OSError as err:
        raise InputError(f"not a readable HDF5 file ({err})", path=p) from None


def _dataset(fh, name: str, path: str):
    import h5py

    obj = fh.get(name)
    if obj is None:
        raise InputError(f"missing dataset {name}", path=path)
    if not isinstance(obj, h5py.Dataset):
        raise InputError(f"{name} is a group, expected a dataset", path=path)
    return obj[()]


def _guarded(read):
    """A reader whose h5py failures on a damaged file (RuntimeError, OSError, KeyError…) become InputErrors."""
    import functools

    @functools.wraps(read)
    def wrapper(path, *args, **kwargs):
        try:
            return read(path, *args, **kwargs)
        except InputError:
            raise
        except (RuntimeError, OSError, KeyError, ValueError, TypeError) as err:
            from symbreak_cli.io._messages import damaged_h5

            raise InputError(damaged_h5(err), path=str(path)) from None

    return wrapper


@_guarded
def h5_kind(path: str | Path) -> str:
    """Which layout a file holds: ``'dynamics'`` (H5MD), ``'pairs'`` or ``'fields'``."""
    with _open(path) as fh:
        if "pairs" in fh:
            return "pairs"
        if "fields" in fh:
            return "fields"
        if "particles" in fh:
            return "dynamics"
    raise InputError("no /particles, /pairs or /fields group: not an H5MD or pairs file", path=str(path))


@_guarded
def read_h5md(path: str | Path, group: str | None = None) -> Trajectory:
    """Read one particle group of an H5MD file (the only group, or ``group``)."""
    p = str(path)
    with _open(p) as fh:
        parts = fh.get("particles")
        if parts is None:
            raise InputError("missing group /particles (not an H5MD trajectory)", path=p)
        names = list(parts.keys())
        if not names:
            raise InputError("/particles holds no particle group", path=p)
        if group is None:
            if len(names) > 1:
                raise InputError(f"/particles holds several groups ({', '.join(names)}); choose one", path=p)
            group = names[0]
        base = f"/particles/{group}"
        pos = check_array(_dataset(fh, f"{base}/position/value", p), (-1, -1, 3), p,
                          f"{base}/position/value", min_frames=MIN_FRAMES)
        t, n = pos.shape[:2]
        times = None
        for key in ("time", "step"):
            if f"{base}/position/{key}" in fh:
                times = check_array(_dataset(fh, f"{base}/position/{key}", p), (t,), p, f"{base}/position/{key}")
                break
        if times is not None and np.any(np.diff(times) <= 0):
            raise InputError(f"{base}/position/time is not strictly increasing", path=p)
        vel = None
        if f"{base}/velocity/value" in fh:
            vel = check_array(_dataset(fh, f"{base}/velocity/value", p), (t, n, 3), p, f"{base}/velocity/value")
        species = None
        if f"{base}/species" in fh:
            sp = np.asarray(_dataset(fh, f"{base}/species", p))
            if sp.ndim == 2 and sp.shape[1] == n:  # time-dependent species: take frame 0
                sp = sp[0]
            if sp.shape != (n,):
                raise InputError(f"dataset {base}/species has shape {sp.shape}, expected ({n},)", path=p)
            if sp.dtype.kind not in "iu":
                raise InputError(f"dataset {base}/species holds {sp.dtype.kind in 'SUO' and 'strings' or sp.dtype}, "
                                 "expected integer species ids", path=p)
            species = sp.astype(np.int64)
        box = None
        if f"{base}/box/edges" in fh:
            raw = np.asarray(_dataset(fh, f"{base}/box/edges", p))
            e = check_array(raw, (-1,) * raw.ndim, p, f"{base}/box/edges")
            if e.ndim == 2 and e.shape[0] == t and e.shape != (3, 3):  # time-dependent box: frame 0
                e = e[0]
            if e.shape not in ((3,), (3, 3)):
                raise InputError(f"dataset {base}/box/edges has shape {e.shape}, expected (3,) or (3, 3)", path=p)
            box = np.diag(e) if e.shape == (3,) else e
            if abs(np.linalg.det(box)) < 1e-12:
                raise InputError(f"dataset {base}/box/edges gives a box of zero volume", path=p)
    return Trajectory(pos, vel, times, species, box, p)


@_guarded
def read_pairs(path: str | Path) -> Pairs:
    """Read ``/pairs/input/position`` and ``/pairs/target/position`` (+ optional features)."""
    p = str(path)
    with _open(p) as fh:
        x = check_array(_dataset(fh, "/pairs/input/position", p), (-1, -1, 3), p, "/pairs/input/position",
                        min_frames=1)
        s, n = x.shape[:2]
        y = check_array(_dataset(fh, "/pairs/target/position", p), (s, n, 3), p, "/pairs/target/position")
        feats = None
        if "/pairs/input/features" in fh:
            f = np.asarray(_dataset(fh, "/pairs/input/features", p))
            if f.ndim == 2:
                f = f[..., None]
            feats = check_array(f, (s, n, -1), p, "/pairs/input/features")
    if n < 2:
        raise InputError(f"/pairs/input/position has {n} point(s) per sample; need at least 2", path=p)
    return Pairs(x, y, feats, p)


def distinct_points(x: np.ndarray, path: str, decimals: int = 9) -> None:
    """Refuse two input points of one sample at one place (to ``decimals``, the resolution
    SymPE keys samples by): a point cloud with them has no order to permute, and SymPE's
    canonical frame is undefined. An InputError naming the sample and the points.
    """
    q = np.round(x, decimals) + 0.0
    for s in range(len(q)):
        _, first, counts = np.unique(q[s], axis=0, return_index=True, return_counts=True)
        if counts.max() > 1:
            k = int(np.argmax(counts))
            same = np.nonzero((q[s] == q[s][first[k]]).all(axis=1))[0]
            raise InputError(f"/pairs/input/position sample {s}: points {same[0] + 1} and {same[1] + 1} are at the "
                             f"same place ({', '.join(f'{v:.3g}' for v in x[s, same[0]])}): a point written twice?",
                             path=path)


def _write(path: Path, fill) -> Path:
    """Build the HDF5 file in memory and write it atomically (deterministic bytes)."""
    import io

    import h5py

    from symbreak_cli.io.files import atomic_write_bytes

    buf = io.BytesIO()
    with h5py.File(buf, "w", track_order=True) as fh:
        fill(fh)
    atomic_write_bytes(path, buf.getvalue())
    return path


def write_h5md(path: str | Path, positions: np.ndarray, *, velocities: np.ndarray | None = None,
               times: np.ndarray | None = None, species: np.ndarray | None = None,
               group: str = "all", author: str = "symbreak") -> Path:
    """Write an H5MD 1.1 trajectory (positions (T, N, 3), optional velocities/times)."""
    def fill(fh):
        h5 = fh.create_group("h5md")
        h5.attrs["version"] = np.array([1, 1])
        h5.create_group("author").attrs["name"] = author
        g = fh.create_group(f"particles/{group}")
        pos = g.create_group("position")
        pos.create_dataset("value", data=np.asarray(positions, np.float64))
        steps = np.arange(len(positions), dtype=np.int64)
        pos.create_dataset("step", data=steps) if times is None else pos.create_dataset("time", data=np.asarray(times, np.float64))
        if velocities is not None:
            g.create_group("velocity").create_dataset("value", data=np.asarray(velocities, np.float64))
        if species is not None:
            g.create_dataset("species", data=np.asarray(species, np.int64))

    return _write(Path(path), fill)


def write_pairs(path: str | Path, inputs: np.ndarray, targets: np.ndarray, features: np.ndarray | None = None) -> Path:
    """Write a pairs file (``/pairs/input/position``, ``/pairs/target/position``)."""
    def fill(fh):
        fh.create_group("pairs/input").create_dataset("position", data=np.asarray(inputs, np.float64))
        fh.create_group("pairs/target").create_dataset("position", data=np.asarray(targets, np.float64))
        if features is not None:
            fh["pairs/input"].create_dataset("features", data=np.asarray(features, np.float64))

    return _write(Path(path), fill)
