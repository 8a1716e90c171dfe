"""Question flows for real deals: list flows, start runs, answer steps, go back, pause and resume."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import BaseModel, Field
from sqlmodel import col, select

from app.deps import CurrentUser, SessionDep, enforce_daily_limit, rate_limited
from app.flows import service
from app.flows.definitions import list_flows
from app.flows.engine import StepView
from app.flows.llm_probe import probe_writer_for
from app.flows.service import AnswerIn, RunStatus
from app.i18n import Lang, as_lang, get_lang
from app.models import FlowRun
from app.models.common import MAX_DB_INTEGER

router = APIRouter(tags=["flows"])

FlowId = Annotated[str, Path(max_length=60)]


class FlowSummary(BaseModel):
    id: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    step_count: int


class RunStart(BaseModel):
    opportunity_id: int | None = Field(default=None, ge=1, le=MAX_DB_INTEGER)
    lang: Lang | None = Field(
        default=None, description="defaults to the UI language: the lang cookie, else Accept-Language, else zh"
    )


class RunStarted(BaseModel):
    run_id: int
    step: StepView


class StepReply(BaseModel):
    step: StepView


class AnswerReply(BaseModel):
    """The next question, or `done` with the coaching note's id and the flow's result."""

    step: StepView | None = None
    done: bool = False
    note_id: int | None = None
    result: dict[str, Any] | None = None


class PauseReply(BaseModel):
    status: str


class ResumeReply(BaseModel):
    status: str
    step: StepView


class RunListItem(BaseModel):
    id: int
    flow_id: str
    status: str
    opportunity_id: int | None
    note_id: int | None


def _probe_writer(request: Request, run: FlowRun):
    return probe_writer_for(request.app.state.chat_model, service.flow_or_404(run.flow_id))


@router.get("/flows")
def read_flows() -> list[FlowSummary]:
    """The question flows a rep can run."""
    return [
        FlowSummary(
            id=flow.id,
            title_zh=flow.title_zh,
            title_en=flow.title_en,
            description_zh=flow.description_zh,
            description_en=flow.description_en,
            step_count=len(flow.step_index()),
        )
        for flow in list_flows()
    ]


@router.post("/flows/{flow_id}/runs", status_code=status.HTTP_201_CREATED)
def start_run(flow_id: FlowId, body: RunStart, request: Request, session: SessionDep, user: CurrentUser) -> RunStarted:
    """Start a run, optionally attached to one of your opportunities; returns the first question."""
    lang = body.lang or get_lang(request)
    enforce_daily_limit(request, "rate_limit_flow_runs_daily", user)
    run, step = service.start_run(session, user, flow_id, body.opportunity_id, lang)
    return RunStarted(run_id=run.id, step=step)


@router.get("/flow-runs")
def read_runs(
    session: SessionDep,
    user: CurrentUser,
    run_status: Annotated[RunStatus | None, Query(alias="status")] = None,
    flow_id: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[RunListItem]:
    """Your own runs, newest first, optionally by status (active, paused, done) and flow."""
    query = select(FlowRun).where(FlowRun.owner_id == user.id)
    if run_status is not None:
        query = query.where(FlowRun.status == run_status)
    if flow_id is not None:
        query = query.where(FlowRun.flow_id == flow_id)
    runs = session.exec(
        query.order_by(col(FlowRun.updated_at).desc(), col(FlowRun.id).desc()).offset(offset).limit(limit)
    ).all()
    return [RunListItem.model_validate(run, from_attributes=True) for run in runs]


@router.get("/flow-runs/{run_id}")
def read_run(run_id: int, session: SessionDep, user: CurrentUser) -> service.RunDetail:
    """A run: status, the question waiting, the answers so far, the chat and (when done) the result."""
    run = service.readable_run(session, user, run_id)
    return service.run_detail(session, run, as_lang(run.lang))


@router.post("/flow-runs/{run_id}/answers", dependencies=[Depends(rate_limited("rate_limit_turns"))])
def post_answer(run_id: int, body: AnswerIn, request: Request, session: SessionDep, user: CurrentUser) -> AnswerReply:
    """Answer the waiting question; returns the next one, or the note and result when the flow is done."""
    run = service.writable_run(session, user, run_id)
    outcome = service.submit_answer(session, run, body.answer, as_lang(run.lang), _probe_writer(request, run))
    if outcome.step is not None:
        return AnswerReply(step=outcome.step)
    assert outcome.note is not None and outcome.result is not None
    return AnswerReply(done=True, note_id=outcome.note.id, result=outcome.result.model_dump(mode="json"))


@router.post("/flow-runs/{run_id}/back")
def post_back(run_id: int, session: SessionDep, user: CurrentUser) -> StepReply:
    """Go back one question (its answer is cleared)."""
    run = service.writable_run(session, user, run_id)
    step = service.go_back(session, run, as_lang(run.lang))
    return StepReply(step=step)


@router.post("/flow-runs/{run_id}/pause")
def post_pause(run_id: int, session: SessionDep, user: CurrentUser) -> PauseReply:
    """Put a run aside; resume it later where it stopped."""
    run = service.writable_run(session, user, run_id)
    service.pause_run(session, run)
    return PauseReply(status=run.status)


@router.post("/flow-runs/{run_id}/resume")
def post_resume(run_id: int, session: SessionDep, user: CurrentUser) -> ResumeReply:
    """Continue a paused run; returns the question waiting."""
    run = service.writable_run(session, user, run_id)
    step = service.resume_run(session, run, as_lang(run.lang))
    return ResumeReply(status=run.status, step=step)
