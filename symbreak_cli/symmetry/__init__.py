"""Symmetry: detection (spglib, molecules), point groups, character tables, O(3) branching, parent/child relations,
space-group irreps and symmetry-adapted displacement modes (:mod:`.irreps`, :mod:`.modes`), symmetry breaking
(:mod:`.breaking`).

The names below are imported on first use (PEP 562): ``symbreak --help`` reads
``symbreak_cli.symmetry.tolerances`` and must not pay for numpy/spglib through this package.
"""

_LAZY = {
    "Distortion": "irreps", "IrrepModes": "irreps", "ModeSet": "irreps", "displacement_modes": "irreps",
    "distortion": "irreps", "ModeDecomposition": "modes", "IrrepAmplitude": "modes", "decompose": "modes",
    "break_structure": "breaking", "break_along_irrep": "breaking", "breaking_object": "breaking",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"symbreak_cli.symmetry.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'symbreak_cli.symmetry' has no attribute {name!r}")


__all__ = sorted(_LAZY)
