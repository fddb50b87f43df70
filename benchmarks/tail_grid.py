"""The grid step 7 of block typing (`detector.boilerplate._trim_tail`) was chosen on.

Every page of the chosen split is segmented and typed once, with step 7 switched off; each
block's kind and confidence after step 6 are kept. Then, for every (TAIL_MAX_WORDS, TAIL_P)
of the grid, the kinds are reset, the real `_trim_tail` runs with those bounds on the article
pages (as `classify_blocks` calls it), and the article text is scored with the extraction
benchmark's own `score_dataset`. Printed: F1 per dataset (and metric) without step 7, then the
change each grid point makes. At the shipped bounds every page's text is the text of
`detector.extract` (checked on the 1,218 training pages of dragnet and readability: none
differ), so that row is what `benchmarks/extraction.py --split SPLIT --extractors detector`
gives, up to the 4-digit rounding of its figures (docs/extract8.md).

    OMP_NUM_THREADS=1 DETECTOR_DATA=../shared/data PYTHONPATH=$PWD \\
        python benchmarks/tail_grid.py [--split train] [--datasets a,b] [--limit N]

Training folds only by default: a setting is chosen there, then run once held out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import read_pages, score_dataset  # noqa: E402

from detector import boilerplate as B  # noqa: E402
from detector.blocks.features import block_words  # noqa: E402
from detector.datasets import DATASETS  # noqa: E402
from detector.page import Page  # noqa: E402
from detector.pipeline import prepare  # noqa: E402
from detector.readers import record_from_text  # noqa: E402

# The grid of docs/extract8.md (words x P(article) bound).
GRID_WORDS = (6, 8, 10, 15, 25)
GRID_P = (0.5, 0.6, 0.65)


def typed_pages(pages) -> list[tuple[Page | None, list[tuple[str, float]], list[int]]]:
    """Each page typed without step 7: (page, [(kind, confidence)] after step 6, the word
    counts `classify_blocks` hands step 7, or None where it does not call it); (None, [], None)
    for a page the reader refuses."""
    real = B._trim_tail
    handed: list = []
    B._trim_tail = lambda blocks, words=None: handed.append(
        [len(block_words(b.text)) for b in blocks] if words is None else list(words))
    out = []
    try:
        for bp in pages:
            rec = record_from_text(bp.html, source=bp.id)
            if not isinstance(rec, Page):
                out.append((None, [], None))
                continue
            handed.clear()
            page = prepare(rec)
            out.append((page, [(b.kind, b.confidence) for b in page.blocks],
                        handed[0] if handed else None))
    finally:
        B._trim_tail = real
    return out


def texts_with(typed, max_words: int | None, p: float | None) -> list[str]:
    """The article texts with step 7 at these bounds (None: without step 7)."""
    saved = B.TAIL_MAX_WORDS, B.TAIL_P
    out = []
    try:
        if max_words is not None:
            B.TAIL_MAX_WORDS, B.TAIL_P = max_words, p
        for page, kinds, words in typed:
            if page is None:
                out.append("")
                continue
            for b, (kind, conf) in zip(page.blocks, kinds):
                b.kind, b.confidence = kind, conf
            if max_words is not None and words is not None:  # where classify_blocks runs it
                B._trim_tail(page.blocks, words)
            out.append(B.extraction_of(page).text)
    finally:
        B.TAIL_MAX_WORDS, B.TAIL_P = saved
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="train", choices=["train", "held-out", "all"])
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--limit", type=int, default=None, help="at most this many pages a dataset")
    args = ap.parse_args(argv)
    data = {}
    for name in args.datasets.split(","):
        pages = read_pages(name, args.limit, args.split)
        if pages:
            data[name] = (pages, typed_pages(pages))
    cols = []
    base = {}
    for name, (pages, typed) in data.items():
        for metric, s in score_dataset(pages, texts_with(typed, None, None)).items():
            cols.append((name, metric))
            base[name, metric] = s.f1
    print(f"{args.split} split, F1 without step 7: "
          + ", ".join(f"{n} ({m}) {base[n, m]:.4f}" for n, m in cols))
    print("| words | P under | " + " | ".join(f"{n} ({m})" for n, m in cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    for w in GRID_WORDS:
        for p in GRID_P:
            f1 = {}
            for name, (pages, typed) in data.items():
                for metric, s in score_dataset(pages, texts_with(typed, w, p)).items():
                    f1[name, metric] = s.f1
            shipped = " (shipped)" if (w, p) == (B.TAIL_MAX_WORDS, B.TAIL_P) else ""
            print(f"| {w}{shipped} | {p} | "
                  + " | ".join(f"{f1[c] - base[c]:+.4f}" for c in cols) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
