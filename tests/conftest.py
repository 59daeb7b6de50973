"""Shared fixtures: the bundled sample data, regenerated into a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The committed sample_data/ directory (tests also prove it is regenerable)."""
    return SAMPLE


@pytest.fixture()
def cif_text() -> str:
    return (SAMPLE / "BaTiO3_Pm-3m.cif").read_text()
