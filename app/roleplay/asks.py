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

from app.knowledge.tokenize import is_chinese
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
PERCENT_OFF = re.compile(r"\d+\s*(%|percent)\s*off", re.IGNORECASE)
PRICE_TRIGGER = "price"
# Key-fact categories a refused advance names as its reason (phrases.yaml commitment_missing_<category>, tip.ask_missing_<category>).
GAP_CATEGORIES = ("problem", "implication", "need_payoff")


class SpinLike(Protocol):
    """What the ask reading and the buyer need from app.coaching.spin.SpinResult (structural, so tests can build
    their own).

    When the object also has SpinResult's per-label `scores`, the scripted buyer lets a question reach a
    neighbouring SPIN stage it clearly asks about too (its NEIGHBOUR_STAGE); without them it is strict.
    """

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
    dated: bool = False  # the ask names a time ("下周三前", "by Friday"): a step, not a question on a topic


@dataclass(frozen=True)
class Verdict:
    """The commitment rule's answer to an ask: granted or why not, and what the buyer says if it is not."""

    granted: bool
    reason: Reason
    reply: str | None = None  # the buyer's words for reasons with their own reply (continuation, orders...)


def _commitment_words(scenario: Scenario) -> list[str]:
    """Words that mark the scenario's own advance, or a step of the same kind that is as strong (rubric)."""
    rubric = get_rubric()
    advance = rubric.for_scenario(scenario)
    kind = rubric.kind_accepts.get(scenario.success.commitment.kind)
    same_kind = kind.all() if kind else []
    return [*scenario.success.commitment.keywords, *advance.keywords_en, *advance.also_accepts.all(), *same_kind]


_CLAUSE = re.compile(r"[，,;；。!！？?]|\.(?:\s|$)")
# A Chinese clause that names its own actor (the customer, a stakeholder asked to act, or a request to him); a
# clause without one continues the previous clause's subject ("我下周再过来，带上详细资料" is the rep's).
_OWN_SUBJECT = re.compile(r"^(那|就|要不|然后)?(您|你|贵|咱|请|让|麻烦|能不能|能否|可否|可不可以)")


def _clauses(text: str) -> list[str]:
    return [clause.strip() for clause in _CLAUSE.split(text) if clause.strip()]


def _rep_clauses(clauses: list[str]) -> list[str]:
    """The clauses in which the rep acts himself, with the subject carried over to the clauses that drop it."""
    cues = get_rubric().asks
    rep: list[str] = []
    previous_rep = False
    for clause in clauses:
        own = cues.matches("rep_side", clause) or cues.matches("rep_offer", clause)
        inherited = previous_rep and not _OWN_SUBJECT.search(clause) and not clause.isascii()
        previous_rep = own or inherited
        if previous_rep:
            rep.append(clause)
    return rep


def _addressed(clause: str) -> bool:
    """An English clause acts for the customer only when it addresses him ("you", "your team") or asks him
    ("could we", "how about", an imperative); a noun phrase ("integrated finance and export management") does not.
    Chinese drops the subject, so its clauses count as they are."""
    if is_chinese(clause):
        return True
    cues = get_rubric().asks
    return (
        cues.matches("addressee", clause)
        or cues.is_request(clause)
        or cues.matches("proposal_forms", clause)
        or cues.matches("permission_forms", clause)  # "does it make sense to have the registrar share…"
    )


def _asks_for_order(clauses: list[str], customer_clauses: list[str]) -> bool:
    """Order words or an order form (the customer's part) outside a lead-in that restates the buyer's situation:
    "I know the director makes the purchase decision. Would you pilot it on two wards?" asks for a pilot."""
    cues = get_rubric().asks
    asked = [clause for clause in clauses if not cues.matches("context_lead", clause)]
    customer_asked = [clause for clause in customer_clauses if clause in asked]
    return mentions("，".join(asked), cues.order.all()) or cues.matches("order_forms", "，".join(customer_asked))


def _addressed_to_customer(clause: str) -> bool:
    """The clause names the customer ("您", "you"), in either language."""
    return get_rubric().asks.matches("addressee", clause)


