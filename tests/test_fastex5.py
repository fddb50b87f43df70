"""The fifth pass of compiled steps on the extract path (docs/fastex5.md): each compiled step
against its Python reference, on generated inputs and on real pages."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import compiled_features_or_skip, compiled_walk_or_skip


# --- whole_word_count: the ASCII word-character table ------------------------------------

def test_ascii_word_table_equals_isalnum():
    """Every ASCII character is a word character of `re` exactly when it is alphanumeric or
    "_" (and the table agrees with the Unicode database on non-ASCII samples)."""
    import re

    fm = compiled_features_or_skip()
    for c in map(chr, range(128)):
        assert fm.re_word(c) == (c.isalnum() or c == "_") == bool(re.fullmatch(r"\w", c))
    for c in "\u00e9\u00aa\u00b2\u0663\u2167\u4e00\u00a0\u2028\U0001d7d8\u00d7":
        assert fm.re_word(c) == (c.isalnum() or c == "_")


_FORUM_PIECES = ["post", "posts", "reply", "replies", "like", "likes", "views", "forum", " ",
                 "_", "-", "1", "x", "\u00e9", "\u00b2", "\u0663", ".", "\n", "topic"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_FORUM_PIECES) | st.text(max_size=3), max_size=30)
       .map("".join))
def test_whole_word_count_equals_findall(text):
    from detector.blocks.page_type import _FORUM, _FORUM_WORDS

    fm = compiled_features_or_skip()
    assert fm.whole_word_count(text, _FORUM_WORDS) == len(_FORUM.findall(text))


_WORD_SETS = st.frozensets(st.sampled_from(["post", "posts", "reply", "like", "a", "_x", "x1",
                                             "\u00e9t\u00e9", "", "p" * 64, "p" * 63, "1",
                                             "views", "\u0663"]) | st.text(max_size=4),
                           max_size=6)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_FORUM_PIECES + ["p" * 63, "p" * 64, "a", "_x"])
                | st.text(max_size=3), max_size=30).map("".join), _WORD_SETS)
def test_whole_word_count_equals_runs_of_word_characters(text, words):
    """Any word set (empty words, 63/64-character words, non-ASCII first characters turn
    the length/first-character filter off): the runs of word characters that are words."""
    import re

    fm = compiled_features_or_skip()
    assert fm.whole_word_count(text, words) == sum(r in words for r in re.findall(r"\w+", text))


# --- type_learned_columns: arg-max choices, typing and boilerplate_kind in one pass -------

_TEXTS = ["Share this", "share on Twitter", "\u017fhare", "\u00a9 2024 Site", "Copyright Acme",
          "all rights RESERVED here", "By John Smith", "About the Author", "Written by Ann Lee",
          "Menu", "Advertisement", "ADVERTISEMENT", "Anzeige", "publicit\u00e9",
          "PUBLICIT\u00c9", "Sponsored", "Some text of a block.", "Tweet", "x", "\u00e9t\u00e9",
          "Posted by admin", "Copyright \u00e9 2020", "E-mail"]
_TOKENS = [(), ("footer",), ("share",), ("nav",), ("comment",), ("related",), ("author",),
           ("a", "b", "c", "d", "e", "f", "footer"), ("footer", "a", "b", "c", "d", "e", "f"),
           ("ad",), ("x", "y")]
_PROBS = st.sampled_from([0.0, 0.1, 0.3, 0.4999999999999999, 0.5, 0.5000000000000001, 0.7,
                          0.9, 1.0]) | st.floats(0.0, 1.0)
_TAGS = ["p", "h1", "h2", "h3", "h4", "title", "li", "footer", "div"]


@st.composite
def _blocks(draw, max_n=25):
    from detector.page import Block

    n = draw(st.integers(0, max_n))
    blocks = []
    for i in range(n):
        t = draw(st.sampled_from(_TOKENS))
        # equal tuples that are different objects, and the same object in a row
        tokens = tuple(list(t)) if draw(st.booleans()) else t
        blocks.append(Block(index=i, text=draw(st.sampled_from(_TEXTS) | st.text(min_size=1,
                                                                                   max_size=12)),
                            path=f"/html/body/p[{i}]", tag=draw(st.sampled_from(_TAGS)),
                            tokens=tokens))
    return blocks


_CLASSES = ("caption", "comments", "content", "other", "related", "title")


@settings(max_examples=800, deadline=None)
@given(st.data())
def test_type_learned_columns_equals_first_max_and_type_learned(data):
    """Kinds, confidences and features of `_first_max` + `_type_learned` (with
    `boilerplate_kind`), on probability columns with ties and values at the thresholds."""
    from detector.boilerplate import (KIND_OVERRIDE, _first_max, _kind_rules, _type_learned,
                                      boilerplate_kind)

    fm = compiled_features_or_skip()
    blocks = data.draw(_blocks())
    n = len(blocks)
    # a random order of the kind columns (the model's own order is alphabetical)
    classes = data.draw(st.permutations(_CLASSES))
    ci = {k: i for i, k in enumerate(classes)}
    p_kind = np.array([[data.draw(_PROBS) for _ in classes] for _ in range(n)],
                      dtype=np.float64).reshape(n, len(classes))
    p_art = np.array([data.draw(_PROBS) for _ in range(n)], dtype=np.float64)
    if n and data.draw(st.booleans()):  # a strided column, as predict_proba(X)[:, 1] is
        p_art = np.column_stack((1.0 - p_art, p_art))[:, 1]
    thr, rel_thr, com_thr = data.draw(_PROBS), data.draw(_PROBS), data.draw(_PROBS)
    a, b = copy.deepcopy(blocks), copy.deepcopy(blocks)
    fm.type_learned_columns(a, p_art, p_kind, tuple(ci[k] for k in (
        "related", "comments", "content", "title", "caption", "other")), thr, KIND_OVERRIDE,
        rel_thr, com_thr, _kind_rules(fm))
    side_rel, p_side = _first_max(p_kind, [ci["related"], ci["comments"]])
    art_best, _ = _first_max(p_kind, [ci["content"], ci["title"], ci["caption"]])
    rest_best, _ = _first_max(p_kind, [ci["related"], ci["comments"], ci["other"]])
    _type_learned(b, p_art.tolist(), side_rel.tolist(), p_side.tolist(), art_best.tolist(),
                  rest_best.tolist(), thr, KIND_OVERRIDE, rel_thr, com_thr, boilerplate_kind)
    assert [(x.kind, repr(x.confidence), repr(x.features)) for x in a] == \
        [(x.kind, repr(x.confidence), repr(x.features)) for x in b]


def test_type_learned_columns_refuses_short_columns():
    from detector.boilerplate import _kind_rules
    from detector.page import Block

    fm = compiled_features_or_skip()
    blocks = [Block(index=0, text="a", path="/p"), Block(index=1, text="b", path="/p")]
    with pytest.raises(ValueError):
        fm.type_learned_columns(blocks, np.zeros(1), np.zeros((2, 6)), (0, 1, 2, 3, 4, 5),
                                0.5, 0.5, 0.5, 0.5, _kind_rules(fm))


@settings(max_examples=1500, deadline=None)
@given(_blocks(max_n=1).filter(len))
def test_boilerplate_kind_learned_equals_the_python(blocks):
    from detector.boilerplate import _boilerplate_kind_reference, _kind_rules, boilerplate_kind

    fm = compiled_features_or_skip()
    b = blocks[0]
    assert fm.boilerplate_kind_learned(b, _kind_rules(fm)) == boilerplate_kind(
        b, learned=True) == _boilerplate_kind_reference(b, learned=True)


# --- smooth_kinds: list vote and section runs -------------------------------------------

@settings(max_examples=1500, deadline=None)
@given(st.data())
def test_smooth_kinds_equals_smooth_lists_and_sections(data):
    from detector.boilerplate import ARTICLE_KINDS, LIST_VOTE, _smooth_lists, _smooth_sections
    from detector.page import Block

    fm = compiled_features_or_skip()
    n = data.draw(st.integers(0, 30))
    kinds = ["content", "title", "caption", "related", "comments", "navigation", "ad",
             "footer"]
    blocks = []
    for i in range(n):
        b = Block(index=i, text="t", path=f"/html/body/div/p[{i}]")
        b.kind = data.draw(st.sampled_from(kinds))
        blocks.append(b)
    parents = [data.draw(st.sampled_from(["/html/body/div", "/html/body/ul", "", "/x"]))
               for _ in range(n)]
    vote = data.draw(st.sampled_from([LIST_VOTE, 0.0, 1.0, 0.34]))
    a, b = copy.deepcopy(blocks), copy.deepcopy(blocks)
    fm.smooth_kinds(a, parents, ARTICLE_KINDS, vote)
    import detector.boilerplate as B

    old = B.LIST_VOTE
    B.LIST_VOTE = vote
    try:
        _smooth_lists(b, parents)
    finally:
        B.LIST_VOTE = old
    _smooth_sections(b)
    assert [x.kind for x in a] == [x.kind for x in b]


# --- real pages: the whole extract path, compiled and Python ----------------------------

def test_extract_compiled_and_python_agree_on_pages(shared_data, monkeypatch):
    """detector.extract on 20 pages of every dataset with the compiled steps and with
    DETECTOR_PURE_PYTHON=1: the same text, page type, title and every block's fields."""
    import itertools

    import detector
    from detector.datasets import DATASETS, load

    compiled_features_or_skip()

    def extracted(raw):
        ex = detector.extract(raw)
        return (ex.text, ex.page_type, ex.title,
                [(b.to_dict(), repr(b.confidence), repr(b.features), b.tokens, b.link_chars,
                  b.depth, b.heading, b.hrefs) for b in ex.blocks])

    raws = [gp.raw() for name in DATASETS for gp in itertools.islice(load(name), 20)]
    compiled = [extracted(r) for r in raws]
    monkeypatch.setenv("DETECTOR_PURE_PYTHON", "1")
    from detector._fast.lexbor_walk import compiled_walk

    compiled_walk.cache_clear()
    try:
        from detector._fast import features_module

        assert compiled_walk() is None and features_module() is None
        python = [extracted(r) for r in raws]
    finally:
        monkeypatch.delenv("DETECTOR_PURE_PYTHON")
        compiled_walk.cache_clear()
    assert len(raws) > 100 and compiled == python


