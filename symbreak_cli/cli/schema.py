"""``symbreak schema KIND``: the JSON Schema of a report kind, generated from its model."""

from __future__ import annotations

from symbreak_cli.cli._output import guard, write_stdout
from symbreak_cli.cli.options import DebugOpt, KindArg


def schema(kind: KindArg, debug: DebugOpt = False) -> None:
    """Print the JSON Schema of a report kind (generated from the code's models).

    Every --json document validates against the schema of its kind.

    Examples:
      symbreak schema detect > detect.schema.json
    """  # noqa: D406, D407  (click help: "Examples:" is no numpy section)
    with guard(debug):
        import json

        from symbreak_cli.results.registry import json_schema

        write_stdout(json.dumps(json_schema(kind), indent=2))
