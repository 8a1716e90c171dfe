"""LLM mode's understanding step: the model reads one rep turn as JSON; the deterministic state then decides.

One structured call in JSON mode (`with_structured_output(TurnReading, method="json_mode")`, the word JSON
and an example in prompts/buyer_understand_v1.j2) gives the SPIN label, the hidden-fact ids the turn asks
about, pitch, ask kind, tone and role-breaking. The reading is validated with pydantic against the fact ids
the state allows this turn (app.roleplay.scripted_buyer.askable_facts); an id outside them, a malformed
answer, a timeout or any model error returns None and the buyer reads the turn offline instead. The
role-breaking and rudeness checks of the offline reading stay on either way (the model may add, not remove).
"""

from __future__ import annotations

import asyncio
import logging

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator

from app.coaching.spin import SpinLabel
from app.llm.prompts import render_prompt
from app.roleplay.asks import AskKind
from app.roleplay.scenarios import Scenario
from app.roleplay.scripted_buyer import Tone, Understanding, askable_facts, fact_text
from app.roleplay.state import SessionState

PROMPT = "buyer_understand_v1"
TIMEOUT_S = 8.0  # the reading must not hold the reply back for long; the offline reading is always there
HISTORY_TURNS = 4
logger = logging.getLogger(__name__)


class TurnReading(BaseModel):
    """The model's reading of one rep turn; validated with context={"allowed": fact ids} against the state."""

    spin: SpinLabel
    fact_ids: list[str] = Field(default_factory=list, max_length=4)
    pitch: bool = False
    ask: AskKind = "none"
    tone: Tone = "ok"
    injection: bool = False

    @field_validator("fact_ids")
    @classmethod
    def _allowed(cls, value: list[str], info: ValidationInfo) -> list[str]:
        allowed = (info.context or {}).get("allowed")
        if allowed is None:  # the JSON parser's first pass; read_turn validates again with the allowed ids
            return value
        unknown = [fact_id for fact_id in value if fact_id not in allowed]
        if unknown:
            raise ValueError(f"fact ids the state does not allow now: {unknown}")
        return list(dict.fromkeys(value))


def reading_messages(
    scenario: Scenario, state: SessionState, rep_text: str, history: list[tuple[str, str]]
) -> list[BaseMessage]:
    facts = [
        {"id": fact.id, "category": scenario.category_of(fact.id), "text": fact_text(fact, state.lang)}
        for fact in askable_facts(scenario, state)
    ]
    system = render_prompt(
        PROMPT,
        persona=scenario.persona,
        company=scenario.company,
        lang=state.lang,
        facts=facts,
        history=history[-HISTORY_TURNS:],
    )
    return [SystemMessage(system), HumanMessage(rep_text)]


def to_understanding(reading: TurnReading, offline: Understanding) -> Understanding:
    """The model's reading as the buyer's Understanding; offline role-breaking and rudeness checks still count."""
    rude = reading.tone == "rude" or offline.tone == "rude"
    return Understanding(
        label=reading.spin,
        is_question=offline.is_question or reading.spin != "other",
        is_pitch=reading.pitch,
        asks_commitment=reading.ask != "none",
        scores={},
        tone="rude" if rude else "ok",
        rude_kind=offline.rude_kind or ("insult" if rude else None),
        injection=offline.injection or reading.injection,
        fact_ids=reading.fact_ids,
        source="llm",
    )


async def read_turn(
    chat_model: BaseChatModel,
    scenario: Scenario,
    state: SessionState,
    rep_text: str,
    history: list[tuple[str, str]],
    offline: Understanding,
) -> Understanding | None:
    """The model's Understanding of a rep turn, or None on any failure (the caller keeps the offline one)."""
    allowed = {fact.id for fact in askable_facts(scenario, state)}
    structured = chat_model.with_structured_output(TurnReading, method="json_mode", include_raw=True)
    try:
        answer = await asyncio.wait_for(
            structured.ainvoke(reading_messages(scenario, state, rep_text, history)), TIMEOUT_S
        )
    except Exception as error:  # any model failure: the offline reading stands
        logger.info("roleplay understanding failed: %s: %s", type(error).__name__, error)
        return None
    raw = answer.get("raw") if isinstance(answer, dict) else None
    parsed = answer.get("parsed") if isinstance(answer, dict) else None
    if parsed is None or not isinstance(raw, AIMessage):
        return None
    try:  # validated once more, now against the ids the state allows
        reading = TurnReading.model_validate(parsed.model_dump(), context={"allowed": allowed})
    except ValidationError:
        return None
    return to_understanding(reading, offline)


__all__ = ["TurnReading", "read_turn", "reading_messages", "to_understanding"]
