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

import numpy as np

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
# Wording cues, matched as lower-cased words and word pairs at the start of short blocks
# (dictionary look-ups: a regex alternation of this size costs ~40 us a block).
CUES: dict[str, tuple[str, ...]] = {
    "comment": ("reply", "replies", "comment", "comments", "says:", "wrote:", "posted by", "ago",
                "kommentar", "kommentare", "comentarios", "commentaires", "leave a",
                "log in", "login to", "responses"),
    "related": ("related", "see also", "more from", "read more", "recommended", "popular",
                "you may", "you might", "check also", "most read", "most viewed",
                "more stories", "more news", "trending", "latest", "top stories", "also read",
                "weitere", "lesen sie", "à lire", "mehr zum", "read next", "more:"),
    "legal": ("©", "copyright", "all rights", "privacy policy", "terms of", "cookie",
              "cookies", "impressum", "datenschutz", "(c)"),
    "share": ("share", "tweet", "facebook", "twitter", "linkedin", "whatsapp", "pinterest",
              "email", "e-mail", "print"),
    "byline": ("by", "von", "par", "por", "staff writer", "correspondent", "reporter",
               "written by"),
    "date": ("january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december", "jan", "feb", "mar", "apr",
             "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "am", "pm", "gmt",
             "updated", "published", "posted"),
}
PATTERNS = CUES  # the names of the wording families (columns text_<name>)
_CUE_BITS: dict[str, int] = {}
for _bit, _cues in enumerate(CUES.values()):
    for _cue in _cues:
        _CUE_BITS[_cue] = _CUE_BITS.get(_cue, 0) | (1 << _bit)
_CUE_STRIP = ".,;:!?\"'()[]|»«-–—"
PATTERN_NAMES = tuple(PATTERNS)


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


BASE_NAMES = _names()  # the per-block columns of `page_matrix`'s own loop


def _stem_tests() -> list[tuple[re.Pattern | None, tuple[str, ...]]]:
    """Per hint family: a regex finding any of its long stems inside a token, and its short
    stems (a token matches those by its start)."""
    tests = []
    for stems in HINTS.values():
        long_ = [s for s in stems if len(s) > 3]
        tests.append((re.compile("|".join(map(re.escape, long_))) if long_ else None,
                      tuple(s for s in stems if len(s) <= 3)))
    return tests


_STEM_TESTS = _stem_tests()


@lru_cache(maxsize=200_000)
def _token_mask(token: str) -> int:
    """Hint families of one class/id token, as bits (`_token_mask_reference`, one regex and one
    ``startswith`` a family instead of a test a stem)."""
    mask = 0
    for bit, (long_, short) in enumerate(_STEM_TESTS):
        if token.startswith(short) or (long_ is not None and long_.search(token)):
            mask |= 1 << bit
    return mask


def _token_mask_reference(token: str) -> int:
    mask = 0
    for bit, stems in enumerate(HINTS.values()):
        for s in stems:
            if (s in token) if len(s) > 3 else (token == s or token.startswith(s)):
                mask |= 1 << bit
                break
    return mask


@lru_cache(maxsize=50_000)
def _mask(tokens: tuple[str, ...]) -> int:
    m = 0
    for t in tokens:
        m |= _token_mask(t)
    return m


