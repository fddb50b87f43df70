"""Training and evaluation of the quality model (library code; `detector train` and
`detector evaluate` only call it).

1. corpus: `detector.corpus.build(seed)` (real pages, copies, hard negatives);
2. features: every page through the scoring pipeline's own steps (segment, type blocks, rules,
   features), so training sees exactly what scoring sees; cached under ``.cache/corpus``;
3. evaluation: leave-one-family-out crossed with source-site folds: a model is never tested on
   a template family or a source site it was trained on;
4. the shipped model: fitted on everything, thresholds set from the held-out predictions,
   saved with skops beside its model card.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from detector.corpus import CORPUS_VERSION, Example, build, site_fold
from detector.corpus.families import COPY_FAMILIES

REPO_ROOT = Path(__file__).resolve().parents[1]
# Number of source-site folds crossed with the held-out family. 4 keeps every test fold above
# ~100 copies per family on the full data while training on 3/4 of the sites.
SITE_FOLDS = 4
# Operating points, chosen on held-out predictions (see `choose_thresholds`): the spam
# threshold is the lowest P(spam) whose false-positive rate on real publisher pages stays
# within SPAM_MAX_FPR, never below SPAM_MIN; suspect sits at SUSPECT_MAX_FPR.
SPAM_MAX_FPR = 0.005
SPAM_MIN = 0.5
SUSPECT_MAX_FPR = 0.03
SUSPECT_MIN = 0.2
# Bins of the expected calibration error (equal width over [0, 1]), as usually reported.
ECE_BINS = 10


@dataclass(slots=True)
class Row:
    """One page of the corpus, featurized."""

    id: str
    label: int
    family: str
    site: str
    page_type: str
    artifacts: tuple[str, ...]
    features: dict[str, float]


# --- 2. features ---------------------------------------------------------------------------

def featurize(example: Example) -> dict[str, float] | str:
    """The model's features of one example, or an error message."""
    from detector.features import page_features
    from detector.pipeline import prepare
    from detector.readers import ReadError, page_from_bytes, page_from_text
    from detector.rules import run_rules
    from detector.rules._util import rule_pass

    if isinstance(example.content, bytes):
        page = page_from_bytes(example.content, source=example.id, url=example.url)
    else:
        page = page_from_text(example.content, source=example.id, url=example.url)
    if isinstance(page, ReadError):
        return page.reason
    try:
        prepare(page)
        with rule_pass(page):  # as detector.pipeline: features reuse what the rules computed
            return page_features(page, run_rules(page))
    except Exception as exc:  # one bad page never stops a corpus
        return f"{type(exc).__name__}: {exc}"


# Modules that do not change the feature table (training, scoring, display), and packages: the
# command line and the batch runner (`detector scan`: readers of dumps, the copy pass).
NOT_FEATURE_CODE = frozenset({"train.py", "model.py", "display.py", "__main__.py"})
NOT_FEATURE_DIRS = frozenset({"cli", "scan"})


# Files of detector/data that do not change the feature table: the quality model and its card
# (what training writes) and the licence notices. Every other data file (block models, word
# lists, the spun-text tables) shapes features as much as the code does.
NOT_FEATURE_DATA = frozenset({"model.skops", "model_card.json", "NOTICE"})


def code_fingerprint() -> str:
    """Hash of the package source and data that shape features: a change rebuilds the cache."""
    h = hashlib.sha1(CORPUS_VERSION.encode())
    pkg = REPO_ROOT / "detector"
    for p in sorted(pkg.rglob("*.py")):
        if not NOT_FEATURE_DIRS.intersection(p.parts) and p.name not in NOT_FEATURE_CODE:
            h.update(p.read_bytes())
    for p in sorted((pkg / "data").iterdir()):
        if p.is_file() and p.name not in NOT_FEATURE_DATA:
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


def cache_root() -> Path:
    return Path(os.environ.get("DETECTOR_MODEL_CACHE") or REPO_ROOT / ".cache" / "corpus")


