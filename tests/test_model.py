"""The shipped model: safe loading (skops, explicit trusted types), card, scores, explanations."""

import json

import pytest
import skops.io as sio

from detector.model import (CARD_PATH, MODEL_PATH, TRUSTED_TYPES, ModelLoadError, QualityModel,
                            flagged, load_model, save_model, types_in)
from detector.pipeline import analyze
from detector.readers import page_from_text
from tests.conftest import SEED


def test_shipped_model_holds_only_trusted_types():
    found = types_in(MODEL_PATH)
    assert "sklearn.feature_extraction._dict_vectorizer.DictVectorizer" in found
    assert found <= set(TRUSTED_TYPES)
    assert set(sio.get_untrusted_types(file=MODEL_PATH)) <= set(TRUSTED_TYPES)


@pytest.mark.parametrize("kind", ["gb", "lr"])
def test_trusted_list_is_complete_for_every_model_kind(kind, tmp_path):
    from detector.train import make_estimator

    est = make_estimator(kind)
    est.fit([{"a": float(i % 3), "b": float(i % 2)} for i in range(30)], [i % 2 for i in range(30)])
    path = save_model(est, {"version": kind}, tmp_path / f"{kind}.skops")
    assert types_in(path) <= set(TRUSTED_TYPES)
    assert load_model(path).p_spam({"a": 1.0}) >= 0.0


def test_trusted_list_holds_nothing_unneeded(tmp_path):
    from detector.train import make_estimator

    needed: set[str] = set()
    for kind in ("gb", "lr"):
        est = make_estimator(kind)
        est.fit([{"a": float(i % 3), "b": float(i % 2)} for i in range(30)],
                [i % 2 for i in range(30)])
        needed |= types_in(save_model(est, {}, tmp_path / f"{kind}.skops"))
    assert set(TRUSTED_TYPES) == needed


def test_file_with_untrusted_type_is_refused(tmp_path):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    pipe = Pipeline([("v", DictVectorizer()), ("f", FunctionTransformer(json.dumps))])
    path = tmp_path / "evil.skops"
    sio.dump(pipe, path)
    with pytest.raises(ModelLoadError, match="not trusted"):
        load_model(path)


def test_not_a_model_file_is_refused(tmp_path):
    path = tmp_path / "junk.skops"
    path.write_bytes(b"not a zip file")
    with pytest.raises(ModelLoadError):
        load_model(path)
    with pytest.raises(ModelLoadError, match="not found"):
        load_model(tmp_path / "missing.skops")


def test_card_beside_model_gives_version_and_thresholds():
    card = json.loads(CARD_PATH.read_text())
    assert card["version"]
    assert 0 < card["thresholds"]["suspect"] <= card["thresholds"]["spam"] < 1
    qm = load_model()
    assert qm.version == card["version"]


def test_seed_is_spam_and_reports_model_version():
    qm = load_model()
    res = analyze(page_from_text(SEED.read_text(encoding="utf-8"), source=str(SEED)), model=qm,
                  explain=True)
    assert res.error is None
    assert res.label == "spam"
    assert res.model_version == qm.version
    # the explanation names the seed's own flags among what moved its score
    fired = {f.id for f in res.flags}
    assert res.explanation and fired & {name for name, _ in res.explanation}
    assert all(isinstance(v, float) for _, v in res.explanation)


def test_unknown_and_missing_feature_columns_are_tolerated():
    qm = load_model()
    p_empty = qm.p_spam({})
    p_unknown = qm.p_spam({"a_column_no_model_has_seen": 7.0})
    assert 0.0 <= p_empty <= 1.0
    assert p_unknown == pytest.approx(p_empty)


def test_label_follows_thresholds():
    qm = QualityModel(pipeline=None, card={"thresholds": {"spam": 0.8, "suspect": 0.3}})
    assert [qm.label(p, flagged=True) for p in (0.1, 0.3, 0.79, 0.8)] == [
        "ok", "suspect", "suspect", "spam"]


