"""Symmetry: detection (spglib, molecules), point groups, character tables, O(3) branching, parent/child relations,
space-group irreps and symmetry-adapted displacement modes (:mod:`.irreps`, :mod:`.modes`).

The mode API is re-exported lazily, so importing a light submodule (``.tolerances``, which
the CLI reads at start-up) does not import numpy.
"""

_LAZY = {
    "Distortion": "irreps", "IrrepModes": "irreps", "ModeSet": "irreps", "displacement_modes": "irreps",
    "distortion": "irreps", "ModeDecomposition": "modes", "IrrepAmplitude": "modes", "decompose": "modes",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"symbreak_cli.symmetry.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'symbreak_cli.symmetry' has no attribute {name!r}")


__all__ = sorted(_LAZY)
