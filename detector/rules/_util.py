"""Small helpers shared by rule modules: evidence from regex matches, block selection."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from detector.page import Block, Evidence, Page


def block_evidence(rule: str, block: Block, start: int, end: int, why: str) -> Evidence:
    return Evidence(rule=rule, text=block.text[start:end], why=why, where="block",
                    block=block.index, start=start, end=end, path=block.path)


def url_evidence(rule: str, url: str, start: int, end: int, why: str) -> Evidence:
    return Evidence(rule=rule, text=url[start:end], why=why, where="url", start=start, end=end)


def meta_evidence(rule: str, page: Page, name: str, why: str) -> Evidence:
    value = page.meta.get(name, "")
    return Evidence(rule=rule, text=value, why=why, where=f"meta:{name}", start=0,
                    end=len(value))


def search_blocks(rule: str, blocks: Iterable[Block], pattern: re.Pattern[str],
                  why: str, keywords: tuple[str, ...] = ()) -> Iterator[Evidence]:
    """Evidence for every match of ``pattern`` in the given blocks. With ``keywords`` (lower
    case literals, one of which every match contains) blocks without any are skipped: a
    substring test is much cheaper than a regex scan, and rules run on every page."""
    if keywords and isinstance(blocks, list):
        # Only the blocks holding a keyword, found with one scan of the page per keyword.
        hits: set[int] = set()
        lowered = lowered_page(blocks)
        for k in keywords:
            hits.update(blocks_with(lowered, k))
        for i in sorted(hits):
            b = blocks[i]
            for m in pattern.finditer(b.text):
                yield block_evidence(rule, b, m.start(), m.end(), why)
        return
    for b in blocks:
        if keywords:
            lower = b.text.lower()
            if not any(k in lower for k in keywords):
                continue
        for m in pattern.finditer(b.text):
            yield block_evidence(rule, b, m.start(), m.end(), why)


# Joins the lowered block texts; no keyword contains it, so a keyword found in the joined text
# lies inside one block. str.lower maps it (a control character, not cased) to itself and treats
# it as a word boundary, like the end of a string, so each block's part is exactly its lower().
_SEP = "\x00"
# The lowered page of the last block list asked for: every rule runs on the same page in turn,
# so one entry serves them all. Checked by identity of the list and of every block's text, so a
# changed or different page is never served stale values.
_LOWERED: list = [None, (), "", []]


def lowered_page(blocks: list[Block]) -> tuple[str, list[int]]:
    """(the blocks' lower-cased texts joined by _SEP, where each block starts in it), computed
    once a page."""
    cached_list, texts, joined, starts = _LOWERED
    if (cached_list is blocks and len(texts) == len(blocks)
            and all(t is b.text for t, b in zip(texts, blocks))):
        return joined, starts
    texts = tuple(b.text for b in blocks)
    joined = _SEP.join(texts).lower()
    lengths = [len(t) for t in texts]
    if len(joined) != sum(lengths) + max(len(texts) - 1, 0):
        # lower() made something longer ("\u0130" -> "i\u0307"): lengths of the lowered texts.
        lengths = [len(t.lower()) for t in texts]
    starts, at = [], 0
    for n in lengths:
        starts.append(at)
        at += n + 1
    _LOWERED[:] = [blocks, texts, joined, starts]
    return joined, starts


def blocks_with(lowered: tuple[str, list[int]], keyword: str) -> list[int]:
    """Positions of the blocks whose lower-cased text contains ``keyword`` (a non-empty
    lower-case literal), in order: what ``keyword in b.text.lower()`` selects. ``lowered`` is
    `lowered_page` of the blocks."""
    joined, starts = lowered
    out: list[int] = []
    i = joined.find(keyword)
    n = len(keyword)
    while i >= 0:
        k = bisect_right(starts, i) - 1
        nxt = starts[k + 1] if k + 1 < len(starts) else len(joined) + 1
        if i + n < nxt:  # inside block k (not across the separator after it)
            out.append(k)
            i = joined.find(keyword, nxt)
        else:
            i = joined.find(keyword, i + 1)
    return out


# --- page regions ----------------------------------------------------------------------------

# A block at least this long, of kind content (or untyped), is article prose. Chosen so that
# captions and one-line teasers (mostly < 200 characters) are not prose, while the short
# paragraphs of news writing (one or two sentences, ~150-400 characters) mostly are; on the seed
# the last prose paragraph is its Security Council paragraph (196 chars: the bound is 150).
PROSE_MIN_CHARS = 150
_ARTICLE_KINDS = frozenset({"content", "unknown"})


def is_prose(b: Block) -> bool:
    return b.kind in _ARTICLE_KINDS and len(b.text) >= PROSE_MIN_CHARS and b.link_density < 0.3


def article_span(page: Page) -> tuple[int, int]:
    """(first, last) index of the article prose blocks; (-1, -1) when there are none."""
    idx = [b.index for b in page.blocks if is_prose(b)]
    return (idx[0], idx[-1]) if idx else (-1, -1)


def body_text(page: Page) -> str:
    """The text of the prose blocks, joined (what the article itself says)."""
    return "\n".join(b.text for b in page.blocks if is_prose(b))


def next_block(page: Page, b: Block) -> Block | None:
    return page.blocks[b.index + 1] if b.index + 1 < len(page.blocks) else None


# --- outlet gazetteer ------------------------------------------------------------------------

_OUTLETS: dict[str, tuple[str, ...]] | None = None


def outlets() -> dict[str, tuple[str, ...]]:
    """Outlet name -> its domains, from detector/data/outlets.tsv."""
    global _OUTLETS
    if _OUTLETS is None:
        from pathlib import Path

        table: dict[str, tuple[str, ...]] = {}
        path = Path(__file__).resolve().parents[1] / "data" / "outlets.tsv"
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, _, domains = line.partition("\t")
            table[name.strip()] = tuple(d.strip() for d in domains.split("|") if d.strip())
        _OUTLETS = table
    return _OUTLETS


def served_by(page: Page, domains: Iterable[str]) -> bool:
    """True when the page's URL (or its canonical / og:url) is on one of the domains."""
    from detector.urls import host_of, same_site

    hosts = {host_of(page.url), host_of(page.meta.get("canonical")), host_of(page.meta.get("og:url"))}
    hosts.discard("")
    return any(same_site(h, d) for h in hosts for d in domains)
