"""The compiled fast paths (detector/_fast) give exactly what their Python references give,
and the package works with them disabled (DETECTOR_PURE_PYTHON=1) or absent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from detector._fast import forest_module

ROOT = Path(__file__).resolve().parents[1]
needs_forest = pytest.mark.skipif(forest_module() is None,
                                  reason="compiled forest not built (pure-Python install)")


def _reference_raw(ff, X):
    """Raw scores through scikit-learn's own per-tree walker (FastForest's Python path)."""
    compiled, ff._compiled = ff._compiled, None
    try:
        return ff.raw(X)
    finally:
        ff._compiled = compiled


@needs_forest
@pytest.mark.parametrize("n_classes", [2, 3, 6])
def test_compiled_forest_equals_scikit_learn_with_missing_values(n_classes):
    from sklearn.ensemble import HistGradientBoostingClassifier

    from detector.blocks.model import FastForest

    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(400, 7))
    X[rng.random(X.shape) < 0.1] = np.nan  # missing values go where each node learned
    y = np.digitize(np.nan_to_num(X[:, 0] + X[:, 3]), np.linspace(-1, 1, n_classes - 1))
    m = HistGradientBoostingClassifier(max_iter=15, random_state=0).fit(X, y)
    ff = FastForest(m)
    assert ff._compiled is not None
    Xt = rng.normal(size=(120, 7))
    Xt[rng.random(Xt.shape) < 0.2] = np.nan
    Xt[:5, :] = np.nan  # all missing
    assert np.array_equal(ff.raw(Xt), _reference_raw(ff, Xt))
    np.testing.assert_allclose(ff.predict_proba(Xt), m.predict_proba(Xt), rtol=0, atol=1e-12)


@needs_forest
def test_compiled_forest_equals_scikit_learn_on_the_shipped_block_models():
    from detector.blocks.model import shipped_model

    model = shipped_model()
    if model is None:
        pytest.skip("no shipped block model")
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, len(model.feature_names))) * 3
    for ff, hgb in ((model._article, model.article), (model._kind, model.kind)):
        assert ff._compiled is not None
        assert np.array_equal(ff.raw(X), _reference_raw(ff, X))
        np.testing.assert_allclose(ff.predict_proba(X), hgb.predict_proba(X), rtol=0,
                                   atol=1e-12)


@needs_forest
def test_compiled_forest_refuses_wrong_shapes_and_categorical_trees():
    from sklearn.ensemble import HistGradientBoostingClassifier

    from detector.blocks.model import FastForest

    rng = np.random.default_rng(2)
    X = rng.normal(size=(100, 3))
    ff = FastForest(HistGradientBoostingClassifier(max_iter=3).fit(X, X[:, 0] > 0))
    with pytest.raises(ValueError):
        ff._compiled.add_raw(np.zeros((4, 2)), np.zeros((1, 4)))
    Xc = np.column_stack([rng.integers(0, 4, 100), rng.normal(size=100)])
    m = HistGradientBoostingClassifier(max_iter=3, categorical_features=[0]).fit(
        Xc, Xc[:, 0] == 2)
    ffc = FastForest(m)  # categorical splits: scikit-learn's walker, same answers
    assert ffc._compiled is None
    np.testing.assert_allclose(ffc.predict_proba(Xc), m.predict_proba(Xc), atol=1e-12)


def test_pure_python_switch_disables_the_compiled_paths():
    code = ("import detector._fast as f, detector.segment as s; "
            "from detector.blocks.model import shipped_model; m = shipped_model(); "
            "print(f.forest_module(), m is None or m._article._compiled, s.compiled_walk())")
    env = {**os.environ, "DETECTOR_PURE_PYTHON": "1", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[0] == "None" and out[1] in ("None", "True") and out[2] == "None"