# --- focus_article: the focus step after its set-up --------------------------------------

_PATHS = ["/html/body/div[1]/article[1]/p[1]", "/html/body/div[1]/article[1]/p[2]",
          "/html/body/div[1]/article[1]/div[1]/p[1]", "/html/body/div[2]/p[1]",
          "/html/body/div[2]/ul[1]/li[1]", "/html/body/p[1]", "/html/head/title", "x"]


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_focus_article_equals_the_python(data):
    """Kinds and confidences after `_focus_article`, compiled and with
    DETECTOR_PURE_PYTHON=1, on blocks around the anchor, container and fallback thresholds
    (pages of up to 14 blocks: the small-page fallback and longer pages)."""
    import os
    from types import SimpleNamespace

    from detector.boilerplate import _focus_article
    from detector.page import Block, Page

    compiled_features_or_skip()
    n = data.draw(st.integers(0, 14))
    kinds = ["content", "title", "caption", "related", "comments", "navigation", "footer"]
    probs = st.sampled_from([0.0, 0.2, 0.3, 0.5, 0.6999999999999999, 0.7, 0.9, 0.95,
                             1.0]) | st.floats(0.0, 1.0)
    blocks = []
    for i in range(n):
        title = i == 0 and data.draw(st.booleans())
        b = Block(index=i, text=data.draw(st.sampled_from(_TEXTS) | st.text(max_size=8)),
                  path="/html/head/title" if title else data.draw(st.sampled_from(_PATHS)),
                  tag="title" if title else data.draw(st.sampled_from(_TAGS)),
                  tokens=data.draw(st.sampled_from(_TOKENS)),
                  link_chars=data.draw(st.integers(0, 12)))
        b.kind = data.draw(st.sampled_from(kinds))
        b.confidence = data.draw(probs)
        if data.draw(st.integers(0, 9)):  # now and then no P(article) at all
            b.features["p_article"] = data.draw(probs)
        blocks.append(b)
    classes = data.draw(st.permutations(_CLASSES))
    p_kind = np.array([[data.draw(probs) for _ in classes] for _ in range(n)],
                      dtype=np.float64).reshape(n, len(classes))
    model = SimpleNamespace(kind_classes=classes, threshold=data.draw(probs),
                            related_threshold=data.draw(probs),
                            comments_threshold=data.draw(probs))
    words = (None if data.draw(st.booleans())
             else [data.draw(st.integers(0, 300)) for _ in range(n)])
    page_type = data.draw(st.sampled_from(["article", "listing"]))
    pages = []
    for pure in (False, True):
        page = Page(source="t", html="<p>x</p>", blocks=copy.deepcopy(blocks),
                    page_type=page_type)
        old = os.environ.get("DETECTOR_PURE_PYTHON")
        if pure:
            os.environ["DETECTOR_PURE_PYTHON"] = "1"
        try:
            _focus_article(page, p_kind, model, words)
        finally:
            if old is None:
                os.environ.pop("DETECTOR_PURE_PYTHON", None)
            else:
                os.environ["DETECTOR_PURE_PYTHON"] = old
        pages.append([(b.kind, repr(b.confidence)) for b in page.blocks])
    assert pages[0] == pages[1]


