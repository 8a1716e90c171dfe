"""Ask the playbook: cited answers, streamed answers, and the passages they cite."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status
from fastapi.sse import EventSourceResponse, ServerSentEvent

from app.deps import AskId, CurrentUser, SessionDep, not_found, rate_limited
from app.knowledge.pending import claim_or_404, pending_asks
from app.knowledge.service import AskRequest, AskResult, AskStarted, Passage, ask_events, ask_playbook, find_passage

router = APIRouter(prefix="", tags=["ask"])

ChunkId = Annotated[str, Path(max_length=120, pattern=r"^[a-z0-9][a-z0-9._-]*$")]


@router.post("/ask", response_model=AskResult, dependencies=[Depends(rate_limited("rate_limit_asks"))])
def ask(body: AskRequest, request: Request) -> AskResult:
    """Answer a question from the playbook, with citations (offline or grounded model answer)."""
    return ask_playbook(body.question, request.app.state.settings, request.app.state.chat_model)


@router.post("/asks", response_model=AskStarted, status_code=status.HTTP_201_CREATED,
             dependencies=[Depends(rate_limited("rate_limit_asks"))])
def start_ask(body: AskRequest, session: SessionDep, user: CurrentUser) -> AskStarted:
    """Accept a question for streaming; GET the returned stream_url for the answer."""
    ask_id = pending_asks.add(session, user.id, body.question)
    return AskStarted(ask_id=ask_id, stream_url=f"/api/asks/{ask_id}/stream")


def claimed_question(ask_id: AskId, session: SessionDep, user: CurrentUser) -> str:
    """The bearer's pending question, used up (404 for unknown, expired or other users' asks)."""
    return claim_or_404(session, ask_id, user.id)


@router.get("/asks/{ask_id}/stream", response_class=EventSourceResponse)
def stream_ask(request: Request, question: Annotated[str, Depends(claimed_question)]) -> Iterator[ServerSentEvent]:
    """Stream the answer as SSE: `token` pieces, `citations`, `done` (`error` first if the model fails)."""
    yield from ask_events(question, request.app.state.settings, request.app.state.chat_model)


@router.get("/knowledge/{chunk_id}", response_model=Passage)
def passage(chunk_id: ChunkId) -> Passage:
    """One cited passage of the knowledge base; 404 for unknown ids."""
    found = find_passage(chunk_id)
    if found is None:
        raise not_found("passage")
    return found
