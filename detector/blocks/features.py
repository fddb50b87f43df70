"""Shallow features of every block in its page, for the learned block classifier.

One row per block, columns named in `FEATURE_NAMES` (same order). Families:

- text of the block: length, words, link density, stopword density (multilingual list from
  wordfreq, detector/data/stopwords.txt), punctuation, capitals, digits, sentence ending;
- markup: tag group, depth, class/id token hints (nav, footer, related, comment, author, share,
  caption, ad, content, ...) anywhere in the ancestry and on the nearest elements;
- text patterns: comment-, related-, copyright-, share-like wording, in the block and in the
  heading above it;
- position: relative index and character offset in the page;
- repetition: how many blocks share the block's tag path (teaser lists, menus, comments);
- container: how much of its DOM path the block shares with the page's largest text block
  (where the article lives), and its word share of the page;
- neighbours: length, link density and stopword density of the blocks around it (jusText and
  boilerpipe both found that neighbours decide short blocks).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

from detector.page import Block

DATA = Path(__file__).resolve().parents[1] / "data"

# Class/id token hints: a token matches a family when it contains one of the stems.
HINTS: dict[str, tuple[str, ...]] = {
    "nav": ("nav", "menu", "breadcrumb", "topbar", "toolbar", "pagination", "pager", "tabs",
            "masthead", "skip", "dropdown"),
    "footer": ("footer", "copyright", "legal", "colophon", "disclaimer", "bottom", "privacy"),
    "related": ("related", "recommend", "also", "more", "teaser", "popular", "trending",
                "latest", "headlines", "promo", "outbrain", "taboola", "similar", "readnext",
                "mostread", "most", "featured", "rail", "widget", "sidebar", "aside", "side"),
    "comment": ("comment", "respond", "reply", "disqus", "discussion", "reaction", "talkback",
                "guestbook", "forum", "replies"),
    "author": ("author", "byline", "bio", "writer", "contributor", "profile", "avatar"),
    "share": ("share", "social", "sharing", "addthis", "facebook", "twitter", "tweet", "print",
              "email", "sociable", "follow"),
    "caption": ("caption", "credit", "photo", "image", "img", "figure", "gallery", "media",
                "thumb"),
    "ad": ("ad", "ads", "advert", "sponsor", "banner", "dfp", "gpt", "adsense", "promo",
           "commercial", "partner"),
    "content": ("content", "article", "story", "post", "entry", "body", "text", "main",
                "blog", "news", "detail", "single"),
    "title": ("title", "headline", "heading", "header", "hed"),
    "meta": ("date", "time", "meta", "info", "published", "timestamp", "tag", "category",
             "keywords"),
    "hidden": ("hidden", "hide", "modal", "popup", "cookie", "consent", "newsletter",
               "subscribe", "signup", "login", "search"),
}
HINT_NAMES = tuple(HINTS)
NEAR_TOKENS = 4  # "own" hints: the last few class/id tokens (the block element and parent)
TAG_GROUPS = {
    "p": "p", "div": "div", "li": "li", "ul": "li", "ol": "li", "td": "td", "th": "td",
    "tr": "td", "table": "td", "tbody": "td", "h1": "h1", "h2": "hx", "h3": "hx", "h4": "hx",
    "h5": "hx", "h6": "hx", "br": "br", "hr": "br", "figcaption": "caption",
    "caption": "caption", "figure": "caption", "blockquote": "quote", "pre": "quote",
    "form": "form", "label": "form", "fieldset": "form", "legend": "form",
    "section": "section", "article": "section", "main": "section", "header": "chrome",
    "footer": "chrome", "nav": "chrome", "aside": "chrome", "dt": "dl", "dd": "dl",
    "dl": "dl", "title": "title", "address": "chrome", "span": "span", "center": "div",
}
TAG_NAMES = ("p", "div", "li", "td", "h1", "hx", "br", "caption", "quote", "form", "section",
             "chrome", "dl", "title", "span", "other")
PATTERNS = {
    "comment": re.compile(r"\b(repl(y|ies)|comments?|says:|wrote:|posted by|ago\b|"
                          r"commentaires?|kommentar|comentarios?|leave a|log ?in to)", re.I),
    "related": re.compile(r"(related|see also|more from|read more|recommended|popular|"
                          r"you may also|you might also|check also|most read|most viewed|"
                          r"more stories|more news|trending|latest|top stories|also read|"
                          r"weitere|lesen sie auch|à lire aussi|mehr zum thema)", re.I),
    "legal": re.compile(r"(©|copyright|all rights reserved|privacy policy|terms of (use|service)"
                        r"|cookie|impressum|datenschutz)", re.I),
    "share": re.compile(r"\b(share|tweet|facebook|twitter|linkedin|whatsapp|pinterest|"
                        r"e-?mail this|print this)\b", re.I),
    "byline": re.compile(r"^(by|von|par|por|di)\s+\S|\b(staff writer|correspondent|reporter)\b",
                         re.I),
    "date": re.compile(r"\b(19|20)\d\d\b|\b\d{1,2}[:/.]\d{2}\b"),
}
PATTERN_NAMES = tuple(PATTERNS)
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d")
_PATH_INDEX = re.compile(r"\[\d+\]")


def _load_stopwords() -> frozenset[str]:
    path = DATA / "stopwords.txt"
    if not path.exists():
        return frozenset()
    return frozenset(w for w in path.read_text(encoding="utf-8").split("\n")
                     if w and not w.startswith("#"))


STOPWORDS = _load_stopwords()


def _names() -> tuple[str, ...]:
    own = ["log_chars", "log_words", "link_density", "stop_ratio", "punct_ratio",
           "ends_sentence", "cap_ratio", "digit_ratio", "avg_word_len", "log_hrefs",
           "depth", "rel_depth", "rel_index", "rel_offset", "log_same_path", "same_path_share",
           "shared_prefix_best", "in_best_parent", "word_share", "title_overlap",
           "log_page_words", "log_page_blocks", "heading_is_related", "heading_is_comment"]
    own += [f"tag_{t}" for t in TAG_NAMES]
    own += [f"hint_{h}" for h in HINT_NAMES] + [f"near_{h}" for h in HINT_NAMES]
    own += [f"text_{p}" for p in PATTERN_NAMES]
    for side in ("prev", "next", "prev2", "next2"):
        own += [f"{side}_log_chars", f"{side}_link_density", f"{side}_stop_ratio",
                f"{side}_tag_p"]
    own += ["win_link_density", "win_stop_ratio"]
    return tuple(own)


FEATURE_NAMES = _names()


@lru_cache(maxsize=200_000)
def _token_mask(token: str) -> int:
    mask = 0
    for bit, stems in enumerate(HINTS.values()):
        for s in stems:
            if (s in token) if len(s) > 3 else (token == s or token.startswith(s)):
                mask |= 1 << bit
                break
    return mask


def _mask(tokens: tuple[str, ...]) -> int:
    m = 0
    for t in tokens:
        m |= _token_mask(t)
    return m


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def page_matrix(blocks: list[Block], title: str = "") -> list[list[float]]:
    """Feature rows (in `FEATURE_NAMES` order) for the blocks of one page."""
    n = len(blocks)
    if not n:
        return []
    words = [_words(b.text) for b in blocks]
    nwords = [len(w) for w in words]
    page_words = sum(nwords) or 1
    chars = [len(b.text) for b in blocks]
    total_chars = sum(chars) or 1
    stop = []
    for w in words:
        stop.append(sum(1 for x in w if x.lower() in STOPWORDS) / len(w) if w else 0.0)
    ld = [b.link_density for b in blocks]
    max_depth = max(b.depth for b in blocks) or 1
    # Repetition: blocks sharing a tag path (indexes dropped).
    sig = [_PATH_INDEX.sub("", b.path) for b in blocks]
    sig_count: dict[str, int] = {}
    for s in sig:
        sig_count[s] = sig_count.get(s, 0) + 1
    # The page's largest low-link block: where the article most likely lives.
    best = max(range(n), key=lambda i: nwords[i] * (1.0 - ld[i]))
    best_parts = blocks[best].path.split("/")
    best_parent = "/".join(best_parts[:-1])
    title_words = {w.lower() for w in _words(title)}
    masks: dict[tuple[str, ...], tuple[int, int]] = {}
    logc = [math.log1p(c) for c in chars]
    is_p = [1.0 if b.tag == "p" else 0.0 for b in blocks]
    offset = 0
    rows = []
    for i, b in enumerate(blocks):
        text = b.text
        w = words[i]
        nc = chars[i] or 1
        mk = masks.get(b.tokens)
        if mk is None:
            mk = masks[b.tokens] = (_mask(b.tokens), _mask(b.tokens[-NEAR_TOKENS:]))
        parts = b.path.split("/")
        shared = 0
        for x, y in zip(parts, best_parts):
            if x != y:
                break
            shared += 1
        heading = b.heading
        tg = TAG_GROUPS.get(b.tag, "other")
        row = [
            logc[i], math.log1p(nwords[i]), ld[i], stop[i],
            sum(text.count(c) for c in ".,;:!?") / nc,
            1.0 if text[-1] in ".!?\"”»)" else 0.0,
            sum(1 for x in w if x[:1].isupper()) / len(w) if w else 0.0,
            len(_DIGITS.findall(text)) / nc,
            sum(map(len, w)) / len(w) if w else 0.0,
            math.log1p(len(b.hrefs)),
            float(b.depth), b.depth / max_depth, i / n, offset / total_chars,
            math.log1p(sig_count[sig[i]]), sig_count[sig[i]] / n,
            shared / max(len(parts), 1),
            1.0 if b.path.startswith(best_parent + "/") else 0.0,
            nwords[i] / page_words,
            (len(title_words & {x.lower() for x in w}) / len(title_words)
             if title_words and w else 0.0),
            math.log1p(page_words), math.log1p(n),
            1.0 if heading and PATTERNS["related"].search(heading) else 0.0,
            1.0 if heading and PATTERNS["comment"].search(heading) else 0.0,
        ]
        row += [1.0 if tg == t else 0.0 for t in TAG_NAMES]
        m_all, m_near = mk
        row += [float((m_all >> k) & 1) for k in range(len(HINT_NAMES))]
        row += [float((m_near >> k) & 1) for k in range(len(HINT_NAMES))]
        row += [1.0 if p.search(text) else 0.0 for p in PATTERNS.values()]
        for j in (i - 1, i + 1, i - 2, i + 2):
            if 0 <= j < n:
                row += [logc[j], ld[j], stop[j], is_p[j]]
            else:
                row += [0.0, 0.0, 0.0, 0.0]
        lo, hi = max(0, i - 2), min(n, i + 3)
        wc = sum(chars[lo:hi]) or 1
        row += [sum(ld[k] * chars[k] for k in range(lo, hi)) / wc,
                sum(stop[k] * chars[k] for k in range(lo, hi)) / wc]
        rows.append(row)
        offset += chars[i]
    return rows
