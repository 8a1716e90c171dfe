"""Flow runs with persistence: start, answer, back, pause, resume and finish — the one place a run's data flow lives.

A run's row keeps the engine state and the chat transcript (`RunRecord`) in `FlowRun.state`.
Finishing a run validates the result, writes the coaching note and, for a 5K run attached to an
opportunity, moves the opportunity to the milestone the scores reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictBool, StringConstraints
from sqlmodel import Session, col, select

from app.auth.policy import visible_or_404
from app.errors import AppError, not_found
from app.flows.definitions import FlowDefinition, get_flow
from app.flows.engine import AnswerError, FlowRunState, ProbeWriter, StepView, answer, back, current_view, start
from app.flows.notes import RESULT_MODELS
from app.i18n import Lang
from app.models import CoachingNote, FlowRun, Opportunity, User
from app.models.common import require_id, utcnow

RunStatus = Literal["active", "paused", "done"]
FIVEK_FLOW_ID = "fivek_intensity"
CHOICE_TYPES = ("choice", "multi_choice")


MAX_ANSWER_CHARS = 2000
MAX_ANSWER_ITEMS = 50
AnswerText = Annotated[str, StringConstraints(max_length=MAX_ANSWER_CHARS)]
# Booleans are let through so the engine can say what it expected instead of reading True as 1.
AnswerValue = (
    AnswerText | StrictBool | int | float | Annotated[list[AnswerText | int], Field(max_length=MAX_ANSWER_ITEMS)] | None
)


class AnswerIn(BaseModel):
    """One answer to the waiting question, as the API and the pages take it (with their size limits)."""

    answer: AnswerValue = Field(description="text, a number, an option id, or a list (one item each)")


class ChatEntry(BaseModel):
    """One bubble of the run as a chat: a coach question (or probe) or the rep's answer."""

    speaker: Literal["coach", "rep"]
    text: str  # "" for a skipped optional answer
    step_id: str
    probe: bool = False


class RunRecord(BaseModel):
    """What `FlowRun.state` holds."""

    engine: FlowRunState
    transcript: list[ChatEntry] = Field(default_factory=list)


class RunDetail(BaseModel):
    """A run as the API shows it: status, the waiting question, answers so far, the chat, the result."""

    id: int
    flow_id: str
    owner_id: int
    opportunity_id: int | None
    status: str
    lang: str
    step: StepView | None  # None once done
    answers: dict[str, Any]
    groups: dict[str, list[dict[str, Any]]]
    transcript: list[ChatEntry]
    note_id: int | None
    result: dict[str, Any] | None  # the coaching note's result once done
    created_at: datetime
    updated_at: datetime


@dataclass
class AnswerOutcome:
    """The next question, or the finished run's note and result."""

    step: StepView | None = None
    note: CoachingNote | None = None
    result: BaseModel | None = None


# ---------------------------------------------------------------------------
# Access: read for the owner, their manager and admins; write for the owner only.


def readable_run(session: Session, viewer: User, run_id: int) -> FlowRun:
    return visible_or_404(session, viewer, FlowRun, run_id, "flow run")


def writable_run(session: Session, user: User, run_id: int) -> FlowRun:
    """The run locked for update; 404 if the user may not see it, 403 if they may see but not change it."""
    return visible_or_404(session, user, FlowRun, run_id, "flow run", access="write", lock=True, verb="answer")


def finished_runs_by_opportunity(session: Session, opportunity_ids: list[int]) -> dict[int, list[FlowRun]]:
    """The finished flow runs of each deal, newest first (the pipeline links a deal to its results)."""
    runs: dict[int, list[FlowRun]] = {}
    if not opportunity_ids:
        return runs
    query = (
        select(FlowRun)
        .where(col(FlowRun.opportunity_id).in_(opportunity_ids), FlowRun.status == "done")
        .order_by(col(FlowRun.updated_at).desc(), col(FlowRun.id).desc())
    )
    for run in session.exec(query):
        if run.opportunity_id is not None:  # the query asks for these deals' runs; this narrows the type
            runs.setdefault(run.opportunity_id, []).append(run)
    return runs


