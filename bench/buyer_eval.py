"""Benchmark: does the offline role-play buyer behave like a real customer? (issue 15)

Plays every conversation of tests/eval/calls_<lang>_<split>.jsonl (written by outside writers, format in
the files' README) through the real offline pipeline — app.roleplay.service.decide_turn: the SPIN
classifier, the scripted buyer deciding the state, the turn feedback — in a session of the conversation's
language, and finishes with the scorecard. Reported per language and split:
  recall            labelled facts revealed somewhere in the conversation / labelled facts
  false_reveals     reveals of a fact no turn of that conversation was labelled with / all reveals
  unasked_reveals   (a second figure, not a redefinition: false_reveals is unchanged) the false reveals made on a
                    turn the writer labelled with no fact at all / all reveals: the buyer volunteering a fact to a
                    line that asked for none. The rest of false_reveals are wrong picks on a turn that did ask for a
                    fact (another one than the buyer told).
  coaching_replies  replies that name a topic the buyer has not revealed (a hidden fact's keyword in the
                    buyer's own words, not in the rep's line) or tell the rep what to ask (target 0)
  repeats_per_call  buyer sentences said before in the same conversation (the rep's line not repeated)
  english_replies   share of English-session replies without Chinese characters (target 100 %)
  spin_accuracy     classifier label == writer's label, over rep turns
  pitch_accuracy    is_pitch == writer's pitch flag
  rude_lowered      rude-labelled turns played (the call still on) whose trust delta was negative
  rude_precision    turns the buyer read as rude that the writer labelled rude
  spearman          Spearman correlation between the writer's band and the scorecard total

Run from the repo root:
    .venv/bin/python bench/buyer_eval.py                 # tune half, both languages, writes the JSON
    .venv/bin/python bench/buyer_eval.py --misses        # also lists the tune half's misses (tuning aid)
    .venv/bin/python bench/buyer_eval.py --split heldout # the held-out half: aggregates only, never misses
    .venv/bin/python bench/buyer_eval.py --split r2_tune # rounds 2-4 (other blind writers): r2_tune, r3_tune, r4_tune; *_heldout as heldout
Writes bench/results/buyer_eval.json (one entry per language and split run).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.roleplay.scenarios import Scenario, load_scenarios  # noqa: E402
from app.roleplay.scorecard import build_scorecard  # noqa: E402
from app.roleplay.scripted_buyer import ScriptedBuyer, localized  # noqa: E402
from app.roleplay.service import decide_turn  # noqa: E402
from app.roleplay.state import SessionState  # noqa: E402
from app.roleplay.topics import GENERIC_TERMS, contains  # noqa: E402
from bench import REPO_ROOT, TUNE_SPLITS  # noqa: E402
from bench.eval_calls import LANGS, SPLITS, load_calls, spearman  # noqa: E402

RESULT_PATH = REPO_ROOT / "bench" / "results" / "buyer_eval.json"

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")
# The buyer telling the rep what to do next: coaching belongs in the sidebar only.
COACHING_PATTERNS = re.compile(
    r"你(可以|应该|得|先)?(先)?问问|先问|你该问|你可以问|要不你|先从.{1,12}说起|先把.{1,12}弄清楚|好像还不太了解|你可以帮我想想|"
    r"you should ask|ask me about|why don't you ask|start with our|you could ask|you might ask|try asking",
    re.IGNORECASE,
)


@dataclass
class Tally:
    calls: int = 0
    labelled: int = 0
    recalled: int = 0
    reveals: int = 0
    false_reveals: int = 0
    unasked_reveals: int = 0
    replies: int = 0
    coaching_replies: int = 0
    repeated_sentences: int = 0
    english_replies: int = 0
    en_session_replies: int = 0
    turns: int = 0
    spin_right: int = 0
    pitch_right: int = 0
    rude_turns: int = 0
    rude_lowered: int = 0
    read_rude: int = 0
    read_rude_right: int = 0
    bands: list[int] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        def share(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        rho = spearman(self.bands, self.totals) if self.bands else None
        return {
            "calls": self.calls,
            "turns": self.turns,
            "recall": share(self.recalled, self.labelled),
            "labelled_facts": self.labelled,
            "false_reveals": share(self.false_reveals, self.reveals),
            "unasked_reveals": share(self.unasked_reveals, self.reveals),
            "reveals": self.reveals,
            "coaching_replies": self.coaching_replies,
            "replies": self.replies,
            "repeats_per_call": round(self.repeated_sentences / self.calls, 3) if self.calls else None,
            "english_replies": share(self.english_replies, self.en_session_replies),
            "spin_accuracy": share(self.spin_right, self.turns),
            "pitch_accuracy": share(self.pitch_right, self.turns),
            "rude_lowered": share(self.rude_lowered, self.rude_turns),
            "rude_turns": self.rude_turns,
            "rude_precision": share(self.read_rude_right, self.read_rude),
            "spearman": round(float(rho), 4) if rho is not None else None,
        }


def scenario_texts(scenario: Scenario, lang: str) -> list[str]:
    """Everything the buyer may say in the scenario's own words (facts, objections, signals, commitment)."""
    texts = [localized(scenario, "opening_line", lang), localized(scenario.success.commitment, "granted_text", lang)]
    texts += [localized(fact, "text", lang) for fact in scenario.all_facts()]
    for objection in scenario.objections:
        texts += [localized(objection, "text", lang), localized(objection, "resolved_text", lang)]
    texts += [localized(signal, "text", lang) for signal in scenario.buying_signals]
    return sorted(texts, key=len, reverse=True)


