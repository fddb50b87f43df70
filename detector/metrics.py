"""Extraction metrics of the field, reproduced exactly (see ../shared/data/README.md).

1. AEB style (Article Extraction Benchmark, Zyte/scrapinghub ``evaluate.py``): tokens are
   ``\\w+`` matches with case kept; each text becomes the multiset of its word 4-gram shingles
   (a text of fewer than 4 tokens is one shorter shingle); per page, true positives are the
   shared shingles counted with multiplicity. Per-page precision and recall are averaged over
   pages (macro) and F1 is the harmonic mean of the two averages. A page where nothing was
   extracted and nothing was expected counts precision 1 and recall 1, as in AEB.
2. Snippet style (trafilatura's evaluation, wcxb's ``with``/``without``): whitespace-normalised
   substring test on the extracted text; a ``with`` snippet found is a true positive, one missing
   a false negative, a ``without`` snippet found a false positive. Counts are summed over pages
   (micro, as trafilatura's comparison script does) before precision, recall and F1.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE_N = 4  # AEB's shingle length
_TOKEN = re.compile(r"\w+")
_WS = re.compile(r"\s+")


def shingles(text: str | None, n: int = SHINGLE_N) -> Counter:
    """Multiset of word n-gram shingles of ``text`` (AEB ``_all_shingles``)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i:i + n])


def shingle_counts(extracted: str | None, gold: str | None) -> tuple[int, int, int]:
    """(tp, fp, fn) shingle counts of one page."""
    pred, true = shingles(extracted), shingles(gold)
    tp = sum((pred & true).values())
    return tp, sum(pred.values()) - tp, sum(true.values()) - tp


def shingle_pr(extracted: str | None, gold: str | None) -> tuple[float, float]:
    """Per-page AEB precision and recall."""
    tp, fp, fn = shingle_counts(extracted, gold)
    precision = 1.0 if tp == fp == 0 else tp / (tp + fp)
    recall = 1.0 if tp == fn == 0 else tp / (tp + fn)
    return precision, recall


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float
    pages: int

    def to_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "pages": self.pages}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def aeb_score(pairs: Iterable[tuple[str | None, str | None]]) -> Score:
    """Macro AEB score over ``(extracted, gold)`` pairs."""
    ps, rs = [], []
    for extracted, gold in pairs:
        p, r = shingle_pr(extracted, gold)
        ps.append(p)
        rs.append(r)
    if not ps:
        return Score(0.0, 0.0, 0.0, 0)
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return Score(p, r, _f1(p, r), len(ps))


def normalize_ws(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def snippet_counts(extracted: str | None, with_: Iterable[str],
                   without: Iterable[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) of one page: ``with`` found, ``without`` found, ``with`` missing."""
    text = normalize_ws(extracted)
    tp = fn = fp = 0
    for s in with_:
        if normalize_ws(s) in text:
            tp += 1
        else:
            fn += 1
    for s in without:
        if normalize_ws(s) in text:
            fp += 1
    return tp, fp, fn


def snippet_score(items: Iterable[tuple[str | None, Iterable[str], Iterable[str]]]) -> Score:
    """Micro snippet score over ``(extracted, with, without)`` triples."""
    tp = fp = fn = pages = 0
    for extracted, with_, without in items:
        a, b, c = snippet_counts(extracted, with_, without)
        tp, fp, fn, pages = tp + a, fp + b, fn + c, pages + 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Score(p, r, _f1(p, r), pages)
