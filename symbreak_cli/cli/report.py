"""``symbreak report``: render a JSON report as tables, Markdown or a self-contained HTML page."""

from __future__ import annotations

from typing import Annotated

import typer

from symbreak_cli.cli._output import console, guard, write_stdout
from symbreak_cli.cli.options import DebugOpt, ForceOpt, ReportFormatOpt, ReportOutOpt

SourceArg = Annotated[str, typer.Argument(
    help="A JSON report written by any symbreak command, or '-' for stdin.", show_default=False)]


def report(
    source: SourceArg,
    fmt: ReportFormatOpt = "table",
    out: ReportOutOpt = None,
    force: ForceOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Render a JSON report as tables, Markdown or a self-contained HTML page.

    Examples:
      symbreak detect x.cif --json | symbreak report - --format markdown
      symbreak report run/report.json --format html --out run.html
    """  # noqa: D406, D407  (click help: "Examples:" is no numpy section)
    with guard(debug):
        from symbreak_cli.render.terminal import load_report, render_rich, render_to_string, write_rendered

        kind, model = load_report(source)
        if fmt == "table" and out is None:  # straight to the terminal, in colour and at its width
            render_rich(kind, model, console(stderr=False))
            return
        text = render_to_string(kind, model, fmt)
        if out is None:
            write_stdout(text)
        else:
            write_rendered(out, text, force=force)
            typer.echo(f"wrote {out}", err=True)
