"""Numpy-only group theory (placeholder; re-exports come with the consolidation)."""