def corpus_rows(seed: int = 0, limit: int | None = None, *, use_cache: bool = True,
                progress=None) -> list[Row]:
    """The featurized corpus, from the cache when the code and data have not changed."""
    path = cache_root() / f"rows-s{seed}-l{limit}-{code_fingerprint()}.jsonl"
    if use_cache and path.exists():
        with open(path, encoding="utf-8") as fh:
            return [Row(**{**d, "artifacts": tuple(d["artifacts"])}) for d in map(json.loads, fh)]
    rows = []
    for ex in build(seed, limit=limit):
        feats = featurize(ex)
        if isinstance(feats, str):
            continue
        rows.append(Row(ex.id, ex.label, ex.family, ex.site, ex.page_type, ex.artifacts, feats))
        if progress:
            progress(len(rows))
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"id": r.id, "label": r.label, "family": r.family,
                                     "site": r.site, "page_type": r.page_type,
                                     "artifacts": list(r.artifacts),
                                     "features": r.features}) + "\n")
        tmp.replace(path)
    return rows


# --- the estimator -------------------------------------------------------------------------

# Gradient boosting settings, chosen by leave-one-family-out results on the full corpus v3
# (docs/recall.md): held-out ROC AUC 0.9631 with 15 leaves / 20 samples a leaf, 0.9685 with
# 31 / 10, 0.9714 with 63 / 20, 0.9728 with 63 / 5, 0.9738 with 127 / 3: the copies' evidence
# lies in interactions of flags with page statistics, which small trees cannot hold. 63 / 20
# rather than 63 / 5: nearly the same held-out figures, and the smaller leaves scored the
# personal-blog sample `suspect` (P 0.21; 0.06 with 20 a leaf). 200 iterations keep a page at
# 200 tree walks. early_stopping off: "auto" would switch it on past 10,000 rows, silently.
GB_PARAMS = {"max_iter": 200, "learning_rate": 0.08, "max_leaf_nodes": 63,
             "min_samples_leaf": 20, "l2_regularization": 1.0, "early_stopping": False}
# Folds of CalibratedClassifierCV (isotonic on out-of-fold scores). ensemble=False: the
# calibrator is fitted on the folds' out-of-fold scores and one booster is refitted on all the
# data, so a page costs 200 tree walks instead of 3 x 200 (scoring speed is a target).
CALIBRATION_FOLDS = 3


def make_estimator(kind: str = "gb", seed: int = 0):
    """DictVectorizer -> (gradient boosting | scaled logistic regression), calibrated."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if kind == "gb":
        base = HistGradientBoostingClassifier(random_state=seed, **GB_PARAMS)
    elif kind == "lr":
        base = Pipeline([("scale", StandardScaler()),
                         ("lr", LogisticRegression(C=0.5, max_iter=2000))])
    else:
        raise ValueError(f"unknown model kind {kind!r} (gb or lr)")
    cal = CalibratedClassifierCV(base, method="isotonic", ensemble=False,
                                 cv=StratifiedKFold(CALIBRATION_FOLDS, shuffle=True,
                                                    random_state=seed))
    return Pipeline([("vectorize", DictVectorizer(sparse=False)), ("model", cal)])


def fit(rows: list[Row], kind: str = "gb", seed: int = 0):
    est = make_estimator(kind, seed)
    est.fit([r.features for r in rows], [r.label for r in rows])
    return est


# --- 3. evaluation -------------------------------------------------------------------------

@dataclass(slots=True)
class Heldout:
    """Held-out predictions: one per (row, model that did not see its family or site)."""

    rows: list[Row] = field(default_factory=list)
    p: list[float] = field(default_factory=list)
    split: list[str] = field(default_factory=list)  # "<held-out family>/fold<k>"


def splits(rows: list[Row], families: Iterable[str] = COPY_FAMILIES, k: int = SITE_FOLDS
           ) -> Iterator[tuple[str, list[int], list[int]]]:
    """Leave-one-family-out x site folds: (name, train indices, test indices).

    For held-out copy family F and site fold i, training has the copies of the other families
    and every page whose source site is outside fold i; the test has the copies of F and all
    negatives whose source site is in fold i. So no test page shares its template family or
    its source site with a training page."""
    folds = [site_fold(r.site, k) for r in rows]
    for fam in families:
        for i in range(k):
            train = [j for j, r in enumerate(rows) if folds[j] != i and r.family != fam]
            test = [j for j, r in enumerate(rows)
                    if folds[j] == i and (r.family == fam or r.label == 0)]
            yield f"{fam}/fold{i}", train, test


def heldout_predictions(rows: list[Row], kind: str = "gb", seed: int = 0,
                        families: Iterable[str] = COPY_FAMILIES, k: int = SITE_FOLDS,
                        progress=None) -> Heldout:
    """Predictions of models that never saw the test page's family or source site."""
    out = Heldout()
    for name, train, test in splits(rows, families, k):
        if not test or len({rows[j].label for j in train}) < 2:
            continue
        est = fit([rows[j] for j in train], kind, seed)
        ps = est.predict_proba([rows[j].features for j in test])[:, 1]
        out.rows += [rows[j] for j in test]
        out.p += [float(x) for x in ps]
        out.split += [name] * len(test)
        if progress:
            progress(name)
    return out


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = ECE_BINS) -> float:
    """Sum over equal-width bins of |mean(y) - mean(p)| weighted by the bin's share."""
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            ece += m.mean() * abs(y[m].mean() - p[m].mean())
    return float(ece)


