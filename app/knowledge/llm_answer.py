"""Grounded answers from the chat model: only the retrieved passages, cited by id, validated before use."""

from __future__ import annotations

import json
from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from app.config import PRODUCT_NAME
from app.knowledge.answer import Answer, citation_for
from app.knowledge.chunks import Chunk
from app.knowledge.tokenize import is_chinese, question_is_chinese
from app.llm.calls import stream_structured, structured
from app.llm.prompts import render_prompt

PROMPT_NAME = "ask_v1"
MAX_ANSWER_CHARS = 4000
MAX_CITED_IDS = 20


class GroundedAnswer(BaseModel):
    """The JSON object the model must return.

    The defaults let a half-written object validate while it streams; `grounded()` then
    insists that a covered answer cites at least one retrieved passage.
    """

    answer: str = Field(min_length=1, max_length=MAX_ANSWER_CHARS)
    cited_ids: list[str] = Field(default_factory=list, max_length=MAX_CITED_IDS)
    covered: bool = True


class UngroundedAnswer(ValueError):
    """The model's output cannot be shown: nothing usable, or an answer that cites none of our passages."""


def ask_messages(question: str, passages: list[Chunk]) -> list[BaseMessage]:
    """System prompt with the passages and their ids; the question alone, as a JSON string, in the user message."""
    lang = "zh" if question_is_chinese(question) else "en"
    system = render_prompt(
        PROMPT_NAME,
        passages=[
            {"id": c.id, "title": c.title, "source": c.source, "kind": c.source_kind, "text": c.text} for c in passages
        ],
        lang=lang,
        product_name=PRODUCT_NAME["zh" if lang == "zh" else "en"],
    )
    # JSON-encoding keeps the question one quoted value: it cannot close a tag or pose as instructions.
    return [SystemMessage(system), HumanMessage(json.dumps(question, ensure_ascii=False))]


def _example(passages: list[Chunk]) -> dict:
    """The JSON form shown to the model (JSON mode): DeepSeek, Qwen and local servers all support it."""
    cited = [passages[0].id] if passages else []
    return {"answer": "……", "cited_ids": cited, "covered": True}


def answer_with_model(chat_model: BaseChatModel, question: str, passages: list[Chunk]) -> Answer:
    """One grounded answer; raises on any model failure or unusable output."""
    reply = structured(chat_model, "ask", GroundedAnswer, ask_messages(question, passages), _example(passages))
    return grounded(reply, passages)


def stream_with_model(chat_model: BaseChatModel, question: str, passages: list[Chunk]) -> Iterator[GroundedAnswer]:
    """The answer object while the model writes it, each one more complete; pass the last one to `grounded()`."""
    for item in stream_structured(
        chat_model, "ask", GroundedAnswer, ask_messages(question, passages), _example(passages)
    ):
        if isinstance(item, GroundedAnswer):
            yield item
        elif isinstance(item.get("answer"), str) and item["answer"]:
            # Partial: only the answer text so far is shown; `grounded()` reads the validated object, last.
            yield GroundedAnswer.model_construct(answer=item["answer"], cited_ids=[], covered=True)


def grounded(reply: GroundedAnswer | None, passages: list[Chunk]) -> Answer:
    """Keep only citations of retrieved passages; a covered answer with none of them is rejected."""
    if reply is None:
        raise UngroundedAnswer("the model returned no usable answer")
    lang = "zh" if is_chinese(reply.answer) else "en"
    if not reply.covered:
        return Answer(
            answer=reply.answer,
            citations=[],
            covered=False,
            might_help=[citation_for(chunk, lang) for chunk in passages[:3]],
        )
    retrieved = {chunk.id: chunk for chunk in passages}
    cited = [retrieved[chunk_id] for chunk_id in dict.fromkeys(reply.cited_ids) if chunk_id in retrieved]
    if not cited:
        raise UngroundedAnswer(f"the answer cites none of the retrieved passages: {reply.cited_ids[:5]}")
    return Answer(answer=reply.answer, citations=[citation_for(chunk, lang) for chunk in cited])
