"""Block typing: which blocks are the article and which are boilerplate, and of what kind.

1. HTML, learned pass: every block gets shallow features in its page (detector.blocks.features)
   and the shipped model (detector/data/blocks.skops, trained by detector.blocks.train) gives
   P(article text), smoothed with the neighbours, and P(kind) over the L3S-GN1 kinds.
2. Kinds: an article block is ``content``, ``title`` or ``caption`` by the kind model; a
   boilerplate block is ``related`` or ``comments`` by the kind model, or else typed from its
   class/id tokens and wording (`boilerplate_kind`): navigation, footer, share, author, ad.
3. Plain text (no markup): section headings ("Check Also", "Leave a Reply", "About <name>")
   open related/comments/author sections; caption, share and legal lines are typed by wording.
4. Page type: article, listing, forum, product or other (`page_type_of`), so that a listing or
   a product page is not taken for an article.
5. Focus (`_focus_article`, HTML with the learned model): a block the kind model calls
   related/comments between the page's confident blocks (the article model sure of them, typed
   article text or comments) stays article text unless the kind model is very sure; on an
   article page, weakly kept blocks outside the DOM container that holds the article (chosen
   by the kept blocks' words x P(article)^2) are dropped (readability's one-container
   choice), and the blocks after the last confident article block inside that container stay
   article text while the article model is sure of them (`_article_run`); a tiny page where
   nothing was kept keeps its prose blocks.
6. Caption labels (`_caption_labels`): a short, weak block typed caption that reads as a label
   ("Mehr zum Thema", "Teilen") is boilerplate.
7. The article's tail (`_trim_tail`): on an article page, a short block after the last
   confident article block that the article model thinks more likely boilerplate than not
   ("Buch bestellen", "Click here to sign up", a link list's items) is boilerplate.

Without the shipped model (a fresh checkout before training), step 1 falls back to the
token and link-density heuristics of `heuristic_kind`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from detector.page import Block, Page

ARTICLE_KINDS = frozenset({"content", "title", "caption"})  # what Extraction.text keeps

# Class/id tokens that name a boilerplate kind (token equality; see `boilerplate_kind`).
_KIND_TOKENS = {
    "comments": {"comment", "comments", "respond", "reply", "commentform", "disqus",
                 "commentlist"},
    "related": {"related", "relatedposts", "recommended", "teaser", "popular", "trending",
                "outbrain", "taboola", "more", "also"},
    "author": {"author", "byline", "bio", "authorbox", "writer", "contributor"},
    "share": {"share", "social", "sharing", "addthis", "sharedaddy", "sociable", "shares"},
    "footer": {"footer", "copyright", "legal", "colophon", "disclaimer"},
    "ad": {"ad", "ads", "advert", "advertisement", "sponsored", "banner", "adsense", "dfp"},
    "navigation": {"nav", "menu", "breadcrumb", "breadcrumbs", "navbar", "topbar", "sidebar",
                   "navigation", "pagination", "pager"},
}
# How many of the nearest class/id tokens are read for the kind of a boilerplate block.
KIND_TOKEN_WINDOW = 6

# Plain-text section headings and line patterns (step 3).
RELATED_HEADING = re.compile(
    r"^(check also|related( posts| articles| stories| news)?|see also|read (also|more|next)|"
    r"more (stories|news|from .{1,40})|you (may|might) also like|recommended( for you)?|"
    r"most (read|popular|viewed)|popular( posts| stories)?|trending( now)?|also read|"
    r"latest( news| posts| stories)?|top stories|further reading)\s*:?$", re.I)
COMMENTS_HEADING = re.compile(
    r"^(leave a (reply|comment)|post a comment|add (a )?comment|\d+ (comments?|responses?|"
    r"replies)|comments?( \(\d+\))?|responses?|join the (discussion|conversation)|"
    r"what do you think\??|discussion)\s*:?$", re.I)
AUTHOR_LINE = re.compile(r"^([Aa]bout ([Tt]he [Aa]uthor|[A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3})|"
                         r"([Ww]ritten |[Pp]osted )?[Bb]y [A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3})"
                         r"\s*$")
CAPTION_LINE = re.compile(r"\[[^\]]{2,80}\]\s*$|\((photo|image|picture|credit|file)[^)]*\)\s*$|"
                          r"^(photo|image|picture|credit|file photo)\s*:|"
                          r"(getty images|reuters|afp|ap photo|epa)\]?\)?\s*$", re.I)
SHARE_LINE = re.compile(r"^(share( this( article| story)?)?( on \w+)?|tweet|email|print|"
                        r"facebook|twitter|whatsapp|linkedin|pinterest)(\s*[|/,]\s*\w+)*$",
                        re.I)
LEGAL_LINE = re.compile(r"©|\bcopyright\b|all rights reserved", re.I)
# A plain-text line this short, without sentence punctuation, before a caption line is the
# image's title (the seed: "Japan PM Kishida poses next to US VP Harris").
CAPTION_TITLE_MAX_WORDS = 14


@dataclass(slots=True)
class Extraction:
    """Article text and typed blocks of one page."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    page_type: str = "article"
    title: str = ""