def recall_at_fpr(y: np.ndarray, p: np.ndarray, fpr: float) -> float:
    neg = np.sort(p[y == 0])[::-1]
    if len(neg) == 0:
        return float("nan")
    k = int(math.floor(fpr * len(neg)))
    thr = neg[k] if k < len(neg) else -np.inf
    return float((p[y == 1] > thr).mean())


def choose_thresholds(y: np.ndarray, p: np.ndarray, real: np.ndarray,
                      flagged: np.ndarray) -> dict[str, float]:
    """Operating thresholds from held-out predictions on real publisher pages (see constants).
    The spam threshold counts as false positives only the real pages the spam label can reach:
    those with a flag (``flagged``; `QualityModel.label` never calls an unflagged page spam)."""
    negatives = (y == 0) & real
    n = int(negatives.sum())

    def at(scores: np.ndarray, fpr: float, floor: float) -> float:
        neg = np.sort(scores)[::-1]
        k = int(math.floor(fpr * n))
        thr = float(neg[k]) + 1e-6 if k < len(neg) else floor
        return math.ceil(max(thr, floor) * 1e4) / 1e4  # rounded up: never more FPs

    spam = at(p[negatives & flagged], SPAM_MAX_FPR, SPAM_MIN)
    return {"spam": spam, "suspect": min(at(p[negatives], SUSPECT_MAX_FPR, SUSPECT_MIN), spam)}


def flagged_rows(rows: list[Row]) -> np.ndarray:
    """For each row: did any rule fire (`detector.model.flagged`)?"""
    from detector.model import flagged

    return np.array([flagged(r.features) for r in rows], dtype=bool)


def metrics(h: Heldout, thresholds: dict[str, float]) -> dict:
    """ROC AUC, precision/recall at the thresholds, recall at 1% FPR, ECE, per-family and
    per-group false-positive rates, from held-out predictions."""
    from sklearn.metrics import roc_auc_score

    y = np.array([r.label for r in h.rows])
    p = np.array(h.p)
    flagged = flagged_rows(h.rows)
    spam = (p >= thresholds["spam"]) & flagged  # as QualityModel.label
    suspect = p >= thresholds["suspect"]

    def pr(pred: np.ndarray) -> dict[str, float]:
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        return {"precision": tp / max(tp + fp, 1), "recall": tp / max(int((y == 1).sum()), 1)}

    groups: dict[str, list[int]] = defaultdict(list)
    for j, r in enumerate(h.rows):
        if r.label == 1:
            groups[f"copy:{r.family}"].append(j)
            for a in r.artifacts:  # recall by artifact (a copy carries several)
                groups[f"artifact:{a}"].append(j)
        elif r.family == "real":
            groups["real:" + ("article" if r.page_type in ("article", "mixed") else
                              "non_article")].append(j)
            groups["real:all"].append(j)
        else:
            groups[f"negative:{r.family}"].append(j)
    per_group = {}
    for g, idx in sorted(groups.items()):
        ix = np.array(idx)
        per_group[g] = {"n": len(idx), "spam_rate": float(spam[ix].mean()),
                        "suspect_or_spam_rate": float(suspect[ix].mean()),
                        "mean_p": float(p[ix].mean())}
    per_family_auc = {}
    for fam in sorted({r.family for r in h.rows if r.label == 1}):
        m = np.array([r.label == 0 or r.family == fam for r in h.rows])
        fam_split = np.array([s.startswith(fam + "/") for s in h.split])
        m &= fam_split
        if len(set(y[m])) == 2:
            per_family_auc[fam] = float(roc_auc_score(y[m], p[m]))
    real = np.array([r.family == "real" for r in h.rows])
    return {
        "n": len(y), "n_copies": int((y == 1).sum()), "n_negatives": int((y == 0).sum()),
        "roc_auc": float(roc_auc_score(y, p)),
        "spam": pr(spam), "suspect_or_spam": pr(suspect),
        "fpr_real_at_spam": float(spam[real & (y == 0)].mean()),
        # of the spam label's rule (a flag, then P(spam)): unflagged pages rank below all
        "recall_at_1pct_fpr": recall_at_fpr(y, np.where(flagged, p, -1.0), 0.01),
        "recall_at_1pct_fpr_score": recall_at_fpr(y, p, 0.01),  # of P(spam) alone
        "ece": expected_calibration_error(y, p),
        "per_family_auc": per_family_auc,
        "groups": per_group,
    }


