"""The spun-text signal on held-out real article text, spun with detector.spin.Spinner.

Blocks of SENTENCES_PER_BLOCK (>= 3) consecutive sentences from the gold article text of the
held-out sets (never seen by tools/build_wordchoice.py; pages whose host also occurs in the
training sets are dropped too), each scored unspun and spun at 10%, 20%, 30% and a random rate
in [10%, 30%] of content words. Prints ROC AUC per rate (target >= 0.95) and, at the rule's
thresholds, the false-positive rate on unspun blocks and the detection rate on spun ones.

    DETECTOR_DATA=../shared/data PYTHONPATH=. python benchmarks/spun_text.py
    ... --split dev   # the training sets' dev pages (what the thresholds were tuned on)
    ... --paragraphs  # the articles' own paragraphs of 3+ sentences, as pages have them
    ... --by-set      # also the AUC per dataset and on the blocks that are English prose
    ... --draws 8     # also the random 10-30% AUC over 8 spins of the same blocks (spin seeds
                      # SEED, SEED + 1, ...): how much of a figure is the one spin's luck
    ... --pin         # rewrite spun_pins.json, the figures tests/test_spun_gate.py holds
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from detector.datasets import data_dir, load
from detector.rules._wordchoice import model
from detector.rules.spun import WORD_CHOICE_MIN_SCORE
from detector.spin import Spinner
from detector.urls import host_of
from tools.build_wordchoice import DEV_EVERY, HELD_OUT_SETS, TRAIN_SETS

SENTENCES_PER_BLOCK = 3  # --sentences changes it
MIN_SENTENCES = 3
# Sentences shorter than this many words (headings, datelines) are skipped.
MIN_SENTENCE_WORDS = 6
_SENT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)]))\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
RATES = (0.1, 0.2, 0.3)
# The regression gate's figures (tests/test_spun_gate.py), written by --pin.
PINS_FILE = Path(__file__).resolve().with_name("spun_pins.json")
SEED = 20240


def blocks_of(article: str, size: int = SENTENCES_PER_BLOCK) -> list[str]:
    """Consecutive sentences of an article, ``size`` at a time (a shorter tail is dropped)."""
    sents = [s.strip() for p in article.split("\n") for s in _SENT.split(p)
             if len(s.split()) >= MIN_SENTENCE_WORDS]
    return [" ".join(sents[i:i + size]) for i in range(0, len(sents) - size + 1, size)]


def paragraphs_of(article: str, size: int = MIN_SENTENCES) -> list[str]:
    """The article's own paragraphs (its lines) that hold at least ``size`` sentences of
    `MIN_SENTENCE_WORDS` words or more: blocks as a page has them, 3 to 10+ sentences."""
    out = []
    for p in article.split("\n"):
        p = p.strip()
        if sum(len(s.split()) >= MIN_SENTENCE_WORDS for s in _SENT.split(p)) >= size:
            out.append(p)
    return out


def held_out_blocks(split: str, limit: int | None, size: int = SENTENCES_PER_BLOCK,
                    paragraphs: bool = False, with_sets: bool = False):
    """The benchmark's blocks, in its shuffled order; with ``with_sets`` also the dataset of
    each, as ``(blocks, sets)`` (the same order: a shuffle's permutation depends only on the
    seed and the length)."""
    train_hosts = set()
    if split == "test":
        for ds in TRAIN_SETS:
            train_hosts.update(host_of(gp.url) for gp in load(ds) if gp.url)
        train_hosts.discard("")
    blocks: list[str] = []
    sets = HELD_OUT_SETS if split == "test" else TRAIN_SETS
    for ds in sets:
        for n, gp in enumerate(load(ds)):
            if split == "dev" and n % DEV_EVERY:
                continue
            if not gp.article or (gp.url and host_of(gp.url) in train_hosts):
                continue
            blocks.extend((ds, b) for b in (paragraphs_of(gp.article, size) if paragraphs
                                            else blocks_of(gp.article, size)))
    rng = random.Random(SEED)
    rng.shuffle(blocks)
    blocks = blocks[:limit] if limit else blocks
    texts = [b for _, b in blocks]
    return (texts, [ds for ds, _ in blocks]) if with_sets else texts


# The most common English function words: a block is "English prose" for the --by-set breakdown
# when at least ENGLISH_MIN_SHARE of its words are among them. English news prose has 35-50%;
# the held-out blocks under 0.2 are other languages (the readability set's French, Spanish,
# Czech and German articles), lorem ipsum, log tables and reference lists, which an English
# thesaurus spinner does not spin into anything a reader would call spun English.
ENGLISH_FUNCTION_WORDS = frozenset("""the of and to a in is that for it was on with as he be at by
this had not are but from or have an they which you were her his she their we there been has
when who will would more no if out so said what up its about than into them can only other new
some could time these two may then do first any my now such like our over man me even most made
after also did many before must through back years where much your way well down should because
each just those people how too little state good very make world still own see men work long get
here between both life being under never day same another know while last might us great old
year off come since against go came right used take three""".split())
ENGLISH_MIN_SHARE = 0.2
_WORD = re.compile(r"[a-z]+")


def is_english_prose(text: str) -> bool:
    words = _WORD.findall(text.lower())
    return bool(words) and (sum(w in ENGLISH_FUNCTION_WORDS for w in words) / len(words)
                            >= ENGLISH_MIN_SHARE)


def fires(bs) -> bool:
    return bs.score >= WORD_CHOICE_MIN_SCORE


@dataclass
class Figures:
    """What one run measures: blocks, false-positive rate on unspun blocks, and per spin rate
    (0.1, 0.2, 0.3, "mixed" = random 10-30%) the ROC AUC and the share detected."""

    blocks: int
    fpr: float
    unspun_quantiles: list[float]
    auc: dict = field(default_factory=dict)
    detected: dict = field(default_factory=dict)
    # ROC AUC at the random 10-30% rate per dataset and on the English-prose blocks
    # (`is_english_prose`): (blocks, AUC).
    by_set: dict = field(default_factory=dict)


def measure(split: str = "test", limit: int | None = 2000, size: int = SENTENCES_PER_BLOCK,
            show: int = 0, paragraphs: bool = False) -> Figures:
    m = model()
    spinner = Spinner.load()
    blocks, sets = held_out_blocks(split, limit, max(size, MIN_SENTENCES), paragraphs,
                                   with_sets=True)
    clean = [m.score_text(b) for b in blocks]
    y0 = [bs.score for bs in clean]
    out = Figures(len(blocks), sum(fires(bs) for bs in clean) / len(clean),
                  np.round(np.quantile(y0, [0.5, 0.9, 0.99, 0.999]), 2).tolist())
    for rate in (*RATES, "mixed"):
        rng = random.Random(SEED)
        spun_scores = []
        hits = 0
        for i, b in enumerate(blocks):
            r = rng.uniform(0.1, 0.3) if rate == "mixed" else rate
            s = spinner.spin(b, r, rng)
            bs = m.score_text(s)
            spun_scores.append(bs.score)
            hits += fires(bs)
            if show and i < show and rate == "mixed":
                print("  SPUN:", s[:300])
                print("  suspects:", [(x.word, x.original, round(x.p, 2)) for x in bs.suspects])
        out.auc[rate] = _auc(y0, spun_scores)
        out.detected[rate] = hits / len(blocks)
        if rate == "mixed":
            groups = {ds: [i for i, d in enumerate(sets) if d == ds] for ds in dict.fromkeys(sets)}
            groups["English prose"] = [i for i, b in enumerate(blocks) if is_english_prose(b)]
            unspun, spun = np.asarray(y0), np.asarray(spun_scores)
            for name, idx in groups.items():
                out.by_set[name] = (len(idx), _auc(unspun[idx], spun[idx]) if idx else None)
    return out


def draws_auc(n: int, split: str = "test", limit: int | None = 2000,
              size: int = SENTENCES_PER_BLOCK, paragraphs: bool = False) -> list[float]:
    """The random 10-30% ROC AUC of the same blocks spun with n spin seeds (SEED + k); the
    first is `measure`'s "mixed" figure."""
    m = model()
    spinner = Spinner.load()
    blocks = held_out_blocks(split, limit, max(size, MIN_SENTENCES), paragraphs)
    y0 = [m.score_text(b).score for b in blocks]
    out = []
    for k in range(n):
        rng = random.Random(SEED + k)
        out.append(_auc(y0, [m.score_text(spinner.spin(b, rng.uniform(0.1, 0.3), rng)).score
                             for b in blocks]))
    return out


