"""Symmetry: detection (spglib, molecules), point groups, character tables, O(3) branching, parent/child relations,
space-group irreps and symmetry-adapted displacement modes (:mod:`.irreps`, :mod:`.modes`).
"""

from symbreak_cli.symmetry.irreps import Distortion, IrrepModes, ModeSet, displacement_modes, distortion

__all__ = ["Distortion", "IrrepModes", "ModeSet", "displacement_modes", "distortion"]
