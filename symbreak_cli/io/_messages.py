r"""Library failures (ase, h5py, json, codecs) restated in a user's terms.

Readers call :func:`describe` on the exception a library raised for a malformed file and
put the result in their :class:`~symbreak_cli.errors.InputError`: no exception class
names, no Python idioms (``invalid literal for int() with base 10``), no internal prefixes
(``ase.io.extxyz:``).

>>> describe(ValueError("invalid literal for int() with base 10: 'abc'"))
"expected a whole number, found 'abc'"
>>> describe(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"))
'is not UTF-8 text (byte 0xff at offset 0)'
"""

from __future__ import annotations

import re

_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"Expected xyz header but got: invalid literal for int\(\) with base 10: (.*)", re.S),
     "its first line should be the number of atoms, found {0}"),
    (re.compile(r"invalid literal for int\(\) with base 10: (.*)", re.S), "expected a whole number, found {0}"),
    (re.compile(r"could not convert string to float: (.*)", re.S), "expected a number, found {0}"),
    (re.compile(r"Frame has (\d+) atoms, expected (\d+)"), "holds {0} atom line(s) where its count line says {1} (cut short?)"),
    (re.compile(r"could not assign tuple of length (\d+) to structure with (\d+) fields"),
     "an atom line has {0} column(s), expected {1}"),
    (re.compile(r"This is not an ULM formatted file"), "is not an ASE trajectory (.traj) file"),
    (re.compile(r"buffer is smaller than requested size|unexpected end of data|truncated"), "is cut short (truncated)"),
    (re.compile(r"setting an array element with a sequence"), "is damaged (an array has the wrong shape)"),
    (re.compile(r"^Empty file"), "file is empty"),
]


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def describe(err: BaseException) -> str:
    """One short phrase saying what is wrong with a file, from the exception a library raised."""
    if isinstance(err, UnicodeDecodeError):
        return f"is not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset {err.start})"
    if isinstance(err, MemoryError):
        return "is damaged (it declares arrays larger than memory)"
    if isinstance(err, RecursionError):
        return "is nested too deeply to be a structure or report"
    if type(err).__name__ == "JSONDecodeError":
        return f"is damaged (invalid JSON header: {getattr(err, 'msg', '')})"
    text = str(err).strip()
    text = re.sub(r"^(ase\.io\.\w+|\w+Error):\s*", "", text)
    for pattern, template in _RULES:
        m = pattern.search(text)
        if m:
            return template.format(*(_short(g, 40) for g in m.groups()))
    if not text:
        return "is malformed"
    return _short(text.splitlines()[0], 160)


def damaged_h5(err: BaseException) -> str:
    """What h5py's error for a corrupt file says, without its internals."""
    text = str(err)
    inner = re.findall(r"\(([^()]*)\)", text)
    return f"is a damaged HDF5 file ({inner[-1] if inner else _short(text, 80)})"
