"""symbreak: which symmetry your data has, which it breaks, and which irreps carry it.

The package imports nothing heavy at import time (no torch, e3nn or matplotlib), so
``symbreak --help`` and ``symbreak detect`` start fast.
"""

# the one place the version is written: pyproject.toml reads it from here (importlib.metadata
# would cost ~40 ms of start-up on every command)
__version__ = "0.1.0"

from symbreak_cli.errors import SymbreakError  # noqa: E402

__all__ = ["__version__", "SymbreakError"]
