"""The sixth pass of compiled steps on the extract path (docs/fastex6.md): each compiled step
against its Python reference, on generated inputs and on real pages."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import compiled_features_or_skip, compiled_walk_or_skip, segmented_pages


# --- section_cues: the patterns run only where an alternative's start is at a word start ---

def _leading_literals(pattern: re.Pattern) -> list[str]:
    """The literal text each top-level alternative of ``\\b(a|b|...)\\b`` starts with."""
    from re import _constants as C
    from re import _parser

    items = list(_parser.parse(pattern.pattern))
    assert items[0] == (C.AT, C.AT_BOUNDARY)  # the match starts at a word boundary
    op, av = items[1]
    assert op is C.SUBPATTERN
    (branch_op, (_, branches)), = av[-1].data
    assert branch_op is C.BRANCH
    out = []
    for br in branches:
        lit = ""
        for op, arg in br.data:
            if op is not C.LITERAL:
                break
            lit += chr(arg)
        out.append(lit)
    return out


@pytest.mark.parametrize("pattern,starts", [
    ("RELATED_SECTION", "RELATED_SECTION_STARTS"), ("COMMENT_SECTION", "COMMENT_SECTION_STARTS")])
def test_every_alternative_starts_with_a_listed_start(pattern, starts):
    """The pre-test of `section_cues` is exact only if every alternative of the pattern begins
    with one of the listed starts, and every alternative begins with a letter (so ``\\b``
    before it is a word start): fails when a pattern gains an alternative the list lacks."""
    import detector.blocks.features as F

    lits = _leading_literals(getattr(F, pattern))
    assert len(lits) >= 15
    for lit in lits:
        assert lit[:1].isalpha() and lit[:1].isascii(), lit
        assert any(lit.startswith(s) for s in getattr(F, starts)), lit


def test_alternative_parser_sees_every_alternative():
    # the parser above reads the alternatives themselves (a check of the check)
    import detector.blocks.features as F

    lits = _leading_literals(F.COMMENT_SECTION)
    assert "have your say" in lits and "add " in lits and "comment" in lits


_CUE_PIECES = ["related", "see also", "more ", "more", "on ", "news", "stories", "you may ",
               "like", "also ", "read", "top ", "comments", "comment", "have your say",
               "your say", "reader's ", "views", "add a comment", "add ", "discussion",
               "what's new", "replies", "post a", "latest", " ", "_", "-", "1", "x", "\u00e9",
               "\u0663", ".", "'", "\u00a0", "\n", "\u00e9comment", "xrelated", "_related",
               "1latest", "\u00bbrelated", "sound off", "in depth"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES) | st.text(max_size=3), max_size=12).map("".join))
def test_section_cues_equals_the_reference(low):
    from detector.blocks.features import _section_cues

    fm = compiled_features_or_skip()
    got = fm.section_cues(low)
    assert got == _section_cues.__wrapped__(low)
    assert type(got[0]) is bool and type(got[1]) is bool


def test_section_cues_on_every_start():
    """Each start alone, after a word character (no word start: the pattern cannot match
    there either), after a non-ASCII letter, and inside a title."""
    import detector.blocks.features as F

    fm = compiled_features_or_skip()
    for s in F.RELATED_SECTION_STARTS + F.COMMENT_SECTION_STARTS:
        for low in (s, s + "news", "x" + s, "_" + s, "1" + s, "\u00e9" + s, "\u0663" + s,
                    "top stories: " + s + "s", s.strip() + " - more", "— " + s + "stories"):
            assert fm.section_cues(low) == F._section_cues.__wrapped__(low), low


def test_section_cues_on_pages(shared_data):
    from detector.blocks.features import SECTION_HEADER_WORDS, _section_cues

    fm = compiled_features_or_skip()
    n = hits = 0
    for page in segmented_pages(25):
        for b in page.blocks:
            if len(b.text.split()) <= SECTION_HEADER_WORDS:
                low = b.text.lower()
                want = _section_cues.__wrapped__(low)
                assert fm.section_cues(low) == want, low
                n += 1
                hits += any(want)
    assert n > 1000 and hits > 20


# --- TokenKinds: boilerplate._token_kind of the learned pass, without the cache ------------

_KIND_TOKEN_PIECES = ["comment", "reply", "related", "share", "social", "footer", "ad", "ads",
                      "nav", "menu", "author", "byline", "caption", "x", "sidebar", "bio",
                      "copyright", "", "Nav", "advert", "teaser"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_KIND_TOKEN_PIECES) | st.text(max_size=4), max_size=12)
       .map(tuple), st.integers(0, 14))
def test_token_kinds_equals_token_kind(tokens, window):
    from detector.boilerplate import _KIND_TOKENS, _token_kind

    fm = compiled_features_or_skip()
    tk = fm.TokenKinds(_KIND_TOKENS)
    near = tokens[-window:] if window else tokens
    assert tk(near) == _token_kind.__wrapped__(near, True)
    assert fm.token_kind_of_last(tk, tokens, window) == _token_kind.__wrapped__(
        tokens[-window:], True)


def test_token_kinds_on_every_vocabulary_token():
    """Each token of every vocabulary alone and after/before each other (the first kind in
    the vocabularies' order wins)."""
    from detector.boilerplate import _KIND_TOKENS, _token_kind

    fm = compiled_features_or_skip()
    tk = fm.TokenKinds(_KIND_TOKENS)
    toks = sorted({t for v in _KIND_TOKENS.values() for t in v})
    for a in toks:
        assert tk((a,)) == _token_kind.__wrapped__((a,), True)
        for b in toks[::3]:
            assert tk((a, b)) == _token_kind.__wrapped__((a, b), True)


# --- block pass: ASCII word counts and character classes by table -------------------------

def test_ascii_class_table():
    """Every ASCII character's class: Python's whitespace, the _PUNCT, _DIGITS and _UPPER
    character classes of the reference's regexes."""
    from detector.blocks.features import _DIGITS, _PUNCT, _UPPER

    fm = compiled_features_or_skip()
    for c in map(chr, range(128)):
        want = (1 if c.isspace() else 2 if _PUNCT.fullmatch(c) else 3 if _DIGITS.fullmatch(c)
                else 4 if _UPPER.fullmatch(c) else 0)
        assert fm.ascii_class(c) == want, repr(c)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from([" ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "a",
                                 "Word", ".", "9", "_", "\x00", "\x7f", "\xa0", "\u2028", "é", "中", "文",
                                 "か", "\u3002", "\u3400", "\uf900", "\u30ff", "\u3040"])
                | st.text(max_size=3), max_size=40).map("".join))
