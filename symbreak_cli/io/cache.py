"""A small on-disk cache of numpy arrays for results that are costly to compute and depend
only on their inputs (spgrep's small irreps of a parent space group at one k-point, the
symmetry-adapted mode basis of a parent supercell).

Where: ``$SYMBREAK_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/symbreak``, else
``~/.cache/symbreak``. ``SYMBREAK_CACHE_DIR=off`` (or ``0``, ``none``, empty) turns it off.
Each entry is one ``.npz`` file (no pickles) named by the sha256 of everything it depends on,
written atomically (:func:`~symbreak_cli.io.files.atomic_write_bytes`), so concurrent runs never
see half a file. A cache never fails a run: an entry that cannot be read is recomputed and written again,
a directory that cannot be written is ignored.

>>> import numpy as np, tempfile, os
>>> before = os.environ.get("SYMBREAK_CACHE_DIR")
>>> os.environ["SYMBREAK_CACHE_DIR"] = tempfile.mkdtemp()
>>> k = cache_key("demo/1", b"inputs")
>>> load_arrays("demo", k) is None
True
>>> store_arrays("demo", k, {"x": np.arange(3)})
>>> load_arrays("demo", k)["x"].tolist()
[0, 1, 2]
>>> _ = os.environ.pop("SYMBREAK_CACHE_DIR") if before is None else os.environ.update(SYMBREAK_CACHE_DIR=before)
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

#: values of SYMBREAK_CACHE_DIR that turn the cache off
_OFF = ("", "0", "off", "none", "false", "no")


def cache_dir() -> Path | None:
    """The cache directory (not created here), or None when the cache is off."""
    env = os.environ.get("SYMBREAK_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "symbreak"


def cache_key(kind: str, *parts: bytes) -> str:
    """sha256 hex of a kind tag (with its format version, e.g. ``"spgrep-small-irreps/1"``)
    and the bytes an entry depends on (each length-prefixed, so parts cannot run together).
    """
    h = hashlib.sha256(kind.encode())
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


@lru_cache(maxsize=16)
def versions_key(*packages: str) -> bytes:
    """The installed versions of ``packages`` (and numpy's) as bytes for :func:`cache_key`:
    an entry computed by one release is never read by another. Read once per process.
    """
    from importlib.metadata import PackageNotFoundError, version

    out = [f"numpy={np.__version__}"]
    for name in packages:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=?")
    return ";".join(out).encode()


@lru_cache(maxsize=16)
def sources_key(*paths: str) -> bytes:
    """sha256 of the bytes of the source files ``paths`` for :func:`cache_key`: an entry
    derived by code (the mode basis of :mod:`symbreak_cli.symmetry.irreps`) is never read
    by a changed version of that code, even within one release. Read once per process.
    """
    h = hashlib.sha256()
    for p in paths:
        data = Path(p).read_bytes()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def _path(namespace: str, key: str) -> Path | None:
    root = cache_dir()
    return None if root is None else root / namespace / f"{key}.npz"


def load_arrays(namespace: str, key: str) -> dict[str, np.ndarray] | None:
    """The arrays stored under ``key``, or None (absent, unreadable, cache off)."""
    path = _path(namespace, key)
    if path is None:
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return {name: z[name] for name in z.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError):
        return None


def store_arrays(namespace: str, key: str, arrays: dict[str, np.ndarray], compress: bool = False) -> None:
    """Store ``arrays`` under ``key`` (:func:`~symbreak_cli.io.files.atomic_write_bytes`),
    deflated when ``compress`` (mostly-zero matrices: a twentieth of the size, read as
    fast); a failure to write leaves the cache as it was and is not an error.
    """
    path = _path(namespace, key)
    if path is None:
        return
    from symbreak_cli.errors import SymbreakError
    from symbreak_cli.io.files import atomic_write_bytes

    buf = io.BytesIO()
    (np.savez_compressed if compress else np.savez)(buf, **arrays)
    try:
        atomic_write_bytes(path, buf.getvalue())
    except SymbreakError:
        pass


def cached_arrays(namespace: str, key: str, compute: Callable[[], dict[str, np.ndarray]],
                  valid: Callable[[dict[str, np.ndarray]], bool] = lambda arrays: True,
                  compress: bool = False) -> dict[str, np.ndarray]:
    """The arrays under ``key`` when present and ``valid``; else ``compute()``, stored
    (:func:`store_arrays`).
    """
    hit = load_arrays(namespace, key)
    if hit is not None and valid(hit):
        return hit
    arrays = compute()
    store_arrays(namespace, key, arrays, compress)
    return arrays