def classify_ask(scenario: Scenario, text: str, spin: SpinLike) -> Ask:
    """order | advance | continuation | none for one rep turn, read on the structure of the line.

    Clause by clause: a clause whose subject is the rep acting himself ("我下周带工程师过来", "can I email you")
    commits the customer to nothing; the other clauses are the customer's part. An advance asks the customer for
    an action (the scenario's own advance, a strong customer action, or a customer-action verb made specific by a
    named stakeholder, a concrete work object or a date); a continuation is further contact or the rep's own offer
    (a demo the rep gives stays a continuation whoever is invited to watch it); an order asks to buy or sign now.
    A question about how things are today (habitual, wh- or conditional question, no date) is no ask, and neither
    is a SPIN question without a sign of a next step."""
    cues = get_rubric().asks
    clauses = _clauses(text)
    rep_clauses = _rep_clauses(clauses)
    customer_clauses = [clause for clause in clauses if clause not in rep_clauses]
    customer_part = "，".join(customer_clauses)
    # A clause of further contact ("下周再约您聊聊") acts only when it brings someone in ("再约一下科技部的负责人").
    acting_part = "，".join(
        clause
        for clause in customer_clauses
        if _addressed(clause)
        and (
            not cues.matches("contact", clause)
            or cues.names_third_party(clause)
            or cues.matches("stakeholder", clause)
            or cues.matches("work_object", clause)
            or cues.asks_customer_to_act(clause)  # "could you nominate two sites so we can map their follow-up"
        )
    )
    request = (
        cues.is_request(text)
        or cues.matches("proposal_forms", text)
        or any(cues.matches("proposal_forms", clause) for clause in clauses)
        or cues.matches("permission_forms", text)
    )
    # Signing is the customer's act even in the rep's clause when it is put to him ("shall I have legal draw up the
    # agreement so you can sign next week?"); the rep's own contracts with others ("我们和XX签了合同") are not.
    order = _asks_for_order(clauses, customer_clauses) or any(
        cues.matches("order_forms", clause) and _addressed_to_customer(clause) for clause in rep_clauses
    )
    if order and request:
        return Ask("order", dated=True)  # "您要是觉得没问题，咱们就把单下了吧？": buying now, whatever its topic
    dated = cues.matches("dated", text)
    # Only the customer's clauses can ask about his situation: "mind if I drop by again after you've thought it
    # over?" is the rep proposing his own visit, whatever "if" or "who" it carries.
    about_today = cues.matches("situation_question", cues.without("permission_forms", customer_part)) and not dated
    if spin.is_question and about_today and (not request or spin.label != "other"):
        return Ask("none")  # "王总平时会参加这类讨论吗？", "Who usually reviews proposals?" ask about today
    if is_price_offer(text) and not spin.is_question:
        return Ask("none")  # "签约的话给您打八五折" is a pitch (a concession), not a closing question
    matches = mentions(customer_part, _commitment_words(scenario))
    strong = (
        matches
        or mentions(acting_part, cues.customer_action.all())
        or cues.names_third_party(acting_part)
        or cues.asks_customer_to_act(acting_part)
        # Only the customer can bring his own people, so a stakeholder of his side named in the rep's clause
        # ("要不下周我们带个方案过来，给您和相关处室讲一下？") makes the step his too; the rep's own people do not.
        or any(cues.names_third_party(clause) and not cues.matches("seller_people", clause) for clause in rep_clauses)
        # A session on his own data needs his data and his time ("下周我们带上您的数据一起过一遍").
        or any(cues.matches("joint_work", clause) for clause in rep_clauses)
    )
    handed_over = cues.matches("work_object", acting_part) and cues.matches("handover", text)
    general = cues.matches("customer_verbs", acting_part) and (
        cues.matches("stakeholder", acting_part) or handed_over or dated
    )
    # The customer's action can come bundled with the scenario's step the rep runs with him ("能否提供一年的数据，
    # 我们做一次回测，开个技术交流会？"): the line names the step once the customer is asked to act.
    if (strong or general) and not matches:
        matches = mentions(text, _commitment_words(scenario))
        strong = strong or matches
    rep_contact = any(
        cues.matches("contact", clause) or cues.matches("customer_verbs", clause) for clause in rep_clauses
    )
    contact = mentions(text, cues.continuation.all()) or cues.matches("contact", text) or rep_contact
    # A demo or visit the rep gives is a continuation, whoever is asked to watch it, unless the customer is also
    # asked for the scenario's own step.
    rep_show = any(cues.matches("contact", clause) for clause in rep_clauses)
    asks_buyer = request or (spin.is_question and (spin.label == "other" or spin.asks_commitment))
    if spin.label != "other" and not (spin.asks_commitment or dated or (request and not about_today)):
        return Ask("none")
    if order and (asks_buyer or not spin.is_question):
        return Ask("order")
    # "Whenever you have time" with no date and no one named commits the customer to nothing.
    if asks_buyer and (strong or general) and not cues.is_vague(text) and (matches or not rep_show):
        return Ask("advance", matches=matches, dated=dated)
    if asks_buyer and (contact or strong or general):
        return Ask("continuation")
    # A statement proposes further contact only in so many words, not inside a pitch ("我给您演示一下" is a pitch).
    stated_contact = cues.matches("contact", cues.without("showing", text)) or mentions(
        cues.without("showing", text), cues.continuation.all()
    )
    closing = "，".join(clauses[-2:])  # a proposal stated in a statement closes the turn, not a monologue's middle
    # The rep's own clause that sends or brings something ("我先把报价单做好，回头发给您") is contact even when the
    # classifier hears a pitch in it; any claim in the turn is still counted as a pitch on its own.
    rep_closing = any(cues.matches("contact", clause) for clause in rep_clauses if clause in clauses[-2:])
    if (
        not asks_buyer
        and stated_contact
        and (not spin.is_pitch or rep_closing)
        and (cues.matches("contact", closing) or mentions(closing, cues.continuation.all()))
    ):
        return Ask("continuation")
    return Ask("none")


