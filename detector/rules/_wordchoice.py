"""Unusual word choice: a per-block statistical signal of spun text.

A spinner swaps a word for a thesaurus synonym without looking at the context, so the swapped
word fits its neighbours worse than the word it replaced: "the two international locations'
financial ties" where news text says "the two countries' economic ties".

1. Substitutes table (compiled from Open English WordNet): surface form of a synonym -> the
   common news words it can stand for, with its rank as a spinner's pick (first-listed = 0).
2. Word-bigram counts of real publisher pages (../shared/data training sets: article text
   and the rest of each page), and the books counts: word and word-pair frequencies of a far
   larger outside sample of English (symspellpy's dictionaries of Google Books Ngram counts).
3. Per content word, TOKEN_FEATURES: how well the word and its possible originals fit between
   their neighbours (bigram counts), how common each is, whether it is a spinner's pick, and
   how well each fits the topic of its block and of its 4 neighbours either side (cosine with
   word vectors of the same training text: a spinner's wrong-sense synonym is off-topic),
   how often the word was a swap when the training text was run through the spinner, and
   whether one of its originals or the word itself recurs in the block (`block_rows`).
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
from functools import lru_cache, partial
from pathlib import Path

import numpy as np

from detector._fast import wordchoice_module

# "Look the compiled module up" (the default of the functions that take it from a caller that
# already did: `wordchoice_module()` reads the environment, and a page asks ~10 times).
_ASK = object()
MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "wordchoice.npz"
# Share of words a spinner swaps under the block score's alternative hypothesis (the middle
# of the 10-30% range spinners are run at).
SPIN_RATE = 0.2
# Word probabilities are clipped to this (and 1 - it) so one word cannot decide a block.
P_CLIP = 1e-3
# A word with P(swapped) at least this is quoted as evidence.
SUSPECT_P = 0.5
# Word vectors ship as int8: unit vectors times this (quantisation error < 0.4% a component).
EMB_QUANT = 127.0
# Rank recorded for a synonym that is not among a spinner's first picks (tools/build_wordchoice).
NOT_A_PICK = 9
TOKEN_FEATURES = (
    "log_c_prev_w", "log_c_w_next", "log_c_w", "is_substitute", "best_orig_context",
    "best_orig_left", "best_orig_right", "log_c_best_orig", "orig_minus_w_context",
    "log_c_prev", "log_c_next", "w_unknown", "pick_rank0", "pick_rank1", "any_pick",
    "best_pick_context", "pick_minus_w_context", "log_c_prev2_w", "log_c_w_next2",
    "best_orig_skip_context", "orig_minus_w_skip_context",
    # Topical fit (word vectors, see `embedding_rows`): the word's and its best original's
    # cosine with the block's other content words, and with the 4 content words either side.
    "emb_block_w", "emb_block_orig", "emb_block_gain", "emb_local_w", "emb_local_orig",
    "emb_local_gain",
    # Phrase substitutes (a spinner writes "prison term" for time): the word is inside a phrase
    # of 2-3 words that is a spinner's pick for a one-word original, inside any such phrase, and
    # how much better the best original fits between the phrase's neighbours than the phrase.
    "mw_pick", "mw_any", "mw_orig_gain",
    # The spinner's own habits and the block around the word (see `block_rows`): the logit of
    # the share of this word's occurrences that were swaps when the training text was spun
    # (a table built by spinning it, tools/build_wordchoice.py), whether one of its originals
    # is a content word of the same block (the spinner swapped one occurrence and kept another),
    # and how many more times the word itself is in the block (writers repeat their words; a
    # spinner's picks are spread over many originals).
    "lex_swap_logit", "orig_in_block", "w_repeats",
    # Books counts (tools/build_wordchoice.py `books_tables`): log counts of the word, and of
    # the pairs (previous word, word) and (word, next word), among the most frequent words and
    # pairs of Google Books; and whether neither pair is there. Chosen on the held-out
    # benchmark's blocks over 8 spins (docs/spun5.md): the books' other counts (the originals'
    # fit, the neighbours' own counts, PMI) added no more than the spins' noise: left out.
    "books_w", "books_prev_w", "books_w_next", "books_unseen",
)
# Phrase substitutes are looked up over at most this many tokens (the spinner's longest).
MW_MAX_WORDS = 3
# The TOKEN_FEATURES from counts come first; the emb_* ones follow, then the mw_* ones.
N_COUNT_FEATURES = 21
N_EMB_FEATURES = 6
_MW = N_COUNT_FEATURES + N_EMB_FEATURES
N_MW_FEATURES = 3
_BLK = _MW + N_MW_FEATURES  # the block_rows columns
N_BLK_FEATURES = 3
_BOOKS = _BLK + N_BLK_FEATURES  # the books_rows columns, last
# Content words either side of a word in its local topical context (embedding_rows); the
# whole block is the other, wider context. Chosen as the width of the vectors' training window.
EMB_LOCAL = 4
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


def embedding_rows(emb: np.ndarray | None, cids: np.ndarray, bounds: np.ndarray,
                   row_of_orig: np.ndarray, orig_ids: np.ndarray, fast: object = None
                   ) -> np.ndarray:
    """The six emb_* TOKEN_FEATURES of the content words of one or more blocks (ids ``cids``,
    -1 unknown; block k is rows ``bounds[k]:bounds[k + 1]``): cosine of each word's vector
    with its block's other content words and with its EMB_LOCAL neighbours either side (in
    the block), the same for its best original (``orig_ids[k]`` is an original of row
    ``row_of_orig[k]``, rows ascending), and the gains (original minus word). Words without a
    vector count as zero vectors; a word with no original with a vector gets 0 there. Each
    block's values do not depend on the other blocks of the batch (sums run per block).
    With ``fast`` (the compiled module) the vectors and their normalised contexts come from
    its `embedding_context` (the same float32 operations in the same order), else from
    `_embedding_context_numpy`; the dot products stay numpy's einsum either way."""
    n = len(cids)
    out = np.zeros((n, 6))
    if emb is None or not n:
        return out
    nv = emb.shape[0]
    if fast is not None:
        vec, ctx, loc = fast.embedding_context(
            emb, np.ascontiguousarray(cids, dtype=np.int64),
            np.ascontiguousarray(bounds, dtype=np.int64), EMB_LOCAL)
    else:
        vec, ctx, loc = _embedding_context_numpy(emb, cids, bounds)
    out[:, 0] = np.einsum("ij,ij->i", vec, ctx)
    out[:, 3] = np.einsum("ij,ij->i", vec, loc)
    good = (orig_ids >= 0) & (orig_ids < nv)
    if good.any():
        r, o = row_of_orig[good], emb[orig_ids[good]]
        first = np.flatnonzero(np.concatenate(([True], r[1:] != r[:-1])))
        rows = r[first]
        for col, c in ((1, ctx), (4, loc)):
            sim = np.einsum("ij,ij->i", o, c[r]).astype(np.float64)
            out[rows, col] = np.maximum.reduceat(sim, first)
    out[:, 2] = out[:, 1] - out[:, 0]
    out[:, 5] = out[:, 4] - out[:, 3]
    return out


