"""Branch spun3 (issue 4): the block features of spun_word_choice, compiled equals numpy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector._fast import wordchoice_module
from detector.rules import _wordchoice as W

needs_wordchoice = pytest.mark.skipif(wordchoice_module() is None or W.model() is None,
                                      reason="compiled wordchoice module or model absent")


def _compiled(lex, default, scans, cids, bounds, r, o):
    rows = np.full((len(cids), 5), 7.0)  # columns 1..3 are written, the others kept
    wordchoice_module().block_rows(rows, 1, scans, lex, default, cids, bounds, r, o)
    assert (rows[:, 0] == 7.0).all() and (rows[:, 4] == 7.0).all()
    return rows[:, 1:4]


@needs_wordchoice
@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(0, 12), min_size=1, max_size=5), seed=st.integers(0, 10_000))
def test_block_rows_compiled_equals_numpy(sizes, seed):
    rng = np.random.default_rng(seed)
    vocab = ["w%d" % i for i in range(8)]
    lex = {w: float(rng.normal()) for w in vocab[:5]}
    words = [vocab[i] for i in rng.integers(0, 8, size=sum(sizes))]
    cids = np.array([int(w[1:]) if w != "w7" else -1 for w in words], dtype=np.int64)
    bounds = np.cumsum([0] + sizes).astype(np.int64)
    scans, k = [], 0
    for n in sizes:
        scans.append(([], [(j, w) for j, w in enumerate(words[k:k + n])]))
        k += n
    r = np.sort(rng.integers(0, max(len(cids), 1), size=2 * len(cids))).astype(np.int64)
    o = rng.integers(-1, 8, size=len(r)).astype(np.int64)
    want = W.block_rows(lex, -1.5, words, cids, bounds, r, o)
    got = _compiled(lex, -1.5, scans, cids, bounds, r, o)
    assert got.tobytes() == want.tobytes()


@needs_wordchoice
def test_block_rows_on_real_blocks(shared_data):
    from tests.conftest import segmented_pages

    m = W.model()
    ft = m._fast_tables()
    fast = wordchoice_module()
    big, skip, books = ft.packed(fast)
    n = flagged = 0
    for page in segmented_pages(8):
        scans = [W._scan(b.text, ft, fast) for b in page.blocks if len(b.text) >= 150][:8]
        _, _, x, bounds, r, o_ids = fast.count_features(
            scans, ft.subs_tuples, ft.start_id, big, skip, ft.log_uni, W.NOT_A_PICK,
            len(W.TOKEN_FEATURES), books, ft.books_log_uni, W._BOOKS)
        words = [w for _, c in scans for _, w in c]
        want = W.block_rows(m.lex, m.lex_default, words, x, bounds, r, o_ids)
        got = _compiled(m.lex, m.lex_default, scans, x, bounds, r, o_ids)
        assert got.tobytes() == want.tobytes()
        n += len(x)
        flagged += int(want[:, 1].sum())
    assert n > 1000 and flagged > 0
