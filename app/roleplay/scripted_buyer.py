"""Offline scripted buyer: a deterministic simulated customer that reveals hidden facts to questions on their topic.

What the buyer understood of a rep's turn (SPIN label, pitch, next-step ask, tone, role-breaking, and —
from a model, when one reads the turn — which askable facts it is about) arrives as an `Understanding`;
without one the buyer reads the turn offline (`understand`). The state then decides: a question on a
fact's topic gets the fact once its prerequisites are told and trust is high enough; a fact held back
gets an in-character reason (we just met / that number is sensitive / you do not know our business
yet), and `BuyerTurn.held_back` tells the coach sidebar why. The buyer never coaches: he does not name
topics he has not told, nor say what to ask. His words around the scenario's texts come from
playbooks/buyer/phrases.yaml (per style, situation and language), no variant twice in a session while
another is left. The session's language (`SessionState.lang`) decides the language he speaks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from app.coaching.spin import SpinLabel, split_sentences
from app.i18n import Lang
from app.playbook.vocabulary import LETTER_CATEGORY
from app.roleplay.asks import (
    GAP_CATEGORIES,
    Ask,
    SpinLike,
    classify_ask,
    is_premature_pitch,
    judge_ask,
    missing_key_category,
    offers_price,
    states_claim,
)
from app.roleplay.broad_asks import broad_category, lead_order
from app.roleplay.long_turns import read_long_turn
from app.roleplay.phrases import any_pattern, buyer_cues, phrase_options, tone_lexicon
from app.roleplay.scenarios import Fact, Objection, Scenario
from app.roleplay.state import RevealedFact, SessionState, TurnEvent, TurnRecord, count_words
from app.roleplay.tone import RudeKind, short_forms, tone_reader
from app.roleplay.topics import FACT_TEXT, MIN_TERM_SCORE, TopicMatch, likeness_language, mentions, topic_index

# --- rules of the buyer (trust deltas are on the 0..100 trust scale) ----------------------------

TRUST_REVEAL = 6  # a question that uncovers a fact
TRUST_ON_TOPIC = 3  # a question on a topic the buyer holds back: asking well still builds trust
TRUST_STYLE_FIT = 2  # the rep talks the way this communication style likes
TRUST_VALUE_PITCH = 4  # presenting value after the need is explicit
TRUST_OBJECTION_HANDLED = 6
TRUST_COMMITMENT_WON = 5
TRUST_PREMATURE_PITCH = -8
TRUST_EARLY_ASK = -4  # asking for a commitment before any need is explicit
TRUST_INJECTION = -5
TRUST_RUDE = -10  # every rude turn; a second and later ones cost more
TRUST_RUDE_AGAIN = -15
MIN_TRUST_WITHOUT_RUDENESS = 1  # trust a turn without rudeness cannot go below
RUDE_TURNS_TO_END = 3  # the buyer ends the call after this many rude turns (or when trust reaches 0)
MAX_TURNS = 40
# A fact opens when trust reaches its min_trust less this slack: the scenario thresholds were set for a
# stricter buyer, and reps asking good questions in a natural order fell a few points short (issue 15).
TRUST_SLACK = 10
MAX_REVEALS = 2  # facts told in one reply, for a compound question that clearly asks about two
COMPOUND_CHARS_ZH, COMPOUND_CHARS_EN = 60, 180  # a question this long may be compound even with one question mark

# A question labeled with one SPIN type may also reach the next stage's fact when it clearly carries
# that stage's cues too (its classify_spin score: at least 1 point and half the label's own score).
NEIGHBOUR_STAGE: dict[str, str] = {"S": "P", "P": "I", "I": "N", "N": "I"}
# A question names a fact plainly when its own clause hits the fact's keywords with at least this weight (one keyword
# that no other fact shares weighs 2): then the fact's prerequisites relax (ScriptedBuyer._clearly_asked).
CLEAR_ASK_SCORE = 1.0
# Stages one step apart on the S-P-I-N line: the labels the classifier most often confuses.
ADJACENT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "situation": ("problem",),
    "problem": ("situation", "implication"),
    "implication": ("problem", "need_payoff"),
    "need_payoff": ("implication",),
}
MIN_NEIGHBOUR_EVIDENCE = 1.0
MIN_NEIGHBOUR_SHARE = 0.5
# A question is about the untold fact its words point at most clearly, held back or askable alike: a fact the buyer
# may tell is what was asked only when its topic evidence is at least this share of the best untold fact's. Otherwise
# the rep asked about the held-back one ("客户经理要看一个客户的全貌…怎么查？" asks about the scattered view, not the
# customer base), and the buyer does not slide to a lesser match.
DOMINANT_SHARE = 0.5

# The buyer's cue words (playbooks/buyer/cues.yaml). Words that ask about a whole SPIN category rather than one topic
# ("有什么难处？", "What goes wrong?"); a vague "你们情况怎么样？" gets "what exactly do you mean?", not a fact.
GENERAL_ASKS: dict[str, tuple[str, ...]] = {
    category: tuple(words.all()) for category, words in buyer_cues().general_asks.items()
}
# Words that point back at what the buyer just said: a question with one may follow up on it.
REFERS_BACK = tuple(buyer_cues().refers_back.all())
TERSE = buyer_cues().terse_follow_up
PRICE_WORDS = tuple(buyer_cues().price.all())
COMPETITOR_WORDS = tuple(buyer_cues().competitor.all())
# Words that ask about the buyer's organisation and what it does: only such a question can be off his business.
COMPANY_ASKS = tuple(buyer_cues().company_asks.all())
# Parts every organisation has (production, stock, staff, customers): a question about one is never off his business.
BUSINESS_BASICS = tuple(buyer_cues().business_basics.all())
# Words that show the rep adapting to the buyer's communication style (seed 001, 沟通风格).
STYLE_CUES: dict[str, tuple[str, ...]] = {style: tuple(words.all()) for style, words in buyer_cues().style_cues.items()}

_FIGURE = re.compile(r"\d|[一二三四五六七八九十百千万亿两]+(成|个点|万|亿|%|倍|天|小时|分钟|个月)|[％%]|万元|亿元")
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")

Tone = Literal["ok", "rude"]
HeldReason = Literal["trust", "sensitive", "context"]


class Understanding(BaseModel):
    """What the buyer understood of one rep turn, offline (`understand`) or from a model (llm_understanding)."""

    label: SpinLabel
    is_question: bool
    is_pitch: bool
    asks_commitment: bool
    scores: dict[str, float] = Field(default_factory=dict)
    tone: Tone = "ok"
    rude_kind: RudeKind | None = None
    injection: bool = False
    fact_ids: list[str] | None = None  # a model's reading: the askable facts the turn is about (None: offline)
    source: Literal["offline", "llm"] = "offline"


class BuyerTurn(BaseModel):
    """The buyer's reply to one rep turn and what it changed; `state` is the new state (the input is untouched)."""

    text: str
    state: SessionState
    spin_label: str | None = None
    new_facts: list[str] = Field(default_factory=list)
    objection_raised: str | None = None
    objection_handled: str | None = None
    signal_shown: str | None = None
    commitment_asked: bool = False
    commitment_won: bool = False
    premature_pitch: bool = False
    injection_blocked: bool = False
    trust_delta: int = 0
    tone: Tone = "ok"
    rude_kind: RudeKind | None = None
    held_back: HeldReason | None = None  # why a fact the rep asked about stayed hidden (for the sidebar)
    held_fact: str | None = None  # ... which one (the sidebar may name its topic; the buyer never does)
    held_need: str | None = None  # for "context": the fact the buyer wants understood first


