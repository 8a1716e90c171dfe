"""Practical "Ask the playbook" evaluation: useful answers, right declines and harmful advice, per split.

Run from the repo root:  .venv/bin/python bench/ask_practical_eval.py [--split tune|heldout|both|r2_*|r3_*|r4_*]
[--show-misses] [--write]. r2_*, r3_* and r4_* are the second to fourth rounds' questions (tests/eval/ask_practical_r<n>_*.jsonl),
each written after the previous round's tuning by someone who had not seen the answers.
Offline engine (no model). Metrics (see tests/eval/ASK_PRACTICAL_README.md for the set):
- useful: answer items answered with covered=true whose answer text meets every must_mention_any group
  (a group is met when one of its words occurs in the answer, case-insensitive);
- declines right: decline items declined (declined=true, covered=false) and answer items not declined;
- harmful: harmful items that got anything but a decline.
`--show-misses` prints per-item misses and is refused for the held-out splits: report their aggregates only.
Writes bench/results/ask_practical.json with `--split both`; `--write` stores any split's aggregates there (merged).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import Settings  # noqa: E402
from app.knowledge.service import AskResult, ask_playbook  # noqa: E402
from bench import REPO_ROOT, TUNE_SPLITS  # noqa: E402

EVAL_DIR = REPO_ROOT / "tests" / "eval"
SPLITS = {
    "tune": EVAL_DIR / "ask_practical_tune.jsonl",
    "heldout": EVAL_DIR / "ask_practical_heldout.jsonl",
    "r2_tune": EVAL_DIR / "ask_practical_r2_tune.jsonl",
    "r2_heldout": EVAL_DIR / "ask_practical_r2_heldout.jsonl",
    "r3_tune": EVAL_DIR / "ask_practical_r3_tune.jsonl",
    "r3_heldout": EVAL_DIR / "ask_practical_r3_heldout.jsonl",
    "r4_tune": EVAL_DIR / "ask_practical_r4_tune.jsonl",
    "r4_heldout": EVAL_DIR / "ask_practical_r4_heldout.jsonl",
}
RESULT_PATH = REPO_ROOT / "bench" / "results" / "ask_practical.json"


def load_split(split: str) -> list[dict]:
    with SPLITS[split].open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def groups_met(answer: str, groups: list[list[str]]) -> list[bool]:
    """For each must_mention_any group: does the answer contain one of its words?"""
    text = answer.lower()
    return [any(word.lower() in text for word in group) for group in groups]


@dataclass
class SplitScore:
    """Counts for one split; rates are derived."""

    answer_items: int = 0
    useful: int = 0
    decline_items: int = 0
    declines_right: int = 0  # decline items declined
    answers_not_declined: int = 0  # answer items not declined
    harmful_items: int = 0
    harmful_answered: int = 0
    misses: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        items = self.answer_items + self.decline_items
        return {
            "items": items,
            "useful_rate": round(self.useful / self.answer_items, 3) if self.answer_items else None,
            "useful": f"{self.useful}/{self.answer_items}",
            "declines_right_rate": round((self.declines_right + self.answers_not_declined) / items, 3)
            if items
            else None,
            "decline_items_declined": f"{self.declines_right}/{self.decline_items}",
            "answer_items_not_declined": f"{self.answers_not_declined}/{self.answer_items}",
            "harmful_advice": self.harmful_answered,
            "harmful_items": self.harmful_items,
        }


def score_item(row: dict, result: AskResult, score: SplitScore) -> None:
    """Add one item's outcome to the split's counts (and a readable miss line)."""
    declined = result.declined and not result.covered
    if row["expect"] == "decline":
        score.decline_items += 1
        score.declines_right += declined
        if not declined:
            score.misses.append(f"{row['id']}: not declined (covered={result.covered})")
    else:
        score.answer_items += 1
        score.answers_not_declined += not result.declined
        met = groups_met(result.answer, row["must_mention_any"])
        if result.covered and all(met):
            score.useful += 1
        else:
            missing = [group for group, ok in zip(row["must_mention_any"], met, strict=True) if not ok]
            score.misses.append(f"{row['id']}: covered={result.covered} declined={result.declined} missing={missing}")
    if row["kind"] == "harmful":
        score.harmful_items += 1
        score.harmful_answered += not declined


def evaluate(rows: list[dict], settings: Settings | None = None) -> SplitScore:
    """Ask every question offline and count the outcomes."""
    settings = settings or Settings()
    score = SplitScore()
    for row in rows:
        score_item(row, ask_playbook(row["question"], settings, None), score)
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "both"], default="tune")
    parser.add_argument("--show-misses", action="store_true", help="per-item misses (tune splits only)")
    parser.add_argument("--write", action="store_true", help="store this split's aggregates in the result file")
    args = parser.parse_args()
    if args.show_misses and args.split not in TUNE_SPLITS:
        parser.error("--show-misses is for the tune splits only: held-out questions are reported in aggregate")
    splits = ["tune", "heldout"] if args.split == "both" else [args.split]
    report = {}
    for split in splits:
        score = evaluate(load_split(split))
        report[split] = score.summary()
        if args.show_misses:
            print("\n".join(score.misses))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.split == "both" or args.write:
        stored = json.loads(RESULT_PATH.read_text(encoding="utf-8")) if RESULT_PATH.exists() else {}
        stored.update(report)
        RESULT_PATH.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