def feature_weights(est, rows: list[Row], top: int = 20, seed: int = 0) -> list[tuple[str, float]]:
    """Features that weigh most: permutation importance (drop in ROC AUC when a column is
    shuffled) on the given rows. Model-agnostic, so the same for boosting and regression."""
    from sklearn.inspection import permutation_importance

    vec = est.named_steps["vectorize"]
    X = vec.transform([r.features for r in rows])
    y = np.array([r.label for r in rows])
    res = permutation_importance(est.named_steps["model"], X, y, scoring="roc_auc",
                                 n_repeats=3, random_state=seed)
    names = vec.get_feature_names_out()
    order = np.argsort(-res.importances_mean)[:top]
    return [(str(names[i]), float(res.importances_mean[i])) for i in order]


# --- 4. the shipped model ------------------------------------------------------------------

def train_and_save(out: str | Path | None = None, *, seed: int = 0, limit: int | None = None,
                   kind: str = "gb", evaluate: bool = True, progress=None,
                   report_dir: str | Path | None = None) -> tuple[Path, dict]:
    """Build the corpus, evaluate held out, fit on everything, save model + card; with
    ``report_dir``, also the evaluation report (JSON, text) and its plots."""
    import sklearn

    from detector.model import save_model
    from detector.rules import all_rules

    rows = corpus_rows(seed, limit, progress=progress)
    card: dict = {
        "version": "",
        "kind": kind,
        "seed": seed,
        "limit": limit,
        "corpus_version": CORPUS_VERSION,
        "sklearn": sklearn.__version__,
        "rules": [r.id for r in all_rules()],
        "data": _data_summary(rows),
    }
    thresholds = {"spam": SPAM_MIN, "suspect": SUSPECT_MIN}
    if evaluate:
        h = heldout_predictions(rows, kind, seed)
        y = np.array([r.label for r in h.rows])
        real = np.array([r.family == "real" for r in h.rows])
        thresholds = choose_thresholds(y, np.array(h.p), real, flagged_rows(h.rows))
        card["metrics_heldout"] = metrics(h, thresholds)
    est = fit(rows, kind, seed)
    if evaluate and report_dir is not None:
        report = {"protocol": f"leave-one-family-out x {SITE_FOLDS} source-site folds",
                  "kind": kind, "seed": seed, "limit": limit, "thresholds": thresholds,
                  "data": card["data"], **card["metrics_heldout"],
                  "feature_weights": feature_weights(est, rows, seed=seed)}
        report["plots"] = write_plots(h, report, report_dir)
        Path(report_dir, "report.json").write_text(json.dumps(report, indent=2) + "\n")
        Path(report_dir, "report.txt").write_text(format_report(report) + "\n")
    card["thresholds"] = thresholds
    card["baseline"] = baseline_features(rows)
    card["n_features"] = len(est.named_steps["vectorize"].feature_names_)
    digest = hashlib.sha1(json.dumps(card, sort_keys=True, default=str).encode()).hexdigest()
    card["version"] = f"{kind}-{code_fingerprint()[:6]}-{digest[:6]}"
    return save_model(est, card, out), card


def baseline_features(rows: list[Row]) -> dict[str, float]:
    """Median of each feature over real publisher article pages: the reference page of
    `QualityModel.explain` (a rule that does not fire there has baseline 0)."""
    real = [r.features for r in rows if r.family == "real" and r.page_type == "article"]
    names = sorted({k for f in real for k in f})
    return {k: float(np.median([f.get(k, 0.0) for f in real])) for k in names} if real else {}