def is_price_offer(text: str) -> bool:
    """Price or discount offer words ("打个八折", "20% off")."""
    return mentions(text, get_rubric().asks.offers.all()) or PERCENT_OFF.search(text) is not None


_SENTENCE = re.compile(r"(?<=[。!！?？;；])|(?<=\.)\s+")


def _statements(text: str) -> list[str]:
    """The statement parts of a turn: its sentences that are not questions, and the lead-in clauses of a question
    in which the seller speaks of himself ("我们的系统能把补录时间缩短一半，下周能不能挑个病区试用？")."""
    parts: list[str] = []
    for sentence in _SENTENCE.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if not sentence.endswith(("?", "？")):
            parts.append(sentence)
            continue
        lead_in = _clauses(sentence)[:-1]
        parts.extend(clause for clause in lead_in if get_rubric().claims.matches("first_person", clause))
    return parts


def _states_product_benefit(sentence: str) -> bool:
    """What only a product does ("月度分析一键生成", "reroutes drivers instantly"), said of no one on the buyer's side:
    a claim even without the seller as its subject; with "您 / your" it may describe the buyer's own system."""
    rubric = get_rubric()
    return rubric.claims.matches("product_benefit", sentence) and not rubric.asks.matches("addressee", sentence)


def states_claim(text: str) -> bool:
    """A seller's claim stated in the turn, recognised on structure: in a sentence that is not a question and does
    not picture a solution ("如果…" / "if…"), the seller, his product or his customers with a capability or benefit
    verb or a figure ("系统支持手机端扫码", "most of our clients see payback within nine months"), or a price or
    concession ("首年我们只收一半", "knock ten percent off")."""
    rubric = get_rubric()
    claims, cues = rubric.claims, rubric.asks
    for sentence in _statements(claims.without_framing(text)):
        if claims.matches("hypothetical", sentence):
            continue
        # A proposal of a next step ("I'll send it over and we can find a time", "you should come see one of our
        # clients") is an ask or a continuation, judged as such, not a claim about the product.
        if (
            cues.matches("contact", sentence)
            or mentions(sentence, cues.continuation.all())
            or cues.is_request(sentence)
            or cues.matches("proposal_forms", sentence)
        ):
            continue
        if claims.matches("price", sentence):
            return True
        if _states_product_benefit(sentence):
            return True
        if claims.matches("seller", sentence) and any(
            claims.matches(cue, sentence) for cue in ("capability", "figure", "reference")
        ):
            return True
    return False


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


def missing_key_category(scenario: Scenario, state: SessionState) -> str | None:
    """The SPIN category of the first key fact the buyer has not told yet (problem, implication, need_payoff), if any.

    A refusal and the coach name only this kind of gap, never the untold fact itself."""
    revealed = state.revealed_ids()
    for fact_id in scenario.success.key_facts:
        if fact_id not in revealed:
            return scenario.category_of(fact_id)
    return None


def is_premature_pitch(scenario: Scenario, state: SessionState, text: str) -> bool:
    """The one pitch rule (live tag and score): a pitch is premature until the buyer stated the need it answers."""
    if not state.need_established():
        return True
    raised_price = any(scenario.objection(event.id).trigger == PRICE_TRIGGER for event in state.objections_raised)
    if is_price_offer(text) and not raised_price:
        return True
    if mentions(text, get_rubric().asks.pitch_refers_back.all()):
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
    "GAP_CATEGORIES",
    "Ask",
    "AskKind",
    "Verdict",
    "buyer_reply",
    "classify_ask",
    "example_advance",
    "is_premature_pitch",
    "is_price_offer",
    "judge_ask",
    "missing_key_category",
    "offers_price",
    "states_claim",
]
