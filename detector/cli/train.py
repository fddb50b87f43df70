"""`detector train [--out PATH]` and `detector evaluate [--model PATH] [DATA]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from detector.cli import app


@app.command()
def train(
    out: Annotated[Path | None, typer.Option(help="Model file to write (default: the shipped "
                                             "detector/data/model.skops).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated corpus.")] = 0,
    limit: Annotated[int | None, typer.Option(help="Pages per dataset (default: all).")] = None,
    kind: Annotated[str, typer.Option(help="gb (gradient boosting) or lr (logistic "
                                      "regression).")] = "gb",
    no_eval: Annotated[bool, typer.Option("--no-eval", help="Skip the held-out evaluation "
                                          "(thresholds fall back to defaults).")] = False,
    report_dir: Annotated[Path | None, typer.Option(help="Also write the held-out report "
                                                    "(text, JSON, PNG plots) here.")] = None,
) -> None:
    """Build the corpus from ../shared/data, evaluate held out, fit and save model + card."""
    from detector.datasets import data_dir
    from detector.train import train_and_save

    if data_dir() is None:
        typer.echo("detector: ../shared/data is absent (set DETECTOR_DATA)", err=True)
        raise typer.Exit(2)
    if kind not in ("gb", "lr"):
        typer.echo(f"detector: unknown --kind {kind!r} (gb or lr)", err=True)
        raise typer.Exit(2)
    path, card = train_and_save(out, seed=seed, limit=limit, kind=kind, evaluate=not no_eval,
                                 report_dir=report_dir)
    typer.echo(f"model {card['version']} written to {path}")
    typer.echo(f"thresholds: {card['thresholds']}")
    m = card.get("metrics_heldout")
    if m:
        typer.echo(f"held-out ROC AUC {m['roc_auc']:.4f}  recall@spam {m['spam']['recall']:.3f}"
                   f"  FPR(real)@spam {m['fpr_real_at_spam']:.4f}  ECE {m['ece']:.4f}")


@app.command()
def evaluate(
    data: Annotated[Path | None, typer.Argument(help="JSONL of labelled pages (url, html or "
                                                "text, label). Default: the held-out protocol "
                                                "on the generated corpus.")] = None,
    model: Annotated[Path | None, typer.Option(help="Model file (default: the shipped one).")] = None,
    out_dir: Annotated[Path, typer.Option(help="Folder for the PNG plots.")] = Path("out/evaluation"),
    seed: Annotated[int | None, typer.Option(help="Corpus seed (default: the model's).")] = None,
    limit: Annotated[int | None, typer.Option(help="Pages per dataset (default: the model's).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")] = None,
    without: Annotated[list[str] | None, typer.Option(help="Ablation: leave out feature columns "
                                                      "starting with this prefix (repeatable).")] = None,
) -> None:
    """ROC AUC, precision/recall at the thresholds, recall at 1% FPR, calibration error,
    per-family results, top features; ROC, calibration and feature-weight plots as PNG."""
    import json

    from detector.datasets import data_dir
    from detector.model import ModelLoadError, load_model
    from detector.train import evaluate_corpus, evaluate_records, format_report, labelled_rows

    try:
        qm = load_model(model)
    except ModelLoadError as exc:
        typer.echo(f"detector: {exc}", err=True)
        raise typer.Exit(2) from exc
    if data is not None:
        if not data.exists():
            typer.echo(f"detector: no such file: {data}", err=True)
            raise typer.Exit(2)
        report = evaluate_records(qm, labelled_rows(data), out_dir)
    else:
        if data_dir() is None:
            typer.echo("detector: ../shared/data is absent (set DETECTOR_DATA)", err=True)
            raise typer.Exit(2)
        card = qm.card
        report = evaluate_corpus(kind=card.get("kind", "gb"),
                                 seed=card.get("seed", 0) if seed is None else seed,
                                 limit=card.get("limit") if limit is None else limit,
                                 model=qm, out_dir=out_dir, drop=tuple(without or ()))
    typer.echo(format_report(report))
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=2, default=str) + "\n")
