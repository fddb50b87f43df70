"""Branch fastscore3 (issue 7): cheaper steps that must give the same values as before."""

from __future__ import annotations

import codecs

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

# --- decode.is_binary: control bytes counted by bytes.translate ------------------------------


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=1500) | st.lists(st.sampled_from([b"\x00", b"\x01", b"\x08", b"\t",
                                                              b"\n", b"\r", b"\x0e", b"\x1f",
                                                              b" ", b"a", b"\x7f", b"\xff"]),
                                             max_size=1200).map(b"".join))
def test_is_binary_equals_the_python_loop(raw):
    from detector.decode import _is_binary_reference, is_binary

    assert is_binary(raw) == _is_binary_reference(raw)


def test_is_binary_counts_exactly_the_control_bytes():
    from detector.decode import _CONTROL_BYTES

    assert set(_CONTROL_BYTES) == {c for c in range(256) if c < 9 or 13 < c < 32}


# --- Page.html_utf8: the page's own bytes go to the parser only when they are its UTF-8 ----

_TEXTS = st.text(st.sampled_from(list("<p>ab \u00e9\u20ac\u2019\ufffd\u0130\U0001F600\x00")),
                 max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16-le"]),
       st.booleans(), st.binary(max_size=3))
def test_html_utf8_holds_only_the_exact_utf8_bytes(text, codec, bom, junk):
    """Whatever the bytes (other codecs, a BOM, invalid sequences), what the parser gets is
    the UTF-8 of the page's text, as selectolax would encode it."""
    from detector.readers import ReadError, page_from_bytes

    try:
        raw = ("<html><body>" + text + "</body></html>").encode(codec)
    except UnicodeEncodeError:
        return
    raw = (codecs.BOM_UTF8 if bom else b"") + raw + junk
    page = page_from_bytes(raw, source="t", kind="html")
    if isinstance(page, ReadError):
        return
    got = page.html_utf8 or page.html
    want = page.html.encode("utf-8", "ignore")
    assert (got if isinstance(got, bytes) else got.encode("utf-8", "ignore")) == want


def test_html_utf8_is_kept_for_utf8_pages_and_not_for_others():
    from detector.readers import page_from_bytes

    raw = "<html><body><p>Caf\u00e9 \u2019quoted\u2019</p></body></html>".encode()
    page = page_from_bytes(raw, source="t")
    assert page.html_utf8 is raw
    other = page_from_bytes("<html><body><p>Caf\u00e9</p></body></html>".encode("cp1252"),
                            source="t")
    assert other.html_utf8 is None
    assert page.html_utf8 is raw  # each page keeps its own bytes, whatever is read after it
    bom = page_from_bytes(codecs.BOM_UTF8 + raw, source="t")
    assert bom.html_utf8 is None
    bad = page_from_bytes(raw + b"\xff", source="t")  # decoded with a replacement somewhere
    assert bad.html_utf8 is None
    text = page_from_bytes(b"plain words, no markup", source="t", kind="text")
    assert text.html_utf8 is None


def test_segment_gives_the_same_blocks_from_bytes_and_from_text():
    from detector.readers import page_from_bytes
    from detector.segment import segment

    html = ("<html><head><title>T \u00e9</title><meta name='author' content='Ana \u00d1'></head>"
            "<body><div class='a-b'><p>Caf\u00e9 \u2019x\u2019 \U0001F600</p><a href='/x'>l"
            "\u00ef</a></div></body></html>")
    via_bytes = page_from_bytes(html.encode(), source="t")
    segment(via_bytes)
    from detector.readers import page_from_text

    via_text = page_from_text(html, source="t", kind="html")
    segment(via_text)
    assert via_bytes.blocks == via_text.blocks
    assert via_bytes.meta == via_text.meta and via_bytes.links == via_text.links
    assert via_bytes.title == via_text.title


# --- block model: rows converted to float64 once ---------------------------------------------