def classify_blocks(page: Page) -> Page:
    """Set ``kind`` and ``confidence`` on every block, and ``page.page_type``."""
    if not page.blocks:
        return page
    words = None  # word counts of the blocks, when page_matrix made them
    p_kind = None  # the kind model's probabilities, for the focus step
    if page.html is None:
        _classify_text(page.blocks)
    else:
        from detector.blocks.model import shipped_model

        model = shipped_model()
        if model is None:
            for b in page.blocks:
                b.kind, b.confidence = heuristic_kind(b), 0.5
        else:
            words, p_kind = _classify_learned(page, model)
    first = page.blocks[0]
    if first.index == 0 and first.tag == "title":
        first.kind, first.confidence = "title", 1.0
    page.page_type = page_type_of(page, words)
    if p_kind is not None:
        _focus_article(page, p_kind, model, words)
        _caption_labels(page.blocks)
        if page.page_type == "article":
            _trim_tail(page.blocks, words)
    return page


# Step 6 (`_caption_labels`). A block the kind model typed caption that is a short label
# ("Mehr zum Thema", "Über den Autor", "Weiterführender Link", "Teilen", "Jun 18th 2018"):
# at most CAPTION_LABEL_MAX_WORDS words, no sentence end, not a photo credit (`CAPTION_LINE`),
# and P(article) under CAPTION_LABEL_P. Chosen on the training folds
# (`benchmarks/extraction.py --split train`; 73 of 155 "without" snippets that detector kept
# and trafilatura did not, on trafilatura_eval, were in caption blocks): 4 or 6 words with
# P < 0.5 gave trafilatura_eval +0.003/+0.004, wcxb_dev +0.001, dragnet +0.0003, the others
# within -0.0004; P < 0.6 or 0.7 cost readability 0.001-0.003 and L3S 0.001.
CAPTION_LABEL_MAX_WORDS = 6
CAPTION_LABEL_P = 0.5
_SENTENCE_END = re.compile(r"[.!?][\"\u201d)]?$")


def _caption_labels(blocks: list[Block]) -> None:
    """Step 6: retype the caption blocks that are labels (see `CAPTION_LABEL_P`) as
    boilerplate, by `boilerplate_kind`."""
    for b in blocks:
        if b.kind != "caption":
            continue
        pa = b.features.get("p_article", 1.0)
        if pa >= CAPTION_LABEL_P:
            continue
        text = b.text.strip()
        if (len(text.split()) <= CAPTION_LABEL_MAX_WORDS and not _SENTENCE_END.search(text)
                and not CAPTION_LINE.search(text)):
            b.kind, b.confidence = boilerplate_kind(b, learned=True), 1.0 - pa


# Step 7 (`_trim_tail`). After the last block typed content with P(article) >= ANCHOR_P (the
# end of the article as step 5 sees it), a kept content or caption block of at most
# TAIL_MAX_WORDS words (`block_words`) whose P(article) is under TAIL_P is boilerplate: a
# sign-up line, "Buch bestellen", a donation appeal, the items of a link list the article
# model kept at even odds. Chosen on the training folds (`benchmarks/extraction.py --split
# train`, docs/extract8.md): among 6 / 8 / 10 / 15 / 25 words and P under 0.5 / 0.6 / 0.65, on
# article pages only, 15 words at 0.5 gave trafilatura_eval +0.0030, cleanportaleval +0.0009,
# l3s_gn1 +0.0007, cleaneval +0.0003, wcxb_dev +0.0001 / +0.0001, dragnet 0, readability
# -0.0006 (its gold keeps photo credits and "First published" lines); 25 words cost
# cleanportaleval and dragnet, P under 0.6 cost dragnet and readability; the same on every
# page cost wcxb_dev's listings and forums; before the first anchor as well, or cutting
# everything after the first such block, cost readability, cleanportaleval or wcxb_dev.
TAIL_MAX_WORDS = 15
TAIL_P = 0.5
TAIL_KINDS = frozenset({"content", "caption"})