def coaches(scenario: Scenario, reply: str, rep_text: str, revealed: set[str], lang: str) -> bool:
    """The reply names an unrevealed fact's topic in the buyer's own words, or tells the rep what to ask."""
    own = reply.lower()
    for text in scenario_texts(scenario, lang):
        own = own.replace(text.lower(), " ")
    if COACHING_PATTERNS.search(own):
        return True
    lowered, rep_lowered = own.lower(), rep_text.lower()
    for fact in scenario.all_facts():
        if fact.id in revealed:
            continue
        for word in fact.topics.all():
            word = word.lower()
            if word in GENERIC_TERMS or len(word) < 2 or (word.isascii() and len(word) < 4):
                continue
            if contains(lowered, word) and not contains(rep_lowered, word):
                return True
    return False


def play(call: dict, scenarios: dict[str, Scenario], tally: Tally, record_misses: bool) -> None:
    scenario = scenarios[call["scenario"]]
    lang = call["lang"]
    buyer = ScriptedBuyer(scenario)
    state = buyer.opening(SessionState.start(scenario, lang)).state
    labelled = {fact for turn in call["turns"] for fact in turn["facts"]}
    said: set[str] = set()
    rep_lines: set[str] = set()
    revealed_where: dict[str, int] = {}
    tally.calls += 1
    for index, turn in enumerate(call["turns"]):
        text = turn["text"]
        spin, result, feedback = decide_turn(scenario, state, text)
        before = state.revealed_ids()
        state = result.state
        tally.turns += 1
        tally.replies += 1
        tally.spin_right += spin.label == turn["spin"]
        tally.pitch_right += spin.is_pitch == bool(turn["pitch"])
        if record_misses and spin.label != turn["spin"]:
            tally.misses.append(f"SPIN {call['id']}#{index} {turn['spin']}->{spin.label}: {text}")
        if record_misses and spin.is_pitch != bool(turn["pitch"]):
            tally.misses.append(f"PITCH {call['id']}#{index} {turn['pitch']}->{spin.is_pitch}: {text}")
        if turn["rude"]:
            tally.rude_turns += 1
            tally.rude_lowered += result.trust_delta < 0
            if record_misses and result.trust_delta >= 0:
                tally.misses.append(f"RUDE-MISSED {call['id']}#{index} delta {result.trust_delta}: {text}")
        if feedback.tone == "rude":
            tally.read_rude += 1
            tally.read_rude_right += bool(turn["rude"])
            if record_misses and not turn["rude"]:
                tally.misses.append(f"RUDE-FALSE {call['id']}#{index} ({result.rude_kind}): {text}")
        for fact_id in result.new_facts:
            revealed_where[fact_id] = index
            tally.reveals += 1
            if fact_id not in labelled:
                tally.false_reveals += 1
                tally.unasked_reveals += not turn["facts"]
                if record_misses:
                    tally.misses.append(f"FALSE {call['id']}#{index} {fact_id}: {text}")
        if coaches(scenario, result.text, text, before | set(result.new_facts), lang):
            tally.coaching_replies += 1
            if record_misses:
                tally.misses.append(f"COACHING {call['id']}#{index}: {result.text}")
        repeated_rep = text in rep_lines
        rep_lines.add(text)
        for sentence in (piece.strip() for piece in _SENTENCE.findall(result.text)):
            if len(sentence) < 4:
                continue
            if sentence in said and not repeated_rep:
                tally.repeated_sentences += 1
                if record_misses:
                    tally.misses.append(f"REPEAT {call['id']}#{index}: {sentence}")
            said.add(sentence)
        if lang == "en":
            tally.en_session_replies += 1
            tally.english_replies += not _CJK.search(result.text)
        if record_misses:
            expected = set(turn["facts"]) - state.revealed_ids()
            if expected:
                held = f" held={result.held_back}:{result.held_fact}" if result.held_back else ""
                tally.misses.append(
                    f"MISS {call['id']}#{index} {sorted(expected)} [{spin.label} trust {state.trust}"
                    f"{held}]: {text} -> {result.text}"
                )
        if state.finished:
            break
    revealed = state.revealed_ids()
    tally.labelled += len(labelled)
    tally.recalled += len(labelled & revealed)
    tally.bands.append(call["band"])
    tally.totals.append(build_scorecard(scenario, state).total)


def evaluate(lang: str, split: str, record_misses: bool = False) -> Tally:
    scenarios = load_scenarios()
    tally = Tally()
    for call in load_calls(lang, split):
        play(call, scenarios, tally, record_misses and split in TUNE_SPLITS)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="tune")
    parser.add_argument("--misses", action="store_true", help="print the tune half's misses (never the held-out's)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = json.loads(RESULT_PATH.read_text()) if RESULT_PATH.exists() else {}
    for lang in LANGS:
        tally = evaluate(lang, args.split, args.misses)
        if not tally.calls:
            print(f"{lang} {args.split}: no conversations")
            continue
        summary = tally.summary()
        results[f"{lang}_{args.split}"] = summary
        print(f"{lang} {args.split}: " + json.dumps(summary, ensure_ascii=False))
        if args.misses and args.split in TUNE_SPLITS:
            for line in tally.misses:
                print("   ", line)
    if not args.no_write:
        RESULT_PATH.parent.mkdir(parents=True, exist_ok=True)
        RESULT_PATH.write_text(json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

__all__ = ["Tally", "asdict", "evaluate", "load_calls"]
