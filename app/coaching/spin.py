"""Offline SPIN classifier: labels a sales rep's utterance as Situation / Problem / Implication / Need-payoff / other.

SPIN (Neil Rackham) as taught in source 004_090d296c08092e30.txt: Situation questions gather
facts about the buyer's current state, Problem questions probe difficulties and dissatisfaction,
Implication questions enlarge a problem by asking about its consequences and cost, and Need-payoff
questions let the buyer state the value of a solution.  Everything that is not such a question
(product pitch, greeting, small talk, asking for a meeting or signature, closing, filler) is "other".

The classifier is deterministic and needs no network or model files: weighted cue phrases
(Chinese and English) come from spin_lexicon.yaml next to this module, plus a few precedence rules:
  * a conditional whose condition gets better ("如果…能…会…", "if you could…") points to N,
  * a conditional whose problem persists ("如果…一直…会…", "if this continues…") points to I,
  * statements (no question form) lean to "other"; pitch / commitment / social cues feed "other",
  * in a turn that asks a question, the question sentence decides (a lead-in pitch only sets is_pitch),
  * a question with no cue at all defaults to S; ties prefer I > N > P > S > other.

Usage:
    from app.coaching.spin import classify_spin, label_name
    result = classify_spin("如果库存能实时准确，对您的生产计划有什么帮助？")
    result.label        # "N"
    label_name(result.label, "zh")  # "解决性问题"
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

SpinLabel = Literal["S", "P", "I", "N", "other"]
SPIN_LABELS: tuple[SpinLabel, ...] = ("S", "P", "I", "N", "other")
QUESTION_LABELS: tuple[SpinLabel, ...] = ("S", "P", "I", "N")

LEXICON_PATH = Path(__file__).with_name("spin_lexicon.yaml")

# Long monologues are cut to their head and tail so a call stays well under a millisecond;
# the question a rep asks sits at the start or (more often) the end of a turn.
MAX_CHARS = 1000
# Score every utterance starts with for "other", so a statement without any cue is "other"...
OTHER_PRIOR = 0.6
# ...while a question without any SPIN cue is most likely a Situation question: those are the most
# varied in wording, and pitches / commitment asks have their own cues.
QUESTION_OTHER_PRIOR = 0.3
QUESTION_S_PRIOR = 0.4
# A statement (no question form at all) keeps only this share of its SPIN cue weight...
STATEMENT_SPIN_FACTOR = 0.35
# ...and "other" gets this bonus, because SPIN categories are questions.
STATEMENT_OTHER_BONUS = 1.0
# Inside a turn that asks a question, statement sentences count this much for the SPIN labels...
CONTEXT_SENTENCE_FACTOR = 0.5
# ...and this much for "other": the question decides the label, a lead-in pitch or greeting
# before it still sets is_pitch but hardly moves the label.
CONTEXT_OTHER_FACTOR = 0.2
# Softmax temperature for the confidence.  Chosen on the TRAIN split so that mean confidence is
# about 0.9, a little under the (optimistic, rules were written from it) train accuracy;
# bench/spin_eval.py prints a reliability table to check it.
CONFIDENCE_TEMPERATURE = 0.5

# On equal scores prefer the more specific label: Situation cues are mostly generic question words
# ("多少", "哪", "how many") that also occur in Problem / Implication / Need-payoff questions.
TIE_BREAK_ORDER: tuple[SpinLabel, ...] = ("I", "N", "P", "S", "other")

_LABEL_NAMES: dict[str, tuple[str, str]] = {
    "S": ("情境性问题", "Situation"),
    "P": ("探究性问题", "Problem"),
    "I": ("暗示性问题", "Implication"),
    "N": ("解决性问题", "Need-payoff"),
    "other": ("其他", "Other"),
}

_SENTENCE_SPLIT = re.compile(r"(?<=[。!?;\n？！；])")


@dataclass(frozen=True)
class SpinResult:
    """Outcome of classify_spin for one utterance."""

    label: SpinLabel
    confidence: float  # 0..1, softmax share of the winning label
    cues: list[str]  # matched cue words that support the label
    is_question: bool
    is_pitch: bool  # the rep presents / sells the product, company or solution
    asks_commitment: bool  # the rep asks for a next step: meeting, introduction, demo, trial, signature
    scores: dict[str, float] = field(default_factory=dict, compare=False)  # raw per-label scores, for debugging

    @property
    def playbook_id(self) -> str | None:
        """Playbook element id of the label (spin.situation, ...), None for "other"."""
        return spin_playbook_id(self.label)


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class _Lexicon:
    label_cues: dict[str, list[_Cue]]
    pitch: list[_Cue]
    commitment: list[_Cue]
    social: list[_Cue]
    question: list[re.Pattern[str]]
    conditional_marker: re.Pattern[str]
    conditional_positive: re.Pattern[str]
    conditional_negative: re.Pattern[str]
    conditional_negated: re.Pattern[str]
    n_bonus: float
    i_bonus: float
    playbook_ids: dict[str, str | None]


def _compile(pattern: str) -> re.Pattern[str]:
    """Compile a cue; pure-ASCII cues only match at a word start."""
    if pattern.isascii() and not pattern.startswith("^"):
        pattern = rf"(?<![a-z])(?:{pattern})"
    return re.compile(pattern, re.IGNORECASE)


def _cues(mapping: dict[str, float] | None) -> list[_Cue]:
    return [_Cue(_compile(str(pattern)), float(weight)) for pattern, weight in (mapping or {}).items()]


@functools.cache
def _lexicon() -> _Lexicon:
    raw = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    labels = raw["labels"]
    conditional = raw["conditional"]
    return _Lexicon(
        label_cues={label: _cues(labels[label].get("cues")) for label in SPIN_LABELS},
        pitch=_cues(raw["pitch"]),
        commitment=_cues(raw["commitment"]),
        social=_cues(raw["social"]),
        question=[_compile(pattern) for pattern in raw["question"]],
        conditional_marker=_compile(conditional["marker"]),
        conditional_positive=_compile(conditional["positive"]),
        conditional_negative=_compile(conditional["negative"]),
        conditional_negated=_compile(conditional["negated"]),
        n_bonus=float(conditional["n_bonus"]),
        i_bonus=float(conditional["i_bonus"]),
        playbook_ids={label: labels[label].get("playbook_id") for label in SPIN_LABELS},
    )


def label_name(label: str, lang: str = "zh") -> str:
    """Display name of a label: 情境性问题 / Situation, ..., 其他 / Other."""
    zh, en = _LABEL_NAMES[label]
    return zh if lang.startswith("zh") else en


def spin_playbook_id(label: str) -> str | None:
    """Playbook element id for a label (spin.situation, spin.problem, ...); None for "other"."""
    return _lexicon().playbook_ids.get(label)


def _normalise(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_CHARS:
        half = MAX_CHARS // 2
        text = text[:half] + "\n" + text[-half:]
    return unicodedata.normalize("NFKC", text).strip().lower()


def _is_question(sentence: str, lexicon: _Lexicon) -> bool:
    return any(pattern.search(sentence) for pattern in lexicon.question)


def _match(cues: list[_Cue], text: str, found: list[str]) -> float:
    """Total weight of the cues that occur in text; the matched words are appended to found."""
    total = 0.0
    for cue in cues:
        hit = cue.pattern.search(text)
        if hit:
            total += cue.weight
            word = hit.group(0).strip()
            if word and word not in found:
                found.append(word)
    return total


def _conditional_bonus(sentence: str, lexicon: _Lexicon) -> tuple[str, str] | None:
    """("N"|"I", marker) when the sentence is a conditional that points to one of them."""
    marker = lexicon.conditional_marker.search(sentence)
    if not marker:
        return None
    # The condition is what follows the marker (or precedes "的话") up to the first comma.
    if marker.group(0) in ("的话", "以后", "之后"):
        condition = sentence[: marker.start()]
    else:
        condition = re.split(r"[,，]", sentence[marker.end():], maxsplit=1)[0]
    # A persisting or striking problem wins over any positive word ("一直得不到解决" contains
    # "解决"), but a negated failure ("不再宕机") is an improvement, not a problem.
    without_negated = lexicon.conditional_negated.sub(" ", condition)
    if lexicon.conditional_negative.search(without_negated):
        return "I", marker.group(0)
    if lexicon.conditional_positive.search(condition) or without_negated != condition:
        return "N", marker.group(0)
    return None


def classify_spin(text: str) -> SpinResult:
    """Classify one rep utterance (Chinese or English) into S / P / I / N / other."""
    lexicon = _lexicon()
    normalised = _normalise(text)
    if not normalised:
        return SpinResult("other", 1.0, [], False, False, False, {label: 0.0 for label in SPIN_LABELS})

    sentences = [s.strip() for s in _SENTENCE_SPLIT.split(normalised) if s.strip()]
    question_flags = [_is_question(s, lexicon) for s in sentences]
    is_question = any(question_flags)

    scores: dict[str, float] = {label: 0.0 for label in SPIN_LABELS}
    found: dict[str, list[str]] = {label: [] for label in SPIN_LABELS}
    pitch_found: dict[str, list[str]] = {"pitch": [], "commitment": [], "social": []}
    side = {"pitch": 0.0, "commitment": 0.0, "social": 0.0}  # weighted evidence for "other"
    flags = {"pitch": 0.0, "commitment": 0.0, "social": 0.0}  # unweighted, for is_pitch / asks_commitment
    side_cues = {"pitch": lexicon.pitch, "commitment": lexicon.commitment, "social": lexicon.social}

    for sentence, asks in zip(sentences, question_flags):
        # In a turn that asks something, the question sentences carry the SPIN type;
        # in a pure statement everything is weak evidence.
        if is_question:
            factor = 1.0 if asks else CONTEXT_SENTENCE_FACTOR
        else:
            factor = STATEMENT_SPIN_FACTOR
        for label in QUESTION_LABELS:
            scores[label] += factor * _match(lexicon.label_cues[label], sentence, found[label])
        bonus = _conditional_bonus(sentence, lexicon)
        if bonus:
            target, marker = bonus
            scores[target] += (lexicon.n_bonus if target == "N" else lexicon.i_bonus) * factor
            if marker not in found[target]:
                found[target].append(marker)
        other_factor = 1.0 if (asks or not is_question) else CONTEXT_OTHER_FACTOR
        for kind, cues in side_cues.items():
            weight = _match(cues, sentence, pitch_found[kind])
            flags[kind] += weight
            side[kind] += other_factor * weight

    is_pitch = flags["pitch"] >= 2.0
    asks_commitment = flags["commitment"] >= 3.0
    scores["other"] = side["pitch"] + side["commitment"] + side["social"]
    if is_question:
        scores["other"] += QUESTION_OTHER_PRIOR
        # A bare "？" or "嗯？" asks nothing about the buyer's situation.
        has_words = len(re.findall(r"\w", normalised)) >= 2
        if has_words and not any(scores[name] for name in QUESTION_LABELS):
            scores["S"] += QUESTION_S_PRIOR
    else:
        scores["other"] += OTHER_PRIOR + STATEMENT_OTHER_BONUS

    label: SpinLabel = max(SPIN_LABELS, key=lambda name: (scores[name], -TIE_BREAK_ORDER.index(name)))
    confidence = _softmax_share(scores, label)
    if label == "other":
        cues = pitch_found["commitment"] + pitch_found["pitch"] + pitch_found["social"]
    else:
        cues = found[label]
    return SpinResult(
        label=label,
        confidence=confidence,
        cues=list(cues),
        is_question=is_question,
        is_pitch=is_pitch,
        asks_commitment=asks_commitment,
        scores={name: round(value, 3) for name, value in scores.items()},
    )


def _softmax_share(scores: dict[str, float], label: str) -> float:
    top = max(scores.values())
    exps = {name: math.exp((value - top) / CONFIDENCE_TEMPERATURE) for name, value in scores.items()}
    return round(exps[label] / sum(exps.values()), 4)
