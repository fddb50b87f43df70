"""Held-out figures of the quality model's settings, and what the missed copies carry.

Runs the leave-one-family-out x site-fold protocol (`detector.train.heldout_predictions`) on
the cached featurized corpus (`detector.train.corpus_rows`: built and cached under
.cache/corpus on first use, ~12 min), chooses thresholds as `detector train` does, and prints:
the headline figures, per-family AUC, spam rates of hard negatives, recall per artifact, and
the missed copies (P(spam) under the spam threshold) broken down by family, by the strongest
rule that fired on them and by the artifacts the generator put on them.

    DETECTOR_DATA=../shared/data OMP_NUM_THREADS=1 PYTHONPATH=. \\
        python benchmarks/heldout_breakdown.py [--without PREFIX ...] [--json out.json]
        [--seeds 0 1 2]

``--seeds``: the whole protocol once per corpus seed (each seed draws other copies, families,
artifacts and hard negatives from the same real pages, and seeds the models), the breakdown
for the first, the headline figures for each and their mean and standard deviation: how
much of a difference between two fits is the draw of the corpus (rows of a new seed are built
and cached on first use, ~2 min; each protocol run ~4 min).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

import numpy as np

from detector.rules import all_rules
from detector.train import (Row, choose_thresholds, corpus_rows, flagged_rows, heldout_predictions,
                            metrics)


def miss_category(r: Row, severity: dict[str, str]) -> str:
    fired = [k for k in severity if r.features.get(k, 0) > 0]
    if not r.artifacts or "hard_case" in r.artifacts:
        return "hard case (no artifact by design)"
    if not fired:
        return "artifact, no rule fires"
    for s in ("strong", "medium"):
        if any(severity[k] == s for k in fired):
            return f"{s} rule fired"
    return "weak rules only"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--without", nargs="*", default=[], help="feature-name prefixes to drop")
    ap.add_argument("--json", help="write the metrics here (of the first seed)")
    ap.add_argument("--seeds", nargs="+", type=int, default=[0], help="corpus and model seeds")
    args = ap.parse_args(argv)
    heads = []
    for i, seed in enumerate(args.seeds):
        print(f"== seed {seed}")
        heads.append(run_seed(seed, args, breakdown=i == 0))
    if len(heads) > 1:
        a = np.array(heads)
        names = ("ROC AUC", "recall@spam", "precision", "FPR real", "recall@1% FPR", "ECE")
        print(f"over {len(heads)} seeds {args.seeds} (mean +- sd): " + "  ".join(
            f"{n} {m:.4f} +- {sd:.4f}" for n, m, sd in zip(names, a.mean(0), a.std(0, ddof=1))))
    return 0


def run_seed(seed: int, args: argparse.Namespace, *, breakdown: bool) -> tuple[float, ...]:
    """One run of the protocol; prints its figures; returns its headline figures."""
    rows = corpus_rows(seed)
    if args.without:
        drop = tuple(args.without)
        rows = [Row(r.id, r.label, r.family, r.site, r.page_type, r.artifacts,
                    {k: v for k, v in r.features.items() if not k.startswith(drop)})
                for r in rows]
    h = heldout_predictions(rows, "gb", seed)
    y = np.array([r.label for r in h.rows])
    p = np.array(h.p)
    real = np.array([r.family == "real" for r in h.rows])
    flagged = flagged_rows(h.rows)
    thr = choose_thresholds(y, p, real, flagged)
    m = metrics(h, thr)
    g = m["groups"]
    print(f"ROC AUC {m['roc_auc']:.4f}  recall@spam {m['spam']['recall']:.3f} (precision "
          f"{m['spam']['precision']:.3f})  FPR real {m['fpr_real_at_spam'] * 100:.2f}%  "
          f"recall@1% FPR {m['recall_at_1pct_fpr']:.3f}  ECE {m['ece']:.4f}  thresholds {thr}")
    head = (m["roc_auc"], m["spam"]["recall"], m["spam"]["precision"], m["fpr_real_at_spam"],
            m["recall_at_1pct_fpr"], m["ece"])
    if not breakdown:
        return head
    print("per family AUC: " + "  ".join(f"{k} {v:.3f}" for k, v in m["per_family_auc"].items()))
    print("spam rate: " + "  ".join(f"{k} {d['spam_rate'] * 100:.2f}%" for k, d in g.items()
                                    if k.startswith(("negative:", "real:"))))
    print("recall per copy family: " + "  ".join(
        f"{k[5:]} {d['spam_rate']:.3f}" for k, d in g.items() if k.startswith("copy:")))
    print("recall per artifact: " + "  ".join(
        f"{k[9:]} {d['spam_rate']:.2f}" for k, d in g.items() if k.startswith("artifact:")))
    severity = {r.id: r.severity for r in all_rules()}
    missed = [r for r, x, f in zip(h.rows, p, flagged) if r.label == 1 and not (x >= thr["spam"] and f)]
    print(f"missed copies: {len(missed)} of {int(y.sum())}")
    print("  by family: " + "  ".join(f"{k} {v}" for k, v in
                                      Counter(r.family for r in missed).most_common()))
    print("  by category: " + "  ".join(f"{k}: {v}" for k, v in Counter(
        miss_category(r, severity) for r in missed).most_common()))
    print("  artifacts carried: " + "  ".join(f"{k} {v}" for k, v in Counter(
        a for r in missed for a in r.artifacts).most_common()))
    print("  rules fired: " + "  ".join(f"{k} {v}" for k, v in Counter(
        k for r in missed for k in severity if r.features.get(k, 0) > 0).most_common()))
    no_rule = [r for r in rows if r.label == 1 and not any(r.features.get(k, 0) > 0
                                                          for k in severity)]
    print(f"copies on which no rule fires: {len(no_rule)}; with an artifact: "
          f"{sum(bool(r.artifacts) and 'hard_case' not in r.artifacts for r in no_rule)} ("
          + "  ".join(f"{k} {v}" for k, v in Counter(
              a for r in no_rule if "hard_case" not in r.artifacts for a in r.artifacts
          ).most_common()) + ")")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"thresholds": thr, **m}, fh, indent=1)
    return head


if __name__ == "__main__":
    raise SystemExit(main())
