"""Per-turn coaching: what the rep's turn was (SPIN), what it uncovered, the state summary and one tip citing the playbook."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.coaching.spin import SPIN_LABELS, SpinResult, spin_playbook_id
from app.playbook import get_playbook
from app.playbook.vocabulary import CATEGORY_LETTER, SPIN_ELEMENTS
from app.roleplay.asks import DECIDER, classify_ask, example_advance
from app.roleplay.rubric import get_rubric
from app.roleplay.scenarios import CATEGORIES, Scenario
from app.roleplay.scripted_buyer import TRUST_SLACK, BuyerTurn, Tone
from app.roleplay.state import SessionState

ReplySource = Literal["scripted", "llm", "scripted_fallback"]
NoticeCode = Literal["model_failed", "reply_cut", "circuit_open", "budget_exhausted"]


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


NOTICES: dict[str, tuple[str, str]] = {
    "model_failed": (
        "模型暂时无法回复，这一轮由离线客户代答，你的发言已保存。",
        "The model could not answer; the offline buyer replied instead. Your message is saved.",
    ),
    "reply_cut": (
        "客户的回复中途断开，已保存收到的部分，你可以继续对话。",
        "The buyer's reply was cut off; the part received is saved and you can go on.",
    ),
    # The model was not asked at all (app.llm.resilience): after repeated failures, or over the daily budget.
    "circuit_open": (
        "模型连续出错，暂时由离线客户代答，稍后会自动恢复；你的发言已保存。",
        "The model failed several times in a row; the offline buyer answers for now and the model "
        "comes back by itself. Your message is saved.",
    ),
    "budget_exhausted": (
        "你今天的模型额度已用完，今天余下的对话由离线客户代答。",
        "You have used today's model budget; the offline buyer answers for the rest of the day.",
    ),
}


def notice(code: NoticeCode) -> Notice:
    text, text_en = NOTICES[code]
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


# Why a question was held back, and what would help: for the sidebar only (the buyer never says this).
HELD_TEXTS: dict[str, tuple[str, str]] = {
    "trust": (
        "客户还不够信任你（信任 {trust}，这个话题大约要 {need}）。先多问几个他容易回答的背景问题、认真回应他的话，"
        "再回到「{topic}」。",
        "The buyer does not trust you enough yet (trust {trust}; this topic needs about {need}). "
        'Ask a few easy situation questions and acknowledge his answers, then come back to "{topic_en}".',
    ),
    "sensitive": (
        "「{topic}」涉及敏感数字，客户要更信任你才会说（信任 {trust}，大约要 {need}）。先把他承认的难点问透，"
        "再问具体数字。",
        '"{topic_en}" involves sensitive figures; the buyer shares them once he trusts you more '
        "(trust {trust}; needs about {need}). Explore the problems he has admitted first, then ask for numbers.",
    ),
    "context": (
        "客户觉得你还不了解他们的情况：要谈「{topic}」，先弄清「{need_topic}」。",
        'The buyer feels you do not know his situation yet: before "{topic_en}", find out about "{need_topic_en}".',
    ),
}


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
    text, text_en = HELD_TEXTS[buyer.held_back]
    return HeldBack(
        reason=buyer.held_back,
        fact_id=fact.id,
        topic=label.label,
        topic_en=label.label_en,
        text=text.format(**values),
        text_en=text_en.format(**values),
    )


# --- the tip ---------------------------------------------------------------------------------------

CATEGORY_NAMES = {
    "situation": ("背景", "situation"),
    "problem": ("难点", "problem"),
    "implication": ("影响", "implication"),
    "need_payoff": ("需求效益", "need-payoff"),
}
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
            f"“改天再聊”“先发资料”只是延续：客户没有承诺任何具体行动，不算推进。{example_zh}",
            '"Let\'s talk again" or "I\'ll send material" is a continuation: the buyer commits to nothing, '
            f"so the sale does not move. {example_en}",
        )
    if kind == "order" and scenario.persona.purchase_role != DECIDER:
        return _tip(
            "order_wrong_person",
            "dragon.step.win_commitment",
            f"{scenario.persona.title}签不了合同。请他做他能做、又能推动这单的一步。{example_zh}",
            f"The {scenario.persona.title_en} cannot sign. Ask for a step he can take that moves the deal. "
            f"{example_en}",
        )
    if kind == "order" and state.need_established():
        return _tip(
            "order_too_early",
            "dragon.step.win_commitment",
            f"第一次深入交流就要签单太早了，先争取一个具体的推进。{example_zh}",
            f"Asking to sign in a first discovery call is too early; win a specific advance first. {example_en}",
        )
    if kind == "advance" and state.need_established() and not state.commitment_won:
        if not classify_ask(scenario, rep_text, spin).matches:
            return _tip(
                "advance_off_need",
                "dragon.step.win_commitment",
                f"这是一个推进，但和客户说出的需求还对不上：下一步要能证明你能解决他说的问题。{example_zh}",
                f"That is an advance, but not one tied to the need he stated: the next step should prove "
                f"you can solve his problem. {example_en}",
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
            "这句话让客户不舒服，信任下降了。尊重客户和他的选择，不贬低任何人，用一个真诚的问题重新开始。",
            "That remark put the buyer off and cost trust. Respect him and his choices, run nobody down, "
            "and restart with a sincere question.",
        )
    if buyer.injection_blocked:
        return _tip(
            "stay_in_role",
            "dragon.step.build_trust",
            "客户只回应和项目有关的问题。回到角色，用一个背景问题重新打开话题。",
            "The buyer only answers questions about the project. Stay in role and reopen with a situation question.",
        )
    if buyer.premature_pitch:
        return _tip(
            "pitch_too_early",
            "dragon.step.uncover_needs",
            "需求还没确认就介绍产品，客户会抵触。先用难点问题找到他真正的问题。",
            "Pitching before the need is confirmed puts the buyer off. Find his real problem with problem questions first.",
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
            f"客户提出了顾虑。别急着反驳，用 {labels} 类问题弄清顾虑背后的原因。",
            f"The buyer raised a concern. Don't argue: ask {labels} questions to find what is behind it.",
        )
    if buyer.commitment_won:
        return _tip(
            "commitment_won",
            "dragon.step.win_commitment",
            f"拿到了承诺：{commitment.description}。结束通话，查看评分。",
            "Commitment won. Finish the call and read your scorecard.",
        )
    if buyer.commitment_asked:
        ask_tip = _ask_tip(scenario, state, spin, rep_text)
        if ask_tip is not None:
            return ask_tip
        if not state.need_established():
            return _tip(
                "ask_too_early",
                "spin.need_payoff",
                "客户还没说出解决问题的价值，现在要承诺太早。先问需求效益问题。",
                "The buyer has not stated the value of solving it yet. Ask need-payoff questions before asking for a commitment.",
            )
        if state.open_objections():
            return _tip(
                "objection_open",
                "dragon.step.present_value",
                "还有顾虑没化解。先回应它，再提下一步。",
                "A concern is still open. Address it before asking for the next step.",
            )
        return _tip(
            "ask_after_discovery",
            "dragon.step.uncover_needs",
            "关键情况还没摸清或信任还不够。继续挖掘需求，再提下一步。",
            "Key facts are still missing or trust is too low. Keep uncovering needs, then ask again.",
        )
    if buyer.new_facts:
        category = scenario.category_of(buyer.new_facts[-1])
        if category == "situation":
            return _tip(
                "go_to_problem",
                "spin.problem",
                "好的背景问题。发现可能的难点后，转向难点问题：哪里不顺、哪里不满意？",
                "Good situation question. Now move to problem questions: what is not working, what is he unhappy with?",
            )
        if category == "problem":
            return _tip(
                "deepen_problem",
                "spin.implication",
                "客户承认了难点。用影响问题追问它的后果和代价，让问题变大。",
                "The buyer admitted a problem. Ask implication questions about its consequences and cost.",
            )
        if category == "implication":
            return _tip(
                "go_to_need_payoff",
                "spin.need_payoff",
                "影响已经浮出水面。用需求效益问题让客户自己说出解决它的价值。",
                "The impact is on the table. Ask need-payoff questions so the buyer states the value himself.",
            )
        if all(fact_id in state.revealed_ids() for fact_id in scenario.success.key_facts):
            return _tip(
                "ask_for_commitment",
                "dragon.step.win_commitment",
                "需求已经明确。总结客户说出的价值，然后请他承诺一个具体行动（谁、做什么、什么时候）。"
                f"{example_advance(scenario, 'zh')}",
                "The need is explicit. Summarise the value the buyer stated, then ask him for a specific action "
                f"(who does what, by when). {example_advance(scenario, 'en')}",
            )
        return _tip(
            "present_value",
            "dragon.step.present_value",
            "客户说出了价值。可以围绕他的原话呈现方案，同时把其他难点也挖到同样深度。",
            "The buyer stated a value. Present around his own words, and take the other problems just as deep.",
        )
    if spin.label in SPIN_ELEMENTS:
        elsewhere = _on_topic_elsewhere(scenario, state, rep_text, spin.label)
        if elsewhere is not None:
            name, name_en = CATEGORY_NAMES[elsewhere]
            return _tip(
                "change_question_type",
                SPIN_ELEMENTS[CATEGORY_LETTER[elsewhere]],
                f"这个话题客户有话要说，但要换一种问法：试试{name}问题。",
                f"The buyer has something to say on this topic; ask it as a {name_en} question.",
            )
        style = get_playbook().element(scenario.persona.communication_style)
        talk = getattr(style, "talk_zh", None) or [style.description]
        talk_en = getattr(style, "talk_en", None) or [style.name_en]
        return _tip(
            "adapt_to_style",
            scenario.persona.communication_style,
            f"这个问题没有带出新信息。{style.name_zh}客户喜欢：{talk[0]}。",
            f"No new information. A {style.name_en.lower()} buyer likes this: {talk_en[0]}.",
        )
    if state.history and state.history[-1].is_pitch:
        return _tip(
            "value_then_ask",
            "dragon.step.win_commitment",
            "在需求明确之后呈现价值，时机对了。接着争取下一步承诺。",
            "Value presented after the need was explicit. Now ask for the next step.",
        )
    return _tip(
        "ask_a_question",
        "spin.situation",
        "这句话没有提问。用一个背景问题了解客户的现状。",
        "That was not a question. Ask a situation question about the buyer's current state.",
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
