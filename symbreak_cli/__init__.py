"""symbreak: which symmetry your data has, which it breaks, and which irreps carry it.

The public API is re-exported here lazily (PEP 562), so ``import symbreak_cli`` imports
nothing heavy (no spglib, torch, e3nn or matplotlib) and ``symbreak --help`` starts fast:

>>> from symbreak_cli import detect_files, DetectOptions, read_structures, PointGroup
"""

# the one place the version is written: pyproject.toml reads it from here (importlib.metadata
# would cost ~40 ms of start-up on every command)
__version__ = "0.1.0"

from symbreak_cli.errors import SymbreakError  # noqa: E402

#: public name -> module that defines it
_API = {
    "Cell": "symbreak_cli.io.cell",
    "read_structures": "symbreak_cli.io.structures",
    "read_trajectory": "symbreak_cli.io.trajectories",
    "DetectOptions": "symbreak_cli.workflows.options",
    "detect_files": "symbreak_cli.workflows.detect",
    "analyse_cell": "symbreak_cli.symmetry.detect",
    "molecule_point_group": "symbreak_cli.symmetry.molecule",
    "PointGroup": "symbreak_cli.groups",
    "subgroup_relation": "symbreak_cli.groups",
    "character_table": "symbreak_cli.groups",
    "breaking_irreps": "symbreak_cli.groups",
    "branching_table": "symbreak_cli.groups",
    "stabilizer_of_signal": "symbreak_cli.groups",
    "parent_analysis": "symbreak_cli.symmetry.parent",
    "TrainConfig": "symbreak_cli.train.config",
    "train_relaxed": "symbreak_cli.workflows.train",
    "load_report": "symbreak_cli.render.terminal",
    "render_to_string": "symbreak_cli.render.terminal",
}

__all__ = ["__version__", "SymbreakError", *_API]


def __getattr__(name: str):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'symbreak_cli' has no attribute {name!r}")
