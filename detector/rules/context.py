"""Weak, context-only signals: normal on real sites, telling in combination with others."""

from __future__ import annotations

import re
from collections.abc import Iterator

from detector.page import Evidence, Page
from detector.rules import rule
from detector.rules._util import (block_evidence, blocks_with, lowered_page, prose_blocks,
                                  search_blocks)

_COMMENT_FORM = re.compile(
    r"^Leave a (?:Reply|Comment)\b|\bYour email address will not be published\.?|"
    r"\bRequired fields are marked \*|\bSave my name, email, and website in this browser\b|"
    r"^Cancel reply$", re.IGNORECASE)
# A photo credit closing a caption: "[Kevin Lamarque/Reuters]", "(Photo: Jane Doe/AP)",
# "Photo: AFP", "Credit: Getty Images".
_CREDIT = re.compile(
    r"\[[A-Z][^\[\]/\n]{1,60}/[A-Z][^\[\]\n]{1,40}\]\s*$|\((?:Photo|Image|Picture|Credit)"
    r"(?: credit)?\s*:?\s*[^()\n]{2,60}\)\s*$|\b(?:Photo|Image|Picture)(?: credit)?\s*:\s*"
    r"[A-Z][^\n]{1,60}$|\bCredit:\s*[A-Z][^\n]{1,60}$")

# Cheap test on a block's last characters before the full pattern runs (`_credit_hint`).
_CREDIT_HINT = re.compile(r"[\])]\s*$|Photo|Image|Picture|Credit")
# Lower-case literals one of which every _CREDIT_HINT match contains.
_CREDIT_HINT_LITERALS = ("]", ")", "photo", "image", "picture", "credit")


# The most characters a _CREDIT match holds outside its whitespace runs (\s*): its longest
# alternative, "[" + letter + 60 + "/" + letter + 40 + "]" (the others: 77, 76, 68).
CREDIT_MAX_SOLID = 105
# Where `_credit_search` starts on a long text, back from its end: any span holding more
# solid characters than a match can is enough; 4x leaves room for the spaces of prose.
CREDIT_TAIL = 4 * CREDIT_MAX_SOLID


def _credit_search(text: str) -> re.Match[str] | None:
    """``_CREDIT.search(text)``, scanning only the text's tail when the match cannot start
    before it. Every alternative ends at the end (``$``: the end, or before a last newline),
    so a match starting before ``pos`` covers ``text[pos:-1]``; when that holds more
    non-whitespace characters than a match can (``\\s`` is str.isspace, what str.split()
    splits on), none does, and the search from ``pos`` (which still sees the characters
    before it for ``\\b``) finds the same first match."""
    pos = len(text) - CREDIT_TAIL
    if pos > 0 and sum(map(len, text[pos:-1].split())) > CREDIT_MAX_SOLID:
        return _CREDIT.search(text, pos)
    return _CREDIT.search(text)


def _credit_hint(tail: str) -> bool:
    """``_CREDIT_HINT.search(tail)`` without the regex: a "]" or ")" followed by nothing but
    whitespace (``\\s`` and str.rstrip() strip the same characters, str.isspace; ``$`` also
    before a last newline, which is whitespace), or one of the words."""
    return (tail.rstrip().endswith(("]", ")")) or "Photo" in tail or "Image" in tail
            or "Picture" in tail or "Credit" in tail)


@rule(severity="weak")
def comment_form_boilerplate(page: Page) -> Iterator[Evidence]:
    """WordPress comment-form boilerplate ("Leave a Reply", "Required fields are marked *").

    Must flag:
        A day in the garden

        We planted tomatoes and beans this weekend, and the kids loved it.

        Leave a Reply

        Your email address will not be published. Required fields are marked *
    Must not flag:
        A day in the garden

        We planted tomatoes and beans this weekend; please reply by email if you want seeds.
    """
    yield from search_blocks("comment_form_boilerplate", page.blocks, _COMMENT_FORM,
                             "a WordPress comment form (scraper themes keep it; blogs too)",
                             ("leave a", "email address", "required fields", "save my name",
                              "cancel reply"))


@rule(severity="weak")
def caption_credit_after_article(page: Page) -> Iterator[Evidence]:
    """A photo caption with its credit ("[Kevin Lamarque/Reuters]") after the article's last
    paragraph: the copied page's image caption, pasted as text.

    Must flag:
        Biden hosts Kishida

        US President Joe Biden hosted Japanese Prime Minister Fumio Kishida at the White House on Friday, as Kishida ended a week-long diplomatic push to bolster ties with allies.

        Japan PM Kishida poses next to US VP Harris

        US Vice President Kamala Harris welcomes Japanese Prime Minister Fumio Kishida [Kevin Lamarque/Reuters]
    Must not flag:
        Biden hosts Kishida

        US Vice President Kamala Harris welcomes Japanese Prime Minister Fumio Kishida [Kevin Lamarque/Reuters]

        US President Joe Biden hosted Japanese Prime Minister Fumio Kishida at the White House on Friday, as Kishida ended a week-long diplomatic push to bolster ties with allies.
    """
    credits = {}
    # Only blocks holding one of the hint's literals can pass it.
    lowered = lowered_page(page.blocks)
    candidates = sorted({i for k in _CREDIT_HINT_LITERALS for i in blocks_with(lowered, k)})
    for b in (page.blocks[i] for i in candidates):
        if b.kind == "title" or not _credit_hint(b.text[-80:]):
            continue
        m = _credit_search(b.text)
        if m:
            credits[b.index] = m
    prose = [b.index for b in prose_blocks(page) if b.index not in credits]
    if not prose:
        return
    last = prose[-1]
    for i, m in credits.items():
        if i > last:
            b = page.blocks[i]
            yield block_evidence("caption_credit_after_article", b, m.start(), m.end(),
                                 "a photo credit after the article's last paragraph")
