"""Benchmark: does the role-play coach score calls the way a sales coach would? (issue 16)

Plays every conversation of tests/eval/calls_<lang>_<split>.jsonl (format: each line a whole call with
a human band 1-5, the expected outcome and per-turn labels) through the real offline product: the
session service (start_roleplay, submit_and_prepare + take_turn for each rep line, finish_roleplay) on a
freshly migrated SQLite database, so the scorecard measured is the one a rep gets. A line sent after
the buyer has ended the call is not sent (the service refuses it), as in the app.

Per split and language it reports:
  * spearman: Spearman rank correlation of the human band with the scorecard total,
  * outcome_accuracy: the scorecard's `outcome` equals the labelled outcome,
  * premature pitches: turns labelled pitch before any need-payoff fact the writer labelled earlier in the
    call; the share flagged live (turn feedback) and the share counted in the score (the state's record),
    and whether live and score ever disagree on any turn,
  * continuations_granted: turns labelled ask=continuation that won the commitment (target 0),
  * insults: turns labelled rude whose trust delta was negative / all rude turns played,
  * turn labels: SPIN accuracy (classifier label == writer's), pitch accuracy and the pitch recogniser's
    precision / recall against the writer's pitch flag (the state's record, the one rule), ask-kind accuracy.

Tune only on the tune halves. The held-out halves are run once, and only their aggregates are printed
and stored (never per-conversation results).

Run from the repo root:
    .venv/bin/python bench/coach_eval.py                  # tune halves, both languages
    .venv/bin/python bench/coach_eval.py --details        # also lists tune conversations that disagree
    .venv/bin/python bench/coach_eval.py --heldout        # also the held-out halves (aggregates only)
    .venv/bin/python bench/coach_eval.py --split r2_tune  # another set (calls_<lang>_r2_tune.jsonl); any split
        # whose name contains "heldout" prints aggregates only, never per-conversation rows
Writes bench/results/coach_eval.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import Role, RolePlay, User  # noqa: E402
from app.roleplay.scenarios import load_scenarios  # noqa: E402
from app.roleplay.service import finish_roleplay, start_roleplay, state_of, submit_and_prepare, take_turn  # noqa: E402
from bench import REPO_ROOT  # noqa: E402
from bench.eval_calls import LANGS, SPLITS, load_calls, spearman  # noqa: E402

RESULT_PATH = REPO_ROOT / "bench" / "results" / "coach_eval.json"


def run_coroutine(coroutine):
    """asyncio.run in a thread of its own: the caller's thread may already run a loop (a test process that drove a
    browser through Playwright does)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Player:
    """One migrated SQLite database and one rep account; plays calls through the session service."""

    def __init__(self, directory: Path) -> None:
        self.engine = make_engine(f"sqlite:///{directory / 'coach_eval.db'}")
        upgrade(self.engine)
        with Session(self.engine) as session:
            user = User(username="coach_eval", password_hash="!", role=Role.rep)
            session.add(user)
            session.commit()
            self.user_id = user.id

    def play(self, call: dict) -> dict:
        """The call's per-turn feedback (for the lines the service took) and the finished scorecard."""
        with Session(self.engine) as session:
            owner = session.get(User, self.user_id)
            roleplay = start_roleplay(session, owner, call["scenario"], None, "offline")
            roleplay_id = roleplay.id
        played: list[dict] = []
        for turn in call["turns"]:
            with Session(self.engine) as session:
                roleplay = session.get(RolePlay, roleplay_id)
                if state_of(roleplay).finished:
                    break
                plan = submit_and_prepare(session, self.engine, None, roleplay, turn["text"], None)
            result = run_coroutine(take_turn(self.engine, None, plan))
            played.append({"label": turn, "feedback": result.feedback.model_dump()})
        with Session(self.engine) as session:
            roleplay = session.get(RolePlay, roleplay_id)
            finished = finish_roleplay(session, roleplay)
            state = state_of(session.get(RolePlay, roleplay_id))
        return {"played": played, "scorecard": finished.scorecard, "history": [r.model_dump() for r in state.history]}


def _need_payoff_ids() -> set[str]:
    return {fact.id for scenario in load_scenarios().values() for fact in scenario.facts.need_payoff}