def _trim_tail(blocks: list[Block], words: list[int] | None = None) -> None:
    """Step 7: retype the short, weak article blocks after the article's last anchor (see
    `TAIL_P`) as boilerplate, by `boilerplate_kind`. ``words``: the blocks' `block_words`
    counts when page_matrix made them."""
    last = -1
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if b.kind == "content" and b.features.get("p_article", 0.0) >= ANCHOR_P:
            last = i
            break
    if last < 0:
        return
    for i in range(last + 1, len(blocks)):
        b = blocks[i]
        if b.kind not in TAIL_KINDS:
            continue
        pa = b.features.get("p_article", 1.0)
        if pa >= TAIL_P:
            continue
        n = words[i] if words is not None else _n_block_words(b)
        if n <= TAIL_MAX_WORDS:
            b.kind, b.confidence = boilerplate_kind(b, learned=True), 1.0 - pa


def _n_block_words(b: Block) -> int:
    """``len(block_words(b.text))``: the word count page_matrix makes, for the steps called
    without its counts (detector.blocks.features is imported on the learned path only)."""
    from detector.blocks.features import block_words

    return len(block_words(b.text))


# A block the article model keeps is still typed related/comments when the kind model is
# this sure (comment threads read like prose; the article model alone keeps half of them).
KIND_OVERRIDE = 0.5


def _classify_learned(page: Page, model) -> tuple[list[int], np.ndarray]:
    """Type every block with the learned models; returns the blocks' word counts and the kind
    model's probabilities (rows: blocks, columns: ``model.kind_classes``)."""
    from detector.blocks.features import page_matrix_and_words

    X, words, parents = page_matrix_and_words(page.blocks, page.title)
    p_art, p_kind = model.predict(X)
    ci = {k: i for i, k in enumerate(model.kind_classes)}
    thr = model.threshold
    side_thr = {"related": model.related_threshold, "comments": model.comments_threshold}
    p_kind = np.asarray(p_kind, dtype=np.float64)
    from detector._fast import features_module

    fm = features_module()
    if fm is not None:  # the steps below in two compiled passes (tests/test_fastex5.py)
        fm.type_learned_columns(
            page.blocks, np.asarray(p_art, dtype=np.float64), p_kind,
            tuple(ci[k] for k in ("related", "comments", "content", "title", "caption",
                                  "other")),
            thr, KIND_OVERRIDE, side_thr["related"], side_thr["comments"], _kind_rules(fm))
        fm.smooth_kinds(page.blocks, parents, ARTICLE_KINDS, LIST_VOTE)
        return words, p_kind
    # The choices of the reference loop (`_classify_learned_reference`), on whole columns:
    # each is the first of the candidates with the highest probability, as ``max`` picks.
    side_rel, p_side = _first_max(p_kind, [ci["related"], ci["comments"]])
    art_best, _ = _first_max(p_kind, [ci["content"], ci["title"], ci["caption"]])
    rest_best, _ = _first_max(p_kind, [ci["related"], ci["comments"], ci["other"]])
    _type_learned(
        page.blocks, p_art.tolist(), side_rel.tolist(), p_side.tolist(), art_best.tolist(),
        rest_best.tolist(), thr, KIND_OVERRIDE, side_thr["related"], side_thr["comments"],
        boilerplate_kind)
    _smooth_lists(page.blocks, parents)
    _smooth_sections(page.blocks)
    return words, p_kind


_KIND_RULES: dict[int, object] = {}


def _kind_rules(fm):
    """What `boilerplate_kind` reads, for the compiled typing pass (made once per module)."""
    rules = _KIND_RULES.get(id(fm))
    if rules is None:
        # (`_token_kind`'s compiled twin: the kinds' bits a token, no cache to fill)
        rules = _KIND_RULES[id(fm)] = fm.KindRules(
            fm.TokenKinds(_KIND_TOKENS), LEGAL_LINE, SHARE_LINE, AUTHOR_LINE, _SHARE_FIRST,
            _AUTHOR_FIRST, _AD_LABELS, KIND_TOKEN_WINDOW)
    return rules