def test_block_model_predict_is_the_same_for_float32_and_float64_rows():
    from detector.blocks.model import shipped_model

    model = shipped_model()
    if model is None:
        return
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, len(model.feature_names))).astype(np.float32)
    X[::7, ::5] = np.nan
    a_art, a_kind = model.predict(X)
    b_art, b_kind = model.predict(X.astype(np.float64))
    assert a_art.tobytes() == b_art.tobytes() and a_kind.tobytes() == b_kind.tobytes()
    want = model._article.predict_proba(X)[:, 1]  # each forest converting on its own
    assert np.array_equal(want, model._article.predict_proba(X.astype(np.float64))[:, 1])


# --- forest: 8 rows in registers, tiles of trees, the NaN-free step --------------------------

def _forest_or_skip():
    import pytest

    from detector._fast import forest_module
    from detector.blocks.model import shipped_model

    if forest_module() is None:
        pytest.skip("compiled forest not built or disabled")
    model = shipped_model()
    if model is None:
        pytest.skip("no shipped block model")
    return model


def test_forest_add_raw_without_nan_equals_the_reference_bit_for_bit():
    """Rows without NaN take `_step_num`; values on thresholds, infinities, -0.0, and row
    counts around the 8-row groups; both forests (40 and 180 trees: several tiles)."""
    model = _forest_or_skip()
    rng = np.random.default_rng(11)
    for ff in (model._article, model._kind):
        forest = ff._compiled
        k, d = len(ff._baseline), forest.n_features
        thresholds = np.array([nd for it in ff.hgb._predictors for p in it
                               for nd in p.nodes["num_threshold"]])
        for n in (1, 7, 8, 9, 16, 17, 63, 200):
            X = rng.normal(0.0, 2.0, size=(n, d))
            on_thr = rng.random((n, d)) < 0.3
            X[on_thr] = rng.choice(thresholds, size=on_thr.sum())  # exactly on a split
            X[rng.random((n, d)) < 0.05] = np.inf
            X[rng.random((n, d)) < 0.05] = -np.inf
            X[rng.random((n, d)) < 0.05] = -0.0
            assert not np.isnan(X).any()
            got, want = np.zeros((k, n)), np.zeros((k, n))
            forest.add_raw(X, got)
            forest.add_raw_reference(X, want)
            assert got.tobytes() == want.tobytes()


def test_forest_add_raw_with_one_nan_anywhere_equals_the_reference():
    """One NaN anywhere in the rows switches the whole call to the NaN-aware step."""
    model = _forest_or_skip()
    rng = np.random.default_rng(5)
    ff = model._kind
    forest, k = ff._compiled, len(ff._baseline)
    n, d = 19, forest.n_features
    for where in ((0, 0), (7, d - 1), (8, 3), (n - 1, d - 1)):
        X = rng.normal(0.0, 2.0, size=(n, d))
        X[where] = np.nan
        got, want = np.zeros((k, n)), np.zeros((k, n))
        forest.add_raw(X, got)
        forest.add_raw_reference(X, want)
        assert got.tobytes() == want.tobytes()


# --- word-choice tree walk: four trees at a time ----------------------------------------------

def test_leaf_values_four_trees_at_a_time_equal_one_at_a_time():
    import pytest

    from detector._fast import wordchoice_module
    from detector.rules import _wordchoice

    fast = wordchoice_module()
    m = _wordchoice.model()
    if fast is None or m is None or m.trees is None:
        pytest.skip("compiled word-choice path or model absent")
    ft = m._fast_tables()
    rng = np.random.default_rng(2)
    n_feat = int(ft.t_feat.max()) + 1
    for n_trees in (len(ft.t_roots), 7, 4, 1, 0):  # with and without trees left over
        roots = np.ascontiguousarray(ft.t_roots[:n_trees])
        for n in (0, 1, 5, 40):
            rows = rng.normal(0.0, 3.0, size=(n, n_feat))
            rows[rng.random(rows.shape) < 0.1] = np.nan
            rows[rng.random(rows.shape) < 0.1] = 0.0
            args = (rows, ft.t_feat, ft.t_thr, ft.t_left, ft.t_value, roots, ft.t_depth)
            assert fast.leaf_values(*args).tobytes() == fast.leaf_values_reference(*args).tobytes()


