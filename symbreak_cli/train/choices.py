"""The values ``train-relaxed``'s choice options accept (re-exported by :mod:`.config`),
apart from the configuration dataclass, so the CLI's shared option types can name them
without building it on every command.
"""

from __future__ import annotations

MODELS = ("e3nn", "equivariant", "gconv", "gconv-equivariant")
GCONV_MODELS = ("gconv", "gconv-equivariant")  # relaxed group convolutions on grids (fields files)
GCONV_GROUPS = ("auto", "C4", "D4", "O", "Oh")
TASKS = ("auto", "dynamics", "pairs")
DEVICES = ("auto", "cpu", "cuda")