def owned_opportunity(session: Session, user: User, opportunity_id: int) -> Opportunity:
    """A flow run attaches only to the caller's own opportunity; anything else looks missing."""
    return visible_or_404(session, user, Opportunity, opportunity_id, "opportunity", access="own")


def _require_status(run: FlowRun, *allowed: RunStatus) -> None:
    if run.status in allowed:
        return
    detail = {
        "paused": "this flow run is paused; resume it first",
        "done": "this flow run is finished",
        "active": "this flow run is not paused",
    }[run.status]
    raise AppError(409, f"run_{run.status}", detail)


# ---------------------------------------------------------------------------
# The run's life


def load_record(run: FlowRun) -> RunRecord:
    return RunRecord.model_validate(run.state)


def _save(session: Session, run: FlowRun, record: RunRecord) -> None:
    run.state = record.model_dump(mode="json")  # a new dict, so the JSON column is marked dirty
    run.updated_at = utcnow()
    session.add(run)


def start_run(
    session: Session, owner: User, flow_id: str, opportunity_id: int | None, lang: Lang
) -> tuple[FlowRun, StepView]:
    """A new run of a flow, optionally attached to one of the owner's opportunities (whose account, name and amount
    then answer the flow's first questions: the rep is not asked again for what the deal already says)."""
    flow = flow_or_404(flow_id)
    opportunity = owned_opportunity(session, owner, opportunity_id) if opportunity_id is not None else None
    state, view = start(flow.id, lang, flow=flow)
    record = RunRecord(engine=state, transcript=[_coach_entry(view)])
    run = FlowRun(owner_id=require_id(owner), flow_id=flow.id, opportunity_id=opportunity_id, lang=lang)
    _save(session, run, record)
    session.commit()
    session.refresh(run)
    while opportunity is not None and (known := deal_answer(view, opportunity)) is not None:
        try:
            outcome = submit_answer(session, run, known, lang)
        except AnswerError:  # the flow wants more than the deal says: the rep answers it
            break
        if outcome.step is None:
            break
        view = outcome.step
    return run, view


def deal_answer(step: StepView, opportunity: Opportunity) -> str | None:
    """The deal's own answer to a flow's account or amount question, or None when the rep has to answer it."""
    if step.probe:
        return None
    if step.id == "account":
        return " · ".join(part for part in (opportunity.account, opportunity.name) if part)
    if step.id == "amount" and opportunity.amount:
        return f"{opportunity.amount:.0f}"
    return None


def submit_answer(
    session: Session, run: FlowRun, raw_answer: Any, lang: Lang, probe_writer: ProbeWriter | None = None
) -> AnswerOutcome:
    """Give the current question its answer; AnswerError (nothing saved) when the engine rejects it."""
    _require_status(run, "active")
    flow = get_flow(run.flow_id)
    record = load_record(run)
    asked = current_view(record.engine, lang, flow=flow)
    assert asked is not None  # an active run always has a question waiting
    try:
        outcome = answer(record.engine, raw_answer, lang=lang, probe_writer=probe_writer, flow=flow)
    except AnswerError as error:
        raise error.in_language(lang) from None
    record.transcript.append(ChatEntry(speaker="rep", text=answer_text(asked, raw_answer), step_id=asked.id))
    if not outcome.done:
        assert outcome.step is not None
        record.transcript.append(_coach_entry(outcome.step))
        _save(session, run, record)
        session.commit()
        return AnswerOutcome(step=outcome.step)
    _save(session, run, record)
    note, result = _finish(session, run, flow, outcome.result)
    session.commit()
    session.refresh(note)
    return AnswerOutcome(note=note, result=result)


def go_back(session: Session, run: FlowRun, lang: Lang) -> StepView:
    """Return to the previous question; its answer and the chat after it are dropped."""
    _require_status(run, "active")
    record = load_record(run)
    try:
        view = back(record.engine, lang)
    except AnswerError as error:
        raise error.in_language(lang) from None
    record.transcript = _transcript_up_to(record.transcript, view.id)
    _save(session, run, record)
    session.commit()
    return view


def pause_run(session: Session, run: FlowRun) -> None:
    _require_status(run, "active")
    run.status = "paused"
    run.updated_at = utcnow()
    session.add(run)
    session.commit()


