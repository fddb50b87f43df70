"""`detector extract PATH... [--format text|jsonl] [--blocks]`"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from detector.cli import app


class ExtractFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="HTML, text or JSONL files, folders, or - for stdin.")],
    url: Annotated[str | None, typer.Option(help="URL the page was served from (single pages).")] = None,
    format: Annotated[ExtractFormat, typer.Option("--format", "-f", help="text or jsonl.")] = ExtractFormat.text,
    blocks: Annotated[bool, typer.Option("--blocks", help="Also show every typed block.")] = False,
) -> None:
    """Article text (and typed blocks) of pages, without scoring.

    Exit 0 when every page was read, 1 when some could not be, 2 on usage errors.
    """
    from detector.display import dumps
    from detector.pipeline import extract_record
    from detector.readers import iter_records

    failed = 0
    many = len(paths) > 1
    for rec in iter_records(paths, url=url):
        out = extract_record(rec)
        failed += out["error"] is not None
        if format is ExtractFormat.jsonl:
            if not blocks:
                out.pop("blocks")
            typer.echo(dumps(out))
            continue
        name = out["id"] or out["source"]
        if out["error"]:
            typer.echo(f"{name}: ERROR: {out['error']}", err=True)
            continue
        if many or blocks:
            typer.echo(f"==> {name} ({out['page_type']}) <==")
        if blocks:
            for b in out["blocks"]:
                typer.echo(f"[{b['kind']} {b['confidence']:.2f}] {b['text']}")
        else:
            typer.echo(out["text"])
    raise typer.Exit(1 if failed else 0)
