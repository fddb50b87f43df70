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
    # Long ASCII texts take the compiled word path (lower-casing, stopword and title look-ups
    # in C): mixed case, every ASCII whitespace str.split knows, title and stopwords.
    ascii_words = st.sampled_from(["the", "THE", "The", "and", "of", "Title", "HERE", "here",
                                   "kelvin", "KELVIN", "news,", "a", "I", "über"[1:], "x" * 40,
                                   "2024", "Zz", "by", "Von", "de", "LA", "it's"])
    seps = st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f"])
    ascii_text = st.lists(st.tuples(ascii_words, seps), min_size=30, max_size=150).map(
        lambda ws: "".join(w + s for w, s in ws).strip() or "x")
    text = st.one_of(st.lists(words, min_size=1, max_size=80).map(" ".join),
                     st.text(min_size=1, max_size=600).filter(lambda t: t.strip()),
                     ascii_text)
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
           st.sampled_from(["", "The Title here", "Ünïcode title ΑΒΓ", "the the THE",
                            "\u212aelvin news here", "x"]))
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


@needs_features
def test_compiled_ascii_path_finds_every_stopword_in_any_case():
    from detector.blocks import features as F
    from detector.page import Block

    ascii_stop = sorted(w for w in F.STOPWORDS if w.isascii())
    assert len(ascii_stop) > 100
    blocks = []
    for k in range(0, len(ascii_stop), 60):
        chunk = ascii_stop[k:k + 60]
        text = " ".join(w.upper() if i % 2 else w for i, w in enumerate(chunk)) + " zzqx"
        text = text.ljust(F.PATTERN_MAX_CHARS + 1, "y")  # long: the compiled word path
        blocks.append(Block(index=len(blocks), text=text, path="/html/body/p", tag="p"))
    _assert_same_arrays(blocks, "Zzqx " + ascii_stop[0])
    base = _fm().block_pass_arrays(blocks, "")[0]
    words = [len(b.text[:F.SAMPLE_CHARS].split()) for b in blocks]
    stops = [sum(w.lower() in F.STOPWORDS for w in b.text[:F.SAMPLE_CHARS].split())
             for b in blocks]
    assert all(s > 0 for s in stops)
    assert base[:, 3].tolist() == [s / n for s, n in zip(stops, words)]
