"""Block typing: which blocks are the article and which are boilerplate, and of what kind.

First version: token and link-density heuristics. To be replaced by the learned block
classifier and context smoothing of the boilerplate issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from detector.page import Block, Page

_KIND_TOKENS = {
    "navigation": {"nav", "menu", "breadcrumb", "breadcrumbs", "navbar", "topbar", "sidebar"},
    "related": {"related", "relatedposts", "also", "recommended", "more", "teaser", "widget"},
    "comments": {"comment", "comments", "respond", "reply", "commentform", "disqus"},
    "author": {"author", "byline", "bio", "authorbox"},
    "caption": {"caption", "wp", "figcaption", "credit"},
    "share": {"share", "social", "sharing", "addthis", "sharedaddy"},
    "footer": {"footer", "copyright", "legal", "colophon"},
    "ad": {"ad", "ads", "advert", "advertisement", "sponsored", "banner"},
}


@dataclass(slots=True)
class Extraction:
    """Article text and typed blocks of one page."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    page_type: str = "article"
    title: str = ""


def classify_blocks(page: Page) -> Page:
    """Set ``kind`` and ``confidence`` on every block of a segmented page."""
    for b in page.blocks:
        if b.tag == "title":
            b.kind, b.confidence = "title", 1.0
            continue
        toks = set(b.tokens[-6:])
        kind = "content"
        for k, vocab in _KIND_TOKENS.items():
            if toks & vocab:
                kind = k
                break
        if kind == "content" and (b.link_density > 0.5 or len(b.text) < 25):
            kind = "navigation" if b.link_density > 0.5 else "content"
        b.kind, b.confidence = kind, 0.5
    return page


def extraction_of(page: Page) -> Extraction:
    return Extraction(text=page.article_text(), blocks=page.blocks, page_type=page.page_type,
                      title=page.title)
