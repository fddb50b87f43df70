"""Block-type precision/recall on L3S-GN1 (the only set whose gold names related content and
comments). Predicted kinds are folded onto the L3S kinds: content, title, caption, related,
comments; every other boilerplate kind (navigation, footer, share, author, ad) is ``other``.
Counted per block, and per word (``*_words``: a block weighs its word count).
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
    pages = 0
    for g in load("l3s_gn1"):
        html, _ = decode_bytes(g.raw())
        held = is_held_out(site_of("l3s_gn1", g.id, g.url, html))
        if split == "held-out" and not held or split == "train" and held:
            continue
        ann, _ = decode_bytes(l3s_annotated(g.id).read_bytes())
        page, gold = l3s_blocks(ann, g.url)
        classify_blocks(page)
        for b, want in zip(page.blocks, gold):
            if b.index == 0 and b.tag == "title":
                continue
            got = fold(b.kind)
            w = len(b.text.split())
            if got == want:
                counts[got][0] += 1
                counts[got][3] += w
            else:
                counts[got][1] += 1
                counts[got][4] += w
                counts[want][2] += 1
                counts[want][5] += w
        pages += 1
        if limit is not None and pages >= limit:
            break
    out = {"pages": pages, "split": split, "kinds": {}}
    for k, (tp, fp, fn, wtp, wfp, wfn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        wp = wtp / (wtp + wfp) if wtp + wfp else 0.0
        wr = wtp / (wtp + wfn) if wtp + wfn else 0.0
        out["kinds"][k] = {
            "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "support": tp + fn,
            "f1_words": round(2 * wp * wr / (wp + wr), 4) if wp + wr else 0.0,
        }
    return out
