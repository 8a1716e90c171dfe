"""Optional LLM SPIN classifier: a second opinion through structured output; the offline classifier stays the truth."""

from __future__ import annotations

import logging

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from app.coaching.spin import SpinLabel
from app.llm.calls import astructured, describe_error
from app.llm.prompts import render_prompt
from app.playbook import get_playbook

logger = logging.getLogger(__name__)
PROMPT = "spin_classifier_v1"
EXAMPLE = {"label": "P", "confidence": 0.8}  # shown to the model in JSON mode


class SpinVerdict(BaseModel):
    """What the model must return; anything else is rejected by validation."""

    label: SpinLabel = Field(description="S, P, I, N or other")
    confidence: float = Field(ge=0, le=1, description="how sure, 0..1")


def spin_messages(text: str) -> list:
    system = render_prompt(PROMPT, types=get_playbook().spin.types)
    return [SystemMessage(system), HumanMessage(text)]


async def classify_spin_llm(chat_model: BaseChatModel, text: str) -> SpinVerdict | None:
    """The model's label for one utterance, or None when the call fails or its output does not validate."""
    try:
        return await astructured(chat_model, "spin", SpinVerdict, spin_messages(text), EXAMPLE)
    except Exception as error:  # a second opinion is optional: any failure means "no opinion", never an error
        logger.info("SPIN second opinion unavailable: %s", describe_error(error))
        return None
