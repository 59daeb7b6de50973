"""Report models shared by every command: the envelope (schema id, version, inputs,
provenance) that each kind's report extends.

Each report kind lives in its own module (``detect_models``, ``train_models``, …) and
registers itself in :data:`REPORT_KINDS` through :func:`register_kind`, so ``symbreak
schema KIND`` and ``symbreak report`` find it without a central list to edit.
"""

from __future__ import annotations

import datetime as _dt
import platform
import sys
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field

from symbreak_cli import __version__


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


# kind -> (major version, model class loader). Loaders import lazily.
REPORT_KINDS: dict[str, tuple[int, Callable[[], type[ReportBase]]]] = {}


def register_kind(kind: str, major: int, loader: Callable[[], type[ReportBase]]) -> None:
    REPORT_KINDS[kind] = (major, loader)


def _load(module: str, cls: str) -> Callable[[], type[ReportBase]]:
    def loader() -> type[ReportBase]:
        import importlib

        return getattr(importlib.import_module(module), cls)

    return loader


register_kind("detect", 1, _load("symbreak_cli.results.detect", "DetectReport"))
register_kind("train", 1, _load("symbreak_cli.results.train", "TrainReport"))


def model_for_kind(kind: str) -> type[ReportBase]:
    from symbreak_cli.errors import OptionError

    if kind not in REPORT_KINDS:
        raise OptionError(f"unknown report kind {kind!r}; known: {', '.join(sorted(REPORT_KINDS))}")
    return REPORT_KINDS[kind][1]()


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema of a report kind, generated from its pydantic model."""
    model = model_for_kind(kind)
    schema = model.model_json_schema(by_alias=True, mode="serialization")
    major = REPORT_KINDS[kind][0]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://symbreak.invalid/schema/{kind}/{major}"
    return schema
