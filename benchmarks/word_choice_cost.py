"""Milliseconds a page of the word-choice scoring: the rule's own bounds before recall3
(first 6 prose blocks of >= 25 content words, suspects only for blocks scoring >= 4) vs the
shared scoring that `spun_word_choice` and the page-level features read since (first 6 prose
blocks of >= 10 content words, every score), and wider page-level variants measured held out.

    DETECTOR_DATA=/work/shared/data DETECTOR_CACHE=/work/cache OMP_NUM_THREADS=1 PYTHONPATH=$PWD \\
        python benchmarks/word_choice_cost.py [--limit 40] [--repeat 3]

Pages: the corpus of `detector.corpus.build` with ``--limit`` pages a data set (real pages,
copies, hard negatives), prepared once, untimed; the fastest of ``--repeat`` runs is kept.
"""

from __future__ import annotations

import argparse
import math
import time

from detector.corpus import build
from detector.pipeline import prepare
from detector.readers import ReadError, page_from_bytes, page_from_text
from detector.rules import _wordchoice
from detector.rules._util import prose_blocks

# (name, prose blocks scored, minimum content words, minimum score for locating suspects)
VARIANTS = (("rule alone (before)", 6, 25, 4.0), ("shared: rule + features (now)", 6, 10, -math.inf),
            ("first 12 blocks, >= 10 words", 12, 10, -math.inf),
            ("first 20 blocks, any length", 20, 1, -math.inf))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    m = _wordchoice.model()
    pages = []
    for ex in build(0, limit=args.limit):
        p = (page_from_bytes(ex.content, source=ex.id, url=ex.url) if isinstance(ex.content, bytes)
             else page_from_text(ex.content, source=ex.id, url=ex.url))
        if not isinstance(p, ReadError):
            pages.append([b.text for b in prose_blocks(prepare(p))])
    print(f"{len(pages)} pages")
    for name, k, min_words, min_score in VARIANTS:
        best = math.inf
        for _ in range(args.repeat):
            t = time.perf_counter()
            for texts in pages:
                m.score_texts(texts[:k], min_words, min_score)
            best = min(best, time.perf_counter() - t)
        print(f"{name:<32} {best / len(pages) * 1000:.2f} ms/page")


if __name__ == "__main__":
    main()