_TAG_INDEX = {t: i for i, t in enumerate(TAG_NAMES)}
_TAG_OF = {tag: _TAG_INDEX[g] for tag, g in TAG_GROUPS.items()}
_OTHER_TAG = _TAG_INDEX["other"]
_N_HINTS = len(HINT_NAMES)
_HINT_BITS = np.arange(_N_HINTS)
_PATTERN_BITS = np.arange(len(PATTERNS))
_SIG_TABLE = str.maketrans("", "", "0123456789[]")  # /div[2]/p[3] -> /div/p
# Wording patterns look at the start of a block only: they tell short blocks apart ("Leave a
# reply", "Related posts", "© 2008"); on long paragraphs they cost time and say little.
PATTERN_WINDOW = 120  # characters of a heading read for cues
PATTERN_WORDS = 12  # words of a block read for cues
PATTERN_MAX_CHARS = 200  # longer blocks are prose: no cue bits
# Stopword, punctuation, capital and digit ratios are read on the first characters of a
# block: enough to tell prose from lists, and regex scans of whole paragraphs cost the most.
SAMPLE_CHARS = 400
_PUNCT = re.compile(r"[.,;:!?\uff0c\u3002\u3001\uff1b\uff1a\uff01\uff1f]")
_DIGITS = re.compile(r"[0-9]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]")  # capital letters (Latin, Greek, Cyrillic)
# Scripts written without spaces between words (Han, kana): in a text that has one of their
# characters, each counts as a word, and their punctuation (CJK symbols and punctuation,
# full-width forms) separates words without being one.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_WORDS = re.compile(f"[{_CJK}]|[^\\s{_CJK}{_CJK_PUNCT}]+")
SENTENCE_END_CHARS = ".!?\"\u201d\u00bb)\u3002\uff01\uff1f"


def block_words(text: str) -> list[str]:
    """The words of a block's text: ``text.split()``, with each Han or kana character a word
    of its own (those scripts put no space between words)."""
    return _CJK_WORDS.findall(text) if _CJK_CHAR.search(text) else text.split()


_REL_BIT = 1 << list(CUES).index("related")
_COM_BIT = 1 << list(CUES).index("comment")


def _cue_bits(words: list[str]) -> int:
    """Bitmask of the wording families whose cues occur among ``words`` (lower-cased)."""
    bits = 0
    prev = ""
    get = _CUE_BITS.get
    for w in words:
        w = w.strip(_CUE_STRIP) or w
        bits |= get(w, 0)
        if prev:
            bits |= get(prev + " " + w, 0)
        prev = w
    return bits


def block_pass(blocks: list[Block], title: str) -> tuple:
    """The per-block pass of `page_matrix` (the reference; detector/_fast/features.pyx is its
    compiled twin, checked equal by tests/test_fastpath.py): per block the 14 text values of
    the row, class/id hint masks (all tokens, nearest tokens), cue bits, tag group, and the
    path signatures and paths."""
    title_words = set(block_words(title.lower()))
    n_title = len(title_words)
    masks: dict[tuple[str, ...], tuple[int, int]] = {}
    head_cues: dict[str, tuple[float, float]] = {}
    sig_count: dict[str, int] = {}
    sigs = []
    paths = []
    stopwords = STOPWORDS
    rows = []
    append = rows.append
    mask_all, mask_near, pat, tag_idx = [], [], [], []
    for b in blocks:
        text = b.text
        nw = len(block_words(text))
        win = text[:SAMPLE_CHARS]  # ratios are read on the start of long blocks
        low = block_words(win.lower())
        nsample = len(low)
        stop = sum(map(stopwords.__contains__, low)) / nsample if nsample else 0.0
        bits = _cue_bits(low[:PATTERN_WORDS]) if len(text) <= PATTERN_MAX_CHARS else 0
        pat.append(bits)
        mk = masks.get(b.tokens)
        if mk is None:
            mk = masks[b.tokens] = (_mask(b.tokens), _mask(b.tokens[-NEAR_TOKENS:]))
        mask_all.append(mk[0])
        mask_near.append(mk[1])
        tag_idx.append(_TAG_OF.get(b.tag, _OTHER_TAG))
        sig = b.path.translate(_SIG_TABLE)
        sigs.append(sig)
        sig_count[sig] = sig_count.get(sig, 0) + 1
        paths.append(b.path)
        heading = b.heading
        hc = head_cues.get(heading)
        if hc is None:
            hb = _cue_bits(heading[:PATTERN_WINDOW].lower().split()) if heading else 0
            hc = head_cues[heading] = (float(hb & _REL_BIT > 0), float(hb & _COM_BIT > 0))
        h_rel, h_com = hc
        nwin = len(win)
        append((
            len(text), nw, b.link_chars, stop, len(_PUNCT.findall(win)) / nwin,
            1.0 if text[-1] in SENTENCE_END_CHARS else 0.0,
            len(_UPPER.findall(win)) / nsample if nsample else 0.0,
            len(_DIGITS.findall(win)) / nwin,
            (nwin - win.count(" ")) / nsample if nsample else 0.0, len(b.hrefs), b.depth,
            len(title_words.intersection(low)) / n_title
            if n_title and nsample else 0.0, h_rel, h_com,
        ))
    return rows, mask_all, mask_near, pat, tag_idx, sigs, sig_count, paths