def test_label_spam_needs_a_flag():
    qm = QualityModel(pipeline=None, card={"thresholds": {"spam": 0.8, "suspect": 0.3}})
    assert [qm.label(p, flagged=False) for p in (0.1, 0.3, 0.8, 1.0)] == [
        "ok", "suspect", "suspect", "suspect"]
    assert flagged({"page_flags_weak": 1.0}) and flagged({"page_flags_strong": 2.0})
    assert not flagged({"page_flags_strong": 0.0, "page_article_chars": 900.0})


def test_save_then_load_roundtrip(tmp_path):
    from detector.train import make_estimator

    est = make_estimator("lr")
    est.fit([{"x": float(i % 2)} for i in range(12)], [i % 2 for i in range(12)])
    path = save_model(est, {"version": "t-1", "thresholds": {"spam": 0.6, "suspect": 0.3}},
                      tmp_path / "m.skops")
    qm = load_model(path)
    assert qm.version == "t-1"
    assert qm.p_spam({"x": 1.0}) > qm.p_spam({"x": 0.0})


def test_explanation_adds_up_to_the_score_change():
    """Shapley contributions sum to logit(page) - logit(baseline page), so the explanation
    accounts for the whole score (up to the tiny contributions it leaves out)."""
    from detector.features import page_features
    from detector.model import EXPLAIN_MIN_CONTRIBUTION, _logit
    from detector.pipeline import prepare
    from detector.rules import run_rules

    qm = load_model()
    page = prepare(page_from_text(SEED.read_text(encoding="utf-8"), source="seed"))
    feats = page_features(page, run_rules(page))
    parts = qm.explain(feats, top=1000)
    base = {**feats, **{k: qm.card.get("baseline", {}).get(k, 0.0) for k in feats}}
    total = _logit(qm.p_spam(feats)) - _logit(qm.p_spam(base))
    assert sum(v for _, v in parts) == pytest.approx(total, abs=EXPLAIN_MIN_CONTRIBUTION * len(feats))
    assert parts == qm.explain(feats, top=1000)  # deterministic


def test_hard_negatives_are_not_spam_and_a_loud_copy_is():
    """A licensed wire copy and a personal blog built by the corpus templates are not spam; a
    Jannah-style copy of the same story with its scraper leftovers is."""
    import random

    from detector.corpus.artifacts import Copy
    from detector.corpus.families import NEGATIVE_RENDERERS, RENDERERS
    from tests.test_corpus import ART, OTHERS

    qm = load_model()
    for neg in ("wire", "blog"):
        url, html = NEGATIVE_RENDERERS[neg](ART, random.Random(4), ["Recent story"])
        res = analyze(page_from_text(html, source=neg, url=url), model=qm)
        assert res.label != "spam", (neg, res.quality, [f.id for f in res.flags])
    c = Copy(ART, "jannah", "newsbuzz.xyz", "https://newsbuzz.xyz/biden-kishida/",
             ART.title + " | Al Jazeera News read full article at", list(ART.paragraphs),
             author_box="Lionel Messi", comment_form=True,
             teasers=[(o.title + " read full article at", o.paragraphs[0][:90] + "…")
                      for o in OTHERS[:3]])
    html = RENDERERS["jannah"](c, random.Random(4), ["Recent story"])
    res = analyze(page_from_text(html, source="copy", url=c.url), model=qm)
    assert res.label == "spam", (res.quality, [f.id for f in res.flags])


def test_fast_path_equals_scikit_learn_on_the_shipped_model():
    """The one-row fast path gives scikit-learn's own probabilities."""
    import random as _random

    from detector.model import load_model

    m = load_model()
    assert m.fast is not None, "the shipped model should take the fast path"
    names = list(m.pipeline.steps[0][1].vocabulary_)
    rng = _random.Random(0)
    rows = [{n: float(rng.choice([0, 0, 0, 1, 2, rng.random() * 50])) for n in names}
            for _ in range(200)]
    rows.append({})  # an empty page: every column missing
    rows.append({"a_column_the_model_never_saw": 3.0})
    want = m.pipeline.predict_proba(rows)[:, 1]
    got = m.p_spam_many(rows)
    assert max(abs(a - b) for a, b in zip(want, got)) < 1e-9
