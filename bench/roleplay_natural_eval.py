"""Benchmark: how the offline buyer and SPIN coach respond to naturally worded rep conversations.

Plays every conversation of tests/eval/roleplay_natural.jsonl through the real offline pipeline
(classify_spin -> ScriptedBuyer.reply) and measures, per scenario and per split:
  * fact recall on good conversations: annotated facts the buyer revealed / annotated facts,
  * false unlocks: facts revealed on a turn that was not annotated with them (any conversation),
  * commitment won where expected (and never where not),
  * SPIN accuracy on the conversation utterances and on the natural items of tests/data/spin_labeled.jsonl.

Run from the repo root:
    .venv/bin/python bench/roleplay_natural_eval.py            # prints the table, writes the JSON
    .venv/bin/python bench/roleplay_natural_eval.py --misses   # also lists the TRAIN split misses
    .venv/bin/python bench/roleplay_natural_eval.py --split train  # the train split only (`make bench`'s short run)
Writes bench/results/roleplay_natural.json. Misses of the test split are never printed: it is held out.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.coaching.spin import classify_spin  # noqa: E402
from app.roleplay.scenarios import load_scenarios  # noqa: E402
from app.roleplay.scripted_buyer import ScriptedBuyer  # noqa: E402
from app.roleplay.state import SessionState  # noqa: E402
from bench import REPO_ROOT  # noqa: E402

CONVERSATIONS_PATH = REPO_ROOT / "tests" / "eval" / "roleplay_natural.jsonl"
SPIN_DATA_PATH = REPO_ROOT / "tests" / "data" / "spin_labeled.jsonl"
RESULT_PATH = REPO_ROOT / "bench" / "results" / "roleplay_natural.json"
SPLITS = ("train", "test")


def load_conversations() -> list[dict]:
    with CONVERSATIONS_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_natural_spin_rows() -> list[dict]:
    """The naturally worded items of the SPIN labeled set (marked "source": "natural")."""
    with SPIN_DATA_PATH.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if row.get("source") == "natural"]


@dataclass
class Tally:
    """Counts for one group of conversations (a scenario, a split, or everything)."""

    expected_facts: int = 0  # annotated facts in good conversations
    recalled_facts: int = 0  # ... that the buyer revealed somewhere in the conversation
    unlocks: int = 0  # all reveals, good and bad conversations
    false_unlocks: int = 0  # reveals on a turn not annotated with that fact
    bad_unlocks: int = 0  # reveals in bad conversations
    commitments_expected: int = 0
    commitments_won: int = 0  # where expected
    commitments_unexpected: int = 0  # won where not expected
    spin_total: int = 0
    spin_correct: int = 0
    misses: list[dict] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in (
            "expected_facts",
            "recalled_facts",
            "unlocks",
            "false_unlocks",
            "bad_unlocks",
            "commitments_expected",
            "commitments_won",
            "commitments_unexpected",
            "spin_total",
            "spin_correct",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses

    def summary(self) -> dict:
        return {
            "fact_recall": _ratio(self.recalled_facts, self.expected_facts),
            "recalled": self.recalled_facts,
            "expected": self.expected_facts,
            "false_unlock_rate": _ratio(self.false_unlocks, self.unlocks),
            "false_unlocks": self.false_unlocks,
            "unlocks": self.unlocks,
            "bad_conversation_unlocks": self.bad_unlocks,
            "commitment_rate": _ratio(self.commitments_won, self.commitments_expected),
            "commitments_won": self.commitments_won,
            "commitments_expected": self.commitments_expected,
            "commitments_unexpected": self.commitments_unexpected,
            "spin_accuracy": _ratio(self.spin_correct, self.spin_total),
            "spin_n": self.spin_total,
        }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def play_conversation(conversation: dict) -> Tally:
    """Run one annotated conversation through classify_spin and the scripted buyer and count."""
    scenario = load_scenarios()[conversation["scenario"]]
    buyer = ScriptedBuyer(scenario)
    state = buyer.opening(SessionState.start(scenario)).state
    tally = Tally()
    good = conversation["kind"] == "good"
    revealed_anywhere: set[str] = set()
    for index, turn in enumerate(conversation["turns"]):
        spin = classify_spin(turn["text"])
        reply = buyer.reply(state, turn["text"], spin)
        tally.spin_total += 1
        tally.spin_correct += spin.label == turn["spin"]
        for fact_id in reply.new_facts:
            tally.unlocks += 1
            revealed_anywhere.add(fact_id)
            if fact_id not in turn["unlocks"]:
                tally.false_unlocks += 1
                tally.misses.append(
                    {
                        "conversation": conversation["id"],
                        "turn": index,
                        "kind": "false_unlock",
                        "fact": fact_id,
                        "text": turn["text"],
                        "spin": spin.label,
                    }
                )
            if not good:
                tally.bad_unlocks += 1
        for fact_id in turn["unlocks"]:
            if fact_id not in reply.new_facts:
                tally.misses.append(
                    {
                        "conversation": conversation["id"],
                        "turn": index,
                        "kind": "missed",
                        "fact": fact_id,
                        "text": turn["text"],
                        "spin": spin.label,
                        "gold_spin": turn["spin"],
                        "trust": state.trust,
                    }
                )
        if spin.label != turn["spin"]:
            tally.misses.append(
                {
                    "conversation": conversation["id"],
                    "turn": index,
                    "kind": "spin",
                    "text": turn["text"],
                    "spin": spin.label,
                    "gold_spin": turn["spin"],
                }
            )
        state = reply.state
    if good:
        expected = {fact_id for turn in conversation["turns"] for fact_id in turn["unlocks"]}
        tally.expected_facts = len(expected)
        tally.recalled_facts = len(expected & revealed_anywhere)
    if conversation["commitment"]:
        tally.commitments_expected = 1
        tally.commitments_won = int(state.commitment_won)
        if not state.commitment_won:
            tally.misses.append(
                {
                    "conversation": conversation["id"],
                    "kind": "commitment",
                    "trust": state.trust,
                    "revealed": sorted(state.revealed_ids()),
                    "open": state.open_objections(),
                }
            )
    else:
        tally.commitments_unexpected = int(state.commitment_won)
    return tally


def spin_accuracy(rows: list[dict]) -> dict:
    hits = sum(classify_spin(row["text"]).label == row["label"] for row in rows)
    return {"accuracy": _ratio(hits, len(rows)), "n": len(rows)}


def evaluate(splits: tuple[str, ...] = SPLITS) -> dict:
    """All numbers, by split: overall and per scenario, plus SPIN accuracy on the natural items."""
    conversations = load_conversations()
    natural_rows = load_natural_spin_rows()
    report: dict = {"dataset": str(CONVERSATIONS_PATH.relative_to(REPO_ROOT)), "splits": {}}
    for split in splits:
        overall = Tally()
        per_scenario: dict[str, Tally] = {}
        for conversation in conversations:
            if conversation["split"] != split:
                continue
            tally = play_conversation(conversation)
            per_scenario.setdefault(conversation["scenario"], Tally()).add(tally)
            overall.add(tally)
        split_rows = [row for row in natural_rows if row["split"] == split]
        report["splits"][split] = {
            "conversations": sum(conversation["split"] == split for conversation in conversations),
            "overall": overall.summary(),
            "per_scenario": {name: tally.summary() for name, tally in sorted(per_scenario.items())},
            "spin_natural_items": spin_accuracy(split_rows),
            "misses": overall.misses if split == "train" else [],
        }
    return report


def format_table(report: dict) -> str:
    lines = []
    header = f"{'scenario':<26}{'recall':>14}{'false unl.':>14}{'commit':>9}{'SPIN acc':>14}"
    for split, data in report["splits"].items():
        lines.append(f"== {split} ({data['conversations']} conversations)")
        lines.append(header)
        rows = [*data["per_scenario"].items(), ("ALL", data["overall"])]
        for name, s in rows:
            lines.append(
                f"{name:<26}"
                f"{s['fact_recall']:>7.0%} {s['recalled']:>2}/{s['expected']:<3}"
                f"{s['false_unlock_rate']:>7.0%} {s['false_unlocks']:>2}/{s['unlocks']:<3}"
                f"{s['commitments_won']:>5}/{s['commitments_expected']:<3}"
                f"{s['spin_accuracy']:>7.0%} (n={s['spin_n']})"
            )
        natural = data["spin_natural_items"]
        lines.append(
            f"bad-conversation unlocks: {data['overall']['bad_conversation_unlocks']}, "
            f"unexpected commitments: {data['overall']['commitments_unexpected']}, "
            f"SPIN accuracy on natural labeled items: {natural['accuracy']:.0%} (n={natural['n']})"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the train split misses")
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all", help="evaluate this split only")
    args = parser.parse_args()
    report = evaluate(SPLITS if args.split == "all" else (args.split,))
    print(format_table(report))
    if args.misses and "train" in report["splits"]:
        for miss in report["splits"]["train"]["misses"]:
            print(json.dumps(miss, ensure_ascii=False))
    RESULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULT_PATH.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULT_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
