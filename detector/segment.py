"""Cut a page into blocks: HTML with selectolax (lexbor), plain text by paragraphs and lines.

HTML: a block is the run of text between two block-level element boundaries, in document
order. Each keeps its DOM path, its tag, the class/id tokens of its element and ancestors, how
many of its characters sit inside links, its depth and the nearest heading before it.
The document's <title> becomes block 0 (path ``/html/head/title``).

Plain text (like the seed): the first non-empty line is the title; blank lines separate
paragraphs; inside a paragraph each line is its own block unless the paragraph is hard-wrapped
prose, in which case its lines are joined.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from detector.page import Block, Page

# Elements whose text is never page text. "rt"/"rp": ruby annotations (the reading printed
# above Japanese or Chinese characters, and its fallback parentheses): with them the text
# reads "子こども" for "子ども" (nhk.or.jp's easy-Japanese news in trafilatura_eval).
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "select", "option", "textarea", "button", "head", "-comment", "video", "audio",
    "map", "picture", "source", "rt", "rp",
})
# Elements that start and end a block (HTML's block-level and sectioning content).
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "li", "ul",
    "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody", "thead",
    "tfoot", "tr", "td", "th", "blockquote", "pre", "figure", "figcaption", "form", "fieldset",
    "address", "hr", "br", "body", "center", "caption", "details", "summary", "dialog",
    "hgroup", "legend", "menu", "label",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_WS = re.compile(r"\s+")
# U+00AD, "&shy;": where a word may be hyphenated at a line end. Invisible unless it is, and
# not part of the word: dropped from block text (68 trafilatura_eval pages, mostly German,
# write long words with it; the gold snippets and trafilatura's text do not have it, and the
# AEB tokenizer would cut "Mit\u00adtel\u00adal\u00adter" into four words).
SOFT_HYPHEN = "\u00ad"
# A paragraph whose lines (but the last) are all at least this long is hard-wrapped prose.
HARD_WRAP_MIN = 55
# Deeper than this, elements are flattened into their ancestor's block (hostile nesting).
MAX_DEPTH = 300  # (recursive walk: stays well under Python's recursion limit)

META_NAMES = {
    "og:site_name": "og:site_name", "og:url": "og:url", "og:title": "og:title",
    "og:type": "og:type", "author": "author", "article:author": "article:author",
    "description": "description", "generator": "generator", "article:published_time":
    "published", "date": "date", "twitter:site": "twitter:site", "dc.creator": "author",
    "article:section": "section", "keywords": "keywords",
}


def segment(page: Page) -> Page:
    """Fill ``page.blocks`` (and title/meta/links for HTML). Returns the same page."""
    if page.html is not None:
        _segment_html(page)
    else:
        _segment_text(page)
    return page


def _segment_text(page: Page) -> None:
    text = page.text or ""
    blocks: list[Block] = []
    lines = text.splitlines()
    para: list[tuple[int, str]] = []

    def flush() -> None:
        if not para:
            return
        body = [ln for _, ln in para]
        wrapped = len(body) > 1 and all(len(ln) >= HARD_WRAP_MIN for ln in body[:-1])
        groups = [(para[0][0], " ".join(body))] if wrapped else para
        for lineno, ln in groups:
            clean = _WS.sub(" ", ln.replace(SOFT_HYPHEN, "")).strip()
            if clean:
                blocks.append(Block(index=len(blocks), text=clean, path=f"line:{lineno}",
                                    tag="p"))
        para.clear()

    for i, line in enumerate(lines, start=1):
        if line.strip():
            para.append((i, line))
        else:
            flush()
    flush()
    if blocks:
        blocks[0].tag = "title"
        page.title = blocks[0].text
    page.blocks = blocks


def _attr_tokens(attrs: dict) -> tuple[str, ...]:
    cls, id_ = attrs.get("class"), attrs.get("id")
    if not cls and not id_:
        return ()
    return _split_tokens(cls or "", id_ or "")


# Hostile pages carry class attributes of megabytes; every descendant block copies its
# ancestors' tokens, so both are bounded. An element's first MAX_OWN_TOKENS tokens of at most
# MAX_TOKEN_CHARS characters are kept, and a block keeps its nearest MAX_TOKENS (on the 5,415
# real pages of ../shared/data, 36 pages, utility-class CSS, have a block reaching that cap).
MAX_OWN_TOKENS = 64
MAX_TOKEN_CHARS = 64
MAX_TOKENS = 256


@lru_cache(maxsize=65536)
def _split_tokens(cls: str, id_: str) -> tuple[str, ...]:
    # Splitting at runs of whitespace, "_" and "-": str.split() after mapping "_" and "-" to
    # spaces gives the very tokens of _TOKEN_SPLIT.split (both use Python's Unicode whitespace;
    # tests/test_fastpath.py checks) at a fraction of the cost.
    toks = [t for val in (cls[:16384], id_[:1024])
            for t in val.lower().replace("_", " ").replace("-", " ").split()
            if len(t) <= MAX_TOKEN_CHARS]
    return tuple(toks[:MAX_OWN_TOKENS])


def _hidden(attrs: dict) -> bool:
    # A bare ``hidden`` (value None) is kept: React streaming parks the article in
    # ``<div hidden id="S:0">`` and moves it into place with script (wcxb_dev pages).
    if attrs.get("hidden") is not None:
        return True
    style = attrs.get("style")
    return bool(style) and "none" in style and "display:none" in style.replace(" ", "").lower()


class _Walk:
    """State of one depth-first walk over the body (the hot path: a few attribute reads per
    node, attributes parsed only for block elements and links, no per-node allocation)."""

    __slots__ = ("page", "blocks", "buf", "link_chars", "hrefs", "heading", "ctx", "flushes")

    def __init__(self, page: Page, blocks: list[Block]) -> None:
        self.page = page
        self.blocks = blocks
        self.buf: list[str] = []
        self.link_chars = 0
        self.hrefs: list[str] = []
        self.heading = ""
        # (path, tag, tokens, depth) of the element that opened the current block.
        self.ctx: tuple[str, str, tuple[str, ...], int] = ("/html/body", "body", (), 1)
        self.flushes = 0

    def flush(self) -> None:
        buf = self.buf
        if not buf:
            return
        text = " ".join("".join(buf).replace(SOFT_HYPHEN, "").split())
        buf.clear()
        self.flushes += 1
        if text:
            path, tag, tokens, depth = self.ctx
            blocks = self.blocks
            blocks.append(Block(index=len(blocks), text=text, path=path, tag=tag, tokens=tokens,
                                link_chars=min(self.link_chars, len(text)), depth=depth,
                                heading=self.heading, hrefs=tuple(self.hrefs)))
            if tag in HEADING_TAGS:
                self.heading = text
        self.link_chars = 0
        if self.hrefs:
            self.hrefs = []

    def walk(self, child, path: str, tokens: tuple[str, ...], depth: int, in_link: bool) -> None:
        """Walk ``child`` and its following siblings (the children of the element at
        ``path``). Callers pass the first child, so childless elements cost no call."""
        counts: dict[str, int] = {}
        while child is not None:
            tag = child.tag
            if tag == "-text":
                t = child.text_content
                if t:
                    if t.isspace():  # keeps words apart, never starts a block
                        if self.buf:
                            self.buf.append(" ")
                    else:
                        self.buf.append(t)
                        if in_link:
                            self.link_chars += len(t.strip())
            elif tag is None or tag in SKIP_TAGS or tag[0] == "-":
                pass
            elif tag == "meta" or tag == "link":
                _read_meta(child, tag, self.page)
            elif tag in BLOCK_TAGS:
                attrs = child.attributes
                i = counts[tag] = counts.get(tag, 0) + 1
                if not _hidden(attrs):
                    cpath = f"{path}/{tag}[{i}]"
                    own = _attr_tokens(attrs) if attrs else ()
                    ctoks = (tokens + own)[-MAX_TOKENS:] if own else tokens
                    self.flush()
                    outer = self.ctx
                    self.ctx = (cpath, tag, ctoks, depth + 1)
                    first = child.child
                    if first is not None:
                        if depth < MAX_DEPTH:
                            self.walk(first, cpath, ctoks, depth + 1, in_link)
                        else:  # hostile nesting: flatten the rest into this block
                            self.buf.append(child.text(deep=True, separator=" "))
                    self.flush()
                    self.ctx = outer
            else:
                i = counts[tag] = counts.get(tag, 0) + 1
                first = child.child
                if first is None:  # img, input, empty icons: no text, nothing to walk
                    if tag == "a":
                        href = child.attributes.get("href")
                        if href and not _hidden(child.attributes):
                            self.hrefs.append(href)
                            self.page.links.append((href, ""))
                    child = child.next
                    continue
                cpath = f"{path}/{tag}[{i}]"
                attrs = child.attributes
                if attrs and _hidden(attrs):
                    pass
                elif tag == "a":
                    href = attrs.get("href")
                    mark, flushes = len(self.buf), self.flushes
                    if href:
                        self.hrefs.append(href)
                    self._inline(child, first, cpath, tokens, depth, True)
                    if href:
                        anchor = ("".join(self.buf[mark:]) if flushes == self.flushes
                                  else child.text(deep=True, separator=" "))
                        self.page.links.append((href, " ".join(anchor.split())[:200]))
                else:
                    self._inline(child, first, cpath, tokens, depth, in_link)
            child = child.next

    def _inline(self, child, first, cpath: str, tokens: tuple[str, ...], depth: int,
                in_link: bool) -> None:
        if depth < MAX_DEPTH:
            self.walk(first, cpath, tokens, depth + 1, in_link)
        else:
            t = child.text(deep=True, separator=" ")
            self.buf.append(t)
            if in_link:
                self.link_chars += len(t.strip())


def compiled_walk():
    """The compiled twin of `_Walk` (detector/_fast/walk.pyx) when it is built, enabled, and
    passed its layout checks and self-test; else None (see detector._fast.lexbor_walk)."""
    from detector._fast.lexbor_walk import compiled_walk as get

    return get()


_AUTO = object()


def _segment_html(page: Page, *, fast=_AUTO, strict: bool = False) -> None:
    """``fast``: the compiled walk module (default: `compiled_walk()`), or None for `_Walk`.
    A page the compiled walk does not mirror (an element name it cannot read) is walked by
    `_Walk`; with ``strict`` that raises instead (the self-test)."""
    # The page's own bytes when they are its UTF-8 (the bytes selectolax would make of the str:
    # it encodes as UTF-8, dropping lone surrogates, which a strict decode never produces).
    mended = _close_runaway_title(page.html)
    tree = LexborHTMLParser(mended or page.html_utf8 or page.html)  # alive until the walk is done
    if fast is _AUTO:
        fast = compiled_walk()
    _read_head(tree, page, fast)
    _open_noscript_app(tree, page.html)
    blocks: list[Block] = []
    if page.title:
        blocks.append(Block(index=0, text=page.title, path="/html/head/title", tag="title"))
    body = tree.body
    if body is None:
        page.blocks = blocks
        return
    if fast is not None:
        try:
            fast_blocks, links, metas = fast.walk_body(body.mem_id, blocks)
        except fast.Unsupported:
            if strict:
                raise
        else:
            for attrs, tag in metas:
                _read_meta_attrs(attrs, tag, page)
            page.links.extend(links)
            page.blocks = fast_blocks
            return
    w = _Walk(page, blocks)
    w.walk(body.child, "/html/body", (), 1, False)
    w.flush()
    page.blocks = blocks


_CLOSED_TITLE = ("</title>", "</TITLE>", "</Title>")
_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.I)
_TITLE_CLOSE = re.compile(r"</title[\s/>]", re.I)


def _close_runaway_title(html: str | None) -> str | None:
    """The page with "</title>" put before the first tag after its <title>, when the page opens
    a <title> and never closes it; else None. HTML reads everything after an unclosed <title>
    as title text, so such a page has no body at all (8 pages of L3S-GN1, whose dump lost
    the head's closing tags: "<title>BBC SPORTi library--> <script ...", or mangled them:
    "</titlevalue=...", which HTML reads as another element's end tag); lenient parsers
    (libxml2, under trafilatura and readability) end the title at the next tag, as this does.
    A page holding one of `_CLOSED_TITLE` costs three substring tests; the others a regex."""
    if not html or any(s in html for s in _CLOSED_TITLE) or _TITLE_CLOSE.search(html):
        return None
    m = _TITLE_OPEN.search(html)
    if m is None:
        return None
    end = html.find("<", m.end())
    if end < 0:
        return None
    return html[:end] + "</title>" + html[end:]


# A page whose <noscript> holds at least NOSCRIPT_MIN_WORDS words and at least NOSCRIPT_SHARE
# of the words outside it is a script-rendered app (Discourse and Flarum forums, Blogger's
# dynamic views, some CMS themes) whose server-rendered text sits in <noscript>: its <noscript>
# elements are read as ordinary elements. Chosen on the training folds of ../shared/data
# (`benchmarks/extraction.py --split train`; the share of the page's words was read from
# every page with 30+ <noscript> words): from 0.2 up to 1.0 the same 14 wcxb_dev forum pages and
# parcoabruzzo.it open (their text was otherwise empty), 0.2 adds security.googleblog.com
# (noscript 617 of 2,785 words, share 0.28), 0.1 also opens dragnet 267 (0.18: a second
# copy of the page's teasers) and readability's yahoo-4 (a no-script fallback), both worse.
# 0.25 sits between 0.18 and 0.28. 50 words: a "please enable JavaScript" notice or a
# tracking pixel's alt text stays shut.
NOSCRIPT_MIN_WORDS = 50
NOSCRIPT_SHARE = 0.25
_NOSCRIPT_SPELLINGS = ("<noscript", "<NOSCRIPT", "<Noscript", "<NoScript")


def _open_noscript_app(tree: LexborHTMLParser, html: str | None) -> None:
    """Unwrap the <noscript> elements of `tree`'s body when they hold the page's text (see
    `NOSCRIPT_SHARE`; words are the whitespace-split words of ``text()``, as measured). A page
    holding none of `_NOSCRIPT_SPELLINGS` costs four substring tests."""
    if not html or not any(s in html for s in _NOSCRIPT_SPELLINGS):
        return
    body = tree.body
    if body is None:
        return
    nodes = body.css("noscript")
    words = sum(len(n.text(separator=" ").split()) for n in nodes)
    if words < NOSCRIPT_MIN_WORDS:
        return
    if words >= NOSCRIPT_SHARE * (len(body.text(separator=" ").split()) - words):
        for n in nodes:
            n.unwrap()


def _read_head(tree: LexborHTMLParser, page: Page, fast=None) -> None:
    """Title, canonical/amphtml links, named metas and lang, from a walk over <head>'s children
    (a few dozen nodes; cheaper than CSS queries over the whole document). ``fast``: the
    compiled walk module, whose ``walk_head`` reads the children (the loop below is its
    reference and takes the heads it refuses; tests/test_fastex5.py compares them)."""
    head = tree.head
    got = None
    if fast is not None and head is not None:
        try:
            got = fast.walk_head(head.mem_id)
        except fast.Unsupported:
            got = None
    if got is not None:
        metas, title = got
        for attrs, tag in metas:
            _read_meta_attrs(attrs, tag, page)
        title = title or ""
    else:
        title = _read_head_children(head, page)
    if not title:  # a <title> misplaced in the body
        node = tree.css_first("title")
        if node is not None:
            title = " ".join(node.text(deep=True).split())
    page.title = title
    html = tree.root
    lang = html.attributes.get("lang") if html is not None and html.tag == "html" else None
    if lang:
        page.meta.setdefault("lang", lang.strip().lower())


def _read_head_children(head, page: Page) -> str:
    """The metas of <head>'s children into ``page.meta``; the text of its first <title>
    child with a text ("" when none)."""
    child = head.child if head is not None else None
    title = ""
    while child is not None:
        tag = child.tag
        if tag == "meta" or tag == "link":
            _read_meta(child, tag, page)
        elif tag == "title" and not title:
            title = " ".join(child.text(deep=True).split())
        child = child.next
    return title


def _read_meta(node, tag: str, page: Page) -> None:
    """One <meta> or <link> (in the head, or misplaced in the body)."""
    _read_meta_attrs(node.attributes, tag, page)


def _read_meta_attrs(attrs: dict, tag: str, page: Page) -> None:
    if tag == "meta":
        key = (attrs.get("property") or attrs.get("name") or "").strip().lower()
        content = attrs.get("content")
        if key in META_NAMES and content:
            page.meta.setdefault(META_NAMES[key], " ".join(content.split()))
    else:
        rel = (attrs.get("rel") or "").lower().split()
        href = attrs.get("href")
        if href and "canonical" in rel:
            page.meta.setdefault("canonical", href.strip())
        elif href and "amphtml" in rel:
            page.meta.setdefault("amphtml", href.strip())