def _compiled_module():
    from detector._fast import features_module

    return features_module()


def path_sharing(paths: list[str], best_path: str) -> tuple[list[float], list[bool]]:
    """Per block: the share of its DOM steps it has in common with the best block's path, and
    whether it sits under the best block's parent (the reference; compiled twin in
    detector/_fast/features.pyx)."""
    best_parts = best_path.split("/")
    best_parent = best_path[:best_path.rfind("/") + 1]
    shared = []
    in_best = []
    parent_shared: dict[str, tuple[int, int]] = {}  # parent path -> (shared steps, steps)
    for path in paths:
        # DOM steps (leading path components) shared with the best block, over its own steps.
        cut = path.rfind("/")
        parent, last = path[:cut], path[cut + 1:]
        ps = parent_shared.get(parent)
        if ps is None:
            pparts = parent.split("/")
            k = 0
            for x, y in zip(pparts, best_parts):
                if x != y:
                    break
                k += 1
            ps = parent_shared[parent] = (k, len(pparts))
        k, steps = ps
        if k == steps and steps < len(best_parts) and best_parts[steps] == last:
            k += 1
        shared.append(k / (steps + 1))
        in_best.append(path.startswith(best_parent))
    return shared, in_best


def page_matrix(blocks: list[Block], title: str = "") -> np.ndarray:
    """Feature matrix (rows = blocks, columns = `FEATURE_NAMES`) of one page's blocks.

    The per-block pass in Python reads only what needs the text; everything derived
    (ratios, logs, one-hots, hint bits, neighbours) is computed with numpy on whole columns.
    """
    return page_matrix_and_words(blocks, title)[0]


def page_matrix_and_words(blocks: list[Block],
                          title: str = "") -> tuple[np.ndarray, list[int], list[str]]:
    """`page_matrix`, and what it computed on the way: every block's word count
    (the length of its `block_words`) and parent signature (`parent_signatures`)."""
    n = len(blocks)
    if not n:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32), [], []
    fm = _compiled_module()  # compiled twins of block_pass and path_sharing, where built
    # The compiled pass writes its rows straight into arrays (`block_pass_arrays`); the
    # reference's lists are converted here (the same float64 and int64 values).
    rows, mask_all, mask_near, pat, tag_idx, sigs, sig_count, paths = (
        fm.block_pass_arrays if fm is not None else block_pass)(blocks, title)
    base = np.asarray(rows, dtype=np.float64)
    mask_all = np.asarray(mask_all, dtype=np.int64)
    mask_near = np.asarray(mask_near, dtype=np.int64)
    pat = np.asarray(pat, dtype=np.int64)
    tag_idx = np.asarray(tag_idx, dtype=np.int64)
    chars, nwords, link, stop, punct, ends, caps, digits, wchars, hrefs, depth, title_ov, \
        h_rel, h_com = (base[:, k] for k in range(14))
    safe_chars = np.maximum(chars, 1.0)
    ld = np.minimum(link, chars) / safe_chars
    stop_ratio = stop
    page_words = max(nwords.sum(), 1.0)
    # The page's largest low-link block: where the article most likely lives.
    best = int(np.argmax(nwords * (1.0 - ld)))
    if fm is not None:  # the same values as float64 arrays (`path_sharing` is the reference)
        shared, in_best = fm.path_sharing_arrays(paths, paths[best])
    else:
        shared, in_best = path_sharing(paths, paths[best])
        shared = np.array(shared, dtype=np.float64)
        in_best = np.array(in_best, dtype=np.float64)
    if fm is not None:  # `parent_signatures` and the counts below, in one compiled loop
        parents, same = fm.parents_and_same(blocks, sigs, sig_count, _SIG_TABLE)
    else:
        parents = parent_signatures(blocks, sigs)
        same = np.array([sig_count[s] for s in sigs], dtype=np.float64)
    logc = np.log1p(chars)
    out = np.empty((n, len(FEATURE_NAMES)), dtype=np.float32)
    if fm is not None:  # the same columns, written by one compiled loop (logs from numpy)
        fm.assemble_base(base, mask_all, mask_near, pat, tag_idx, ld, shared, in_best, same,
                         logc, np.log1p(nwords), np.log1p(hrefs), np.log1p(same),
                         float(np.log1p(page_words)), float(np.log1p(n)), _TAG_INDEX["p"],
                         out)
    else:
        total_chars = max(chars.sum(), 1.0)
        offset = np.cumsum(chars) - chars
        _base_columns(out, n, base, mask_all, mask_near, pat, tag_idx, ld, shared, in_best,
                      same, logc, page_words, total_chars, offset)
    out[:, len(BASE_NAMES):] = context_matrix_fast(blocks, out[:, :len(BASE_NAMES)], parents)
    return out, nwords.astype(np.int64).tolist(), parents


