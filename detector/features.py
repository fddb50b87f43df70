"""Features: one dict of named numbers per page, the model's only input.

- one column per rule, named by the rule id: how many pieces of evidence it found (0 when it
  did not fire; every rule runs on every page, so every column is always present);
- how many distinct rules fired at each severity (``page_flags_strong`` ...): a rule's
  severity is set by its authors from its firing rate on real publishers, so these columns
  carry a new rule's evidence to the model before any training page has shown it (a template
  family never seen in training still fires its strong rules);
- shallow page statistics, prefixed ``page_``, that mean the same on HTML and on plain text;
- the page-level word-choice scores of the body (``page_word_choice_llr``,
  ``page_word_choice_mean``, from detector.rules.spun): a whole spun body adds up evidence
  that no single block may carry past the `spun_word_choice` rule's bound.

No statistic of the page's markup (docs/recall3.md): whether the page is HTML, its link
density, the navigation / footer / share / ad shares and the block count are what plain text
lacks by construction. With them, a model that saw plain text only on originals (the held-out
plain-text family) called plain-text copies originals: held out, dropping them (and
``page_has_canonical``) raised the plaintext family's ROC AUC from 0.963 to 0.984 and the
overall AUC from 0.9819 to 0.9864. ``page_has_canonical`` stays: it costs 0.0008 of that AUC,
and licensed partners and blogs declare their canonical page (without the column the wire and
blog samples scored P(spam) 0.22, over the suspect threshold).
"""

from __future__ import annotations

from detector.page import BLOCK_KINDS, Flag, Page
from detector.rules import _sorted_rules
from detector.rules._util import block_views, rule_pass
from detector.rules.spun import page_word_choice_llr, page_word_choice_mean

# Evidence counts above this add nothing (a teaser list of 12 truncated items is as telling
# as one of 4), and capping keeps the model from keying on page length.
MAX_EVIDENCE_COUNT = 5
SEVERITIES = ("strong", "medium", "weak")
# Block kinds without a share column: content (page_article_share), title, unknown, and the
# kinds made of links or page chrome that plain text does not have (see the module docstring).
FORMAT_KINDS = frozenset({"content", "title", "unknown", "navigation", "footer", "share", "ad"})


def page_features(page: Page, flags: list[Flag]) -> dict[str, float]:
    # Every rule's column (in rule order), then what fired (a rule fires once a page).
    feats: dict[str, float] = dict.fromkeys(_rule_columns(), 0.0)
    fired_at = dict.fromkeys(SEVERITIES, 0)
    for f in flags:
        if f.id in feats:
            feats[f.id] = float(min(len(f.evidence), MAX_EVIDENCE_COUNT))
        if f.severity in fired_at:
            fired_at[f.severity] += 1
    for severity, column in zip(SEVERITIES, _SEVERITY_COLUMNS):
        feats[column] = float(fired_at[severity])
    # Characters per kind (read with the rules' other block views), titles not counted.
    by_kind = dict.fromkeys(BLOCK_KINDS, 0)
    by_kind.update(block_views(page.blocks).chars_of)
    by_kind["title"] = 0
    total = sum(by_kind.values()) or 1
    article = by_kind["content"]
    with rule_pass(page):  # both read one scoring (that of the rules when in their pass)
        feats.update({
            "page_article_chars": float(article),
            "page_article_share": article / total,
            "page_has_canonical": float(bool(page.meta.get("canonical"))),
            "page_word_choice_llr": page_word_choice_llr(page),
            "page_word_choice_mean": page_word_choice_mean(page),
        })
    for kind, column in _SHARE_COLUMNS:
        feats[column] = by_kind[kind] / total
    return feats


_SEVERITY_COLUMNS = tuple(f"page_flags_{severity}" for severity in SEVERITIES)
# (kind, its share column) of the kinds with one, in BLOCK_KINDS order.
_SHARE_COLUMNS = tuple((k, f"page_share_{k}") for k in BLOCK_KINDS if k not in FORMAT_KINDS)
_RULE_COLUMNS: list = [None, ()]  # (the registry's rules it was made of, their ids)


def _rule_columns() -> tuple[str, ...]:
    """The rule columns, one per registered rule in `all_rules` order (made again when the
    registry changes)."""
    rules = _sorted_rules()
    if _RULE_COLUMNS[0] is not rules:
        _RULE_COLUMNS[:] = [rules, tuple(r.id for r in rules)]
    return _RULE_COLUMNS[1]