def _data_summary(rows: list[Row]) -> dict:
    by: dict[str, int] = defaultdict(int)
    for r in rows:
        by[f"{'copy' if r.label else 'negative'}:{r.family}"] += 1
    return {"n": len(rows), "by_family": dict(sorted(by.items())),
            "sites": len({r.site for r in rows})}


# --- `detector evaluate` -------------------------------------------------------------------

def evaluate_corpus(*, kind: str = "gb", seed: int = 0, limit: int | None = None,
                    model=None, out_dir: str | Path | None = None, progress=None,
                    drop: tuple[str, ...] = ()) -> dict:
    """The held-out protocol on the generated corpus; thresholds from ``model``'s card when
    given (else chosen on these predictions); plots written to ``out_dir`` when given.
    ``drop``: feature-name prefixes left out (an ablation: thresholds and feature weights
    then come from models fitted without them, not from ``model``)."""
    rows = corpus_rows(seed, limit, progress=None)
    if drop:  # ablation: refit without these columns
        rows = [Row(r.id, r.label, r.family, r.site, r.page_type, r.artifacts,
                    {k: v for k, v in r.features.items() if not k.startswith(drop)})
                for r in rows]
        model = None
    h = heldout_predictions(rows, kind, seed, progress=progress)
    y = np.array([r.label for r in h.rows])
    real = np.array([r.family == "real" for r in h.rows])
    thresholds = (model.thresholds if model is not None
                  else choose_thresholds(y, np.array(h.p), real, flagged_rows(h.rows)))
    report = {"protocol": f"leave-one-family-out x {SITE_FOLDS} source-site folds"
              + (f" without {', '.join(drop)}*" if drop else ""),
              "kind": kind, "seed": seed, "limit": limit, "thresholds": thresholds,
              "data": _data_summary(rows), **metrics(h, thresholds)}
    est = model.pipeline if model is not None else fit(rows, kind, seed)
    report["feature_weights"] = feature_weights(est, rows, seed=seed)
    if out_dir is not None:
        report["plots"] = write_plots(h, report, out_dir)
    return report


def evaluate_records(model, rows: list[Row], out_dir: str | Path | None = None) -> dict:
    """A model on given labelled pages (no refitting): for data the model never saw."""
    h = Heldout(rows=rows, p=model.pipeline.predict_proba([r.features for r in rows])[:, 1]
                .tolist(), split=[f"{r.family}/given" for r in rows])
    report = {"protocol": "given data, shipped thresholds", "thresholds": model.thresholds,
              "model_version": model.version, "data": _data_summary(rows)}
    y = {r.label for r in rows}
    if y == {0, 1}:
        report.update(metrics(h, model.thresholds))
        report["feature_weights"] = feature_weights(model.pipeline, rows)
    else:
        p = np.array(h.p)
        report["spam_rate"] = float(((p >= model.thresholds["spam"]) & flagged_rows(rows)).mean())
        report["n"] = len(rows)
    if out_dir is not None and y == {0, 1}:
        report["plots"] = write_plots(h, report, out_dir)
    return report


def labelled_rows(path: str | Path) -> list[Row]:
    """Rows from a JSONL file of pages with a label: each record has ``url``, ``html`` or
    ``text``, and ``label`` (1/"spam" = republished copy, 0/"ok" = legitimate); optional
    ``id``, ``family``, ``site``, ``page_type``. Unreadable records are skipped."""
    from detector.urls import host_of

    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(d, dict):
                continue
            lab = d.get("label")
            label = 1 if lab in (1, True, "1", "spam") else 0 if lab in (0, False, "0", "ok") \
                else None
            content = d.get("html") or d.get("text")
            if label is None or not isinstance(content, str):
                continue
            ex = Example(str(d.get("id", n)), label, d.get("family", "given"),
                         d.get("site") or host_of(d.get("url")), d.get("page_type", "article"),
                         d.get("url"), content)
            feats = featurize(ex)
            if isinstance(feats, dict):
                out.append(Row(ex.id, label, ex.family if label else "real", ex.site,
                               ex.page_type, (), feats))
    return out


