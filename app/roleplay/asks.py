"""Closing asks and pitch timing: order / advance / continuation, the rule that grants a scenario's commitment, premature pitches.

Rackham's distinction (ours, from his research on large sales; seed 001 calls the step 赢得承诺): an
*advance* is a specific action by the customer that moves the sale forward (who does what, by when:
data for a pilot, a meeting with the decision maker, a site visit); a *continuation* keeps talking
without one ("改天再约时间聊聊", "先发个资料"); an *order* asks to sign or buy now. Only an advance that
matches the scenario's commitment (or one the rubric lists as equally strong), asked after the buyer
has stated the need himself, with no concern left open, the key facts out and enough trust, wins it.
Asking someone who cannot sign for a contract gets the answer a real contact would give.

One pitch rule serves the live tag and the scorecard alike: a feature, benefit, price, discount or
demo statement is premature until the buyer has stated the need it answers (a need-payoff in his own
words), and a price or discount offer stays premature until he has raised price himself.

Words and replies are data: playbooks/coach/rubric.yaml (app.roleplay.rubric).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

from app.roleplay.rubric import get_rubric
from app.roleplay.scenarios import Scenario
from app.roleplay.state import SessionState
from app.roleplay.topics import mentions

AskKind = Literal["order", "advance", "continuation", "none"]
ASK_KINDS: tuple[AskKind, ...] = get_args(AskKind)
Reason = Literal[
    "granted",
    "not_ready",
    "objection_open",
    "missing_facts",
    "low_trust",
    "continuation",
    "order_not_decider",
    "order_too_early",
    "other_advance",
]

DECIDER = "org.role.decision_maker"
# Price and discount offers (a concession is only an answer to a price concern the buyer raised).
OFFER_WORDS = (
    "打折",
    "折扣",
    "九五折",
    "九折",
    "八五折",
    "八折",
    "七折",
    "六折",
    "五折",
    "优惠",
    "便宜",
    "降价",
    "让利",
    "免费",
    "送您",
    "赠送",
    "discount",
    "% off",
    "cheaper",
    "lower price",
    "free of charge",
    "for free",
    "special price",
    "promotion",
)
PERCENT_OFF = re.compile(r"\d+\s*(%|percent)\s*off", re.IGNORECASE)
PRICE_TRIGGER = "price"
# The rep ties the pitch to what the buyer said (a pitch that builds on the stated need).
REFERS_BACK = (
    "您刚才",
    "您提到",
    "您说的",
    "您说过",
    "刚才您",
    "刚刚您",
    "您讲的",
    "就像您说",
    "结合您",
    "针对您",
    "as you said",
    "you mentioned",
    "you said",
    "you told me",
    "as you put it",
    "like you said",
)


class SpinLike(Protocol):
    # Read-only members, so frozen results (SpinResult) and narrower label types match.
    @property
    def label(self) -> str: ...
    @property
    def is_question(self) -> bool: ...
    @property
    def is_pitch(self) -> bool: ...
    @property
    def asks_commitment(self) -> bool: ...


@dataclass(frozen=True)
class Ask:
    """What a rep turn asks for: its kind, and whether it is the scenario's own advance (or an equal one)."""

    kind: AskKind
    matches: bool = False


@dataclass(frozen=True)
class Verdict:
    """The commitment rule's answer to an ask: granted or why not, and what the buyer says if it is not."""

    granted: bool
    reason: Reason
    reply: str | None = None  # the buyer's words for reasons with their own reply (continuation, orders...)


def _commitment_words(scenario: Scenario) -> list[str]:
    advance = get_rubric().for_scenario(scenario)
    return [*scenario.success.commitment.keywords, *advance.keywords_en, *advance.also_accepts.all()]


