"""Multi-frame trajectories: one :class:`Trajectory` type for H5MD and ASE files.

Only the *observed* quantities are read (positions, velocities, species, times, box);
simulation parameters a file may store (fields, charges, thermostat settings) are never
read — a model trained on the trajectory must discover them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from symbreak_cli.errors import InputError

MIN_FRAMES = 2  # finite differences need at least two frames
#: larger coordinates are corruption, not data (their squares and differences overflow float64)
ABSURD = 1e12


@dataclass(frozen=True)
class Trajectory:
    """Positions of ``N`` particles over ``T`` frames.

    Attributes
    ----------
    positions : (T, N, 3) float64, Å (or the file's length unit)
    velocities : (T, N, 3) float64 or None, length per time unit
    times : (T,) float64 or None, the file's time unit; ``None`` means unit spacing
    species : (N,) int64 or None, atomic numbers / species ids
    box : (3, 3) float64 or None, cell vectors as rows (kept for reference only)
    path : the file it came from, for error messages
    """

    positions: np.ndarray
    velocities: np.ndarray | None
    times: np.ndarray | None
    species: np.ndarray | None
    box: np.ndarray | None
    path: str

    @property
    def n_frames(self) -> int:
        return int(self.positions.shape[0])

    @property
    def n_particles(self) -> int:
        return int(self.positions.shape[1])


def check_array(a, shape: tuple, path: str, dataset: str, *, min_frames: int | None = None) -> np.ndarray:
    """Validate an array's shape (``-1`` = any) and finiteness; return it as float64.

    Raises :class:`InputError` naming ``path`` and ``dataset`` on a wrong shape, NaN/inf,
    or fewer than ``min_frames`` entries along axis 0.
    """
    raw = np.asarray(a)
    if raw.dtype.kind not in "iuf":  # strings, bytes, booleans, complex, compound: not coordinates
        what = {"S": "strings", "U": "strings", "O": "strings or objects", "b": "booleans", "c": "complex numbers",
                "V": "compound records"}.get(raw.dtype.kind, f"values of type {raw.dtype}")
        raise InputError(f"dataset {dataset} holds {what}, expected real numbers", path=path)
    arr = raw.astype(np.float64)
    if arr.ndim != len(shape) or any(s != -1 and s != n for s, n in zip(shape, arr.shape)):
        want = "(" + ", ".join("*" if s == -1 else str(s) for s in shape) + ")"
        raise InputError(f"dataset {dataset} has shape {arr.shape}, expected {want}", path=path)
    if not np.all(np.isfinite(arr)):
        raise InputError(f"dataset {dataset} contains NaN or inf", path=path)
    if arr.size and float(np.max(np.abs(arr))) > ABSURD:
        raise InputError(f"dataset {dataset} holds a value of {float(np.max(np.abs(arr))):.3g}: absurdly large "
                         f"(beyond {ABSURD:g})", path=path)
    if 0 in arr.shape[1:]:
        raise InputError(f"dataset {dataset} has shape {arr.shape}: it holds no points", path=path)
    if min_frames is not None and arr.shape[0] < min_frames:
        raise InputError(
            f"dataset {dataset} has {arr.shape[0]} frame(s); at least {min_frames} are needed", path=path
        )
    return arr


def read_ase_trajectory(path: str | Path) -> Trajectory:
    """Read every frame of an ASE ``.traj`` or multi-frame extxyz file.

    Velocities come from ``atoms.get_velocities()`` when the file stores momenta. Times
    come from each frame's ``atoms.info`` (``time``, ``Time`` or ``t``: an extxyz comment
    ``time=…`` lands there, and ASE's .traj keeps ``info``), else from a ``dt`` (or
    ``timestep``) entry of the first frame; with neither, ``times=None`` (unknown).
    """
    p = str(path)
    if not Path(p).is_file():
        raise InputError("no such file", path=p)
    import ase.io

    from symbreak_cli.io._messages import describe

    source = p
    fmt = None
    if Path(p).suffix.lower() in (".xyz", ".extxyz"):  # text: a UTF-8 BOM is dropped, non-UTF-8 bytes named
        import io

        try:
            source, fmt = io.StringIO(Path(p).read_bytes().decode("utf-8-sig")), "extxyz"
        except UnicodeDecodeError as err:
            raise InputError(describe(err), path=p) from None
    try:
        frames = ase.io.read(source, index=":", format=fmt)
    except Exception as err:  # ase raises many types for malformed files
        raise InputError(f"cannot be read as an ASE trajectory: {describe(err)}", path=p) from None
    if not isinstance(frames, list):
        frames = [frames]
    if len(frames) < MIN_FRAMES:
        raise InputError(f"has {len(frames)} frame(s); at least {MIN_FRAMES} are needed", path=p)
    n = len(frames[0])
    if any(len(f) != n for f in frames):
        raise InputError("frames have different numbers of atoms", path=p)
    pos = check_array(np.stack([f.get_positions() for f in frames]), (-1, n, 3), p, "positions")
    vel = None
    if frames[0].has("momenta"):
        vel = check_array(np.stack([f.get_velocities() for f in frames]), (-1, n, 3), p, "velocities")
    species = np.asarray(frames[0].get_atomic_numbers(), dtype=np.int64)
    cell = frames[0].cell.array if frames[0].cell.rank == 3 else None
    return Trajectory(pos, vel, _ase_times(frames, p), species, cell, p)


TIME_KEYS = ("time", "Time", "t")  # per-frame time in atoms.info
DT_KEYS = ("dt", "timestep", "time_step")  # one time step in the first frame's atoms.info


def _ase_times(frames, path: str) -> np.ndarray | None:
    """(T,) frame times from ``atoms.info`` (see :func:`read_ase_trajectory`), or None."""
    for key in TIME_KEYS:
        if all(key in f.info for f in frames):
            try:
                times = np.array([float(f.info[key]) for f in frames])
            except (TypeError, ValueError):
                raise InputError(f"atoms.info[{key!r}] is not a number in every frame", path=path) from None
            if not np.all(np.isfinite(times)) or np.any(np.diff(times) <= 0):
                raise InputError(f"frame times atoms.info[{key!r}] are not strictly increasing", path=path)
            return times
    for key in DT_KEYS:
        if key in frames[0].info:
            try:
                dt = float(frames[0].info[key])
            except (TypeError, ValueError):
                dt = float("nan")
            if not (np.isfinite(dt) and dt > 0):
                raise InputError(f"atoms.info[{key!r}] = {frames[0].info[key]!r} is not a positive time step", path=path)
            return dt * np.arange(len(frames))
    return None


def read_trajectory(path: str | Path) -> Trajectory:
    """H5MD (``.h5``/``.h5md``/``.hdf5``) or any ASE multi-frame format, by extension."""
    p = Path(path)
    if p.suffix.lower() in {".h5", ".h5md", ".hdf5"}:
        from symbreak_cli.io.h5 import read_h5md

        return read_h5md(p)
    return read_ase_trajectory(p)