# --- article_container: the focus step's container, compiled -----------------------------

_SEGMENT = st.text(alphabet="/abp[]12\u00e9", max_size=6)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.lists(_SEGMENT, max_size=7).map("/".join),
                          st.text(alphabet="a b\n\u00a0", max_size=14)), max_size=12),
       st.sampled_from([0.7, 0.0, 0.5, 1.0, 0.34]), st.booleans())
def test_article_container_compiled_equals_the_python(items, share, given_words):
    """The compiled container, the Python one and the first reference agree, with the
    anchors' word counts given or counted (also ties between equally deep prefixes)."""
    import detector.boilerplate as B
    from detector.page import Block

    fm = compiled_features_or_skip()
    anchors = [Block(index=i, text=t, path=p, tag="p") for i, (p, t) in enumerate(items)]
    words = [len(b.text.split()) for b in anchors] if given_words else None
    old = B.CONTAINER_SHARE
    B.CONTAINER_SHARE = share
    try:
        want = B._article_container_python(anchors, words)
        assert want == B._article_container_reference(anchors)
    finally:
        B.CONTAINER_SHARE = old
    assert fm.article_container(anchors, words, share) == want


# --- price_count: the page type's price wording without the regex ------------------------

_PRICE_PIECES = ["$", "\u20ac", "\u00a3", "\u00a5", " ", "  ", "1", "12", "\u0663", "\u00b2",
                 "eur", "usd", "eura", "usd_", "add to ", "add to", "cart", "basket", "bag",
                 "in stock", "out of stock", "warenkorb", "sku", "_sku", "skus", "xsku",
                 "free shipping", "quantity", "x", "\u00e9", "in", "out of", "\n", ".", "-"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PRICE_PIECES) | st.text(max_size=2), max_size=20)
       .map("".join))
