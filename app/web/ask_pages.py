"""The Ask-the-playbook page: question form, streamed answer, citations that open the passage."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request, status
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import ValidationError

from app.db import release_connection
from app.deps import AskId, SessionDep, enforce_rate_limit
from app.i18n import get_lang, translate
from app.knowledge.pending import claim_or_404, pending_asks
from app.knowledge.service import MAX_QUESTION_CHARS, AskRequest, AskStarted, ask_events, ask_playbook
from app.knowledge.team_docs import asker_team_chunks, passage_for
from app.models import User
from app.models.common import require_id
from app.streams import ask_sse
from app.web.markdown import render_markdown
from app.web.security import CsrfChecked, WebUser
from app.web.templating import render

router = APIRouter(include_in_schema=False)

EXAMPLE_KEYS = ("ask.example.1", "ask.example.2", "ask.example.3")
# Longer than any valid question, so an over-long one reaches our own check and gets a readable message.
FORM_LIMIT = 4 * MAX_QUESTION_CHARS

QuestionField = Annotated[str, Form(max_length=FORM_LIMIT)]


def _page(request: Request, status_code: int = 200, **context: object):
    values: dict[str, object] = {
        "question": "",
        "result": None,
        "error": None,
        "example_keys": EXAMPLE_KEYS,
        "max_chars": MAX_QUESTION_CHARS,
    }
    values.update(context)
    return render(request, "ask/index.html", values, status_code=status_code)


def _valid_question(question: str) -> str | None:
    """The question trimmed, or None when it is empty or too long (the API's own rule)."""
    try:
        return AskRequest(question=question).question
    except ValidationError:
        return None


def _invalid_message(request: Request) -> str:
    return translate("ask.invalid_question", get_lang(request), max_chars=MAX_QUESTION_CHARS)


def _count_ask(request: Request, user: User) -> None:
    # Same key as the API's limit: the page and the API share one budget per user.
    enforce_rate_limit(request, "rate_limit_asks", f"user:{user.id}")


@router.get("/ask")
def ask_page(request: Request, user: WebUser, q: Annotated[str, Query(max_length=MAX_QUESTION_CHARS)] = ""):
    """The question form; `q` pre-fills it (the example links)."""
    return _page(request, question=q)


@router.post("/ask", dependencies=[CsrfChecked])
def ask_without_script(request: Request, user: WebUser, session: SessionDep, question: QuestionField):
    """The whole answer in one page, for browsers without JavaScript."""
    valid = _valid_question(question)
    if valid is None:
        return _page(
            request,
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            question=question[:MAX_QUESTION_CHARS],
            error=_invalid_message(request),
        )
    _count_ask(request, user)
    result = ask_playbook(
        valid, request.app.state.settings, request.app.state.chat_model, asker_team_chunks(session, user)
    )
    return _page(request, question=valid, result=result)


@router.post("/ask/asks", dependencies=[CsrfChecked], response_model=AskStarted)
def start_ask(request: Request, session: SessionDep, user: WebUser, question: QuestionField):
    """Accept a question for streaming (the page's script then opens stream_url)."""
    valid = _valid_question(question)
    if valid is None:
        return JSONResponse({"detail": _invalid_message(request)}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    _count_ask(request, user)
    ask_id = pending_asks.add(session, require_id(user), valid)
    return AskStarted(ask_id=ask_id, stream_url=f"/ask/asks/{ask_id}/stream")


def claimed_question(ask_id: AskId, session: SessionDep, user: WebUser) -> str:
    """The signed-in user's pending question, used up (404 for unknown, expired or other users' asks)."""
    return claim_or_404(session, ask_id, require_id(user))


@router.get("/ask/asks/{ask_id}/stream", response_class=EventSourceResponse)
def stream_ask(
    request: Request, question: Annotated[str, Depends(claimed_question)], user: WebUser, session: SessionDep
) -> Iterator[ServerSentEvent]:
    """The streamed answer, the same events as GET /api/asks/{ask_id}/stream."""
    chunks = asker_team_chunks(session, user)
    release_connection(session)  # the stream needs no connection
    yield from ask_sse(ask_events(question, request.app.state.settings, request.app.state.chat_model, chunks))


@router.get("/ask/passages/{chunk_id}")
def passage_page(request: Request, user: WebUser, session: SessionDep, chunk_id: Annotated[str, Path(max_length=120)]):
    """A cited passage, rendered as Markdown: the side panel's content for htmx, a page of its own otherwise."""
    lang = get_lang(request)
    passage = passage_for(chunk_id, lang, session, user)
    if passage is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=translate("ask.passage.not_found", lang))
    context = {"passage": passage, "passage_html": render_markdown(passage.text)}
    if request.headers.get("hx-request"):
        return render(request, "ask/_passage.html", context)
    return render(request, "ask/passage.html", {**context, "standalone": True})
