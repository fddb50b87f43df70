"""The shipped quality model: loading (skops, explicit trusted types), scoring, explanations.

The model file is ``detector/data/model.skops``: a scikit-learn pipeline from a feature dict
(DictVectorizer) to P(republished spam). Beside it ``model_card.json`` gives its version, the
label thresholds on P(spam) and the metrics it was shipped with. Loading never unpickles: skops
refuses any type not in ``TRUSTED_TYPES`` (see `ModelLoadError`).
"""

from __future__ import annotations

import json
import math
import random
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

try:  # what np.clip calls for float arrays, without its Python wrapper (~4 us a call)
    from numpy._core.umath import clip as _clip
except ImportError:  # numpy < 2
    from numpy.core.umath import clip as _clip

DATA_DIR = Path(str(resources.files("detector") / "data"))
MODEL_PATH = DATA_DIR / "model.skops"
CARD_PATH = DATA_DIR / "model_card.json"

# Every type a model file may contain, complete for both model kinds that `detector train`
# builds (gb: gradient boosting; lr: scaled logistic regression; both calibrated, behind a
# DictVectorizer). Checked against *every* object in the file's schema, not only the types
# skops itself distrusts: a file holding anything else is refused before it is loaded.
TRUSTED_TYPES = [
    # containers and scalars
    "builtins.dict",
    "builtins.list",
    "builtins.str",
    "builtins.tuple",
    "numpy.float64",
    "numpy.ndarray",
    "numpy.uint64",
    "numpy.random._generator.Generator",
    # the pipeline: vectorizer -> calibrated classifier
    "sklearn.pipeline.Pipeline",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.preprocessing._label.LabelEncoder",
    # kind gb
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn._loss._loss.CyHalfBinomialLoss",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
    # kind lr
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.preprocessing._data.StandardScaler",
]

DEFAULT_THRESHOLDS = {"spam": 0.5, "suspect": 0.2}


def flagged(features: dict[str, float]) -> bool:
    """Did any rule fire on the page whose model features these are? (Every rule has a
    severity, so this is ``bool(flags)`` of the pipeline; rows of the training corpus keep
    only their features.)"""
    from detector.features import SEVERITIES

    return any(features.get(f"page_flags_{s}", 0.0) > 0 for s in SEVERITIES)


