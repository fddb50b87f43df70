"""Small helpers shared by rule modules: evidence from regex matches, block selection."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import accumulate
from operator import attrgetter
from typing import TypeVar

import numpy as np

from detector._fast import keywords_module
from detector.page import Block, Evidence, Page
from detector.urls import host_of, same_site

_TEXT = attrgetter("text")
_PLUS_ONE = (1).__add__
T = TypeVar("T")


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


class LoweredPage:
    """The blocks' lower-cased texts joined by _SEP and where each block starts in it: unpacks
    as ``(joined, starts)``. Both are made on first use: with the compiled keyword pass,
    `blocks_with` reads the block texts themselves and most pages never need them."""

    __slots__ = ("texts", "_joined", "_starts", "hits")

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.texts = texts
        self._joined: str | None = None
        self._starts: list[int] = []
        self.hits: list[list[int]] | None | object = _UNSCANNED  # blocks per keyword id

    def _lower(self) -> None:
        texts = self.texts
        joined = _SEP.join(texts).lower()
        lengths = list(map(len, texts))
        if len(joined) != sum(lengths) + max(len(texts) - 1, 0):
            # lower() made something longer ("\u0130" -> "i\u0307"): lengths of the lowered texts.
            lengths = [len(t.lower()) for t in texts]
        # Block k starts after the k earlier blocks and their separators.
        self._starts = list(accumulate(map(_PLUS_ONE, lengths[:-1]), initial=0)) if lengths else []
        self._joined = joined

    @property
    def joined(self) -> str:
        if self._joined is None:
            self._lower()
        return self._joined

    @property
    def starts(self) -> list[int]:
        if self._joined is None:
            self._lower()
        return self._starts

    def __iter__(self) -> Iterator:
        return iter((self.joined, self.starts))

    def __getitem__(self, i: int):
        return (self.joined, self.starts)[i]

    def __len__(self) -> int:
        return 2


_UNSCANNED = object()  # `LoweredPage.hits` before the keyword pass has looked at the page
# The lowered page of the last block list asked for: every rule runs on the same page in turn,
# so one entry serves them all. Checked by identity of the list and of every block's text, so a
# changed or different page is never served stale values.
# Within one rule pass (`rule_pass`) the entry, once checked, is served without checking.
_LOWERED: list = [None, (), None, -1]


def lowered_page(blocks: list[Block]) -> LoweredPage:
    """(the blocks' lower-cased texts joined by _SEP, where each block starts in it), made
    once a page (a `LoweredPage`: each part made when first read)."""
    cached_list, texts, lowered, checked_in = _LOWERED
    in_pass = _PASS[1] is blocks
    if in_pass and checked_in == _PASS[0] and cached_list is blocks:
        return lowered
    # (Tuple equality compares in C, identity first: equal texts lower to equal values.)
    current = block_views(blocks).texts if in_pass else tuple(map(_TEXT, blocks))
    if cached_list is blocks and texts == current:
        _LOWERED[3] = _PASS[0] if in_pass else -1
        return lowered
    lowered = LoweredPage(current)
    _LOWERED[:] = [blocks, current, lowered, _PASS[0] if in_pass else -1]
    return lowered


def blocks_with(lowered: LoweredPage, keyword: str) -> list[int]:
    """Positions of the blocks whose lower-cased text contains ``keyword`` (a non-empty
    lower-case literal), in order: what ``keyword in b.text.lower()`` selects. ``lowered`` is
    `lowered_page` of the blocks.

    With the compiled path (detector/_fast/keywords.pyx), every keyword the rules asked for
    on earlier pages is looked for in one pass over the page (an Aho-Corasick automaton), the
    first time a page is asked about: over the block texts, each character read as its lower
    case (`keywords.text_hits`), or over the lowered page where that cannot tell (a capital
    sigma when a keyword holds a sigma). `_blocks_with_reference` (one scan per keyword)
    gives the same lists and serves keywords the automaton does not hold yet."""
    if not keyword or not lowered.texts:
        return _blocks_with_reference(lowered, keyword)
    hits = lowered.hits
    if hits is _UNSCANNED:  # a page not scanned yet
        fast, hits = keywords_module(), None
        if fast is not None:
            if _PENDING:
                _KEYWORDS.add(_PENDING)
            hits = _KEYWORDS.hits_of(fast, lowered)
        lowered.hits = hits
        _HITS[:] = [lowered, lowered.texts, hits]
    kid = _KEYWORDS.ids.get(keyword)
    if kid is None or hits is None:
        if kid is None and len(_KEYWORDS.ids) + len(_PENDING) < KEYWORDS_MAX:
            _PENDING.add(keyword)  # in the automaton from the next page on
        return _blocks_with_reference(lowered, keyword)
    return list(hits[kid])


def blocks_with_each(lowered: LoweredPage, keywords: tuple[str, ...]) -> list[list[int]]:
    """``[blocks_with(lowered, k) for k in keywords]``, with the keywords the automaton holds
    read from its hits in one loop (a rule asking for many keywords: `spun.spun_phrase`)."""
    if not keywords:
        return []
    out = [blocks_with(lowered, keywords[0])]  # (scans the page when it is not yet)
    hits, ids = lowered.hits, _KEYWORDS.ids
    if hits is None or hits is _UNSCANNED:
        return out + [blocks_with(lowered, k) for k in keywords[1:]]
    for k in keywords[1:]:
        kid = ids.get(k)
        out.append(list(hits[kid]) if kid is not None else blocks_with(lowered, k))
    return out


def _blocks_with_reference(lowered: tuple[str, list[int]], keyword: str) -> list[int]:
    """`blocks_with` by str.find, one scan of the page per keyword (the reference)."""
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


# Distinct keywords the automaton holds at most. The rules ask for a fixed set (~80: the spun
# lexicon's and the search_blocks keywords); the bound only guards against a rule that would
# ask for page-dependent words (those would then go through the reference, never grow it).
KEYWORDS_MAX = 1000


class _Automaton:
    """The keywords asked for so far, as the tables of `keywords.block_hits`: an Aho-Corasick
    automaton over character classes (each character of some keyword is a class, every other
    character class 0) with a full transition table."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tables: tuple | None = None
        self.lower_tables: tuple | None = None

    def add(self, new: set[str]) -> None:
        keywords = [*self.ids, *sorted(new - self.ids.keys())]
        new.clear()
        self.ids = {k: i for i, k in enumerate(keywords)}
        chars = sorted({c for k in keywords for c in k})
        if len(chars) >= 0xFFFF:  # classes are uint16: leave it to the reference
            self.tables = self.lower_tables = None
            return
        cls = {c: i + 1 for i, c in enumerate(chars)}
        n_cls = len(chars) + 1
        goto: list[dict[int, int]] = [{}]
        out: list[list[int]] = [[]]
        for kid, k in enumerate(keywords):
            s = 0
            for ch in k:
                c = cls[ch]
                t = goto[s].get(c)
                if t is None:
                    t = goto[s][c] = len(goto)
                    goto.append({})
                    out.append([])
                s = t
            out[s].append(kid)
        # Breadth first: a state's failure state is shallower, so it is complete when used.
        delta = [[0] * n_cls for _ in goto]
        fail = [0] * len(goto)
        queue = []
        for c, t in goto[0].items():
            delta[0][c] = t
            queue.append(t)
        head = 0
        while head < len(queue):
            s = queue[head]
            head += 1
            out[s] = out[s] + [k for k in out[fail[s]] if k not in out[s]]
            for c in range(n_cls):
                t = goto[s].get(c)
                if t is None:
                    delta[s][c] = delta[fail[s]][c]
                else:
                    fail[t] = delta[fail[s]][c]
                    delta[s][c] = t
                    queue.append(t)
        bmp = np.zeros(0x10000, dtype=np.uint16)
        big: dict[int, int] = {}  # code point -> class, above the BMP
        for c, i in cls.items():
            if ord(c) < 0x10000:
                bmp[ord(c)] = i
            else:
                big[ord(c)] = i
        # The class of each BMP code point's lower case, for `keywords.text_hits`.
        lower_cp, multi_cps = _bmp_lower()
        in_bmp = (lower_cp >= 0) & (lower_cp < 0x10000)
        cls_lower = np.where(in_bmp, bmp[np.where(in_bmp, lower_cp, 0)], 0).astype(np.uint16)
        above = np.flatnonzero(lower_cp >= 0x10000)  # a BMP letter lowering above it (none yet)
        for c in above.tolist():
            cls_lower[c] = big.get(int(lower_cp[c]), 0)
        multi: dict[int, list[int]] = {}
        for c, low in multi_cps.items():
            multi[c] = [cls.get(x, 0) for x in low]
            cls_lower[c] = _MULTI
        if cls.get("\u03c3") or cls.get("\u03c2"):  # which one depends on the context
            cls_lower[_CAPITAL_SIGMA] = _CONTEXT
        out_start = np.cumsum([0] + [len(o) for o in out], dtype=np.int32)
        out_ids = np.array([k for o in out for k in o], dtype=np.int32)
        self.tables = (np.array(delta, dtype=np.int32).reshape(-1), n_cls, bmp, big,
                       out_start, out_ids, np.array([len(k) for k in keywords], dtype=np.int32),
                       len(keywords))
        # `keywords.text_hits`' transitions: the next state pre-multiplied by the class count,
        # doubled, + 1 where a keyword ends (int32: below 2**31 for any automaton it is built
        # for, else the lowered page is used).
        fits = 2 * len(goto) * n_cls < 2**31
        nxt = np.array(delta, dtype=np.int64).reshape(-1)
        step = (2 * nxt * n_cls + (out_start[1:] > out_start[:-1])[nxt]).astype(np.int32)
        self.lower_tables = (step, cls_lower, multi) if n_cls < _MULTI and fits else None

    def hits_of(self, fast, lowered: LoweredPage) -> list[list[int]] | None:
        """The blocks of every keyword: from the block texts when the tables allow it
        (`keywords.text_hits`), else from the lowered page (`hits`)."""
        if self.tables is None:
            return None
        if self.lower_tables is not None:
            _, n_cls, bmp, big, out_start, out_ids, _, n_kw = self.tables
            step, cls_lower, multi = self.lower_tables
            found = fast.text_hits(lowered.texts, step, n_cls, cls_lower, bmp, big, multi,
                                   out_start, out_ids, n_kw)
            if found is not None:
                return found
        return self.hits(fast, *lowered)

    def hits(self, fast, joined: str, starts: list[int]) -> list[list[int]] | None:
        if self.tables is None:
            return None
        return fast.block_hits(joined, np.asarray(starts, dtype=np.int64), *self.tables)


# Marks of `keywords.text_hits`' lowered class table (values no class takes: classes stay
# below _MULTI, else the lowered page is used): lower case longer than one character, lower
# case decided by the context.
_MULTI, _CONTEXT = 0xFFFE, 0xFFFF
_CAPITAL_SIGMA = 0x3A3
_BMP_LOWER: list = []


def _bmp_lower() -> tuple[np.ndarray, dict[int, str]]:
    """(the code point of ``chr(c).lower()`` for every c below 0x10000, -1 where it is longer
    than one character; those code points and their lower case), computed once."""
    if not _BMP_LOWER:
        lowered = [chr(c).lower() for c in range(0x10000)]
        cps = np.array([ord(x) if len(x) == 1 else -1 for x in lowered], dtype=np.int64)
        _BMP_LOWER[:] = [cps, {c: x for c, x in enumerate(lowered) if len(x) != 1}]
    return _BMP_LOWER[0], _BMP_LOWER[1]


_KEYWORDS = _Automaton()
_PENDING: set[str] = set()
# The page the hits are of: (lowered text, block starts, blocks per keyword id).
_HITS: list = [None, None, None]


# --- per-page memo --------------------------------------------------------------------------

# The rule pass under way (`rule_pass`): its number, and the block list it runs on (None
# outside a pass). Rules read a page and never change it, so within one pass a view checked
# once for that block list is served again without checking (the check costs a walk over
# every block, and rules ask for the views ~15 times a page).
_PASS: list = [0, None]


@contextmanager
def rule_pass(page: Page) -> Iterator[None]:
    """Mark a pass of every rule over one page (detector.rules.run_rules). Within a pass over
    the same block list it is that pass: the pipeline opens one around the rules and the
    features (`detector.features.page_features` reads what `spun_word_choice` computed)."""
    if _PASS[1] is page.blocks:
        yield
        return
    _PASS[0] += 1
    _PASS[1] = page.blocks
    try:
        yield
    finally:
        _PASS[1] = None


def page_memo(func: Callable[[Page], T]) -> Callable[[Page], T]:
    """``func(page)`` computed once per rule pass (`rule_pass`, which `run_rules` opens): several
    rules call the same helper in turn (`teasers.teaser_lists`). One entry, for the pass under
    way; outside a pass every call computes afresh (as before there was a memo), so a changed
    page is never served a stale value. The helper must read only the page, and its callers
    must not change what it returns."""
    last: list = [None, -1]  # value, pass number (a pass is over one page's blocks)

    @functools.wraps(func)
    def memo(page: Page) -> T:
        if _PASS[1] is not page.blocks:  # not in a rule pass over this page
            return func(page)
        if last[1] != _PASS[0]:
            last[:] = [func(page), _PASS[0]]
        return last[0]

    return memo


# --- page regions ----------------------------------------------------------------------------

# A block at least this long, of kind content (or untyped), is article prose. Chosen so that
# captions and one-line teasers (mostly < 200 characters) are not prose, while the short
# paragraphs of news writing (one or two sentences, ~150-400 characters) mostly are; on the seed
# the last prose paragraph is its Security Council paragraph (196 chars: the bound is 150).
PROSE_MIN_CHARS = 150
# An article block is less than this share of links (more is a list of links, not prose).
PROSE_MAX_LINK_DENSITY = 0.3
_ARTICLE_KINDS = frozenset({"content", "unknown"})


def is_article_block(b: Block) -> bool:
    return b.kind in _ARTICLE_KINDS and b.link_density < PROSE_MAX_LINK_DENSITY


def is_prose(b: Block) -> bool:
    return is_article_block(b) and len(b.text) >= PROSE_MIN_CHARS


class BlockViews:
    """What several rules and the page features read of every block, read in one pass
    (`block_views`). Shared: do not change its lists or dicts."""

    __slots__ = ("texts", "firsts", "prose", "chars_of", "blocks_of")

    def __init__(self, texts: tuple[str, ...], firsts: str, prose: list[Block],
                 chars_of: dict[str, int], blocks_of: dict[str, list[int]]) -> None:
        self.texts = texts  # every block's text
        self.firsts = firsts  # the first character of each ("\x00" for an empty text)
        self.prose = prose  # the article prose blocks (`is_prose`), in order
        self.chars_of = chars_of  # kind -> characters of its blocks' texts (kinds as met)
        self.blocks_of = blocks_of  # kind -> positions of its blocks, ascending


# The views of the rule pass under way: (pass number, block list, views).
_VIEWS: list = [-1, None, None]


def block_views(blocks: list[Block]) -> BlockViews:
    """The `BlockViews` of a block list: computed once per rule pass (`rule_pass`), afresh
    outside one. With the compiled path (detector/_fast/keywords.pyx `block_views`) one C
    loop, else `_block_views_reference` (the same values; tests compare them)."""
    in_pass = _PASS[1] is blocks
    if in_pass and _VIEWS[0] == _PASS[0] and _VIEWS[1] is blocks:
        return _VIEWS[2]
    fast = keywords_module()
    got = None if fast is None else fast.block_views(blocks, _ARTICLE_KINDS, PROSE_MIN_CHARS,
                                                     PROSE_MAX_LINK_DENSITY)
    views = BlockViews(*(got if got is not None else _block_views_reference(blocks)))
    if in_pass:
        _VIEWS[:] = [_PASS[0], blocks, views]
    return views


def _block_views_reference(blocks: list[Block]) -> tuple:
    """(texts, first characters, prose blocks, characters per kind, positions per kind) of
    the blocks, as `BlockViews` holds them (the reference of the compiled loop)."""
    texts = tuple(map(_TEXT, blocks))
    firsts = "".join([t[:1] or "\x00" for t in texts])
    prose = [b for b in blocks if is_prose(b)]
    chars_of: dict[str, int] = {}
    blocks_of: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        chars_of[b.kind] = chars_of.get(b.kind, 0) + len(b.text)
        blocks_of.setdefault(b.kind, []).append(i)
    return texts, firsts, prose, chars_of, blocks_of


def title_block(page: Page) -> Block | None:
    """The page's first block when it is its title (the ``<title>``, or a block typed title):
    what the title rules read; None otherwise."""
    if page.blocks:
        b = page.blocks[0]
        if b.kind == "title" or b.tag == "title":
            return b
    return None


def prose_blocks(page: Page) -> list[Block]:
    """The article prose blocks (`is_prose`), in order. Shared: do not change the list."""
    return block_views(page.blocks).prose


def article_span(page: Page) -> tuple[int, int]:
    """(first, last) index of the article prose blocks; (-1, -1) when there are none."""
    prose = prose_blocks(page)
    return (prose[0].index, prose[-1].index) if prose else (-1, -1)


def article_blocks_text(page: Page) -> str:
    """The text of every article block (`is_prose` without its length bound), joined: a
    one-sentence paragraph ("Al Jazeera's Alan Fisher, reporting from Washington, said ...")
    is in it. (Not `Page.article_text`, the extracted text: content blocks only, any links.)"""
    # (`is_article_block`: the blocks of those kinds with few links.)
    return "\n".join([b.text for b in blocks_of_kinds(page.blocks, _ARTICLE_KINDS)
                      if b.link_density < PROSE_MAX_LINK_DENSITY])


def blocks_of_kinds(blocks: list[Block], kinds: Iterable[str]) -> list[Block]:
    """The blocks of any of ``kinds``, in page order (read from the pass's `block_views`)."""
    of_kind = block_views(blocks).blocks_of
    return [blocks[i] for i in sorted([i for k in kinds for i in of_kind.get(k, ())])]


def _first_chars(page: Page) -> str:
    """The first character of every block's text, in order ("\x00" for an empty text)."""
    return block_views(page.blocks).firsts


def blocks_starting_with(page: Page, chars: str, ignorecase: bool = False) -> list[Block]:
    """The blocks whose text starts with one of ``chars`` (letters), in page order: the only
    blocks a pattern anchored at the start (``^About``) can match in. With ``ignorecase``,
    the first character is matched as ``re.IGNORECASE`` matches it (the same test as the
    pattern's own, so "\u017f" still counts as an "s")."""
    firsts = _first_chars(page)
    blocks = page.blocks
    if len(chars) == 1 and not ignorecase:
        out, i = [], firsts.find(chars)
        while i >= 0:
            out.append(blocks[i])
            i = firsts.find(chars, i + 1)
        return out
    key = (chars, ignorecase)
    pattern = _FIRST_CHAR_CLASS.get(key)
    if pattern is None:
        pattern = _FIRST_CHAR_CLASS[key] = re.compile(
            "[" + re.escape(chars) + "]", re.IGNORECASE if ignorecase else 0)
    return [blocks[m.start()] for m in pattern.finditer(firsts)]


_FIRST_CHAR_CLASS: dict[tuple[str, bool], re.Pattern[str]] = {}


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
    hosts = {host_of(page.url), host_of(page.meta.get("canonical")), host_of(page.meta.get("og:url"))}
    hosts.discard("")
    return any(same_site(h, d) for h in hosts for d in domains)
