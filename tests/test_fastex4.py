"""Branch fastex4 (issues 3 and 7): compiled steps of detector.extract that must give exactly
the values of the Python code they stand in for (kept as the reference and the fallback)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import compiled_features_or_skip, compiled_walk_or_skip


# Every character Python's str.split() treats as whitespace, and a few that look like it but
# are not (zero-width space, BOM, word joiner).
_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
_NOT_SPACES = ["\u200b", "\ufeff", "\u2060", "\u180e"]
_PIECES = _SPACES + _NOT_SPACES + list("aZ_-.é") + ["\u0130", "\u20ac", "\U0001F600", "ß"]


# --- walk.collapse_ws: " ".join(s.replace(SOFT_HYPHEN, "").split()) in one pass ------------

@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["\u00ad"]) | st.text(max_size=6), max_size=40)
       .map("".join))
def test_collapse_ws_equals_join_split(s):
    W = compiled_walk_or_skip()
    got = W.collapse_ws(s)
    want = " ".join(s.replace("\u00ad", "").split())
    assert got == want
    assert type(got) is str and got.isascii() == want.isascii()


def test_collapse_ws_drops_soft_hyphens():
    W = compiled_walk_or_skip()
    for s, want in (("Mit\u00adtel\u00adal\u00adter", "Mittelalter"), ("a \u00ad b", "a b"),
                    ("\u00ad", ""), ("\u00ad\u00e9\u00ad", "\u00e9"),
                    ("Stra\u00adße \u3000\u00adx", "Straße x"), ("\U0001F600\u00ad", "\U0001F600")):
        assert W.collapse_ws(s) == want


def test_collapse_ws_narrows_the_kind_when_only_wide_spaces_go():
    """A text whose only wide characters are spaces gives an ASCII str (the smallest kind, as
    every Python str): equal, hashed and compared as the reference's."""
    W = compiled_walk_or_skip()
    for s in ("a\u3000b", "\u2028 x \u2029", "\U0001F600", " \u00a0é\u00a0 ", "", "   ", "\x1c"):
        want = " ".join(s.split())
        got = W.collapse_ws(s)
        assert got == want and hash(got) == hash(want) and {got: 1}.get(want) == 1


# --- walk.split_tokens: the class/id tokens of an element ---------------------------------

_TOKEN_PIECES = ["nav", "Main", "POST", "-", "_", " ", "\t", "\n", "\x0b", "\x0c", "\r",
                 "\x1c", "\x1f", "\x85", "\u00a0", "\u2003", "é", "\u0130", "K", "\u212a",
                 "ß", "x" * 63, "y" * 64, "z" * 65, "\u017f"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_TOKEN_PIECES) | st.text(max_size=5), max_size=80)
       .map("".join),
       st.lists(st.sampled_from(_TOKEN_PIECES), max_size=10).map("".join))
def test_split_tokens_equals_the_reference(cls, id_):
    from detector.segment import _split_tokens

    W = compiled_walk_or_skip()
    assert W.split_tokens(cls, id_) == _split_tokens.__wrapped__(cls, id_)


def test_split_tokens_bounds_as_the_reference():
    """The caps: 64 tokens an element, tokens of at most 64 characters, values cut at
    16,384 / 1,024 characters before splitting."""
    from detector.segment import _split_tokens

    W = compiled_walk_or_skip()
    cases = [(" ".join(f"c{i}" for i in range(100)), "id"),
             ("a " * 8190 + "tail-cut-here", "b"),
             ("x" * 16383 + " yz", "q" * 1023 + " r"),
             ("", " ".join(f"i{i}" for i in range(70))),
             ("A" * 64 + " " + "B" * 65, "MiXeD_Case-id")]
    for cls, id_ in cases:
        assert W.split_tokens(cls, id_) == _split_tokens.__wrapped__(cls, id_)


# --- features.maybe_datetime: the pre-test of the comment-metadata date pattern -----------

