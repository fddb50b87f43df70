"""The faster score stages (branch fastscore) give exactly what their references give:
the keyword automaton of `blocks_with` (detector/_fast/keywords.pyx) against one str.find scan
per keyword, the per-page memo of `teaser_lists`, the cached rule order, and the whole rule
pass against the pure-Python paths on real pages of ../shared/data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import detector.rules._util as U
from detector._fast import keywords_module
from detector.page import Block, Page

needs_compiled = pytest.mark.skipif(keywords_module() is None,
                                    reason="detector._fast.keywords not built")

# Characters that exercise the automaton: keyword letters, overlapping prefixes, the block
# separator, characters whose lower() is longer ("\u0130") or context-dependent ("\u03a3"),
# and one above the BMP.
ALPHABET = "abcab |.\u2026\x00\u0130\u03a3\u03c3\U0001d538Ee"
KEYWORDS = ("a", "ab", "abc", "bca", "b a", "|", "\u2026", "e\u0307", "\u03c3", "\U0001d538",
            "ca", "aa", "\x00a", "c\x00", "abcabc")


def _lowered(texts: list[str]) -> tuple[str, list[int]]:
    blocks = [Block(index=i, text=t, path="") for i, t in enumerate(texts)]
    return U.lowered_page(blocks)


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=8),
       st.lists(st.one_of(st.sampled_from(KEYWORDS), st.text(alphabet=ALPHABET, min_size=1,
                                                               max_size=4)),
                min_size=1, max_size=12, unique=True))
def test_automaton_equals_find_per_keyword(texts, keywords):
    lowered = _lowered(texts)
    automaton = U._Automaton()
    automaton.add(set(keywords))
    hits = automaton.hits(keywords_module(), *lowered)
    for k in keywords:
        assert hits[automaton.ids[k]] == U._blocks_with_reference(lowered, k), k


@needs_compiled
def test_blocks_with_serves_new_keywords_by_reference_then_from_the_automaton():
    pages = [["The court docket", "international locations", "nothing"],
             ["a docket here", "locations and DOCKET", ""],
             ["no hit", "Docket"]]
    fresh = "zq-docket-test"  # a keyword no rule asks for
    seen = []
    for texts in pages * 2:
        lowered = _lowered(texts + [f"x {fresh} y"])
        for k in ("docket", "locations", fresh):
            assert U.blocks_with(lowered, k) == U._blocks_with_reference(lowered, k)
        seen.append(fresh in U._KEYWORDS.ids)
    assert seen[0] is False and seen[-1] is True  # added to the automaton from the next page


def test_blocks_with_pure_python_switch(monkeypatch):
    monkeypatch.setenv("DETECTOR_PURE_PYTHON", "1")
    U._HITS[:] = [None, None, None]
    lowered = _lowered(["Court docket", "x", "docket docket"])
    assert U.blocks_with(lowered, "docket") == [0, 2]
    assert U._HITS[2] is None  # no automaton pass


def test_lowered_page_is_recomputed_when_a_block_text_changes():
    blocks = [Block(index=0, text="Alpha", path=""), Block(index=1, text="Beta", path="")]
    assert U.lowered_page(blocks)[0] == "alpha\x00beta"
    blocks[1].text = "Gamma"
    assert U.lowered_page(blocks)[0] == "alpha\x00gamma"


def test_page_memo_computes_once_per_rule_pass_and_always_outside_one():
    calls = []

    @U.page_memo
    def kinds(page: Page) -> list[str]:
        calls.append(page)
        return [b.kind for b in page.blocks]

    page = Page(source="t", blocks=[Block(index=0, text="a", path="", kind="content")])
    assert kinds(page) == ["content"] and kinds(page) == ["content"] and len(calls) == 2
    with U.rule_pass(page):
        assert kinds(page) == ["content"] and kinds(page) == ["content"] and len(calls) == 3
        other = Page(source="u", blocks=[Block(index=0, text="b", path="", kind="related")])
        assert kinds(other) == ["related"] and len(calls) == 4  # not the pass's page
    page.blocks[0].kind = "related"
    assert kinds(page) == ["related"] and len(calls) == 5
    with U.rule_pass(page):
        assert kinds(page) == ["related"] and kinds(page) == ["related"] and len(calls) == 6


def test_all_rules_order_follows_registry_changes():
    from detector.rules import REGISTRY, all_rules, rule

    before = [r.id for r in all_rules()]
    assert before == sorted(REGISTRY)

    @rule(severity="weak")
    def aaa_fastscore_probe(page):  # noqa: ARG001
        return ()

    try:
        assert [r.id for r in all_rules()] == sorted(before + ["aaa_fastscore_probe"])
    finally:
        del REGISTRY["aaa_fastscore_probe"]
    assert [r.id for r in all_rules()] == before


# Pages of each of two datasets for the real-page check (~10 s with the pure-Python run).
REAL_PAGES_PER_DATASET = 60


def test_rule_pass_and_scores_equal_pure_python_on_shared_data(shared_data, monkeypatch):
    """Every rule's evidence through run_rules (automaton, memo) equals each rule run alone
    on the pure-Python paths; and `score` gives the same result dict."""
    from detector.datasets import load
    from detector.pipeline import prepare, score
    from detector.readers import ReadError, page_from_bytes
    from detector.rules import all_rules, run_rules

    raws, pages = [], []
    for name in ("l3s_gn1", "wcxb_dev"):
        for gp in load(name, limit=REAL_PAGES_PER_DATASET):
            page = page_from_bytes(gp.raw(), source=gp.id, url=gp.url, id=gp.id)
            if not isinstance(page, ReadError):
                raws.append(gp.raw())
                pages.append(prepare(page))
    assert len(pages) > 50
    fast = [[f.to_dict() for f in run_rules(p)] for p in pages]
    scored = [score(raw).to_dict(blocks=True, features=True) for raw in raws[:30]]
    with monkeypatch.context() as mp:
        mp.setenv("DETECTOR_PURE_PYTHON", "1")
        U._HITS[:] = [None, None, None]
        ref = [[{"id": r.id, "severity": r.severity,
                 "evidence": [e.to_dict() for e in ev]}
                for r in all_rules() for ev in [r(p)] if ev] for p in pages]
        ref_scored = [score(raw).to_dict(blocks=True, features=True) for raw in raws[:30]]
    assert fast == ref and sum(map(len, fast)) > 10
    assert scored == ref_scored


# --- the compiled token scan of spun_word_choice ----------------------------------------------

# Letters, apostrophes, digits of other scripts ("\u0663", fullwidth "\uff11"; "\u00b2" is a
# digit to str.isdigit but not to re's \d), the name test's strip and sentence-end characters,
# and characters whose lower() or case tests are unusual.
SCAN_ALPHABET = ("abcXYZ '\u2019.,:!?\n\u2014\"\u201c\u2018(\t0123456789\u0663\uff11\u00b2"
                 "\u017f\u212a\u0130")
SCAN_WORDS = ("the ", "Japan ", "court ", "docket ", "international ", "locations ", "US ",
              "NATO ", "it\u2019s ", "Kishida's ", "3.5 ", "1,000 ")


@pytest.mark.skipif(__import__("detector._fast", fromlist=["wordchoice_module"])
                    .wordchoice_module() is None, reason="detector._fast.wordchoice not built")
@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SCAN_WORDS), st.text(alphabet=SCAN_ALPHABET,
                                                                max_size=3)), max_size=40))
def test_compiled_scan_equals_python_scan_and_reference(parts):
    import detector.rules._wordchoice as wc
    from detector._fast import wordchoice_module

    text = "".join(parts)
    ft = wc.model()._fast_tables()
    compiled = wordchoice_module().scan(text, ft.token_cache, ft.token_entry)
    assert compiled == wc._scan_python(text, {}, ft) == wc._scan_reference(text, ft)


# --- the compiled count features of spun_word_choice ------------------------------------------

def test_compiled_count_features_equal_numpy_bit_for_bit():
    import random

    import detector.rules._wordchoice as wc
    from detector._fast import wordchoice_module

    if wordchoice_module() is None:
        pytest.skip("detector._fast.wordchoice not built")
    m = wc.model()
    ft = m._fast_tables()
    rnd = random.Random(7)
    words = ("the court docket said international locations Japan NATO it's economic financial "
             "ties revealed unveiled disbursement spending superlative greatest ocean sea gdp "
             "defence service challenge lonely analyzes dealings position act upon growing "
             "influence status relations done alone studies 2 3.5 a I x").split()
    for _ in range(60):
        texts = [" ".join(rnd.choice(words) for _ in range(rnd.randrange(0, 80)))
                 for _ in range(rnd.randrange(0, 7))]
        scans = [wc._scan(t, ft) for t in texts]
        rows, best = m._features_batch(scans)
        ref_rows, ref_best = m._features_batch_numpy(scans)
        assert rows.shape == ref_rows.shape and rows.tobytes() == ref_rows.tobytes()
        assert best == ref_best


# --- pre-filters and shared page views --------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ("Al Jazeera's Alan Fisher", " reporting", " reported", " reports", " from", "\n", " ",
     "Reporting by Jane Doe", "Jane Doe,", " Washington", "fromage", "reporting from.", "By",
     "Reuters' Tim Kelly", " reports  from Tokyo")), max_size=12))
def test_reporter_credit_hint_never_hides_a_credit(parts):
    from detector.rules import persona

    text = "".join(parts)
    unfiltered = [m.group("a") or m.group("b") or m.group("c")
                  for m in persona._REPORTER_CREDIT.finditer(text)]
    assert persona._credited_reporters(text) == unfiltered


def test_blocks_starting_with_and_prose_blocks_select_what_the_loops_selected():
    texts = ["About Jane Doe", "By admin", "", "Source link", "Go to Source", "about x",
             "A" * 200, "Written by Jo Bo", "Posted by Al Li", "S" * 160]
    page = Page(source="t", blocks=[Block(index=i, text=t, path="", kind="content")
                                    for i, t in enumerate(texts)])
    for chars in ("A", "ABWP", "SG", "S", "x"):
        assert U.blocks_starting_with(page, chars) == \
            [b for b in page.blocks if b.text[:1] and b.text[0] in chars]
    assert U.prose_blocks(page) == [b for b in page.blocks if U.is_prose(b)]
    page.blocks[6].kind = "related"  # a change is seen
    assert U.prose_blocks(page) == [page.blocks[9]]
    assert U.article_span(page) == (9, 9)


def test_views_are_checked_again_in_each_rule_pass():
    from detector.rules import run_rules

    prose = "The city council approved the budget on Tuesday after a long debate. " * 3
    page = Page(source="t", blocks=[Block(index=0, text="Budget", path="", kind="title"),
                                    Block(index=1, text=prose, path="", kind="content"),
                                    Block(index=2, text="Nothing here", path="",
                                          kind="footer")])
    assert "source_link_footer" not in {f.id for f in run_rules(page)}
    page.blocks[2].text = "Source link"  # changed between passes: seen by the next one
    assert "source_link_footer" in {f.id for f in run_rules(page)}
    with U.rule_pass(page):
        assert U.prose_blocks(page) == [page.blocks[1]]
        assert U.lowered_page(page.blocks)[0].endswith("source link")
    page.blocks[1].kind = "related"
    assert U.prose_blocks(page) == []  # outside a pass every call checks
    with U.rule_pass(page):
        assert U.prose_blocks(page) == []


def test_packed_key_table_equals_key_table_and_binary_search():
    import numpy as np

    import detector.rules._wordchoice as wc
    from detector._fast import wordchoice_module

    fast = wordchoice_module()
    if fast is None:
        pytest.skip("detector._fast.wordchoice not built")
    ft = wc.model()._fast_tables()
    rng = np.random.default_rng(3)
    for keys, logs in ((ft.keys, ft.log_counts), (ft.skip_keys, ft.log_skip)):
        packed = fast.PackedTable(keys, logs, ft.v)
        pick = rng.choice(len(keys), 3000)
        a = np.concatenate((keys[pick] // ft.v, rng.integers(-2, ft.v, 3000), [-1, 0, 5]))
        b = np.concatenate((keys[pick] % ft.v, rng.integers(-2, ft.v, 3000), [0, -1, -3]))
        got = packed.lookup(a, b)
        assert got.tobytes() == ft._lookup_sorted(keys, logs, a, b).tobytes()
        assert (got > 0).sum() >= 3000 * 0.9  # the picked keys are found
    # Repeated keys keep the first value, as the binary search does.
    keys = np.array([3, 7, 7, 7, 12], dtype=np.int64)
    logs = np.array([0.5, 1.5, 2.5, 3.5, 4.5])
    packed = fast.PackedTable(keys, logs, 10)
    assert packed.lookup(np.array([0, 0, 1, 0], dtype=np.int64),
                         np.array([7, 3, 2, 8], dtype=np.int64)).tolist() == [1.5, 0.5, 4.5, 0.0]


# One string after the first letter of each alternative of the two anchored case-insensitive
# patterns that now look only at blocks starting with one of their first letters.
_HEADING_TAILS = ("heck Also", "elated", "ou May Also Like", "ou might also like", "ore News",
                  "ead More", "lso Read", "ee Also", "ecommended", "atest News", "ecent Posts",
                  "rending", "ore from X", "on't Miss", "opular Posts")
_BYLINE_TAILS = ("y admin", "osted by admin", "ritten by admin", "uthor admin", "uthor: admin")


@pytest.mark.parametrize("which", ["heading", "byline"])
def test_first_letter_classes_keep_every_block_the_patterns_can_match(which):
    from detector.rules import persona, teasers

    pattern, first, tails = (
        (teasers._RELATED_HEADING, teasers._RELATED_HEADING_FIRST, _HEADING_TAILS)
        if which == "heading" else
        (persona._GENERIC_BYLINE, persona._GENERIC_BYLINE_FIRST, _BYLINE_TAILS))
    assert all(any(pattern.match(c + t) for c in first) for t in tails)  # the tails are real
    texts = [chr(cp) + t for cp in range(0x10000) for t in tails if pattern.match(chr(cp) + t)]
    assert "\u017f" + "ee Also" in texts or which == "byline"  # long s folds to s
    blocks = [Block(index=i, text=t, path="") for i, t in enumerate(texts + ["", "x", "Zz"])]
    page = Page(source="t", blocks=blocks)
    kept = U.blocks_starting_with(page, first, ignorecase=True)
    assert [b.text for b in kept] == texts
