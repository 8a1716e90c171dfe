"""The SPIN label of a rep's turn in a role-play: the offline classifier's reading, corrected by what only the call
knows. A rude remark (an insult, a verdict on the buyer, his people or his current way, running down a rival) is not a
SPIN question, even when a question mark or a cue word makes it look like one ("还靠调度员拍脑袋派车啊？太落后了吧。",
"Handwritten records? Seriously?"): a rude turn is "other" unless it still asks for information with a question word
("…, so how many trucks do you actually run?"); then the classifier's label stands. A long question-led turn (context
or framing, then real questions: app/roleplay/long_turns.py) is read from its questions and is no pitch."""

from __future__ import annotations

from dataclasses import replace

from app.coaching.spin import SpinResult, classify_spin
from app.roleplay.long_turns import read_long_turn
from app.roleplay.phrases import any_pattern, buyer_cues
from app.roleplay.scenarios import Scenario
from app.roleplay.scripted_buyer import own_names
from app.roleplay.tone import RudeKind, tone_reader

# Kinds of rudeness that make a remark rather than a question (pushing and monologues may still ask something).
REMARK_KINDS: frozenset[RudeKind] = frozenset({"insult", "rival"})
_QUESTION_WORD = any_pattern(buyer_cues().question_words)


def is_rude_remark(scenario: Scenario, rep_text: str) -> bool:
    """Whether a turn insults the buyer, his people, his current way or company, or runs down a rival."""
    # the rules alone: a remark they name; the classifier's verdict changes the buyer's reaction, not the SPIN label
    kind = tone_reader().read(
        rep_text, own_names=own_names(scenario), rivals=scenario.competitors, presented="", use_model=False
    )
    return kind in REMARK_KINDS


def read_spin(scenario: Scenario, rep_text: str) -> SpinResult:
    """The classifier's result for a rep's turn, a rude remark read as "other", a long question-led turn read from its
    questions (see the module doc)."""
    whole = classify_spin(rep_text)
    long_turn = read_long_turn(rep_text, whole)
    spin = long_turn.spin if long_turn is not None else whole
    if spin.label == "other" or _QUESTION_WORD.search(rep_text.lower()) or not is_rude_remark(scenario, rep_text):
        return spin
    return replace(spin, label="other", cues=[])


__all__ = ["REMARK_KINDS", "is_rude_remark", "read_spin"]
