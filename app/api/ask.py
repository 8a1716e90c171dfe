"""Ask the playbook: cited answers, streamed answers, and the passages they cite."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status
from fastapi.sse import EventSourceResponse, ServerSentEvent

from app.db import release_connection
from app.deps import AskId, CurrentUser, SessionDep, not_found, rate_limited
from app.knowledge.pending import claim_or_404, pending_asks
from app.knowledge.service import AskRequest, AskResult, AskStarted, Passage, ask_events, ask_playbook
from app.knowledge.team_docs import asker_team_chunks, passage_for
from app.models.common import require_id
from app.streams import ask_sse

router = APIRouter(prefix="", tags=["ask"])

ChunkId = Annotated[str, Path(max_length=120, pattern=r"^[a-z0-9][a-z0-9._-]*$")]


@router.post("/ask", response_model=AskResult, dependencies=[Depends(rate_limited("rate_limit_asks"))])
def ask(body: AskRequest, request: Request, user: CurrentUser, session: SessionDep) -> AskResult:
    """Answer a question from the playbook and your team's documents, with citations (offline or model)."""
    return ask_playbook(
        body.question, request.app.state.settings, request.app.state.chat_model, asker_team_chunks(session, user)
    )


@router.post(
    "/asks",
    response_model=AskStarted,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limited("rate_limit_asks"))],
)
def start_ask(body: AskRequest, session: SessionDep, user: CurrentUser) -> AskStarted:
    """Accept a question for streaming; GET the returned stream_url for the answer."""
    ask_id = pending_asks.add(session, require_id(user), body.question)
    return AskStarted(ask_id=ask_id, stream_url=f"/api/asks/{ask_id}/stream")


def claimed_question(ask_id: AskId, session: SessionDep, user: CurrentUser) -> str:
    """The bearer's pending question, used up (404 for unknown, expired or other users' asks)."""
    return claim_or_404(session, ask_id, require_id(user))


@router.get("/asks/{ask_id}/stream", response_class=EventSourceResponse)
def stream_ask(
    request: Request, question: Annotated[str, Depends(claimed_question)], user: CurrentUser, session: SessionDep
) -> Iterator[ServerSentEvent]:
    """Stream the answer as SSE: `token` pieces, `citations`, `done` (`error` first if the model fails)."""
    chunks = asker_team_chunks(session, user)
    release_connection(session)  # the stream may take a while; it needs no connection
    yield from ask_sse(ask_events(question, request.app.state.settings, request.app.state.chat_model, chunks))


@router.get("/knowledge/{chunk_id}", response_model=Passage)
def passage(chunk_id: ChunkId, user: CurrentUser, session: SessionDep) -> Passage:
    """One cited passage: the playbook's, or your team's documents'; 404 for unknown or other teams' ids."""
    found = passage_for(chunk_id, "zh", session, user)
    if found is None:
        raise not_found("passage")
    return found
