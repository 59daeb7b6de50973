"""Symmetry: detection (spglib, molecules), point groups, character tables, O(3) branching, parent/child relations."""
