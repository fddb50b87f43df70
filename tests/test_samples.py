"""The whole pipeline on samples/: every page gets the label samples/expected.json gives it,
every listed artifact is quoted by some flag's evidence, and clean pages raise no flag."""

import json

import pytest

from detector.pipeline import analyze
from detector.readers import read_file

from .conftest import SAMPLES

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))


def _result(name):
    (record,) = list(read_file(SAMPLES / name))
    return analyze(record)


def test_every_sample_is_described():
    on_disk = {p.name for p in SAMPLES.iterdir() if p.name not in ("expected.json", "README.md")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_label(name):
    res = _result(name)
    assert res.error is None
    assert 0.0 <= res.quality <= 1.0
    assert res.label == EXPECTED[name]["label"], (name, res.quality, [f.id for f in res.flags])


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n].get("evidence_contains")))
def test_sample_artifacts_are_quoted(name):
    res = _result(name)
    quoted = [ev.text for f in res.flags for ev in f.evidence]
    missing = [a for a in EXPECTED[name]["evidence_contains"] if not any(a in q for q in quoted)]
    assert not missing, f"{name}: no flag quotes {missing}"


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n].get("no_flags")))
def test_clean_sample_has_no_flag(name):
    res = _result(name)
    assert res.flags == [], [(f.id, [e.text for e in f.evidence]) for f in res.flags]
