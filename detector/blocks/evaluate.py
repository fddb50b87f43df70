"""Block-type precision/recall on L3S-GN1 (the only set whose gold names related content and
comments). Predicted kinds are folded onto the L3S kinds: content, title, caption, related,
comments; every other boilerplate kind (navigation, footer, share, author, ad) is ``other``.
Counted per block, and per word (``*_words``: a block weighs its word count).

L3S-GN1's assessors used the related label on 86 of its 621 pages (comments on fewer): on the
others, related lists are unmarked and count as ``other``. ``marked`` repeats the related and
comments figures on the pages whose gold uses that label at least once, a diagnostic that
separates the classifier's errors from pages where the label was never applied. The
acceptance figure is the per-block F1 over all pages.
"""

from __future__ import annotations

from detector.blocks.labels import l3s_blocks
from detector.blocks.split import is_held_out, site_of
from detector.datasets import l3s_annotated, load
from detector.decode import decode_bytes

EVAL_KINDS = ("content", "title", "caption", "related", "comments", "other")


def fold(kind: str) -> str:
    return kind if kind in EVAL_KINDS else "other"


def block_report(split: str = "held-out", limit: int | None = None) -> dict:
    from detector.boilerplate import classify_blocks

    counts = {k: [0, 0, 0, 0.0, 0.0, 0.0] for k in EVAL_KINDS}  # tp fp fn, word tp fp fn
    marked = {k: [0, 0, 0, 0.0, 0.0, 0.0] for k in MARKED_KINDS}  # on pages using the label
    pages = 0
    for g in load("l3s_gn1"):
        html, _ = decode_bytes(g.raw())
        held = is_held_out(site_of("l3s_gn1", g.id, g.url, html))
        if split == "held-out" and not held or split == "train" and held:
            continue
        ann, _ = decode_bytes(l3s_annotated(g.id).read_bytes())
        page, gold = l3s_blocks(ann, g.url)
        classify_blocks(page)
        present = set(gold)
        for b, want in zip(page.blocks, gold):
            if b.index == 0 and b.tag == "title":
                continue
            got = fold(b.kind)
            w = len(b.text.split())
            _count(counts, got, want, w)
            _count(marked, got, want, w, present)
        pages += 1
        if limit is not None and pages >= limit:
            break
    return {"pages": pages, "split": split, "kinds": _scores(counts),
            "marked": _scores(marked)}


MARKED_KINDS = ("related", "comments")


def _count(counts: dict, got: str, want: str, w: int, present: set | None = None) -> None:
    """Add one block to tp/fp/fn (and word-weighted); with ``present``, only kinds the page's
    gold uses count (and only those in ``counts``)."""
    ok = present is None or got in present
    if got == want:
        if got in counts and ok:
            counts[got][0] += 1
            counts[got][3] += w
        return
    if got in counts and ok:
        counts[got][1] += 1
        counts[got][4] += w
    if want in counts:
        counts[want][2] += 1
        counts[want][5] += w


def _scores(counts: dict) -> dict:
    out = {}
    for k, (tp, fp, fn, wtp, wfp, wfn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        wp = wtp / (wtp + wfp) if wtp + wfp else 0.0
        wr = wtp / (wtp + wfn) if wtp + wfn else 0.0
        out[k] = {
            "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "support": tp + fn,
            "f1_words": round(2 * wp * wr / (wp + wr), 4) if wp + wr else 0.0,
        }
    return out