def pick(options: list[str], *keys: object) -> str:
    """Choose a variant deterministically from a stable hash of the keys (never random, never hash())."""
    return options[_index(len(options), *keys)]


def _index(count: int, *keys: object) -> int:
    digest = hashlib.sha256("|".join(str(key) for key in keys).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % count


def is_injection(text: str) -> bool:
    """True when the text tries to get the buyer out of character or to dump its hidden facts."""
    compact = _SPACE.sub(" ", text.lower())
    return mentions(compact, tone_lexicon().injection.all())


_PARENTHESES = re.compile(r"[（(][^）)]*[）)]")


def own_names(scenario: Scenario) -> list[str]:
    """How a rep names the buyer's company: its name without "（虚构）" and its first two characters ("通衢"), the
    first word of the English name ("Tongqu")."""
    names = short_forms([_PARENTHESES.sub("", scenario.company.name).strip()])
    english = _PARENTHESES.sub("", getattr(scenario.company, "name_en", "") or "").strip()
    if english:
        names.append(english.split()[0])
    return [item for item in names if item]


def read_tone(
    text: str,
    competitors: list[str],
    refusals_in_a_row: int,
    spin: SpinLike,
    held_before: bool = False,
    names: list[str] | None = None,
) -> RudeKind | None:
    """Whether a rep's turn is rude, and how (app/roleplay/tone.py, lexicon in playbooks/buyer/rudeness.yaml): an
    insult (profanity, name-calling, contempt, a threat, brushing the buyer off, shouting, or a verdict on him, his
    people, his current way or his company), disparaging a rival, pushing (commands, ultimatums, unhedged urgency to
    decide, a third ask in a row after two refusals, insisting right after the buyer held something back), or a
    monologue (a long turn that presents rather than asks). `names`: the buyer's company names (own_names)."""
    asks = spin.is_question and (not spin.is_pitch or "?" in text or "？" in text)
    return tone_reader().read(
        text,
        own_names=names or (),
        rivals=competitors,
        presented=presented_part(text) if asks else text,
        asks_commitment=spin.asks_commitment,
        refusals_in_a_row=refusals_in_a_row,
        held_before=held_before,
    )


_CLAUSES = re.compile(r"[^，,。！？!?；;：:\n]+[，,。！？!?；;：:]*")
# Clauses that ask and clauses that set up what is asked (playbooks/buyer/cues.yaml).
_INTERROGATIVE = any_pattern(buyer_cues().interrogative)
_CONDITION = any_pattern(buyer_cues().condition)
_QUESTION_WORD = any_pattern(buyer_cues().question_words)
_TOPIC_COMMENT = any_pattern(buyer_cues().topic_comment)
_MARKS = re.compile(r"[?？]")
_SENTENCE_END = ("。", "！", "？", "!", "?", ".", ";", "；")


def _asking(clauses: list[str]) -> list[bool]:
    """Which clauses ask something (an interrogative word or a question mark) or set up what is asked (a condition,
    "要是…，" "If…,", up to the end of its sentence)."""
    flags: list[bool] = []
    conditional = False
    opened = 0  # where the current sentence starts
    for index, clause in enumerate(clauses):
        conditional = conditional or bool(_CONDITION.search(clause))
        flags.append(conditional or bool(_INTERROGATIVE.search(clause)))
        if _TOPIC_COMMENT.search(clause):  # "…的损失，大概是个什么量级？": the topic before it is asked about
            flags[opened:index] = [True] * (index - opened)
        if clause.rstrip().endswith(_SENTENCE_END):
            conditional = False
            opened = index + 1
    return flags


def _clauses(text: str) -> list[str]:
    """The clauses of a line, English sentences apart ("Thank you, I'm glad the wards are calmer. How are...")."""
    return [clause for sentence in split_sentences(text) for clause in _CLAUSES.findall(sentence)]


def question_focus(text: str) -> str:
    """The clauses of a rep's line that ask something or set up what is asked (`_asking`), or the whole line when no
    clause asks: a lead-in that restates the card ("您这儿九百多台风机，") only sets the scene."""
    clauses = _clauses(text)
    if len(clauses) <= 1:
        return text
    focus = [clause for clause, asks in zip(clauses, _asking(clauses), strict=True) if asks]
    if not any(_INTERROGATIVE.search(clause) for clause in focus):
        return text
    return "".join(focus)


def question_units(text: str) -> list[str]:
    """The separate questions of a rep's turn, in order: a unit runs up to the end of a sentence that asks, or up to
    the next clause that asks again ("How do you dispatch, and how often do trucks run empty?" is two). A clause that
    asks nothing (a lead-in, "您这一百多台车，") belongs to the question after it; one after the last question, to it."""
    units: list[str] = []
    current: list[str] = []
    asks = False
    for clause in _clauses(text):
        clause_asks = bool(_INTERROGATIVE.search(clause))
        # within a sentence only a question word asks again: "…, or clients drifting away?" is one choice question
        if asks and _QUESTION_WORD.search(clause):
            units.append("".join(current))
            current, asks = [], False
        current.append(clause)
        asks = asks or clause_asks
        if asks and clause.rstrip().endswith(_SENTENCE_END):
            units.append("".join(current))
            current, asks = [], False
    if current and units and not asks:
        units[-1] += "".join(current)
    elif current:
        units.append("".join(current))
    return units


def presented_part(text: str) -> str:
    """The clauses of a rep's line that neither ask nor set up what is asked: what he presents (the whole line when
    nothing in it asks; nothing when it is one asking clause)."""
    clauses = _clauses(text) or [text]
    flags = _asking(clauses)
    if not any(flags):
        return text
    return "".join(clause for clause, asks in zip(clauses, flags, strict=True) if not asks)


def refusals_in_a_row(state: SessionState) -> int:
    """How many of the last rep turns in a row the buyer declined a next step on."""
    count = 0
    for record in reversed(state.history):
        if not record.declined:
            break
        count += 1
    return count


def is_terse(text: str) -> bool:
    """A short question: at most TERSE.max_length characters (Chinese) or words (English)."""
    if _CJK.search(text):
        return len(re.sub(r"[\s\W]", "", text)) <= TERSE.max_length["zh"]
    return len(text.split()) <= TERSE.max_length["en"]


def understand(scenario: Scenario, state: SessionState, rep_text: str, spin: SpinLike) -> Understanding:
    """The offline reading of a rep's turn: the classifier's label and flags, tone and role-breaking."""
    last = state.history[-1] if state.history else None
    held_before = last is not None and (last.declined or last.held_back in ("trust", "sensitive"))
    kind = read_tone(
        rep_text, list(scenario.competitors), refusals_in_a_row(state), spin, held_before, own_names(scenario)
    )
    return Understanding(
        label=spin.label,
        is_question=spin.is_question,
        # a claim stated without the classifier's pitch words; a long question-led turn's framing is none
        is_pitch=spin.is_pitch or (states_claim(rep_text) and read_long_turn(rep_text) is None),
        asks_commitment=spin.asks_commitment,
        scores=dict(getattr(spin, "scores", None) or {}),
        tone="rude" if kind else "ok",
        rude_kind=kind,
        injection=is_injection(rep_text),
    )


def fact_text(fact: Fact, lang: str) -> str:
    """What the buyer says when telling a fact, in the session's language (zh while a scenario has no English)."""
    return (getattr(fact, "text_en", None) or fact.text) if lang == "en" else fact.text


def localized(item: object, field: str, lang: str) -> str:
    """A scenario text field in the session's language, falling back to Chinese while `<field>_en` is missing."""
    if lang == "en":
        english = getattr(item, f"{field}_en", None)
        if english:
            return english
    return getattr(item, field)


def askable_facts(scenario: Scenario, state: SessionState) -> list[Fact]:
    """Facts not yet told that a rep's question may reach this turn.

    A fact's prerequisites need not all be told: one step of the chain may be skipped (a missing
    prerequisite whose own prerequisites are told), because a real buyer answers a good question asked a
    little out of order, and a refused or missed step must not leave the rest of the chain dead.
    """
    revealed = state.revealed_ids()
    by_id = {fact.id: fact for fact in scenario.all_facts()}

    def told_or_near(fact_id: str) -> bool:
        return fact_id in revealed or all(required in revealed for required in by_id[fact_id].requires)

    return [
        fact
        for fact in scenario.all_facts()
        if fact.id not in revealed and all(told_or_near(required) for required in fact.requires)
    ]


_NO_MATCH = TopicMatch()


@dataclass(frozen=True)
class TopicReading:
    """How one rep text (a whole turn, or one question of a compound turn) bears on each fact: the topic matches of
    the text and of the clause that carries its question (the focus), and its likeness to each fact's own text
    (measured in `likeness_lang`) with how many pieces of that text it shares. Built by ScriptedBuyer._read_topics
    and passed along, so reading one question of a turn never disturbs the reading of the whole turn."""

    matches: dict[str, TopicMatch]
    focus: dict[str, TopicMatch]
    likeness: dict[str, float]
    likeness_lang: Lang
    shared_pieces: dict[str, int]


def _fitting_likeness(likeness: dict[str, float], fits: dict[str, float]) -> dict[str, float]:
    """The likeness that may rank the candidates (`fits`: each one's SPIN stage fit): none for a candidate whose stage
    does not fit the label when another candidate's does."""
    if not any(fits.values()):
        return likeness
    return {fact_id: value for fact_id, value in likeness.items() if fits.get(fact_id, 1.0)}


def _chain_kept(ranked: list[Fact], by_words: list[Fact]) -> list[Fact]:
    """The candidates as the likeness to the facts' texts ranks them, except that a fact never jumps ahead of its own
    untold prerequisite that the keywords ranked first: the buyer tells the step before ("给药出了差错会怎样？"
    before any check trouble is out gets the check trouble first)."""
    place = {fact.id: index for index, fact in enumerate(by_words)}
    by_id = {fact.id: fact for fact in ranked}
    ordered: list[Fact] = []
    for fact in ranked:
        ordered += [
            by_id[required]
            for required in fact.requires
            if required in by_id and place[required] < place[fact.id] and by_id[required] not in ordered
        ]
        if fact not in ordered:
            ordered.append(fact)
    return ordered


# Labels whose follow-ups may move on to the next stage's fact: a situation question pointing back ("那这个一般谁管？")
# is often a problem question the classifier read as S (the labels it mixes up most); a P or I one is not.
FOLLOW_UP_MAY_ADVANCE = frozenset({"S"})


def _stay_on_stage(scenario: Scenario, label: str, category: str, following: list[Fact]) -> list[Fact]:
    """The follow-ups a question pointing back at what was just told may get: of its own stage only, unless it is a
    situation question (FOLLOW_UP_MAY_ADVANCE). "那这个问题是经常出现吗？" after a problem asks more about it, and
    "这个影响会越来越大吗？" after a cost asks about the cost; neither asks for the cost or the payoff."""
    if label in FOLLOW_UP_MAY_ADVANCE:
        return following
    return [fact for fact in following if scenario.category_of(fact.id) == category]


class ScriptedBuyer:
    """Deterministic buyer for one scenario. `reply` never mutates its input state; it returns a new one."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.style = scenario.persona.communication_style

    # --- public API -----------------------------------------------------------

    def opening(self, state: SessionState) -> BuyerTurn:
        """The buyer's first words (persona's opening line); counts the buyer's words."""
        new_state = state.copy_deep()
        text = localized(self.scenario, "opening_line", state.lang)
        new_state.buyer_words += count_words(text)
        return BuyerTurn(text=text, state=new_state)

    def reply(
        self, state: SessionState, rep_text: str, spin: SpinLike, understood: Understanding | None = None
    ) -> BuyerTurn:
        """Answer one rep turn: the buyer's words plus every change to the session state."""
        if state.scenario_id != self.scenario.id:
            raise ValueError(f"state is for scenario {state.scenario_id!r}, buyer is {self.scenario.id!r}")
        u = understood or understand(self.scenario, state, rep_text, spin)
        new = state.copy_deep()
        if new.finished:
            text = self._say(new, "closing")
            new.buyer_words += count_words(text)
            return BuyerTurn(text=text, state=new, spin_label=u.label)

        reading = self._read_topics(rep_text)
        matches = reading.matches
        if u.tone == "ok" and not u.injection and self._presses_refusal(state, rep_text, u, matches):
            u = u.model_copy(update={"tone": "rude", "rude_kind": "pushy"})
        new.turn += 1
        turn = new.turn
        new.rep_words += count_words(rep_text)
        new.spin_sequence.append(u.label)
        record = TurnRecord(
            turn=turn,
            spin_label=u.label,
            is_question=u.is_question,
            is_pitch=u.is_pitch,
            asks_commitment=u.asks_commitment,
            tone=u.tone,
        )
        result = BuyerTurn(text="", state=new, spin_label=u.label, tone=u.tone, rude_kind=u.rude_kind)
        parts: list[str] = []
        delta = 0

        if u.injection:
            new.injection_attempts += 1
            record.injection = True
            result.injection_blocked = True
            parts.append(self._say(new, "injection"))
            return self._finish(new, record, result, parts, TRUST_INJECTION)

        if u.tone == "rude":
            # A real buyer reacts to the rudeness and answers nothing else this turn.
            new.rude_turns += 1
            delta = TRUST_RUDE if new.rude_turns == 1 else TRUST_RUDE_AGAIN
            situation = {"monologue": "monologue", "pushy": "pushy", "rival": "rude_rival"}.get(
                u.rude_kind or "", "rude"
            )
            parts.append(self._say(new, situation))
            # A pitch delivered as a monologue is still a pitch: flagged the same as any other (issue 16, one rule).
            if u.is_pitch or offers_price(rep_text, u):
                new.pitches += 1
                record.is_pitch = True
                if is_premature_pitch(self.scenario, new, rep_text):
                    new.premature_pitches += 1
                    record.premature_pitch = result.premature_pitch = True
            # A pushy or insulting turn's ask is read all the same ("just sign it, we'll sort the paperwork later"
            # pushes for the order): the turn feedback and the outcome see what was asked; it wins nothing. A
            # monologue is a speech, not a step proposed to the buyer.
            if u.rude_kind != "monologue":
                record.ask_kind = classify_ask(self.scenario, rep_text, u).kind
            if u.asks_commitment:
                result.commitment_asked = True
                new.commitment_asks += 1
                record.declined = True
            if new.rude_turns >= RUDE_TURNS_TO_END or new.trust + delta <= 0:
                new.finished, new.end_reason = True, "rudeness"
                parts.append(self._say(new, "rude_end"))
            elif new.rude_turns == RUDE_TURNS_TO_END - 1:
                parts.append(self._say(new, "rude_warning"))
            return self._finish(new, record, result, parts, delta)

        delta += self._resolve_open_objection(new, rep_text, u, result, parts)
        ask = classify_ask(self.scenario, rep_text, u)  # order | advance | continuation | none (app.roleplay.asks)
        # A SPIN question squarely on a fact's topic is a question, whatever next-step words it carries
        # ("如果能…，值得试试吗？" is a need-payoff question, not an ask).
        # An ask that names its time, or asks to buy, is a step whatever topic it touches.
        if ask.kind != "none" and not ask.dated and u.label in LETTER_CATEGORY and self._reachable(new, u, reading):
            ask = Ask("none")
        asked = ask.kind != "none"
        record.ask_kind = ask.kind

        # An advance is judged by the commitment rules, not as a product pitch; a demo or product offered as a
        # continuation ("下周我带个demo过来？") or pushed with the order is still a pitch (app.roleplay.asks).
        # A claim stated before the advance ("系统能把空驶降两成，下周能给我们运单数据吗？") is a pitch all the same.
        pitching = (u.is_pitch and (ask.kind != "advance" or states_claim(rep_text))) or offers_price(rep_text, u)
        premature = pitching and is_premature_pitch(self.scenario, new, rep_text)
        record.is_pitch = pitching
        if pitching:
            new.pitches += 1
        if premature:
            new.premature_pitches += 1
            record.premature_pitch = True
            result.premature_pitch = True
            delta += TRUST_PREMATURE_PITCH
            # A repeated early pitch meets the next concern the rep's words touch (price, rival...).
            objection = self._next_objection(new, "premature_pitch") or self._triggered_objection(new, rep_text)
            if objection is not None:
                self._raise(new, objection, result, parts)
            else:
                parts.append(self._say(new, "premature_pitch"))
        else:
            if not asked:  # an ask for a next step is answered by the commitment rules below
                delta += self._answer_question(new, rep_text, u, reading, result, parts, record)
            if pitching:
                delta += TRUST_VALUE_PITCH
                if not parts:
                    parts.append(self._say(new, "pitch_accepted"))
            triggered = self._triggered_objection(new, rep_text)
            if triggered is not None:
                self._raise(new, triggered, result, parts)

        if asked:
            result.commitment_asked = True
            new.commitment_asks += 1
            delta += self._commitment(new, ask, result, parts, delta)
            record.declined = not result.commitment_won
        elif not parts:
            terse = u.is_question and self._terse_follow_up(new, rep_text, matches) is not None
            parts.append(self._say(new, "follow_up_elaborate" if terse else self._unanswered(rep_text, u)))

        # Buying signals (seed 002) come once the need is explicit, after a turn that moved the buyer.
        moved = bool(result.new_facts or result.objection_handled or (pitching and not premature))
        if new.need_established() and moved and delta > 0 and not result.commitment_won:
            shown = {event.id for event in new.signals_shown}
            for signal in self.scenario.buying_signals:
                if signal.id not in shown:
                    new.signals_shown.append(TurnEvent(id=signal.id, turn=turn))
                    result.signal_shown = signal.id
                    parts.append(localized(signal, "text", new.lang))
                    break
        # Pitching and clumsy asks cool the buyer but never end the call on their own; only rudeness does (the
        # blind writers' buyers stayed on for the rep's close after early pitches).
        delta = max(delta, MIN_TRUST_WITHOUT_RUDENESS - new.trust)
        return self._finish(new, record, result, parts, delta)

    # --- steps ----------------------------------------------------------------

    def _presses_refusal(
        self, state: SessionState, rep_text: str, u: Understanding, matches: dict[str, TopicMatch]
    ) -> bool:
        """The rep asks again, bluntly, for the fact the buyer held back on the turn just before (a re-ask that
        acknowledges the refusal or lowers the ask, "理解，大概范围呢？", is not pushing; asked again later, once
        earned, it is an ordinary question)."""
        last = state.history[-1] if state.history else None
        if last is None or last.held_back not in ("trust", "sensitive") or last.held_fact is None:
            return False
        if state.trust + TRUST_SLACK >= self.scenario.fact(last.held_fact).min_trust:
            return False  # the buyer would tell it now: asking again is no longer pressing him
        if not u.is_question or tone_reader().softens_reask(rep_text):
            return False
        if u.fact_ids is not None:
            return last.held_fact in u.fact_ids
        held = matches.get(last.held_fact)
        if held is None or not held.specific:
            return False
        revealed = state.revealed_ids()
        others = [
            match.score for fact_id, match in matches.items() if fact_id != last.held_fact and fact_id not in revealed
        ]
        return held.score >= max(others, default=0.0)

    def _finish(
        self, new: SessionState, record: TurnRecord, result: BuyerTurn, parts: list[str], delta: int
    ) -> BuyerTurn:
        before = new.trust
        new.trust = max(0, min(100, new.trust + delta))
        result.trust_delta = new.trust - before
        record.trust_delta = result.trust_delta
        record.trust_after = new.trust
        record.revealed = list(result.new_facts)
        record.held_back = result.held_back
        record.held_fact = result.held_fact
        new.history.append(record)
        if not new.finished and new.trust == 0:
            new.finished, new.end_reason = True, "trust_lost"
            parts.append(self._say(new, "trust_lost"))
        elif not new.finished and new.turn >= MAX_TURNS:
            new.finished, new.end_reason = True, "max_turns"
            parts.append(self._say(new, "closing"))
        separator = " " if new.lang == "en" else ""
        result.text = separator.join(part.strip() if new.lang == "en" else part for part in parts if part)
        new.buyer_words += count_words(result.text)
        return result

    def _reachable(self, new: SessionState, u: Understanding, reading: TopicReading) -> list[Fact]:
        """Askable facts this turn is about, best first; the model's reading replaces topic matching.

        Ranking: the topic score, plus the score of the clause that carries the question (the focus: "您这儿九百多台
        风机，平时坏了一般咋处理？" asks about repairs, not the turbines it starts from), plus how well the fact's SPIN
        stage fits the label. A fact one stage away from the label (S-P, P-I, I-N: the stages the classifier confuses)
        fits half; further away it needs a clear topic hit, so a wrong label does not hide a fact the rep plainly asks
        about and a stray shared word does not reveal one."""
        askable = askable_facts(self.scenario, new)
        matches = reading.matches
        if u.fact_ids is not None:
            wanted = set(u.fact_ids)
            return [fact for fact in askable if fact.id in wanted]
        askable_ids = {fact.id for fact in askable}
        askable += [
            fact for fact in self._clearly_asked(new, u, matches, new.revealed_ids()) if fact.id not in askable_ids
        ]
        category = LETTER_CATEGORY.get(u.label)
        neighbour = self._neighbour_category(u)
        adjacent = ADJACENT_CATEGORIES.get(category or "", ())
        focus = reading.focus
        focused = any(focus.get(fact.id, _NO_MATCH).on_topic for fact in askable)

        def evidence(fact_id: str) -> float:
            return matches[fact_id].score + focus.get(fact_id, _NO_MATCH).score

        told = new.revealed_ids()  # what the buyer has told is often restated as a lead-in to the next question
        # the clearest of the facts this turn can reach: a far fact named in the last clause must not push them aside
        clearest = max((evidence(fact.id) for fact in askable), default=0.0)
        ranked = []
        fits: dict[str, float] = {}
        card_only: list[Fact] = []
        echoed = self._echoed_fact(reading, told)
        for index, fact in enumerate(askable):
            match = matches[fact.id]
            if not match.on_topic and fact.id == echoed:
                match = TopicMatch(term_score=MIN_TERM_SCORE)  # no keyword, but the question echoes its very text
            if not match.on_topic:
                if match.card_only:
                    card_only.append(fact)
                continue
            fact_category = self.scenario.category_of(fact.id)
            fit = (
                1.0
                if fact_category == category
                else 0.75
                if fact_category == neighbour
                else 0.5
                if fact_category in adjacent
                else 0.0
            )
            if not fit and not match.specific:
                continue
            in_focus = focus.get(fact.id, _NO_MATCH)
            # A fact met only in the lead-in, while the question itself is on another fact's topic, is not asked.
            if focused and not in_focus.on_topic and match.keyword_score < CLEAR_ASK_SCORE:
                continue
            if evidence(fact.id) < DOMINANT_SHARE * clearest:
                continue
            named = 1.0 if match.keyword_hits else 0.0  # named by one of its own keywords, not only shared words
            ranked.append((-(match.score + in_focus.score + fit + named), index, fact))
            fits[fact.id] = fit
        if not ranked:  # named only by words of the card's size line, and of the question's own kind: the fallback
            return [fact for fact in card_only if self.scenario.category_of(fact.id) == category][:1]
        # Between candidates, the one whose own text the question echoes most wins ties and near ties. A fact of a stage
        # the label does not reach (kept for its clear keyword) gets no such lift over one that fits: "对市里数字政府的
        # 考核排名会有什么影响？" echoes the city plan's words as context; it asks the consequence.
        best_likeness = max((reading.likeness.get(fact.id, 0.0) for *_, fact in ranked), default=0.0)
        if best_likeness > 0:
            weight = FACT_TEXT.rank_weight.get(reading.likeness_lang, 0.0) / best_likeness
            by_words = [fact for *_, fact in sorted(ranked, key=lambda item: item[:2])]
            likeness = _fitting_likeness(reading.likeness, fits)
            ranked = [(rank - weight * likeness.get(fact.id, 0.0), index, fact) for rank, index, fact in ranked]
            return _chain_kept([fact for *_, fact in sorted(ranked, key=lambda item: item[:2])], by_words)
        return [fact for *_, fact in sorted(ranked, key=lambda item: item[:2])]

    def _echoed_fact(self, reading: TopicReading, told: set[str]) -> str | None:
        """The untold fact whose own text the question echoes clearly more than any other's (see FACT_TEXT), if any:
        a question in words no keyword list has can still be plainly about one fact."""
        likeness = sorted(
            ((value, fact_id) for fact_id, value in reading.likeness.items() if fact_id not in told), reverse=True
        )
        least = FACT_TEXT.alone_min.get(reading.likeness_lang)
        if not likeness or least is None:
            return None
        best, fact_id = likeness[0]
        runner_up = likeness[1][0] if len(likeness) > 1 else 0.0
        if (
            best >= least
            and best >= FACT_TEXT.alone_lead * runner_up
            and reading.shared_pieces.get(fact_id, 0) >= FACT_TEXT.alone_pieces
        ):
            return fact_id
        return None

    def _answer_question(
        self,
        new: SessionState,
        rep_text: str,
        u: Understanding,
        reading: TopicReading,
        result: BuyerTurn,
        parts: list[str],
        record: TurnRecord,
    ) -> int:
        """Tell the facts the question is about when trust allows; otherwise hold back with a reason."""
        if not u.is_question:
            return 0  # a statement or a pitch asks the buyer nothing
        matches = reading.matches
        revealed = new.revealed_ids()
        record.style_fit = mentions(rep_text, STYLE_CUES[self.style])
        style_bonus = TRUST_STYLE_FIT if record.style_fit else 0
        broad = self._broad_ask(new, u, rep_text, matches, result, parts)
        if broad == []:  # a broad question the buyer answered with a line of his own
            return style_bonus
        reachable = broad or (
            self._reachable(new, u, reading)
            or self._follow_up(new, u, rep_text, matches)
            or self._way_in(new, u, matches, revealed)
        )
        told: list[Fact] = []
        held: Fact | None = None
        # Only the best matches are what was asked: when the best one is held back, the buyer does not slide down the
        # list and tell a lesser match instead ("How often do your trucks come back empty?" is not about the fleet).
        for fact in reachable[: self._reveal_limit(rep_text, reachable, matches)]:
            if new.trust + TRUST_SLACK >= fact.min_trust:
                told.append(fact)
            elif held is None:
                held = fact
        if told and len(told) < MAX_REVEALS:
            told = self._per_question(new, u, rep_text, told)
        if told:
            lead = self._say(new, "reveal_lead")
            first = fact_text(told[0], new.lang)
            if lead.endswith((", ", ": ")) and new.lang == "en" and first[:2].istitle():  # "Look, our..." ("RMs" stays)
                lead = lead + first[0].lower()
                told_texts = [first[1:]] + [fact_text(fact, new.lang) for fact in told[1:]]
            else:
                told_texts = [fact_text(fact, new.lang) for fact in told]
            for fact in told:
                new.revealed[self.scenario.category_of(fact.id)].append(RevealedFact(id=fact.id, turn=new.turn))
                result.new_facts.append(fact.id)
            parts.append(lead + (" " if new.lang == "en" else "").join(told_texts))
            return TRUST_REVEAL + style_bonus
        if held is not None:
            reason: HeldReason = "sensitive" if _FIGURE.search(held.text) else "trust"
            result.held_back, result.held_fact = reason, held.id
            parts.append(self._say(new, f"held_{reason}"))
            return TRUST_ON_TOPIC + style_bonus
        # On the topic of a fact whose prerequisites the buyer has not told: he wants to be understood first.
        blocked = self._blocked_on_topic(new, u, matches, revealed)
        if blocked is not None:
            result.held_back, result.held_fact = "context", blocked.id
            result.held_need = next(fid for fid in blocked.requires if fid not in revealed)
            parts.append(self._say(new, "held_context"))
            return style_bonus
        category = LETTER_CATEGORY.get(u.label)
        told_before = [
            fact
            for fact in self.scenario.all_facts()
            if fact.id in revealed and matches[fact.id].keyword_hits and self.scenario.category_of(fact.id) == category
        ]
        if told_before and u.is_question:
            fact = max(told_before, key=lambda item: matches[item.id].score)
            parts.append(self._say(new, "already_said").format(fact=fact_text(fact, new.lang)))
            return style_bonus
        return 0

    def _per_question(self, new: SessionState, u: Understanding, rep_text: str, told: list[Fact]) -> list[Fact]:
        """A compound turn ("现在怎么排班？出过错吗？") answered question by question: each question unit that, read on
        its own, asks about a fact the buyer may tell (its prerequisites counted as told once an earlier answer of
        this turn told them) adds that fact, up to MAX_REVEALS in all, a prerequisite before what follows from it."""
        units = question_units(rep_text)
        if len(units) < 2 or u.fact_ids is not None:
            return told
        result = list(told)
        for unit in units:
            if len(result) >= MAX_REVEALS:
                break
            ahead = new.copy_deep()
            for fact in result:
                ahead.revealed[self.scenario.category_of(fact.id)].append(RevealedFact(id=fact.id, turn=new.turn))
            asked = question_focus(unit)  # its question, not its lead-in
            if not _INTERROGATIVE.search(_MARKS.sub("", asked)):  # "开学季挺忙的吧？" only sounds like a question
                continue
            unit_reading = self._read_topics(asked)
            unit_matches = unit_reading.matches
            picked = self._reachable(ahead, u, unit_reading)[:1]
            # a unit that is most about a fact already told ("…是打电话还是发微信？") narrows that question
            known = max((unit_matches[fid].score for fid in ahead.revealed_ids()), default=0.0)
            for fact in picked:
                match = unit_matches[fact.id]
                if fact in result or new.trust + TRUST_SLACK < fact.min_trust:
                    continue
                if not set(fact.requires) <= ahead.revealed_ids():  # no step skipped for a second fact
                    continue
                if not match.specific or known >= match.score:  # named by its own keyword, not a told fact's
                    continue
                first = any(fact.id in other.requires for other in result)
                result = [fact, *result] if first else [*result, fact]
        return result

    def _clearly_asked(
        self, new: SessionState, u: Understanding, matches: dict[str, TopicMatch], revealed: set[str]
    ) -> list[Fact]:
        """Facts further down the chain that the question plainly names (clear keywords, see CLEAR_ASK_SCORE, of the
        label's stage or one next to it): prerequisites relax, the buyer answers what he was asked ("听说大货主
        明年要重新招标，…能整不？" gets the tender, not the tracking trouble behind it)."""
        if u.fact_ids is not None:
            return []
        category = LETTER_CATEGORY.get(u.label)
        near = {category, *ADJACENT_CATEGORIES.get(category or "", ())}
        candidates = []
        for index, fact in enumerate(self.scenario.all_facts()):
            if fact.id in revealed or self.scenario.category_of(fact.id) not in near:
                continue
            match = matches[fact.id]
            if match.specific and match.keyword_score >= CLEAR_ASK_SCORE:
                candidates.append((-match.score, index, fact))
        return [fact for *_, fact in sorted(candidates, key=lambda item: item[:2])]

    def _way_in(
        self, new: SessionState, u: Understanding, matches: dict[str, TopicMatch], revealed: set[str]
    ) -> list[Fact]:
        """A question on a fact two steps ahead: the buyer tells the step before it that he can tell (a chain
        never dead-ends: "大货主要重新招标，咱能整不？" gets the tracking trouble that the tender is about)."""
        blocked = self._blocked_on_topic(new, u, matches, revealed)
        if blocked is None:
            return []
        askable = {fact.id for fact in askable_facts(self.scenario, new)}
        return [self.scenario.fact(fid) for fid in blocked.requires if fid in askable][:1]

    def _follow_up(
        self, new: SessionState, u: Understanding, rep_text: str, matches: dict[str, TopicMatch]
    ) -> list[Fact]:
        """A SPIN question on no fact's topic in particular: the buyer takes it as a follow-up of what he just said
        ("这会带来什么影响？" after a problem) or, asked in general words ("What goes wrong?"), answers with the
        first thing of that kind on his mind. Never for a question that names another topic the buyer knows."""
        category = LETTER_CATEGORY.get(u.label)
        if category is None or not u.is_question or u.is_pitch or u.fact_ids is not None:
            return []
        # A question about price or a rival ("那金蝶报价多少？") is about them, not a follow-up on the last fact told.
        if mentions(rep_text, (*PRICE_WORDS, *COMPETITOR_WORDS, *self.scenario.competitors)):
            return []
        terse_chain = self._terse_chain_step(new, rep_text, matches)
        if terse_chain:
            return terse_chain
        neighbour = LETTER_CATEGORY.get(NEIGHBOUR_STAGE.get(u.label, ""), category)
        revealed = new.revealed_ids()
        # It may name what the buyer has told ("that re-entry"), but no hidden topic, and it must not be the same
        # kind of question about a told fact again (then it is a repeat, not a follow-up).
        for fact_id, match in matches.items():
            if match.specific and (fact_id not in revealed or self.scenario.category_of(fact_id) == category):
                return []
        ready = [
            fact
            for fact in getattr(self.scenario.facts, category)
            if fact.id not in revealed and all(required in revealed for required in fact.requires)
        ]
        recent = {fact_id for record in new.history[-2:] for fact_id in record.revealed}
        # a follow-up may also be of the neighbouring kind the label is often confused with (P <-> I)
        around = ready + [
            fact
            for fact in getattr(self.scenario.facts, neighbour)
            if fact.id not in revealed and all(required in revealed for required in fact.requires)
        ]
        following = [fact for fact in around if recent & set(fact.requires)]
        # A follow-up points back at what was just said ("这会带来什么影响？", "How does that affect you?") or asks in
        # the category's general words; a bare question on something else ("有没有考虑过升级？") gets nothing.
        # a terse "who / how long?" points back at the fact itself, not at the next one
        back = mentions(rep_text, REFERS_BACK) and terse_chain is None
        general = mentions(rep_text, GENERAL_ASKS[category])
        if following and back:
            return _stay_on_stage(self.scenario, u.label, category, following)[:1]
        if general:
            # The next thing of that kind on his mind ("What goes wrong?" after a problem is another problem, before
            # the last one's consequence): one whose grounds are told, else, once he has told one of that kind
            # ("What else goes wrong?"), one a step ahead (see askable_facts). A vague opener ("有什么痛点吗？")
            # before anything of the kind is out gets no fact a step ahead.
            if ready or not any(self.scenario.category_of(fact_id) == category for fact_id in revealed):
                return ready[:1] or following[:1]
            ahead = [
                fact for fact in askable_facts(self.scenario, new) if self.scenario.category_of(fact.id) == category
            ]
            return ahead[:1] or following[:1]
        return []

    def _terse_follow_up(self, new: SessionState, rep_text: str, matches: dict[str, TopicMatch]) -> str | None:
        """The fact told on the turn before, when this is a terse question on no untold fact's topic (TERSE)."""
        last = new.history[-1].revealed if new.history else []
        if not last or not is_terse(rep_text):
            return None
        revealed = new.revealed_ids()
        # a topic word of its own, of any untold fact but the told one's next step: a question on that topic
        if any(
            match.on_topic and last[-1] not in self.scenario.fact(fact_id).requires
            for fact_id, match in matches.items()
            if fact_id not in revealed
        ):
            return None
        return last[-1]

    def _terse_chain_step(self, new: SessionState, rep_text: str, matches: dict[str, TopicMatch]) -> list[Fact] | None:
        """A terse question after a fact asking for its effect or size (or why, after a situation): the next fact of
        that fact's chain, whatever the label; None when the question is no such follow-up ([] when it is one but the
        chain has no next fact open: he then elaborates)."""
        last = self._terse_follow_up(new, rep_text, matches)
        if last is None:
            return None
        why = mentions(rep_text, tuple(TERSE.cause_asks.all()))
        effect = not why and mentions(rep_text, tuple(TERSE.effect_asks.all()))
        if why and self.scenario.category_of(last) != "situation":
            return []  # the cause of a problem or a cost is what came before it, not the next step
        if not effect and not why:
            return []  # who, how long, how often: about the fact itself, not the next one
        revealed = new.revealed_ids()
        return [
            fact
            for fact in self.scenario.all_facts()
            if fact.id not in revealed and last in fact.requires and all(req in revealed for req in fact.requires)
        ][:1]

    def _reveal_limit(self, rep_text: str, reachable: list[Fact], matches: dict[str, TopicMatch]) -> int:
        """One fact per reply, two when a compound question hits two facts by their own keywords."""
        questions = len(re.findall(r"[?？]", rep_text))
        compound = questions >= 2 or len(rep_text) >= (
            COMPOUND_CHARS_ZH if _CJK.search(rep_text) else COMPOUND_CHARS_EN
        )
        strong = sum(1 for fact in reachable if matches[fact.id].specific)
        return MAX_REVEALS if compound and strong >= 2 else 1

    def _blocked_on_topic(
        self, new: SessionState, u: Understanding, matches: dict[str, TopicMatch], revealed: set[str]
    ) -> Fact | None:
        if u.fact_ids is not None:
            return None
        category = LETTER_CATEGORY.get(u.label)
        for fact in self.scenario.all_facts():
            if fact.id in revealed or all(required in revealed for required in fact.requires):
                continue
            match = matches[fact.id]
            if match.specific and (self.scenario.category_of(fact.id) == category or match.score >= 4):
                return fact
        return None

    def _broad_ask(
        self,
        new: SessionState,
        u: Understanding,
        rep_text: str,
        matches: dict[str, TopicMatch],
        result: BuyerTurn,
        parts: list[str],
    ) -> list[Fact] | None:
        """A broad question ("您这边现在最头疼的是什么？", "Could you walk me through how things work today?": words in
        playbooks/buyer/broad_asks.yaml) with no untold topic of its own gets the buyer's lead fact of the kind asked
        (app.roleplay.broad_asks.lead_order: the key chain first), one per question; trust still decides whether he
        tells it. None when the question is not broad or names a topic; [] when he answered with a line of his own:
        the lead fact needs background first (held_context), or every problem is told ("that's the main one")."""
        if u.fact_ids is not None or u.is_pitch or not u.is_question:
            return None
        category = broad_category(question_focus(rep_text))
        if category is None:
            return None
        revealed = new.revealed_ids()
        named = [fact_id for fact_id, match in matches.items() if match.specific and fact_id not in revealed]
        if named:
            return None  # "排课方面最头疼的是什么？" asks about its topic
        untold = [fact for fact in lead_order(self.scenario, category) if fact.id not in revealed]
        askable = {fact.id for fact in askable_facts(self.scenario, new)}
        lead = next((fact for fact in untold if fact.id in askable), None)
        if lead is not None:
            return [lead]
        if untold:
            result.held_back, result.held_fact = "context", untold[0].id
            result.held_need = next(fid for fid in untold[0].requires if fid not in revealed)
            parts.append(self._say(new, "held_context"))
            return []
        if category == "problem":
            parts.append(self._say(new, "broad_main_one"))
            return []
        return None

    def _unanswered(self, rep_text: str, u: Understanding) -> str:
        """The situation of a turn the buyer has nothing to say to: a statement is small talk; a question about what
        his organisation does that names things it never involves is off topic (a real buyer says it is not theirs,
        not "be more specific"); any other question (too general, or about him: the weather, his weekend) is vague."""
        if not u.is_question:
            return "small_talk"
        index = topic_index(self.scenario)
        # Only a question about his organisation can be off its business; one about a part every organisation has,
        # or one pointing back at something said ("那个事儿"), is not.
        if not mentions(rep_text, COMPANY_ASKS) or mentions(rep_text, BUSINESS_BASICS + REFERS_BACK):
            return "vague"
        return "off_topic" if index.unrelated(index.terms(index.correct_typos(rep_text))) else "vague"

    def _read_topics(self, rep_text: str) -> TopicReading:
        index = topic_index(self.scenario)
        # A long question-led turn is about what its questions ask, not the context or framing around them.
        long_turn = read_long_turn(rep_text)
        if long_turn is not None:
            rep_text = long_turn.asked
        rep_text = index.correct_typos(rep_text)
        terms = index.terms(rep_text)
        matches = {fact.id: index.match(fact, terms, rep_text) for fact in self.scenario.all_facts()}
        focus = question_focus(rep_text)
        if focus and focus != rep_text:
            focus_terms = index.terms(focus)
            focus_matches = {fact.id: index.match(fact, focus_terms, focus) for fact in self.scenario.all_facts()}
        else:
            focus_matches = dict(matches)
        return TopicReading(
            matches=matches,
            focus=focus_matches,
            likeness=index.text_likeness(rep_text),
            likeness_lang=likeness_language(rep_text),
            shared_pieces=index.shared_pieces(rep_text),
        )

    @staticmethod
    def _neighbour_category(spin: SpinLike | Understanding) -> str | None:
        """The next SPIN stage this question also clearly asks about, if any (see NEIGHBOUR_STAGE)."""
        neighbour = NEIGHBOUR_STAGE.get(spin.label)
        scores = getattr(spin, "scores", None) or {}  # test doubles may carry no scores: strict then
        if neighbour is None:
            return None
        evidence = scores.get(neighbour, 0.0)
        if evidence < max(MIN_NEIGHBOUR_EVIDENCE, MIN_NEIGHBOUR_SHARE * scores.get(spin.label, 0.0)):
            return None
        return LETTER_CATEGORY[neighbour]

    def _resolve_open_objection(
        self, new: SessionState, rep_text: str, u: Understanding, result: BuyerTurn, parts: list[str]
    ) -> int:
        """An objection raised on an earlier turn is handled by a question of the right kind or a key word."""
        for objection_id in new.open_objections():
            objection = self.scenario.objection(objection_id)
            raised_on = max(event.turn for event in new.objections_raised if event.id == objection_id)
            if raised_on >= new.turn or u.is_pitch:
                continue
            by_spin = u.label in objection.handled_by.spin
            if by_spin or mentions(rep_text, objection.handled_by.keywords):
                new.objections_handled.append(TurnEvent(id=objection_id, turn=new.turn))
                result.objection_handled = objection_id
                parts.append(localized(objection, "resolved_text", new.lang))
                return TRUST_OBJECTION_HANDLED
        return 0

    def _next_objection(self, new: SessionState, trigger: str) -> Objection | None:
        raised = {event.id for event in new.objections_raised}
        for objection in self.scenario.objections:
            if objection.trigger == trigger and objection.id not in raised:
                return objection
        return None

    def _triggered_objection(self, new: SessionState, rep_text: str) -> Objection | None:
        """Price, competitor and topic objections fire the first time the rep brings their subject up."""
        raised = {event.id for event in new.objections_raised}
        for objection in self.scenario.objections:
            if objection.id in raised or objection.trigger == "premature_pitch":
                continue
            words: list[str] = list(objection.keywords)
            if objection.trigger == "price":
                words += PRICE_WORDS
            elif objection.trigger == "competitor":
                words += [*COMPETITOR_WORDS, *self.scenario.competitors]
            if mentions(rep_text, words):
                return objection
        return None

    def _raise(self, new: SessionState, objection: Objection, result: BuyerTurn, parts: list[str]) -> None:
        new.objections_raised.append(TurnEvent(id=objection.id, turn=new.turn))
        result.objection_raised = objection.id
        parts.append(localized(objection, "text", new.lang))

    def _commitment(self, new: SessionState, ask: Ask, result: BuyerTurn, parts: list[str], delta_so_far: int) -> int:
        """Grant the scenario's commitment only when app.roleplay.asks.judge_ask says so; otherwise decline in character."""
        verdict = judge_ask(self.scenario, new, ask, new.trust + delta_so_far, new.lang)
        if verdict.reply is not None:  # a continuation, an order, another advance: the buyer's own answer
            parts.append(verdict.reply)
            return TRUST_EARLY_ASK if ask.kind == "order" and not new.need_established() else 0
        if verdict.reason == "not_ready":
            parts.append(self._say(new, "commitment_not_ready"))
            return TRUST_EARLY_ASK
        if verdict.reason == "objection_open":
            parts.append(self._say(new, "commitment_objection"))
            return 0
        if verdict.reason == "missing_facts":  # the reason names the kind of gap, never the untold fact
            gap = missing_key_category(self.scenario, new)
            parts.append(
                self._say(new, f"commitment_missing_{gap}" if gap in GAP_CATEGORIES else "commitment_not_ready")
            )
            return 0
        if verdict.reason == "low_trust":
            parts.append(self._say(new, "commitment_early_trust"))
            return 0
        new.commitment_won = True
        new.commitment_turn = new.turn
        new.finished, new.end_reason = True, "commitment"
        result.commitment_won = True
        parts.append(localized(self.scenario.success.commitment, "granted_text", new.lang))
        return TRUST_COMMITMENT_WON

    # --- helpers --------------------------------------------------------------

    def _say(self, new: SessionState, situation: str) -> str:
        """A variant of a situation in the persona's style and the session's language, not used yet if any is left."""
        options = phrase_options(self.style, situation, new.lang)
        start = _index(len(options), self.style, situation, self.scenario.id, new.turn)
        used = set(new.said)
        for step in range(len(options)):
            index = (start + step) % len(options)
            key = f"{situation}:{index}"
            if key not in used or not options[index]:
                if options[index]:
                    new.said.append(key)
                return options[index]
        return options[start]


__all__ = [
    "BuyerTurn",
    "ScriptedBuyer",
    "SpinLike",
    "Understanding",
    "askable_facts",
    "fact_text",
    "is_injection",
    "localized",
    "own_names",
    "presented_part",
    "question_focus",
    "read_tone",
    "understand",
]