def measure(calls: list[dict], player: Player) -> tuple[dict, list[dict]]:
    """Aggregates for a list of calls, and one row per call (printed only for tune halves)."""
    need_ids = _need_payoff_ids()
    bands, totals, rows = [], [], []
    outcome_hits = expected_premature = flagged_live = flagged_score = disagreements = 0
    continuation_turns = continuations_granted = rude_turns = rude_lowered = 0
    turns = spin_hits = pitch_hits = ask_hits = pitch_true = pitch_flagged = pitch_both = 0
    for call in calls:
        run = player.play(call)
        card = run["scorecard"]
        bands.append(call["band"])
        totals.append(card["total"])
        outcome_hits += card["outcome"] == call["outcome"]
        need_stated = False
        row_premature_missed = 0
        for index, item in enumerate(run["played"]):
            label, feedback = item["label"], item["feedback"]
            record = run["history"][index]
            if label["pitch"] and not need_stated:
                expected_premature += 1
                flagged_live += feedback["premature_pitch"]
                flagged_score += record["premature_pitch"]
                row_premature_missed += not feedback["premature_pitch"]
            disagreements += feedback["premature_pitch"] != record["premature_pitch"]
            turns += 1
            spin_hits += label["spin"] == feedback["spin"]
            pitch_hits += bool(label["pitch"]) == bool(record["is_pitch"])
            pitch_true += bool(label["pitch"])
            pitch_flagged += bool(record["is_pitch"])
            pitch_both += bool(label["pitch"]) and bool(record["is_pitch"])
            ask_hits += (label.get("ask") or "none") == feedback["ask_kind"]
            if label.get("ask") == "continuation":
                continuation_turns += 1
                continuations_granted += feedback["commitment_won"]
            if label.get("rude"):
                rude_turns += 1
                rude_lowered += feedback["trust_delta"] < 0
            need_stated = need_stated or any(fact in need_ids for fact in label.get("facts", []))
        rows.append(
            {
                "id": call["id"],
                "band": call["band"],
                "total": card["total"],
                "outcome": card["outcome"],
                "expected_outcome": call["outcome"],
                "premature_missed": row_premature_missed,
                "components": {name: c["points"] for name, c in card["components"].items() if c["applicable"]},
            }
        )
    summary = {
        "calls": len(calls),
        "spearman": spearman(bands, totals),
        "outcome_accuracy": round(outcome_hits / len(calls), 4) if calls else None,
        "premature_pitches_expected": expected_premature,
        "premature_flagged_live": round(flagged_live / expected_premature, 4) if expected_premature else None,
        "premature_flagged_in_score": round(flagged_score / expected_premature, 4) if expected_premature else None,
        "live_score_disagreements": disagreements,
        "continuation_turns": continuation_turns,
        "continuations_granted": continuations_granted,
        "rude_turns": rude_turns,
        "rude_lowered_trust": round(rude_lowered / rude_turns, 4) if rude_turns else None,
        "spin_accuracy": round(spin_hits / turns, 4) if turns else None,
        "pitch_accuracy": round(pitch_hits / turns, 4) if turns else None,
        "pitch_precision": round(pitch_both / pitch_flagged, 4) if pitch_flagged else None,
        "pitch_recall": round(pitch_both / pitch_true, 4) if pitch_true else None,
        "ask_kind_accuracy": round(ask_hits / turns, 4) if turns else None,
        "mean_total_by_band": {
            band: round(sum(t for b, t in zip(bands, totals, strict=True) if b == band) / bands.count(band), 1)
            for band in sorted(set(bands))
        },
    }
    return summary, rows


def run(splits: tuple[str, ...], details: bool) -> dict:
    results: dict = {}
    with tempfile.TemporaryDirectory() as directory:
        player = Player(Path(directory))
        for split in splits:
            for lang in LANGS:
                calls = load_calls(lang, split)
                if not calls:
                    continue
                summary, rows = measure(calls, player)
                results[f"{split}_{lang}"] = summary
                print(f"{split}/{lang}: {json.dumps(summary, ensure_ascii=False)}")
                if details and "heldout" not in split:
                    for row in rows:
                        if row["outcome"] != row["expected_outcome"] or row["premature_missed"]:
                            print("   ", json.dumps(row, ensure_ascii=False))
                    for row in sorted(rows, key=lambda r: (r["band"], r["total"])):
                        print(f"    band {row['band']} total {row['total']:3d} {row['outcome']:15s} {row['id']}")
        player.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--heldout", action="store_true", help="also run the held-out halves (aggregates only)")
    parser.add_argument("--details", action="store_true", help="list tune conversations (never held-out ones)")
    parser.add_argument(
        "--split",
        action="append",
        choices=SPLITS,
        help="run this split instead of tune (repeatable); held-out splits print aggregates only",
    )
    args = parser.parse_args()
    splits = tuple(args.split or ("tune",))
    if args.heldout and "heldout" not in splits:
        splits += ("heldout",)
    results = run(splits, args.details)
    previous = json.loads(RESULT_PATH.read_text(encoding="utf-8")) if RESULT_PATH.exists() else {}
    previous.update(results)
    RESULT_PATH.write_text(json.dumps(previous, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULT_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