def _type_learned(blocks: list[Block], p_art: list[float], side_rel: list[int],
                  p_side: list[float], art_best: list[int], rest_best: list[int], thr: float,
                  override: float, related_thr: float, comments_thr: float,
                  kind_fn) -> None:
    """The typing loop of `_classify_learned`: per block its P(article) into ``features``,
    then its kind and confidence from the models' columns (``side_rel`` / ``art_best`` /
    ``rest_best``: the position of the chosen candidate, ``p_side``: the chosen side's
    probability). ``kind_fn``: `boilerplate_kind`. Compiled twin: ``type_learned`` in
    detector/_fast/features.pyx (tests/test_fastex4.py compares them)."""
    sides = ("related", "comments")
    side_thr = (related_thr, comments_thr)
    arts = ("content", "title", "caption")
    rests = ("related", "comments", "other")
    for b, pa, si, ps, ab, rb in zip(blocks, p_art, side_rel, p_side, art_best, rest_best):
        b.features["p_article"] = pa
        side = sides[si]
        if pa >= thr and ps < override:
            best = arts[ab]
            if best == "title" and b.tag not in ("h1", "h2", "h3", "title"):
                best = "content"  # headlines are headings; a bold lead is still content
            b.kind, b.confidence = best, pa
        elif pa >= thr or ps >= side_thr[si]:
            b.kind, b.confidence = side, ps
        else:
            best = rests[rb]
            b.kind = best if best != "other" else kind_fn(b, learned=True)
            b.confidence = 1.0 - pa


