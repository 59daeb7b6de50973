"""The Typer app: the root options (--version) and the commands, each from its own module.

Every command parses options, calls one workflow, and renders the result (rich tables,
or one JSON document on stdout with ``--json``). Library errors become a one-line
message on stderr and exit code 1 (``--debug`` shows the traceback); usage errors (an
unknown option, a value outside the choices) exit with 2.

``main`` is the console-script entry (``symbreak``); ``python -m symbreak_cli`` runs it too.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from symbreak_cli import __version__

#: every command: name → (module, function, help panel), in the order ``--help`` lists them.
#: A command's module (and what it imports) is loaded only when that command runs or the
#: root help is shown, so ``symbreak detect`` does not build ``break``'s or ``train-relaxed``'s.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "detect": ("symbreak_cli.cli.detect", "detect", "Analyse"),
    "break": ("symbreak_cli.cli.break_", "break_", "Analyse"),
    "train-relaxed": ("symbreak_cli.cli.train", "train_relaxed", "Learn"),
    "report": ("symbreak_cli.cli.report", "report", "Reports"),
    "schema": ("symbreak_cli.cli.schema", "schema", "Reports"),
    "sample-data": ("symbreak_cli.cli.sample_data", "sample_data", "Data"),
}


def _build_command(name: str) -> typer.core.TyperCommand:
    """The click command of one entry of :data:`COMMANDS`, built as typer builds a group's
    commands (a one-command app gives exactly that command).
    """
    module, attr, panel = COMMANDS[name]
    one = typer.Typer(add_completion=False, rich_markup_mode="rich")
    one.command(name, rich_help_panel=panel)(getattr(importlib.import_module(module), attr))
    return typer.main.get_command(one)


class _LazyCommands(MutableMapping):
    """``TyperGroup.commands`` whose values are built on first access: its keys (the names
    typer lists and suggests from on a typo) are known without importing anything.
    """

    def __init__(self, names: list[str]):
        self._names = list(names)
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str):
        if name not in self._built:
            if name not in self._names:
                raise KeyError(name)
            self._built[name] = _build_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command) -> None:
        if name not in self._names:
            self._names.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class _OneLineUsageErrors(TyperGroup):
    """The root group: a usage error (an unknown option, a value that does not parse) is one
    line on stderr — the command, the problem and where to read more — and exit 2, instead
    of click's usage block; ``symbreak`` alone still prints the help. Its commands are
    :data:`COMMANDS`, each imported when first needed (:class:`_LazyCommands`).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lazy = _LazyCommands(list(COMMANDS))
        for name, command in self.commands.items():
            lazy[name] = command
        self.commands = lazy

    def list_commands(self, ctx) -> list[str]:
        return list(self.commands)

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



def main() -> None:
    """Console-script entry point.

    The command's own process does not scan every installed distribution for pydantic
    plugins (``PYDANTIC_DISABLE_PLUGINS``, pydantic's documented switch, unless the user
    set it): symbreak's report models use none, and the scan grows with the environment.
    """
    import os

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()


if __name__ == "__main__":
    main()
