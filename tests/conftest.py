"""Shared fixtures: the bundled sample data, regenerated into a temporary directory."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"

# The on-disk cache (symbreak_cli.io.cache) of every test process, and of the commands tests
# run in subprocesses, is a fresh directory of this run: nothing is read from or written to
# the user's ~/.cache, and no test depends on what an earlier run left there.
os.environ["SYMBREAK_CACHE_DIR"] = tempfile.mkdtemp(prefix="symbreak-test-cache-")


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The committed sample_data/ directory (tests also prove it is regenerable)."""
    return SAMPLE


@pytest.fixture()
def cif_text() -> str:
    return (SAMPLE / "BaTiO3_Pm-3m.cif").read_text()
