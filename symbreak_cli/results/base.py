"""Report models shared by every command: the envelope (schema id, version, inputs,
provenance) that each kind's report extends.

Each report kind lives in its own module (``results/detect.py``, ``results/train.py``, …);
the kinds, their schema majors and model classes are listed once, in
:mod:`symbreak_cli.results.registry` (:func:`json_schema` and :func:`model_for_kind` are
re-exported here).
"""

from __future__ import annotations

import datetime as _dt
import platform
import sys
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from symbreak_cli import __version__
from symbreak_cli.results.registry import REPORT_KINDS, ReportKind, json_schema, model_for_kind

__all__ = [
    "Frozen", "InputFile", "Inputs", "Provenance", "ReportBase", "library_versions", "make_provenance",
    "REPORT_KINDS", "ReportKind", "json_schema", "model_for_kind",
]


class Frozen(BaseModel):
    """Immutable model that ignores unknown fields, so a newer minor version still loads."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class InputFile(Frozen):
    path: str = Field(description="path as given by the user ('-' for stdin)")
    sha256: str | None = Field(None, description="sha256 of the file's bytes")


class Provenance(Frozen):
    command: str = Field(description="the command line that produced the report")
    created: str = Field(description="UTC time the report was made, ISO 8601")
    python: str
    platform: str
    versions: dict[str, str] = Field(default_factory=dict, description="versions of the libraries that did the work")
    device: str | None = Field(None, description="torch device used, for training reports")
    wall_time_s: float | None = Field(None, description="wall-clock time of the run (s)")


class Inputs(Frozen):
    files: list[InputFile] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict, description="options as used, tolerances with units in the name")


class ReportBase(Frozen):
    schema_id: str = Field(alias="schema", description="'symbreak.<kind>/<major>'")
    symbreak_version: str = __version__
    inputs: Inputs
    provenance: Provenance

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)


def library_versions(names: tuple[str, ...] = ("numpy", "spglib", "ase", "pymatgen")) -> dict[str, str]:
    """Versions of installed libraries, read from metadata (imports nothing)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for n in names:
        try:
            out[n] = version(n)
        except PackageNotFoundError:
            pass
    return out


def make_provenance(
    command: str | None = None,
    *,
    libs: tuple[str, ...] = ("numpy", "spglib", "ase", "pymatgen"),
    device: str | None = None,
    wall_time_s: float | None = None,
) -> Provenance:
    return Provenance(
        command=command if command is not None else " ".join(["symbreak", *sys.argv[1:]]),
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        python=platform.python_version(),
        platform=platform.platform(terse=True),
        versions=library_versions(libs),
        device=device,
        wall_time_s=wall_time_s,
    )
