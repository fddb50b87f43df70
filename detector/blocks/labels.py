"""Block labels from the gold of ../shared/data.

- L3S-GN1: the assessors' spans (``x-nc-sel0..5``) name each text run: sel1 headline -> title,
  sel2 full text -> content, sel3 supplemental -> caption, sel4 related content -> related,
  sel5 user comments -> comments, sel0 or unmarked -> other. Before parsing, each span's text
  is prefixed with a private-use marker and the spans themselves are removed from the tree
  (so DOM paths, depths and sibling repetition are those of the original page the model sees
  at run time); after segmentation a block takes the label of the markers covering most of
  its characters, and the markers are removed from its text and from the heading it carries.
- Every other set: a block is in the article (1) when most of its word 3-grams occur in the gold
  text, out of it (0) when few do, and unlabelled (-1) in between; blocks of 1-2 words are in
  when their text occurs in the gold. trafilatura_eval has only snippets: blocks holding a
  ``with`` snippet are in, blocks holding a ``without`` snippet are out, the rest unlabelled.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from detector.page import Block, Page
from detector.segment import segment

L3S_KINDS = {"0": "other", "1": "title", "2": "content", "3": "caption", "4": "related",
             "5": "comments"}
IN_ARTICLE = frozenset({"title", "content", "caption"})  # L3S article_body = sel1+sel2+sel3
MARK = "\ue000"
_SPAN = re.compile(r'(<span class="x-nc-sel([0-5])">)')
_SPAN_CSS = 'span[class^="x-nc-sel"]'
_MARKER = re.compile(MARK + r"[0-5]")
IN_THRESHOLD = 0.5  # share of a block's 3-grams in the gold text to call it article
OUT_THRESHOLD = 0.2  # at most this share: boilerplate; in between: unlabelled
_TOKEN = re.compile(r"\w+")


def l3s_blocks(annotated_html: str, url: str | None = None) -> tuple[Page, list[str]]:
    """Segment an annotated L3S-GN1 page; returns the page and one kind per block."""
    marked = _SPAN.sub(lambda m: m.group(1) + MARK + m.group(2), annotated_html)
    tree = LexborHTMLParser(marked)
    for span in tree.css(_SPAN_CSS):
        span.unwrap()
    page = segment(Page(source="l3s", url=url, html=tree.html or ""))
    kinds = []
    for b in page.blocks:
        weights: dict[str, int] = {}
        pieces = _MARKER.split(b.text)
        codes = _MARKER.findall(b.text)
        for code, piece in zip(codes, pieces[1:]):
            k = L3S_KINDS[code[1]]
            weights[k] = weights.get(k, 0) + len(piece.strip())
        kinds.append(max(weights, key=weights.get) if weights else "other")
        clean = " ".join(_MARKER.sub(" ", b.text).split())
        b.link_chars = min(b.link_chars, len(clean))
        b.text = clean
        if MARK in b.heading:
            b.heading = " ".join(_MARKER.sub(" ", b.heading).split())
    keep = [i for i, b in enumerate(page.blocks) if b.text]
    page.blocks = [page.blocks[i] for i in keep]
    for n, b in enumerate(page.blocks):
        b.index = n
    page.title = _MARKER.sub("", page.title).strip()
    return page, [kinds[i] for i in keep]


def _grams(tokens: list[str], n: int = 3) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def aligned_labels(blocks: list[Block], gold: str) -> list[int]:
    """1 = in the gold article text, 0 = not, -1 = unsure (see the module docstring)."""
    gold_tokens = [t.lower() for t in _TOKEN.findall(gold)]
    gold_grams = set(_grams(gold_tokens))
    gold_norm = " " + " ".join(gold_tokens) + " "
    out = []
    for b in blocks:
        toks = [t.lower() for t in _TOKEN.findall(b.text)]
        if not toks:
            out.append(0)
            continue
        if len(toks) < 3:
            out.append(1 if " " + " ".join(toks) + " " in gold_norm else 0)
            continue
        grams = _grams(toks)
        share = sum(1 for g in grams if g in gold_grams) / len(grams)
        out.append(1 if share >= IN_THRESHOLD else 0 if share <= OUT_THRESHOLD else -1)
    return out


def snippet_labels(blocks: list[Block], with_: list[str], without: list[str]) -> list[int]:
    norm_with = [" ".join(s.split()) for s in with_]
    norm_without = [" ".join(s.split()) for s in without]
    out = []
    for b in blocks:
        if any(s and s in b.text for s in norm_with):
            out.append(1)
        elif any(s and s in b.text for s in norm_without):
            out.append(0)
        else:
            out.append(-1)
    return out
