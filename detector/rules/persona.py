"""Persona bylines: author boxes and bylines that do not belong to the story's writer.

Scraper sites sign copied stories with an invented or celebrity persona ("About Lionel Messi")
or a default account ("admin"), while the copied text itself still credits its real reporter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from detector.page import Evidence, Page
from detector.rules import rule
from detector.rules._util import (article_blocks_text, block_evidence, blocks_starting_with,
                                  blocks_with, lowered_page, meta_evidence, next_block)

# A person's name: two or three capitalised words.
NAME = r"[A-Z][\w'\u2019.-]+(?: [A-Z][\w'\u2019.-]+){1,2}"
# The label a theme puts before an author's name ("By", "Posted by", "Written by", "Author:").
BY_LABEL = r"(?:By|Posted by|Written by|Author:?)"
# An author box heading or a byline standing alone as a block.
_AUTHOR_BOX = re.compile(rf"^(?:About(?: the)?(?: author| Author)?:?\s+)(?P<name>{NAME})$")
_BYLINE = re.compile(rf"^{BY_LABEL}\s+(?P<name>{NAME})$")
# Longest block that can be an author box heading or a lone byline.
AUTHOR_BLOCK_MAX_CHARS = 60
# The text credits a reporter of its own: "Al Jazeera's Alan Fisher, reporting from",
# "Reporting by Jane Doe", "Jane Doe reports from" (an author box elsewhere then is a persona).
_REPORTER_CREDIT = re.compile(
    rf"\b[A-Z][\w ]{{1,30}}['\u2019]s?\s+(?P<a>{NAME}),?\s+(?:reporting|reported|reports)\s+from\b|"
    rf"\bReporting by (?P<b>{NAME})|\b(?P<c>{NAME}),?\s+(?:reporting|reports)\s+from\b")
_GENERIC = frozenset({"admin", "administrator", "webmaster", "editor", "author", "site admin",
                      "site editor", "wpadmin", "user", "guest"})
_GENERIC_BYLINE = re.compile(rf"^{BY_LABEL}\s+(?P<name>admin|"
                             r"administrator|webmaster|editor|site admin|wpadmin)\b\.?\s*$",
                             re.IGNORECASE)
# The first letters of _GENERIC_BYLINE's alternatives (By, Posted by, Written by, Author).
_GENERIC_BYLINE_FIRST = "BPWA"
# A bio says at least this much; an author box followed by less has no bio.
BIO_MIN_CHARS = 60


# "About Us", "About Our Ads", "About the McClatchy Company": pages about a site, not a person.
_NOT_PERSON = frozenset("""Us Our The This These Me My Your Site Company Ads New Advertising
Privacy Cookies Contact Terms Careers""".split())


def _is_person(name: str) -> bool:
    return not any(w in _NOT_PERSON for w in name.split())


# A byline split over two elements, as themes write it ("<div>By</div> <a>Jane Doe</a>"):
# the label alone, then the name alone.
_BY_LABEL_ALONE = re.compile(rf"^{BY_LABEL}$")
_NAME_ALONE = re.compile(rf"^(?P<name>{NAME})$")


def _author_blocks(page: Page) -> Iterator[tuple[object, re.Match[str]]]:
    blocks = page.blocks
    for b in blocks_starting_with(page, "ABWP"):  # the only blocks the patterns can match
        if b.kind == "title" or len(b.text) > AUTHOR_BLOCK_MAX_CHARS:
            continue
        m = _AUTHOR_BOX.match(b.text) or _BYLINE.match(b.text)
        if m is None and _BY_LABEL_ALONE.match(b.text) and b.index + 1 < len(blocks):
            b = blocks[b.index + 1]
            if b.kind == "title" or len(b.text) > AUTHOR_BLOCK_MAX_CHARS:
                continue
            m = _NAME_ALONE.match(b.text)
        if m and _is_person(m.group("name")):
            yield b, m


# What every _REPORTER_CREDIT match contains (its alternatives' verb + "from", or "Reporting
# by "): one quick scan, so the costly pattern (it tries every capital) runs only where it can
# match. "reported" alone is common in news prose; "reported from" is not.
_REPORTER_CREDIT_HINT = re.compile(r"(?:reporting|reported|reports)\s+from\b|Reporting by ")


def _credited_reporters(text: str) -> list[str]:
    if not _REPORTER_CREDIT_HINT.search(text):
        return []
    out = []
    for m in _REPORTER_CREDIT.finditer(text):
        out.append(m.group("a") or m.group("b") or m.group("c"))
    return out


@rule(severity="strong")
def persona_author_box(page: Page) -> Iterator[Evidence]:
    """An author box or byline whose name the article never mentions, while the article text
    credits another reporter of its own ("Al Jazeera's Alan Fisher, reporting from").

    Must flag:
        Biden hosts Kishida

        Al Jazeera's Alan Fisher, reporting from Washington, said Kishida was hoping the meeting would help his standing at home, where his popularity is falling.

        About Lionel Messi
    --
        Biden hosts Kishida

        Kishida was hoping the meeting would help his standing at home, where his popularity is falling, analysts in Tokyo said on Friday.

        Al Jazeera's Alan Fisher, reporting from Washington, said the talks would go on.

        About Lionel Messi
    --
        <html><head><title>Biden hosts Kishida</title></head><body><h1>Biden hosts Kishida</h1><div class="td-post-author-name"><div class="td-author-by">By</div> <a href="/author/lionel-messi/">Lionel Messi</a></div><p>Kishida was hoping the meeting would help his standing at home, where his popularity is falling, analysts in Tokyo said on Friday.</p><p>Al Jazeera's Alan Fisher, reporting from Washington, said the talks would go on.</p></body></html>
    Must not flag:
        Biden hosts Kishida

        Alan Fisher, reporting from Washington, said Kishida was hoping the meeting would help his standing at home, where his popularity is falling.

        About Alan Fisher
    --
        <html><head><title>Biden hosts Kishida</title></head><body><h1>Biden hosts Kishida</h1><div class="td-post-author-name"><div class="td-author-by">By</div> <a href="/author/alan-fisher/">Alan Fisher</a></div><p>Kishida was hoping the meeting would help his standing at home, where his popularity is falling, analysts in Tokyo said on Friday.</p><p>Al Jazeera's Alan Fisher, reporting from Washington, said the talks would go on.</p></body></html>
    --
        Biden hosts Kishida

        Kishida was hoping the meeting would help his standing at home, where his popularity is falling, analysts in Tokyo said on Friday.

        About Jane Doe
    """
    # Every _REPORTER_CREDIT match holds "eport" (reporting, reports, Reporting by): a page
    # without it anywhere credits no one ("eport" holds no separator: a hit of the lowered page
    # is a hit in a block).
    if not blocks_with(lowered_page(page.blocks), "eport"):
        return
    # All article blocks, short ones too: news sites give a reporter's credit a paragraph of its
    # own ("Al Jazeera's Alan Fisher, reporting from Washington, said ...", ~100 characters).
    text = article_blocks_text(page)
    credited = _credited_reporters(text) if "eport" in text else []
    if not credited:
        return
    for b, m in _author_blocks(page):
        name = m.group("name")
        surname = name.split()[-1]
        if name in credited or surname in text:
            continue
        yield block_evidence("persona_author_box", b, m.start(), m.end(),
                             f"signed '{name}' but the text credits {credited[0]}")


@rule(severity="medium")
def generic_persona_byline(page: Page) -> Iterator[Evidence]:
    """A byline or author metadata that is a default account ("admin", "webmaster").

    Must flag:
        Council approves budget

        By admin

        The city council approved the budget on Tuesday after a long debate over road repairs.
    --
        <html><head><title>Council approves budget</title><meta name="author" content="admin"></head><body><p>The city council approved the budget on Tuesday after a long debate over road repairs.</p></body></html>
    Must not flag:
        Council approves budget

        By Maria Lopez

        The city council approved the budget on Tuesday, the admin office said after the vote.
    """
    for key in ("author", "article:author"):
        value = page.meta.get(key, "")
        if value.strip().lower() in _GENERIC:
            yield meta_evidence("generic_persona_byline", page, key,
                                f"author metadata is the default account '{value}'")
    # (The only blocks the pattern can match in: its first letter, case-insensitively.)
    for b in blocks_starting_with(page, _GENERIC_BYLINE_FIRST, ignorecase=True):
        if len(b.text) <= AUTHOR_BLOCK_MAX_CHARS:
            m = _GENERIC_BYLINE.match(b.text)
            if m:
                yield block_evidence("generic_persona_byline", b, m.start(), m.end(),
                                     "signed by a default account, not a person")


@rule(severity="weak")
def author_box_without_bio(page: Page) -> Iterator[Evidence]:
    """An "About NAME" author box with no bio after it (a persona box on a scraper theme).

    Must flag:
        Biden hosts Kishida

        Kishida was hoping the meeting would help his standing at home, where his popularity is falling, analysts said.

        About Lionel Messi

        Check Also
    Must not flag:
        Biden hosts Kishida

        Kishida was hoping the meeting would help his standing at home, where his popularity is falling, analysts said.

        About Jane Doe

        Jane Doe covers Japanese politics from Tokyo and has reported on three prime ministers since 2012.
    """
    for b in blocks_starting_with(page, "A"):  # the only blocks _AUTHOR_BOX can match
        if b.kind == "title" or len(b.text) > AUTHOR_BLOCK_MAX_CHARS:
            continue
        m = _AUTHOR_BOX.match(b.text)
        if not m or not _is_person(m.group("name")):
            continue
        nxt = next_block(page, b)
        if nxt is None or len(nxt.text) < BIO_MIN_CHARS:
            yield block_evidence("author_box_without_bio", b, m.start(), m.end(),
                                 "an author box with no biography")
