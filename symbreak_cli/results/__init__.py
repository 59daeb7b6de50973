"""Report models (pydantic): the JSON a command writes, one module per kind.

:mod:`symbreak_cli.results.registry` lists the kinds (the only such list); the envelope
shared by every kind is in :mod:`symbreak_cli.results.base`. Nothing here computes: the
workflows fill these models, render draws them.
"""
