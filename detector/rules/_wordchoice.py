"""Unusual word choice: a per-block statistical signal of spun text.

A spinner swaps a word for a thesaurus synonym without looking at the context, so the swapped
word fits its neighbours worse than the word it replaced: "the two international locations'
financial ties" where news text says "the two countries' economic ties".

1. Substitutes table (compiled from Open English WordNet): surface form of a synonym -> the
   common news words it can stand for, with its rank as a spinner's pick (first-listed = 0).
2. Word-bigram counts of real article text (../shared/data training sets).
3. Per content word, TOKEN_FEATURES: how well the word and its possible originals fit between
   their neighbours (bigram counts), how common each is, whether it is a spinner's pick.
4. A small gradient-boosted tree model turns those into P(word was swapped); trained on the
   training sets' dev pages spun by detector.spin (never on the held-out sets).
5. Block score: the log-likelihood ratio "spun at SPIN_RATE" vs "original",
   sum over words of log(r * LR_i + 1 - r), LR_i = P(swapped)/P(original) over the prior.

Everything ships in detector/data/wordchoice.npz (built by tools/build_wordchoice.py; see
docs/rules.md for sources, licences and figures). Loading never unpickles.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "wordchoice.npz"
# Share of words a spinner swaps under the block score's alternative hypothesis (the middle
# of the 10-30% range spinners are run at).
SPIN_RATE = 0.2
# Word probabilities are clipped to this (and 1 - it) so one word cannot decide a block.
P_CLIP = 1e-3
# A word with P(swapped) at least this is quoted as evidence.
SUSPECT_P = 0.5
# Rank recorded for a synonym that is not among a spinner's first picks (tools/build_wordchoice).
NOT_A_PICK = 9
TOKEN_FEATURES = (
    "log_c_prev_w", "log_c_w_next", "log_c_w", "is_substitute", "best_orig_context",
    "best_orig_left", "best_orig_right", "log_c_best_orig", "orig_minus_w_context",
    "log_c_prev", "log_c_next", "w_unknown", "pick_rank0", "pick_rank1", "any_pick",
    "best_pick_context", "pick_minus_w_context", "log_c_prev2_w", "log_c_w_next2",
    "best_orig_skip_context", "orig_minus_w_skip_context",
)
_TOKEN = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*|\d+(?:[.,]\d+)*")
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing down during each either else even
ever every few for from further had has have having he her here hers herself him himself his how
i if in into is it its itself just least less many may me might more most much must my myself
neither no nor not now of off on once one only or other others our ours ourselves out over own
same shall she should since so some such than that the their theirs them themselves then there
these they this those though through to too two under until up upon us very via was we were what
when where whether which while who whom whose why will with within without would yet you your
yours yourself yourselves said says say told mr mrs ms dr
""".split())


def tokens(text: str) -> list[tuple[str, int, int, bool]]:
    """(lower-case token, start, end, is_name) of a text; numbers become "<num>". A name is a
    capitalised word that does not open a sentence, or an all-caps word."""
    out = []
    for m in _TOKEN.finditer(text):
        w = m.group()
        if w[0].isdigit():
            out.append(("<num>", m.start(), m.end(), False))
            continue
        before = text[max(0, m.start() - 4):m.start()].rstrip(" \t\"'\u201c\u2018(")
        initial = not before or before[-1] in ".!?:\n\u2014"
        is_name = (w[0].isupper() and not initial) or (w.isupper() and len(w) > 1)
        out.append((w.lower().replace("\u2019", "'"), m.start(), m.end(), is_name))
    return out


@dataclass(frozen=True, slots=True)
class Suspect:
    start: int
    end: int
    word: str
    original: str
    p: float


@dataclass(frozen=True, slots=True)
class BlockScore:
    score: float  # log-likelihood ratio spun vs original (> 0: more likely spun)
    content_words: int
    suspects: tuple[Suspect, ...]


def _l(x: float) -> float:
    return math.log1p(x)


