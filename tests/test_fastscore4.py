"""Branch fastscore4 (issue 7): cheaper score-only steps that must give the same values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector._fast import wordchoice_module
from detector.rules import _wordchoice as W

needs_wordchoice = pytest.mark.skipif(wordchoice_module() is None or W.model() is None,
                                      reason="compiled wordchoice module or model absent")


def _phrase_words(m: W.WordChoiceModel) -> list[int]:
    """Word ids of the phrase substitutes' words (so generated runs do form phrases)."""
    out: set[int] = set()
    for n, (keys, _, _) in m._phrases.items():
        for key in keys[:400].tolist():
            for _ in range(n):
                out.add(key % m.v)
                key //= m.v
    return sorted(out)


# --- phrase_rows: the compiled pass equals the numpy reference -----------------------------


@needs_wordchoice
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_phrase_rows_compiled_equals_numpy(data):
    m = W.model()
    words = _phrase_words(m)
    pool = st.one_of(st.sampled_from(words), st.integers(-1, m.v - 1),
                     st.sampled_from([-1, m._id("<s>"), m._id("<num>")]))
    scans = []
    for _ in range(data.draw(st.integers(0, 4))):
        ids = data.draw(st.lists(pool, max_size=40))
        idx = data.draw(st.lists(st.integers(0, max(len(ids) - 1, 0)), unique=True,
                                 max_size=len(ids))) if ids else []
        scans.append((ids, [(i, "w") for i in sorted(idx)]))
    fast = wordchoice_module()
    got = m.phrase_rows(scans, fast)
    want = m.phrase_rows_numpy(scans)
    assert got.shape == want.shape
    assert got.tobytes() == want.tobytes()


@needs_wordchoice
def test_phrase_rows_finds_phrases_and_keeps_the_largest_run():
    """A made-up block holding phrase substitutes of 2 and 3 words, overlapping: rows equal
    the reference's and some are non-zero (the test can fail)."""
    m = W.model()
    phrases = []
    for n, (keys, _, _) in m._phrases.items():
        for key in keys[:30].tolist():
            ids = []
            for _ in range(n):
                ids.append(key % m.v)
                key //= m.v
            phrases.append(ids[::-1])
    ids: list[int] = []
    for i, p in enumerate(phrases):
        ids += p if i % 3 else p[:-1] + phrases[i - 1]  # some runs overlap
        ids.append(m._id("the"))
    scans = [(ids, [(i, "w") for i in range(len(ids))])]
    got = m.phrase_rows(scans, wordchoice_module())
    assert got.tobytes() == m.phrase_rows_numpy(scans).tobytes()
    assert (got[:, 1] == 1.0).sum() > 20


@needs_wordchoice
def test_phrase_rows_on_real_blocks(shared_data):
    from tests.conftest import segmented_pages

    m = W.model()
    ft = m._fast_tables()
    fast = wordchoice_module()
    n = 0
    for page in segmented_pages(8):
        scans = [W._scan(b.text, ft, fast) for b in page.blocks if len(b.text) >= 150][:8]
        got = m.phrase_rows(scans, fast)
        assert got.tobytes() == m.phrase_rows_numpy(scans).tobytes()
        n += int((got[:, 1] > 0).sum())
    assert n > 0


# --- _SubsCache: misses are stored (as None) and the cache is bounded ------------------------


def test_subs_cache_stores_misses_and_starts_afresh_past_its_bound(monkeypatch):
    m = W.model()
    if m is None:
        pytest.skip("word-choice model absent")
    cache = W._SubsTuples(m)
    synonym = next(w for w, o in m.subs.items() if any(" " not in x for x in o))
    assert cache["qqqnotaword"] is None and "qqqnotaword" in cache
    fresh = W._SubsTuples(m)
    assert cache[synonym] == fresh[synonym] is not None
    monkeypatch.setattr(W, "SCAN_CACHE_MAX", 3)
    for w in ("xa", "xb", "xc", "xd", "xe"):
        cache[w]
    assert len(cache) <= 4
    assert cache[synonym] == fresh[synonym]


# --- score_texts: suspects located only where asked, scores unchanged ------------------------

_SPUN = ("The Japanese government revealed a major defence service in December, including "
         "double disbursement to 2 percent of gdp by 2027 and designating China as the "
         "superlative strategic challenge ever to Japan's security. Kishida's diplomatic "
         "efforts this week reflect that Japan's national defence cannot be through with by "
         "Japan lonely, said a professor who analyzes crisis management.")
_CLEAN = ("The city council voted on Tuesday to approve the budget for next year, after a "
          "long debate about schools and roads. The mayor said the plan would keep taxes "
          "level while hiring more teachers for the district and repairing bridges.")


def test_score_texts_locates_suspects_only_in_the_blocks_asked_for():
    m = W.model()
    if m is None:
        pytest.skip("word-choice model absent")
    texts = [_SPUN, _CLEAN, _SPUN[:200], _SPUN + " " + _SPUN]
    full = m.score_texts(texts, 10)
    part = m.score_texts(texts, 10, locate_min_words=25, locate_min_score=4.0)
    assert any(b is not None and b.suspects for b in full)
    for a, b in zip(full, part):
        assert (a is None) == (b is None)
        if a is None:
            continue
        assert (a.score, a.content_words) == (b.score, b.content_words)
        if a.content_words >= 25 and a.score >= 4.0:
            assert a.suspects == b.suspects
        else:
            assert b.suspects == ()
