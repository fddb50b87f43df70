"""The faster score stages of branch fastscore5 give exactly what their references give: the
keyword pass over the block texts (detector/_fast/keywords.pyx `text_hits`, no lowered page)
against one str.find scan per keyword over the lowered page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import detector.rules._util as U
from detector._fast import keywords_module
from detector.page import Block

needs_compiled = pytest.mark.skipif(keywords_module() is None,
                                    reason="detector._fast.keywords not built")

# Keyword letters in both cases, overlapping prefixes, the separator, the dotted capital I
# (lower() makes it "i\u0307"), the capital sigma (sigma or final sigma by its context) and
# both its lower forms, the Kelvin sign (lowers to "k"), a Deseret capital and small letter
# (a case pair above the BMP) and a mathematical letter above the BMP without a case.
ALPHABET = ("abcABC k|.\u2026\x00\u0130i\u0307I\u03a3\u03c3\u03c2\u212aK"
            "\U00010400\U00010428\U0001d538")
KEYWORDS = ("a", "ab", "abc", "bca", "b a", "|", "\u2026", "i\u0307", "\u0307a", "i", "\u03c3",
            "\u03c2", "k", "ck", "\U00010428", "a\U00010428", "\U0001d538", "ca", "\x00a")


def _lowered(texts: list[str]) -> U.LoweredPage:
    return U.lowered_page([Block(index=i, text=t, path="") for i, t in enumerate(texts)])


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=8),
       st.lists(st.one_of(st.sampled_from(KEYWORDS),
                          st.text(alphabet=ALPHABET, min_size=1, max_size=4).map(str.lower)),
                min_size=1, max_size=12, unique=True))
def test_text_hits_equal_a_scan_of_the_lowered_page(texts, keywords):
    lowered = _lowered(texts)
    automaton = U._Automaton()
    automaton.add(set(keywords))
    fast = keywords_module()
    got = automaton.hits_of(fast, lowered)
    for k in keywords:
        assert got[automaton.ids[k]] == U._blocks_with_reference(lowered, k), k
    # The capital sigma with a sigma among the keywords is the one case left to the lowered
    # page; everything else is read from the texts.
    step, cls_lower, multi = automaton.lower_tables
    _, n_cls, bmp, big, out_start, out_ids, _, n_kw = automaton.tables
    direct = fast.text_hits(lowered.texts, step, n_cls, cls_lower, bmp, big, multi, out_start,
                            out_ids, n_kw)
    sigma_kw = any(c in k for k in keywords for c in "\u03c3\u03c2")
    assert (direct is None) == (sigma_kw and any("\u03a3" in t for t in texts))
    if direct is not None:
        assert direct == got


@needs_compiled
def test_blocks_with_never_lowers_a_page_it_can_read_directly():
    texts = ["The Court DOCKET", "nothing", "K\u0130LOMETRE docket \U00010400"]
    for _ in range(2):  # the first page queues the keyword, the next ones use the automaton
        lowered = _lowered([*texts, "x"])
        assert U.blocks_with(lowered, "docket") == [0, 2]
    assert lowered._joined is None  # read from the texts: never joined nor lowered
    assert U.blocks_with(lowered, "zq-never-asked-before") == []  # the reference lowers it
    assert lowered._joined is not None


@needs_compiled
def test_lowered_class_table_is_str_lower_of_every_bmp_code_point():
    automaton = U._Automaton()
    automaton.add({"k", "i\u0307", "\u03c3", "\u00e9t\u00e9", "\U00010428"})
    _, _, bmp, big, *_ = automaton.tables
    _, cls_lower, multi = automaton.lower_tables
    for c in range(0x10000):
        low = chr(c).lower()
        if c == U._CAPITAL_SIGMA:
            assert cls_lower[c] == U._CONTEXT
        elif len(low) != 1:
            assert cls_lower[c] == U._MULTI
            assert multi[c] == [int(bmp[ord(x)]) for x in low]
        else:
            o = ord(low)
            assert cls_lower[c] == (bmp[o] if o < 0x10000 else big.get(o, 0)), hex(c)


@needs_compiled
def test_simple_lower_case_above_the_bmp_is_str_lower():
    # `text_hits` lowers code points above the BMP one by one with the simple mapping.
    lower_of = keywords_module().lower_of
    for c in range(0x10000, 0x110000):
        ch = chr(c)
        assert lower_of(ch) == ch.lower(), hex(c)


def test_lowered_page_unpacks_as_joined_text_and_block_starts():
    lowered = _lowered(["Alpha", "\u0130x", "", "B"])
    joined, starts = lowered
    assert joined == "alpha\x00i\u0307x\x00\x00b" == lowered[0]
    assert starts == [0, 6, 10, 11] == lowered[1]


# --- the article views of rules/_util and the caption hint, written out ----------------------

_KINDS = ("content", "unknown", "related", "title", "navigation")


@st.composite
def _blocks(draw):
    out = []
    for i in range(draw(st.integers(0, 8))):
        # Lengths and link characters around the bounds (150 characters, density 0.3).
        n = draw(st.sampled_from([0, 1, 10, 149, 150, 151, 400]))
        links = draw(st.one_of(st.integers(0, n), st.sampled_from([n * 3 // 10, n * 3 // 10 + 1])))
        out.append(Block(index=i, text="x" * n, path="", kind=draw(st.sampled_from(_KINDS)),
                         link_chars=links))
    return out


@settings(max_examples=300, deadline=None)
@given(_blocks())
def test_prose_views_equal_their_predicates(blocks):
    from detector.page import Page

    page = Page(source="t", blocks=blocks)
    assert U.prose_blocks(page) == [b for b in blocks if U.is_prose(b)]
    assert U.article_blocks_text(page) == "\n".join(
        b.text for b in blocks if U.is_article_block(b))


# Brackets, the words and their near misses, ASCII and Unicode whitespace (str.isspace and
# re's \s agree on them), a last newline.
_HINT_CHARS = list("])[(ax.\n \t\r\x0b\x0c\x1c\x85\u00a0\u2003\u2028\u3000") + [
    "Photo", "Image", "Picture", "Credit", "photo", "Phot", "CREDIT"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_HINT_CHARS), max_size=12).map("".join))
def test_credit_hint_equals_its_regex(tail):
    from detector.rules.context import _CREDIT_HINT, _credit_hint

    assert _credit_hint(tail) == bool(_CREDIT_HINT.search(tail))


# Pieces of captions and prose; long whitespace runs let a match start far from the end.
_CAPTION_PIECES = ["[Kevin Lamarque/Reuters]", "(Photo: Jane Doe/AP)", "Photo: AFP",
                   "Credit: Getty", "(Image credit : X Y)", "Picture credit:\n Z", "[", "]",
                   "(", ")", "/", ":", "Reuters", "word " * 10, "A" * 70, " ", "\n", "\u00a0",
                   "\t", " " * 200, "\u2003" * 150, "x" * 300]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_CAPTION_PIECES), max_size=30).map("".join))
def test_credit_search_equals_the_full_search(text):
    from detector.rules.context import _CREDIT, _credit_search

    full, fast = _CREDIT.search(text), _credit_search(text)
    assert (full and (full.span(), full.group())) == (fast and (fast.span(), fast.group()))


def test_credit_search_starts_early_when_whitespace_lets_a_match_reach_back():
    from detector.rules.context import CREDIT_TAIL, _CREDIT, _credit_search

    text = "x" * 1000 + "(Photo" + " " * (2 * CREDIT_TAIL) + "AP)"
    m = _credit_search(text)
    assert m is not None and m.start() == 1000 and m.span() == _CREDIT.search(text).span()
