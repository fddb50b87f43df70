"""The field's metrics, reproduced exactly (detector.metrics)."""

import pytest

from detector.metrics import aeb_score, shingle_pr, shingles, snippet_counts, snippet_score


def test_shingles_are_case_kept_word_4grams_with_multiplicity():
    s = shingles("a b c d a b c d")
    assert s[("a", "b", "c", "d")] == 2
    assert s[("b", "c", "d", "a")] == 1
    assert ("A", "b", "c", "d") not in shingles("a b c d")


def test_short_text_is_one_shorter_shingle():
    assert shingles("hello world") == {("hello", "world"): 1}
    assert shingles("") == {}


def test_shingle_pr_partial_overlap():
    gold = "one two three four five six"  # 3 shingles
    pred = "one two three four five seven"  # 3 shingles, 1 shared
    p, r = shingle_pr(pred, gold)
    assert p == pytest.approx(2 / 3) and r == pytest.approx(2 / 3)


def test_empty_both_counts_perfect_and_empty_pred_zero_recall():
    assert shingle_pr("", "") == (1.0, 1.0)
    assert shingle_pr("", "a b c d e") == (1.0, 0.0)


def test_aeb_f1_is_harmonic_mean_of_macro_averages():
    sc = aeb_score([("a b c d", "a b c d"), ("", "w x y z")])
    assert sc.precision == pytest.approx(1.0) and sc.recall == pytest.approx(0.5)
    assert sc.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_snippets_whitespace_normalised_and_micro_averaged():
    assert snippet_counts("the  quick\nbrown fox", ["quick brown"], ["fox"]) == (1, 1, 0)
    sc = snippet_score([("abc", ["abc", "zzz"], ["b"]), ("", ["q"], [])])
    assert (sc.precision, sc.recall) == (pytest.approx(0.5), pytest.approx(1 / 3))
