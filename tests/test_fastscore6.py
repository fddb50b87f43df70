"""The faster score-only glue of branch fastscore6 gives exactly what the code it replaced
gave: the block views read in one compiled pass (detector/_fast/keywords.pyx `block_views`)
against `_block_views_reference`, the page features and the quality model's row against the
loops they replaced (kept here as the oracles), and the keyword look-ups of `spun_phrase`."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import detector.rules._util as U
from detector._fast import keywords_module
from detector.features import MAX_EVIDENCE_COUNT, SEVERITIES, page_features
from detector.model import load_model
from detector.page import BLOCK_KINDS, Block, Evidence, Flag, Page
from detector.rules import all_rules, run_rules
from detector.rules.spun import lexicon_keywords

needs_compiled = pytest.mark.skipif(keywords_module() is None,
                                    reason="detector._fast.keywords not built")

# First characters of every width (ASCII, Latin-1, BMP, above the BMP), empty texts, texts
# around the prose bound, kinds of the registry and ones it does not know.
TEXTS = st.one_of(
    st.text(alphabet="aZ \u00e9\u2026\u4e2d\U0001d538", max_size=5),
    st.builds(lambda n, c: c * n, st.integers(U.PROSE_MIN_CHARS - 2, U.PROSE_MIN_CHARS + 2),
              st.sampled_from("a\u00e9\U0001d538")),
)
KINDS = st.sampled_from((*BLOCK_KINDS, "other", "x"))


@st.composite
def block_lists(draw, kinds=KINDS):
    n = draw(st.integers(0, 30))
    out = []
    for i in range(n):
        text = draw(TEXTS)
        # An equal kind that is not the same object must count as the same kind.
        kind = draw(kinds)
        if draw(st.booleans()):
            kind = "".join(list(kind))
        links = draw(st.integers(0, len(text)))
        out.append(Block(index=i, text=text, path="", kind=kind, link_chars=links))
    return out


def _same_views(got: tuple, want: tuple) -> None:
    texts, firsts, prose, chars_of, blocks_of = got
    w_texts, w_firsts, w_prose, w_chars, w_blocks = want
    assert texts == w_texts and all(a is b for a, b in zip(texts, w_texts))
    assert firsts == w_firsts
    assert [id(b) for b in prose] == [id(b) for b in w_prose]
    assert list(chars_of.items()) == list(w_chars.items())  # same order: kinds as met
    assert list(blocks_of.items()) == list(w_blocks.items())


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(block_lists())
def test_block_views_compiled_equal_the_reference(blocks):
    got = keywords_module().block_views(blocks, U._ARTICLE_KINDS, U.PROSE_MIN_CHARS,
                                        U.PROSE_MAX_LINK_DENSITY)
    _same_views(got, U._block_views_reference(blocks))


def test_block_views_reference_is_what_the_rules_read_before():
    blocks = [Block(index=0, text="", path="", kind="title"),
              Block(index=1, text="x" * 200, path="", kind="content", link_chars=10),
              Block(index=2, text="y" * 200, path="", kind="content", link_chars=100),
              Block(index=3, text="\U0001d538bc", path="", kind="related")]
    texts, firsts, prose, chars_of, blocks_of = U._block_views_reference(blocks)
    assert firsts == "".join([b.text[:1] or "\x00" for b in blocks]) == "\x00xy\U0001d538"
    assert prose == [b for b in blocks if U.is_prose(b)] == [blocks[1]]
    assert chars_of == {"title": 0, "content": 400, "related": 3}
    assert blocks_of == {"title": [0], "content": [1, 2], "related": [3]}


@needs_compiled
def test_block_views_of_many_kinds_fall_back_to_the_reference():
    blocks = [Block(index=i, text="t" * i, path="", kind=f"kind{i}") for i in range(40)]
    assert keywords_module().block_views(blocks, U._ARTICLE_KINDS, 150, 0.3) is None
    _same_views(U._block_views_reference(blocks), U._block_views_reference(blocks))
    views = U.block_views(blocks)
    assert list(views.chars_of.values()) == list(range(40))


def test_block_views_are_made_once_a_pass_and_afresh_outside():
    page = Page(source="t", blocks=[Block(index=0, text="a" * 200, path="", kind="content")])
    with U.rule_pass(page):
        first = U.block_views(page.blocks)
        assert U.block_views(page.blocks) is first
        assert U.prose_blocks(page) == [page.blocks[0]]
    page.blocks[0].kind = "footer"  # changed after the pass: never served stale
    assert U.prose_blocks(page) == []
    assert U._first_chars(page) == "a"


def _page_features_reference(page: Page, flags: list[Flag]) -> dict[str, float]:
    """page_features as it was before fastscore6 (a dict comprehension over the rules, a sum
    per severity, a loop over the blocks)."""
    from detector.features import FORMAT_KINDS
    from detector.rules.spun import page_word_choice_llr, page_word_choice_mean

    fired = {f.id: len(f.evidence) for f in flags}
    feats = {r.id: float(min(fired.get(r.id, 0), MAX_EVIDENCE_COUNT)) for r in all_rules()}
    for severity in SEVERITIES:
        feats[f"page_flags_{severity}"] = float(sum(f.severity == severity for f in flags))
    by_kind = dict.fromkeys(BLOCK_KINDS, 0)
    for b in page.blocks:
        if b.kind != "title":
            by_kind[b.kind] = by_kind.get(b.kind, 0) + len(b.text)
    total = sum(by_kind.values()) or 1
    article = by_kind["content"]
    with U.rule_pass(page):
        feats.update({
            "page_article_chars": float(article),
            "page_article_share": article / total,
            "page_has_canonical": float(bool(page.meta.get("canonical"))),
            "page_word_choice_llr": page_word_choice_llr(page),
            "page_word_choice_mean": page_word_choice_mean(page),
        })
    for kind in BLOCK_KINDS:
        if kind not in FORMAT_KINDS:
            feats[f"page_share_{kind}"] = by_kind.get(kind, 0) / total
    return feats


def _ev(rule: str) -> Evidence:
    return Evidence(rule=rule, text="x", why="test")


@settings(max_examples=60, deadline=None)
@given(block_lists(), st.lists(st.tuples(
    st.sampled_from(("spun_phrase", "caption_credit_after_article", "not_a_rule",
                     "spun_word_choice")),
    st.sampled_from(("strong", "medium", "weak", "odd")), st.integers(1, 8)), max_size=6))
def test_page_features_equal_the_loops_they_replaced(blocks, fired):
    page = Page(source="t", blocks=blocks, meta={"canonical": "https://a.example/x"})
    flags = [Flag(rule, severity, tuple(_ev(rule) for _ in range(n)))
             for rule, severity, n in fired]
    got, want = page_features(page, flags), _page_features_reference(page, flags)
    assert list(got.items()) == list(want.items())  # same values, same column order


def test_page_features_of_real_pages_equal_the_reference(shared_data):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from throughput import pages

    from detector.datasets import DATASETS
    from detector.pipeline import prepare
    from detector.readers import ReadError, page_from_bytes

    for _, raw in pages(3, DATASETS):
        page = page_from_bytes(raw, source="<bytes>")
        if isinstance(page, ReadError):
            continue
        prepare(page)
        flags = run_rules(page)
        assert list(page_features(page, flags).items()) == list(
            _page_features_reference(page, flags).items())


def test_quality_model_row_is_the_dict_vectorizers():
    fast = load_model().fast
    if fast is None:
        pytest.skip("the shipped model does not take the fast path")
    names = list(fast.vocabulary)
    rows = [{}, {names[0]: 1, "never_a_column": 5.0}, {n: float(i) for i, n in enumerate(names)},
            {names[-1]: True, names[1]: -2.5e-300}]
    for batch in (rows, rows[:1], []):
        got, want = fast._matrix(batch), fast._matrix_reference(batch)
        assert got.shape == want.shape and got.dtype == want.dtype
        assert np.array_equal(got.view(np.int64), want.view(np.int64))  # same bits


def test_p_spam_of_one_row_is_p_spam_many():
    qm = load_model()
    names = list(qm.fast.vocabulary) if qm.fast is not None else []
    for row in ({}, {n: 1.0 for n in names[:10]}, {n: 3.0 for n in names}):
        assert repr(qm.p_spam(row)) == repr(qm.p_spam_many([row])[0])


def test_blocks_with_each_equals_one_look_up_a_keyword():
    blocks = [Block(index=i, text=t, path="") for i, t in enumerate(
        ["The court docket", "international locations", "", "COURT DOCKET again"])]
    keywords = (*lexicon_keywords()[:5], "court docket", "zq-new-keyword", "docket")
    for _ in range(2):  # the first page queues the new keywords, the next ones use them
        lowered = U.lowered_page(list(blocks))
        want = [U._blocks_with_reference(lowered, k) for k in keywords]
        assert U.blocks_with_each(lowered, keywords) == want
        assert U.blocks_with_each(lowered, ()) == []
