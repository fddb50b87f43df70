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


@dataclass
class BlockModel:
    article: object  # P(block is article text), binary classifier
    kind: object  # P(kind) over kind_classes
    kind_classes: tuple[str, ...]
    feature_names: tuple[str, ...]
    threshold: float = 0.5
    smoothing: float = 0.0
    version: str = "blocks-1"

    def save(self, path: Path) -> None:
        import skops.io as sio

        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump({"article": self.article, "kind": self.kind,
                  "kind_classes": list(self.kind_classes),
                  "feature_names": list(self.feature_names), "threshold": self.threshold,
                  "smoothing": self.smoothing, "version": self.version}, path)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> BlockModel:
        import skops.io as sio

        try:
            untrusted = set(sio.get_untrusted_types(file=path))
            unknown = untrusted - set(TRUSTED_TYPES)
            if unknown:
                raise BlockModelError(f"{path}: untrusted types {sorted(unknown)}")
            d = sio.load(path, trusted=TRUSTED_TYPES)
        except BlockModelError:
            raise
        except Exception as exc:
            raise BlockModelError(f"cannot load block model {path}: {exc}") from exc
        return cls(article=d["article"], kind=d["kind"], kind_classes=tuple(d["kind_classes"]),
                   feature_names=tuple(d["feature_names"]), threshold=float(d["threshold"]),
                   smoothing=float(d["smoothing"]), version=str(d["version"]))

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(article) smoothed over neighbours, P(kind)) for the blocks of one page."""
        p = self.article.predict_proba(X)[:, 1]
        if self.smoothing > 0 and len(p) > 1:
            prev = np.r_[p[:1], p[:-1]]
            nxt = np.r_[p[1:], p[-1:]]
            p = (1 - self.smoothing) * p + self.smoothing * 0.5 * (prev + nxt)
        return p, self.kind.predict_proba(X)


@lru_cache(maxsize=1)
def shipped_model() -> BlockModel | None:
    """The model in detector/data, or None where it is absent (heuristics only)."""
    if not MODEL_PATH.exists():
        return None
    return BlockModel.load(MODEL_PATH)
