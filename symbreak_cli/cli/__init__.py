"""The ``symbreak`` command line: one module per command, the Typer app in :mod:`.app`.

Commands are thin: parse options (types in :mod:`.options`, defaults read from the
library's options dataclasses), call one workflow, render the result (:mod:`._output`).
Heavy imports live inside the command functions, so ``symbreak --help`` stays fast.
Nothing else in the package imports the CLI.
"""
