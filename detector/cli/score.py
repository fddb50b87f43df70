"""`detector score PATH...`"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from detector.cli import app


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


@app.command()
def score(
    paths: Annotated[list[str], typer.Argument(help="HTML, text or JSONL files, folders, or - for stdin.")],
    url: Annotated[str | None, typer.Option(help="URL the page was served from (single pages).")] = None,
    format: Annotated[Format | None, typer.Option("--format", "-f", help="text (default on a terminal), json or jsonl (default otherwise).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show which features moved each score.")] = False,
    blocks: Annotated[bool, typer.Option("--blocks", help="Include typed blocks in json/jsonl output.")] = False,
    model: Annotated[str | None, typer.Option(help="A model file instead of the shipped one.")] = None,
) -> None:
    """Score pages: quality in [0, 1], label, and every flag with its evidence.

    Exit 0 when every page was scored, 1 when some could not be, 2 on usage errors.
    """
    from detector.display import dumps, result_json, result_text
    from detector.model import ModelLoadError, load_model
    from detector.pipeline import analyze
    from detector.readers import iter_records

    try:
        qm = load_model(model)
    except ModelLoadError as exc:
        typer.echo(f"detector: {exc}", err=True)
        raise typer.Exit(2) from exc
    fmt = format or (Format.text if sys.stdout.isatty() else Format.jsonl)
    results = (analyze(rec, model=qm, explain=explain) for rec in iter_records(paths, url=url))
    failed = 0
    collected = []
    for res in results:
        failed += res.error is not None
        if fmt is Format.text:
            typer.echo(result_text(res))
        elif fmt is Format.jsonl:
            typer.echo(dumps(result_json(res, blocks=blocks)))
        else:
            collected.append(result_json(res, blocks=blocks))
    if fmt is Format.json:
        typer.echo(dumps(collected[0] if len(collected) == 1 else collected, indent=2))
    raise typer.Exit(1 if failed else 0)
