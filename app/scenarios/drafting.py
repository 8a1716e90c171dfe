"""Draft from material: with a model configured, a scenario draft from pasted product notes or a customer
description, as structured output (JSON mode) validated here and then shown in the editor for the manager to fix."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any, get_args

from anyio import to_thread
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from app.llm.calls import astructured
from app.llm.prompts import PROMPTS_DIR, render_prompt
from app.llm.resilience import skip_reason
from app.playbook import get_playbook
from app.playbook.vocabulary import SPIN_CATEGORIES
from app.roleplay.scenarios import CommitmentKind, CommunicationStyle, PurchaseRole

PROMPT = "scenario_draft_v1"
logger = logging.getLogger(__name__)

Text = Field(min_length=2, max_length=400)


def English() -> Any:  # noqa: N802 - a field factory, read like the Text constant
    return Field(default="", max_length=400)


class DraftFact(BaseModel):
    text: str = Text
    text_en: str = Field(default="", max_length=400)
    topics: list[str] = Field(default_factory=list, max_length=6)


class DraftFacts(BaseModel):
    situation: list[DraftFact] = Field(min_length=1, max_length=4)
    problem: list[DraftFact] = Field(min_length=1, max_length=4)
    implication: list[DraftFact] = Field(min_length=1, max_length=4)
    need_payoff: list[DraftFact] = Field(min_length=1, max_length=4)


class DraftObjection(BaseModel):
    text: str = Text
    text_en: str = English()
    resolved_text: str = Text
    resolved_text_en: str = English()


class DraftCommitment(BaseModel):
    kind: CommitmentKind
    description: str = Text
    description_en: str = English()
    ask_zh: str = Text
    ask_en: str = English()
    keywords: list[str] = Field(min_length=1, max_length=6)
    granted_text: str = Text
    granted_text_en: str = English()


class ScenarioDraft(BaseModel):
    """What the model must return; anything else fails validation and the editor starts from the template."""

    title_zh: str = Field(min_length=2, max_length=120)
    title_en: str = Field(default="", max_length=120)
    industry: str = Field(default="general", max_length=60)
    company_name: str = Text
    company_size: str = Text
    company_context: str = Text
    deal_context: str = Text
    deal_context_en: str = English()
    our_offering: str = Text
    our_offering_en: str = English()
    competitors: list[str] = Field(default_factory=list, max_length=5)
    persona_name: str = Field(min_length=1, max_length=120)
    persona_title: str = Field(min_length=1, max_length=120)
    communication_style: CommunicationStyle
    purchase_role: PurchaseRole
    opening_line: str = Text
    opening_line_en: str = English()
    facts: DraftFacts
    objections: list[DraftObjection] = Field(min_length=1, max_length=4)
    buying_signals: list[str] = Field(min_length=1, max_length=3)
    commitment: DraftCommitment


def draft_messages(material: str) -> list:
    playbook = get_playbook()
    name = lambda element_id: playbook.element(element_id).name_zh  # noqa: E731
    system = render_prompt(
        PROMPT,
        styles=[(i, name(i)) for i in get_args(CommunicationStyle)],
        roles=[(i, name(i)) for i in get_args(PurchaseRole)],
        kinds=list(get_args(CommitmentKind)),
    )
    return [SystemMessage(system), HumanMessage(json.dumps(material, ensure_ascii=False))]


def content_of(draft: ScenarioDraft) -> dict[str, Any]:
    """The draft as scenario content in the format the editor reads (ids by slot, handled-by defaults)."""
    facts = {
        category: [
            {
                "id": f"{category[0]}{i + 1}",
                "text": fact.text,
                "text_en": fact.text_en,
                "topics": {"zh": fact.topics, "en": []},
                "requires": [],
                "min_trust": 0,
            }
            for i, fact in enumerate(getattr(draft.facts, category))
        ]
        for category in SPIN_CATEGORIES
    }
    for later, earlier in zip(SPIN_CATEGORIES[1:], SPIN_CATEGORIES, strict=False):
        for index, fact in enumerate(facts[later]):  # each builds on the fact before it, as SPIN goes
            fact["requires"] = [facts[earlier][min(index, len(facts[earlier]) - 1)]["id"]]
    objections = [
        {
            "id": f"obj{i + 1}",
            "text": item.text,
            "trigger": "premature_pitch" if i == 0 else "price",
            "handled_by": {"spin": ["S", "P"] if i == 0 else ["I", "N"], "keywords": []},
            "text_en": item.text_en,
            "resolved_text": item.resolved_text,
            "resolved_text_en": item.resolved_text_en,
        }
        for i, item in enumerate(draft.objections)
    ]
    return {
        "title_zh": draft.title_zh,
        "title_en": draft.title_en,
        "difficulty": "medium",
        "industry": draft.industry,
        "company": {"name": draft.company_name, "size": draft.company_size, "context": draft.company_context},
        "deal_context": draft.deal_context,
        "deal_context_en": draft.deal_context_en,
        "our_offering": draft.our_offering,
        "our_offering_en": draft.our_offering_en,
        "competitors": draft.competitors,
        "persona": {
            "name": draft.persona_name,
            "title": draft.persona_title,
            "communication_style": draft.communication_style,
            "purchase_role": draft.purchase_role,
        },
        "opening_line": draft.opening_line,
        "opening_line_en": draft.opening_line_en,
        "facts": facts,
        "objections": objections,
        "buying_signals": [{"id": f"sig{i + 1}", "text": text} for i, text in enumerate(draft.buying_signals)],
        "success": {"commitment": draft.commitment.model_dump()},
    }


async def draft_from_material(chat_model: BaseChatModel, material: str) -> dict[str, Any] | None:
    """Scenario content drafted by the model, or None (model unavailable, failed, or output did not validate)."""
    if await to_thread.run_sync(skip_reason, chat_model) is not None:
        return None
    try:
        draft = await astructured(chat_model, "draft", ScenarioDraft, draft_messages(material), draft_example())
    except Exception:  # a draft is a convenience: any failure means "start from the template"
        logger.warning("scenario draft from material failed", exc_info=True)
        return None
    return content_of(draft)


@lru_cache
def draft_example() -> dict[str, Any]:
    """The example answer shown to the model in JSON mode (a file beside the prompt)."""
    return json.loads((PROMPTS_DIR / "scenario_draft_example_v1.json").read_text(encoding="utf-8"))
