"""`detector scan INPUT... --out DIR` and `detector report DIR`."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from detector.cli import app
from detector.readers import MAX_PAGE_BYTES
from detector.scan.task import TIME_LIMIT


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command("scan")
def scan_command(
    inputs: Annotated[list[str], typer.Argument(help="WARC(.gz), JSONL(.gz), HTML/text files or folders.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder: Parquet parts, _manifest.json, _summary.json.")],
    force: Annotated[bool, typer.Option("--force", help="Redo inputs the manifest says are finished.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Local worker processes (default: the cores).")] = None,
    engine: Annotated[Engine, typer.Option(help="local processes or a dask cluster.")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (tcp://host:8786); default: a local cluster.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but failures.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="One line per input on stderr.")] = False,
    time_limit: Annotated[float, typer.Option(help="Seconds a page may take; 0 = no limit.")] = TIME_LIMIT,
    max_bytes: Annotated[int, typer.Option(help="Largest page in bytes; larger ones are error rows.")] = MAX_PAGE_BYTES,
    model: Annotated[str | None, typer.Option(help="A model file instead of the shipped one.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print _summary.json on stdout.")] = False,
) -> None:
    """Score every record of a crawl dump into Parquet under DIR, incrementally.

    Exit 0: all good. 1: some inputs or records of this run failed (see DIR/_summary.json).
    2: usage error or unloadable model. 75: another scan holds DIR (try again later).
    """
    from detector.model import ModelLoadError
    from detector.scan import EXIT_LOCKED, Limits, Locked, scan

    progress = _Progress(enabled=sys.stderr.isatty() and not quiet, verbose=verbose and not quiet)
    try:
        with progress:
            outcome = scan(inputs, out, force=force, jobs=jobs, engine=engine.value,
                           scheduler=scheduler, model=model,
                           limits=Limits(time_limit=time_limit or None, max_bytes=max_bytes),
                           on_event=progress.event)
    except Locked as exc:
        typer.echo(f"detector scan: {exc}; exiting {EXIT_LOCKED}", err=True)
        raise typer.Exit(EXIT_LOCKED) from None
    except ModelLoadError as exc:
        typer.echo(f"detector scan: {exc}", err=True)
        raise typer.Exit(2) from None
    s = outcome.summary
    for path, reason in s["run"]["inputs_failed"].items():
        typer.echo(f"detector scan: FAILED {path}: {reason}", err=True)
    for path in s["run"]["inputs_missing"]:
        typer.echo(f"detector scan: not found: {path}", err=True)
    if not quiet:
        typer.echo(summary_line(s, out), err=True)
    if json_out:
        typer.echo(json.dumps(s, indent=1, ensure_ascii=False))
    raise typer.Exit(outcome.exit_code)


def summary_line(s: dict, out: Path) -> str:
    r, t = s["run"], s["totals"]
    reasons = ", ".join(f"{k} {v}" for k, v in r["error_reasons"].items())
    return (f"detector scan: {r['inputs_given']} inputs ({r['inputs_scanned']} scanned, "
            f"{r['inputs_skipped']} skipped, {len(r['inputs_failed'])} failed, "
            f"{len(r['inputs_missing'])} missing), {r['records']} records, {r['errors']} errors"
            f"{f' ({reasons})' if reasons else ''}, {t['copies']} copies in the folder, "
            f"{r['seconds']:.1f} s -> {out}")


class _Progress:
    """A rich progress bar on stderr (terminals only) and ``--verbose`` lines per input."""

    def __init__(self, *, enabled: bool, verbose: bool) -> None:
        self.enabled, self.verbose = enabled, verbose
        self._bar = self._task = None

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self._bar = Progress("[progress.description]{task.description}", BarColumn(),
                                 MofNCompleteColumn(), TimeRemainingColumn(),
                                 console=Console(stderr=True), transient=True)
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def event(self, kind: str, data: dict) -> None:
        if kind == "start" and self._bar is not None:
            self._task = self._bar.add_task("scanning inputs", total=data["todo"])
        elif kind == "input":
            if self._bar is not None and self._task is not None:
                self._bar.advance(self._task)
            if self.verbose:
                line = (f"  failed {data['input']}: {data['failed']}" if "failed" in data else
                        f"  {data['input']}: {data['records']} records, {data['errors']} errors,"
                        f" {data['seconds']:.2f} s")
                self._print(line)
        elif kind == "copies" and self.verbose:
            self._print(f"  copy pass: {data['clusters']} clusters, {data['copies']} copies")

    def _print(self, line: str) -> None:
        if self._bar is not None:  # above the bar; paths are not rich markup
            self._bar.console.print(line, markup=False, highlight=False)
        else:
            _err(line)


def _err(line: str) -> None:
    print(line, file=sys.stderr)


@app.command("report")
def report_command(
    directory: Annotated[Path, typer.Argument(help="A folder written by `detector scan`.")],
    out: Annotated[Path | None, typer.Option(help="Report folder (default: DIR/_report).")] = None,
) -> None:
    """Write a self-contained HTML report and CSV per host for a scan folder."""
    from detector.report import ReportError, write_report

    try:
        path = write_report(directory, out)
    except ReportError as exc:
        typer.echo(f"detector report: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(str(path))
