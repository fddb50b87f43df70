"""Source leaks: the page's own text names another outlet as its author.

A copied article keeps its origin's self-references: "Al Jazeera's Alan Fisher, reporting from
Washington", "MEXICO CITY (AP) —", a title ending "| Reuters". On the origin (or on a partner
that credits it or links to it as canonical) that is normal; on any other host it is a leak.
Quoting an outlet ("told Reuters", "according to the BBC") is normal journalism and never fires.
Outlets come from the gazetteer detector/data/outlets.tsv.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

from detector.page import Evidence, Page
from detector.rules import rule
from detector.rules._util import (block_evidence, blocks_with, lowered_page, outlets, page_memo,
                                  served_by, title_block)

# A licence or syndication credit anywhere on the page makes a named origin legitimate.
_CREDIT = re.compile(
    r"\b(?:republished|reprinted|reproduced) (?:here )?(?:from|with (?:the )?permission|"
    r"under)|\boriginally (?:published|appeared|ran) (?:on|in|at|by)\b|\b(?:first|originally) "
    r"(?:published|appeared) (?:on|in|at|by)\b|\bdistributed by\b|\bcourtesy of\b|"
    r"\bCreative Commons\b|\bsyndicat(?:ed|ion)\b|\bcontent partner\b|\bby arrangement with\b|"
    r"\bused (?:here )?(?:with|by) permission\b|\bpublished (?:here )?(?:with|by) (?:kind )?"
    r"permission\b|\blicen[cs]ed (?:from|by|content)\b|(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?"
    r"(?:The )?(?:Associated Press|Reuters|AFP|Agence France|Bloomberg|Al Jazeera)\b|"
    # "This story was provided by Reuters and is published under licence." (the partner-site
    # credit that the rules missed on a licensed wire copy of the training corpus)
    r"\b(?:published|used|reproduced|republished) under (?:a )?licen[cs]e\b|\bprovided by "
    r"(?:The )?(?:Associated Press|Reuters|AFP|Agence France|Bloomberg)\b",
    re.IGNORECASE)
_NAME = r"[A-Z][\w'\u2019.-]+(?: [A-Z][\w'\u2019.-]+){1,2}"
_WIRES = ("AP", "Reuters", "AFP", "Xinhua", "Bloomberg", "UPI", "dpa", "ANI", "PTI", "IANS")
_WIRE_DOMAINS = {"AP": ("apnews.com", "ap.org"), "UPI": ("upi.com",), "dpa": ("dpa.com",),
                 "ANI": ("aninews.in",), "PTI": ("ptinews.com",), "IANS": ("ians.in",)}
# Wire datelines are looked for in the first few prose paragraphs only (where they stand).
DATELINE_PARAGRAPHS = 2
# ... among blocks at least this long (a dateline opens a sentence, not a menu item).
DATELINE_MIN_CHARS = 60


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = sorted(outlets(), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    credit = re.compile(
        rf"\b(?P<outlet>{alt})(?:['\u2019]s?|\s+(?:correspondent|reporter|senior correspondent))"
        rf"\s+(?P<name>{_NAME}),?\s+(?:who is\s+|is\s+)?(?:reporting|reports)\s+from\b")
    title = re.compile(rf"\s[|\u2013\u2014-]\s*(?P<outlet>{alt})\s*$")
    return credit, title


@page_memo
def _credited(page: Page) -> bool:
    """A licence/wire credit anywhere on the page (three rules ask, once per rule pass)."""
    return any(_CREDIT.search(b.text) for b in page.blocks)


def _domains(outlet: str) -> tuple[str, ...]:
    return outlets().get(outlet) or _WIRE_DOMAINS.get(outlet, ())


@rule(severity="strong")
def outlet_reporter_credit(page: Page) -> Iterator[Evidence]:
    """The text credits an outlet's own reporter ("Al Jazeera's Alan Fisher, reporting from")
    and the page is not served by that outlet, credits no licence and has no canonical to it.

    Must flag:
        Biden hosts Kishida

        Al Jazeera’s Alan Fisher, reporting from Washington, said Kishida was hoping for support.
    --
        url: https://worldnews24.example/biden-kishida
        Biden hosts Kishida

        Al Jazeera's Alan Fisher, reporting from Washington, said Kishida was hoping for support.
    Must not flag:
        url: https://www.aljazeera.com/news/2023/1/13/biden-kishida
        Biden hosts Kishida

        Al Jazeera's Alan Fisher, reporting from Washington, said Kishida was hoping for support.
    --
        url: https://localpaper.example/biden-kishida
        Biden hosts Kishida

        "We are ready," a senior official told Reuters, as Kishida met Biden in Washington.
    --
        url: https://partner.example/biden-kishida
        Biden hosts Kishida

        Al Jazeera's Alan Fisher, reporting from Washington, said Kishida was hoping for support.

        This article was originally published on Al Jazeera and is republished with permission.
    """
    credit, _ = _patterns()
    # Every match says "reporting from" or "reports from" (case-sensitive), so only blocks
    # whose lowered text holds "report" can match.
    blocks = page.blocks
    hits = [(b, m) for b in (blocks[i] for i in blocks_with(lowered_page(blocks), "report"))
            if "from" in b.text for m in credit.finditer(b.text)]
    if not hits or _credited(page):
        return
    for b, m in hits:
        if not served_by(page, _domains(m.group("outlet"))):
            yield block_evidence("outlet_reporter_credit", b, m.start(), m.end(),
                                 f"credits {m.group('outlet')}'s own reporter; page is not "
                                 f"served by {m.group('outlet')}")


_DATELINE = re.compile(rf"^(?:[A-Z][A-Za-z .,'\u2019-]{{1,60}})?\s*\((?P<wire>{'|'.join(_WIRES)})\)"
                       r"\s*[\u2014\u2013-]+")


@rule(severity="medium")
def wire_dateline_elsewhere(page: Page) -> Iterator[Evidence]:
    """A wire dateline ("MEXICO CITY (AP) —") opening the article on a host that is not the
    wire's, with no licence credit (licensed wire copy on partner sites usually credits it).

    Must flag:
        url: https://copyfarm.example/nicaragua
        Nicaragua frees 222 opponents

        MEXICO CITY (AP) — Some 222 inmates considered by many to be political prisoners left.
    Must not flag:
        url: https://apnews.com/article/nicaragua
        Nicaragua frees 222 opponents

        MEXICO CITY (AP) — Some 222 inmates considered by many to be political prisoners left.
    --
        url: https://localpaper.example/nicaragua
        Nicaragua frees 222 opponents

        Some 222 inmates considered by many to be political prisoners left, AP reported.
    --
        url: https://www.thesalemchronicle.net/news/nicaragua
        Nicaragua frees 222 opponents

        MEXICO CITY (AP) — Some 222 inmates considered by many to be political prisoners left.

        This story was provided by The Associated Press and is published under licence.
    """
    prose = list(islice((b for b in page.blocks if b.kind in ("content", "unknown")
                         and len(b.text) >= DATELINE_MIN_CHARS), DATELINE_PARAGRAPHS))
    for b in prose:
        m = _DATELINE.match(b.text)
        if m and not served_by(page, _domains(m.group("wire"))) and not _credited(page):
            yield block_evidence("wire_dateline_elsewhere", b, m.start(), m.end(),
                                 f"a {m.group('wire')} dateline on another host")


@rule(severity="medium")
def title_outlet_suffix(page: Page) -> Iterator[Evidence]:
    """The title ends with another outlet's name ("... | Al Jazeera") while the page is not
    served by it.

    Must flag:
        url: https://copyfarm.example/kishida
        Biden hosting Kishida as US, Japan bolster ties | Al Jazeera

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida at the White House.
    Must not flag:
        url: https://www.aljazeera.com/news/kishida
        Biden hosting Kishida as US, Japan bolster ties | Al Jazeera

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida at the White House.
    """
    _, title = _patterns()
    b = title_block(page)
    if b is None:
        return
    m = title.search(b.text)
    if m and not served_by(page, _domains(m.group("outlet"))) and page.url:
        yield block_evidence("title_outlet_suffix", b, m.start(), m.end(),
                             f"the title names {m.group('outlet')}, not this site")
