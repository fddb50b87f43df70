"""Raw material of the corpus: real pages of ../shared/data and the articles inside them.

A `RealPage` is one benchmark page as crawled (a legitimate publisher: a negative). An
`Article` is the gold title and text of a real article page, the raw material a scraper copies.
Both carry ``site``: the host the page came from (or a stand-in when the set gives no URL), so
that splits can keep source sites apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from detector import datasets
from detector.urls import host_of

# Sets whose pages are legitimate publishers (all of them: see ../shared/data/README.md).
NEGATIVE_SETS = ("l3s_gn1", "dragnet", "cleaneval", "cleanportaleval", "readability",
                 "trafilatura_eval", "wcxb_dev")
# Sets whose gold article text is a news/blog article we can republish (English, full text).
ARTICLE_SETS = ("l3s_gn1", "dragnet", "cleanportaleval", "readability", "wcxb_dev")
# Shorter gold texts are teasers or failed extractions, not articles a scraper would copy.
MIN_ARTICLE_CHARS = 600
# Paragraphs shorter than this in a gold text are usually stray captions or datelines; kept,
# but an article needs at least this many real paragraphs.
MIN_PARAGRAPHS = 3
_WS = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True, slots=True)
class RealPage:
    dataset: str
    id: str
    url: str | None
    site: str
    page_type: str  # wcxb's page type, "article" for the news sets, "mixed" for cleaneval
    raw: bytes


@dataclass(frozen=True, slots=True)
class Article:
    dataset: str
    id: str
    url: str | None
    site: str
    title: str
    paragraphs: tuple[str, ...]
    raw: bytes  # the original page, for proxy mirrors


def site_of(dataset: str, page_id: str, url: str | None) -> str:
    """The source host; pages without a URL are their own site (``dataset:id``)."""
    host = host_of(url) if url and "://" in url else ""
    return host.removeprefix("www.") if host else f"{dataset}:{page_id}"


def real_pages(sets: tuple[str, ...] = NEGATIVE_SETS, limit: int | None = None
               ) -> Iterator[RealPage]:
    for name in sets:
        for g in datasets.load(name, limit=limit):
            ptype = g.page_type or ("mixed" if name in ("cleaneval", "trafilatura_eval")
                                    else "article")
            yield RealPage(name, g.id, g.url, site_of(name, g.id, g.url), ptype, g.raw())


def articles(sets: tuple[str, ...] = ARTICLE_SETS, limit: int | None = None
             ) -> Iterator[Article]:
    """Real articles with a gold body long enough to republish."""
    for name in sets:
        for g in datasets.load(name, limit=limit):
            if g.page_type not in (None, "article") or not g.article:
                continue
            paras = _paragraphs(g.article)
            if sum(map(len, paras)) < MIN_ARTICLE_CHARS or len(paras) < MIN_PARAGRAPHS:
                continue
            raw = g.raw()
            title = (g.extra.get("title") or g.extra.get("headline") or _html_title(raw)
                     or paras[0][:90])
            title = _WS.sub(" ", str(title)).strip()
            if paras[0] == title:
                paras = paras[1:]
            yield Article(name, g.id, g.url, site_of(name, g.id, g.url), title,
                          tuple(paras), raw)


def _paragraphs(text: str) -> tuple[str, ...]:
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = _WS.sub(" ", line).strip()
        if line:
            out.append(line)
    return tuple(out)


def _html_title(raw: bytes) -> str:
    try:
        node = LexborHTMLParser(raw.decode("utf-8", "replace")).css_first("title")
    except Exception:  # a broken page simply has no title
        return ""
    return node.text(strip=True) if node is not None else ""


@lru_cache(maxsize=1)
def outlet_names() -> dict[str, str]:
    """Outlet name by domain, from the rules' gazetteer (detector/data/outlets.tsv)."""
    from detector.rules._util import outlets

    return {d.removeprefix("www."): name for name, domains in outlets().items() for d in domains}


def outlet_of(site: str) -> str:
    """A readable outlet name for a host: the gazetteer's name, else the host's main label."""
    names = outlet_names()
    parts = site.split(":")[0].split(".")
    for i in range(len(parts) - 1):  # news.bbc.co.uk -> bbc.co.uk
        hit = names.get(".".join(parts[i:]))
        if hit:
            return hit
    core = parts[-2] if len(parts) >= 2 else parts[0]
    return core.capitalize()
