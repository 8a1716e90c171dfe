"""Long question-led turns (issue 15, "long compound" style): a long, polite turn that sets some context and then asks
real questions about the buyer's situation is a question, not a pitch or a monologue.

Read on structure, with the words as data (playbooks/buyer/long_turns.yaml): the turn's sentences are split into
framing (the seller's own side mentioned only to defer it or to show humility: "我们做过不少地市的项目，不过每个城市
情况都不一样", "Before I get into our platform, ..."), questions (question sentences, framing clauses taken out, that
are more than a request for agreement) and the rest (context). The turn is question-led when it is long, asks at least
one such question of a SPIN kind, and neither the questions nor the context state a claim about the product. Then the
questions alone decide its SPIN label and what it asks about; the framing is neither a pitch nor presenting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from app.coaching.spin import SpinResult, classify_spin
from app.playbook.data import load_yaml_model
from app.playbook.models import Strict
from app.roleplay.asks import states_claim
from app.roleplay.phrases import BUYER_DIR, PhraseDataError, Words, any_pattern, buyer_cues
from app.roleplay.rubric import get_rubric
from app.roleplay.tone import is_question_sentence, over_length, split_sentences

LONG_TURNS_PATH: Path = BUYER_DIR / "long_turns.yaml"

_CLAUSE = re.compile(r"[^，,；;：:]+[，,；;：:]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ASKS = any_pattern(buyer_cues().question_words)  # a clause asking for information (not "几所" in a lead-in)


class MinChars(Strict):
    zh: int = Field(ge=20)
    en: int = Field(ge=60)


class LongTurnRules(Strict):
    source: list[str] = Field(min_length=1)
    min_chars: MinChars
    framing: Words
    agreement_tags: Words


def load_long_turn_rules(path: Path = LONG_TURNS_PATH) -> LongTurnRules:
    """Read and validate the rules; any problem (a bad pattern included) raises PhraseDataError naming the file."""
    rules = load_yaml_model(path, LongTurnRules, PhraseDataError, "buyer data")
    for field in ("framing", "agreement_tags"):
        for pattern in getattr(rules, field).all():
            try:
                re.compile(pattern)
            except re.error as problem:
                raise PhraseDataError(
                    f"{path.name}: {field}: pattern {pattern!r} does not compile: {problem}"
                ) from None
    return rules


@dataclass(frozen=True)
class _Patterns:
    rules: LongTurnRules
    framing: re.Pattern[str]
    tag: re.Pattern[str]


@lru_cache(maxsize=1)
def long_turn_rules() -> LongTurnRules:
    return load_long_turn_rules()


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    rules = long_turn_rules()
    return _Patterns(rules, any_pattern(rules.framing), any_pattern(rules.agreement_tags))


@dataclass(frozen=True)
class LongTurn:
    """A long question-led turn: its questions (framing clauses taken out), in order, and their SPIN reading."""

    questions: tuple[str, ...]
    spin: SpinResult

    @property
    def asked(self) -> str:
        """The questions as one text (what the buyer reads for topics)."""
        return (" " if not _CJK.search("".join(self.questions)) else "").join(self.questions)


def _clauses(sentence: str) -> list[str]:
    return _CLAUSE.findall(sentence) or [sentence]


def _claims_product(clause: str) -> bool:
    """What the product does or costs, said by the seller: never framing, whatever humility comes with it. Experience
    ("我们之前去过几家医院", "we've visited a number of hospitals") is framing."""
    claims = get_rubric().claims
    return (
        claims.matches("product_benefit", clause)
        or claims.matches("price", clause)
        or (claims.matches("seller", clause) and claims.matches("capability", clause))
    )


def _framing_sentence(sentence: str, framing: re.Pattern[str]) -> bool:
    if not framing.search(sentence):
        return False
    return not any(_claims_product(clause) for clause in _clauses(sentence) if not framing.search(clause))


def _without_framing(question: str, framing: re.Pattern[str]) -> str:
    """A question sentence without its framing: the lead-in up to its last framing clause when nothing in it asks or
    claims ("我们之前也跟几所高校打过交道，但每个学校差别很大，所以想先请教一下：现在课表怎么排？"), else the framing
    clauses alone."""
    clauses = _clauses(question)
    framed = [index for index, clause in enumerate(clauses) if framing.search(clause)]
    if not framed:
        return question
    lead_in = clauses[: framed[-1] + 1]
    if not any(_ASKS.search(clause) or _claims_product(clause) for clause in lead_in if not framing.search(clause)):
        return "".join(clauses[framed[-1] + 1 :])
    return "".join(clause for clause in clauses if not framing.search(clause))


def _is_tag(question: str, tag: re.Pattern[str]) -> bool:
    """A question that only asks the buyer to agree with what was said ("…，您看怎么样？", "…, isn't it?")."""
    return bool(tag.search(question.strip()))


def read_long_turn(text: str, whole: SpinResult | None = None) -> LongTurn | None:
    """The reading of a long question-led turn, or None when the turn is short, asks nothing real, or pitches. whole:
    classify_spin(text) when the caller has it already (it is not classified again)."""
    patterns = _patterns()
    limits = patterns.rules.min_chars
    if not over_length(text, limits.zh, limits.en):
        return None
    questions: list[str] = []
    rest: list[str] = []
    for sentence in split_sentences(text):
        if not is_question_sentence(sentence):
            if not _framing_sentence(sentence, patterns.framing):
                rest.append(sentence)
            continue
        kept = _without_framing(sentence, patterns.framing).strip()
        if not kept:
            continue
        if _is_tag(kept, patterns.tag):
            rest.append(kept)
        else:
            questions.append(kept)
    if not questions:
        return None
    unframed = " ".join([*rest, *questions])
    if states_claim(unframed) or classify_spin(unframed).is_pitch or (whole or classify_spin(text)).asks_commitment:
        return (
            None  # a pitch with a question, or a proposal of a next step ("Here is my proposal: ... Would that work?")
        )
    spin = classify_spin(" ".join(questions))
    if spin.label == "other":
        return None
    return LongTurn(tuple(questions), replace(spin, is_question=True, is_pitch=False))


__all__ = ["LONG_TURNS_PATH", "LongTurn", "LongTurnRules", "load_long_turn_rules", "long_turn_rules", "read_long_turn"]
