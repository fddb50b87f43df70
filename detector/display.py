"""How results look to a person (the `text` format) and to programs (json/jsonl)."""

from __future__ import annotations

import json

from detector.page import Result

_LABEL_STYLE = {"ok": "green", "suspect": "yellow", "spam": "bold red", None: "magenta"}


def result_json(result: Result, *, blocks: bool = False, features: bool = False) -> dict:
    return result.to_dict(blocks=blocks, features=features)


def dumps(obj: object, *, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def result_text(result: Result, *, max_evidence: int = 3) -> str:
    """A summary a person can scan: label, score, flags with their evidence, explanation."""
    name = result.id or result.url or result.source
    if result.error:
        return f"{name}\n  ERROR: {result.error}\n"
    lines = [
        f"{name}",
        f"  label: {result.label}   quality: {result.quality:.3f}   page type: "
        f"{result.page_type}   model: {result.model_version}",
    ]
    if result.title:
        lines.append(f"  title: {result.title[:120]}")
    if not result.flags:
        lines.append("  flags: none (a page without a flag is never labelled spam)")
    for flag in result.flags:
        lines.append(f"  [{flag.severity}] {flag.id} ({len(flag.evidence)})")
        for ev in flag.evidence[:max_evidence]:
            where = ev.path or ev.where
            lines.append(f"      {where}: \"{_clip(ev.text)}\"")
            lines.append(f"        why: {ev.why}")
        if len(flag.evidence) > max_evidence:
            lines.append(f"      ... {len(flag.evidence) - max_evidence} more")
    if result.explanation:
        lines.append("  what moved the score (spam log-odds):")
        for feat, val in result.explanation:
            lines.append(f"      {val:+.2f}  {feat}")
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int = 110) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
