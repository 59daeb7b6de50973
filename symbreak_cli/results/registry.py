"""The one registry of report kinds: kind → schema major and the model class that reads it.

Adding a report kind is one line in :data:`REPORT_KINDS` here (its model module stays
lazy: nothing is imported until the kind is used) and one in
:mod:`symbreak_cli.render.registry` (how to draw it); a test checks both hold the same
kinds. Everything that names a kind — ``symbreak schema KIND``, ``symbreak report``, the
``report`` loader, :func:`symbreak_cli.testing.validate_report` — reads this table.

Light to import (no pydantic): the CLI builds its ``KIND`` choices from it at start-up.

>>> REPORT_KINDS["detect"].schema_id
'symbreak.detect/2'
>>> kind_of_schema_id("symbreak.train/5", "report.json").name
'train'
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from symbreak_cli.errors import InputError, OptionError

if TYPE_CHECKING:
    from symbreak_cli.results.base import ReportBase


@dataclass(frozen=True)
class ReportKind:
    """One report kind: its name, the major version of its schema, and its model class.

    ``module``/``model`` name the pydantic class (imported on first use, so reading the
    registry costs nothing). A report is read only by the major it was written with;
    minor additions (new fields) are ignored by older readers.
    """

    name: str
    major: int
    module: str
    model: str

    @property
    def schema_id(self) -> str:
        """The ``schema`` field of every report of this kind: ``symbreak.<kind>/<major>``."""
        return f"symbreak.{self.name}/{self.major}"

    def load(self) -> type[ReportBase]:
        """The model class (imports its module)."""
        return getattr(importlib.import_module(self.module), self.model)


#: kind -> ReportKind. The only list of report kinds.
REPORT_KINDS: dict[str, ReportKind] = {
    k.name: k
    for k in (
        ReportKind("detect", 2, "symbreak_cli.results.detect", "DetectReport"),  # 2: layer groups, disorder, modes, pseudo
        ReportKind("train", 5, "symbreak_cli.results.train", "TrainReport"),  # 5: SymPE/gconv restarts, relaxed errors
        ReportKind("break", 2, "symbreak_cli.results.break_", "BreakReport"),  # 2: its samples section (χ² over classified draws)
        ReportKind("samples", 2, "symbreak_cli.results.samples", "SamplesReport"),  # 2: χ² over classified draws
    )
}


def report_kind(kind: str) -> ReportKind:
    """The registered kind ``kind``.

    Raises
    ------
    OptionError
        ``kind`` is not registered (the message lists the known kinds).
    """
    if kind not in REPORT_KINDS:
        raise OptionError(f"unknown report kind {kind!r}; known: {', '.join(sorted(REPORT_KINDS))}")
    return REPORT_KINDS[kind]


def model_for_kind(kind: str) -> type[ReportBase]:
    """The pydantic model class of report kind ``kind``."""
    return report_kind(kind).load()


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema of a report kind, generated from its pydantic model."""
    entry = report_kind(kind)
    schema = entry.load().model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://symbreak.invalid/schema/{entry.name}/{entry.major}"
    return schema


def kind_of_schema_id(schema_id: Any, source: str) -> ReportKind:
    """The kind of a report from its ``schema`` field: ``'symbreak.detect/1'`` -> detect.

    Parameters
    ----------
    schema_id
        The document's ``schema`` value (anything: it comes from user input).
    source
        The file it came from, named in the error messages.

    Raises
    ------
    InputError
        Not a symbreak schema id, an unknown kind, a malformed version, or a major this
        version does not read.
    """
    if not isinstance(schema_id, str) or not schema_id.startswith("symbreak.") or "/" not in schema_id:
        raise InputError(f"not a symbreak report (its 'schema' is {schema_id!r})", path=source)
    name, _, ver = schema_id[len("symbreak."):].partition("/")
    major = ver.split(".")[0]
    if name not in REPORT_KINDS:
        raise InputError(f"unknown report kind {name!r} (known: {', '.join(sorted(REPORT_KINDS))})", path=source)
    if not major.isdigit():
        raise InputError(f"malformed schema version {ver!r}", path=source)
    entry = REPORT_KINDS[name]
    if int(major) != entry.major:
        raise InputError(
            f"report is {schema_id}, this symbreak reads {entry.schema_id}; use the symbreak version that wrote it",
            path=source,
        )
    return entry
