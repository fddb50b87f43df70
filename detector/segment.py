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

from selectolax.lexbor import LexborHTMLParser

from detector.page import Block, Page

# Elements whose text is never page text.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "select", "option", "textarea", "button", "head", "-comment", "video", "audio",
    "map", "picture", "source",
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
# A paragraph whose lines (but the last) are all at least this long is hard-wrapped prose.
HARD_WRAP_MIN = 55
# Deeper than this, elements are flattened into their ancestor's block (hostile nesting).
MAX_DEPTH = 400

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
            clean = _WS.sub(" ", ln).strip()
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
    out: list[str] = []
    for key in ("class", "id"):
        val = attrs.get(key)
        if val:
            out.extend(t for t in _TOKEN_SPLIT.split(val.lower()) if t)
    return tuple(out)


def _segment_html(page: Page) -> None:
    tree = LexborHTMLParser(page.html)
    _read_head(tree, page)
    blocks: list[Block] = []
    if page.title:
        blocks.append(Block(index=0, text=page.title, path="/html/head/title", tag="title"))
    body = tree.body
    if body is None:
        page.blocks = blocks
        return

    buf: list[str] = []
    state = {"link_chars": 0, "hrefs": [], "heading": ""}
    # Context of the element that opened the current block.
    ctx_stack: list[tuple[str, str, tuple[str, ...], int]] = [("/html/body", "body", (), 1)]

    def flush() -> None:
        if not buf:
            return
        text = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text:
            path, tag, tokens, depth = ctx_stack[-1]
            blocks.append(Block(index=len(blocks), text=text, path=path, tag=tag, tokens=tokens,
                                link_chars=min(state["link_chars"], len(text)), depth=depth,
                                heading=state["heading"], hrefs=tuple(state["hrefs"])))
            if tag in HEADING_TAGS:
                state["heading"] = text
        state["link_chars"] = 0
        state["hrefs"] = []

    # Explicit stack (no recursion): items are (node, path, tokens, depth, in_link) or exit marks.
    stack: list = [(body, "/html/body", (), 1, False)]
    while stack:
        item = stack.pop()
        if item[0] is None:  # exit mark of a block element
            flush()
            ctx_stack.pop()
            continue
        node, path, tokens, depth, in_link = item
        tag = node.tag
        if tag == "-text":
            t = node.text_content
            if t:
                buf.append(t)
                if in_link:
                    state["link_chars"] += len(t.strip())
            continue
        if tag in SKIP_TAGS or tag is None or tag.startswith("-"):
            continue
        attrs = node.attributes
        if attrs.get("hidden") is not None or "display:none" in (attrs.get("style") or "").replace(" ", ""):
            continue
        own = _attr_tokens(attrs)
        tokens_here = tokens + own if own else tokens
        is_link = tag == "a"
        if is_link:
            href = attrs.get("href")
            if href:
                state["hrefs"].append(href)
                page.links.append((href, node.text(deep=True, separator=" ").strip()[:200]))
        is_block = tag in BLOCK_TAGS and depth < MAX_DEPTH
        if is_block:
            flush()
            ctx_stack.append((path, tag, tokens_here, depth))
            stack.append((None,))
            if tag in ("br", "hr"):
                continue
        # Children in reverse so they pop in document order.
        children = []
        counts: dict[str, int] = {}
        child = node.child
        while child is not None:
            ctag = child.tag
            if ctag and not ctag.startswith("-"):
                counts[ctag] = counts.get(ctag, 0) + 1
                children.append((child, f"{path}/{ctag}[{counts[ctag]}]"))
            else:
                children.append((child, path))
            child = child.next
        for child, cpath in reversed(children):
            stack.append((child, cpath, tokens_here, depth + 1, in_link or is_link))
    flush()
    page.blocks = blocks


def _read_head(tree: LexborHTMLParser, page: Page) -> None:
    title = tree.css_first("title")
    if title is not None:
        page.title = _WS.sub(" ", title.text(deep=True)).strip()
    for node in tree.css("link[rel]"):
        rel = (node.attributes.get("rel") or "").lower()
        href = node.attributes.get("href")
        if href and "canonical" in rel.split():
            page.meta.setdefault("canonical", href.strip())
        elif href and "amphtml" in rel.split():
            page.meta.setdefault("amphtml", href.strip())
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or "").strip().lower()
        content = attrs.get("content")
        if key in META_NAMES and content:
            page.meta.setdefault(META_NAMES[key], _WS.sub(" ", content).strip())
    html = tree.css_first("html")
    if html is not None and html.attributes.get("lang"):
        page.meta.setdefault("lang", (html.attributes.get("lang") or "").strip().lower())