def block_rows(lex: dict[str, float], lex_default: float, words: list[str], cids: np.ndarray,
               bounds: np.ndarray, row_of_orig: np.ndarray, orig_ids: np.ndarray) -> np.ndarray:
    """lex_swap_logit, orig_in_block, w_repeats (TOKEN_FEATURES) of the content words of one
    or more blocks (``words`` and ids ``cids``, -1 unknown; block k is rows
    ``bounds[k]:bounds[k + 1]``; ``orig_ids[k]`` is an original of row ``row_of_orig[k]``):
    the word's swap logit from ``lex`` (``lex_default`` for a word not in it), 1.0 when one of
    its originals is a content word of its block, and how many other content words of its
    block are the same word (0 for an unknown word). Each block's values depend on that block
    only. Shared by the reference and the batch paths (plain numpy, same values)."""
    n = len(cids)
    out = np.zeros((n, 3))
    if not n:
        return out
    get = lex.get
    out[:, 0] = [get(w, lex_default) for w in words]
    cids = np.asarray(cids, dtype=np.int64)
    block = np.repeat(np.arange(len(bounds) - 1, dtype=np.int64), np.diff(bounds))
    known = cids >= 0
    # One key per (block, word id): big enough for any vocabulary (ids < 2**31).
    key = block * (1 << 31) + cids
    uk, inv, cnt = np.unique(key[known], return_inverse=True, return_counts=True)
    out[known, 2] = cnt[inv] - 1
    orig_ids = np.asarray(orig_ids, dtype=np.int64)
    good = orig_ids >= 0
    if good.any():
        r = np.asarray(row_of_orig, dtype=np.int64)[good]
        found = np.isin(block[r] * (1 << 31) + orig_ids[good], uk)
        out[r[found], 1] = 1.0
    return out


