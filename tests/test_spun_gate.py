"""The spun-text regression gate: issue 4's held-out figures of `spun_word_choice` may not fall.

benchmarks/spun_pins.json holds the default run of benchmarks/spun_text.py (2,000 held-out
3-sentence blocks, unspun and spun at 10%, 20%, 30% and a random 10-30%): the ROC AUC at each
rate and the false-positive rate on unspun blocks. A deliberate trade is re-pinned, and
committed with its reason:

    DETECTOR_DATA=../shared/data PYTHONPATH=. python benchmarks/spun_text.py --pin
"""

from __future__ import annotations

import json

import pytest

from benchmarks import spun_text

PINS = json.loads(spun_text.PINS_FILE.read_text())
# The run is deterministic (seeded spinner, fixed blocks): unchanged code gives the pins
# exactly. The margin absorbs float differences of another machine; one block of 2,000 moving
# across the threshold moves the FPR by 0.0005, a swapped pair moves an AUC by far less.
AUC_TOLERANCE = 0.001
FPR_TOLERANCE = 0.001
REPIN = "if the trade is intended, re-pin: python benchmarks/spun_text.py --pin"


@pytest.fixture(scope="module")
def measured(shared_data) -> spun_text.Figures:
    return spun_text.measure("test", PINS["blocks"], PINS["sentences"])


def check(got: spun_text.Figures, pins: dict) -> None:
    assert got.blocks == pins["blocks"], f"{got.blocks} blocks, pinned {pins['blocks']}; {REPIN}"
    for rate, pinned in pins["auc"].items():
        auc = got.auc["mixed" if rate == "mixed" else float(rate)]
        assert auc >= pinned - AUC_TOLERANCE, (
            f"ROC AUC at {rate}: {auc:.4f} < pinned {pinned:.4f}; {REPIN}")
    assert got.fpr <= pins["fpr"] + FPR_TOLERANCE, (
        f"false positives on unspun blocks: {got.fpr:.4f} > pinned {pins['fpr']:.4f}; {REPIN}")


def test_spun_gate(measured):
    check(measured, PINS)


def test_spun_gate_fails_on_a_lower_auc_or_more_false_positives(measured):
    """The gate's checks can fail."""
    higher = {**PINS, "auc": {**PINS["auc"], "mixed": measured.auc["mixed"] + 0.01}}
    with pytest.raises(AssertionError, match="re-pin"):
        check(measured, higher)
    with pytest.raises(AssertionError, match="false positives"):
        check(measured, {**PINS, "fpr": measured.fpr - 0.01})


def test_by_set_breakdown_covers_every_block(measured):
    """--by-set: one AUC per held-out dataset, their blocks adding up to all of them, and the
    English-prose subset (most blocks, not all: the readability set has French and Spanish
    articles and lorem ipsum)."""
    sets = {k: v for k, v in measured.by_set.items() if k != "English prose"}
    assert sum(n for n, _ in sets.values()) == measured.blocks
    n_en, auc_en = measured.by_set["English prose"]
    assert 0.9 * measured.blocks < n_en < measured.blocks
    assert all(0.5 < auc <= 1.0 for _, auc in measured.by_set.values())


def test_english_prose_is_told_from_other_text():
    assert spun_text.is_english_prose(
        "The council approved the budget on Tuesday after a long debate over the road repairs.")
    for other in ("Elle délivrera son avis, sauf cas d'urgence, avant toute opération de "
                  "surveillance ciblée.", "Lorem ipsum dolor sit amet, consectetur adipiscing "
                  "elit, sed do eiusmod tempor incididunt ut labore.",
                  "2020-08-01 17:43:00+00 | 400 | 0 2020-08-01 17:42:00+00 | 400 | 0", ""):
        assert not spun_text.is_english_prose(other), other


def test_draws_repeat_the_benchmark_spin_first_and_then_differ(shared_data):
    """--draws: the first spin is the benchmark's own random 10-30% run, the others are new
    spins of the same blocks (a different AUC)."""
    got = spun_text.measure("test", 300, 3)
    draws = spun_text.draws_auc(3, "test", 300, 3)
    assert draws[0] == got.auc["mixed"]
    assert len(set(draws)) == 3 and all(0.5 < a <= 1.0 for a in draws)