class WordChoiceModel:
    """Bigram counts + substitutes table + token trees; `score_text` scores one block."""

    def __init__(self, z):
        self._tables = z
        self.vocab = str(z["vocab"]).split("\n")
        self.ids = {w: i for i, w in enumerate(self.vocab)}
        self.unigram = z["unigram"].astype(np.float64)
        self.v = len(self.vocab)
        self.keys = z["bigram_keys"]
        self.counts = z["bigram_counts"]
        self.skip_keys = z["skip_keys"]
        self.skip_counts = z["skip_counts"]
        self.subs: dict[str, tuple[str, ...]] = {}
        self.ranks: dict[str, tuple[int, ...]] = {}
        for line in str(z["subs"]).split("\n"):
            if line:
                k, _, v = line.partition("\t")
                items = [x.rpartition(":") for x in v.split("|")]
                self.subs[k] = tuple(o for o, _, _ in items)
                self.ranks[k] = tuple(int(r) for _, _, r in items)
        self.trees = None
        if "tree_feature" in z:
            self.trees = (z["tree_feature"], z["tree_threshold"], z["tree_left"],
                          z["tree_right"], z["tree_leaf"], z["tree_value"], z["tree_root"],
                          float(z["tree_baseline"]), float(z["token_prior"]))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> WordChoiceModel:
        with np.load(path, allow_pickle=False) as z:
            return cls({k: z[k] for k in z.files})

    def _id(self, w: str) -> int:
        return self.ids.get(w, -1)

    def _bigram_counts(self, pairs: list[tuple[int, int]], skip: bool = False) -> np.ndarray:
        """Counts of word-id pairs: adjacent (bigrams) or one word apart (``skip``)."""
        if not pairs:
            return np.zeros(0)
        table, counts = (self.skip_keys, self.skip_counts) if skip else (self.keys, self.counts)
        arr = np.array(pairs, dtype=np.int64)
        ok = (arr[:, 0] >= 0) & (arr[:, 1] >= 0)
        keys = arr[:, 0] * self.v + arr[:, 1]
        pos = np.minimum(np.searchsorted(table, keys), len(table) - 1)
        found = ok & (table[pos] == keys)
        return np.where(found, counts[pos], 0).astype(np.float64)

    def token_features(self, text: str) -> tuple[np.ndarray, list[tuple[int, int, str, str]]]:
        """One row of TOKEN_FEATURES per content word, and (start, end, word, best original)."""
        toks = tokens(text)
        ids = [self._id(t[0]) for t in toks]
        prevs = [self._id("<s>")] + ids[:-1]
        nexts = ids[1:] + [-1]
        prevs2 = [-1, self._id("<s>")] + ids[:-2]
        nexts2 = ids[2:] + [-1, -1]
        rows_idx = [i for i, (w, _, _, name) in enumerate(toks)
                    if not (name or w == "<num>" or w in STOPWORDS or len(w) < 3)]
        # All bigram counts needed, in one lookup: (prev, w), (w, next), (prev, o), (o, next).
        pairs: list[tuple[int, int]] = []
        skips: list[tuple[int, int]] = []
        origs_of: list[list[tuple[int, str, int]]] = []
        for i in rows_idx:
            pairs += [(prevs[i], ids[i]), (ids[i], nexts[i])]
            skips += [(prevs2[i], ids[i]), (ids[i], nexts2[i])]
            w = toks[i][0]
            lst = [(self._id(o), o, r) for o, r in zip(self.subs.get(w, ()), self.ranks.get(w, ()))
                   if " " not in o]
            origs_of.append(lst)
            for oi, _, _ in lst:
                pairs += [(prevs[i], oi), (oi, nexts[i])]
                skips += [(prevs2[i], oi), (oi, nexts2[i])]
        c = self._bigram_counts(pairs)
        c2 = self._bigram_counts(skips, skip=True)
        rows = np.zeros((len(rows_idx), len(TOKEN_FEATURES)))
        spans = []
        k = 0
        for r, i in enumerate(rows_idx):
            cl, cr = c[k], c[k + 1]
            sl, sr = _l(c2[k]), _l(c2[k + 1])
            k += 2
            x, p, nx = ids[i], prevs[i], nexts[i]
            bo = bol = bor = co = bp = bs = 0.0
            best_o = ""
            for oi, o, rank in origs_of[r]:
                a, b = _l(c[k]), _l(c[k + 1])
                bs = max(bs, _l(c2[k]) + _l(c2[k + 1]))
                k += 2
                if a + b > bo or not best_o:
                    bo, best_o = max(bo, a + b), o
                bol, bor = max(bol, a), max(bor, b)
                co = max(co, _l(self.unigram[oi]) if oi >= 0 else 0.0)
                if rank <= 1:
                    bp = max(bp, a + b)
            ranks = self.ranks.get(toks[i][0], (NOT_A_PICK,))
            rk = min(ranks) if ranks else NOT_A_PICK
            lw = _l(cl) + _l(cr)
            rows[r] = (_l(cl), _l(cr), _l(self.unigram[x]) if x >= 0 else 0.0,
                       bool(origs_of[r]), bo, bol, bor, co, bo - lw,
                       _l(self.unigram[p]) if p >= 0 else 0.0,
                       _l(self.unigram[nx]) if nx >= 0 else 0.0, x < 0,
                       rk == 0, rk == 1, rk < NOT_A_PICK, bp, bp - lw, sl, sr, bs,
                       bs - sl - sr)
            spans.append((toks[i][1], toks[i][2], toks[i][0], best_o))
        return rows, spans

    def p_swapped(self, rows: np.ndarray) -> np.ndarray:
        """P(word was swapped by a spinner) per row, from the exported trees."""
        if self.trees is None or not len(rows):
            return np.zeros(len(rows))
        feat, thr, left, right, leaf, value, roots, baseline, _ = self.trees
        # All rows through all trees at once: one step per tree level (trees are shallow).
        node = np.broadcast_to(roots, (len(rows), len(roots))).copy()
        row = np.arange(len(rows))[:, None]
        while True:
            inner = leaf[node] == 0
            if not inner.any():
                break
            go_left = rows[row, feat[node]] <= thr[node]
            node = np.where(inner, np.where(go_left, left[node], right[node]), node)
        raw = baseline + value[node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    def score_text(self, text: str) -> BlockScore:
        rows, spans = self.token_features(text)
        if not len(rows) or self.trees is None:
            return BlockScore(0.0, len(rows), ())
        p = np.clip(self.p_swapped(rows), P_CLIP, 1 - P_CLIP)
        prior = self.trees[-1]
        lr = np.exp(np.log(p / (1 - p)) - np.log(prior / (1 - prior)))
        score = float(np.log(SPIN_RATE * lr + 1 - SPIN_RATE).sum())
        suspects = tuple(Suspect(s, e, text[s:e], o, float(pi))
                         for (s, e, _, o), pi in zip(spans, p) if pi >= SUSPECT_P)
        return BlockScore(score, len(rows), suspects)


@lru_cache(maxsize=1)
def model() -> WordChoiceModel | None:
    """The shipped model, or None when its data file is missing (the rule then stays quiet)."""
    return WordChoiceModel.load() if MODEL_FILE.exists() else None