def _base_columns(out, n, base, mask_all, mask_near, pat, tag_idx, ld, shared, in_best, same,
                  logc, page_words, total_chars, offset) -> None:
    """``out[:, :len(BASE_NAMES)]`` with numpy (the reference of the compiled
    ``assemble_base``)."""
    chars, nwords, link, stop, punct, ends, caps, digits, wchars, hrefs, depth, title_ov, \
        h_rel, h_com = (base[:, k] for k in range(14))
    stop_ratio = stop
    is_p = (tag_idx == _TAG_INDEX["p"]).astype(np.float64)
    cols = [
        logc, np.log1p(nwords), ld, stop_ratio, punct, ends, caps, digits, wchars,
        np.log1p(hrefs), depth,
        depth / max(depth.max(), 1.0), np.arange(n) / n, offset / total_chars,
        np.log1p(same), same / n, shared, in_best, nwords / page_words, title_ov,
        np.full(n, np.log1p(page_words)),
        np.full(n, np.log1p(n)), h_rel, h_com,
    ]
    c = len(cols)
    out[:, :c] = np.column_stack(cols)
    out[:, c:c + len(TAG_NAMES)] = np.eye(len(TAG_NAMES))[tag_idx]
    c += len(TAG_NAMES)
    out[:, c:c + _N_HINTS] = (mask_all[:, None] >> _HINT_BITS) & 1
    c += _N_HINTS
    out[:, c:c + _N_HINTS] = (mask_near[:, None] >> _HINT_BITS) & 1
    c += _N_HINTS
    out[:, c:c + len(_PATTERN_BITS)] = (pat[:, None] >> _PATTERN_BITS) & 1
    c += len(_PATTERN_BITS)
    neigh = np.column_stack([logc, ld, stop_ratio, is_p])
    for shift in (-1, 1, -2, 2):  # prev, next, prev2, next2
        block = np.zeros_like(neigh)
        if shift < 0 and n > -shift:
            block[-shift:] = neigh[:shift]
        elif shift > 0 and n > shift:
            block[:-shift] = neigh[shift:]
        out[:, c:c + 4] = block
        c += 4
    # Window of +-2 blocks: character-weighted link and stopword density.
    idx = np.arange(n)
    lo, hi = np.maximum(idx - 2, 0), np.minimum(idx + 3, n)

    def window(x: np.ndarray) -> np.ndarray:
        cs = np.concatenate(([0.0], np.cumsum(x)))
        return cs[hi] - cs[lo]
    wc = np.maximum(window(chars), 1.0)
    out[:, c] = window(ld * chars) / wc
    out[:, c + 1] = window(stop_ratio * chars) / wc


# --- section and list context (columns after `BASE_NAMES`; see `context_matrix`) -----------

