"""Per-turn coaching: what the rep's turn was (SPIN), what it uncovered, the state summary and one tip citing the playbook."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.coaching.spin import SPIN_LABELS, SpinResult, spin_playbook_id
from app.playbook import get_playbook
from app.playbook.texts import PLAYBOOKS_DIR, Texts, load_texts
from app.playbook.vocabulary import CATEGORY_LETTER, SPIN_ELEMENTS
from app.roleplay.asks import DECIDER, GAP_CATEGORIES, classify_ask, example_advance, missing_key_category
from app.roleplay.rubric import get_rubric
from app.roleplay.scenarios import CATEGORIES, Scenario
from app.roleplay.scripted_buyer import TRUST_SLACK, BuyerTurn, Tone
from app.roleplay.state import SessionState

ReplySource = Literal["scripted", "llm", "scripted_fallback"]
NoticeCode = Literal["model_failed", "reply_cut", "circuit_open", "budget_exhausted"]

# What the coaching says: notices, held-back explanations, category names and tips.
TEXTS = load_texts(PLAYBOOKS_DIR / "coach" / "texts" / "feedback.yaml", Texts)


class Tip(BaseModel):
    """One short, actionable suggestion for the next turn, citing the playbook element it teaches."""

    key: str  # which rule chose it, stable for tests and analytics
    text: str  # Chinese
    text_en: str
    element_id: str
    element_name: str
    element_name_en: str
    element_description: str


class FactLabel(BaseModel):
    """A fact the buyer has revealed, named by its topic so the rep can see what was uncovered."""

    id: str
    category: str
    label: str
    label_en: str


class Notice(BaseModel):
    """Something the rep should know about this reply (the model failed or the stream was cut)."""

    code: NoticeCode
    text: str
    text_en: str


class LlmSpinOpinion(BaseModel):
    """The optional model classifier's label; shown next to the offline label, never stored in the state."""

    label: str
    confidence: float
    agrees: bool


class HeldBack(BaseModel):
    """Why the buyer held back what the rep asked about, said plainly for the coach sidebar (never by the buyer)."""

    reason: str  # "trust" | "sensitive" | "context"
    fact_id: str
    topic: str
    topic_en: str
    text: str
    text_en: str


class TurnFeedback(BaseModel):
    spin: str
    confidence: float
    cues: list[str] = Field(default_factory=list)
    element_id: str | None  # spin.situation ... for the label, None for "other"
    is_question: bool
    is_pitch: bool
    asks_commitment: bool
    ask_kind: str = "none"  # order | advance | continuation | none (app.roleplay.asks)
    uncovered: list[FactLabel] = Field(default_factory=list)
    objection_raised: str | None = None
    objection_handled: str | None = None
    signal_shown: str | None = None
    premature_pitch: bool = False
    injection_blocked: bool = False
    commitment_won: bool = False
    trust: int
    trust_delta: int
    relation_stage: str  # kept for API clients; the in-call meter is `rapport` (not the deal's relationship stage)
    rapport: str = ""
    rapport_en: str = ""
    tip: Tip
    reply_source: ReplySource = "scripted"
    notice: Notice | None = None
    llm_spin: LlmSpinOpinion | None = None
    tone: Tone = "ok"  # "rude": insult, disparaging, monologue or pushing after a refusal
    rude_kind: str | None = None  # "insult" | "rival" | "monologue" | "pushy"
    held_back: HeldBack | None = None
    understood_by: Literal["offline", "llm"] = "offline"  # who read the rep's turn (LLM mode may fall back)


class ObjectionView(BaseModel):
    id: str
    text: str


class StateSummary(BaseModel):
    """What the coach sidebar and API clients show of the session state (only what the buyer has said)."""

    turn: int
    trust: int
    relation_stage: str  # kept for API clients; pages show `rapport`
    rapport: str = ""
    rapport_en: str = ""
    revealed: dict[str, list[FactLabel]]
    fact_counts: dict[str, int]
    objections_open: list[ObjectionView]
    objections_handled: list[str]
    signals_shown: list[str]
    spin_counts: dict[str, int]
    talk_ratio: float
    commitment_won: bool
    finished: bool
    end_reason: str | None


