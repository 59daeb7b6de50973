"""File helpers shared by every command: hashing inputs and writing outputs atomically."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from symbreak_cli.errors import OutputError


def sha256_file(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes (streamed, so large trajectories are fine)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_writable(path: str | os.PathLike, force: bool) -> Path:
    """Refuse to clobber an existing output unless ``force``; return the path."""
    p = Path(path)
    if p.exists() and not force:
        raise OutputError("exists; pass --force to overwrite it", path=str(p))
    return p


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, force: bool = True) -> Path:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place.

    A crash mid-write leaves the previous file (if any) untouched. A target that exists and
    is not a regular file (``/dev/null``, ``/dev/full``, a FIFO) is written in place, never
    replaced. Any failure (a read-only directory, a full disk, a parent that is a file) is an
    :class:`OutputError` naming ``path`` — never the temporary file.
    """
    p = check_writable(path, force)
    if p.exists() and not p.is_file() and not p.is_dir():
        try:
            with open(p, "wb") as fh:
                fh.write(data)
                fh.flush()
        except OSError as err:
            raise OutputError(f"cannot be written ({err.strerror or err})", path=str(p)) from None
        return p
    if p.is_dir():
        raise OutputError("is a directory; give a file name", path=str(p))
    tmp = None
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _default_mode())  # mkstemp makes 0600; outputs get the usual umask
        os.replace(tmp, p)
    except BaseException as err:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(err, OSError):
            blocker = next((a for a in p.parents if a.exists() and not a.is_dir()), None)
            why = f"{blocker} is a file, not a directory" if blocker is not None else (err.strerror or str(err))
            raise OutputError(f"cannot be written ({why})", path=str(p)) from None
        raise
    return p


def atomic_write_text(path: str | os.PathLike, text: str, *, force: bool = True) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), force=force)