def _first_max(p: np.ndarray, cols: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the position in ``cols`` of the first column holding the row's highest value
    among ``cols`` (``max(cands, key=...)`` keeps the first on ties: a later candidate wins only
    when strictly greater), and that value."""
    best = np.zeros(len(p), dtype=np.int64)
    top = p[:, cols[0]].copy()
    for k, c in enumerate(cols[1:], start=1):
        greater = p[:, c] > top
        best[greater] = k
        top[greater] = p[greater, c]
    return best, top


def _classify_learned_reference(page: Page, model) -> None:
    """The per-block loop `_classify_learned` replaced (kept as its reference; the tests check
    both type every block alike)."""
    from detector.blocks.features import page_matrix

    X = page_matrix(page.blocks, page.title)
    p_art, p_kind = model.predict(X)
    classes = model.kind_classes
    ci = {k: classes.index(k) for k in classes}
    thr = model.threshold
    side_thr = {"related": model.related_threshold, "comments": model.comments_threshold}
    for b, pa, pk in zip(page.blocks, p_art.tolist(), p_kind.tolist()):
        b.features["p_article"] = pa
        side = max(("related", "comments"), key=lambda k: pk[ci[k]])
        if pa >= thr and pk[ci[side]] < KIND_OVERRIDE:
            best = max(("content", "title", "caption"), key=lambda k: pk[ci[k]])
            if best == "title" and b.tag not in ("h1", "h2", "h3", "title"):
                best = "content"  # headlines are headings; a bold lead is still content
            b.kind, b.confidence = best, pa
        elif pa >= thr or pk[ci[side]] >= side_thr[side]:
            b.kind, b.confidence = side, pk[ci[side]]
        else:
            best = max(("related", "comments", "other"), key=lambda k: pk[ci[k]])
            b.kind = best if best != "other" else boilerplate_kind(b, learned=True)
            b.confidence = 1.0 - pa
    _smooth_lists(page.blocks)
    _smooth_sections(page.blocks)


# Step 5 (`_focus_article`). The numbers were chosen on out-of-fold block probabilities of
# training folds 1-4 (each fold held back in turn, models refitted without it), by the AEB and
# snippet F1 of every dataset and the L3S block F1 of content/comments (docs/readfit.md).
# A kept block at least this probable is an anchor: the article certainly goes through it.
ANCHOR_P = 0.7
# The article's container: the deepest DOM element holding this share of the weight of the
# kept article blocks, each weighing its words times P(article) squared (`_container_weight`).
# Anchors' words alone (the first version) made the container too deep where a few confident
# blocks sit in a sub-element and the rest of the article beside it (docs/readfit.md: mozilla
# pages, a caption gallery); all kept blocks at words x P (or x 1) reached too high. Chosen on
# the training folds (docs/extract7.md): words x P^2 against anchors' words, l3s -0.0005,
# dragnet +0.0009, cleaneval +0.0005, trafilatura_eval +0.0017, wcxb_dev +0.0014 / +0.0026.
CONTAINER_SHARE = 0.7
# A kept block outside that container needs at least this P(article) on an article page.
OUTSIDE_P = 0.7
# The kinds the container test applies to: a headline often sits above the article's
# container (in a page header) and is still the page's title, so "title" blocks keep their
# kind (without this, L3S title block F1 fell from 0.76 to 0.62).
CONTAINED_KINDS = frozenset({"content", "caption"})
# Between the first and the last anchor, an article block is typed related/comments only when
# the kind model is this sure (dialogue and quoted speech read like comments; 0.5 elsewhere).
KIND_OVERRIDE_INSIDE = 0.9
# The span that override covers runs from the first to the last block the article model is
# sure of (P >= ANCHOR_P) typed article text or one of these kinds: a list article the kind
# model typed comments from its first item (hearya.com's top-100 list on trafilatura_eval: P
# 0.65-0.91, kind comments, one content block) has no anchor before its items. Chosen on the
# training folds (`benchmarks/extraction.py --split train`): dragnet +0.0004, cleaneval
# +0.0005, trafilatura_eval +0.0007, wcxb_dev +0.0007 / +0.0005, l3s_gn1 -0.0001, L3S
# training block F1 unchanged; the anchors of the container (below) stay article kinds only.
SPAN_KINDS = frozenset({"comments"})
# A page of at most this many blocks where nothing was kept keeps its prose blocks (link
# density below FALLBACK_LINK_DENSITY, P(article) at least FALLBACK_SHARE of the page's best):
# a tiny document is its own content.
SMALL_PAGE_BLOCKS = 10
FALLBACK_SHARE = 0.3
FALLBACK_LINK_DENSITY = 0.5


def _focus_article(page: Page, p_kind: np.ndarray, model,
                   words: list[int] | None = None) -> None:
    """Step 5 of the module docstring; changes kinds only (page type is already set).
    ``words``: every block's `block_words` count, when page_matrix made them.
    Compiled twin (the steps after this set-up): ``focus_article`` in
    detector/_fast/features.pyx (tests/test_fastex5.py compares them)."""
    blocks = page.blocks
    ci = {k: i for i, k in enumerate(model.kind_classes)}
    thr = model.threshold
    side_thr = {"related": model.related_threshold, "comments": model.comments_threshold}
    from detector._fast import features_module

    fm = features_module()
    if fm is not None:
        fm.focus_article(
            blocks, np.asarray(p_kind, dtype=np.float64),
            tuple(ci[k] for k in ("related", "comments", "content", "title", "caption",
                                  "other")),
            thr, side_thr["related"], side_thr["comments"], page.page_type == "article",
            _article_container, words, _kind_rules(fm),
            (ANCHOR_P, OUTSIDE_P, KIND_OVERRIDE_INSIDE, SMALL_PAGE_BLOCKS, FALLBACK_SHARE,
             FALLBACK_LINK_DENSITY, CONTAINED_KINDS, ARTICLE_KINDS, SPAN_KINDS))
        return
    body = [i for i, b in enumerate(blocks) if not (b.index == 0 and b.tag == "title")]
    pa = [b.features.get("p_article", 0.0) for b in blocks]
    anchors = [i for i in body if blocks[i].kind in ARTICLE_KINDS and pa[i] >= ANCHOR_P]
    span = [i for i in body
            if (blocks[i].kind in ARTICLE_KINDS or blocks[i].kind in SPAN_KINDS)
            and pa[i] >= ANCHOR_P]
    if len(span) >= 2:
        lo, hi = span[0], span[-1]
        for i in range(lo + 1, hi):
            b = blocks[i]
            if (b.kind in ("related", "comments") and pa[i] >= thr
                    and max(p_kind[i, ci["related"]], p_kind[i, ci["comments"]])
                    < KIND_OVERRIDE_INSIDE):
                b.kind, b.confidence = _article_kind(b, p_kind[i], ci), pa[i]
    if page.page_type == "article" and anchors:
        kept = [i for i in body if blocks[i].kind in ARTICLE_KINDS and pa[i] >= thr]
        root = _article_container([blocks[i] for i in kept],
                                  [_container_weight(words, blocks, i, pa[i]) for i in kept])
        if root is not None:
            for i in body:
                b = blocks[i]
                if (b.kind in CONTAINED_KINDS and pa[i] < OUTSIDE_P
                        and not b.path.startswith(root)):
                    b.kind = _boilerplate_choice(b, p_kind[i], ci, side_thr)
                    b.confidence = 1.0 - pa[i]
            _article_run(blocks, anchors, root, pa, p_kind, ci)
    if (0 < len(body) <= SMALL_PAGE_BLOCKS
            and not any(blocks[i].kind in ARTICLE_KINDS for i in body)):
        best = max(pa[i] for i in body)
        for i in body:
            b = blocks[i]
            if pa[i] >= FALLBACK_SHARE * best and b.link_density < FALLBACK_LINK_DENSITY:
                b.kind, b.confidence = "content", pa[i]


def _article_run(blocks: list[Block], anchors: list[int], root: str, pa: list[float],
                 p_kind: np.ndarray, ci: dict[str, int]) -> None:
    """Step 5, 2b: the article runs on to the end of its container. After the last anchor
    inside the article's container ``root``, the blocks that follow it inside that element,
    one after the other, are the article's while the article model is sure of them
    (P >= `ANCHOR_P`), even when the kind model called them comments: a comment thread has
    an element of its own (``<ol class="comment-list">``, ``<div id="comments">``), and the
    kind model, which reads position on the page, called the last screens of a long article
    comments (a product round-up copied into a farm template: items 7 to 11 of 11). The run
    stops at the first block outside the container or below that P.

    Measured with `benchmarks/extraction.py --extractors detector` (shipped block models):
    training folds 1-4 F1 cleaneval 0.904 -> 0.910, readability 0.956 -> 0.959, dragnet and
    wcxb_dev +0.001, the others equal, L3S comments block recall 0.999 -> 0.998; held out
    (fold 0, once) cleaneval +0.002, readability +0.002, trafilatura_eval and wcxb_dev +0.001,
    L3S block F1 unchanged. A first version took the last anchor's parent element for the
    container: it ran into a reader's comment on an L3S page (theherald.co.uk) whose comment
    blocks sit in the page column beside a short anchor."""
    last = next((i for i in reversed(anchors) if blocks[i].path.startswith(root)), None)
    if last is None:
        return
    for i in range(last + 1, len(blocks)):
        b = blocks[i]
        if not b.path.startswith(root) or pa[i] < ANCHOR_P:
            break
        if b.kind == "comments":
            b.kind, b.confidence = _article_kind(b, p_kind[i], ci), pa[i]


def _container_weight(words: list[int] | None, blocks: list[Block], i: int, pa: float) -> float:
    """A kept block's weight in the choice of the article's container (`CONTAINER_SHARE`): its
    words (``words[i]`` when page_matrix counted them) times P(article) squared."""
    return (words[i] if words is not None else _n_block_words(blocks[i])) * pa * pa


def _article_container(anchors: list[Block], words: list[float] | None = None) -> str | None:
    """The path (ending in "/") of the deepest element holding `CONTAINER_SHARE` of the
    blocks' weights, or None when no element below <body> does. ``words``: the blocks'
    weights (step 5 passes `_container_weight`); None: their ``len(text.split())``.
    `_article_container_python`, or its compiled twin ``article_container``
    (detector/_fast/features.pyx) where built."""
    from detector._fast import features_module

    fm = features_module()
    if fm is not None:
        return fm.article_container(anchors, words, CONTAINER_SHARE)
    return _article_container_python(anchors, words)


def _article_container_python(anchors: list[Block],
                              words: list[int] | None = None) -> str | None:
    """`_article_container` in Python (the fallback and the compiled twin's oracle).

    `_article_container_reference` with the prefixes made once per distinct parent path (the
    keys of a path are its cuts at its slashes from the one numbered 2, counted from 0, so they
    depend on the parent ``path[:path.rfind("/")]`` only): the same keys first met in the same
    order, the same int sums, so the same answer (tests/test_fastseg2.py)."""
    per_parent: dict[str, int] = {}
    total = 0
    if words is None:
        words = [len(b.text.split()) for b in anchors]
    for b, w in zip(anchors, words):
        total += w
        path = b.path
        parent = path[:path.rfind("/") + 1]  # with its slash; "" when the path has none
        per_parent[parent] = per_parent.get(parent, 0) + w
    weight: dict[str, int] = {}
    get = weight.get
    for path, w in per_parent.items():
        # "/html/body" and below (from the slash numbered 2), the block itself excluded.
        cut = -1
        for _ in range(3):
            cut = path.find("/", cut + 1)
            if cut < 0:
                break
        while cut >= 0:
            key = path[:cut]
            weight[key] = get(key, 0) + w
            cut = path.find("/", cut + 1)
    need = CONTAINER_SHARE * total
    cands = [k for k, w in weight.items() if w >= need]
    if not total or not cands:
        return None
    return max(cands, key=lambda k: k.count("/")) + "/"


def _article_container_reference(anchors: list[Block]) -> str | None:
    """`_article_container` as first written (its reference; tests/test_fastseg2.py)."""
    weight: dict[str, int] = {}
    total = 0
    for b in anchors:
        w = len(b.text.split())
        total += w
        parts = b.path.split("/")
        for d in range(3, len(parts)):  # "/html/body" and below, the block itself excluded
            key = "/".join(parts[:d])
            weight[key] = weight.get(key, 0) + w
    need = CONTAINER_SHARE * total
    cands = [k for k, w in weight.items() if w >= need]
    if not total or not cands:
        return None
    return max(cands, key=lambda k: k.count("/")) + "/"


def _article_kind(b: Block, pk: np.ndarray, ci: dict[str, int]) -> str:
    best = max(("content", "title", "caption"), key=lambda k: pk[ci[k]])
    if best == "title" and b.tag not in ("h1", "h2", "h3", "title"):
        best = "content"
    return best


def _boilerplate_choice(b: Block, pk: np.ndarray, ci: dict[str, int],
                        side_thr: dict[str, float]) -> str:
    """The kind `_classify_learned` gives a block it does not keep."""
    side = max(("related", "comments"), key=lambda k: pk[ci[k]])
    if pk[ci[side]] >= side_thr[side]:
        return side
    best = max(("related", "comments", "other"), key=lambda k: pk[ci[k]])
    return best if best != "other" else boilerplate_kind(b, learned=True)


# A run of sibling blocks (one list or table: consecutive blocks whose parent paths match once
# the positions are dropped) takes the kind of the majority when at least this share of its
# non-article blocks already has it (a related list is typed as one list).
LIST_VOTE = 0.5


def _smooth_lists(blocks: list[Block], parents: list[str] | None = None) -> None:
    """``parents``: the blocks' parent signatures, when page_matrix made them."""
    n = len(blocks)
    if parents is None:  # the blocks' parent paths without positions, as page_matrix makes them
        from detector.blocks.features import _SIG_TABLE

        parents = [b.path[:b.path.rfind("/")].translate(_SIG_TABLE) for b in blocks]
    sig = parents
    start = 0
    for i in range(1, n + 1):
        if i < n and sig[i] == sig[start]:
            continue
        if i - start < 2:  # a run of one block never has two non-article blocks
            start = i
            continue
        run = [b for b in blocks[start:i] if b.kind not in ARTICLE_KINDS]
        start = i
        if len(run) < 2:
            continue
        for kind in ("related", "comments"):
            if sum(b.kind == kind for b in run) >= LIST_VOTE * len(run):
                for b in run:
                    b.kind = kind
                break


def _smooth_sections(blocks: list[Block]) -> None:
    """Related lists and comment threads come in runs: a short non-article block between two
    blocks of the same such kind joins them (jusText's context pass, for kinds)."""
    for i in range(1, len(blocks) - 1):
        prev, b, nxt = blocks[i - 1], blocks[i], blocks[i + 1]
        if (prev.kind == nxt.kind and prev.kind in ("related", "comments")
                and b.kind not in ARTICLE_KINDS and b.kind != prev.kind):
            b.kind = prev.kind


def boilerplate_kind(b: Block, *, learned: bool = False) -> str:
    """Kind of a block already judged boilerplate: by its nearest class/id tokens, then its
    wording, then its link density. With ``learned``, the kind model has already said the
    block is neither related nor comments, so those tokens are not read.

    `_boilerplate_kind_reference` with each test skipped where it cannot succeed (the
    lower-cased text made only when a test reads it; the anchored patterns tried only on
    texts starting with a letter they can start with): the same kind for every block."""
    tokens = b.tokens
    kind = _token_kind(tokens[-KIND_TOKEN_WINDOW:], learned)
    if kind is not None:
        return kind
    text = b.text
    n = len(text)
    low = None
    if text.isascii():  # `_maybe_legal`, whose test needs the lower-cased text
        low = text.lower()
        if ("copyright" in low or "all rights reserved" in low) and LEGAL_LINE.search(text):
            return "footer"
    elif LEGAL_LINE.search(text):
        return "footer"
    first = text[:1]
    if n < 60 and first in _SHARE_FIRST and SHARE_LINE.match(text):
        return "share"
    if n < 80 and first in _AUTHOR_FIRST and AUTHOR_LINE.match(text):
        return "author"
    # (str.lower never shortens a text: a longer one cannot lower to an ad label.)
    if n <= _AD_MAX_CHARS and (text.lower() if low is None else low) in _AD_LABELS:
        return "ad"
    if b.tag == "footer" or "footer" in tokens:
        return "footer"
    return "navigation"


_AD_LABELS = ("advertisement", "anzeige", "publicité", "publicidad", "sponsored")
_AD_MAX_CHARS = max(map(len, _AD_LABELS))
# The letters SHARE_LINE (re.IGNORECASE: "ſ" matches "s") and AUTHOR_LINE can start with.
_SHARE_FIRST = frozenset("sSteTEpPfFwWlL\u017f")
_AUTHOR_FIRST = frozenset("AaWwPpBb")


def _boilerplate_kind_reference(b: Block, *, learned: bool = False) -> str:
    """`boilerplate_kind` as it was written first (the tests' oracle)."""
    kind = _token_kind(b.tokens[-KIND_TOKEN_WINDOW:], learned)
    if kind is not None:
        return kind
    text = b.text
    low = text.lower()
    if _maybe_legal(text, low) and LEGAL_LINE.search(text):
        return "footer"
    if len(text) < 60 and SHARE_LINE.match(text):
        return "share"
    if len(text) < 80 and AUTHOR_LINE.match(text):
        return "author"
    if low in ("advertisement", "anzeige", "publicité", "publicidad", "sponsored"):
        return "ad"
    if b.tag in ("footer",) or "footer" in b.tokens:
        return "footer"
    return "navigation"


def _maybe_legal(text: str, low: str) -> bool:
    """False only where `LEGAL_LINE` cannot match: an ASCII text (no "©") whose lower-cased
    form holds neither "copyright" nor "all rights reserved". On ASCII text ``re.I`` folds
    ASCII letters only, so a match needs one of them in ``low``; other texts are searched
    (``re.I`` also folds non-ASCII letters such as "ſ" onto "s")."""
    return not text.isascii() or "copyright" in low or "all rights reserved" in low


@lru_cache(maxsize=50_000)
def _token_kind(near_tokens: tuple[str, ...], learned: bool) -> str | None:
    """The first kind of `_KIND_TOKENS` naming one of the nearest class/id tokens (pages of a
    site repeat the same token tuples, so this is cached)."""
    for kind, vocab in _KIND_TOKENS.items():
        if learned and kind in ("related", "comments"):
            continue
        # (``not vocab.isdisjoint(near)``: ``set(near) & vocab`` is not empty, without the sets)
        if not vocab.isdisjoint(near_tokens):
            return kind
    return None


def heuristic_kind(b: Block) -> str:
    """Fallback without the model: class/id tokens, then link density."""
    if b.tag == "title":
        return "title"
    toks = set(b.tokens[-KIND_TOKEN_WINDOW:])
    for k, vocab in _KIND_TOKENS.items():
        if toks & vocab:
            return k
    return "navigation" if b.link_density > 0.5 else "content"


def _classify_text(blocks: list[Block]) -> None:
    """Plain text: typed by wording and by the section a heading opened (step 3)."""
    section = "content"
    n = len(blocks)
    for i, b in enumerate(blocks):
        text = b.text
        words = len(text.split())
        kind = section
        if i == 0:
            kind = "title"
        elif words <= 8 and RELATED_HEADING.match(text):
            section = kind = "related"
        elif words <= 8 and COMMENTS_HEADING.match(text):
            section = kind = "comments"
        elif words <= 8 and AUTHOR_LINE.match(text):
            kind = "author"
            if text.lower().startswith("about"):
                section = "author"
        elif LEGAL_LINE.search(text) and words <= 30:
            kind = "footer"
        elif words <= 6 and SHARE_LINE.match(text):
            kind = "share"
        elif section == "content" and CAPTION_LINE.search(text):
            kind = "caption"
            prev = blocks[i - 1] if i > 0 else None
            if (prev is not None and prev.kind == "content"
                    and len(prev.text.split()) <= CAPTION_TITLE_MAX_WORDS
                    and prev.text[-1:] not in ".!?\"”"):
                prev.kind = "caption"
        elif section == "author" and words > 8 and i + 1 < n:
            kind = "author"
        b.kind, b.confidence = kind, 0.6 if kind != "content" else 0.5


# --- page type (step 4) --------------------------------------------------------------------

_PRICE = re.compile(r"[$€£¥]\s?\d|\d[\d.,]*\s?(€|eur|usd|\$)|add to (cart|basket|bag)|"
                    r"in stock|out of stock|in den warenkorb|sku\b", re.I)
_FORUM = re.compile(r"\b(posts?|replies|joined|member since|quote|thread|reply #?\d*|"
                    r"registered|likes?)\b", re.I)


def page_type_of(page: Page, words: list[int] | None = None) -> str:
    """article, listing, forum, product or other, from how the page's text is spread.

    An article page concentrates its words in a few long paragraphs in one container; a
    listing repeats short linked teasers; a forum repeats posts with member/reply wording; a
    product page shows prices and cart wording near little running prose.
    """
    from detector.blocks.page_type import classify_page

    return classify_page(page, words)


def extraction_of(page: Page) -> Extraction:
    text = "\n".join(b.text for b in page.blocks
                     if b.kind in ARTICLE_KINDS and not (b.index == 0 and b.tag == "title"))
    return Extraction(text=text, blocks=page.blocks, page_type=page.page_type,
                      title=page.title)