def notice(code: NoticeCode) -> Notice:
    text, text_en = TEXTS.part(f"notice.{code}")
    return Notice(code=code, text=text, text_en=text_en)


def fact_label(scenario: Scenario, fact_id: str) -> FactLabel:
    fact = scenario.fact(fact_id)
    label = fact.topics.zh[0]
    return FactLabel(
        id=fact_id,
        category=scenario.category_of(fact_id),
        label=label,
        label_en=fact.topics.en[0] if fact.topics.en else label,
    )


def _rapport(trust: int) -> dict[str, str]:
    """The in-call meter's level (信任 / 融洽度): how the buyer feels about the rep now, from the rubric."""
    level = get_rubric().rapport_level(trust)
    return {"rapport": level.zh, "rapport_en": level.en}


def _ask_kind(state: SessionState) -> str:
    return state.history[-1].ask_kind if state.history else "none"


def summarize_state(scenario: Scenario, state: SessionState) -> StateSummary:
    return StateSummary(
        turn=state.turn,
        trust=state.trust,
        relation_stage=state.relation_stage,
        **_rapport(state.trust),
        revealed={
            category: [fact_label(scenario, fact_id) for fact_id in state.revealed_in(category)]
            for category in CATEGORIES
        },
        fact_counts={category: len(facts) for category, facts in scenario.facts.by_category().items()},
        objections_open=[
            ObjectionView(id=objection_id, text=scenario.objection(objection_id).text_for(state.lang))
            for objection_id in state.open_objections()
        ],
        objections_handled=[event.id for event in state.objections_handled],
        signals_shown=[event.id for event in state.signals_shown],
        spin_counts={label: state.spin_sequence.count(label) for label in SPIN_LABELS},
        talk_ratio=round(state.talk_ratio(), 3),
        commitment_won=state.commitment_won,
        finished=state.finished,
        end_reason=state.end_reason,
    )


def build_feedback(scenario: Scenario, spin: SpinResult, buyer: BuyerTurn, rep_text: str) -> TurnFeedback:
    """Feedback for one rep turn from the classifier's result and what the scripted engine decided."""
    state = buyer.state
    return TurnFeedback(
        spin=spin.label,
        confidence=spin.confidence,
        cues=list(spin.cues),
        element_id=spin_playbook_id(spin.label),
        is_question=spin.is_question,
        # The one pitch rule: the turn's record (classifier words or a claim recognised on structure), as scored.
        is_pitch=state.history[-1].is_pitch if state.history else spin.is_pitch,
        asks_commitment=spin.asks_commitment,
        ask_kind=_ask_kind(state),
        uncovered=[fact_label(scenario, fact_id) for fact_id in buyer.new_facts],
        objection_raised=buyer.objection_raised,
        objection_handled=buyer.objection_handled,
        signal_shown=buyer.signal_shown,
        premature_pitch=buyer.premature_pitch,
        injection_blocked=buyer.injection_blocked,
        commitment_won=buyer.commitment_won,
        trust=state.trust,
        trust_delta=buyer.trust_delta,
        relation_stage=state.relation_stage,
        **_rapport(state.trust),
        tip=choose_tip(scenario, spin, buyer, rep_text),
        tone=buyer.tone,
        rude_kind=buyer.rude_kind,
        held_back=held_back_of(scenario, buyer),
    )


def held_back_of(scenario: Scenario, buyer: BuyerTurn) -> HeldBack | None:
    """The sidebar's plain account of a held-back question (names the topic: the sidebar may, the buyer may not)."""
    if buyer.held_back is None or buyer.held_fact is None:
        return None
    fact = scenario.fact(buyer.held_fact)
    label = fact_label(scenario, fact.id)
    need = fact_label(scenario, buyer.held_need) if buyer.held_need else label
    values = {
        "trust": buyer.state.trust,
        "need": max(0, fact.min_trust - TRUST_SLACK),
        "topic": label.label,
        "topic_en": label.label_en,
        "need_topic": need.label,
        "need_topic_en": need.label_en,
    }
    text, text_en = TEXTS.part(f"held.{buyer.held_back}", **values)  # the sidebar only: the buyer never says this
    return HeldBack(
        reason=buyer.held_back,
        fact_id=fact.id,
        topic=label.label,
        topic_en=label.label_en,
        text=text,
        text_en=text_en,
    )


