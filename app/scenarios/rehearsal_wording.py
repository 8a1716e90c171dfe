"""Rehearse this deal, with a model configured: the model rewords the rehearsal scenario (persona description,
opening line, hidden facts, objections; zh and en) in the stakeholder's voice. Structure stays deterministic: the
fact and objection ids, their categories, topics, prerequisites and trust come from app.scenarios.rehearsal; the
model's JSON must name exactly those ids and the merged scenario must pass the scenario schema and size limits,
else the offline wording is used unchanged."""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from app.llm.calls import structured
from app.llm.prompts import render_prompt
from app.llm.resilience import skip_reason
from app.playbook.vocabulary import SPIN_CATEGORIES
from app.scenarios import library

PROMPT = "rehearsal_wording_v1"
KIND = "draft"  # the same token budget as a scenario draft from material
logger = logging.getLogger(__name__)


def _text() -> Any:
    return Field(min_length=4, max_length=400)


class WordedFact(BaseModel):
    id: str = Field(max_length=20)
    text: str = _text()
    text_en: str = _text()


class WordedObjection(BaseModel):
    id: str = Field(max_length=40)
    text: str = _text()
    text_en: str = _text()
    resolved_text: str = _text()
    resolved_text_en: str = _text()


class RehearsalWording(BaseModel):
    """What the model returns: new wording for the texts of the scenario it was shown, by id."""

    deal_context: str = Field(min_length=4, max_length=600)
    deal_context_en: str = Field(min_length=4, max_length=600)
    opening_line: str = _text()
    opening_line_en: str = _text()
    facts: list[WordedFact] = Field(min_length=1, max_length=60)
    objections: list[WordedObjection] = Field(max_length=10)


class WrongIds(ValueError):
    """The model's wording names other facts or objections than the scenario has."""


def wording_of(content: dict[str, Any]) -> dict[str, Any]:
    """The texts the model rewrites, as the deterministic builder wrote them (the model's input)."""
    return {
        "deal_context": content["deal_context"],
        "deal_context_en": content["deal_context_en"],
        "opening_line": content["opening_line"],
        "opening_line_en": content["opening_line_en"],
        "facts": [
            {"id": fact["id"], "category": category, "text": fact["text"], "text_en": fact["text_en"]}
            for category in SPIN_CATEGORIES
            for fact in content["facts"][category]
        ],
        "objections": [
            {key: objection[key] for key in ("id", "text", "text_en", "resolved_text", "resolved_text_en")}
            for objection in content["objections"]
        ],
    }


def example_of(content: dict[str, Any]) -> dict[str, Any]:
    """The JSON example for JSON mode: the answer's shape with this scenario's ids."""
    zh, en = "（改写后的中文）", "(the same in English)"
    return {
        "deal_context": zh,
        "deal_context_en": en,
        "opening_line": zh,
        "opening_line_en": en,
        "facts": [{"id": fact["id"], "text": zh, "text_en": en} for fact in wording_of(content)["facts"]],
        "objections": [
            {"id": item["id"], "text": zh, "text_en": en, "resolved_text": zh, "resolved_text_en": en}
            for item in content["objections"]
        ],
    }


def merged(content: dict[str, Any], wording: RehearsalWording) -> dict[str, Any]:
    """The content with the model's texts in place of the builder's; WrongIds unless the ids match exactly."""
    fact_ids = [fact["id"] for category in SPIN_CATEGORIES for fact in content["facts"][category]]
    objection_ids = [objection["id"] for objection in content["objections"]]
    facts = {fact.id: fact for fact in wording.facts}
    objections = {objection.id: objection for objection in wording.objections}
    if sorted(facts) != sorted(fact_ids) or len(facts) != len(wording.facts):
        raise WrongIds(f"facts {sorted(facts)} instead of {sorted(fact_ids)}")
    if sorted(objections) != sorted(objection_ids) or len(objections) != len(wording.objections):
        raise WrongIds(f"objections {sorted(objections)} instead of {sorted(objection_ids)}")
    result = copy.deepcopy(content)
    for key in ("deal_context", "deal_context_en", "opening_line", "opening_line_en"):
        result[key] = getattr(wording, key).strip()
    for category in SPIN_CATEGORIES:
        for fact in result["facts"][category]:
            fact["text"], fact["text_en"] = facts[fact["id"]].text.strip(), facts[fact["id"]].text_en.strip()
    for objection in result["objections"]:
        worded = objections[objection["id"]]
        objection.update(
            text=worded.text.strip(),
            text_en=worded.text_en.strip(),
            resolved_text=worded.resolved_text.strip(),
            resolved_text_en=worded.resolved_text_en.strip(),
        )
    return result


def messages_for(content: dict[str, Any], stakeholder: str, title: str, account: str) -> list:
    system = render_prompt(PROMPT, stakeholder=stakeholder, title=title, account=account)
    return [SystemMessage(system), HumanMessage(json.dumps(wording_of(content), ensure_ascii=False))]


def worded_by_model(chat_model: BaseChatModel | None, content: dict[str, Any]) -> dict[str, Any] | None:
    """The content reworded by the model, validated; None offline or on any failure (the caller keeps its own)."""
    if chat_model is None or skip_reason(chat_model) is not None:
        return None
    persona = content["persona"]
    try:
        wording = structured(
            chat_model,
            KIND,
            RehearsalWording,
            messages_for(content, persona["name"], persona["title"], content["company"]["name"]),
            example_of(content),
        )
        result = merged(content, wording)
        library.validate_content(result)  # the scenario schema and the size limits, as for any authored scenario
    except Exception:  # wording is a nicety: any failure (call, JSON, ids, schema) keeps the offline scenario
        logger.warning("rehearsal wording by the model failed; the offline wording is used", exc_info=True)
        return None
    return result