def write_plots(h: Heldout, report: dict, out_dir: str | Path) -> list[str]:
    """ROC curve, reliability diagram and feature weights as PNG files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    y = np.array([r.label for r in h.rows])
    p = np.array(h.p)
    written = []

    fig, ax = plt.subplots(figsize=(5, 4.5))
    fpr, tpr, _ = roc_curve(y, p)
    ax.plot(fpr, tpr, label=f"all held out (AUC {report['roc_auc']:.4f})")
    for fam in sorted({r.family for r in h.rows if r.label == 1}):
        m = np.array([(r.label == 0) or r.family == fam for r in h.rows])
        m &= np.array([s.startswith(fam + "/") or s.endswith("/given") for s in h.split])
        if len(set(y[m])) == 2:
            f, t, _ = roc_curve(y[m], p[m])
            ax.plot(f, t, lw=0.8, label=fam)
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 1)
    ax.axvline(0.01, color="grey", ls=":", lw=0.8)
    ax.set_xlabel("false-positive rate (log)")
    ax.set_ylabel("recall of copies")
    ax.set_title("ROC, held-out families and sites")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    written.append(str(out / "roc.png"))
    fig.savefig(written[-1], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 4.5))
    edges = np.linspace(0, 1, ECE_BINS + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, ECE_BINS - 1)
    xs, ys, ns = [], [], []
    for b in range(ECE_BINS):
        m = idx == b
        if m.any():
            xs.append(p[m].mean())
            ys.append(y[m].mean())
            ns.append(int(m.sum()))
    ax.plot([0, 1], [0, 1], color="grey", ls=":")
    ax.plot(xs, ys, marker="o")
    for x_, y_, n_ in zip(xs, ys, ns):
        ax.annotate(str(n_), (x_, y_), fontsize=7, textcoords="offset points", xytext=(3, -9))
    ax.set_xlabel("predicted P(spam)")
    ax.set_ylabel("observed share of copies")
    ax.set_title(f"Calibration (ECE {report['ece']:.4f})")
    fig.tight_layout()
    written.append(str(out / "calibration.png"))
    fig.savefig(written[-1], dpi=110)
    plt.close(fig)

    weights = report.get("feature_weights") or []
    if weights:
        fig, ax = plt.subplots(figsize=(6, 0.28 * len(weights) + 1))
        names = [n for n, _ in weights][::-1]
        vals = [v for _, v in weights][::-1]
        ax.barh(names, vals)
        ax.set_xlabel("drop in ROC AUC when shuffled")
        ax.set_title("Feature weights (permutation importance)")
        ax.tick_params(axis="y", labelsize=7)
        fig.tight_layout()
        written.append(str(out / "feature_weights.png"))
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    return written


def format_report(report: dict) -> str:
    """The evaluation report as text a person can scan."""
    lines = [f"protocol: {report['protocol']}"]
    if "roc_auc" not in report:
        lines.append(f"pages: {report.get('n')}  spam rate at threshold "
                     f"{report['thresholds']['spam']}: {report.get('spam_rate', float('nan')):.4f}")
        return "\n".join(lines)
    t = report["thresholds"]
    lines += [
        f"pages: {report['n']} ({report['n_copies']} copies, {report['n_negatives']} negatives)",
        f"ROC AUC: {report['roc_auc']:.4f}",
        f"spam threshold {t['spam']}: precision {report['spam']['precision']:.4f} recall "
        f"{report['spam']['recall']:.4f}; FPR on real publisher pages "
        f"{report['fpr_real_at_spam']:.4f}",
        f"suspect threshold {t['suspect']}: precision "
        f"{report['suspect_or_spam']['precision']:.4f} recall "
        f"{report['suspect_or_spam']['recall']:.4f}",
        f"recall at 1% FPR: {report['recall_at_1pct_fpr']:.4f} (spam label: a flag and P(spam); "
        f"P(spam) alone {report.get('recall_at_1pct_fpr_score', float('nan')):.4f})",
        f"expected calibration error ({ECE_BINS} bins): {report['ece']:.4f}",
        "per family ROC AUC: " + ", ".join(f"{k} {v:.4f}"
                                           for k, v in report["per_family_auc"].items()),
        "per group (n, spam rate, suspect-or-spam rate, mean P(spam)):",
    ]
    for g, d in report["groups"].items():
        lines.append(f"  {g:<24} {d['n']:>6}  {d['spam_rate']:.4f}  "
                     f"{d['suspect_or_spam_rate']:.4f}  {d['mean_p']:.4f}")
    if report.get("feature_weights"):
        lines.append("features that weigh most (drop in ROC AUC when shuffled):")
        lines += [f"  {v:+.4f}  {n}" for n, v in report["feature_weights"]]
    if report.get("plots"):
        lines.append("plots: " + ", ".join(report["plots"]))
    return "\n".join(lines)
