"""Page-level word-choice features and format-free page statistics (docs/recall3.md)."""

import pytest

from detector.features import FORMAT_KINDS, page_features
from detector.pipeline import prepare
from detector.readers import page_from_bytes, page_from_text
from detector.rules import _util as U
from detector.rules import _wordchoice, run_rules
from detector.rules import spun as S
from tests.test_rules_wordchoice import CLEAN, SPUN

TITLE = "Japan defence"


def _text_page(paragraphs: list[str]):
    return prepare(page_from_text(TITLE + "\n\n" + "\n\n".join(paragraphs) + "\n", source="t"))


def _html_page(paragraphs: list[str]):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>"
            f"{body}</article></body></html>")
    return prepare(page_from_bytes(html.encode(), source="h"))


def _features(page):
    with U.rule_pass(page):
        return page_features(page, run_rules(page))


def test_spun_body_scores_higher_than_its_original_page_wide():
    clean, spun = _features(_text_page([CLEAN] * 3)), _features(_text_page([SPUN] * 3))
    assert spun["page_word_choice_llr"] > clean["page_word_choice_llr"]
    assert spun["page_word_choice_mean"] > clean["page_word_choice_mean"]
    # the sum is the per-word mean times the words scored: three blocks add up
    one = _features(_text_page([SPUN]))
    assert spun["page_word_choice_llr"] == pytest.approx(3 * one["page_word_choice_llr"])
    assert spun["page_word_choice_mean"] == pytest.approx(one["page_word_choice_mean"])


def test_page_without_prose_has_zero_word_choice_scores():
    feats = _features(_text_page(["Short line.", "Another short line."]))
    assert feats["page_word_choice_llr"] == 0.0 and feats["page_word_choice_mean"] == 0.0


def test_short_paragraphs_count_page_wide_but_not_for_the_rule():
    # a 1-sentence paragraph: under the rule's 25 content words, over the page bound of 10
    short = SPUN.split(". ")[0] + "."
    m = _wordchoice.model()
    (bs,) = m.score_texts([short])
    assert S.PAGE_WORD_CHOICE_MIN_WORDS <= bs.content_words < S.WORD_CHOICE_MIN_WORDS
    page = _text_page([short] * 2)
    feats = _features(page)
    assert feats["page_word_choice_llr"] != 0.0 and feats["spun_word_choice"] == 0.0


def test_no_column_tells_html_from_plain_text():
    paras = [CLEAN, SPUN, CLEAN]
    html, text = _features(_html_page(paras)), _features(_text_page(paras))
    assert html.keys() == text.keys()
    assert not any(k == f"page_share_{kind}" for k in html for kind in FORMAT_KINDS)
    assert "page_is_html" not in html and "page_link_density" not in html
    page_cols = [k for k in html if k.startswith("page_")
                 and k not in ("page_flags_weak", "page_flags_medium", "page_flags_strong")]
    assert {k: html[k] for k in page_cols} == pytest.approx({k: text[k] for k in page_cols})


def _rule_reference(page) -> list:
    """spun_word_choice as it was before the page-level scores: its own batch of the first
    prose blocks, bounded by the rule's words and score."""
    m = _wordchoice.model()
    blocks = U.prose_blocks(page)[:S.WORD_CHOICE_MAX_BLOCKS]
    scores = m.score_texts([b.text for b in blocks], S.WORD_CHOICE_MIN_WORDS,
                           S.WORD_CHOICE_MIN_SCORE)
    out = []
    for b, bs in zip(blocks, scores):
        if bs is None or bs.content_words < S.WORD_CHOICE_MIN_WORDS \
                or bs.score < S.WORD_CHOICE_MIN_SCORE:
            continue
        out += [U.block_evidence("spun_word_choice", b, s.start, s.end,
                                 f"unusual word choice (spun block, LLR {bs.score:.1f}); "
                                 f"news text would say '{s.original}'") for s in bs.suspects]
    return out


def test_rule_evidence_unchanged_by_the_shared_scores():
    pages = [_text_page([SPUN, CLEAN, SPUN.split(". ")[0] + ".", SPUN]),
             _html_page([SPUN] * 4), _text_page([CLEAN] * 2)]
    for page in pages:
        assert list(S.spun_word_choice(page)) == _rule_reference(page)
    assert any(_rule_reference(p) for p in pages)


def test_rule_evidence_unchanged_on_real_pages(shared_data):
    from detector.datasets import load
    from detector.readers import ReadError

    n = fired = 0
    for name in ("l3s_gn1", "wcxb_dev"):
        for gp in load(name, limit=40):
            page = page_from_bytes(gp.raw(), source=gp.id, url=gp.url)
            if isinstance(page, ReadError):
                continue
            prepare(page)
            ev = list(S.spun_word_choice(page))
            assert ev == _rule_reference(page), gp.id
            n += 1
            fired += bool(ev)
    assert n > 50


def test_rules_and_features_score_the_body_once_in_one_pass(monkeypatch):
    page = _text_page([SPUN] * 3)
    calls = []
    m = _wordchoice.model()
    real = type(m).score_texts

    def counting(self, texts, *a, **k):
        calls.append(len(texts))
        return real(self, texts, *a, **k)

    monkeypatch.setattr(type(m), "score_texts", counting)
    with U.rule_pass(page):  # the pipeline's pass; run_rules' own pass is the same one
        feats = page_features(page, run_rules(page))
    assert len(calls) == 1 and feats["page_word_choice_llr"] > 0
    page_features(page, run_rules(page))  # outside one pass: computed afresh, still right
    assert len(calls) == 3