# Short blocks that open a related-content or a comments section, whatever their tag
# ("Related News" in a <td>, "COMMENTS ON THIS STORY" in a <div>, "Talkbacks"). Read on the
# lower-cased text of blocks of at most SECTION_HEADER_WORDS words.
SECTION_HEADER_WORDS = 8  # longest section title seen on L3S-GN1 training pages was 6 words
RELATED_SECTION = re.compile(
    r"\b(related|see also|on this topic|more (on|about|from|in)\b|more \w+ (news|stories)|"
    r"more (news|stories|headlines|articles)|other (news|stories)|also (read|see|in)|"
    r"recommended|you (may|might) (also )?like|most (read|popular|viewed|emailed|e-mailed)|"
    r"top (stories|news|headlines)|latest|headlines|further reading|read more|in depth|"
    r"recent (posts|stories|articles|news)|popular|what's new)\b")
COMMENT_SECTION = re.compile(
    r"\b(comments?|talkbacks?|your say|have your say|reader'?s'? (views|reactions)|"
    r"reactions?|discuss(ion)?|responses?|replies|leave a|post a|add (a |your )?comment|"
    r"feedback|mailbox|join the conversation|what do you think|sound off|speak up)\b")
# The literal start of each alternative of the two patterns: a match starts at a word start
# (the patterns open with ``\b`` and a letter) with one of these, so the compiled context pass
# (`section_cues` in detector/_fast/features.pyx) runs a pattern only on a text holding one of
# its starts at a word start (3% and 1.4% of the short blocks of the 671 benchmark pages).
# tests/test_fastex6.py checks that every top-level alternative of each pattern starts with
# one (keep them with the patterns).
RELATED_SECTION_STARTS = (
    "related", "see also", "on this topic", "more ", "other ", "also ", "recommended", "you ",
    "most ", "top ", "latest", "headlines", "further reading", "read more", "in depth",
    "recent ", "popular", "what's new")
COMMENT_SECTION_STARTS = (
    "comment", "talkback", "your say", "have your say", "reader", "reaction", "discuss",
    "response", "replies", "leave a", "post a", "add ", "feedback", "mailbox",
    "join the conversation", "what do you think", "sound off", "speak up")
# How far back a section title reaches: related lists are short (a title and up to ~20 links);
# comment threads run long. Chosen by looking at L3S-GN1 training pages.
RELATED_REACH = 25
COMMENT_REACH = 150
# A block of this many words with little link text is running prose: it closes a related
# section (a related list holds links and short teasers, not paragraphs).
PROSE_WORDS = 30
PROSE_LINK_DENSITY = 0.3
# Comment metadata: a date or clock time, "#12" or "12." opening a post.
_DATETIME = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d{2}\b|"
                       r"\b\d+ (minutes?|hours?|days?|weeks?|months?) ago\b")
_NUMBERED = re.compile(r"^(#\s?\d+|\d{1,3}[.)])\s")
CONTEXT_SAMPLE = 200  # characters of a block read for the metadata patterns


def _names_context() -> tuple[str, ...]:
    return ("sec_related_header", "sec_comment_header", "sec_related", "sec_comment",
            "log_related_dist", "log_comment_dist", "run_len", "run_link_density",
            "run_log_words", "after_best", "best_dist", "after_article_end",
            "has_datetime", "starts_numbered")


CONTEXT_NAMES = _names_context()
FEATURE_NAMES = BASE_NAMES + CONTEXT_NAMES
NO_SECTION = 6.0  # log distance reported when no section title is within reach
_BASE_COL = {name: i for i, name in enumerate(BASE_NAMES)}


@lru_cache(maxsize=50_000)
def _section_cues(low: str) -> tuple[bool, bool]:
    """(related title, comments title) for the lower-cased text of a short block."""
    return RELATED_SECTION.search(low) is not None, COMMENT_SECTION.search(low) is not None



def _in_section(i: int, last: int, reach: int) -> tuple[float, float]:
    """(1, log1p(distance)) when block i is within `reach` blocks of the section heading at
    `last` (-1: none open), else (0, NO_SECTION)."""
    if last >= 0 and i - last <= reach:
        return 1.0, math.log1p(i - last)
    return 0.0, NO_SECTION

