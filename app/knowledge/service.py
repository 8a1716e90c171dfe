"""The ask flow in one place: retrieve passages, answer offline or with the model, cite; whole or streamed.

The streamed answer is a sequence of plain events (`AnswerPiece`, `AnswerRestarted`, `AnswerCited`, `AnswerDone`);
the api and web layers frame them as server-sent events (app/streams.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field, StringConstraints

from app.config import Settings
from app.knowledge.answer import Answer, Citation, answer_offline, citation_for
from app.knowledge.chunks import Chunk, strip_key_terms
from app.knowledge.embeddings import knowledge_index
from app.knowledge.llm_answer import answer_with_model, grounded, stream_with_model
from app.knowledge.pinyin import read_pinyin
from app.knowledge.retriever import KnowledgeIndex, get_index
from app.knowledge.sources import load_decline_rules
from app.knowledge.tokenize import question_is_chinese
from app.llm.resilience import ModelSkipped, skip_reason
from app.models.ask import MAX_QUESTION_CHARS  # the column's width

logger = logging.getLogger(__name__)

PASSAGES_FOR_MODEL = 5
STREAM_PIECE_CHARS = 12  # offline answers stream in pieces this long, so both modes look alike
MODEL_FAILED_NOTICE = {
    "zh": "模型暂时不可用，以下是手册的离线答案。",
    "en": "The model is unavailable right now; this is the offline answer from the playbook.",
}

Mode = Literal["offline", "llm"]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)]


class AskRequest(BaseModel):
    """A question for the playbook."""

    question: Question


class AskResult(BaseModel):
    """The answer, the passages it cites, which engine wrote it, and why the model was skipped (if it was)."""

    answer: str
    citations: list[Citation]
    mode: Mode
    notice: str | None = Field(default=None, description="Set when the model failed and the offline answer is shown.")
    covered: bool = Field(
        default=True, description="False when the playbook does not answer the question (not covered, or declined)."
    )
    declined: bool = Field(
        default=False,
        description="True when the question is out of scope and declined in one "
        "line (another vendor's prices, legal/HR, chit-chat, bribery).",
    )
    might_help: list[Citation] = Field(
        default_factory=list, description="When not covered: the closest passages, offered as 'might help'."
    )


class Passage(BaseModel):
    """One knowledge-base passage, as a citation opens it (without the retrieval-only key terms)."""

    id: str
    title: str
    source: str = Field(description="The seed document the facts come from.")
    file: str = Field(description="The knowledge-base file the passage is written in.")
    text: str
    source_title: str = Field(default="", description="The source's human title.")
    source_kind: Literal["playbook", "team"] = "playbook"
    origin: Literal["manual", "general", "team"] = "manual"


class AskStarted(BaseModel):
    """A question accepted for streaming: open `stream_url` (GET) to receive the answer."""

    ask_id: str
    stream_url: str


@dataclass(frozen=True)
class AnswerPiece:
    """The next piece of the answer's text."""

    text: str


@dataclass(frozen=True)
class AnswerRestarted:
    """The model failed mid-answer: drop the text so far; the offline answer follows, and `notice` says why."""

    notice: str


@dataclass(frozen=True)
class AnswerCited:
    """The passages the answer cites (after its last piece)."""

    citations: list[Citation]


@dataclass(frozen=True)
class AnswerDone:
    """The last event: the whole result (engine, notice, covered, declined, might_help)."""

    result: AskResult


AskEvent = AnswerPiece | AnswerRestarted | AnswerCited | AnswerDone


def declined(question: str) -> AskResult | None:
    """The one-line decline for an out-of-scope question (playbooks/ask/declines.yaml), or None to answer it."""
    category = load_decline_rules().match(question)
    if category is None:
        return None
    lang = _lang(question)
    see_also = []
    if category.see_also:
        try:
            see_also = [citation_for(get_index().chunk(category.see_also), lang)]
        except KeyError:
            logger.warning("declines.yaml: see_also %r is not a knowledge passage", category.see_also)
    return AskResult(
        answer=category.message.get(lang),
        citations=[],
        mode="offline",
        covered=False,
        declined=True,
        might_help=see_also,
    )


