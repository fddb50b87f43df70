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
    path, card = train_and_save(out, seed=seed, limit=limit, kind=kind, evaluate=not no_eval)
    typer.echo(f"model {card['version']} written to {path}")
    typer.echo(f"thresholds: {card['thresholds']}")
    m = card.get("metrics_heldout")
    if m:
        typer.echo(f"held-out ROC AUC {m['roc_auc']:.4f}  recall@spam {m['spam']['recall']:.3f}"
                   f"  FPR(real)@spam {m['fpr_real_at_spam']:.4f}  ECE {m['ece']:.4f}")
