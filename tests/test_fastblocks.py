"""The compiled block pass writing straight into arrays (`block_pass_arrays`, branch
`fastblocks`) gives bit-for-bit the arrays page_matrix_and_words makes of the Python
reference's lists."""

from __future__ import annotations

import numpy as np
import pytest

from detector._fast import features_module

WALK_PAGES = 20  # first pages of every dataset compared (a few seconds)


def _fm():
    return features_module()


needs_features = pytest.mark.skipif(_fm() is None, reason="compiled feature pass not built")


def _assert_same_arrays(blocks, title):
    from detector.blocks.features import block_pass

    ref = block_pass(blocks, title)
    got = _fm().block_pass_arrays(blocks, title)
    base = got[0]
    want = np.array(ref[0], dtype=np.float64)
    assert base.dtype == np.float64 and base.shape == want.shape
    # Bit-identical, not just equal: compare the raw bytes too (-0.0 vs 0.0 would differ).
    assert base.tobytes() == want.tobytes()
    for k in range(1, 5):
        arr = got[k]
        assert arr.dtype == np.int64
        assert arr.tolist() == ref[k]
    assert got[5:] == ref[5:]  # signatures, their counts, paths


@needs_features
def test_block_pass_arrays_equals_python_on_generated_blocks():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from detector.page import Block

    words = st.sampled_from(["the", "Related", "posts", "2024", "By", "Jane", "comments",
                             "Ünïcode", "ΑΒΓ", "АБВ", "ÀÖØÞ", "x.", "?", "a,b;c:d!", "©",
                             "—", "\u00a0", "\u2003", "\t", "\n", "\x1c", "reply", "and",
                             "٣٤", "İstanbul", "ß", "ﬁ"])
    text = st.one_of(st.lists(words, min_size=1, max_size=80).map(" ".join),
                     st.text(min_size=1, max_size=600).filter(lambda t: t.strip()))
    block = st.builds(
        lambda i, t, tag, toks, head, path, lc: Block(
            index=i, text=t, path=path, tag=tag, tokens=toks, link_chars=lc,
            depth=i % 9, heading=head, hrefs=("/a",) * (i % 4)),
        st.integers(0, 60), text,
        st.sampled_from(["p", "div", "li", "h2", "title", "span", "x-y", "td"]),
        st.lists(st.sampled_from(["nav", "main-content", "related", "comment", "x", "ad"]),
                 max_size=50).map(tuple),
        st.sampled_from(["", "Related posts", "Leave a reply", "Héading", "COMMENTS"]),
        st.sampled_from(["/html/body/div[1]/p[2]", "/html/body/div[2]/p[1]", "line:3",
                         "/html/body/x-y[12]/p[1]", "[]", "9"]) | st.text(max_size=30),
        st.integers(0, 10_000))

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(block, min_size=1, max_size=10),
           st.sampled_from(["", "The Title here", "Ünïcode title ΑΒΓ"]))
    def check(blocks, title):
        _assert_same_arrays(blocks, title)

    check()


@needs_features
def test_block_pass_arrays_and_page_matrix_equal_python_on_shared_data(shared_data):
    from detector.blocks import features as F
    from detector.datasets import DATASETS, load
    from detector.readers import page_from_bytes
    from detector.segment import segment

    checked = 0
    for name in DATASETS:
        for gp in load(name, limit=WALK_PAGES):
            page = segment(page_from_bytes(gp.raw(), source=gp.id))
            if not page.blocks:
                continue
            _assert_same_arrays(page.blocks, page.title)
            X, words, parents = F.page_matrix_and_words(page.blocks, page.title)
            kernel, F._compiled_module = F._compiled_module, lambda: None
            try:
                ref, ref_words, ref_parents = F.page_matrix_and_words(page.blocks, page.title)
            finally:
                F._compiled_module = kernel
            assert X.dtype == ref.dtype == np.float32
            assert X.tobytes() == ref.tobytes()
            assert words == ref_words and parents == ref_parents
            checked += 1
    assert checked > 50
