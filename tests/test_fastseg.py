"""Branch `fastseg`: the faster data path of `detector.extract` gives the very values of the
references it replaced (compiled forest step, per-token hint masks, compiled base columns of
page_matrix_and_words, one-pass page-type features, the LEGAL_LINE pre-test)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector._fast import features_module, forest_module

PAGES_PER_DATASET = 15  # first pages of every dataset compared (a few seconds)

needs_features = pytest.mark.skipif(features_module() is None,
                                    reason="compiled feature pass not built")
needs_forest = pytest.mark.skipif(forest_module() is None, reason="compiled forest not built")


# --- forest: four rows a tree, branch-free steps ------------------------------------------

@needs_forest
def test_forest_add_raw_equals_the_branching_reference_bit_for_bit():
    from detector.blocks.model import shipped_model

    model = shipped_model()
    if model is None:
        pytest.skip("no shipped block model")
    rng = np.random.default_rng(7)
    for ff in (model._article, model._kind):
        forest = ff._compiled
        assert forest is not None
        k, d = len(ff._baseline), forest.n_features
        for n in (0, 1, 3, 4, 5, 8, 11, 64):  # the 4-row groups and the rows left over
            X = rng.normal(0.0, 2.0, size=(n, d))
            X[rng.random((n, d)) < 0.2] = np.nan  # missing values both ways
            X[rng.random((n, d)) < 0.1] = 0.0
            got, want = np.zeros((k, n)), np.zeros((k, n))
            forest.add_raw(X, got)
            forest.add_raw_reference(X, want)
            assert got.tobytes() == want.tobytes()


@needs_forest
def test_forest_add_raw_on_a_fitted_model_with_missing_values():
    from sklearn.ensemble import HistGradientBoostingClassifier

    from detector.blocks.model import FastForest

    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 5))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1).astype(int)
    X[rng.random(X.shape) < 0.15] = np.nan
    hgb = HistGradientBoostingClassifier(max_iter=15, random_state=0).fit(X, y)
    ff = FastForest(hgb)
    assert ff._compiled is not None
    for n in (1, 6, 37):
        Xt = np.ascontiguousarray(X[:n])
        got, want = np.zeros((3, n)), np.zeros((3, n))
        ff._compiled.add_raw(Xt, got)
        ff._compiled.add_raw_reference(Xt, want)
        assert got.tobytes() == want.tobytes()
        np.testing.assert_allclose(ff.predict_proba(Xt), hgb.predict_proba(Xt), rtol=1e-12)


# --- hint masks from a per-token dict ----------------------------------------------------

@needs_features
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["nav", "main-content", "related", "comment", "x", "ad",
                                 "adx", "footer", "sidebar", "Ünï", "", "share", "tabs"])
                | st.text(max_size=12), max_size=40).map(tuple),
       st.integers(0, 45))
def test_token_masks_equal_the_cached_tuple_masks(tokens, near):
    from detector.blocks import features as F

    assert features_module().masks_of(tokens, near) == (F._mask(tokens),
                                                         F._mask(tokens[-near:]))


# --- base columns of page_matrix_and_words -------------------------------------------------

def _matrix_both_ways(blocks, title):
    """page_matrix_and_words compiled (`assemble_base`), and pure Python (the numpy columns
    of `_base_columns` on the reference block pass, which gives the same arrays)."""
    from detector.blocks import features as F

    got = F.page_matrix_and_words(blocks, title)
    kernel = F._compiled_module
    F._compiled_module = lambda: None
    try:
        ref = F.page_matrix_and_words(blocks, title)
    finally:
        F._compiled_module = kernel
    return got, ref


@needs_features
def test_compiled_base_columns_equal_numpy_on_generated_pages():
    from detector.page import Block

    text = st.one_of(
        st.lists(st.sampled_from(["the", "Related", "posts", "2024", "By", "©", "x.", "?",
                                  "comments", "ΑΒΓ", "\u00a0", "reply", "and", "٣٤"]),
                 min_size=1, max_size=90).map(" ".join),
        st.text(min_size=1, max_size=500).filter(lambda t: t.strip()))
    block = st.builds(
        lambda t, tag, toks, head, path, lc, depth, nh: Block(
            index=0, text=t, path=path, tag=tag, tokens=toks, link_chars=lc, depth=depth,
            heading=head, hrefs=("/a",) * nh),
        text, st.sampled_from(["p", "div", "li", "h2", "title", "span", "x-y", "td", "br"]),
        st.lists(st.sampled_from(["nav", "main-content", "related", "comment", "x", "ad"]),
                 max_size=12).map(tuple),
        st.sampled_from(["", "Related posts", "Leave a reply", "COMMENTS"]),
        st.sampled_from(["/html/body/div[1]/p[2]", "/html/body/div[2]/p[1]", "line:3",
                         "/html/body/div[1]/p[3]", "/html/body/ul[1]/li[4]", "[]"]),
        st.integers(0, 3000), st.integers(0, 40), st.integers(0, 5))

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(block, min_size=1, max_size=12),  # 1-3 rows: the neighbour edge cases
           st.sampled_from(["", "The Title here", "x"]))
    def check(blocks, title):
        for i, b in enumerate(blocks):
            b.index = i
        (X, words, parents), (ref, ref_words, ref_parents) = _matrix_both_ways(blocks, title)
        assert X.dtype == ref.dtype == np.float32 and X.shape == ref.shape
        assert X.tobytes() == ref.tobytes()
        assert words == ref_words and parents == ref_parents

    check()


# --- page type features in one pass -------------------------------------------------------

def _pages(limit):
    from detector.datasets import DATASETS, load
    from detector.readers import page_from_bytes

    for name in DATASETS:
        for gp in load(name, limit=limit):
            page = page_from_bytes(gp.raw(), source=gp.id, url=gp.url)
            if getattr(page, "html", None) is not None:
                yield page


def test_page_features_equal_the_reference_on_shared_data(shared_data):
    from detector.blocks.page_type import page_features, page_features_reference
    from detector.boilerplate import classify_blocks
    from detector.segment import segment

    checked = 0
    for page in _pages(PAGES_PER_DATASET):
        classify_blocks(segment(page))
        words = [len(b.text.split()) for b in page.blocks]
        assert page_features(page, words) == page_features_reference(page, words)
        assert page_features(page) == page_features_reference(page)
        checked += 1
    assert checked > 50


def test_page_features_equal_the_reference_on_hand_made_pages():
    from detector.blocks.page_type import page_features, page_features_reference
    from detector.page import Block, Page

    kinds = ["content", "caption", "title", "comments", "related", "navigation"]
    tags = ["title", "p", "li", "h2", "h3", "h4", "div"]
    rng = np.random.default_rng(1)
    for n in (0, 1, 5, 40):
        page = Page(source="x", html="<p>", url="https://a.b/2020/05/x", title="Docs")
        page.meta["og:type"] = "article"
        for i in range(n):
            text = " ".join(["word"] * int(rng.integers(1, 900))) + " $5 add to cart"
            page.blocks.append(Block(index=i, text=text, path="/p", tag=tags[i % len(tags)],
                                     kind=kinds[int(rng.integers(len(kinds)))],
                                     link_chars=int(rng.integers(0, 50)), depth=i % 3,
                                     tokens=("a",) * (i % 2)))
        assert page_features(page) == page_features_reference(page)


# --- boilerplate_kind: LEGAL_LINE searched only where it can match -------------------------

@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("copyrightCOPYRIGHTal sedvALSEDV©ſKİı\u212a.")),
               max_size=40)
       | st.sampled_from(["Copyright 2020", "ALL RIGHTS RESERVED", "© Foo", "all rightſ reserved",
                          "xcopyright", "copyright", "All Rights Reserved."]))
def test_legal_pretest_never_hides_a_match(text):
    from detector.boilerplate import LEGAL_LINE, _maybe_legal

    if LEGAL_LINE.search(text):
        assert _maybe_legal(text, text.lower())


# --- end to end: extract with the compiled paths == pure Python --------------------------

def test_extract_is_the_same_with_and_without_the_compiled_paths(shared_data, monkeypatch):
    """Blocks (every field the segmenter and typer set), text and page type of the first
    pages of every dataset, compiled paths in use vs disabled (DETECTOR_PURE_PYTHON)."""
    import detector
    from detector._fast import lexbor_walk
    from detector.datasets import DATASETS, load

    def dump(ex):
        return (ex.text, ex.page_type, ex.title,
                [(b.index, b.text, b.path, b.tag, b.tokens, b.link_chars, b.depth, b.heading,
                  b.hrefs, b.kind, b.confidence, b.features) for b in ex.blocks])

    raws = [gp.raw() for name in DATASETS for gp in load(name, limit=8)]
    fast = [dump(detector.extract(raw)) for raw in raws]
    monkeypatch.setenv("DETECTOR_PURE_PYTHON", "1")
    lexbor_walk.compiled_walk.cache_clear()
    from detector.blocks import model as block_model

    block_model.shipped_model.cache_clear()
    try:
        pure = [dump(detector.extract(raw)) for raw in raws]
    finally:
        monkeypatch.delenv("DETECTOR_PURE_PYTHON")
        lexbor_walk.compiled_walk.cache_clear()
        block_model.shipped_model.cache_clear()
    assert len(fast) > 40
    assert fast == pure