# --- the tip ---------------------------------------------------------------------------------------

OBJECTION_ELEMENT = {
    "price": "dragon.step.win_commitment.need_sets_price",
    "competitor": "dragon.step.present_value.competition",
}


def _tip(key: str, element_id: str, text: str, text_en: str) -> Tip:
    element = get_playbook().element(element_id)
    return Tip(
        key=key,
        text=text,
        text_en=text_en,
        element_id=element_id,
        element_name=element.name_zh,
        element_name_en=element.name_en,
        element_description=element.description,
    )


def _on_topic_elsewhere(scenario: Scenario, state: SessionState, rep_text: str, label: str) -> str | None:
    """The category of an unrevealed fact the rep touched with the wrong kind of question, if any."""
    lowered = rep_text.lower()
    revealed = state.revealed_ids()
    for fact in scenario.all_facts():
        category = scenario.category_of(fact.id)
        if fact.id in revealed or CATEGORY_LETTER[category] == label:
            continue
        if all(required in revealed for required in fact.requires) and any(
            word.lower() in lowered for word in fact.topics.all()
        ):
            return category
    return None


def _ask_tip(scenario: Scenario, state: SessionState, spin: SpinResult, rep_text: str) -> Tip | None:
    """Tips for asks that cannot win whatever the timing: a continuation, an order, another advance."""
    kind = _ask_kind(state)
    example_zh, example_en = example_advance(scenario, "zh"), example_advance(scenario, "en")
    if kind == "continuation":
        return _tip(
            "continuation_not_advance",
            "dragon.step.win_commitment",
            *TEXTS.part("tip.continuation_not_advance", example=example_zh, example_en=example_en),
        )
    if kind == "order" and scenario.persona.purchase_role != DECIDER:
        return _tip(
            "order_wrong_person",
            "dragon.step.win_commitment",
            *TEXTS.part(
                "tip.order_wrong_person",
                title=scenario.persona.title,
                title_en=scenario.persona.title_en,
                example=example_zh,
                example_en=example_en,
            ),
        )
    if kind == "order" and state.need_established():
        return _tip(
            "order_too_early",
            "dragon.step.win_commitment",
            *TEXTS.part("tip.order_too_early", example=example_zh, example_en=example_en),
        )
    if kind == "advance" and state.need_established() and not state.commitment_won:
        if not classify_ask(scenario, rep_text, spin).matches:
            return _tip(
                "advance_off_need",
                "dragon.step.win_commitment",
                *TEXTS.part("tip.advance_off_need", example=example_zh, example_en=example_en),
            )
    return None


