"""The faster Python paths of branch fastpath2 give exactly what their references give:
`context_matrix_fast` == `context_matrix`, the vectorised typing of `_classify_learned` ==
`_classify_learned_reference`, `page_type.page_features` with the block word counts given ==
without them."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from detector.blocks import features as F
from detector.page import Block
from tests.conftest import segmented_pages

PAGES_PER_DATASET = 40  # first pages of every dataset of ../shared/data


def _context_pair(blocks: list[Block], title: str) -> tuple[np.ndarray, np.ndarray]:
    X = F.page_matrix(blocks, title)
    base = X[:, :len(F.BASE_NAMES)]
    sigs = F.block_pass(blocks, title)[5]
    parents = F.parent_signatures(blocks, sigs)
    assert parents == [b.path[:b.path.rfind("/")].translate(F._SIG_TABLE) for b in blocks]
    ref = F.context_matrix(blocks, base)
    fast = F.context_matrix_fast(blocks, base, parents)
    assert np.array_equal(X[:, len(F.BASE_NAMES):], fast)  # page_matrix uses the fast one
    return ref, fast


def test_context_matrix_fast_equals_reference_on_generated_blocks():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    words = st.sampled_from([
        "the", "Related", "news", "more", "stories", "Comments", "reply", "Talkbacks", "2024",
        "12:30", "3/4/2021", "5 hours ago", "#3", "12.", "٣:٤٥", "١٢/٣/٢٠٢١", "Ünïcode", "by",
        "Leave", "a", "latest", "and", "of", "prose", "x" * 12, "\u00a0", "—", "\n"])
    short = st.lists(words, min_size=1, max_size=6).map(" ".join)
    prose = st.lists(words, min_size=30, max_size=80).map(" ".join)
    text = st.one_of(short, prose, st.text(min_size=1, max_size=300).filter(str.strip))
    paths = st.sampled_from(["/html/body/div[1]/p[2]", "/html/body/div[1]/p[3]",
                             "/html/body/ul[2]/li[1]", "/html/body/ul[2]/li[7]", "a9", "9",
                             "/p", "line:3", "/html/body/x-y[12]/p[1]"])
    block = st.builds(
        lambda i, t, path, link: Block(index=i, text=t, path=path, tag="p", tokens=(),
                                       link_chars=len(t) * link // 4, depth=path.count("/")),
        st.integers(0, 500), text, paths, st.integers(0, 4))

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(block, min_size=1, max_size=80))
    def check(blocks):
        ref, fast = _context_pair(blocks, "")
        assert ref.dtype == fast.dtype == np.float32 and np.array_equal(ref, fast)

    check()


def test_context_sections_open_and_close_like_the_reference():
    # A related title, a run of links, then prose (closes it); a comments title much later.
    texts = (["Related stories"] + ["a teaser link"] * 30 + ["word " * 40] + ["Comments"]
             + ["12:30 nice post"] * 160)
    blocks = [Block(index=i, text=t.strip(), path=f"/html/body/div[{i % 3}]/p[{i}]", tag="p",
                    link_chars=len(t) if t == "a teaser link" else 0)
              for i, t in enumerate(texts)]
    ref, fast = _context_pair(blocks, "")
    assert np.array_equal(ref, fast)
    sec_rel = fast[:, F.CONTEXT_NAMES.index("sec_related")]
    assert sec_rel[0] == 1 and sec_rel[25] == 1 and sec_rel[26] == 0  # RELATED_REACH = 25
    sec_com = fast[:, F.CONTEXT_NAMES.index("sec_comment")]
    assert sec_com[32] == 1 and sec_com[-1] == 0  # past COMMENT_REACH
    assert fast[40, F.CONTEXT_NAMES.index("has_datetime")] == 1


def test_context_matrix_fast_equals_reference_on_shared_data(shared_data):
    checked = 0
    for page in segmented_pages(PAGES_PER_DATASET):
        ref, fast = _context_pair(page.blocks, page.title)
        assert np.array_equal(ref, fast), page.source
        checked += 1
    assert checked > 50


def test_vectorised_typing_equals_reference_on_shared_data(shared_data):
    from detector import boilerplate as B
    from detector.blocks.model import shipped_model
    from detector.blocks.page_type import page_features

    model = shipped_model()
    if model is None:
        pytest.skip("no shipped block model")
    checked = 0
    for page in segmented_pages(PAGES_PER_DATASET):
        ref = copy.deepcopy(page)
        B._classify_learned(page, model)
        B._classify_learned_reference(ref, model)
        assert [(b.kind, b.confidence, b.features) for b in page.blocks] == \
            [(b.kind, b.confidence, b.features) for b in ref.blocks], page.source
        words = [len(b.text.split()) for b in page.blocks]
        assert page_features(page, words) == page_features(page), page.source
        checked += 1
    assert checked > 50


def test_first_max_keeps_the_first_on_ties():
    from detector.boilerplate import _first_max

    p = np.array([[0.2, 0.2, 0.1], [0.1, 0.3, 0.3], [0.1, 0.2, 0.7], [0.5, 0.1, 0.5]])
    best, top = _first_max(p, [0, 1, 2])
    cands = range(3)
    assert best.tolist() == [max(cands, key=lambda k: row[k]) for row in p.tolist()]
    assert top.tolist() == [0.2, 0.3, 0.7, 0.5]


def test_token_mask_equals_reference():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    stems = sorted({s for v in F.HINTS.values() for s in v})
    part = st.sampled_from(stems + ["x", "-", "_", "1", "é", "Nav", "AD"]) | st.text(max_size=4)
    token = st.lists(part, max_size=5).map("".join)

    @settings(max_examples=2000, deadline=None)
    @given(token)
    def check(tok):
        assert F._token_mask(tok) == F._token_mask_reference(tok)

    check()
    for tok in stems + ["", "ad", "adx", "xad", "gpt-slot", "sidebar-widget", "comments"]:
        assert F._token_mask(tok) == F._token_mask_reference(tok)
