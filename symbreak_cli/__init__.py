"""symbreak: which symmetry your data has, which it breaks, and which irreps carry it.

The package imports nothing heavy at import time (no torch, e3nn or matplotlib), so
``symbreak --help`` and ``symbreak detect`` start fast.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("symbreak-cli")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

from symbreak_cli.errors import SymbreakError  # noqa: E402

__all__ = ["__version__", "SymbreakError"]
