"""The faster spun_word_choice (token cache in `_scan`, compiled tree walk) gives exactly the
reference path's values: on generated text and on real pages of ../shared/data."""

from __future__ import annotations

import random

import numpy as np
import pytest

import detector.rules._wordchoice as wc
from detector._fast import wordchoice_module

needs_compiled = pytest.mark.skipif(wordchoice_module() is None,
                                    reason="detector._fast.wordchoice not built")

# Words that exercise every branch of `_scan`: stopwords, short words, digits, names
# (capitalised inside a sentence), all caps, curly and straight apostrophes, synonyms.
WORDS = ("the court docket said international locations Japan JAPAN NATO a I it's it\u2019s "
         "Kishida\u2019s 2 3.5 1,000 economic financial ties revealed unveiled disbursement "
         "spending superlative greatest ocean sea US U.S. gdp Gdp x xy abc Abc").split()
SEPS = (" ", " ", " ", ". ", ", ", "\n", " \u2014 ", ' "', " (", ": ", "! ", "? ", "\u201c")


def _generated_texts(n: int, seed: int = 0) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randrange(0, 90)):
            w = rnd.choice(WORDS)
            w = w.capitalize() if rnd.random() < 0.15 else w
            parts += (w, rnd.choice(SEPS))
        out.append("".join(parts))
    return out


def _fresh_tables():
    """Tables with an empty token cache (so the cache is filled by the texts under test)."""
    ft = wc.model()._fast_tables()
    ft.token_cache.clear()
    return ft


def test_scan_with_token_cache_equals_reference_on_generated_text():
    ft = _fresh_tables()
    texts = _generated_texts(400) + ["", "A", "The 2 court docket. JAPAN\u2019S ties."]
    for t in texts + texts:  # the second round reads everything from the cache
        assert wc._scan(t, ft) == wc._scan_reference(t, ft), t


def test_scan_cache_is_cleared_past_its_bound(monkeypatch):
    ft = _fresh_tables()
    monkeypatch.setattr(wc, "SCAN_CACHE_MAX", 5)
    text = " ".join(f"word{chr(97 + i)}x" for i in range(20))
    assert wc._scan(text, ft) == wc._scan_reference(text, ft)
    assert len(ft.token_cache) == 20
    wc._scan("court docket", ft)  # over the bound: starts afresh
    assert set(ft.token_cache) == {"court", "docket"}


@needs_compiled
def test_compiled_tree_walk_equals_numpy_walk_bit_for_bit():
    ft = wc.model()._fast_tables()
    rng = np.random.default_rng(1)
    rows = rng.normal(scale=3.0, size=(700, len(wc.TOKEN_FEATURES)))
    rows[rng.random(rows.shape) < 0.02] = np.nan  # NaN goes right in both
    rows[:50] = 0.0
    assert ft.p_swapped(rows).tobytes() == ft.p_swapped_numpy(rows).tobytes()
    # Real feature rows, and a Fortran-ordered copy of them.
    texts = _generated_texts(60, seed=3)
    real = np.concatenate([wc.model().token_features_fast(t)[0] for t in texts])
    assert len(real) > 100
    assert ft.p_swapped(real).tobytes() == ft.p_swapped_numpy(real).tobytes()
    assert ft.p_swapped(np.asfortranarray(real)).tobytes() == \
        ft.p_swapped_numpy(real).tobytes()
    assert ft.p_swapped(real[:0]).shape == (0,)


def _reference(monkeypatch):
    """Switch the word-choice code to its reference path (pure Python, uncached scan)."""
    monkeypatch.setenv("DETECTOR_PURE_PYTHON", "1")
    monkeypatch.setattr(wc, "_scan", lambda text, ft, fast=None: wc._scan_reference(text, ft))


def test_score_texts_equals_reference_on_generated_text(monkeypatch):
    m = wc.model()
    texts = _generated_texts(200, seed=7)
    fast = m.score_texts(texts, 10, -1.0)
    with monkeypatch.context() as mp:
        _reference(mp)
        ref = m.score_texts(texts, 10, -1.0)
    assert fast == ref and any(s is not None for s in fast)


# Pages per dataset of the real-page check (keeps the test under ~20 s on the dev machine).
REAL_PAGES_PER_DATASET = 40


def test_rules_and_scores_equal_reference_on_shared_data(shared_data, monkeypatch):
    from detector.datasets import load
    from detector.pipeline import analyze, prepare
    from detector.readers import ReadError, page_from_bytes
    from detector.rules import spun
    from detector.rules.spun import spun_word_choice

    # A bound low enough that some of these real pages give evidence: at the rule's own bound
    # (5.0) none of them does, and the equality below would be vacuous.
    monkeypatch.setattr(spun, "WORD_CHOICE_MIN_SCORE", 3.0)
    pages, records = [], []
    for name in ("l3s_gn1", "wcxb_dev"):
        for gp in load(name, limit=REAL_PAGES_PER_DATASET):
            rec = page_from_bytes(gp.raw(), source=gp.id, url=gp.url, id=gp.id)
            if isinstance(rec, ReadError):
                continue
            records.append(rec)
            pages.append(prepare(page_from_bytes(gp.raw(), source=gp.id, url=gp.url, id=gp.id)))
    assert len(pages) > 50

    def run():
        return ([list(spun_word_choice(p)) for p in pages],
                [analyze(r) for r in records[:20]])

    evid, results = run()
    with monkeypatch.context() as mp:
        _reference(mp)
        ref_evid, ref_results = run()
    assert evid == ref_evid and sum(map(len, evid)) > 0
    assert [(r.quality, r.label, r.flags, r.text) for r in results] == \
        [(r.quality, r.label, r.flags, r.text) for r in ref_results]


@needs_compiled
def test_hashed_key_lookup_equals_binary_search():
    m = wc.model()
    ft = m._fast_tables()
    rng = np.random.default_rng(2)
    for table, logs in ((m.keys, ft.log_counts), (m.skip_keys, ft.log_skip)):
        hit = rng.integers(0, len(table), 4000)
        a = np.r_[table[hit] // m.v, rng.integers(-2, m.v, 4000), -1, 0]
        b = np.r_[table[hit] % m.v, rng.integers(-2, m.v, 4000), 0, -1]
        got = ft._lookup(table, logs, a, b)
        assert got.tobytes() == ft._lookup_sorted(table, logs, a, b).tobytes()
        assert (got[:4000] > 0).all()
    # A table with repeated keys: the first position's value, as the binary search gives.
    fast = wordchoice_module()
    table = np.array([3, 5, 5, 5, 9, 12], dtype=np.int64)
    logs = np.arange(6, dtype=np.float64) + 0.5
    a, b = np.zeros(7, dtype=np.int64), np.array([3, 5, 9, 12, 4, 0, 13], dtype=np.int64)
    assert fast.KeyTable(table).lookup(logs, a, b, 100).tolist() == \
        [0.5, 1.5, 4.5, 5.5, 0.0, 0.0, 0.0]


def test_pure_python_switch_disables_the_compiled_word_choice_paths(monkeypatch):
    monkeypatch.setenv("DETECTOR_PURE_PYTHON", "1")
    assert wordchoice_module() is None
    ft = wc.model()._fast_tables()
    assert ft._hashed(wc.model().keys) is None