def _embedding_context_numpy(emb: np.ndarray, cids: np.ndarray, bounds: np.ndarray
                             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The word vectors of `embedding_rows` (zero without one), their block context and their
    local context, each context divided by its norm (+ 1e-9): numpy (the reference of the
    compiled `embedding_context`)."""
    n = len(cids)
    nv, d = emb.shape
    ok = (cids >= 0) & (cids < nv)
    vec = np.zeros((n, d), dtype=emb.dtype)
    vec[ok] = emb[cids[ok]]
    starts = np.asarray(bounds[:-1], dtype=np.int64)
    sizes = np.diff(bounds)
    nonempty = sizes > 0
    block = np.repeat(np.arange(len(sizes)), sizes)
    sums = np.zeros((len(sizes), d), dtype=emb.dtype)
    sums[nonempty] = np.add.reduceat(vec, starts[nonempty], axis=0)
    ctx = sums[block] - vec
    ctx /= np.linalg.norm(ctx, axis=1, keepdims=True) + 1e-9
    # Neighbours in the same block: blocks laid out with EMB_LOCAL zero rows between them,
    # shifted copies added in a fixed order (so a block's sums do not depend on the batch).
    w = EMB_LOCAL
    at = np.arange(n) + w * (block + 1)  # each row's place in the padded layout
    padded = np.zeros((n + w * (len(sizes) + 1) + w, d), dtype=emb.dtype)
    padded[at] = vec
    m = len(padded) - 2 * w
    loc = np.zeros((m, d), dtype=emb.dtype)
    for off in (*range(-w, 0), *range(1, w + 1)):
        loc += padded[w + off:w + off + m]
    loc = loc[at - w]
    loc /= np.linalg.norm(loc, axis=1, keepdims=True) + 1e-9
    return vec, ctx, loc


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
        self.books_unigram = z["books_unigram"]
        self.books_keys = z["books_bigram_keys"]
        self.books_counts = z["books_bigram_counts"]
        self.subs: dict[str, tuple[str, ...]] = {}
        self.ranks: dict[str, tuple[int, ...]] = {}
        for line in str(z["subs"]).split("\n"):
            if line:
                k, _, v = line.partition("\t")
                items = [x.rpartition(":") for x in v.split("|")]
                self.subs[k] = tuple(o for o, _, _ in items)
                self.ranks[k] = tuple(int(r) for _, _, r in items)
        self._phrases = self._phrase_table()
        # Word -> logit of its swap share in the spun training text (lex_swap_logit); a word
        # not listed gets the default (the smoothed prior, stored with the table).
        self.lex: dict[str, float] = {}
        self.lex_default = 0.0
        if "lex_words" in z:
            self.lex = dict(zip(str(z["lex_words"]).split("\n"),
                                z["lex_logit"].astype(np.float64).tolist()))
            self.lex_default = float(z["lex_default"])
        self.trees = None
        if "tree_feature" in z:
            self.trees = (z["tree_feature"], z["tree_threshold"], z["tree_left"],
                          z["tree_right"], z["tree_leaf"], z["tree_value"], z["tree_root"],
                          float(z["tree_baseline"]), float(z["token_prior"]))
        # Word vectors of the most frequent words (int8, rows of unit length * EMB_QUANT).
        self.emb = (z["emb"].astype(np.float32) / EMB_QUANT) if "emb" in z else None
        self._fast = None  # tables of the batch path, built on first use (see _fast_tables)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> WordChoiceModel:
        with np.load(path, allow_pickle=False) as z:
            tables = {k: z[k] for k in z.files}
        # Sorted pair keys ship as the steps between them (they compress better).
        for name in ("bigram", "skip", "books_bigram"):
            steps = tables.pop(f"{name}_key_steps", None)
            if steps is not None:
                tables[f"{name}_keys"] = np.cumsum(steps, dtype=np.int64)
        return cls(tables)

    def _id(self, w: str) -> int:
        return self.ids.get(w, -1)

    def _bigram_counts(self, pairs: list[tuple[int, int]], skip: bool = False,
                       books: bool = False) -> np.ndarray:
        """Counts of word-id pairs: adjacent (bigrams), one word apart (``skip``), or adjacent
        in the books counts (``books``)."""
        if not pairs:
            return np.zeros(0)
        table, counts = ((self.skip_keys, self.skip_counts) if skip else
                         (self.books_keys, self.books_counts) if books else (self.keys, self.counts))
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
        cb = self._bigram_counts([(prevs[i], ids[i]) for i in rows_idx]
                                 + [(ids[i], nexts[i]) for i in rows_idx], books=True)
        nb = len(rows_idx)
        rows = np.zeros((len(rows_idx), len(TOKEN_FEATURES)))
        row_of = [r for r, lst in enumerate(origs_of) for _ in lst]
        rows[:, N_COUNT_FEATURES:_MW] = embedding_rows(
            self.emb, np.array([ids[i] for i in rows_idx], dtype=np.int64),
            np.array([0, len(rows_idx)]), np.array(row_of, dtype=np.int64),
            np.array([oi for lst in origs_of for oi, _, _ in lst], dtype=np.int64))
        rows[:, _MW:_BLK] = self.phrase_rows_numpy([(ids, [(i, toks[i][0]) for i in rows_idx])])
        rows[:, _BLK:_BOOKS] = block_rows(
            self.lex, self.lex_default, [toks[i][0] for i in rows_idx],
            np.array([ids[i] for i in rows_idx], dtype=np.int64), np.array([0, len(rows_idx)]),
            np.array(row_of, dtype=np.int64),
            np.array([oi for lst in origs_of for oi, _, _ in lst], dtype=np.int64))
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
            rows[r, :N_COUNT_FEATURES] = (_l(cl), _l(cr), _l(self.unigram[x]) if x >= 0 else 0.0,
                       bool(origs_of[r]), bo, bol, bor, co, bo - lw,
                       _l(self.unigram[p]) if p >= 0 else 0.0,
                       _l(self.unigram[nx]) if nx >= 0 else 0.0, x < 0,
                       rk == 0, rk == 1, rk < NOT_A_PICK, bp, bp - lw, sl, sr, bs,
                       bs - sl - sr)
            rows[r, _BOOKS:] = (_l(self.books_unigram[x]) if x >= 0 else 0.0, _l(cb[r]),
                                _l(cb[nb + r]), cb[r] == 0 and cb[nb + r] == 0)
            spans.append((toks[i][1], toks[i][2], toks[i][0], best_o))
        return rows, spans

    def _phrase_table(self) -> dict[int, tuple[np.ndarray, int, np.ndarray]]:
        """Phrase substitutes of 2..MW_MAX_WORDS words, by length: (sorted keys of their word-id
        sequences, base-v numbers), each one's best pick rank and its one-word originals' ids.
        A phrase with a word outside the vocabulary is left out (it never gets a count)."""
        found: dict[int, dict[int, tuple[int, tuple[int, ...]]]] = {}
        for k, origs in self.subs.items():
            words = re.split(r"[ -]", k)
            if not 2 <= len(words) <= MW_MAX_WORDS:
                continue
            wid = [self._id(w) for w in words]
            one = [(self._id(o), r) for o, r in zip(origs, self.ranks[k]) if " " not in o]
            if min(wid) < 0 or not one:
                continue
            key = 0
            for i in wid:
                key = key * self.v + i
            found.setdefault(len(words), {})[key] = (min(r for _, r in one),
                                                     tuple(i for i, _ in one))
        out = {}
        for n, d in found.items():
            keys = np.array(sorted(d), dtype=np.int64)
            out[n] = (keys, np.array([d[k][0] for k in keys.tolist()]),
                      [np.array(d[k][1], dtype=np.int64) for k in keys.tolist()])
        return out

    def phrase_rows(self, scans: list[tuple[list[int], list[tuple[int, str]]]],
                    fast: object = _ASK) -> np.ndarray:
        """`phrase_rows_numpy` (the same rows, bit for bit), from the compiled pass when it is
        built (detector/_fast/wordchoice.pyx `phrase_rows`: one loop over the windows, the
        same look-ups and double operations; ~0.2 -> ~0.03 ms a page)."""
        if fast is _ASK:
            fast = wordchoice_module()
        if fast is None:
            return self.phrase_rows_numpy(scans)
        ft = self._fast_tables()
        if ft.phrase_tables is None:
            ft.phrase_tables = [
                (m, np.ascontiguousarray(keys, dtype=np.int64),
                 np.ascontiguousarray(ranks, dtype=np.int64),
                 np.concatenate([*origs, np.zeros(0, dtype=np.int64)]).astype(np.int64),
                 np.cumsum([0] + [len(o) for o in origs], dtype=np.int64))
                for m, (keys, ranks, origs) in self._phrases.items()]
        return fast.phrase_rows(scans, ft.phrase_tables, self._id("<s>"), self.v,
                                ft.packed(fast)[0])

    def phrase_rows_numpy(self, scans: list[tuple[list[int], list[tuple[int, str]]]]
                          ) -> np.ndarray:
        """mw_pick, mw_any, mw_orig_gain (TOKEN_FEATURES) of the content words of blocks given
        as (token ids, [(token index, word)] of the content words), rows concatenated: the word
        is inside a run of 2..MW_MAX_WORDS tokens that is a phrase substitute (a spinner's pick,
        any), and how much better the phrase's best one-word original fits between the run's
        neighbours (bigram counts) than the run does. Of several runs over a word, the largest
        (pick, any, gain) counts. Blocks are laid out as [<s>, ids..., -1], so a run never
        crosses two blocks and each block's values do not depend on the others."""
        n_rows = sum(len(c) for _, c in scans)
        out = np.zeros((n_rows, 3))
        if not n_rows or not self._phrases:
            return out
        start = self._id("<s>")
        ft = self._fast_tables()
        flat: list[int] = []
        bases: list[int] = []
        for ids, _ in scans:
            bases.append(len(flat) + 1)
            flat += (start, *ids, -1)
        a = np.array(flat, dtype=np.int64)
        real = a >= 0
        real[np.array(bases, dtype=np.int64) - 1] = False  # <s> is no word of a phrase
        n = len(a)
        best: dict[int, tuple[float, float, float]] = {}
        for m, (keys, ranks, origs) in self._phrases.items():
            ok = np.ones(n - m + 1, dtype=bool)
            key = np.zeros(n - m + 1, dtype=np.int64)
            for j in range(m):
                ok &= real[j:n - m + 1 + j]
                key = key * self.v + np.maximum(a[j:n - m + 1 + j], 0)
            pos = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hits = np.flatnonzero(ok & (keys[pos] == key)).tolist()
            if not hits:
                continue
            # Log counts of every pair at once (the same values as _l of the counts).
            left: list[int] = []
            right: list[int] = []
            for s in hits:
                p, nx, e = flat[s - 1], flat[s + m], s + m - 1
                left += (p, flat[e])
                right += (flat[s], nx)
                for o in origs[pos[s]].tolist():
                    left += (p, o)
                    right += (o, nx)
            c = ft.bigram(np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)).tolist()
            k = 0
            for s in hits:
                row = pos[s]
                no = len(origs[row])
                fit = max(c[k + 2 + 2 * j] + c[k + 3 + 2 * j] for j in range(no))
                val = (float(ranks[row] <= 1), 1.0, fit - c[k] - c[k + 1])
                k += 2 + 2 * no
                for t in range(s, s + m):
                    if t not in best or val > best[t]:
                        best[t] = val
        if best:
            r = 0
            for base, (_, content) in zip(bases, scans):
                for i, _ in content:
                    v = best.get(base + i)
                    if v is not None:
                        out[r] = v
                    r += 1
        return out

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
        """Score one block (the reference path; `score_texts` gives the same, faster)."""
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


    # --- batch path: the same features and scores for many blocks in a few numpy calls ----------

    def _fast_tables(self) -> _FastTables:
        if self._fast is None:
            self._fast = _FastTables(self)
        return self._fast

    def token_features_fast(self, text: str) -> tuple[np.ndarray, list[tuple[int, int, str, str]]]:
        """`token_features`, computed with arrays (bit-identical rows; tests check it)."""
        scan = _scan(text, self._fast_tables())
        rows, best = self._features_batch([scan])
        pos = [m.span() for m in _TOKEN.finditer(text)]
        return rows, [(*pos[i], w, o) for (i, w), o in zip(scan[1], best)]

    def _features_batch(self, scans: list[tuple[list[int], list[tuple[int, str]]]],
                        fast: object = _ASK) -> tuple[np.ndarray, list[str]]:
        """Rows of every block's content words (blocks given by `_scan`), concatenated, and the
        best original of each ("" when it has none). The count features come from the compiled
        pass when it is built (detector/_fast/wordchoice.pyx `count_features`), else from
        `_features_batch_numpy`; the word-vector features are `embedding_rows` either way."""
        if fast is _ASK:
            fast = wordchoice_module()
        if fast is None:
            return self._features_batch_numpy(scans)
        ft = self._fast_tables()
        big, skip, books = ft.packed(fast)
        rows, best, x, bounds, r, o_ids = fast.count_features(
            scans, ft.subs_tuples, ft.start_id, big, skip, ft.log_uni, NOT_A_PICK,
            len(TOKEN_FEATURES), books, ft.books_log_uni, _BOOKS)
        if len(rows):
            rows[:, N_COUNT_FEATURES:_MW] = embedding_rows(self.emb, x, bounds, r, o_ids, fast)
            rows[:, _MW:_BLK] = self.phrase_rows(scans, fast)
            # `block_rows` (the same values), compiled.
            fast.block_rows(rows, _BLK, scans, self.lex, self.lex_default, x, bounds, r, o_ids)
        return rows, best

    def _features_batch_numpy(self, scans: list[tuple[list[int], list[tuple[int, str]]]]
                              ) -> tuple[np.ndarray, list[str]]:
        """`_features_batch` with numpy (the fallback, and the oracle of the compiled pass)."""
        ft = self._fast_tables()
        subs = ft.subs
        padded: list[int] = []  # every block's token ids, as [-1, <s>, ids..., -1, -1]
        where: list[int] = []  # position in `padded` of each content word's prev2
        sub_rows: list[int] = []  # row of each content word that has originals
        sub_info: list[tuple] = []
        bounds: list[int] = [0]  # rows of block k: bounds[k]:bounds[k + 1]
        for ids, content in scans:
            base = len(padded)
            padded += (-1, ft.start_id, *ids, -1, -1)
            for i, w in content:
                info = subs[w]
                if info is not None:
                    sub_rows.append(len(where))
                    sub_info.append(info)
                where.append(base + i)
            bounds.append(len(where))
        n = len(where)
        rows = np.zeros((n, len(TOKEN_FEATURES)))
        best = [""] * n
        if not n:
            return rows, best
        pad = np.array(padded, dtype=np.int64)
        at = np.array(where, dtype=np.int64)
        p2, p, x, nx, nx2 = pad[at], pad[at + 1], pad[at + 2], pad[at + 3], pad[at + 4]
        rk = np.full(n, NOT_A_PICK)
        bo = np.zeros(n)
        bol, bor, co, bp, bs = bo.copy(), bo.copy(), bo.copy(), bo.copy(), bo.copy()
        if sub_rows:
            srow = np.array(sub_rows)
            rk[srow] = [info[3] for info in sub_info]
            # Originals of every substitute, flattened: one entry per (content word, original).
            lens = np.array([len(info[1]) for info in sub_info])
            has = lens > 0
            o_ids = np.concatenate([info[1] for info in sub_info])
            o_rank = np.concatenate([info[2] for info in sub_info])
            r = srow[np.repeat(np.arange(len(sub_rows)), lens)]
        else:
            has = np.zeros(0, dtype=bool)
            o_ids = o_rank = r = np.zeros(0, dtype=np.int64)
        m = len(o_ids)
        # All lookups of a table in one call: (prev, w), (w, next), then the same for originals.
        big = ft.bigram(np.concatenate((p, x, p[r], o_ids)), np.concatenate((x, nx, o_ids, nx[r])))
        skp = ft.skip(np.concatenate((p2, x, p2[r], o_ids)),
                      np.concatenate((x, nx2, o_ids, nx2[r])))
        lcl, lcr, a, b = big[:n], big[n:2 * n], big[2 * n:2 * n + m], big[2 * n + m:]
        sl, sr = skp[:n], skp[n:2 * n]
        lw = lcl + lcr
        if m:
            ab = a + b
            sk = skp[2 * n:2 * n + m] + skp[2 * n + m:]
            starts = np.concatenate(([0], np.cumsum(lens)[:-1]))[has]
            hr = srow[has]
            # The loop's maxima start at 0; every value here is >= 0 (log1p of counts).
            bo[hr] = np.maximum.reduceat(ab, starts)
            bol[hr] = np.maximum.reduceat(a, starts)
            bor[hr] = np.maximum.reduceat(b, starts)
            bs[hr] = np.maximum.reduceat(sk, starts)
            co[hr] = np.maximum(np.maximum.reduceat(ft.log_unigram(o_ids), starts), 0.0)
            bp[hr] = np.maximum(np.maximum.reduceat(np.where(o_rank <= 1, ab, 0.0), starts), 0.0)
            # The best original is the first with the highest context (the loop's strict >).
            first = np.minimum.reduceat(np.where(ab == bo[r], np.arange(m), m), starts)
            for j, k in zip(np.flatnonzero(has).tolist(), (first - starts).tolist()):
                best[sub_rows[j]] = sub_info[j][4 + k]
        if sub_rows:
            rows[srow, 3] = has
        rows[:, 0], rows[:, 1] = lcl, lcr
        rows[:, 2] = ft.log_unigram(x)
        rows[:, 4], rows[:, 5], rows[:, 6], rows[:, 7] = bo, bol, bor, co
        rows[:, 8] = bo - lw
        rows[:, 9], rows[:, 10] = ft.log_unigram(p), ft.log_unigram(nx)
        rows[:, 11] = x < 0
        rows[:, 12], rows[:, 13], rows[:, 14] = rk == 0, rk == 1, rk < NOT_A_PICK
        rows[:, 15], rows[:, 16] = bp, bp - lw
        rows[:, 17], rows[:, 18] = sl, sr
        rows[:, 19], rows[:, 20] = bs, bs - sl - sr
        bk = ft.books(np.concatenate((p, x)), np.concatenate((x, nx)))
        rows[:, _BOOKS] = ft.books_log_uni[x]
        rows[:, _BOOKS + 1], rows[:, _BOOKS + 2] = bk[:n], bk[n:]
        rows[:, _BOOKS + 3] = (bk[:n] == 0.0) & (bk[n:] == 0.0)
        # Topical fit, each block its own context.
        rows[:, N_COUNT_FEATURES:_MW] = embedding_rows(
            self.emb, x, np.array(bounds), r, o_ids)
        rows[:, _MW:_BLK] = self.phrase_rows_numpy(scans)
        rows[:, _BLK:_BOOKS] = block_rows(self.lex, self.lex_default,
                                    [w for _, content in scans for _, w in content],
                                    x, np.array(bounds), r, o_ids)
        return rows, best

    def score_texts(self, texts: list[str], min_words: int = 0,
                    min_score: float = -math.inf, locate_min_words: int = 0,
                    locate_min_score: float = -math.inf) -> list[BlockScore | None]:
        """`score_text` of many blocks at once (same scores). A block with fewer than
        ``min_words`` content words, or scoring under ``min_score``, is None (its suspects are
        not located). Suspects are located only in blocks of at least ``locate_min_words``
        content words scoring at least ``locate_min_score`` (the others get none: a caller
        that reads suspects only of such blocks saves the search)."""
        if self.trees is None:
            return [self.score_text(t) for t in texts]
        ft = self._fast_tables()
        fast = wordchoice_module()  # asked once for the steps below (it reads the environment)
        scans = [_scan(t, ft, fast) for t in texts]
        # Counting content words needs only the tokens: skip the short blocks first.
        keep = [i for i, sc in enumerate(scans) if len(sc[1]) >= min_words]
        out: list[BlockScore | None] = [None] * len(texts)
        rows, best = self._features_batch([scans[i] for i in keep], fast)
        p_all = np.clip(ft.p_swapped(rows, fast), P_CLIP, 1 - P_CLIP)
        prior = self.trees[-1]
        lr_all = np.exp(np.log(p_all / (1 - p_all)) - np.log(prior / (1 - prior)))
        terms = np.log(SPIN_RATE * lr_all + 1 - SPIN_RATE)
        k = 0
        for i in keep:
            text, content = texts[i], scans[i][1]
            n = len(content)
            if not n:
                if min_score <= 0.0:
                    out[i] = BlockScore(0.0, 0, ())
                continue
            p = p_all[k:k + n]
            score = float(terms[k:k + n].sum())
            if score >= min_score:
                sus = (np.flatnonzero(p >= SUSPECT_P).tolist()
                       if n >= locate_min_words and score >= locate_min_score else [])
                pos = [m.span() for m in _TOKEN.finditer(text)] if sus else []
                out[i] = BlockScore(score, n, tuple(
                    Suspect(*pos[content[j][0]], text[slice(*pos[content[j][0]])],
                            best[k + j], float(p[j])) for j in sus))
            k += n
        return out