def resume_run(session: Session, run: FlowRun, lang: Lang) -> StepView:
    """Continue a paused run where it stopped."""
    _require_status(run, "paused")
    run.status = "active"
    run.updated_at = utcnow()
    session.add(run)
    session.commit()
    view = current_view(load_record(run).engine, lang)
    assert view is not None
    return view


def _finish(session: Session, run: FlowRun, flow: FlowDefinition, result: BaseModel) -> tuple[CoachingNote, BaseModel]:
    """Write the coaching note, close the run and, for 5K, move the opportunity's milestone."""
    # The note is the result's JSON; validating the dump again proves it loads back as its schema.
    result = RESULT_MODELS[flow.id].model_validate(result.model_dump(mode="json"))
    account = getattr(result, "account", "")
    note = CoachingNote(
        owner_id=run.owner_id,
        kind="flow",
        source_id=flow.id,
        title=f"{flow.title_zh} · {account}"[:200] if account else flow.title_zh,
        score=getattr(result, "total", None) if flow.id == FIVEK_FLOW_ID else None,
        data={
            "flow_id": flow.id,
            "result": result.model_dump(mode="json"),
            "opportunity_id": run.opportunity_id,
            "cited_ids": [citation.id for citation in getattr(result, "citations", [])],
        },
    )
    session.add(note)
    session.flush()
    run.note_id = note.id
    run.status = "done"
    session.add(run)
    if flow.id == FIVEK_FLOW_ID and run.opportunity_id is not None:
        opportunity = session.get(Opportunity, run.opportunity_id, with_for_update=True, populate_existing=True)
        # The latest 5K result sets an open deal's milestone; a won or lost deal keeps its outcome's (the
        # result stays in the note, and reopening the deal goes back to it).
        if opportunity is not None and opportunity.outcome == "open":
            milestone = getattr(result, "milestone", None)
            opportunity.milestone_id = milestone.id if milestone is not None else None
            opportunity.probability = getattr(result, "probability", 0)
            opportunity.updated_at = utcnow()
            session.add(opportunity)
    return note, result


# ---------------------------------------------------------------------------
# Reading a run


def flow_or_404(flow_id: str) -> FlowDefinition:
    try:
        return get_flow(flow_id)
    except KeyError:
        raise not_found("flow") from None


def run_note(session: Session, run: FlowRun) -> CoachingNote | None:
    return session.get(CoachingNote, run.note_id) if run.note_id is not None else None


def run_detail(session: Session, run: FlowRun, lang: Lang) -> RunDetail:
    record = load_record(run)
    note = run_note(session, run)
    return RunDetail(
        **run.model_dump(
            include={
                "id",
                "flow_id",
                "owner_id",
                "opportunity_id",
                "status",
                "lang",
                "note_id",
                "created_at",
                "updated_at",
            }
        ),
        step=current_view(record.engine, lang) if run.status != "done" else None,
        answers=record.engine.answers,
        groups=record.engine.groups,
        transcript=record.transcript,
        result=note.data.get("result") if note is not None else None,
    )


# ---------------------------------------------------------------------------
# The chat transcript


def _coach_entry(view: StepView) -> ChatEntry:
    return ChatEntry(speaker="coach", text=view.prompt, step_id=view.id, probe=view.probe)


def answer_text(view: StepView, raw_answer: Any) -> str:
    """The rep's answer as the chat shows it: option labels instead of ids, one list item per line."""
    labels = {option.id: option.label for option in view.options} if view.type in CHOICE_TYPES else {}
    if raw_answer is None:
        return ""
    if isinstance(raw_answer, list):
        parts = [labels.get(str(item), str(item)) for item in raw_answer]
        return "、".join(parts) if view.type == "multi_choice" else "\n".join(parts)
    return labels.get(str(raw_answer), str(raw_answer)).strip()


def _transcript_up_to(transcript: list[ChatEntry], step_id: str) -> list[ChatEntry]:
    """The chat up to and including the last time `step_id` was asked (not counting the waiting question)."""
    waiting = max(i for i, entry in enumerate(transcript) if entry.speaker == "coach" and not entry.probe)
    for index in range(waiting - 1, -1, -1):
        entry = transcript[index]
        if entry.speaker == "coach" and entry.step_id == step_id and not entry.probe:
            return transcript[: index + 1]
    return transcript
