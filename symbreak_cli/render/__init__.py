"""Render reports: rich tables, GitHub Markdown and one self-contained HTML page.

Every report kind becomes renderer-neutral sections (:mod:`.sections`); which builder and
which plot function serve which kind is listed once, in :mod:`.registry`. render reads
only :mod:`symbreak_cli.results` (and :mod:`symbreak_cli.io` to write files atomically).

This package module imports nothing, so the CLI can read :data:`REPORT_FORMATS` at
start-up.
"""

#: what ``symbreak report --format`` writes (see :func:`.terminal.render_to_string`)
REPORT_FORMATS = ("table", "markdown", "html", "json")
