"""The buyer on the outside writers' natural calls (tune half only): floors a little under what was reached, so a
regression fails. The held-out half is run by bench/buyer_eval.py --split heldout, never here."""

from __future__ import annotations

import pytest

from bench.buyer_eval import evaluate, load_calls

# Reached on the tune half (bench/RESULTS.md, "Role-play buyer on natural calls"): zh recall 84.3 %, false reveals
# 12.6 %, SPIN 85.7 %; en recall 81.7 %, false reveals 10.9 %, SPIN 81.5 %, every English reply in English.
MIN_RECALL = {"zh": 0.82, "en": 0.78}
MAX_FALSE_REVEALS = {"zh": 0.14, "en": 0.13}
MIN_SPIN_ACCURACY = {"zh": 0.83, "en": 0.78}
MIN_PITCH_ACCURACY = 0.93
MAX_REPEATS_PER_CALL = 0.2


@pytest.fixture(scope="module", params=["zh", "en"])
def tally(request):
    assert load_calls(request.param, "tune"), f"tests/eval/calls_{request.param}_tune.jsonl is missing"
    return request.param, evaluate(request.param, "tune").summary()


def test_fact_recall_and_false_reveals(tally):
    lang, summary = tally
    assert summary["recall"] >= MIN_RECALL[lang], summary
    assert summary["false_reveals"] <= MAX_FALSE_REVEALS[lang], summary


def test_the_buyer_never_coaches_and_does_not_repeat_himself(tally):
    _, summary = tally
    assert summary["coaching_replies"] == 0, summary
    assert summary["repeats_per_call"] <= MAX_REPEATS_PER_CALL, summary


def test_rude_turns_lower_trust_every_time_and_are_read_as_rude_only_when_rude(tally):
    _, summary = tally
    assert summary["rude_turns"] > 0
    assert summary["rude_lowered"] == 1.0, summary
    assert summary["rude_precision"] >= 0.9, summary


def test_understanding_the_rep(tally):
    lang, summary = tally
    assert summary["spin_accuracy"] >= MIN_SPIN_ACCURACY[lang], summary
    assert summary["pitch_accuracy"] >= MIN_PITCH_ACCURACY, summary


def test_english_sessions_are_answered_in_english(tally):
    lang, summary = tally
    if lang == "en":
        assert summary["english_replies"] == 1.0, summary


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rude_turns_of_a_second_writer_lower_trust_every_time(lang):
    """The round-2 tune calls (another blind writer, other wordings): rudeness is read by category, not by the first
    writer's words."""
    assert load_calls(lang, "r2_tune"), f"tests/eval/calls_{lang}_r2_tune.jsonl is missing"
    summary = evaluate(lang, "r2_tune").summary()
    assert summary["rude_turns"] > 0
    assert summary["rude_lowered"] == 1.0, summary
    assert summary["rude_precision"] >= 0.9, summary