def ask_playbook(
    question: str, settings: Settings, chat_model: BaseChatModel | None, team_chunks: Sequence[Chunk] = ()
) -> AskResult:
    """Answer a question with the configured engine from the playbook and the asker's team documents;
    any model failure falls back to the offline answer. A question typed in pinyin is read as Chinese."""
    question = read_pinyin(question)
    if (decline := declined(question)) is not None:
        return decline
    index = knowledge_index(settings).extended(team_chunks)
    passages, notice = _passages_for_model(question, index, chat_model)
    if not passages or chat_model is None:
        return _offline(question, index, notice)
    try:
        answer = answer_with_model(chat_model, question, passages)
    except Exception as error:  # 429, 500, timeout, garbage: whatever the model did, the playbook still answers
        logger.warning("ask: model failed, answering offline: %s: %s", type(error).__name__, error)
        return _offline(question, index, _failure_notice(question, error))
    return _result(answer, "llm")


def ask_events(
    question: str, settings: Settings, chat_model: BaseChatModel | None, team_chunks: Sequence[Chunk] = ()
) -> Iterator[AskEvent]:
    """The answer as events: `AnswerPiece`s in order, then `AnswerCited`, then `AnswerDone`.

    When the model fails (before or during its answer) `AnswerRestarted` tells the client to drop
    any text so far; the offline answer follows as pieces, and `AnswerDone` carries mode and notice.
    A question typed in pinyin is read as Chinese.
    """
    question = read_pinyin(question)
    if (decline := declined(question)) is not None:
        yield from _result_events(decline)
        return
    index = knowledge_index(settings).extended(team_chunks)
    passages, notice = _passages_for_model(question, index, chat_model)
    if not passages or chat_model is None:
        yield from _result_events(_offline(question, index, notice))
        return
    sent = ""
    try:
        reply = None
        for reply in stream_with_model(chat_model, question, passages):
            if reply.answer.startswith(sent) and len(reply.answer) > len(sent):
                yield AnswerPiece(reply.answer[len(sent) :])
                sent = reply.answer
        answer = grounded(reply, passages)
    except Exception as error:  # as in ask_playbook: never leave the rep without an answer
        logger.warning(
            "ask stream: model failed after %d chars, answering offline: %s: %s", len(sent), type(error).__name__, error
        )
        notice = _failure_notice(question, error)
        yield AnswerRestarted(notice)
        yield from _result_events(_offline(question, index, notice))
        return
    yield AnswerCited(answer.citations)
    yield AnswerDone(_result(answer, "llm"))


def find_passage(chunk_id: str, lang: str = "zh", team_chunk: Chunk | None = None) -> Passage | None:
    """The passage a citation points to (a team passage the caller found for the user), or None for an unknown id."""
    chunk = team_chunk
    if chunk is None:
        try:
            chunk = get_index().chunk(chunk_id)
        except KeyError:
            return None
    citation = citation_for(chunk, lang)
    return Passage(
        id=chunk.id,
        title=chunk.title,
        source=chunk.source,
        file=chunk.file,
        text=strip_key_terms(chunk.text),
        source_title=citation.source_title,
        source_kind=citation.source_kind,
        origin=citation.origin,
    )


def _passages_for_model(
    question: str, index: KnowledgeIndex, chat_model: BaseChatModel | None
) -> tuple[list[Chunk], str | None]:
    """The passages to ground the model on; none means "answer offline", with the reason to show, if any."""
    if chat_model is None:
        return [], None
    if (skipped := skip_reason(chat_model)) is not None:  # circuit open or budget used: do not even try
        return [], skipped.text(_lang(question))
    return [chunk for chunk, _score in index.search(question, PASSAGES_FOR_MODEL)], None


def _offline(question: str, index: KnowledgeIndex, notice: str | None = None) -> AskResult:
    return _result(answer_offline(question, index), "offline", notice)


def _result(answer: Answer, mode: Mode, notice: str | None = None) -> AskResult:
    return AskResult(
        answer=answer.answer,
        citations=answer.citations,
        mode=mode,
        notice=notice,
        covered=answer.covered,
        might_help=answer.might_help,
    )


def _lang(question: str) -> str:
    return "zh" if question_is_chinese(question) else "en"


def _failure_notice(question: str, error: Exception) -> str:
    if isinstance(error, ModelSkipped):  # refused by the guard between our check and the call
        return error.text(_lang(question))
    return MODEL_FAILED_NOTICE[_lang(question)]


def _result_events(result: AskResult) -> Iterator[AskEvent]:
    text = result.answer
    for start in range(0, len(text), STREAM_PIECE_CHARS):
        yield AnswerPiece(text[start : start + STREAM_PIECE_CHARS])
    yield AnswerCited(result.citations)
    yield AnswerDone(result)