_DATE_PIECES = ["1", "12", "2024", "\u0663", "\u096a", "\uff11", "\u00b2", "/", ".", "-", ":",
                " ", "  ", "\u00a0", "minutes", "minute", "hours", "days", "weeks", "months",
                " ago", "ago", "Minutes", "a", "x", "\n", "_", "Z"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES) | st.text(max_size=3), max_size=25).map("".join))
def test_maybe_datetime_never_hides_a_match(head):
    """Wherever the pattern finds something the pre-test says "maybe"; the compiled context
    columns skip the regex only where the pre-test says no."""
    from detector.blocks.features import _DATETIME

    fm = compiled_features_or_skip()
    if _DATETIME.search(head) is not None:
        assert fm.maybe_datetime(head)


def test_maybe_datetime_examples():
    fm = compiled_features_or_skip()
    for yes in ("12/03/2024", "posted 3 hours ago", "at 10:45", "\u0661\u0662.\u0660\u0663.99",
                "1 minute ago"):
        assert fm.maybe_datetime(yes)
    for no in ("In 2024 the council met", "a.b-c:d", "", "3", "12:x", "5 years"):
        assert not fm.maybe_datetime(no)


# --- features.path_sharing_arrays: path_sharing as arrays, parents reused -------------------

_STEPS = ["html", "body", "div[1]", "div[2]", "div", "p[1]", "p[2]", "li[3]", "", "a"]
_PATHS = st.lists(st.sampled_from(_STEPS), max_size=7).map("/".join) | st.sampled_from(
    ["", "/", "//", "p", "x/", "/html/body", "line:3", "/html/body/div[1]"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PATHS, min_size=1, max_size=30), st.data())
def test_path_sharing_arrays_equal_the_reference(paths, data):
    import numpy as np

    from detector.blocks.features import path_sharing

    fm = compiled_features_or_skip()
    # Runs of siblings, as pages have them: some paths repeat their neighbour's parent.
    paths = [p if i == 0 or not data.draw(st.booleans()) else
             paths[i - 1][:paths[i - 1].rfind("/") + 1] + p.rsplit("/", 1)[-1]
             for i, p in enumerate(paths)]
    best = data.draw(st.sampled_from(paths) | _PATHS)
    shared, in_best = fm.path_sharing_arrays(paths, best)
    ref_shared, ref_in_best = path_sharing(paths, best)
    assert shared.tobytes() == np.array(ref_shared, dtype=np.float64).tobytes()
    assert in_best.tobytes() == np.array(ref_in_best, dtype=np.float64).tobytes()


# --- page type: the one pass over the blocks and the forum-word count, compiled -------------

_FORUM_PIECES = ["post", "posts", "postss", "replies", "reply", "joined", "member", "members",
                 "quote", "thread", "registered", "like", "likes", "liked", "views", "topic",
                 "forum", "Forum", " ", ".", "_", "-", "1", "\u0663", "é", "\u00b2", "\u2163",
                 "\u00a0", "\n", "'", "ß", "\u0130"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_FORUM_PIECES) | st.text(max_size=3), max_size=30).map("".join))
def test_whole_word_count_equals_findall(text):
    from detector.blocks.page_type import _FORUM, _FORUM_WORDS

    fm = compiled_features_or_skip()
    assert fm.whole_word_count(text, _FORUM_WORDS) == len(_FORUM.findall(text))


def test_forum_words_are_the_pattern_alternatives():
    """Each word of the set is a whole match of `_FORUM` and nothing else of its shape is:
    every word of the pattern's alternatives with its optional "s" on and off."""
    import re

    from detector.blocks.page_type import _FORUM, _FORUM_WORDS

    for w in _FORUM_WORDS:
        assert _FORUM.fullmatch(w)
    alts = re.search(r"\((.*)\)", _FORUM.pattern).group(1).split("|")
    expanded = set()
    for a in alts:
        opt = [(a[:i], a[i + 1:]) for i, ch in enumerate(a) if ch == "?"]
        if opt:  # one optional letter: with and without it
            head, tail = opt[0]
            expanded |= {head + tail, head[:-1] + tail}
        else:
            expanded.add(a)
    assert expanded == set(_FORUM_WORDS)
    assert all(not _FORUM.fullmatch(w + "x") for w in _FORUM_WORDS)


