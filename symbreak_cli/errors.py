"""One exception hierarchy; the CLI maps it to a one-line message and an exit code.

Library code raises these and never returns ``None`` on failure or ``assert``s on user
input. ``str(err)`` is the whole message a user sees (it names the file when there is one).
"""

from __future__ import annotations

import contextlib
from typing import Iterator


class SymbreakError(Exception):
    """Base of every error a user can act on. ``exit_code`` is what the CLI returns."""

    exit_code: int = 1

    def __init__(self, message: str, *, path: str | None = None):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class InputError(SymbreakError):
    """A file is missing, unreadable, malformed, or holds data we cannot use."""


class OptionError(SymbreakError):
    """An option value is out of range or inconsistent with another option."""


class SymmetryError(SymbreakError):
    """A symmetry search failed (e.g. spglib found no group at this tolerance)."""


class OutputError(SymbreakError):
    """An output exists and ``--force`` was not given, or it cannot be written."""


@contextlib.contextmanager
def named(path: str | None, kinds: tuple[type[SymbreakError], ...] = (SymbreakError,)) -> Iterator[None]:
    """Errors of ``kinds`` raised inside, about the input ``path`` but not naming any file
    (a point cloud with no frame, a target group the structure cannot reach), get its name.

    >>> with named("x.cif"):
    ...     raise InputError("no atoms")
    Traceback (most recent call last):
    ...
    symbreak_cli.errors.InputError: x.cif: no atoms
    """
    try:
        yield
    except kinds as err:
        if not path or err.path is not None or str(err).startswith(f"{path}:"):
            raise
        raise type(err)(err.message, path=path) from None
