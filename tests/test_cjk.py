"""Blocks in scripts written without spaces (Han, kana): their words, punctuation and
sentence ends in the block features (detector.blocks.features.block_words; docs/extract7.md)."""

from __future__ import annotations

import math

import pytest

from detector.blocks.features import FEATURE_NAMES, block_pass, block_words, page_matrix
from detector.page import Block
from tests.conftest import compiled_features_or_skip

COL = {n: i for i, n in enumerate(FEATURE_NAMES)}


def _block(text: str, i: int = 0) -> Block:
    return Block(index=i, text=text, path=f"/html/body/div[1]/p[{i + 1}]", tag="p")


def test_block_words_splits_han_and_kana_only():
    assert block_words("The council met on Tuesday.") == "The council met on Tuesday.".split()
    assert block_words("東京の会議 met today") == ["東", "京", "の", "会", "議", "met", "today"]
    # Hangul is written with spaces: its words stay whole
    assert block_words("서울 시의회 회의") == ["서울", "시의회", "회의"]
    assert block_words("玉峰道路一路上 順路下切") == list("玉峰道路一路上") + list("順路下切")
    assert block_words("") == []


def test_chinese_block_reads_as_prose():
    """A sentence of Han characters has as many words as characters, its full-width commas
    and full stop count as punctuation, and it ends a sentence; a line of text without
    spaces used to be one long word with no punctuation (a menu item's profile)."""
    text = "一波波接續性低溫寒流報到，已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣。"
    row = page_matrix([_block(text)], "")[0]
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    assert row[COL["log_words"]] == pytest.approx(math.log1p(han))
    assert row[COL["ends_sentence"]] == 1.0
    assert row[COL["punct_ratio"]] == pytest.approx(2 / len(text))
    # one character a word: the average word is a character long, not the whole line
    assert row[COL["avg_word_len"]] < 2.0


def test_chinese_stopwords_and_title_overlap_count_characters():
    """Single-character function words of the stopword list (的, 是, 在, 了 ...) count, and the
    title's characters are its words."""
    text = "我們在營地的晚上是很冷的"
    rows = block_pass([_block(text)], "營地的晚上")[0]
    stop = rows[0][3]
    assert 0.0 < stop < 1.0
    assert rows[0][11] == pytest.approx(1.0)  # every title character is in the block


def test_compiled_pass_equals_reference_on_cjk_blocks():
    fm = compiled_features_or_skip()
    texts = ["一波波接續性低溫寒流報到，已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣。",
             "東京の会議 met today！", "ニュース", "分類 Sports 2013/12/28 10:42",
             "서울 시의회 회의", "The council met.", "「引用」です？", "x" * 500 + "中文" * 300,
             "中文" * 300 + " end."]
    blocks = [_block(t, i) for i, t in enumerate(texts)]
    for title in ("", "營地的晚上 | 旅遊日記", "Council news"):
        ref = block_pass(blocks, title)
        got = fm.block_pass_arrays(blocks, title)
        assert got[0].tolist() == [list(map(float, r)) for r in ref[0]], title
        assert got[3].tolist() == ref[3]


def test_japanese_easy_news_page_keeps_its_article(shared_data):
    """trafilatura_eval's NHK "easy news" page (a training page): its article is short
    kana/kanji paragraphs; every one of its `with` snippets was lost before (the blocks read
    as one-word menu items) and all are found now, with no `without` snippet."""
    from detector.datasets import load
    from detector.metrics import snippet_counts
    from detector.pipeline import extract

    page = next((g for g in load("trafilatura_eval") if g.id == "nhk.or.jp.k100"), None)
    if page is None:
        pytest.skip("nhk.or.jp.k100 is not in this copy of trafilatura_eval")
    text = extract(page.raw(), url=page.url).text
    tp, fp, fn = snippet_counts(text, page.with_snippets, page.without_snippets)
    assert fn == 0 and tp == len(page.with_snippets) > 0
    assert fp == 0
