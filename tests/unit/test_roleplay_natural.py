"""Natural-wording evaluation of the offline buyer and SPIN coach: data shape and held-out thresholds.

The numbers come from bench/roleplay_natural_eval.py (real classify_spin -> ScriptedBuyer pipeline);
the thresholds sit a little under what was measured, so a regression fails while noise does not.
Fact recall, false unlocks and commitments are held per language: the Chinese and the English
conversations meet different vocabularies, and one language must not hide a regression of the other.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from app.playbook.vocabulary import CATEGORY_LETTER
from app.roleplay.scenarios import load_scenarios
from bench.roleplay_natural_eval import Tally, evaluate, load_conversations, play_conversation, spin_accuracy

SPIN_DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "spin_labeled.jsonl"

# Held-out (test split) thresholds. Chinese conversations, measured: recall 89 % (62/70), false unlocks
# 3 % (2/62), commitments 5/7, SPIN on conversation turns 87 %. Overall SPIN on the natural labeled
# items 82 %, on the whole held-out SPIN set 93 %.
# English held-out conversations (one per scenario, written before any English tuning, plus log_good_3):
# recall 57 % (47/82), false unlocks 5/48, commitments 1/9, SPIN on conversation turns 79 %, after the
# English SPIN work (commitment asks in everyday English, per-language naive Bayes). Before it: 43 %
# (35/82), 4/36, 0/9, 74 %; before the English vocabulary work: 18 % (15/82), 4/15, 0/9.
MIN_TEST_FACT_RECALL = {"zh": 0.80, "en": 0.52}
MAX_TEST_FALSE_UNLOCK_RATE = {"zh": 0.10, "en": 0.15}
MIN_TEST_COMMITMENT_RATE = {"zh": 0.5, "en": 0.1}
MIN_TEST_SPIN_ACCURACY_TURNS = {"zh": 0.80, "en": 0.75}
MIN_TEST_SPIN_ACCURACY_NATURAL = 0.75
MIN_TEST_SPIN_ACCURACY_ALL = 0.90
# The train split was tuned on, so it must stay near what was reached (Chinese: recall 96 %, false 1 %,
# 14/14; English: recall 99 % (95/96), false 0/95, commitments 10/10; its rep turns train the naive Bayes).
MIN_TRAIN_FACT_RECALL = {"zh": 0.90, "en": 0.90}
# Counted per turn (a fact told on a turn not annotated with it). Issue 15 makes the buyer answer a plainly asked
# question a step out of order or under a wrong SPIN label, and follow up on what he just said: some facts now
# come a turn earlier or later than annotated here (zh 10 %, en 0 % on this split after that change).
MAX_TRAIN_FALSE_UNLOCK_RATE = {"zh": 0.12, "en": 0.10}
MIN_TRAIN_COMMITMENT_RATE = {"zh": 0.85, "en": 0.8}
# Pitching, vague or off-topic conversations may unlock almost nothing.
MAX_BAD_CONVERSATION_UNLOCKS = 2


@pytest.fixture(scope="module")
def report() -> dict:
    result = evaluate()
    for split, data in result["splits"].items():
        overall = data["overall"]
        print(
            f"\n[{split}] fact recall {overall['fact_recall']:.0%} ({overall['recalled']}/{overall['expected']}), "
            f"false unlocks {overall['false_unlock_rate']:.0%} ({overall['false_unlocks']}/{overall['unlocks']}), "
            f"commitments {overall['commitments_won']}/{overall['commitments_expected']}, "
            f"SPIN turns {overall['spin_accuracy']:.0%}, natural items {data['spin_natural_items']['accuracy']:.0%}"
        )
        for scenario, numbers in data["per_scenario"].items():
            print(
                f"  {scenario:<26} recall {numbers['fact_recall']:.0%}  false {numbers['false_unlocks']}  "
                f"commitment {numbers['commitments_won']}/{numbers['commitments_expected']}"
            )
    return result


@pytest.fixture(scope="module")
def by_language() -> dict[str, dict[str, dict]]:
    """split -> language -> the same summary the bench gives for a split."""
    tallies: dict[tuple[str, str], Tally] = {}
    for conversation in load_conversations():
        key = (conversation["split"], conversation["lang"])
        tallies.setdefault(key, Tally()).add(play_conversation(conversation))
    numbers: dict[str, dict[str, dict]] = {}
    for (split, lang), tally in sorted(tallies.items()):
        summary = numbers.setdefault(split, {})[lang] = tally.summary()
        print(
            f"\n[{split}/{lang}] fact recall {summary['fact_recall']:.0%} "
            f"({summary['recalled']}/{summary['expected']}), "
            f"false unlocks {summary['false_unlocks']}/{summary['unlocks']}, "
            f"commitments {summary['commitments_won']}/{summary['commitments_expected']}, "
            f"SPIN turns {summary['spin_accuracy']:.0%}"
        )
    return numbers


# --- the data -----------------------------------------------------------------------------------


def test_conversations_cover_every_scenario_with_a_held_out_third() -> None:
    conversations = load_conversations()
    scenarios = load_scenarios()
    assert len(conversations) >= 24
    assert len({conversation["id"] for conversation in conversations}) == len(conversations)
    good_per_scenario = Counter(c["scenario"] for c in conversations if c["kind"] == "good")
    assert set(good_per_scenario) == set(scenarios) and min(good_per_scenario.values()) >= 3
    assert sum(c["kind"] == "bad" for c in conversations) >= 5
    assert sum(c["lang"] == "en" for c in conversations) >= 3
    test_share = sum(c["split"] == "test" for c in conversations) / len(conversations)
    assert 0.30 <= test_share <= 0.40
    for scenario_id in scenarios:
        held_out = [
            c for c in conversations if c["scenario"] == scenario_id and c["split"] == "test" and c["kind"] == "good"
        ]
        assert held_out and any(c["lang"] == "en" for c in held_out), scenario_id


def test_annotations_are_spin_faithful_and_respect_prerequisites() -> None:
    """Each annotated fact exists, is asked by a question of its own type, after what it requires."""
    scenarios = load_scenarios()
    for conversation in load_conversations():
        scenario = scenarios[conversation["scenario"]]
        unlocked: set[str] = set()
        for turn in conversation["turns"]:
            assert turn["spin"] in {"S", "P", "I", "N", "other"}, turn
            for fact_id in turn["unlocks"]:
                fact = scenario.fact(fact_id)
                assert CATEGORY_LETTER[scenario.category_of(fact_id)] == turn["spin"], (conversation["id"], turn)
                assert set(fact.requires) <= unlocked, (conversation["id"], fact_id)
            unlocked.update(turn["unlocks"])
        if conversation["kind"] == "bad":
            assert not conversation["commitment"]
        if conversation["commitment"]:
            assert set(scenario.success.key_facts) <= unlocked, conversation["id"]


def test_natural_spin_items_are_half_held_out() -> None:
    with SPIN_DATA_PATH.open(encoding="utf-8") as handle:
        natural = [row for row in map(json.loads, filter(str.strip, handle)) if row.get("source") == "natural"]
    assert len(natural) >= 60
    assert abs(sum(row["split"] == "test" for row in natural) - len(natural) / 2) <= 1
    assert set(Counter(row["label"] for row in natural if row["split"] == "test")) == {"S", "P", "I", "N", "other"}


# --- held-out numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_held_out_fact_recall_and_false_unlocks(by_language: dict, lang: str) -> None:
    numbers = by_language["test"][lang]
    assert numbers["fact_recall"] >= MIN_TEST_FACT_RECALL[lang]
    assert numbers["false_unlock_rate"] <= MAX_TEST_FALSE_UNLOCK_RATE[lang]
    assert numbers["commitment_rate"] >= MIN_TEST_COMMITMENT_RATE[lang]
    assert numbers["commitments_unexpected"] == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_held_out_spin_accuracy_on_conversation_turns(by_language: dict, lang: str) -> None:
    assert by_language["test"][lang]["spin_accuracy"] >= MIN_TEST_SPIN_ACCURACY_TURNS[lang]


def test_held_out_spin_accuracy(report: dict) -> None:
    data = report["splits"]["test"]
    assert data["spin_natural_items"]["accuracy"] >= MIN_TEST_SPIN_ACCURACY_NATURAL
    with SPIN_DATA_PATH.open(encoding="utf-8") as handle:
        held_out = [row for row in map(json.loads, filter(str.strip, handle)) if row["split"] == "test"]
    everything = spin_accuracy(held_out)
    print(
        f"\nSPIN held-out accuracy, old and natural items together: {everything['accuracy']:.1%} (n={everything['n']})"
    )
    assert everything["accuracy"] >= MIN_TEST_SPIN_ACCURACY_ALL


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_train_split_keeps_what_was_reached(by_language: dict, lang: str) -> None:
    numbers = by_language["train"][lang]
    assert numbers["fact_recall"] >= MIN_TRAIN_FACT_RECALL[lang]
    assert numbers["false_unlock_rate"] <= MAX_TRAIN_FALSE_UNLOCK_RATE[lang]
    assert numbers["commitment_rate"] >= MIN_TRAIN_COMMITMENT_RATE[lang]


def test_bad_conversations_unlock_almost_nothing_and_win_nothing(report: dict) -> None:
    for split in ("train", "test"):
        overall = report["splits"][split]["overall"]
        assert overall["bad_conversation_unlocks"] <= MAX_BAD_CONVERSATION_UNLOCKS
        assert overall["commitments_unexpected"] == 0
