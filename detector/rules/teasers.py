"""Truncated teaser lists: "Check Also" / "Related" blocks whose items are cut with "…".

Scraper themes fill a related-posts widget with other copied stories, each cut mid-sentence.
Real publishers have related lists too (normal), so the list alone is medium; a list whose
teasers are themselves spun is a scraper's (strong).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from detector.page import Block, Evidence, Page
from detector.rules import rule
from detector.rules._util import block_evidence, blocks_of_kinds, blocks_starting_with, page_memo
from detector.rules.spun import spun_matches

_RELATED_HEADING = re.compile(
    r"^(?:Check Also|Related(?: Posts| Articles| Stories| News)?|You May Also Like|You might "
    r"also like|More (?:News|Stories)|Read (?:More|Also|Next)|Also Read|See Also|Recommended"
    r"(?: for you)?|Latest (?:News|Posts)|Recent Posts|Trending(?: Now)?|More from .{1,40}|"
    r"Don'?t Miss|Popular (?:Posts|Stories))\s*:?$", re.IGNORECASE)
# The first letters of _RELATED_HEADING's alternatives.
_RELATED_HEADING_FIRST = "CRYMASLTDP"
# An item cut by the widget: ends with an ellipsis (…, ..., […], [...]), nothing after.
_TRUNCATED = re.compile(r"(?:\u2026|\.\.\.|\[\u2026\]|\[\.\.\.\])\s*$")
_ELLIPSES = ("\u2026", "...", "[\u2026]", "[...]")


def _truncated(text: str) -> bool:
    """``_TRUNCATED.search(text)``, without scanning the text: ``\\s`` and str.rstrip() strip
    the same characters (str.isspace)."""
    return text.rstrip().endswith(_ELLIPSES)


# How many blocks after a related heading belong to its list (titles and teasers alternate).
LIST_WINDOW = 24
# Truncated items needed to call it a teaser list (one cut sentence is normal prose).
MIN_TRUNCATED_ITEMS = 2
_KINDS = frozenset({"related", "navigation"})


@page_memo  # two rules ask for it on every page
def teaser_lists(page: Page) -> list[tuple[Block | None, list[Block]]]:
    """(heading, truncated items) of every teaser list: a related heading followed by cut
    items, or (on typed HTML) a run of cut items in related blocks."""
    lists: list[tuple[Block | None, list[Block]]] = []
    used: set[int] = set()
    blocks = page.blocks
    # (The only blocks the heading can match in: its first letter, case-insensitively.)
    for b in blocks_starting_with(page, _RELATED_HEADING_FIRST, ignorecase=True):
        if len(b.text) <= 50 and _RELATED_HEADING.match(b.text):
            items = [x for x in blocks[b.index + 1:b.index + 1 + LIST_WINDOW]
                     if len(x.text) >= 20 and x.index not in used and _truncated(x.text)]
            if len(items) >= MIN_TRUNCATED_ITEMS:
                lists.append((b, items))
                used.update(x.index for x in items)
    run = [b for b in blocks_of_kinds(blocks, _KINDS) if b.index not in used
           and len(b.text) >= 40 and _truncated(b.text)]
    if len(run) >= MIN_TRUNCATED_ITEMS + 1:
        lists.append((None, run))
    return lists


def _why(n: int) -> str:
    return f"a related-posts list of {n} teasers cut with an ellipsis"


@rule(severity="medium")
def truncated_teaser_list(page: Page) -> Iterator[Evidence]:
    """A "Check Also"/"Related" list of two or more teasers cut with "…".

    Must flag:
        Biden hosts Kishida

        The two leaders met at the White House on Friday to discuss security.

        Check Also

        Russia's Lavrov visits Sudan

        Lavrov arrived in Khartoum seeking to bolster the two countries' economic ties, particularly …

        Nicaragua frees 222 opponents

        Some 222 inmates considered by many to be political prisoners …
    Must not flag:
        Biden hosts Kishida

        The two leaders met at the White House on Friday to discuss security...

        Check Also

        Russia's Lavrov visits Sudan

        Nicaragua frees 222 opponents
    """
    for heading, items in teaser_lists(page):
        if heading is not None:
            yield block_evidence("truncated_teaser_list", heading, 0, len(heading.text),
                                 _why(len(items)))
        for x in items:
            yield block_evidence("truncated_teaser_list", x, 0, len(x.text), _why(len(items)))


@rule(severity="strong")
def spun_teaser_list(page: Page) -> Iterator[Evidence]:
    """A truncated teaser list whose teasers contain spinner phrases: spun copies, listed.

    Must flag:
        Biden hosts Kishida

        The two leaders met at the White House on Friday to discuss security.

        Check Also

        Lavrov arrived in Khartoum looking for to bolster the 2 international locations' financial ties, particularly …

        When African champions US Monastir step onto the court docket on Friday on the FIBA …
    Must not flag:
        Biden hosts Kishida

        The two leaders met at the White House on Friday to discuss security.

        Check Also

        Lavrov arrived in Khartoum seeking to bolster the two countries' economic ties, particularly …

        When African champions US Monastir step onto the court on Friday on the FIBA …
    """
    for _, items in teaser_lists(page):
        for x in items:
            for m, orig in spun_matches(x):
                yield block_evidence("spun_teaser_list", x, m.start(), m.end(),
                                     f"a listed teaser is spun ('{orig}')")