# --- boilerplate_kind: tests skipped where they cannot succeed ---------------------------------

_PIECES = ["Share", "share", "\u017fhare", "SHARE", " this article", " on Facebook", "tweet",
           "Tweet", "Email", "print", "facebook", "Whatsapp", "linkedin", "Pinterest", " | ",
           "By ", "by ", "Written ", "Posted ", "About ", "about ", "the Author", "Jane Doe",
           "Advertisement", "ADVERTISEMENT", "Anzeige", "Publicit\u00e9", "Sponsored", "\u0130",
           "\u00a9", "copyright", "COPYRIGHT", "All rights reserved", "all right\u017f reserved",
           "K", "\u212a", " ", ".", "x" * 30, "Home", "News", "\u00e9t\u00e9"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join),
       st.lists(st.sampled_from(["footer", "nav", "menu", "share", "social", "author",
                                 "related", "comments", "ad", "x", "y"]), max_size=9),
       st.sampled_from(["div", "footer", "p", "li"]), st.booleans())
def test_boilerplate_kind_equals_its_reference(text, tokens, tag, learned):
    from detector.boilerplate import _boilerplate_kind_reference, boilerplate_kind
    from detector.page import Block

    b = Block(index=1, text=text, path="/html/body/div[1]", tag=tag, tokens=tuple(tokens))
    assert boilerplate_kind(b, learned=learned) == _boilerplate_kind_reference(b, learned=learned)


def test_share_and_author_first_letters_cover_every_possible_match():
    """Every BMP character SHARE_LINE / AUTHOR_LINE can start a match with is in the sets."""
    from detector.boilerplate import _AUTHOR_FIRST, _SHARE_FIRST, AUTHOR_LINE, SHARE_LINE

    share_heads = ["share", "tweet", "email", "print", "facebook", "twitter", "whatsapp",
                   "linkedin", "pinterest"]
    for cp in range(0x10000):
        c = chr(cp)
        if any(SHARE_LINE.match(c + h[1:]) for h in share_heads):
            assert c in _SHARE_FIRST, hex(cp)
        if AUTHOR_LINE.match(c + "y Jane") or AUTHOR_LINE.match(c + "bout the Author") \
                or AUTHOR_LINE.match(c + "ritten by Jane") or AUTHOR_LINE.match(c + "osted by Jane"):
            assert c in _AUTHOR_FIRST, hex(cp)


# --- readers.hostile_markup: the long-tag regex only where a ">"-free run can hold a match -----

_MARKUP = ["<", ">", "<p>", "a", "<" * 3, "<a " + "b" * 3998, "<a " + "b" * 3997, "b" * 997, "c" * 1999, "d" * 2000, "e" * 2001, "f" * 3998,
           "g" * 4000, "<div " + "x " * 1999, " y=1" * 600]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP), max_size=14).map("".join), st.integers(0, 2100))
def test_long_tags_are_the_regex_matches(body, shift):
    from detector.readers import _LONG_TAG, _long_tags

    text = "z" * shift + body  # every alignment of the runs against the windows
    want = [m.span() for m in _LONG_TAG.finditer(text)]
    assert [m.span() for m in _long_tags(text)] == want


def test_hostile_markup_equals_its_reference():
    from detector.readers import MAX_TAG_ATTRIBUTES, hostile_markup, hostile_markup_reference

    attrs = "".join(f" a{i}=1" for i in range(MAX_TAG_ATTRIBUTES + 1))
    pages = ["<html><body><p>" + "word " * 5000 + "</p></body></html>",
             "<html><body><div" + attrs + "></div></body></html>",
             "<html><body><div" + attrs,  # never closed
             "<p>" + "x" * 20000, "<p>" + ">" * 20000, "z" * 3000 + "<b" + " c" * 3000 + ">"]
    for page in pages:
        assert hostile_markup(page) == hostile_markup_reference(page)
    assert hostile_markup(pages[1]) is not None and hostile_markup(pages[0]) is None
