"""Training and evaluation: held-out splits never share a family or a site; metrics are right."""

import dataclasses
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from detector.corpus import site_fold
from detector.train import (Heldout, Row, choose_thresholds, expected_calibration_error, metrics,
                            recall_at_fpr, splits)


def _rows(n_sites=40):
    rows = []
    for s in range(n_sites):
        site = f"site{s}.com"
        rows.append(Row(f"real{s}", 0, "real", site, "article", (), {"x": 0.0}))
        for fam in ("jannah", "plaintext", "proxy"):
            rows.append(Row(f"{fam}{s}", 1, fam, site, "article", (),
                            {"x": 1.0, "page_flags_strong": 1.0}))
        rows.append(Row(f"wire{s}", 0, "wire", site, "article", (), {"x": 0.2}))
    return rows


def test_splits_keep_families_and_sites_apart():
    rows = _rows()
    names = []
    for name, train, test in splits(rows, ("jannah", "plaintext", "proxy"), k=4):
        names.append(name)
        fam = name.split("/")[0]
        train_sites = {rows[j].site for j in train}
        test_sites = {rows[j].site for j in test}
        assert not train_sites & test_sites
        assert all(rows[j].family != fam for j in train)
        assert {rows[j].family for j in test if rows[j].label == 1} == {fam}
        assert any(rows[j].label == 0 for j in test)
    assert len(names) == 12


def test_ece_is_zero_when_calibrated_and_large_when_not():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=20000)
    y = (rng.uniform(size=p.size) < p).astype(int)
    assert expected_calibration_error(y, p) < 0.02
    assert expected_calibration_error(y, np.clip(p + 0.3, 0, 1)) > 0.2


def test_recall_at_fpr():
    y = np.array([0] * 100 + [1] * 10)
    p = np.concatenate([np.linspace(0, 0.5, 100), np.linspace(0.45, 1.0, 10)])
    # at 1% FPR one negative (0.5) may be above the cut: copies above 0.4949... count
    r = recall_at_fpr(y, p, 0.01)
    assert 0.8 <= r <= 1.0
    assert recall_at_fpr(y, p, 0.0) < 1.0


def test_thresholds_hold_false_positives_on_real_pages():
    rng = np.random.default_rng(1)
    p_neg = rng.beta(2, 5, size=2000)  # its top 0.5% lie above SPAM_MIN
    p_pos = rng.beta(12, 1, size=500)
    y = np.array([0] * 2000 + [1] * 500)
    p = np.concatenate([p_neg, p_pos])
    flagged = np.ones(len(y), dtype=bool)
    t = choose_thresholds(y, p, y == 0, flagged)
    assert (p_neg >= t["spam"]).mean() <= 0.005
    assert t["suspect"] <= t["spam"]
    # unflagged real pages never get the spam label, so they do not count against its
    # threshold: with the 20 highest negatives unflagged it goes down, and the label's false
    # positives (a flag and P >= threshold) stay within the budget
    flagged[np.argsort(-p_neg)[:20]] = False
    t_unflagged = choose_thresholds(y, p, y == 0, flagged)
    assert t_unflagged["spam"] < t["spam"]
    assert ((p >= t_unflagged["spam"]) & flagged)[:2000].mean() <= 0.005
    assert t_unflagged["suspect"] == t["suspect"]  # suspect needs no flag


def test_metrics_report_groups():
    h = Heldout()
    for fam in ("jannah", "plaintext", "proxy"):  # as heldout_predictions lays them out
        test = [r for r in _rows(10) if r.label == 0 or r.family == fam]
        h.rows += test
        h.p += [0.9 if r.label else 0.05 for r in test]
        h.split += [f"{fam}/fold0"] * len(test)
    m = metrics(h, {"spam": 0.5, "suspect": 0.2})
    assert m["roc_auc"] == 1.0
    assert m["spam"]["recall"] == 1.0 and m["fpr_real_at_spam"] == 0.0
    assert m["groups"]["negative:wire"]["spam_rate"] == 0.0
    assert set(m["per_family_auc"]) == {"jannah", "plaintext", "proxy"}


