"""The Typer app: the root options (--version) and the commands, each from its own module.

Every command parses options, calls one workflow, and renders the result (rich tables,
or one JSON document on stdout with ``--json``). Library errors become a one-line
message on stderr and exit code 1 (``--debug`` shows the traceback); usage errors (an
unknown option, a value outside the choices) exit with 2.

``main`` is the console-script entry (``symbreak``); ``python -m symbreak_cli`` runs it too.
"""

from __future__ import annotations

from typing import Annotated

import sys

import typer
from typer.core import TyperGroup

from symbreak_cli import __version__
from symbreak_cli.cli.break_ import break_
from symbreak_cli.cli.detect import detect
from symbreak_cli.cli.report import report
from symbreak_cli.cli.sample_data import sample_data
from symbreak_cli.cli.schema import schema
from symbreak_cli.cli.train import train_relaxed

class _OneLineUsageErrors(TyperGroup):
    """The root group: a usage error (an unknown option, a value that does not parse) is one
    line on stderr — the command, the problem and where to read more — and exit 2, instead
    of click's usage block; ``symbreak`` alone still prints the help.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                                **extra)
        from typer._click import exceptions as ce

        try:
            rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                              **extra)
        except ce.NoArgsIsHelpError as err:
            err.show()
            sys.exit(err.exit_code)
        except ce.UsageError as err:
            where = err.ctx.command_path if err.ctx is not None else "symbreak"
            message = " ".join(err.format_message().split())
            print(f"{where}: {message} (see {where} --help)", file=sys.stderr)
            sys.exit(err.exit_code)
        except ce.ClickException as err:
            err.show()
            sys.exit(err.exit_code)
        except typer.Abort:
            print("Aborted.", file=sys.stderr)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    name="symbreak",
    cls=_OneLineUsageErrors,
    help=(
        "Which symmetry your data has, which symmetry it breaks, and which irreducible "
        "representations carry that breaking: crystals, molecules, and the learned weights "
        "of relaxed-equivariant networks.\n\n"
        "Every command prints tables for a person; --json prints one JSON document on "
        "stdout (logs on stderr) that validates against `symbreak schema KIND`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"symbreak {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """symbreak: symmetry detection and symmetry breaking for crystals, molecules and networks."""


app.command(rich_help_panel="Analyse")(detect)
app.command("break", rich_help_panel="Analyse")(break_)
app.command("train-relaxed", rich_help_panel="Learn")(train_relaxed)
app.command(rich_help_panel="Reports")(report)
app.command(rich_help_panel="Reports")(schema)
app.command("sample-data", rich_help_panel="Data")(sample_data)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