_KINDS = ["content", "caption", "title", "comments", "related", "navigation", "ad"]
_TAGS = ["p", "li", "h2", "h3", "h4", "h1", "title", "div", "td"]


@st.composite
def _typed_blocks(draw):
    from detector.page import Block

    n = draw(st.integers(0, 40))
    toks = [(), ("a",), ("a", "b"), ("nav", "menu"), tuple("abcdefgh")]
    blocks = []
    for i in range(n):
        t = draw(st.sampled_from(toks))
        # equal tuples that are different objects, and the same object in a row
        tokens = tuple(list(t)) if draw(st.booleans()) else t
        b = Block(index=i, text=draw(st.text(min_size=1, max_size=30)),
                  path=f"/html/body/div[{i}]", tag=draw(st.sampled_from(_TAGS)),
                  tokens=tokens, link_chars=draw(st.integers(0, 30)),
                  depth=draw(st.integers(1, 4)))
        b.kind = draw(st.sampled_from(_KINDS))
        blocks.append(b)
    words = [draw(st.integers(0, 500)) for _ in blocks]
    return blocks, words


@settings(max_examples=600, deadline=None)
@given(_typed_blocks(), st.sampled_from([0, 10, 60, 4000]))
def test_page_type_pass_equals_the_reference(bw, window):
    from detector.blocks.page_type import _ART_KINDS, _page_pass

    fm = compiled_features_or_skip()
    blocks, words = bw
    got = fm.page_type_pass(blocks, words, _ART_KINDS, window)
    want = _page_pass(blocks, words, _ART_KINDS, window)
    assert got == want and [type(x) for x in got] == [type(x) for x in want]


def test_page_type_pass_on_pages(shared_data):
    """Typed pages of every dataset: the compiled pass, the Python pass and the reference's
    page features agree."""
    import itertools

    from detector.blocks.page_type import (
        _ART_KINDS, TEXT_WINDOW, _page_pass, page_features, page_features_reference)
    from detector.datasets import DATASETS, load
    from detector.pipeline import prepare
    from detector.readers import ReadError, page_from_bytes

    fm = compiled_features_or_skip()
    seen = 0
    for name in DATASETS:
        for gp in itertools.islice(load(name), 15):
            page = page_from_bytes(gp.raw(), source=gp.id)
            if isinstance(page, ReadError) or page.html is None:
                continue
            prepare(page)
            words = [len(b.text.split()) for b in page.blocks]
            assert (fm.page_type_pass(page.blocks, words, _ART_KINDS, TEXT_WINDOW)
                    == _page_pass(page.blocks, words, _ART_KINDS, TEXT_WINDOW))
            assert page_features(page, words) == page_features_reference(page, words)
            seen += 1
    assert seen > 50


# --- features.block_pass_arrays: ASCII texts read in place, token masks of the block before,
# --- path signatures in one copy ----------------------------------------------------------

@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["0", "9", "[", "]", "/", "div", "p", "é", "\u0663", "\u20ac",
                                 "\U0001F600", "a"]), max_size=20).map("".join))
def test_signature_equals_translate(path):
    from detector.blocks.features import _SIG_TABLE

    fm = compiled_features_or_skip()
    got = fm.signature(path)
    assert got == path.translate(_SIG_TABLE) and hash(got) == hash(path.translate(_SIG_TABLE))


_WORDS = ["the", "The", "Related", "posts", "comments", "Leave", "a", "reply", "of", "é",
          "Ü", "\u0130", "\u212a", "2024", "12:30", ".", ",", "!", "\t", "\n", "  ", "ß"]