# The token pattern with the (up to) 4 characters before each token, for the name test of
# `tokens`; texts are scanned with 4 spaces in front, which the test strips anyway.
_TOKEN_AFTER = re.compile(r"(?<=([\s\S]{4}))(" + _TOKEN.pattern + ")")
_BEFORE_STRIP = " \t\"'\u201c\u2018("


def _scan_reference(text: str, ft: _FastTables) -> tuple[list[int], list[tuple[int, str]]]:
    """The word ids of `tokens(text)` and (token index, word) of its content words (not a
    name, a number, a stopword or shorter than 3 letters), in one pass. The reference of
    `_scan` (tests compare them)."""
    ids: list[int] = []
    content: list[tuple[int, str]] = []
    get, num_id, stop = ft.ids.get, ft.num_id, STOPWORDS
    curly = "\u2019" in text
    for before, w in _TOKEN_AFTER.findall("    " + text):
        c = w[0]
        if c.isdigit():
            ids.append(num_id)
            continue
        lw = w.lower()
        if curly:
            lw = lw.replace("\u2019", "'")
        ids.append(get(lw, -1))
        if len(lw) < 3 or lw in stop:
            continue
        if c.isupper():  # a name: capitalised inside a sentence, or all caps
            b = before.rstrip(_BEFORE_STRIP)
            if (b and b[-1] not in ".!?:\n\u2014") or (w.isupper() and len(w) > 1):
                continue
        content.append((len(ids) - 1, lw))
    return ids, content



