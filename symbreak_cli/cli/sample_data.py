"""``symbreak sample-data DIR``: regenerate the bundled sample data deterministically."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from symbreak_cli.cli._output import guard
from symbreak_cli.cli.options import DebugOpt, ForceOpt

DirectoryArg = Annotated[Path, typer.Argument(help="Directory to (re)generate the bundled sample data in.", show_default=False)]


def sample_data(directory: DirectoryArg, force: ForceOpt = False, debug: DebugOpt = False) -> None:
    """Regenerate the bundled sample data deterministically (structures, molecules, training sets).

    The paths written are listed on stderr.

    Examples:
      symbreak sample-data sample_data --force
    """  # noqa: D406, D407  (click help: "Examples:" is no numpy section)
    with guard(debug):
        from symbreak_cli.workflows.sample_data import write_sample_data

        for p in write_sample_data(directory, force=force):
            typer.echo(str(p), err=True)