def test_price_count_equals_findall(text):
    from detector.blocks.page_type import _PRICE, _price_count

    fm = compiled_features_or_skip()
    assert fm.price_count(text) == len(_PRICE.findall(text)) == _price_count(text)
    assert _price_count(text, fm) == len(_PRICE.findall(text))


# --- walk_head: <head>'s metas and title read by the compiled walk -----------------------

def _head_both_ways(html: str):
    from selectolax.lexbor import LexborHTMLParser

    from detector.page import Page
    from detector.segment import _read_head

    W = compiled_walk_or_skip()
    out = []
    for fast in (W, None):
        page = Page(source="t", html=html)
        _read_head(LexborHTMLParser(html), page, fast)
        out.append((page.title, page.meta))
    return out


_HEAD_PIECES = ["<title>A  b</title>", "<title></title>", "<title> </title>",
                "<title>x<b>y</b></title>", "<title>\u00e9 &amp; t</title>",
                '<meta name="author" content="Jo  Doe">', '<meta property="og:url" content>',
                '<meta name="AUTHOR" content="a" name="b">', '<link rel="canonical" href=" /c ">',
                '<link rel="AMPHTML stylesheet" href="/amp">', "<!-- c -->", "<style>x</style>",
                '<meta charset="utf-8">', "<noscript><title>n</title></noscript>",
                '<svg:title>s</svg:title>', "<base href='/'>", " ", "text"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_PIECES), max_size=8).map("".join),
       st.sampled_from(["", "<p>body</p>", "<title>late</title><p>b</p>"]))
def test_walk_head_equals_the_python_reading(head, body):
    """Title and metas of <head> read by `walk_head` (or refused, then read in Python) and
    by the Python loop: empty and whitespace titles, a title with markup inside, duplicate
    attributes, valueless contents, a <title> only in the body."""
    fast, python = _head_both_ways(f"<html><head>{head}</head><body>{body}</body></html>")
    assert fast == python


def test_walk_head_titles():
    """The first <title> child with a text, its whitespace runs made one space; markup
    inside a <title> is its text (HTML parses a title as one text node)."""
    from selectolax.lexbor import LexborHTMLParser

    W = compiled_walk_or_skip()
    tree = LexborHTMLParser("<html><head><title>a</title></head><body></body></html>")
    assert W.walk_head(tree.head.mem_id) == ([], "a")
    tree = LexborHTMLParser("<html><head><title></title><title> x  y </title></head></html>")
    assert W.walk_head(tree.head.mem_id) == ([], "x y")
    tree = LexborHTMLParser("<html><head><title>x<b>y</b></title><meta name=a></head></html>")
    assert W.walk_head(tree.head.mem_id) == (
        [({"property": None, "name": "a", "content": None, "rel": None, "href": None},
          "meta")], "x<b>y</b>")
    tree = LexborHTMLParser("<html><head><link rel=x></head></html>")
    assert W.walk_head(tree.head.mem_id)[1] is None


def test_read_head_compiled_and_python_agree_on_pages(shared_data):
    """Title and metas of 40 pages of every dataset, compiled and Python."""
    import itertools

    from detector.datasets import DATASETS, load
    from detector.readers import ReadError, page_from_bytes

    checked = 0
    for name in DATASETS:
        for gp in itertools.islice(load(name), 40):
            page = page_from_bytes(gp.raw(), source="t")
            if isinstance(page, ReadError) or page.html is None:
                continue
            fast, python = _head_both_ways(page.html)
            assert fast == python, gp.id
            checked += 1
    assert checked > 200
