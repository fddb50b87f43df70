"""Issue 4's gate in the suite: every `strong` rule fires on under 0.5% of the real publisher
pages of ../shared/data (benchmarks/rules_on_publishers.py over all 5,415 pages, ~1-2 min)."""

from __future__ import annotations

from benchmarks import rules_on_publishers


def test_strong_rules_stay_quiet_on_real_publishers(shared_data, capsys):
    rc = rules_on_publishers.main([])
    out = capsys.readouterr().out
    assert rc == 0, out


def test_gate_fails_when_a_strong_rule_passes_the_limit(shared_data, capsys, monkeypatch):
    """The gate can fail: at a limit of 0 every strong rule is at or over it."""
    monkeypatch.setattr(rules_on_publishers, "OVER_LIMIT", 0.0)
    assert rules_on_publishers.main(["--limit", "20"]) == 1
    assert "over the strong limit" in capsys.readouterr().out