def choose_tip(scenario: Scenario, spin: SpinResult, buyer: BuyerTurn, rep_text: str) -> Tip:
    """The first rule that fits this turn; every tip names one playbook element."""
    state = buyer.state
    commitment = scenario.success.commitment
    if buyer.tone == "rude":
        return _tip(
            "stay_respectful",
            "dragon.step.build_trust",
            *TEXTS.part("tip.stay_respectful"),
        )
    if buyer.injection_blocked:
        return _tip(
            "stay_in_role",
            "dragon.step.build_trust",
            *TEXTS.part("tip.stay_in_role"),
        )
    if buyer.premature_pitch:
        return _tip(
            "pitch_too_early",
            "dragon.step.uncover_needs",
            *TEXTS.part("tip.pitch_too_early"),
        )
    if buyer.objection_raised:
        objection = scenario.objection(buyer.objection_raised)
        labels = "/".join(objection.handled_by.spin) or "S/P"
        element_id = OBJECTION_ELEMENT.get(objection.trigger) or SPIN_ELEMENTS.get(
            next(iter(objection.handled_by.spin), ""), "dragon.step.present_value"
        )
        return _tip(
            "handle_objection",
            element_id,
            *TEXTS.part("tip.handle_objection", labels=labels),
        )
    if buyer.commitment_won:
        return _tip(
            "commitment_won",
            "dragon.step.win_commitment",
            *TEXTS.part("tip.commitment_won", commitment=commitment.description),
        )
    if buyer.commitment_asked:
        ask_tip = _ask_tip(scenario, state, spin, rep_text)
        if ask_tip is not None:
            return ask_tip
        if not state.need_established():
            return _tip(
                "ask_too_early",
                "spin.need_payoff",
                *TEXTS.part("tip.ask_too_early"),
            )
        if state.open_objections():
            return _tip(
                "objection_open",
                "dragon.step.present_value",
                *TEXTS.part("tip.objection_open"),
            )
        gap = missing_key_category(scenario, state)
        if gap in GAP_CATEGORIES:  # say which kind of question is missing, never which untold fact
            return _tip(
                f"ask_missing_{gap}", SPIN_ELEMENTS[CATEGORY_LETTER[gap]], *TEXTS.part(f"tip.ask_missing_{gap}")
            )
        return _tip(
            "ask_low_trust",
            "dragon.step.build_trust",
            *TEXTS.part("tip.ask_low_trust"),
        )
    if buyer.new_facts:
        category = scenario.category_of(buyer.new_facts[-1])
        if category == "situation":
            return _tip(
                "go_to_problem",
                "spin.problem",
                *TEXTS.part("tip.go_to_problem"),
            )
        if category == "problem":
            return _tip(
                "deepen_problem",
                "spin.implication",
                *TEXTS.part("tip.deepen_problem"),
            )
        if category == "implication":
            return _tip(
                "go_to_need_payoff",
                "spin.need_payoff",
                *TEXTS.part("tip.go_to_need_payoff"),
            )
        if all(fact_id in state.revealed_ids() for fact_id in scenario.success.key_facts):
            return _tip(
                "ask_for_commitment",
                "dragon.step.win_commitment",
                *TEXTS.part(
                    "tip.ask_for_commitment",
                    example=example_advance(scenario, "zh"),
                    example_en=example_advance(scenario, "en"),
                ),
            )
        return _tip(
            "present_value",
            "dragon.step.present_value",
            *TEXTS.part("tip.present_value"),
        )
    if spin.label in SPIN_ELEMENTS:
        elsewhere = _on_topic_elsewhere(scenario, state, rep_text, spin.label)
        if elsewhere is not None:
            name, name_en = TEXTS.part(f"category.{elsewhere}")
            return _tip(
                "change_question_type",
                SPIN_ELEMENTS[CATEGORY_LETTER[elsewhere]],
                *TEXTS.part("tip.change_question_type", name=name, name_en=name_en),
            )
        style = get_playbook().element(scenario.persona.communication_style)
        talk = getattr(style, "talk_zh", None) or [style.description]
        talk_en = getattr(style, "talk_en", None) or [style.name_en]
        return _tip(
            "adapt_to_style",
            scenario.persona.communication_style,
            *TEXTS.part(
                "tip.adapt_to_style",
                style=style.name_zh,
                talk=talk[0],
                style_en=style.name_en.lower(),
                talk_en=talk_en[0],
            ),
        )
    if state.history and state.history[-1].is_pitch:
        return _tip(
            "value_then_ask",
            "dragon.step.win_commitment",
            *TEXTS.part("tip.value_then_ask"),
        )
    return _tip(
        "ask_a_question",
        "spin.situation",
        *TEXTS.part("tip.ask_a_question"),
    )


__all__ = [
    "LlmSpinOpinion",
    "Notice",
    "NoticeCode",
    "ReplySource",
    "StateSummary",
    "Tip",
    "TurnFeedback",
    "build_feedback",
    "choose_tip",
    "fact_label",
    "held_back_of",
    "notice",
    "summarize_state",
    "HeldBack",
]