class _FastCalibratedForest:
    """P(spam) of a ``DictVectorizer -> CalibratedClassifierCV(HistGradientBoosting, isotonic)``
    pipeline, computed as scikit-learn does but without its per-call validation and OpenMP
    regions: a page is one row, and for one row those cost 30-100x the tree walks themselves
    (8 s a page with OpenMP threads on a busy 2-core machine, 28 ms with one thread; this path
    takes about 2 ms). `tests/test_model.py` checks it equals ``predict_proba``; a pipeline of
    any other shape goes through scikit-learn.
    """

    def __init__(self, vocabulary: dict[str, int], members: list) -> None:
        self.vocabulary = vocabulary
        self.members = members  # (FastForest, X_min, X_max, X_thresholds, y_thresholds)
        # The feature names in column order: a row is read by name in that order (the
        # DictVectorizer's columns; a name the model has not seen is ignored, a missing one 0).
        self.names = tuple(sorted(vocabulary, key=vocabulary.__getitem__))
        if [vocabulary[n] for n in self.names] != list(range(len(self.names))):
            self.names = None  # not the columns 0..n-1: `_matrix` fills X by name

    @classmethod
    def of(cls, pipeline: object) -> _FastCalibratedForest | None:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.feature_extraction import DictVectorizer

        from detector.blocks.model import FastForest

        steps = getattr(pipeline, "steps", None)
        if not steps or len(steps) != 2:
            return None
        vec, clf = steps[0][1], steps[1][1]
        if not (isinstance(vec, DictVectorizer) and isinstance(clf, CalibratedClassifierCV)
                and clf.method == "isotonic" and len(clf.classes_) == 2):
            return None
        members = []
        for cc in clf.calibrated_classifiers_:
            est, (iso,) = cc.estimator, cc.calibrators
            if not isinstance(est, HistGradientBoostingClassifier) or iso.out_of_bounds != "clip":
                return None
            forest = FastForest(est)
            if forest._walk is None:
                return None
            members.append((forest, iso.X_min_, iso.X_max_, iso.X_thresholds_,
                            iso.y_thresholds_))
        return cls(dict(vec.vocabulary_), members)

    def p_spam(self, rows: list[dict[str, float]]) -> np.ndarray:
        X = self._matrix(rows)
        total = np.zeros(len(rows))
        for forest, lo, hi, xs, ys in self.members:
            # (`np.clip` of float arrays is this ufunc behind a Python wrapper: same values.)
            total += np.interp(_clip(forest.raw(X)[0], lo, hi), xs, ys)
        p = total / len(self.members)
        return _clip(p, 0.0, 1.0)

    def _matrix(self, rows: list[dict[str, float]]) -> np.ndarray:
        """The DictVectorizer's matrix of the rows: each name's value in its column, 0 where
        a row lacks it, names the model has not seen ignored (`_matrix_reference`)."""
        names = self.names
        if names is None:
            return self._matrix_reference(rows)
        return np.array([[row.get(n, 0.0) for n in names] for row in rows],
                        dtype=np.float64).reshape(len(rows), len(names))

    def _matrix_reference(self, rows: list[dict[str, float]]) -> np.ndarray:
        """`_matrix` one value at a time (the reference; tests compare them)."""
        X = np.zeros((len(rows), len(self.vocabulary)))
        vocab = self.vocabulary
        for i, row in enumerate(rows):
            for name, value in row.items():
                j = vocab.get(name)
                if j is not None:
                    X[i, j] = value
        return X


class ModelLoadError(RuntimeError):
    """The model file is missing, unreadable, or contains a type that is not trusted."""


@dataclass(slots=True)
class QualityModel:
    pipeline: object
    card: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.card.get("version", "unknown"))

    @property
    def thresholds(self) -> dict[str, float]:
        return {**DEFAULT_THRESHOLDS, **self.card.get("thresholds", {})}

    fast: _FastCalibratedForest | None = None

    def __post_init__(self) -> None:
        self.fast = _FastCalibratedForest.of(self.pipeline)

    def p_spam(self, features: dict[str, float]) -> float:
        if self.fast is not None:
            return float(self.fast.p_spam([features])[0])
        return self.p_spam_many([features])[0]

    def p_spam_many(self, rows: list[dict[str, float]]) -> list[float]:
        if self.fast is not None:
            return [float(p) for p in self.fast.p_spam(rows)]
        return [float(p) for p in self.pipeline.predict_proba(rows)[:, 1]]

    def label(self, p_spam: float, flagged: bool) -> str:
        """``spam`` needs P(spam) at the spam threshold *and* evidence: at least one flag
        (``flagged``, see `flagged`). A page on which no rule fired is at most ``suspect``,
        however copy-like its shape: a verdict a reviewer cannot read is not given. Held
        out, this policy keeps 0.5% false positives on real pages at a lower threshold and
        catches more copies (docs/evidence.md); `detector.train.choose_thresholds` sets the
        spam threshold under it."""
        t = self.thresholds
        if p_spam >= t["spam"] and flagged:
            return "spam"
        if p_spam >= t["suspect"]:
            return "suspect"
        return "ok"

    def explain(self, features: dict[str, float], top: int = 10) -> list[tuple[str, float]]:
        """Which features moved this page's score, and by how much, in spam log-odds.

        Shapley values by permutation sampling: a feature's contribution is its average
        change of the log-odds when it is switched from its baseline (the median real
        publisher page, from the model card; 0 for a rule that did not fire) to this page's
        value, over random orders of switching. Unlike one-at-a-time occlusion this shares
        the credit when several flags each suffice alone (the seed fires many), and the
        contributions add up to logit(page) - logit(baseline page). Deterministic."""
        base = {k: float(v) for k, v in self.card.get("baseline", {}).items()}
        names = sorted(k for k, v in features.items() if v != base.get(k, 0.0))
        if not names:
            return []
        start = {**features, **{k: base.get(k, 0.0) for k in names}}
        rng = random.Random(EXPLAIN_SEED)
        orders = [rng.sample(names, len(names)) for _ in range(EXPLAIN_PERMUTATIONS)]
        rows = []
        for order in orders:
            row = dict(start)
            rows.append(dict(row))
            for k in order:
                row[k] = features[k]
                rows.append(dict(row))
        logits = [_logit(p) for p in self.p_spam_many(rows)]
        contrib = dict.fromkeys(names, 0.0)
        step = len(names) + 1
        for i, order in enumerate(orders):
            seg = logits[i * step:(i + 1) * step]
            for j, k in enumerate(order):
                contrib[k] += (seg[j + 1] - seg[j]) / len(orders)
        out = [(k, v) for k, v in contrib.items() if abs(v) >= EXPLAIN_MIN_CONTRIBUTION]
        out.sort(key=lambda kv: -abs(kv[1]))
        return out[:top]