# Kinds of a token in `_scan`'s cache: not a content word (a number, a stopword, shorter than
# 3 letters, or all caps, which is always a name), a content word, or a content word unless
# the characters before it make it a name (capitalised inside a sentence).
_NOT_CONTENT, _CONTENT, _CONTENT_UNLESS_NAME = 0, 1, 2
# Distinct token spellings `_scan` remembers before it starts afresh (a page has a few hundred;
# 200k entries are ~40 MB at most, and clearing only costs the next pages a few lookups).
SCAN_CACHE_MAX = 200_000


def _token_entry(w: str, ft: _FastTables) -> tuple[int, str, int]:
    """(word id, lowered word, kind) of one token: everything `_scan_reference` works out from
    the token alone (a curly apostrophe is only in `w` when it is in the text, so replacing it
    always is the same as replacing it when the text has one)."""
    c = w[0]
    if c.isdigit():
        return ft.num_id, "", _NOT_CONTENT
    lw = w.lower().replace("\u2019", "'")
    tid = ft.ids.get(lw, -1)
    if len(lw) < 3 or lw in STOPWORDS:
        return tid, lw, _NOT_CONTENT
    if c.isupper():
        if w.isupper() and len(w) > 1:
            return tid, lw, _NOT_CONTENT
        return tid, lw, _CONTENT_UNLESS_NAME
    return tid, lw, _CONTENT


