"""The synonym spinner: what it replaces, what it keeps, and that it is reproducible."""

import random

import pytest

from detector.spin import Spinner

TINY = {
    "seek": {"v": ["look for", "try"]},
    "country": {"n": ["nation", "land"]},
    "court": {"n": ["tribunal"]},
    "story": {"n": ["narrative"]},
    "bolster": {"n": ["long pillow"], "v": ["bolster up", "pad"]},
    "paris": {"n": ["city of light"]},
}


def _tiny() -> Spinner:
    return Spinner(oewn=TINY)


def test_rate_one_replaces_every_known_content_word_with_inflection():
    out = _tiny().spin("Officials are seeking to bolster the countries' court.", 1.0,
                       random.Random(0))
    assert "looking for" in out or "trying" in out
    assert "nations" in out or "lands" in out
    assert "tribunal" in out
    assert "to pad" in out  # verb sense after "to", not "long pillow"


def test_rate_zero_is_identity():
    text = "Officials are seeking to bolster the countries' court."
    assert _tiny().spin(text, 0.0, random.Random(0)) == text


def test_names_are_skipped_and_capitals_kept():
    sp = _tiny()
    out = sp.spin("Story of the week: the mayor of Paris spoke to the court.", 1.0,
                  random.Random(0))
    assert out.startswith("Narrative of the week")
    assert "Paris" in out


def test_same_seed_same_output():
    text = "The court heard the story of two countries seeking help. " * 5
    a = _tiny().spin(text, 0.3, random.Random(5))
    b = _tiny().spin(text, 0.3, random.Random(5))
    assert a == b


def test_real_thesaurus_spins_about_rate(shared_data):
    sp = Spinner.load(shared_data / "thesaurus")
    text = ("The Japanese government unveiled a major defence overhaul in December, including "
            "doubling spending to 2 percent of gross domestic product by 2027 and designating "
            "China as the greatest strategic challenge ever to the country's security.")
    out = sp.spin(text, 0.3, random.Random(1))
    assert out != text
    changed = len(set(text.split()) - set(out.split()))
    assert 1 <= changed <= 12
    assert "China" in out and "Japanese" in out


def test_changes_point_at_the_replacements():
    text = "Officials are seeking to bolster the countries' court."
    out, changes = _tiny().spin_with_changes(text, 1.0, random.Random(0))
    assert changes
    for start, end, original in changes:
        assert original in text
        assert out[start:end] != original