# Permutations sampled by `QualityModel.explain`: 32 keeps the Shapley estimate within a few
# hundredths of log-odds on the samples (checked against 256) at ~0.1 s a page.
EXPLAIN_PERMUTATIONS = 32
EXPLAIN_SEED = 0
# Contributions smaller than this (log-odds) are not worth showing.
EXPLAIN_MIN_CONTRIBUTION = 0.01
# Probabilities are clipped to [LOGIT_EPS, 1 - LOGIT_EPS] before taking log-odds: isotonic
# calibration gives exact 0 and 1, and 1e-4 bounds a contribution at about 9 log-odds.
LOGIT_EPS = 1e-4


def _logit(p: float) -> float:
    p = min(max(p, LOGIT_EPS), 1 - LOGIT_EPS)
    return math.log(p / (1 - p))


def types_in(path: str | Path) -> set[str]:
    """Every type named in a skops file's schema (``module.Class``), read without loading."""
    with zipfile.ZipFile(path) as z:
        schema = json.loads(z.read("schema.json"))
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def load_model(path: str | Path | None = None) -> QualityModel:
    """Load a model file with skops, refusing untrusted types; ``path`` None = shipped model."""
    if path is None:
        return _shipped()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _shipped() -> QualityModel:
    return _load(MODEL_PATH)


def _load(path: Path) -> QualityModel:
    if not path.exists():
        raise ModelLoadError(f"model file not found: {path} (train one with `detector train`)")
    from detector import _skops  # here, not at import: skops imports all of scikit-learn (~1 s)

    try:
        untrusted = sorted(types_in(path) - set(TRUSTED_TYPES))
        untrusted += [t for t in _skops.untrusted_types(path)
                      if t not in TRUSTED_TYPES and t not in untrusted]
    except Exception as exc:  # not a skops file: zip or schema errors of every kind
        raise ModelLoadError(f"not a readable skops model file: {path}: {exc}") from exc
    if untrusted:
        raise ModelLoadError(
            f"refusing to load {path}: it contains types that are not trusted: "
            + ", ".join(sorted(untrusted))
        )
    pipeline = _skops.load(path, TRUSTED_TYPES)
    card_path = card_path_of(path)
    card = json.loads(card_path.read_text()) if card_path.exists() else {}
    return QualityModel(pipeline, card)


def card_path_of(path: Path) -> Path:
    """The model card beside a model file: the shipped card, or ``<stem>_card.json``."""
    return CARD_PATH if path == MODEL_PATH else path.with_name(path.stem + "_card.json")


def save_model(pipeline: object, card: dict, path: str | Path | None = None) -> Path:
    """Write a model with skops and its card beside it (``<stem>_card.json``)."""
    path = Path(path) if path is not None else MODEL_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    from detector import _skops

    _skops.dump(pipeline, path)
    card_path = card_path_of(path)
    card_path.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return path
