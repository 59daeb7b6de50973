"""Symmetry: detection (spglib, molecules), point groups, character tables, O(3) branching, parent/child relations,
space-group irreps and symmetry-adapted displacement modes (:mod:`.irreps`, :mod:`.modes`), symmetry breaking
(:mod:`.breaking`).

The names below are imported on first use (PEP 562): ``symbreak --help`` reads
``symbreak_cli.symmetry.tolerances`` and must not pay for numpy/spglib through this package.
"""

_LAZY = {
    "Distortion": "symbreak_cli.symmetry.irreps",
    "IrrepModes": "symbreak_cli.symmetry.irreps",
    "ModeSet": "symbreak_cli.symmetry.irreps",
    "displacement_modes": "symbreak_cli.symmetry.irreps",
    "distortion": "symbreak_cli.symmetry.irreps",
    "break_structure": "symbreak_cli.symmetry.breaking",
    "break_along_irrep": "symbreak_cli.symmetry.breaking",
    "breaking_object": "symbreak_cli.symmetry.breaking",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'symbreak_cli.symmetry' has no attribute {name!r}")


__all__ = sorted(_LAZY)