def _auc(unspun, spun) -> float:
    """ROC AUC of spun block scores against unspun ones (each block once in each)."""
    y = np.r_[np.zeros(len(unspun)), np.ones(len(spun))]
    return float(roc_auc_score(y, np.r_[unspun, spun]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("test", "dev"), default="test")
    ap.add_argument("--limit", type=int, default=2000, help="blocks (0 = all)")
    ap.add_argument("--show", type=int, default=0, help="print N spun examples with suspects")
    ap.add_argument("--sentences", type=int, default=SENTENCES_PER_BLOCK,
                    help="sentences per block (>= 3)")
    ap.add_argument("--paragraphs", action="store_true",
                    help="the articles' own paragraphs of at least --sentences sentences "
                         "(blocks as pages have them) instead of fixed-size blocks")
    ap.add_argument("--by-set", action="store_true",
                    help="also print the AUC (random 10-30%%) per dataset and on the blocks "
                         "that are English prose (is_english_prose)")
    ap.add_argument("--draws", type=int, default=0,
                    help="also the random 10-30%% AUC over N spins of the same blocks")
    ap.add_argument("--pin", action="store_true",
                    help=f"write this run's figures to {PINS_FILE.name} (the regression gate)")
    args = ap.parse_args(argv)
    if args.pin and ((args.split, args.limit, args.sentences) != ("test", 2000, 3)
                     or args.paragraphs):
        ap.error("--pin needs the default run (--split test --limit 2000 --sentences 3)")
    if data_dir() is None:
        print("../shared/data is absent (set DETECTOR_DATA)", file=sys.stderr)
        return 2
    size = max(args.sentences, MIN_SENTENCES)
    f = measure(args.split, args.limit or None, size, args.show, args.paragraphs)
    shape = f"paragraphs of {size}+ sentences" if args.paragraphs else f"blocks of {size} sentences"
    print(f"{f.blocks} {shape} "
          f"({args.split}: {', '.join(HELD_OUT_SETS if args.split == 'test' else TRAIN_SETS)})")
    print(f"rule threshold: score >= {WORD_CHOICE_MIN_SCORE}; false-positive rate on unspun "
          f"blocks: {100 * f.fpr:.2f}%  (unspun score quantiles 50/90/99/99.9%: "
          f"{f.unspun_quantiles})")
    for rate, auc in f.auc.items():
        label = "10-30% (random)" if rate == "mixed" else f"{int(rate * 100)}%"
        print(f"spun at {label:16} ROC AUC {auc:.4f}   detected at rule threshold "
              f"{100 * f.detected[rate]:.1f}%")
    if args.by_set:
        print("spun at 10-30% (random), ROC AUC by dataset and on the English-prose blocks:")
        for name, (n, auc) in f.by_set.items():
            print(f"  {name:18} {n:5d} blocks  ROC AUC {auc:.4f}" if auc is not None
                  else f"  {name:18} {n:5d} blocks")
    if args.draws:
        aucs = draws_auc(args.draws, args.split, args.limit or None, size, args.paragraphs)
        print(f"spun at 10-30% (random), {args.draws} spins of the same blocks: ROC AUC "
              f"{' '.join(f'{a:.4f}' for a in aucs)}; mean {np.mean(aucs):.4f}, "
              f"sd {np.std(aucs):.4f}, min {min(aucs):.4f}")
    if args.pin:
        PINS_FILE.write_text(json.dumps({"blocks": f.blocks, "sentences": size, "fpr": f.fpr,
                                         "auc": {str(k): v for k, v in f.auc.items()}},
                                        indent=2) + "\n")
        print(f"pinned: {PINS_FILE}", file=sys.stderr)
    return 0 if all(a >= 0.95 for a in f.auc.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