def classify_ask(scenario: Scenario, text: str, spin: SpinLike) -> Ask:
    """order | advance | continuation | none for one rep turn (a SPIN question is never an ask)."""
    if spin.label != "other" and not spin.asks_commitment:
        return Ask("none")
    cues = get_rubric().asks
    order = mentions(text, cues.order.all())
    continuation = mentions(text, cues.continuation.all())
    # The customer's part of the turn: clauses where the rep offers to act himself ("我先把资料发给您",
    # "I'll send you the list after the meeting") say nothing about what the customer will do.
    customer_part = cues.without_rep_offers(text)
    matches = mentions(customer_part, _commitment_words(scenario))
    action = (
        matches
        or mentions(customer_part, cues.customer_action.all())
        or cues.names_third_party(customer_part)
        or cues.asks_customer_to_act(customer_part)
    )
    if is_price_offer(text) and not spin.is_question:
        return Ask("none")  # "签约的话给您打八五折" is a pitch (a concession), not a closing question
    # Statements count when they propose a continuation or the order ("我先发份资料给您", "您签个字就行").
    if not (
        order
        or continuation
        or (
            spin.is_question and (spin.asks_commitment or (action and (cues.is_request(text) or spin.label == "other")))
        )
    ):
        return Ask("none")
    if order:
        return Ask("order")
    # "Whenever you have time" with no date and no one named commits the customer to nothing.
    if action and not cues.is_vague(text):
        return Ask("advance", matches=matches)
    return Ask("continuation")


def is_price_offer(text: str) -> bool:
    """Price or discount offer words ("打个八折", "20% off")."""
    return mentions(text, OFFER_WORDS) or PERCENT_OFF.search(text) is not None


def offers_price(text: str, spin: SpinLike) -> bool:
    """A price or discount offer made as a statement or an ask (not a SPIN question about the buyer's pricing):
    a pitch under the one pitch rule even inside an ask ("今天签了给您打个折")."""
    return spin.label == "other" and is_price_offer(text)


def _pick(options: list[str], *keys: object) -> str:
    digest = hashlib.sha256("|".join(str(key) for key in keys).encode("utf-8")).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def buyer_reply(kind: str, lang: str, *keys: object) -> str:
    """The buyer's words for an ask that does not win (rubric buyer_replies), picked by a stable hash."""
    words = get_rubric().buyer_replies[kind]
    return _pick(words.en if lang == "en" else words.zh, kind, *keys)


def judge_ask(scenario: Scenario, state: SessionState, ask: Ask, trust: int, lang: str = "zh") -> Verdict:
    """Does this ask win the scenario's commitment now? `state` is the call before the decision, `trust` current."""
    success = scenario.success
    keys = (scenario.id, state.turn)
    decider = scenario.persona.purchase_role == DECIDER
    need = state.need_established()
    if ask.kind == "continuation":
        return Verdict(False, "continuation", buyer_reply("continuation", lang, *keys))
    if ask.kind == "order":
        if not decider:
            return Verdict(False, "order_not_decider", buyer_reply("order_not_decider", lang, *keys))
        if need:
            return Verdict(False, "order_too_early", buyer_reply("order_too_early", lang, *keys))
        return Verdict(False, "not_ready")
    if not need:
        return Verdict(False, "not_ready")
    if not ask.matches:
        return Verdict(False, "other_advance", buyer_reply("other_advance", lang, *keys))
    if state.open_objections():
        return Verdict(False, "objection_open")
    if any(fact_id not in state.revealed_ids() for fact_id in success.key_facts):
        return Verdict(False, "missing_facts")
    if trust < success.min_trust:
        return Verdict(False, "low_trust")
    return Verdict(True, "granted")


def is_premature_pitch(scenario: Scenario, state: SessionState, text: str) -> bool:
    """The one pitch rule (live tag and score): a pitch is premature until the buyer stated the need it answers."""
    if not state.need_established():
        return True
    raised_price = any(scenario.objection(event.id).trigger == PRICE_TRIGGER for event in state.objections_raised)
    if is_price_offer(text) and not raised_price:
        return True
    if mentions(text, REFERS_BACK):
        return False
    # The pitch must touch something the buyer has said: a problem, implication or need-payoff he stated.
    stated = [
        scenario.fact(fact_id)
        for category in ("problem", "implication", "need_payoff")
        for fact_id in state.revealed_in(category)
    ]
    return not any(mentions(text, fact.topics.all()) for fact in stated)


def example_advance(scenario: Scenario, lang: str = "zh") -> str:
    """An example advance for this scenario, in other words than its win condition (for tips and rewrites)."""
    return get_rubric().for_scenario(scenario).example_advance.get(lang)


__all__ = [
    "ASK_KINDS",
    "Ask",
    "AskKind",
    "Verdict",
    "buyer_reply",
    "classify_ask",
    "example_advance",
    "is_premature_pitch",
    "is_price_offer",
    "judge_ask",
    "offers_price",
]