def context_matrix(blocks: list[Block], base: np.ndarray) -> np.ndarray:
    """Section and list context of every block (columns `CONTEXT_NAMES`).

    - ``sec_*_header``: the block itself is a short related/comments section title;
      ``sec_*``: such a title opened the section the block is in (related: within
      RELATED_REACH blocks and no running prose since; comments: within COMMENT_REACH);
      ``log_*_dist``: log distance to that title.
    - ``run_*``: the run of consecutive blocks sharing the block's parent signature (siblings of
      one list or table): its length, link density and mean words. A related list is a run.
    - ``after_best`` / ``best_dist`` / ``after_article_end``: where the block sits relative to
      the page's largest prose block and to the last prose block of that container.
    - ``has_datetime`` / ``starts_numbered``: comment metadata on the start of the block.
    """
    n = len(blocks)
    col = _BASE_COL
    ld = base[:, col["link_density"]].astype(np.float64)
    words = np.expm1(base[:, col["log_words"]].astype(np.float64))
    in_best = base[:, col["in_best_parent"]] > 0
    out = np.zeros((n, len(CONTEXT_NAMES)), dtype=np.float64)
    short = (words <= SECTION_HEADER_WORDS).tolist()
    prose = ((words >= PROSE_WORDS) & (ld < PROSE_LINK_DENSITY)).tolist()
    rel_h, com_h, dt, num, parents = [], [], [], [], []
    for b, is_short in zip(blocks, short):
        text = b.text
        if is_short:
            r, c = _section_cues(text.lower())
        else:
            r = c = False
        rel_h.append(r)
        com_h.append(c)
        head = text[:CONTEXT_SAMPLE]
        dt.append(_DATETIME.search(head) is not None)
        num.append(_NUMBERED.match(head) is not None)
        path = b.path
        parents.append(path[:path.rfind("/")].translate(_SIG_TABLE))
    out[:, 0] = rel_h
    out[:, 1] = com_h
    out[:, 12] = dt
    out[:, 13] = num
    rel, com = [], []  # (in the section, log distance to its heading) a block
    last_rel = last_com = -1
    for i in range(n):
        if rel_h[i]:
            last_rel = i
        elif prose[i]:
            last_rel = -1
        if com_h[i]:
            last_com = i
        rel.append(_in_section(i, last_rel, RELATED_REACH))
        com.append(_in_section(i, last_com, COMMENT_REACH))
    out[:, [2, 4]] = rel
    out[:, [3, 5]] = com
    _run_and_position_columns(out, parents, words, ld, in_best, np.asarray(prose, dtype=bool))
    return out.astype(np.float32)


def _run_and_position_columns(out: np.ndarray, parents: list[str], words: np.ndarray,
                              ld: np.ndarray, in_best: np.ndarray, prose: np.ndarray) -> None:
    """Columns 6-11 of `CONTEXT_NAMES` (runs of siblings, position against the article), for
    both `context_matrix` and `context_matrix_fast`."""
    n = len(parents)
    # Runs of consecutive blocks with one parent signature, as run ids (vectorised).
    new_run = np.ones(n, bool)
    new_run[1:] = [a != b for a, b in zip(parents[1:], parents)]
    run = np.cumsum(new_run) - 1
    size = np.bincount(run)
    wsum = np.maximum(np.bincount(run, weights=words), 1.0)
    out[:, 6] = np.log1p(size)[run]
    out[:, 7] = (np.bincount(run, weights=ld * words) / wsum)[run]
    out[:, 8] = (np.bincount(run, weights=np.log1p(words)) / size)[run]
    best = int(np.argmax(words * (1.0 - ld)))
    idx = np.arange(n)
    out[:, 9] = idx > best
    out[:, 10] = (idx - best) / n
    body = np.flatnonzero(in_best & prose)
    end = int(body[-1]) if len(body) else best
    out[:, 11] = idx > end


# log1p(k) for every distance a section can reach, from math.log1p as `context_matrix` computes
# it (numpy's log1p may differ in the last bit).
_LOG1P_DIST = np.array([math.log1p(k) for k in range(max(RELATED_REACH, COMMENT_REACH) + 1)])


