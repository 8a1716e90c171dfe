"""The scorecard's "try instead" rewrites written by the model, validated, else the offline ones stay.

At finish, when a chat model is configured, one JSON-mode call (prompts/coach_rewrites_v1.j2) asks for one
better question per quoted weak turn, in the session's language. The answer is accepted only whole: one
rewrite per quoted turn id, each a question in the session's language, within MAX_CHARS, quoting neither a fact
the buyer did not reveal nor the commitment's own wording (the role-play's LeakGuard). Any failure (the call's
error or timeout, invalid JSON, a failed check, the circuit open, the budget used) keeps the offline rewrites.
Only `try_*` text and `rewrites_by` change: the deterministic scores never depend on the model.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationInfo, model_validator

from app.llm.calls import describe_error, structured
from app.llm.prompts import render_prompt
from app.llm.resilience import skip_reason
from app.roleplay.asks import example_advance
from app.roleplay.llm_buyer import LeakGuard, ReplyLeak, guard_for
from app.roleplay.scenarios import Scenario
from app.roleplay.scorecard import Scorecard
from app.roleplay.state import SessionState

logger = logging.getLogger(__name__)
PROMPT = "coach_rewrites_v1"
KIND = "rewrites"  # the call kind: its own output cap (app.config.DEFAULT_MAX_TOKENS)
MAX_CHARS = {"zh": 80, "en": 200}  # one spoken question; longer is a lecture
EXAMPLE = {
    "rewrites": [
        {"turn": 2, "rewrite": "排产这块现在有没有让您不太满意的地方？"},
        {"turn": 5, "rewrite": "如果批次追溯能当天查清，对您的客户审核意味着什么？"},
    ]
}
_WRAPPING_QUOTES = "\"'“”‘’「」 \n"
_CJK = re.compile(r"[\u3400-\u9fff]")


class Rewrite(BaseModel):
    turn: int
    rewrite: str = Field(min_length=4, max_length=max(MAX_CHARS.values()))


class Rewrites(BaseModel):
    """The model's answer. Its shape is checked on parsing; with a RewriteCheck as validation context, also
    against this call: the quoted turns, the language, the length, the question form and the leak guard."""

    rewrites: list[Rewrite] = Field(min_length=1, max_length=3)

    @model_validator(mode="after")
    def _fits_the_call(self, info: ValidationInfo) -> Rewrites:
        check = info.context.get("check") if isinstance(info.context, dict) else None
        if check is not None:
            check(self)
        return self


class RewriteCheck:
    """What a rewrite must satisfy for this scorecard."""

    def __init__(self, turns: list[int], lang: str, guard: LeakGuard) -> None:
        self.turns, self.lang, self.guard = turns, lang, guard

    def __call__(self, answer: Rewrites) -> None:
        given = [item.turn for item in answer.rewrites]
        if sorted(given) != sorted(self.turns):
            raise ValueError(f"expected one rewrite for each of turns {self.turns}, got {given}")
        for item in answer.rewrites:
            text = item.rewrite.strip(_WRAPPING_QUOTES)
            if len(text) > MAX_CHARS[self.lang]:
                raise ValueError(f"turn {item.turn}: longer than {MAX_CHARS[self.lang]} characters")
            if "?" not in text and "？" not in text:
                raise ValueError(f"turn {item.turn}: not a question")
            if not in_language(text, self.lang):
                raise ValueError(f"turn {item.turn}: not in the session's language ({self.lang})")
            try:
                self.guard.check(text)
            except ReplyLeak as leak:
                raise ValueError(f"turn {item.turn}: {leak}") from leak


def in_language(text: str, lang: str) -> bool:
    """Mostly Chinese characters for zh; (almost) none for en (a Chinese name may appear)."""
    letters = [char for char in text if char.isalpha()]
    cjk = sum(1 for char in letters if _CJK.match(char))
    if not letters:
        return False
    return cjk / len(letters) >= 0.5 if lang == "zh" else cjk / len(letters) <= 0.2


def rewrite_guard(scenario: Scenario, state: SessionState, rep_texts: list[str]) -> LeakGuard:
    """The buyer's guard (facts still hidden, in both languages) plus the commitment's exact wording."""
    commitment = scenario.success.commitment
    revealed = state.revealed_ids()
    hidden_en = [fact.text_en for fact in scenario.all_facts() if fact.id not in revealed]
    return guard_for(
        scenario,
        state,
        rep_texts,
        hidden=[*hidden_en, commitment.ask_zh, commitment.ask_en, commitment.granted_text, commitment.granted_text_en],
    )


def rewrite_messages(scenario: Scenario, state: SessionState, card: Scorecard) -> list:
    lang = state.lang
    revealed = state.revealed_ids()
    open_topics = [
        (fact.topics.en or fact.topics.zh)[0] if lang == "en" else fact.topics.zh[0]
        for fact in scenario.all_facts()
        if fact.id not in revealed
    ]
    system = render_prompt(
        PROMPT,
        persona_name=scenario.persona.in_lang("name", lang),
        persona_title=scenario.persona.in_lang("title", lang),
        company=scenario.company.in_lang("name", lang),
        deal_context=scenario.deal_context_for(lang),
        offering=scenario.our_offering_for(lang),
        known_facts=[fact.text_for(lang) for fact in scenario.all_facts() if fact.id in revealed],
        open_topics=open_topics,
        example_advance=example_advance(scenario, lang),
        language="Chinese (简体中文)" if lang == "zh" else "English",
        max_chars=MAX_CHARS[lang],
        turns=[
            {"turn": quoted.turn, "text": quoted.text, "why": quoted.why_en if lang == "en" else quoted.why_zh}
            for quoted in card.weakest_turns
        ],
    )
    return [SystemMessage(system), HumanMessage("Write the rewrites now, as the JSON object.")]


def model_rewrites(
    chat_model: BaseChatModel | None, scenario: Scenario, state: SessionState, card: Scorecard, rep_texts: list[str]
) -> dict[int, str] | None:
    """{turn: rewrite} from the model, all checked, or None (no model, skipped, or any failure)."""
    if chat_model is None or not card.weakest_turns or skip_reason(chat_model) is not None:
        return None
    check = RewriteCheck(
        [quoted.turn for quoted in card.weakest_turns], state.lang, rewrite_guard(scenario, state, rep_texts)
    )
    try:
        answer = structured(chat_model, KIND, Rewrites, rewrite_messages(scenario, state, card), EXAMPLE)
        answer = Rewrites.model_validate(answer.model_dump(), context={"check": check})
    except Exception as error:  # any failure: the offline rewrites stay
        logger.info("scorecard rewrites by the model failed, offline ones kept: %s", describe_error(error))
        return None
    return {item.turn: item.rewrite.strip(_WRAPPING_QUOTES) for item in answer.rewrites}


def with_rewrites(card: Scorecard, rewrites: dict[int, str] | None, lang: str) -> Scorecard:
    """The scorecard with the model's rewrites in the session's language, if they fit its quoted turns exactly."""
    if not rewrites or sorted(rewrites) != sorted(quoted.turn for quoted in card.weakest_turns):
        return card
    field = "try_en" if lang == "en" else "try_zh"
    frame = 'Try: "{}"' if lang == "en" else "试试：“{}”"
    turns = [quoted.model_copy(update={field: frame.format(rewrites[quoted.turn])}) for quoted in card.weakest_turns]
    return card.model_copy(update={"weakest_turns": turns, "rewrites_by": "model"})


def write_rewrites(
    chat_model: BaseChatModel | None, scenario: Scenario, state: SessionState, card: Scorecard, rep_texts: list[str]
) -> Scorecard:
    return with_rewrites(card, model_rewrites(chat_model, scenario, state, card, rep_texts), state.lang)


__all__: list[Any] = [
    "EXAMPLE",
    "MAX_CHARS",
    "RewriteCheck",
    "Rewrites",
    "in_language",
    "model_rewrites",
    "rewrite_guard",
    "with_rewrites",
    "write_rewrites",
]