def _scan(text: str, ft: _FastTables, fast: object = _ASK
          ) -> tuple[list[int], list[tuple[int, str]]]:
    """`_scan_reference` (same ids and content words) with each distinct token spelling worked
    out once (`_token_entry`, cached in `ft.token_cache`); only the name test, which reads the
    characters before a capitalised token, is done per token."""
    cache = ft.token_cache
    if len(cache) > SCAN_CACHE_MAX:
        cache.clear()
    if fast is _ASK:
        fast = wordchoice_module()
    if fast is not None:  # the same loop, compiled (detector/_fast/wordchoice.pyx `scan`)
        return fast.scan(text, cache, ft.token_entry)
    return _scan_python(text, cache, ft)


def _scan_python(text: str, cache: dict, ft: _FastTables
                 ) -> tuple[list[int], list[tuple[int, str]]]:
    """`_scan`'s loop in Python (the fallback, and the oracle of the compiled one)."""
    ids: list[int] = []
    content: list[tuple[int, str]] = []
    get, add, put = cache.get, ids.append, content.append
    for before, w in _TOKEN_AFTER.findall("    " + text):
        e = get(w)
        if e is None:
            e = cache[w] = _token_entry(w, ft)
        tid, lw, kind = e
        add(tid)
        if kind == _NOT_CONTENT:
            continue
        if kind == _CONTENT_UNLESS_NAME:
            b = before.rstrip(_BEFORE_STRIP)
            if b and b[-1] not in ".!?:\n\u2014":
                continue
        put((len(ids) - 1, lw))
    return ids, content


