"""The rules' fast paths select exactly what the plain code they replace selects."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from detector.page import Block
from detector.rules._util import blocks_with, lowered_page
from detector.rules.teasers import _TRUNCATED, _truncated

# Few characters, so keywords and ellipses occur often; with case pairs, the sigma, the dotted
# capital I (lower() makes it longer), the separator and Unicode spaces.
_CHARS = list("abAB .[]\u2026\n\t\u00a0\u2003\x00\u03a3\u0130")
texts = st.text(alphabet=st.sampled_from(_CHARS), max_size=14)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_truncated_equals_the_regex(text):
    assert _truncated(text) == bool(_TRUNCATED.search(text))


@settings(max_examples=500, deadline=None)
@given(st.lists(texts, max_size=6), st.sampled_from(["a", "ab", "b a", "..", "\u03c3", "i\u0307a",
                                                      "a\u2026", "ba.b"]))
def test_blocks_with_equals_a_lowered_substring_test(block_texts, keyword):
    blocks = [Block(index=i, text=t, path=f"line:{i}") for i, t in enumerate(block_texts)]
    expected = [i for i, b in enumerate(blocks) if keyword in b.text.lower()]
    assert blocks_with(lowered_page(blocks), keyword) == expected


def test_lowered_page_is_recomputed_when_a_block_changes():
    blocks = [Block(index=0, text="Court docket", path="line:1")]
    assert blocks_with(lowered_page(blocks), "docket") == [0]
    blocks[0].text = "Nothing here"
    assert blocks_with(lowered_page(blocks), "docket") == []
    assert re.search("nothing", lowered_page(blocks)[0])
