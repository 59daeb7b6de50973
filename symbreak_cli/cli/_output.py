"""What every command shares on the way out: errors, consoles, reports, progress.

* :func:`guard` turns a library error (:class:`~symbreak_cli.errors.SymbreakError`) into
  one line on stderr and its exit code; ``--debug`` lets the traceback through.
* :func:`emit` prints a report: one JSON document on stdout, or rich tables.
* stdout carries only the answer; progress bars and log lines go to stderr, so
  ``--json`` output can be piped.

rich is imported only inside functions: ``symbreak --help`` does not pay for progress bars.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Callable, Iterator

import typer

from symbreak_cli.errors import SymbreakError

#: exit status of Ctrl-C, as a shell reports a SIGINT
EXIT_INTERRUPTED = 130
#: exit status when the reader of stdout went away (``| head``), as a shell reports a SIGPIPE
EXIT_BROKEN_PIPE = 141


def _stdout_gone() -> typer.Exit:
    """The reader of stdout closed it (``| head``): stop quietly, and let nothing flush into the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout without a file descriptor (a test runner's buffer)
        pass
    return typer.Exit(EXIT_BROKEN_PIPE)


def one_line(message: str) -> str:
    """A message on one line: library text can hold newlines (tracebacks, tables)."""
    return " ".join(part.strip() for part in str(message).splitlines() if part.strip())


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``symbreak: error: <message>`` (one line) on stderr; return the Exit to raise."""
    typer.echo(f"symbreak: error: {one_line(message)}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def guard(debug: bool) -> Iterator[None]:
    """Turn library errors into one stderr line + exit code (traceback with --debug)."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except SymbreakError as err:
        if debug:
            raise
        raise fail(str(err), err.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("symbreak: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        raise _stdout_gone() from None
    except Exception as err:  # an unexpected failure: still no traceback unless asked
        if debug:
            raise
        raise fail(f"unexpected {type(err).__name__}: {err} (rerun with --debug for the traceback)") from None


def console(stderr: bool):
    """A rich Console on stdout or stderr (no syntax highlighting, terminal width)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=None)


def log_console(quiet: bool):
    """Where progress and log lines go: stderr always (so stdout stays clean for --json)."""
    c = console(stderr=True)
    if quiet:
        c.quiet = True
    return c


def emit(kind: str, report: Any, as_json: bool) -> None:
    """Print a report: one JSON document on stdout, or rich tables on stdout."""
    if as_json:
        write_stdout(report.to_json())
        return
    from symbreak_cli.render.terminal import render_rich

    render_rich(kind, report, console(stderr=False))


def write_stdout(text: str) -> None:
    """``text`` on stdout, ending in exactly one newline.

    A closed pipe (``| head``) ends the command quietly; a full disk or another write
    failure (``> /dev/full``) is one error line.
    """
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise _stdout_gone() from None
    except OSError as err:
        from symbreak_cli.errors import OutputError

        raise OutputError(f"cannot write to standard output ({err.strerror or err})") from None


@contextlib.contextmanager
def file_progress(quiet: bool, label: str = "structures", min_files: int = 20) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr for batches of more than ``min_files`` files.

    Yields a ``callback(done, total)``; the bar appears on the first call with a big
    enough total, so single-file runs print nothing extra.
    """
    if quiet:
        yield None
        return
    bar = task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if total <= min_files:
            return
        if bar is None:  # rich.progress costs ~30 ms to import: only for real batches
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                           console=console(stderr=True), transient=True)
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


#: batches with more files than this get a failures summary table on stderr
SUMMARY_MIN_FILES = 20


def failures_summary(errors: list[str], total: int, quiet: bool = False) -> None:
    """For a big batch, a table on stderr of how many files failed for each kind of problem
    (messages with their file names and numbers taken out), with one example file each.
    """
    import re

    if quiet or total <= SUMMARY_MIN_FILES or not errors:
        return
    groups: dict[str, list[str]] = {}
    for message in errors:
        path, sep, problem = one_line(message).partition(": ")
        key = re.sub(r"\d+(\.\d+)?(e[-+]?\d+)?", "N", problem if sep else path)
        groups.setdefault(key, []).append(path if sep else "")
    from rich.table import Table

    table = Table(title=f"{len(errors)} of {total} files failed", title_justify="left")
    table.add_column("files", justify="right")
    table.add_column("problem", overflow="fold")
    table.add_column("for example", overflow="fold")
    for key, paths in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        table.add_row(str(len(paths)), key, paths[0].rsplit("/", 1)[-1])
    console(stderr=True).print(table)


def training_progress(quiet: bool):
    """The rich Progress the training loop drives (one task per model), or None when quiet."""
    if quiet:
        return None
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description:<11}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), TextColumn("{task.fields[info]}"), console=log_console(quiet))


def command_line() -> str:
    """The command as typed, for a report's provenance (``symbreak`` + the arguments)."""
    return " ".join(["symbreak", *sys.argv[1:]])