def test_metrics_count_as_spam_only_flagged_pages():
    h = Heldout()
    rows = [r for r in _rows(10) if r.label == 0 or r.family == "jannah"]
    h.rows, h.split = rows, ["jannah/fold0"] * len(rows)
    h.p = [0.9 if r.label else 0.05 for r in rows]
    unflagged = next(j for j, r in enumerate(rows) if r.label == 1)
    rows[unflagged] = dataclasses.replace(rows[unflagged], features={"x": 1.0})
    m = metrics(h, {"spam": 0.5, "suspect": 0.2})
    assert m["spam"]["recall"] == pytest.approx(9 / 10)  # the unflagged copy is suspect
    assert m["suspect_or_spam"]["recall"] == 1.0
    assert m["recall_at_1pct_fpr"] == pytest.approx(9 / 10)
    assert m["recall_at_1pct_fpr_score"] == 1.0


def test_site_folds_used_by_splits_match_corpus_folds():
    rows = _rows(8)
    for name, train, test in splits(rows, ("jannah",), k=4):
        i = int(name[-1])
        assert all(site_fold(rows[j].site, 4) == i for j in test)


def test_evaluate_cli_on_labelled_jsonl(tmp_path):
    from detector.cli import app
    from tests.conftest import SEED

    seed = SEED.read_text(encoding="utf-8")
    clean = ("Council approves budget\n\nThe city council approved the budget on Tuesday after a "
             "long debate over road repairs, the mayor said.\n\nThe vote was 7 to 2.\n")
    data = tmp_path / "pages.jsonl"
    data.write_text("\n".join(json.dumps(d) for d in [
        {"id": "seed", "url": None, "text": seed, "label": "spam"},
        {"id": "seed2", "url": "https://farm.example/a", "text": seed, "label": 1},
        {"id": "clean", "url": "https://city.example/b", "text": clean, "label": "ok"},
        {"id": "clean2", "url": "https://city.example/c", "text": clean, "label": 0},
        "not json",
    ]) + "\n")
    out = tmp_path / "plots"
    res = CliRunner().invoke(app, ["evaluate", str(data), "--out-dir", str(out),
                                   "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    assert "ROC AUC: 1.0000" in res.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["n"] == 4
    assert {p.name for p in out.iterdir()} >= {"roc.png", "calibration.png"}


def test_evaluate_cli_refuses_bad_model(tmp_path):
    from detector.cli import app

    bad = tmp_path / "bad.skops"
    bad.write_bytes(b"junk")
    res = CliRunner().invoke(app, ["evaluate", "--model", str(bad)])
    assert res.exit_code == 2


@pytest.mark.usefixtures("shared_data")
def test_train_cli_small_corpus(tmp_path, monkeypatch):
    """`detector train` end to end on a few pages per set: a loadable model with a card."""
    from detector.cli import app
    from detector.model import load_model

    monkeypatch.setenv("DETECTOR_MODEL_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "m.skops"
    res = CliRunner().invoke(app, ["train", "--out", str(out), "--limit", "12", "--kind", "lr",
                                   "--report-dir", str(tmp_path / "report")])
    assert res.exit_code == 0, res.output
    qm = load_model(out)
    card = json.loads((tmp_path / "m_card.json").read_text())
    assert qm.version == card["version"] and "metrics_heldout" in card
    assert card["data"]["by_family"]["negative:real"] > 0
    assert {"roc.png", "calibration.png", "feature_weights.png", "report.json"} <= {
        p.name for p in (tmp_path / "report").iterdir()}


def test_cache_fingerprint_follows_feature_data_but_not_the_quality_model(tmp_path, monkeypatch):
    """The corpus rows cache is keyed by code_fingerprint: a changed word list or spun-text
    table must rebuild it (the rows read them), a re-fitted quality model must not."""
    import detector.train as T

    pkg = tmp_path / "detector"
    (pkg / "data").mkdir(parents=True)
    (pkg / "features.py").write_text("X = 1\n")
    for name in ("wordchoice.npz", "model.skops", "model_card.json", "NOTICE"):
        (pkg / "data" / name).write_bytes(b"v1")
    monkeypatch.setattr(T, "REPO_ROOT", tmp_path)
    first = T.code_fingerprint()
    for name in ("model.skops", "model_card.json", "NOTICE"):
        (pkg / "data" / name).write_bytes(b"v2")
    assert T.code_fingerprint() == first
    (pkg / "data" / "wordchoice.npz").write_bytes(b"v2")
    second = T.code_fingerprint()
    assert second != first
    (pkg / "scan").mkdir()
    (pkg / "scan" / "copies.py").write_text("Y = 1\n")  # the batch runner shapes no feature
    assert T.code_fingerprint() == second
    (pkg / "features.py").write_text("X = 2\n")
    assert T.code_fingerprint() not in (first, second)
