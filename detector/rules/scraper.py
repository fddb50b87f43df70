"""Scraper and autoblog fingerprints: text that feed-scraping plugins leave on a page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from detector.page import Evidence, Page
from detector.rules import rule
from detector.rules._util import search_blocks

_READ_FULL_ARTICLE = re.compile(r"\bread (?:the )?full (?:article|story) (?:at|on)\b\s*[:\-]?\s*$",
                                re.IGNORECASE)


@rule(severity="strong")
def read_full_article_tail(page: Page) -> Iterator[Evidence]:
    """A title or teaser ending in "read full article at": an autoblog plugin's link tail.

    Must flag:
        Biden hosting Kishida | Joe Biden News read full article at

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.
    Must not flag:
        Biden hosting Kishida as US, Japan bolster ties

        You can read the full article at our partner's site tomorrow, the editors said.
    """
    yield from search_blocks("read_full_article_tail", page.blocks, _READ_FULL_ARTICLE,
                             "a scraper plugin appends 'read full article at' to copied titles")