def test_block_pass_word_counts_equal_split(text):
    """The block pass's word count (column 1) is ``len(block_words(text))``: ``text.split()``
    on ASCII texts (the table path) and others, each Han or kana character a word."""
    from detector.blocks.features import block_words
    from detector.page import Block

    fm = compiled_features_or_skip()
    if not text:
        return
    rows = fm.block_pass_arrays([Block(index=0, text=text, path="/html/body/p[1]", tag="p")],
                                "")[0]
    assert rows[0, 1] == len(block_words(text))


# --- walk: Blocks left out of the cyclic collector -----------------------------------------

def test_compiled_walk_blocks_are_not_tracked_and_still_freed():
    """The compiled walk's Blocks are not watched by the cyclic collector (they never form a
    cycle) and are freed by their reference count when the page goes."""
    import gc
    import weakref

    from detector.readers import page_from_bytes
    from detector.segment import segment

    compiled_walk_or_skip()
    html = (b"<html><head><title>T</title></head><body><div class='a'><p>One two three.</p>"
            b"<p><a href='/x'>Four</a> five</p></div><ul><li>six</li></ul></body></html>")
    page = segment(page_from_bytes(html, source="t"))
    body = [b for b in page.blocks if b.path != "/html/head/title"]
    assert [b.text for b in body] == ["One two three.", "Four five", "six"]
    assert not any(gc.is_tracked(b) for b in body)
    # and so are the tuples of strings it makes: links, class/id tokens, link targets
    assert page.links and not any(gc.is_tracked(x) for x in page.links)
    assert body[0].tokens == ("a",) and not gc.is_tracked(body[0].tokens)
    assert body[1].hrefs == ("/x",) and not gc.is_tracked(body[1].hrefs)
    class Probe:  # held by each block (slots Blocks take no weak reference themselves)
        pass

    probes = [Probe() for _ in body]
    for b, probe in zip(body, probes):
        b.features["probe"] = probe
    refs = [weakref.ref(p) for p in probes]
    del page, body, b, probes, probe
    assert all(r() is None for r in refs)


def test_compiled_walk_makes_blocks_equal_to_the_dataclass():
    """`new_block` (the walk's Block without ``__init__``): equal to ``Block(...)`` field by
    field, the same types, its own ``features`` dict, no cyclic-collector tracking, and a
    mutable Block as any (the walk checked Block's layout before using it)."""
    import gc
    import sys

    from detector.page import Block

    w = compiled_walk_or_skip()
    assert w.fast_block()
    for args in [(0, "x", "/html/body", "body", (), 0, 1, "", ()),
                 (10**6, "Caf\u00e9 \U0001f600", "/html/body/div[2]/p[3]", "p",
                  ("a", "b"), 5, 300, "Heading", ("/u", "http://e.com/v"))]:
        b, want = w.new_block(*args), Block(*args)
        assert b == want and type(b) is Block
        for f in w.BLOCK_FIELDS:
            assert type(getattr(b, f)) is type(getattr(want, f))
        assert b.features == {} and b.features is not w.new_block(*args).features
        assert not gc.is_tracked(b)
        b.kind, b.confidence = "content", 0.5
        b.features["p_article"] = 0.25
        assert (b.kind, b.confidence, b.features) == ("content", 0.5, {"p_article": 0.25})
        assert sys.getrefcount(b.text) >= 2 and b.text is args[1]
