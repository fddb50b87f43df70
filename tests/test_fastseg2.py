"""Branch `fastseg2`: the faster steps of `detector.extract` give the very values of the
references they replaced (the compiled context columns of page_matrix_and_words, the
article container of the focus step)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector._fast import features_module
from detector.blocks import features as F
from detector.page import Block
from tests.conftest import segmented_pages

PAGES_PER_DATASET = 15  # first pages of every dataset compared (a few seconds)

needs_features = pytest.mark.skipif(features_module() is None,
                                    reason="compiled feature pass not built")


# --- context columns: one compiled loop == the numpy code ---------------------------------

def _context_both_ways(blocks: list[Block], title: str) -> tuple[np.ndarray, np.ndarray]:
    X, _, parents = F.page_matrix_and_words(blocks, title)
    base = X[:, :len(F.BASE_NAMES)]
    fast = F.context_matrix_fast(blocks, base, parents)  # compiled where built
    words = np.expm1(base[:, F._BASE_COL["log_words"]].astype(np.float64))
    ref = F._context_numpy(blocks, base, parents, words,
                           np.zeros((len(blocks), len(F.CONTEXT_NAMES))))
    assert X[:, len(F.BASE_NAMES):].tobytes() == fast.tobytes()
    return fast, ref


_WORDS = st.sampled_from([
    "the", "Related", "news", "more", "stories", "Comments", "reply", "Talkbacks", "2024",
    "12:30", "3/4/2021", "5 hours ago", "#3", "12.", "٣:٤٥", "١٢/٣/٢٠٢١", "Ünïcode", "by",
    "Leave", "a", "latest", "and", "of", "prose", "x" * 12, "\u00a0", "—", "\n"])
_TEXT = st.one_of(st.lists(_WORDS, min_size=1, max_size=6).map(" ".join),
                  st.lists(_WORDS, min_size=30, max_size=80).map(" ".join),
                  st.text(min_size=1, max_size=300).filter(str.strip))
_PATHS = st.sampled_from(["/html/body/div[1]/p[2]", "/html/body/div[1]/p[3]",
                          "/html/body/ul[2]/li[1]", "/html/body/ul[2]/li[7]", "a9", "9", "/p",
                          "line:3", "/html/body/x-y[12]/p[1]", "/html/body/div[1]/div/p[1]"])


@needs_features
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.builds(
    lambda t, path, link: Block(index=0, text=t, path=path, tag="p", tokens=(),
                                link_chars=len(t) * link // 4, depth=path.count("/")),
    _TEXT, _PATHS, st.integers(0, 4)), min_size=1, max_size=80))
def test_compiled_context_columns_equal_numpy_on_generated_pages(blocks):
    for i, b in enumerate(blocks):
        b.index = i
    fast, ref = _context_both_ways(blocks, "")
    assert fast.dtype == ref.dtype == np.float32 and fast.tobytes() == ref.tobytes()
    # and the per-block loop the numpy code replaced
    assert fast.tobytes() == F.context_matrix(blocks, F.page_matrix(blocks)[
        :, :len(F.BASE_NAMES)]).tobytes()


@needs_features
def test_compiled_context_columns_on_one_block_and_long_runs():
    one = [Block(index=0, text="Comments", path="/html/body/p[1]", tag="p")]
    fast, ref = _context_both_ways(one, "")
    assert fast.tobytes() == ref.tobytes()
    assert fast[0, F.CONTEXT_NAMES.index("sec_comment_header")] == 1
    run = [Block(index=i, text="a teaser link " * (i % 5 + 1), path=f"/html/body/ul/li[{i}]",
                 tag="li", link_chars=5 * (i % 3)) for i in range(200)]
    fast, ref = _context_both_ways(run, "")
    assert fast.tobytes() == ref.tobytes()
    assert fast[0, F.CONTEXT_NAMES.index("run_len")] == np.float32(np.log1p(200))


@needs_features
def test_compiled_context_columns_equal_numpy_on_shared_data(shared_data):
    checked = 0
    for page in segmented_pages(PAGES_PER_DATASET):
        fast, ref = _context_both_ways(page.blocks, page.title)
        assert fast.tobytes() == ref.tobytes(), page.source
        checked += 1
    assert checked > 50


# --- focus step: the article container, prefixes once per parent ---------------------------

_SEGMENT = st.text(alphabet="/abp[]12", max_size=6)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.lists(_SEGMENT, max_size=7).map("/".join),
                          st.text(alphabet="a b\n", max_size=14)), max_size=10))
def test_article_container_equals_the_reference(items):
    from detector.boilerplate import _article_container, _article_container_reference

    anchors = [Block(index=i, text=t, path=p, tag="p") for i, (p, t) in enumerate(items)]
    want = _article_container_reference(anchors)
    assert _article_container(anchors) == want
    assert _article_container(anchors, [len(b.text.split()) for b in anchors]) == want


def test_article_container_on_a_page_shape():
    from detector.boilerplate import _article_container

    body = "/html/body/div[2]/article[1]"
    anchors = ([Block(index=i, text="word " * 50, path=f"{body}/p[{i}]", tag="p")
                for i in range(6)]
               + [Block(index=9, text="word " * 40, path="/html/body/aside[1]/p[1]", tag="p")])
    assert _article_container(anchors) == body + "/"
    assert _article_container([]) is None
    assert _article_container([Block(index=0, text="x y", path="/html/p[1]")]) is None


def test_article_container_equals_the_reference_on_shared_data(shared_data):
    from detector.blocks.model import shipped_model
    from detector.boilerplate import (ANCHOR_P, ARTICLE_KINDS, _article_container,
                                      _article_container_reference, classify_blocks)

    if shipped_model() is None:
        pytest.skip("no shipped block model")
    checked = 0
    for page in segmented_pages(PAGES_PER_DATASET):
        classify_blocks(page)
        for cut in (0.0, ANCHOR_P):  # every block, and the anchors of the focus step
            anchors = [b for b in page.blocks if b.kind in ARTICLE_KINDS
                       and b.features.get("p_article", 0.0) >= cut]
            assert _article_container(anchors) == _article_container_reference(anchors)
        checked += 1
    assert checked > 50


# --- page type: the price regex skipped where it cannot match ------------------------------

@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([
    "$", "€", "£", "¥", " ", "5", "٣", "eur", "usd", "euro", "add to ", "cart", "bag", "in ",
    "out of ", "stock", "warenkorb", "sku", "free shipping", "quantity", "x", "add", "to",
    "free", "shipping", "quant", "ity", "EUR", "SKU", ".", "-"]), max_size=12).map("".join)
    | st.text(max_size=40))
def test_price_count_equals_the_regex(text):
    from detector.blocks.page_type import _PRICE, _price_count

    low = text.lower()  # page_features reads the lower-cased text
    assert _price_count(low) == len(_PRICE.findall(low))


# --- block pass: cue bits of short ASCII blocks read in C ----------------------------------

def _cue_words() -> list[str]:
    return sorted({w for k in F._CUE_BITS for w in k.split(" ")})


@needs_features
@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(
    st.tuples(st.sampled_from(["", "(", "'", '"', "-", "|", "[", "..."]),
              st.sampled_from(_cue_words() + ["READ", "More", "x", "-", "(", "", "»"]),
              st.sampled_from(["", ".", ",", ")", "!", "?", ":", "-", "'s", "|"])).map("".join),
    st.sampled_from([" ", "  ", "\t", "\n", "\x1c", "\x0b"])), max_size=16).map(
        lambda pairs: "".join(w + s for w, s in pairs))
    | st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_cue_bits_equal_the_reference(win):
    from detector._fast import features as fm

    if win.isascii():
        want = F._cue_bits(win.lower().split()[:F.PATTERN_WORDS])
        assert fm.ascii_cue_bits(win, F.PATTERN_WORDS) == want


@needs_features
def test_ascii_cue_bits_find_every_ascii_cue():
    from detector._fast import features as fm

    found = 0
    for cue, bits in F._CUE_BITS.items():
        if cue.isascii():
            for win in (cue, cue.upper(), f"({cue}).", f"x {cue} y"):
                assert fm.ascii_cue_bits(win, F.PATTERN_WORDS) == F._cue_bits(
                    win.lower().split()[:F.PATTERN_WORDS])
            # (a cue ending in a stripped character, "says:", is never found by either)
            found += fm.ascii_cue_bits(cue, F.PATTERN_WORDS) & bits == bits
    assert found > 50
