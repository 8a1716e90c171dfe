"""Role-play sessions: start, take turns (JSON or streamed), finish, read the transcript."""

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.auth.policy import can_view_user, visible_user_ids
from app.db import release_connection
from app.deps import CurrentUser, SessionDep, enforce_daily_limit, not_found, rate_limited
from app.drills.reviews import roleplay_reviews
from app.drills.schemas import ReviewPublic
from app.i18n import Lang, get_lang
from app.models import RolePlay, RolePlayStatus, Turn, TurnStatus, User
from app.models.common import MAX_DB_INTEGER, require_id
from app.roleplay import service
from app.roleplay.access import MAX_TURN_CHARS, own_rep_turn_for_stream, own_roleplay, visible_roleplay
from app.roleplay.feedback import StateSummary, summarize_state
from app.roleplay.service import DoneEvent, FeedbackEvent, RolePlayError, TokenEvent, TurnResult
from app.scenarios import repository

router = APIRouter(prefix="/roleplays", tags=["roleplay"])
logger = logging.getLogger(__name__)

TurnLimit = Depends(rate_limited("rate_limit_turns"))


# --- schemas ------------------------------------------------------------------------------------------


class RolePlayStart(BaseModel):
    scenario_id: str | None = Field(
        default=None, min_length=1, max_length=80, description="required unless drill_id is given"
    )
    drill_id: int | None = Field(default=None, ge=1, le=MAX_DB_INTEGER)
    lang: Lang | None = Field(
        default=None,
        description="the language the buyer speaks (default: the UI language: the lang cookie, else Accept-Language, else zh)",
    )


class TurnIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TURN_CHARS)
    client_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="idempotency key: sending the same one again returns the stored turn",
    )
    second_opinion: bool = Field(
        default=False,
        description="LLM mode: also ask the model for its SPIN label "
        "(one more model call; the offline label stays the truth)",
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be blank")
        return value.strip()


class RolePlayStarted(BaseModel):
    id: int
    scenario_id: str
    opening: str
    status: RolePlayStatus
    engine: str
    state: StateSummary
    lang: str = "zh"


class MessageAccepted(BaseModel):
    turn_id: int
    stream_url: str


class TranscriptTurn(BaseModel):
    id: int
    seq: int
    speaker: str
    text: str
    status: TurnStatus
    spin: str | None
    feedback: dict[str, Any] | None  # rep turns only
    created_at: datetime
    comments: list[ReviewPublic] = []  # managers' comments on this line


class RolePlaySummary(BaseModel):
    id: int
    owner_id: int
    scenario_id: str
    title_zh: str
    title_en: str
    drill_id: int | None
    status: RolePlayStatus
    score: int | None
    note_id: int | None
    created_at: datetime
    finished_at: datetime | None


class RolePlayDetail(RolePlaySummary):
    engine: str
    lang: str = "zh"  # the language the buyer speaks in this session
    turns: list[TranscriptTurn]
    state: StateSummary
    pending_turn_id: int | None
    effective_score: int | None = None  # the latest manager override, else the coach's score (`score`)
    reviews: list[ReviewPublic] = []  # every review, oldest first (line comments carry their turn_id)


class FinishOut(BaseModel):
    scorecard: dict[str, Any]
    note_id: int


# --- helpers ------------------------------------------------------------------------------------------


def own_rep_turn(
    roleplay_id: int,
    turn: Annotated[int, Query(ge=1, description="turn_id from POST .../messages")],
    session: SessionDep,
    user: CurrentUser,
) -> Turn:
    """Dependency: the API stream's turn (the stream runs on short sessions of its own)."""
    rep_turn = own_rep_turn_for_stream(session, user, roleplay_id, turn)
    release_connection(session)
    return rep_turn


def summary_of(roleplay: RolePlay, session: Session | None = None) -> RolePlaySummary:
    scenario = repository.get_scenario(session, roleplay.scenario_id)
    return RolePlaySummary(
        id=roleplay.id,
        owner_id=roleplay.owner_id,
        scenario_id=roleplay.scenario_id,
        title_zh=scenario.title_zh if scenario else roleplay.scenario_id,
        title_en=scenario.title_en if scenario else roleplay.scenario_id,
        drill_id=roleplay.drill_id,
        status=roleplay.status,
        score=roleplay.score,
        note_id=roleplay.note_id,
        created_at=roleplay.created_at,
        finished_at=roleplay.finished_at,
    )


def stream_url(roleplay_id: int, turn_id: int, second_opinion: bool = False) -> str:
    return f"/api/roleplays/{roleplay_id}/stream?turn={turn_id}" + ("&second_opinion=true" if second_opinion else "")


def _submit(session: Session, user: User, roleplay_id: int, body: TurnIn) -> Turn:
    roleplay = own_roleplay(session, user, roleplay_id)
    turn = service.submit_rep_turn(session, roleplay, body.text, body.client_id)
    release_connection(session)  # the reply runs on its own short sessions
    return turn


def _submit_and_prepare(
    session: Session, user: User, roleplay_id: int, body: TurnIn, engine: Engine, chat_model: BaseChatModel | None
) -> service.TurnPlan | TurnResult:
    """One worker-thread trip: store the rep's message (committed), then decide the buyer's move."""
    roleplay = own_roleplay(session, user, roleplay_id)
    return service.submit_and_prepare(session, engine, chat_model, roleplay, body.text, body.client_id)


# --- routes -------------------------------------------------------------------------------------------


@router.post("", status_code=status.HTTP_201_CREATED)
def start(body: RolePlayStart, request: Request, session: SessionDep, user: CurrentUser) -> RolePlayStarted:
    """Start a session on a scenario (or a drill's scenario); the buyer speaks first."""
    engine_name = "offline" if request.app.state.chat_model is None else "llm"
    enforce_daily_limit(request, "rate_limit_roleplays_daily", user)
    roleplay = service.start_roleplay(
        session, user, body.scenario_id, body.drill_id, engine_name, lang=body.lang or get_lang(request)
    )
    opening = service.transcript(session, require_id(roleplay))[0].text
    scenario = service.scenario_of(session, roleplay.scenario_id)
    state = service.state_of(roleplay)
    return RolePlayStarted(
        id=roleplay.id,
        scenario_id=roleplay.scenario_id,
        opening=opening,
        status=roleplay.status,
        engine=roleplay.engine,
        state=summarize_state(scenario, state),
        lang=state.lang,
    )


@router.get("")
def list_roleplays(
    session: SessionDep,
    user: CurrentUser,
    owner_id: Annotated[int | None, Query(ge=1, description="a rep you manage (default: yourself)")] = None,
    scope: Annotated[Literal["own", "team"], Query(description="team: every rep you may see")] = "own",
    status_filter: Annotated[RolePlayStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[RolePlaySummary]:
    """Your sessions, newest first; managers may list a rep of theirs or their whole team."""
    query = select(RolePlay)
    if owner_id is not None:
        if not can_view_user(session, user, owner_id):
            raise not_found("user")
        query = query.where(RolePlay.owner_id == owner_id)
    elif scope == "team":
        visible = visible_user_ids(session, user)
        if visible is not None:
            query = query.where(col(RolePlay.owner_id).in_(visible))
    else:
        query = query.where(RolePlay.owner_id == user.id)
    if status_filter is not None:
        query = query.where(RolePlay.status == status_filter)
    rows = session.exec(
        query.order_by(col(RolePlay.created_at).desc(), col(RolePlay.id).desc()).offset(offset).limit(limit)
    )
    return [summary_of(roleplay, session) for roleplay in rows]


@router.get("/{roleplay_id}")
def read_roleplay(roleplay_id: int, session: SessionDep, user: CurrentUser) -> RolePlayDetail:
    """The transcript with per-turn feedback and the session state (owner, their manager, admins)."""
    roleplay = visible_roleplay(session, user, roleplay_id)
    turns = service.transcript(session, require_id(roleplay))
    pending = next((turn.id for turn in turns if turn.speaker == "rep" and turn.status == TurnStatus.pending), None)
    scenario = service.scenario_of(session, roleplay.scenario_id)
    reviews = roleplay_reviews(session, roleplay)
    return RolePlayDetail(
        **summary_of(roleplay, session).model_dump(),
        engine=roleplay.engine,
        lang=service.state_of(roleplay).lang,
        turns=[
            TranscriptTurn(
                id=turn.id,
                seq=turn.seq,
                speaker=turn.speaker,
                text=turn.text,
                status=turn.status,
                spin=turn.spin,
                feedback=turn.feedback if turn.speaker == "rep" else None,
                created_at=turn.created_at,
                comments=[review for review in reviews.reviews if review.turn_id == turn.id],
            )
            for turn in turns
        ],
        state=summarize_state(scenario, service.state_of(roleplay)),
        pending_turn_id=pending,
        effective_score=reviews.score,
        reviews=reviews.reviews,
    )


@router.post("/{roleplay_id}/turns", dependencies=[TurnLimit])
async def take_turn(
    roleplay_id: int, body: TurnIn, request: Request, session: SessionDep, user: CurrentUser
) -> TurnResult:
    """Say something to the buyer; returns the reply, the coach's feedback and the new state."""
    engine, chat_model = request.app.state.engine, request.app.state.chat_model
    prepared = await run_in_threadpool(_submit_and_prepare, session, user, roleplay_id, body, engine, chat_model)
    return await service.take_turn(
        engine,
        chat_model,
        prepared,
        second_opinion=body.second_opinion,
        understand=request.app.state.settings.roleplay_llm_understanding,
    )


@router.post("/{roleplay_id}/messages", status_code=status.HTTP_202_ACCEPTED, dependencies=[TurnLimit])
def post_message(roleplay_id: int, body: TurnIn, session: SessionDep, user: CurrentUser) -> MessageAccepted:
    """Store a message for the streaming UI; GET the returned stream_url for the buyer's reply."""
    turn = _submit(session, user, roleplay_id, body)
    turn_id = require_id(turn)
    return MessageAccepted(turn_id=turn_id, stream_url=stream_url(roleplay_id, turn_id, body.second_opinion))


@router.get("/{roleplay_id}/stream", response_class=EventSourceResponse)
async def stream_reply(
    roleplay_id: int, request: Request, rep_turn: Annotated[Turn, Depends(own_rep_turn)], second_opinion: bool = False
) -> AsyncIterator[ServerSentEvent]:
    """The buyer's reply as server-sent events: `token` pieces, `feedback`, `done` (the stored reply), or `error`."""
    try:
        async for event in service.run_turn(
            request.app.state.engine,
            request.app.state.chat_model,
            roleplay_id,
            require_id(rep_turn),
            second_opinion=second_opinion,
            understand=request.app.state.settings.roleplay_llm_understanding,
        ):
            if isinstance(event, TokenEvent):
                yield ServerSentEvent(event="token", data={"text": event.text})
            elif isinstance(event, FeedbackEvent):
                yield ServerSentEvent(event="feedback", data=event.result.feedback.model_dump(mode="json"))
            elif isinstance(event, DoneEvent):
                result = event.result
                yield ServerSentEvent(
                    event="done",
                    data={
                        "turn_id": result.turn_id,
                        "reply": result.reply,
                        "reply_status": result.reply_status,
                        "state": result.state.model_dump(mode="json"),
                    },
                )
    except RolePlayError as error:
        yield ServerSentEvent(event="error", data={"status": error.status, "detail": error.detail})
    except Exception:  # the response has started: report on the stream instead of breaking it
        logger.exception("role-play stream failed (session %s, turn %s)", roleplay_id, rep_turn.id)
        yield ServerSentEvent(
            event="error",
            data={"status": 500, "detail": "the reply could not be produced; reload the session and try again"},
        )


@router.post("/{roleplay_id}/finish")
def finish(roleplay_id: int, request: Request, session: SessionDep, user: CurrentUser) -> FinishOut:
    """End the session: the scorecard and the coaching note (calling it again returns the same)."""
    roleplay = own_roleplay(session, user, roleplay_id)
    result = service.finish_roleplay(session, roleplay, request.app.state.chat_model)
    return FinishOut(scorecard=result.scorecard, note_id=result.note_id)
