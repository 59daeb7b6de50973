"""symmetry package."""