@st.composite
def _pages(draw):
    from detector.page import Block

    n = draw(st.integers(1, 12))
    shared = ("entry", "content")
    blocks = []
    for i in range(n):
        words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=150))
        text = " ".join(words).strip() or "x"
        # around the 400-character window: an ASCII start with a non-ASCII tail, or the reverse
        if draw(st.booleans()):
            text = "A" * draw(st.integers(380, 420)) + draw(st.sampled_from(["é", "x", "\u0663"]))
        tokens = shared if draw(st.booleans()) else tuple(draw(st.lists(
            st.sampled_from(["nav", "related", "post", "comment", "x"]), max_size=4)))
        blocks.append(Block(index=i, text=text, path=draw(st.sampled_from(
            [f"/html/body/div[{i}]/p[2]", "/html/body/p", "/html/body/ul[1]/li[3]", "line:1"])),
            tag=draw(st.sampled_from(["p", "div", "li", "h2"])), tokens=tokens,
            link_chars=draw(st.integers(0, 20)), depth=draw(st.integers(1, 6)),
            heading=draw(st.sampled_from(["", "Related posts", "Comments"])),
            hrefs=("a",) * draw(st.integers(0, 3))))
    title = draw(st.sampled_from(["", "The posts of a reply", "Ü é title"]))
    return blocks, title


@settings(max_examples=400, deadline=None)
@given(_pages())
def test_block_pass_arrays_equals_the_reference(page):
    import numpy as np

    from detector.blocks.features import block_pass

    fm = compiled_features_or_skip()
    blocks, title = page
    got = fm.block_pass_arrays(blocks, title)
    want = block_pass(blocks, title)
    assert got[0].tobytes() == np.array(want[0], dtype=np.float64).tobytes()
    for g, w in zip(got[1:5], want[1:5]):
        assert g.tolist() == list(w)
    assert got[5:] == tuple(want[5:])
    # the steps after the pass: parent signatures and signature counts
    from detector.blocks.features import _SIG_TABLE, parent_signatures

    sigs, sig_count = got[5], got[6]
    parents, same = fm.parents_and_same(blocks, sigs, sig_count, _SIG_TABLE)
    assert parents == parent_signatures(blocks, sigs)
    assert same.tobytes() == np.array([sig_count[s] for s in sigs], dtype=np.float64).tobytes()


# --- boilerplate._type_learned: the typing loop, compiled ----------------------------------

_PROBS = st.sampled_from([0.0, 0.1, 0.3, 0.4999999999999999, 0.5, 0.5000000000000001, 0.7, 0.9,
                          1.0]) | st.floats(0.0, 1.0)


@settings(max_examples=800, deadline=None)
@given(st.data())
def test_type_learned_equals_the_reference(data):
    import copy

    from detector.boilerplate import KIND_OVERRIDE, _type_learned, boilerplate_kind
    from detector.page import Block

    fm = compiled_features_or_skip()
    n = data.draw(st.integers(0, 25))
    blocks = [Block(index=i, text=data.draw(st.sampled_from(
                  ["Share this", "© 2024 All rights reserved", "By John Smith", "Menu",
                   "Advertisement", "Some text of a block."])), path=f"/html/body/p[{i}]",
                  tag=data.draw(st.sampled_from(["p", "h1", "h2", "h3", "h4", "title", "li",
                                                 "footer"])),
                  tokens=data.draw(st.sampled_from([(), ("footer",), ("share",), ("nav",),
                                                    ("comment",), ("related",)])))
              for i in range(n)]
    cols = [[data.draw(_PROBS) for _ in range(n)],
            [data.draw(st.integers(0, 1)) for _ in range(n)],
            [data.draw(_PROBS) for _ in range(n)],
            [data.draw(st.integers(0, 2)) for _ in range(n)],
            [data.draw(st.integers(0, 2)) for _ in range(n)]]
    thr, rel_thr, com_thr = data.draw(_PROBS), data.draw(_PROBS), data.draw(_PROBS)
    a, b = copy.deepcopy(blocks), copy.deepcopy(blocks)
    fm.type_learned(a, *cols, thr, KIND_OVERRIDE, rel_thr, com_thr, boilerplate_kind)
    _type_learned(b, *cols, thr, KIND_OVERRIDE, rel_thr, com_thr, boilerplate_kind)
    assert [(x.kind, repr(x.confidence), repr(x.features)) for x in a] == \
        [(x.kind, repr(x.confidence), repr(x.features)) for x in b]


