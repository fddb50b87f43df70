"""The command line: parses arguments and prints. All work is done by the library.

Each command group lives in its own module and registers on `app` when imported.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="detector",
    help="Tell original journalism from scraped, spun, boilerplate-stuffed copies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """Tell original journalism from scraped, spun, boilerplate-stuffed copies."""


# Command modules register themselves on import.
from detector.cli import extract, scan, score, train  # noqa: E402,F401


def main() -> None:
    app()
