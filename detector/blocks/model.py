"""The shipped block classifier: two scikit-learn models and the numbers tuned with them.

Saved with skops.io and loaded with an explicit list of trusted types (never pickle).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "blocks.skops"
# Exactly the types skops reports as untrusted for a file written by `BlockModel.save`
# (checked again at load time: any other type refuses the file).
TRUSTED_TYPES = [
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
]


class BlockModelError(RuntimeError):
    pass


class FastForest:
    """Probabilities of a fitted HistGradientBoostingClassifier without its per-call overhead.

    ``predict_proba`` validates its input and goes through two Python layers per tree; on one
    page (~100-300 rows) that overhead is ~35 us a tree, 5x the tree walk itself. Here every
    tree's compiled walker (scikit-learn's own ``_predict_from_raw_data``) is called directly
    into a preallocated row, and the raw scores become probabilities as scikit-learn does
    (sigmoid for two classes, softmax for more). `tests/test_boilerplate.py` checks that the
    result equals ``predict_proba``; where the private walker is missing, it falls back to it.

    Where detector's compiled forest (detector/_fast/forest.pyx) is built, all trees are
    walked for all rows in one C loop instead (one call, not one per tree; ~20x less time on
    the block models); the scores are summed in the same order, so they are bit-identical.
    """

    def __init__(self, hgb) -> None:
        self.hgb = hgb
        try:
            from sklearn.ensemble._hist_gradient_boosting._predictor import (
                _predict_from_raw_data,
            )
            self._walk = _predict_from_raw_data
            self._known, self._fmap = hgb._bin_mapper.make_known_categories_bitsets()
            self._trees = [[(p.nodes, p.raw_left_cat_bitsets) for p in it]
                           for it in hgb._predictors]
            self._baseline = np.asarray(hgb._baseline_prediction, dtype=np.float64).ravel()
        except (ImportError, AttributeError):
            self._walk = None
        self._compiled = None
        if self._walk is not None:
            from detector._fast import forest_module

            fm = forest_module()
            if fm is not None:
                try:
                    self._compiled = fm.Forest(
                        [(c, p.nodes) for it in hgb._predictors for c, p in enumerate(it)],
                        len(self._baseline), int(hgb.n_features_in_))
                except ValueError:  # categorical splits: scikit-learn's walker handles them
                    self._compiled = None

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Raw scores (n_classes or 1, n_samples): ``decision_function`` without its overhead."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        n, k = X.shape[0], len(self._baseline)
        raw = np.empty((k, n))
        raw[:] = self._baseline[:, None]
        if self._compiled is not None:
            self._compiled.add_raw(X, raw)
            return raw
        out = np.empty(n)
        walk, known, fmap = self._walk, self._known, self._fmap
        for iteration in self._trees:
            for c, (nodes, cat_bitsets) in enumerate(iteration):
                walk(nodes, X, cat_bitsets, known, fmap, 1, out)
                raw[c] += out
        return raw

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if self._walk is None:
            return self.hgb.predict_proba(X)
        raw = self.raw(X)
        if raw.shape[0] == 1:
            p = 1.0 / (1.0 + np.exp(-raw[0]))
            return np.column_stack((1.0 - p, p))
        raw -= raw.max(axis=0)
        e = np.exp(raw)
        return (e / e.sum(axis=0)).T


@dataclass
class BlockModel:
    article: object  # P(block is article text), binary classifier
    kind: object  # P(kind) over kind_classes
    kind_classes: tuple[str, ...]
    feature_names: tuple[str, ...]
    threshold: float = 0.5
    smoothing: float = 0.0
    version: str = "blocks-1"
    # P(related) / P(comments) from which a boilerplate block takes that kind (the kind model
    # is trained on labels where "other" swallows many related lists, so its arg-max is too
    # shy); chosen on a held-back fold of training sites by detector.blocks.train.
    related_threshold: float = 0.5
    comments_threshold: float = 0.5

    def save(self, path: Path) -> None:
        from detector import _skops

        path.parent.mkdir(parents=True, exist_ok=True)
        _skops.dump({"article": self.article, "kind": self.kind,
                  "kind_classes": list(self.kind_classes),
                  "feature_names": list(self.feature_names), "threshold": self.threshold,
                  "smoothing": self.smoothing, "version": self.version,
                  "related_threshold": self.related_threshold,
                  "comments_threshold": self.comments_threshold}, path)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> BlockModel:
        from detector import _skops

        try:
            unknown = set(_skops.untrusted_types(path)) - set(TRUSTED_TYPES)
            if unknown:
                raise BlockModelError(f"{path}: untrusted types {sorted(unknown)}")
            d = _skops.load(path, TRUSTED_TYPES)
        except BlockModelError:
            raise
        except Exception as exc:
            raise BlockModelError(f"cannot load block model {path}: {exc}") from exc
        return cls(article=d["article"], kind=d["kind"], kind_classes=tuple(d["kind_classes"]),
                   feature_names=tuple(d["feature_names"]), threshold=float(d["threshold"]),
                   smoothing=float(d["smoothing"]), version=str(d["version"]),
                   related_threshold=float(d.get("related_threshold", 0.5)),
                   comments_threshold=float(d.get("comments_threshold", 0.5)))

    def __post_init__(self) -> None:
        self._article = FastForest(self.article)
        self._kind = FastForest(self.kind)

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(article) smoothed over neighbours, P(kind)) for the blocks of one page."""
        # Both forests read float64 rows: converted once here, not once in each.
        X = np.ascontiguousarray(X, dtype=np.float64)
        p = self._article.predict_proba(X)[:, 1]
        if self.smoothing > 0 and len(p) > 1:
            # (np.concatenate, not np.r_: the same arrays without np.r_'s ~25 us of index
            # parsing a call)
            prev = np.concatenate((p[:1], p[:-1]))
            nxt = np.concatenate((p[1:], p[-1:]))
            p = (1 - self.smoothing) * p + self.smoothing * 0.5 * (prev + nxt)
        return p, self._kind.predict_proba(X)


@lru_cache(maxsize=1)
def shipped_model() -> BlockModel | None:
    """The model in detector/data, or None where it is absent (heuristics only)."""
    if not MODEL_PATH.exists():
        return None
    return BlockModel.load(MODEL_PATH)