class _SubsCache(dict):
    """The batch path's view of a word's originals, made on first use; None when the word is
    no synonym. Both are stored (a page's content words are mostly no synonym, and a miss
    costs a Python call); past SCAN_CACHE_MAX entries the cache starts afresh, like `_scan`'s."""

    def __init__(self, m: WordChoiceModel):
        super().__init__()
        self._m = m

    def __missing__(self, w: str) -> tuple | None:
        m = self._m
        if len(self) > SCAN_CACHE_MAX:
            self.clear()
        origs = m.subs.get(w)
        if origs is None:
            self[w] = None
            return None
        ranks = m.ranks.get(w, ())
        lst = [(m._id(o), r, o) for o, r in zip(origs, ranks) if " " not in o]
        info = self._pack(min(ranks) if ranks else NOT_A_PICK, lst)
        self[w] = info
        return info

    @staticmethod
    def _pack(min_rank: int, lst: list[tuple[int, int, str]]) -> tuple:
        """(any single-word original, their ids, their ranks, min rank, *their words)."""
        return (bool(lst), np.array([t[0] for t in lst], dtype=np.int64),
                np.array([t[1] for t in lst], dtype=np.int64), min_rank, *(t[2] for t in lst))


class _SubsTuples(_SubsCache):
    """`_SubsCache` for the compiled pass: (min rank of all originals, single-word original
    ids, their ranks, their words), as tuples; None when the word is no synonym."""

    @staticmethod
    def _pack(min_rank: int, lst: list[tuple[int, int, str]]) -> tuple:
        return (min_rank, tuple(t[0] for t in lst), tuple(t[1] for t in lst),
                tuple(t[2] for t in lst))


