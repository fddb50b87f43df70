"""Features: one dict of named numbers per page, the model's only input.

- one column per rule, named by the rule id: how many pieces of evidence it found (0 when it
  did not fire; every rule runs on every page, so every column is always present);
- how many distinct rules fired at each severity (``page_flags_strong`` ...): a rule's
  severity is set by its authors from its firing rate on real publishers, so these columns
  carry a new rule's evidence to the model before any training page has shown it (a template
  family never seen in training still fires its strong rules);
- shallow page statistics, prefixed ``page_``.
"""

from __future__ import annotations

from detector.page import BLOCK_KINDS, Flag, Page
from detector.rules import all_rules

# Evidence counts above this add nothing (a teaser list of 12 truncated items is as telling
# as one of 4), and capping keeps the model from keying on page length.
MAX_EVIDENCE_COUNT = 5
SEVERITIES = ("strong", "medium", "weak")


def page_features(page: Page, flags: list[Flag]) -> dict[str, float]:
    fired = {f.id: len(f.evidence) for f in flags}
    feats: dict[str, float] = {
        r.id: float(min(fired.get(r.id, 0), MAX_EVIDENCE_COUNT)) for r in all_rules()
    }
    for severity in SEVERITIES:
        feats[f"page_flags_{severity}"] = float(sum(f.severity == severity for f in flags))
    # One pass over the blocks (all sums are of ints: the same in any order).
    by_kind = dict.fromkeys(BLOCK_KINDS, 0)
    n_blocks = link_chars = 0
    for b in page.blocks:
        kind = b.kind
        if kind != "title":
            n_blocks += 1
            link_chars += b.link_chars
            by_kind[kind] = by_kind.get(kind, 0) + len(b.text)
    total = sum(by_kind.values()) or 1
    article = by_kind["content"]
    feats.update({
        "page_is_html": float(page.is_html),
        "page_n_blocks": float(n_blocks),
        "page_article_chars": float(article),
        "page_article_share": article / total,
        "page_link_density": link_chars / total,
        "page_has_canonical": float(bool(page.meta.get("canonical"))),
    })
    for kind in BLOCK_KINDS:
        if kind not in ("content", "title", "unknown"):
            feats[f"page_share_{kind}"] = by_kind.get(kind, 0) / total
    return feats
