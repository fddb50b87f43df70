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


# --- default_account_author / bare_author_box: only the blocks that can match are read -------

_SHORT = st.sampled_from(["About admin", "about ADMIN", "About the author: Webmaster", "By",
                          "Posted by", "admin", " Admin ", "WPADMIN", "Site Editor", "editor",
                          "About Editor", "About Lionel Messi", "About Jane Doe", "Author",
                          "administrator", "site admin", "Ed\u0130tor", "\u212aeditor",
                          "About admin\u03a3", "Check Also", "", "About  Webmaster ", "About"])
_KINDS = st.sampled_from(["content", "author", "title", "navigation", "footer", "unknown"])


def _page_of(items: list[tuple[str, str, int]]):
    from detector.page import Block, Page

    blocks = [Block(index=i, text=t, path=f"line:{i}", kind=k, link_chars=lc)
              for i, (t, k, lc) in enumerate(items)]
    return Page(source="t", url="https://trendbuzz.example/a/",
                text="\n".join(t for t, _, _ in items), blocks=blocks)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_SHORT | st.text(max_size=40), _KINDS, st.integers(0, 3)),
                max_size=12))
def test_default_account_author_equals_the_loop_over_every_block(items):
    from detector.rules import credits
    from detector.rules._util import rule_pass

    page = _page_of(items)
    want = list(credits._default_account_author_reference(page))
    assert list(credits.default_account_author(page)) == want
    with rule_pass(page):  # and as the rule pass serves the shared views
        assert list(credits.default_account_author(page)) == want


def test_account_names_are_found_by_their_keywords():
    """A block can be signed only by a name that lowers to one of _ACCOUNTS_SIGNED; each of
    those holds a keyword, and only ASCII letters (and the Kelvin sign, 'k': in none of the
    names) lower to ASCII letters, so the name's lowered text is in the block's."""
    from detector.rules import credits

    for name in credits._ACCOUNTS_SIGNED | credits._ACCOUNTS:
        assert any(k in name for k in credits._ACCOUNT_KEYWORDS)
    to_ascii = {c for c in map(chr, range(0x110000))
                if c.lower().isascii() and c.lower().isalpha() and not c.isascii()}
    assert to_ascii == {"\u212a"}
    assert not any("k" in name for name in credits._ACCOUNTS_SIGNED)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_SHORT | st.text(max_size=40), _KINDS, st.integers(0, 40)),
                max_size=12))
def test_bare_author_box_equals_the_loop_over_every_block(items):
    """The rule reading only blocks starting with "A" finds what it found reading them all
    (the reference: blocks_starting_with patched to give every block)."""
    from unittest import mock

    from detector.rules import credits

    page = _page_of(items)
    got = list(credits.bare_author_box(page))
    with mock.patch.object(credits, "blocks_starting_with", lambda p, chars: list(p.blocks)):
        want = list(credits.bare_author_box(page))
    assert got == want


# --- embedding_rows: the compiled vectors and contexts equal numpy's bit for bit --------------


@needs_wordchoice
@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 300), max_size=5), st.integers(0, 2**32 - 1), st.booleans())
def test_embedding_rows_compiled_equals_numpy(sizes, seed, real_emb):
    """Blocks of 0-300 rows (numpy's pairwise sums: under 8, up to 128, and split above),
    words with and without a vector, originals of some rows."""
    rng = np.random.default_rng(seed)
    if real_emb:
        emb = W.model().emb
    else:  # like the shipped vectors: int8 / 127, some rows zero
        emb = rng.integers(-127, 128, size=(500, 16)).astype(np.float32) / W.EMB_QUANT
        emb[rng.random(500) < 0.1] = 0
    nv = emb.shape[0]
    n = sum(sizes)
    cids = rng.integers(-1, nv + 3, size=n).astype(np.int64)
    bounds = np.cumsum([0, *sizes]).astype(np.int64)
    has = rng.random(n) < 0.4
    per = rng.integers(1, 6, size=n)
    row_of_orig = np.repeat(np.flatnonzero(has), per[has]).astype(np.int64)
    orig_ids = rng.integers(-1, nv + 2, size=len(row_of_orig)).astype(np.int64)
    fast = wordchoice_module()
    got = W.embedding_rows(emb, cids, bounds, row_of_orig, orig_ids, fast)
    want = W.embedding_rows(emb, cids, bounds, row_of_orig, orig_ids)
    assert got.tobytes() == want.tobytes()
    if n:
        for a, b in zip(fast.embedding_context(emb, cids, bounds, W.EMB_LOCAL),
                        W._embedding_context_numpy(emb, cids, bounds)):
            assert a.tobytes() == b.tobytes()


@needs_wordchoice
def test_embedding_rows_on_real_blocks(shared_data):
    from tests.conftest import segmented_pages

    m = W.model()
    ft = m._fast_tables()
    fast = wordchoice_module()
    big, skip, books = ft.packed(fast)
    n = 0
    for page in segmented_pages(8):
        scans = [W._scan(b.text, ft, fast) for b in page.blocks if len(b.text) >= 150][:8]
        _, _, x, bounds, r, o_ids = fast.count_features(
            scans, ft.subs_tuples, ft.start_id, big, skip, ft.log_uni, W.NOT_A_PICK,
            len(W.TOKEN_FEATURES), books, ft.books_log_uni, W._BOOKS)
        got = W.embedding_rows(m.emb, x, bounds, r, o_ids, fast)
        assert got.tobytes() == W.embedding_rows(m.emb, x, bounds, r, o_ids).tobytes()
        n += len(x)
    assert n > 1000
