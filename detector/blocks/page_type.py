"""Page type: article, listing, forum, product or other.

Page-level features of the typed blocks (how the words are spread, links, prices, forum
wording, og:type, URL shape) and a small model trained on wcxb_dev's ``page_type`` gold
(training sites only; detector/data/page_type.skops). wcxb types are folded into ours:
article -> article, forum -> forum, product -> product, listing and collection -> listing,
service and documentation -> other. Without the model every page is an article.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from detector.page import Page

PAGE_TYPES = ("article", "listing", "forum", "product", "other")
WCXB_TO_OURS = {"article": "article", "forum": "forum", "product": "product",
                "listing": "listing", "collection": "listing", "service": "other",
                "documentation": "other"}
MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "page_type.skops"
# Wording is counted on the lower-cased first TEXT_WINDOW characters of the article blocks
# (regexes over whole long pages cost ~2 ms a page).
TEXT_WINDOW = 4000
_PRICE = re.compile(r"[$€£¥] ?\d|\d ?(€|eur\b|usd\b)|add to (cart|basket|bag)|"
                    r"in stock|out of stock|warenkorb|\bsku\b|free shipping|quantity")
# Every `_PRICE` match holds one of these (the text it reads is lower-cased): a currency
# sign, a piece of each literal alternative, or "eur"/"usd" right after a digit and an
# optional space (`_PRICE_AFTER_DIGIT`: "\d ?(eur\b|usd\b)"; ``\d`` is a Unicode decimal
# digit, ``str.isdecimal``). A text holding none has no match, so `_price_count` skips the
# regex (524 of the 670 benchmark HTML pages, 416 with bare "eur"/"usd"/"stock" triggers;
# tests/test_fastseg2.py and tests/test_fastex4.py check no match is skipped).
_PRICE_TRIGGERS = ("$", "€", "£", "¥", "add to ", "in stock", "out of stock", "warenkorb",
                   "sku", "free shipping", "quantity")
_PRICE_AFTER_DIGIT = ("eur", "usd")


def _after_digit(text: str, word: str) -> bool:
    """``word`` occurs in ``text`` right after a decimal digit, or after one and a space."""
    i = text.find(word)
    while i >= 0:
        if i >= 1:
            c = text[i - 1]
            if c.isdecimal() or (c == " " and i >= 2 and text[i - 2].isdecimal()):
                return True
        i = text.find(word, i + 1)
    return False


def _price_count(text: str, fm=None) -> int:
    """``len(_PRICE.findall(text))`` of a lower-cased text, without the regex where it
    cannot match. ``fm``: the compiled features module, when built (its ``price_count``
    scans for the pattern's alternatives without the regex)."""
    for s in _PRICE_TRIGGERS:
        if s in text:
            return len(_PRICE.findall(text)) if fm is None else fm.price_count(text)
    for w in _PRICE_AFTER_DIGIT:
        if _after_digit(text, w):
            return len(_PRICE.findall(text)) if fm is None else fm.price_count(text)
    return 0


_FORUM = re.compile(r"\b(posts?|replies|joined|member|quote|thread|reply|registered|"
                    r"likes?|views|topic|forum)\b")
# The words `_FORUM` matches, each a whole word (its alternatives expanded): the compiled
# `whole_word_count` counts them without the regex (tests/test_fastex4.py checks the set).
_FORUM_WORDS = frozenset({"post", "posts", "replies", "joined", "member", "quote", "thread",
                          "reply", "registered", "like", "likes", "views", "topic", "forum"})


def _forum_count(text: str, fm=None) -> int:
    """``len(_FORUM.findall(text))``; ``fm``: the compiled features module, when built."""
    if fm is not None:
        return fm.whole_word_count(text, _FORUM_WORDS)
    return len(_FORUM.findall(text))


_DATE_URL = re.compile(r"/(19|20)\d\d/|\d{4}-\d\d-\d\d|/\d{5,}")
_DOCS = re.compile(r"\b(docs?|documentation|api|guide|reference|install|tutorial|faq|"
                   r"services?|pricing|contact|about)\b", re.I)
FEATURE_NAMES = (
    "log_blocks", "log_words", "article_word_share", "log_article_blocks",
    "log_longest_article", "mean_article_words", "article_p_share", "page_link_density",
    "article_link_density", "repeated_share", "log_price", "log_forum", "comments_share",
    "related_share", "og_article", "og_product", "url_depth", "url_date", "article_li_share",
    "article_heading_share", "log_hrefs", "docs_words",
)


_ART_KINDS = ("content", "caption", "title")


def page_features(page: Page, words: list[int] | None = None) -> list[float]:
    """The columns `FEATURE_NAMES` of one page. ``words``: the word count
    (``len(text.split())``) of every block, when the caller has it already.

    `page_features_reference` in one pass over the blocks instead of ~12: every sum is a sum
    of ints (exact in any order), so the values are the same (tests/test_fastseg.py)."""
    blocks = page.blocks
    if words is None:
        words = [len(b.text.split()) for b in blocks]
    total = sum(words) or 1
    from detector._fast import features_module

    fm = features_module()  # the compiled twin of `_page_pass`, where built
    (n_art, art_words, max_aw, chars, art_chars, link, art_link, art_p, art_li, art_h, n_com,
     n_rel, rep, parts) = (fm.page_type_pass if fm is not None else _page_pass)(
        blocks, words, _ART_KINDS, TEXT_WINDOW)
    chars = chars or 1
    art_chars = art_chars or 1
    repeated = rep / max(len(blocks), 1)
    text = " ".join(parts)[:TEXT_WINDOW].lower()
    url = page.url or page.meta.get("canonical") or page.meta.get("og:url") or ""
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    og = page.meta.get("og:type", "").lower()
    n = max(len(blocks), 1)
    n_a = max(n_art, 1)
    return [
        math.log1p(len(blocks)), math.log1p(total), art_words / total, math.log1p(n_art),
        math.log1p(max_aw), art_words / n_a, art_p / n_a, link / chars, art_link / art_chars,
        repeated,
        math.log1p(_price_count(text, fm)), math.log1p(_forum_count(text, fm)),
        n_com / n, n_rel / n,
        1.0 if "article" in og else 0.0, 1.0 if "product" in og else 0.0,
        float(len([p for p in path.split("/") if p])), 1.0 if _DATE_URL.search(path) else 0.0,
        art_li / n_a, art_h / n_a,
        math.log1p(len(page.links)), math.log1p(len(_DOCS.findall(path + " " + page.title))),
    ]


def _page_pass(blocks: list, words: list[int], art_kinds: tuple[str, ...],
               text_window: int) -> tuple:
    """The one pass of `page_features` over the blocks: (article blocks, article words,
    longest article block's words, characters, article characters, link characters, article
    link characters, article <p>, <li> and <h2-4> blocks, comments blocks, related blocks,
    the blocks of repeated templates (signatures met at least 5 times), the article texts
    that reach ``text_window``). Compiled twin: ``page_type_pass`` in
    detector/_fast/features.pyx (tests/test_fastex4.py compares them)."""
    n_art = art_words = max_aw = chars = art_chars = link = art_link = 0
    art_p = art_li = art_h = n_com = n_rel = 0
    sig: dict[tuple, int] = {}  # same tag, depth and class/id ancestry: a repeated template
    parts, size = [], -1  # the article texts that reach the text_window
    for b, w in zip(blocks, words):
        text, tag, kind, lc = b.text, b.tag, b.kind, b.link_chars
        nc = len(text)
        chars += nc
        link += lc
        s = (tag, b.depth, b.tokens)
        sig[s] = sig.get(s, 0) + 1
        if kind in art_kinds and tag != "title":
            n_art += 1
            art_words += w
            if w > max_aw:
                max_aw = w
            art_chars += nc
            art_link += lc
            if tag == "p":
                art_p += 1
            elif tag == "li":
                art_li += 1
            elif tag in ("h2", "h3", "h4"):
                art_h += 1
            if size < text_window:
                parts.append(text)
                size += 1 + nc
        elif kind == "comments":
            n_com += 1
        elif kind == "related":
            n_rel += 1
    rep = sum(c for c in sig.values() if c >= 5)
    return (n_art, art_words, max_aw, chars, art_chars, link, art_link, art_p, art_li, art_h,
            n_com, n_rel, rep, parts)


def page_features_reference(page: Page, words: list[int] | None = None) -> list[float]:
    """`page_features` as a pass a column (the reference the tests compare it with)."""
    blocks = page.blocks
    if words is None:
        words = [len(b.text.split()) for b in blocks]
    total = sum(words) or 1
    is_art = [b.kind in ("content", "caption", "title") and b.tag != "title" for b in blocks]
    art = [b for b, a in zip(blocks, is_art) if a]
    aw = [w for w, a in zip(words, is_art) if a]
    art_words = sum(aw)
    chars = sum(len(b.text) for b in blocks) or 1
    art_chars = sum(len(b.text) for b in art) or 1
    sig: dict[tuple, int] = {}  # same tag, depth and class/id ancestry: a repeated template
    for b in blocks:
        s = (b.tag, b.depth, b.tokens)
        sig[s] = sig.get(s, 0) + 1
    repeated = sum(c for c in sig.values() if c >= 5) / max(len(blocks), 1)
    # " ".join of all article texts cut to TEXT_WINDOW: join only the blocks that reach it.
    parts, size = [], -1
    for b in art:
        if size >= TEXT_WINDOW:
            break
        parts.append(b.text)
        size += 1 + len(b.text)
    text = " ".join(parts)[:TEXT_WINDOW].lower()
    url = page.url or page.meta.get("canonical") or page.meta.get("og:url") or ""
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    og = page.meta.get("og:type", "").lower()
    n = max(len(blocks), 1)
    return [
        math.log1p(len(blocks)), math.log1p(total), art_words / total, math.log1p(len(art)),
        math.log1p(max(aw, default=0)), art_words / max(len(art), 1),
        sum(1 for b in art if b.tag == "p") / max(len(art), 1),
        sum(b.link_chars for b in blocks) / chars,
        sum(b.link_chars for b in art) / art_chars, repeated,
        math.log1p(len(_PRICE.findall(text))), math.log1p(len(_FORUM.findall(text))),
        sum(1 for b in blocks if b.kind == "comments") / n,
        sum(1 for b in blocks if b.kind == "related") / n,
        1.0 if "article" in og else 0.0, 1.0 if "product" in og else 0.0,
        float(len([p for p in path.split("/") if p])), 1.0 if _DATE_URL.search(path) else 0.0,
        sum(1 for b in art if b.tag == "li") / max(len(art), 1),
        sum(1 for b in art if b.tag in ("h2", "h3", "h4")) / max(len(art), 1),
        math.log1p(len(page.links)), math.log1p(len(_DOCS.findall(path + " " + page.title))),
    ]


@lru_cache(maxsize=1)
def _model():
    if not MODEL_PATH.exists():
        return None
    from detector import _skops
    from detector.blocks.model import TRUSTED_TYPES

    unknown = set(_skops.untrusted_types(MODEL_PATH)) - set(TRUSTED_TYPES)
    if unknown:
        raise RuntimeError(f"{MODEL_PATH}: untrusted types {sorted(unknown)}")
    return _skops.load(MODEL_PATH, TRUSTED_TYPES)


@lru_cache(maxsize=1)
def _linear() -> tuple[np.ndarray, ...] | None:
    """(mean, scale, coef, intercept, classes) of the shipped scaler + logistic regression: one page
    is one dot product, without scikit-learn's per-call validation."""
    model = _model()
    if model is None:
        return None
    scaler, lr = model[0], model[-1]
    return scaler.mean_, scaler.scale_, lr.coef_, lr.intercept_, lr.classes_


# `<meta name="generator">` values (first word, lower-cased) of software that only makes
# forums: such a page is a forum whatever its blocks look like. Discourse and Flarum render
# their threads with script and serve the posts in <noscript> (detector.segment
# `NOSCRIPT_SHARE`); once read, the posts look like an article to the linear model. In
# ../shared/data, 25 pages name Discourse, all wcxb_dev forum threads. vBulletin is left out:
# its CMS also makes articles (a dragnet news page names it).
FORUM_GENERATORS = frozenset({"discourse", "flarum", "phpbb", "xenforo", "mybb", "nodebb",
                              "vanilla", "smf"})


def forum_software(page: Page) -> bool:
    """The page's generator meta names forum-only software (`FORUM_GENERATORS`)."""
    first = (page.meta.get("generator") or "").split(None, 1)
    return bool(first) and first[0].lower() in FORUM_GENERATORS


def classify_page(page: Page, words: list[int] | None = None) -> str:
    if page.html is None:
        return "article"
    if forum_software(page):
        return "forum"
    lin = _linear()
    if lin is None:
        return "article"
    mean, scale, coef, intercept, classes = lin
    x = (np.asarray(page_features(page, words), dtype=np.float64) - mean) / scale
    return PAGE_TYPES[int(classes[int(np.argmax(coef @ x + intercept))])]
