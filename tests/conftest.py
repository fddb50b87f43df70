from pathlib import Path

import pytest

from detector.datasets import data_dir

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED = ROOT / "samples" / "republished-aljazeera-biden-kishida.txt"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    d = data_dir()
    if d is None:
        pytest.skip("../shared/data is absent: set DETECTOR_DATA or place shared/ beside the repo")
    return d


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory) -> Path:
    """A small real model (DictVectorizer + LogisticRegression) trained on hand-made feature
    rows: pages with scraper tails are spam. For tests that must not depend on the shipped one."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from detector.model import save_model

    rows = [{"read_full_article_tail": float(i % 2), "page_n_blocks": float(5 + i)}
            for i in range(40)]
    y = [i % 2 for i in range(40)]
    pipe = make_pipeline(DictVectorizer(sparse=False), LogisticRegression()).fit(rows, y)
    path = tmp_path_factory.mktemp("model") / "tiny.skops"
    save_model(pipe, {"version": "tiny-test", "thresholds": {"spam": 0.5, "suspect": 0.2}}, path)
    return path


def segmented_pages(limit: int):
    """The first `limit` HTML pages of every dataset in ../shared/data, segmented (tests that
    compare a compiled path with its reference on real pages; use with the `shared_data`
    fixture so they skip where the data is absent)."""
    from detector.datasets import DATASETS, load
    from detector.readers import page_from_bytes
    from detector.segment import segment

    for name in DATASETS:
        for gp in load(name, limit=limit):
            page = segment(page_from_bytes(gp.raw(), source=gp.id))
            if page.blocks and page.html is not None:
                yield page


def compiled_features_or_skip():
    """The compiled feature module (detector/_fast/features.pyx); skips the test where it is
    not built or is turned off (DETECTOR_PURE_PYTHON=1)."""
    from detector.blocks.features import _compiled_module

    fm = _compiled_module()
    if fm is None:
        pytest.skip("compiled features not built or disabled")
    return fm


def compiled_walk_or_skip():
    """The compiled DOM walk (detector/_fast/walk.pyx); skips the test where it is not built,
    is turned off, or failed its calibration."""
    from detector.segment import compiled_walk

    W = compiled_walk()
    if W is None:
        pytest.skip("compiled walk not built or disabled")
    return W