def test_classify_blocks_compiled_and_python_agree_on_pages(shared_data, monkeypatch):
    """Whole pages of every dataset typed with the compiled steps and with
    DETECTOR_PURE_PYTHON=1 (every Python reference of this module): the same kinds,
    confidences, features, page type and text."""
    import itertools

    from detector.boilerplate import extraction_of
    from detector.datasets import DATASETS, load
    from detector.pipeline import prepare
    from detector.readers import ReadError, page_from_bytes

    compiled_features_or_skip()

    def typed(raw):
        page = page_from_bytes(raw, source="t")
        if isinstance(page, ReadError):
            return None
        ex = extraction_of(prepare(page))
        return (ex.text, ex.page_type, ex.title,
                [(b.kind, repr(b.confidence), repr(b.features), b.path, b.text, b.tokens)
                 for b in ex.blocks])

    raws = [gp.raw() for name in DATASETS for gp in itertools.islice(load(name), 12)]
    compiled = [typed(r) for r in raws]
    monkeypatch.setenv("DETECTOR_PURE_PYTHON", "1")
    from detector._fast.lexbor_walk import compiled_walk

    compiled_walk.cache_clear()
    try:
        from detector._fast import features_module

        assert compiled_walk() is None and features_module() is None
        python = [typed(r) for r in raws]
    finally:
        monkeypatch.delenv("DETECTOR_PURE_PYTHON")
        compiled_walk.cache_clear()
    assert len(raws) > 50 and compiled == python


# --- features.token_mask: the hint families of a class/id token by a stem table ------------

def _stem_pieces():
    from detector.blocks.features import HINTS

    stems = sorted({s for group in HINTS.values() for s in group})
    return stems + [s[:-1] for s in stems] + ["-", "_", "x", "é", "\u00ff", "\u0100", "\u20ac",
                                              "\U0001F600", "0", "A"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_stem_pieces()) | st.text(max_size=3), max_size=6).map("".join))
def test_token_mask_equals_the_reference(token):
    from detector.blocks.features import _token_mask, _token_mask_reference

    fm = compiled_features_or_skip()
    assert fm.token_mask(token) == _token_mask_reference(token) == _token_mask(token)


def test_token_mask_every_stem_alone_and_inside():
    from detector.blocks.features import HINTS, _token_mask_reference

    fm = compiled_features_or_skip()
    for group in HINTS.values():
        for s in group:
            for token in (s, "x" + s, s + "x", "é" + s + "é", s[:-1]):
                assert fm.token_mask(token) == _token_mask_reference(token), token


# --- page type: "eur"/"usd" trigger the price regex only after a digit ----------------------

@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from([
    "$", "€", " ", "  ", "5", "\u0663", "\u00b2", "\u2163", "eur", "usd", "euro", "eure", "usdt",
    "in stock", "out of stock", "stock", "of", "sku", "x", "0", "e", "ur", "u", "sd", ".", ",",
    "add to ", "cart", "quantity", "warenkorb", "free shipping", "\n"]), max_size=14)
    .map("".join))
def test_price_count_with_digit_triggers_equals_the_regex(text):
    from detector.blocks.page_type import _PRICE, _price_count

    assert _price_count(text) == len(_PRICE.findall(text))


# --- boilerplate._token_kind: isdisjoint instead of set intersections ----------------------

@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["nav", "menu", "footer", "share", "comment", "related", "ad",
                                 "author", "x", "content", "also", "legal", "Nav"]),
                max_size=8).map(tuple), st.booleans())
def test_token_kind_equals_set_intersections(near, learned):
    from detector.boilerplate import _KIND_TOKENS, _token_kind

    want = None
    for kind, vocab in _KIND_TOKENS.items():
        if learned and kind in ("related", "comments"):
            continue
        if set(near) & vocab:
            want = kind
            break
    assert _token_kind.__wrapped__(near, learned) == want
