"""Voxel fields in HDF5: ``/fields/input`` and ``/fields/target`` on a regular grid.

Layout::

    /fields                 group; attribute ``periodic`` (bool, default false)
    /fields/input           (S, C_in, X, Y) or (S, C_in, X, Y, Z) float
    /fields/target          (S, C_out, X, Y[, Z]) float, same grid as the input
        attribute ``channel_types`` on each: one string per channel, ``scalar``,
        ``pseudoscalar``, or a component of a ``vector`` / ``pseudovector``
        (``vector.x``, ``vector.y``[, ``vector.z``]: the components of one vector are
        consecutive channels in x, y, z order). Absent: every channel is a scalar.

Grid axes are the Cartesian x, y(, z) axes, one voxel per unit, so a point-group matrix
with integer entries permutes the voxels. Every problem is an
:class:`~symbreak_cli.errors.InputError` naming the file and the dataset.

>>> parse_channel_types(["scalar", "vector.x", "vector.y"], 2, "f.h5", "/fields/input")
('scalar', 'vector.x', 'vector.y')
>>> parse_channel_types(["vector.y", "vector.x"], 2, "f.h5", "/fields/input")
Traceback (most recent call last):
...
symbreak_cli.errors.InputError: f.h5: /fields/input channel_types: channel 0 is 'vector.y', but a vector starts with its x component (vector.x, vector.y in order)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from symbreak_cli.errors import InputError

AXES = "xyz"
KINDS = ("scalar", "pseudoscalar", "vector", "pseudovector")
#: largest |value| accepted in a field: training squares and sums the values in float32
#: (max 3.4e38), so anything much larger overflows into inf/NaN losses
MAX_ABS_VALUE = 1e12
_WHAT = {"b": "true/false values", "c": "complex numbers", "S": "text", "U": "text", "O": "text or objects",
         "V": "compound records", "M": "dates", "m": "time spans"}


def _what(dtype) -> str:
    """A dataset's element type in a user's words (for 'holds …, expected numbers')."""
    return _WHAT.get(dtype.kind, f"{dtype.kind!r}-type values")


def _text(t, path: str, where: str) -> str:
    if isinstance(t, bytes):
        try:
            return t.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{where}: {t[:20]!r} is not UTF-8 text", path=path) from None
    return str(t)


@dataclass(frozen=True)
class Fields:
    """Input and target fields on one grid.

    Attributes
    ----------
    inputs : (S, C_in, *grid) float64
    targets : (S, C_out, *grid) float64
    input_types, target_types : one channel type per channel (see the module docstring)
    periodic : whether the grid wraps around (periodic boundary conditions)
    path : the file it came from
    """

    inputs: np.ndarray
    targets: np.ndarray
    input_types: tuple[str, ...]
    target_types: tuple[str, ...]
    periodic: bool
    path: str

    @property
    def dim(self) -> int:
        return self.inputs.ndim - 2

    @property
    def grid(self) -> tuple[int, ...]:
        return tuple(self.inputs.shape[2:])

    @property
    def n_samples(self) -> int:
        return int(self.inputs.shape[0])


def parse_channel_types(types, dim: int, path: str, dataset: str) -> tuple[str, ...]:
    """Validate channel type strings for a ``dim``-dimensional grid; return them as a tuple."""
    where = f"{dataset} channel_types"
    out = tuple(_text(t, path, where) for t in types)
    i = 0
    while i < len(out):
        kind, _, comp = out[i].partition(".")
        if kind not in KINDS or (kind in ("scalar", "pseudoscalar")) != (comp == ""):
            raise InputError(f"{where}: channel {i} is {out[i]!r}; use scalar, pseudoscalar, or vector.x … "
                             f"pseudovector.z", path=path)
        if kind in ("scalar", "pseudoscalar"):
            i += 1
            continue
        if kind == "pseudovector" and dim != 3:
            raise InputError(f"{where}: a pseudovector needs a 3D grid (in 2D its one component is a pseudoscalar)",
                             path=path)
        want = [f"{kind}.{a}" for a in AXES[:dim]]
        if comp != "x":
            raise InputError(f"{where}: channel {i} is {out[i]!r}, but a {kind} starts with its x component "
                             f"({', '.join(want)} in order)", path=path)
        if list(out[i:i + dim]) != want:
            raise InputError(f"{where}: channels {i}… must be {', '.join(want)} (a {kind} has {dim} components on a "
                             f"{dim}D grid), found {', '.join(out[i:i + dim])}", path=path)
        i += dim
    return out


def _array(fh, name: str, path: str) -> np.ndarray:
    import h5py

    obj = fh.get(name)
    if obj is None:
        raise InputError(f"missing dataset {name}", path=path)
    if not isinstance(obj, h5py.Dataset):
        raise InputError(f"{name} is a group, expected a dataset", path=path)
    if obj.dtype.kind not in "fiu":
        raise InputError(f"dataset {name} holds {_what(obj.dtype)} (dtype {obj.dtype.str}), expected real numbers",
                         path=path)
    arr = np.asarray(obj[()], dtype=np.float64)
    if arr.ndim not in (4, 5):
        raise InputError(f"dataset {name} has shape {arr.shape}, expected (S, C, X, Y) or (S, C, X, Y, Z)", path=path)
    if not np.all(np.isfinite(arr)):
        raise InputError(f"dataset {name} contains NaN or inf", path=path)
    if arr.shape[0] < 1 or arr.shape[1] < 1 or min(arr.shape[2:]) < 1:
        raise InputError(f"dataset {name} has shape {arr.shape}: no samples, channels or voxels", path=path)
    big = float(np.abs(arr).max())
    if big > MAX_ABS_VALUE:
        raise InputError(f"dataset {name} holds values as large as {big:.3g}; training overflows beyond "
                         f"±{MAX_ABS_VALUE:g}: rescale the fields", path=path)
    return arr


def _periodic(fh, path: str) -> bool:
    """The ``periodic`` attribute of ``/fields``: a boolean (or 0/1); absent is false."""
    raw = fh["fields"].attrs.get("periodic", False)
    value = np.asarray(raw)
    if value.shape == () and value.dtype.kind in "biu" and int(value) in (0, 1):
        return bool(value)
    shown = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    shown = repr(shown) if value.shape == () else f"an array of shape {value.shape}"
    raise InputError(f"/fields attribute periodic is {str(shown)[:40]}; it must be true or false (or 1 / 0)", path=path)


def _types(fh, name: str, n: int, dim: int, path: str) -> tuple[str, ...]:
    raw = fh[name].attrs.get("channel_types")
    if raw is None:
        return ("scalar",) * n
    raw = np.atleast_1d(np.asarray(raw))
    if len(raw) != n:
        raise InputError(f"{name} has {n} channel(s) but its channel_types attribute names {len(raw)}", path=path)
    return parse_channel_types(list(raw), dim, path, name)


def read_fields(path: str | Path) -> Fields:
    """Read ``/fields/input`` and ``/fields/target`` (see the module docstring)."""
    from symbreak_cli.io.h5 import _open

    p = str(path)
    with _open(p) as fh:
        if "fields" not in fh:
            raise InputError("missing group /fields (not a fields file)", path=p)
        x = _array(fh, "/fields/input", p)
        y = _array(fh, "/fields/target", p)
        if y.ndim != x.ndim or y.shape[0] != x.shape[0] or y.shape[2:] != x.shape[2:]:
            raise InputError(f"/fields/target has shape {y.shape}, but /fields/input has {x.shape}: they need the same "
                             f"samples and grid (S, *, {', '.join(map(str, x.shape[2:]))})", path=p)
        dim = x.ndim - 2
        tin = _types(fh, "/fields/input", x.shape[1], dim, p)
        tout = _types(fh, "/fields/target", y.shape[1], dim, p)
        periodic = _periodic(fh, p)
    return Fields(x, y, tin, tout, periodic, p)


def write_fields(path: str | Path, inputs: np.ndarray, targets: np.ndarray, *, input_types=None, target_types=None,
                 periodic: bool = False, dtype=np.float32) -> Path:
    """Write a fields file (deterministic bytes, atomic); types default to all scalars."""
    from symbreak_cli.io.h5 import _write

    inputs, targets = np.asarray(inputs), np.asarray(targets)
    tin = list(input_types or ["scalar"] * inputs.shape[1])
    tout = list(target_types or ["scalar"] * targets.shape[1])

    def fill(fh):
        g = fh.create_group("fields")
        g.attrs["periodic"] = bool(periodic)
        a = g.create_dataset("input", data=inputs.astype(dtype))
        a.attrs["channel_types"] = np.array(tin, dtype="S")
        b = g.create_dataset("target", data=targets.astype(dtype))
        b.attrs["channel_types"] = np.array(tout, dtype="S")

    return _write(Path(path), fill)