class _FastTables:
    """Log counts precomputed with math.log1p (numpy's log1p may differ in the last bit, and
    the trees must see exactly the reference path's values) and the substitutes per word."""

    def __init__(self, m: WordChoiceModel):
        self.v = m.v
        self.ids = m.ids
        self.start_id, self.num_id = m._id("<s>"), m._id("<num>")
        self.keys, self.skip_keys = m.keys, m.skip_keys
        self.log_counts = _log1p_table(m.counts)
        self.log_skip = _log1p_table(m.skip_counts)
        # Index -1 (unknown word) reads the appended 0.0.
        self.log_uni = np.append(_log1p_table(m.unigram), 0.0)
        self.books_keys = m.books_keys
        self.log_books = _log1p_table(m.books_counts)
        self.books_log_uni = np.append(_log1p_table(m.books_unigram), 0.0)
        # word -> (has originals, original ids, their ranks, min rank of all, original words...)
        # word -> (has originals, original ids, their ranks, min rank of all, original words...),
        # built the first time a word is met (building all 58k up front costs 0.25 s, 25 MB).
        self.subs = _SubsCache(m)
        self.subs_tuples = _SubsTuples(m)  # the same, for the compiled pass
        # token spelling -> (word id, lowered word, kind), filled by `_scan`.
        self.token_cache: dict[str, tuple[int, str, int]] = {}
        self.token_entry = partial(_token_entry, ft=self)  # fills it on a miss
        # id(key table) -> its compiled hash index (`_hashed`); both tables live as long as self.
        self._key_tables: dict = {}
        self._packed: tuple | None = None  # see `packed`
        # The phrase substitutes as the compiled `phrase_rows` takes them (built on first use).
        self.phrase_tables: list | None = None

        if m.trees is not None:
            feat, thr, left, right, leaf, value, roots, baseline, _ = m.trees
            # Renumbered so that every inner node's right child follows its left child (the
            # step is then left[node] + went_right), and leaves point to themselves with an
            # infinite threshold, so every row takes exactly `depth` steps with no leaf test
            # (features are finite: log counts and their differences).
            is_leaf = leaf != 0
            order: list[int] = []
            new_roots = []
            for r in roots.tolist():
                new_roots.append(len(order))
                order.append(r)
                queue = [r]
                while queue:
                    o = queue.pop(0)
                    if not is_leaf[o]:
                        order += (int(left[o]), int(right[o]))
                        queue += (int(left[o]), int(right[o]))
            old = np.array(order, dtype=np.int64)
            new_of = np.empty(len(feat), dtype=np.int64)
            new_of[old] = np.arange(len(old))
            self.t_feat = np.where(is_leaf[old], 0, feat[old]).astype(np.int64)
            self.t_thr = np.where(is_leaf[old], np.inf, thr[old])
            self.t_left = np.where(is_leaf[old], np.arange(len(old)), new_of[left[old]])
            self.t_value, self.t_baseline = value[old], baseline
            self.t_roots = np.array(new_roots, dtype=np.int64)
            depth, frontier = 0, self.t_roots
            while True:
                inner = frontier[~is_leaf[old[frontier]]]
                if not len(inner):
                    break
                frontier = np.concatenate((self.t_left[inner], self.t_left[inner] + 1))
                depth += 1
            self.t_depth = depth

    def p_swapped(self, rows: np.ndarray, fast: object = _ASK) -> np.ndarray:
        """`WordChoiceModel.p_swapped` (same values): the compiled walk when it is built
        (detector/_fast/wordchoice.pyx), else `p_swapped_numpy`."""
        if fast is _ASK:
            fast = wordchoice_module()
        if fast is None or not len(rows):
            return self.p_swapped_numpy(rows)
        # The compiled walk only picks the leaves; the sum over trees (in the same C order)
        # and the sigmoid are the numpy path's own, so the values are bit-identical.
        leaves = fast.leaf_values(np.ascontiguousarray(rows, dtype=np.float64), self.t_feat,
                                  self.t_thr, self.t_left, self.t_value, self.t_roots,
                                  self.t_depth)
        raw = self.t_baseline + leaves.sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    def p_swapped_numpy(self, rows: np.ndarray) -> np.ndarray:
        """`WordChoiceModel.p_swapped` (same values): fixed steps on a flat feature array."""
        n, f = rows.shape
        if not n:
            return np.zeros(0)
        flat = rows.ravel()
        # The first step: every row is at the roots (one column gather, no node lookups).
        roots = self.t_roots
        # (C order: the final sum over trees must add in the reference path's order.)
        node = np.ascontiguousarray(
            self.t_left[roots] + ~(rows[:, self.t_feat[roots]] <= self.t_thr[roots]))
        offset = (np.arange(n, dtype=np.int64) * f)[:, None]
        for _ in range(self.t_depth - 1):
            went_right = ~(flat[offset + self.t_feat[node]] <= self.t_thr[node])
            node = self.t_left[node] + went_right
        raw = self.t_baseline + self.t_value[node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    def log_unigram(self, ids: np.ndarray) -> np.ndarray:
        return self.log_uni[ids]

    def packed(self, fast) -> tuple:
        """The compiled pass's tables (`wordchoice.PackedTable`: each key with its log count
        beside it) of the bigram, the skip-gram and the books pair keys, built on first use."""
        if self._packed is None:
            self._packed = (fast.PackedTable(self.keys, self.log_counts, self.v),
                            fast.PackedTable(self.skip_keys, self.log_skip, self.v),
                            fast.PackedTable(self.books_keys, self.log_books, self.v))
        return self._packed

    def _hashed(self, table: np.ndarray, fast: object = _ASK):
        """The compiled hash index of a key table (built on first use, ~10 ms), or None."""
        if fast is _ASK:
            fast = wordchoice_module()
        if fast is None:
            return None
        index = self._key_tables.get(id(table))
        if index is None:
            index = self._key_tables[id(table)] = fast.KeyTable(table)
        return index

    def _lookup(self, table: np.ndarray, logs: np.ndarray, a: np.ndarray, b: np.ndarray
                ) -> np.ndarray:
        index = self._hashed(table)
        if index is None:
            return self._lookup_sorted(table, logs, a, b)
        return index.lookup(logs, np.ascontiguousarray(a, dtype=np.int64),
                            np.ascontiguousarray(b, dtype=np.int64), self.v)

    def _lookup_sorted(self, table: np.ndarray, logs: np.ndarray, a: np.ndarray,
                       b: np.ndarray) -> np.ndarray:
        """The reference of `_lookup`: a binary search in the sorted key table."""
        keys = a * self.v + b
        # Searching sorted keys is about twice as fast (each search starts where the last ended).
        order = np.argsort(keys)
        pos = np.empty(len(keys), dtype=np.int64)
        pos[order] = np.searchsorted(table, keys[order])
        pos = np.minimum(pos, len(table) - 1)
        found = (a >= 0) & (b >= 0) & (table[pos] == keys)
        return np.where(found, logs[pos], 0.0)

    def bigram(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._lookup(self.keys, self.log_counts, a, b)

    def skip(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._lookup(self.skip_keys, self.log_skip, a, b)

    def books(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._lookup(self.books_keys, self.log_books, a, b)



def _log1p_table(counts: np.ndarray) -> np.ndarray:
    values, inverse = np.unique(counts, return_inverse=True)
    return np.array([math.log1p(float(x)) for x in values.tolist()])[inverse.reshape(-1)]



@lru_cache(maxsize=1)
def model() -> WordChoiceModel | None:
    """The shipped model, or None when its data file is missing (the rule then stays quiet)."""
    return WordChoiceModel.load() if MODEL_FILE.exists() else None