def parent_signatures(blocks: list[Block], sigs: list[str]) -> list[str]:
    """Per block, ``path[:path.rfind("/")].translate(_SIG_TABLE)`` (its parent's path without
    positions), cut from the path signatures `block_pass` made (``sigs``): the table keeps
    every "/", so the parent's signature is the signature up to its last "/"."""
    parents = []
    for s, b in zip(sigs, blocks):
        cut = s.rfind("/")
        # No "/" in the path: the reference's path[:-1] is not the signature's [:-1].
        parents.append(s[:cut] if cut >= 0 else b.path[:-1].translate(_SIG_TABLE))
    return parents


def context_matrix_fast(blocks: list[Block], base: np.ndarray,
                        parents: list[str]) -> np.ndarray:
    """`context_matrix`, the same values (tests/test_fastpath2.py checks them equal), with the
    per-block Python work cut down: section cues read on short blocks only, the metadata
    regexes run only on blocks that can hold a digit, the parent signatures given
    (`parent_signatures`), and the section scan done with numpy."""
    n = len(blocks)
    col = _BASE_COL
    words = np.expm1(base[:, col["log_words"]].astype(np.float64))
    out = np.zeros((n, len(CONTEXT_NAMES)), dtype=np.float64)
    fm = _compiled_module()
    if fm is not None:  # the same columns in one compiled loop (logs from numpy and math)
        run, size = fm.context_columns(blocks, parents, base, col["link_density"],
                                       col["in_best_parent"], col["digit_ratio"], words,
                                       np.log1p(words), _LOG1P_DIST, out)
        out[:, 6] = np.log1p(size)[run]
        return out.astype(np.float32)
    return _context_numpy(blocks, base, parents, words, out)


def _context_numpy(blocks: list[Block], base: np.ndarray, parents: list[str],
                   words: np.ndarray, out: np.ndarray) -> np.ndarray:
    """`context_matrix_fast` with numpy (the reference of the compiled ``context_columns``)."""
    n = len(blocks)
    col = _BASE_COL
    ld = base[:, col["link_density"]].astype(np.float64)
    in_best = base[:, col["in_best_parent"]] > 0
    short = words <= SECTION_HEADER_WORDS
    prose = (words >= PROSE_WORDS) & (ld < PROSE_LINK_DENSITY)
    texts = [b.text for b in blocks]
    rel_h = np.zeros(n, dtype=bool)
    com_h = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(short).tolist():
        rel_h[i], com_h[i] = _section_cues(texts[i].lower())
    # Both metadata patterns need a digit (\d). On an ASCII text \d is [0-9], which
    # `digit_ratio` counts on the first SAMPLE_CHARS >= CONTEXT_SAMPLE characters: a zero
    # ratio rules the patterns out. Other texts (\d matches any Unicode digit) are searched.
    maybe = (base[:, col["digit_ratio"]] > 0).tolist()
    dt, num = [], []
    search, match = _DATETIME.search, _NUMBERED.match
    for i, t in enumerate(texts):
        if maybe[i] or not t.isascii():
            head = t[:CONTEXT_SAMPLE]
            if search(head) is not None:
                dt.append(i)
            if match(head) is not None:
                num.append(i)
    out[dt, 12] = 1.0
    out[num, 13] = 1.0
    out[:, 0] = rel_h
    out[:, 1] = com_h
    idx = np.arange(n)
    # Related: the last title at or before i, unless running prose (not a title) came since.
    event = np.where(rel_h, idx, -1)
    at = np.maximum.accumulate(np.where(rel_h | prose, idx, -1))
    last = np.where(at >= 0, event[np.maximum(at, 0)], -1)
    dist = idx - last
    inside = (last >= 0) & (dist <= RELATED_REACH)
    out[:, 2] = inside
    out[:, 4] = np.where(inside, _LOG1P_DIST[np.where(inside, dist, 0)], NO_SECTION)
    last = np.maximum.accumulate(np.where(com_h, idx, -1))
    dist = idx - last
    inside = (last >= 0) & (dist <= COMMENT_REACH)
    out[:, 3] = inside
    out[:, 5] = np.where(inside, _LOG1P_DIST[np.where(inside, dist, 0)], NO_SECTION)
    _run_and_position_columns(out, parents, words, ld, in_best, prose)
    return out.astype(np.float32)
