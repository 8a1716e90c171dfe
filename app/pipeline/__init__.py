"""Opportunities (real deals) and the pipeline by milestone: schemas, who may read and change a deal, the pipeline."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, field_validator, model_validator
from sqlmodel import Field, Session, SQLModel, col, select

from app.auth.policy import can_view_user, visible_or_404, visible_user_ids
from app.coaching.intensity import weighted_forecast
from app.errors import not_found
from app.flows.service import FIVEK_FLOW_ID, run_note
from app.models import FlowRun, Opportunity, OpportunityBase, User
from app.models.common import require_id, utcnow
from app.pipeline.stall import last_activities, stalled_reasons
from app.playbook import get_playbook
from app.playbook.models import Milestone

NO_MILESTONE = "none"  # the pipeline stage of deals below the first milestone (no 5K run yet, or under 10 %)
WON_MILESTONE = "milestone.m100"  # 结案 (contract signed): a recorded fact that 5K scoring never reaches
Outcome = Literal["open", "won", "lost"]


class OpportunityCreate(OpportunityBase):
    pass


class OpportunityUpdate(SQLModel):
    account: str | None = Field(default=None, min_length=1, max_length=120)
    name: str | None = Field(default=None, max_length=200)
    amount: float | None = Field(default=None, ge=0, le=1e12)
    expected_close: date | None = None

    @model_validator(mode="after")
    def _no_null_for_required(self) -> "OpportunityUpdate":
        # Leaving a field out keeps it; sending null must not blank a column that needs a value.
        for name in ("account", "name", "amount"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null; leave it out to keep the current value")
        return self


class OutcomeChange(SQLModel):
    outcome: Outcome
    reason: str | None = Field(default=None, max_length=200)  # why the deal was lost; only with "lost"

    @field_validator("reason")
    @classmethod
    def _blank_reason_is_none(cls, reason: str | None) -> str | None:
        return (reason or "").strip() or None

    @model_validator(mode="after")
    def _reason_only_when_lost(self) -> "OutcomeChange":
        if self.reason is not None and self.outcome != "lost":
            raise ValueError("a reason goes only with the outcome lost")
        return self


class OpportunityPublic(OpportunityBase):
    id: int
    owner_id: int
    milestone_id: str | None
    probability: int | None
    outcome: Outcome
    closed_at: datetime | None
    lost_reason: str | None
    created_at: datetime
    updated_at: datetime


class OpportunityRun(BaseModel):
    id: int
    flow_id: str
    status: str
    note_id: int | None
    updated_at: datetime


class OpportunityDetail(OpportunityPublic):
    runs: list[OpportunityRun]
    latest_fivek: dict[str, Any] | None  # the result of the latest finished 5K run


class PipelineDeal(OpportunityPublic):
    weighted_forecast: float
    last_activity: datetime
    stalled: bool
    stalled_reasons: list[str]  # "no_activity_30d", "close_date_passed"


class PipelineStage(BaseModel):
    milestone_id: str  # a milestone id, or "none"
    name_zh: str
    name_en: str
    probability: int
    count: int
    amount: float
    weighted_forecast: float


class Pipeline(BaseModel):
    stages: list[PipelineStage]
    deals: list[PipelineDeal]  # open and won deals; won ones sit at 结案 (m100)
    total_amount: float
    total_forecast: float
    stalled_count: int
    lost: list[PipelineDeal]  # out of the stages and the forecast, kept to be seen
    lost_amount: float


# ---------------------------------------------------------------------------
# Access


def readable_opportunity(session: Session, viewer: User, opportunity_id: int) -> Opportunity:
    return visible_or_404(session, viewer, Opportunity, opportunity_id, "opportunity")


def writable_opportunity(session: Session, user: User, opportunity_id: int) -> Opportunity:
    return visible_or_404(session, user, Opportunity, opportunity_id, "opportunity", access="write")


def visible_opportunities(
    session: Session, viewer: User, owner_id: int | None = None, *, limit: int | None = None, offset: int = 0
) -> list[Opportunity]:
    """The opportunities the viewer may list (own; a manager's teams; all for admins), optionally one rep's,
    most recently changed first (`limit` pages them; the pipeline takes them all)."""
    query = select(Opportunity)
    if owner_id is not None:
        if not can_view_user(session, viewer, owner_id):
            raise not_found("user")
        query = query.where(Opportunity.owner_id == owner_id)
    else:
        visible = visible_user_ids(session, viewer)
        if visible is not None:
            query = query.where(col(Opportunity.owner_id).in_(visible))
    query = query.order_by(col(Opportunity.updated_at).desc(), col(Opportunity.id).desc())
    return list(session.exec(query.offset(offset).limit(limit)))


def add_opportunity(session: Session, owner: User, data: OpportunityCreate) -> Opportunity:
    """Store a new deal owned by `owner` (the API and the pages both create deals through here)."""
    opportunity = Opportunity.model_validate(data, update={"owner_id": owner.id})
    session.add(opportunity)
    session.commit()
    session.refresh(opportunity)
    return opportunity


def opportunity_detail(session: Session, opportunity: Opportunity) -> OpportunityDetail:
    """A deal with its flow runs, newest first, and the result of its latest 5K run."""
    runs = session.exec(
        select(FlowRun)
        .where(FlowRun.opportunity_id == opportunity.id)
        .order_by(col(FlowRun.updated_at).desc(), col(FlowRun.id).desc())
    ).all()
    return OpportunityDetail(
        **OpportunityPublic.model_validate(opportunity).model_dump(),
        runs=[OpportunityRun.model_validate(run, from_attributes=True) for run in runs],
        latest_fivek=latest_fivek_result(session, require_id(opportunity)),
    )


def update_opportunity(session: Session, opportunity: Opportunity, change: OpportunityUpdate) -> Opportunity:
    """The fields sent, changed (leaving one out keeps it)."""
    opportunity.sqlmodel_update(change.model_dump(exclude_unset=True))
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    session.commit()
    session.refresh(opportunity)
    return opportunity


def latest_fivek_result(session: Session, opportunity_id: int) -> dict[str, Any] | None:
    """The result of the deal's latest finished 5K run, as its coaching note keeps it."""
    run = session.exec(
        select(FlowRun)
        .where(FlowRun.opportunity_id == opportunity_id, FlowRun.flow_id == FIVEK_FLOW_ID, FlowRun.status == "done")
        .order_by(col(FlowRun.updated_at).desc(), col(FlowRun.id).desc())
    ).first()
    note = run_note(session, run) if run is not None else None
    return note.data.get("result") if note is not None else None


def set_outcome(session: Session, opportunity: Opportunity, change: OutcomeChange) -> Opportunity:
    """Close a deal as won or lost, or reopen it. Won moves it to 结案 at 100 %; lost and open go back to the
    milestone of the latest 5K run, lost with a probability of 0 (out of the forecast)."""
    session.refresh(opportunity, with_for_update=True)  # a 5K run finishing now waits, then sees the outcome
    if change.outcome != opportunity.outcome:
        opportunity.closed_at = utcnow() if change.outcome != "open" else None
    opportunity.outcome = change.outcome
    opportunity.lost_reason = change.reason
    if change.outcome == "won":
        opportunity.milestone_id = WON_MILESTONE
        opportunity.probability = get_playbook().element_of(WON_MILESTONE, Milestone).probability
    else:  # back to what the latest 5K run says (nothing before the first run)
        scored = latest_fivek_result(session, require_id(opportunity)) or {}
        opportunity.milestone_id = (scored.get("milestone") or {}).get("id")
        opportunity.probability = 0 if change.outcome == "lost" else scored.get("probability")
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    session.commit()
    session.refresh(opportunity)
    return opportunity


# ---------------------------------------------------------------------------
# Pipeline


def build_pipeline(session: Session, opportunities: list[Opportunity]) -> Pipeline:
    """Open and won deals by milestone with amount and weighted forecast, stalled open deals flagged;
    lost deals apart."""
    playbook = get_playbook()
    now = utcnow()
    last_activity_of = last_activities(session, opportunities)

    stages = {
        NO_MILESTONE: PipelineStage(
            milestone_id=NO_MILESTONE,
            name_zh="未达 10% 里程碑",
            name_en="Below 10 %",
            probability=0,
            count=0,
            amount=0,
            weighted_forecast=0,
        )
    }
    for milestone in playbook.milestones:
        stages[milestone.id] = PipelineStage(
            milestone_id=milestone.id,
            name_zh=milestone.name_zh,
            name_en=milestone.name_en,
            probability=milestone.probability,
            count=0,
            amount=0,
            weighted_forecast=0,
        )
    deals, lost = [], []
    for opportunity in opportunities:
        last_activity = last_activity_of[require_id(opportunity)]
        if opportunity.outcome == "lost":
            lost.append(
                PipelineDeal(
                    **opportunity.model_dump(),
                    weighted_forecast=0,
                    last_activity=last_activity,
                    stalled=False,
                    stalled_reasons=[],
                )
            )
            continue
        stage = stages.get(opportunity.milestone_id or NO_MILESTONE, stages[NO_MILESTONE])
        forecast = (
            weighted_forecast(opportunity.amount, stage.milestone_id, playbook=playbook)
            if stage.milestone_id != NO_MILESTONE
            else 0.0
        )
        reasons = stalled_reasons(opportunity, last_activity, now)
        stage.count += 1
        stage.amount += opportunity.amount
        stage.weighted_forecast += forecast
        deals.append(
            PipelineDeal(
                **opportunity.model_dump(),
                weighted_forecast=forecast,
                last_activity=last_activity,
                stalled=bool(reasons),
                stalled_reasons=reasons,
            )
        )
    return Pipeline(
        stages=list(stages.values()),
        deals=deals,
        total_amount=sum(stage.amount for stage in stages.values()),
        total_forecast=sum(stage.weighted_forecast for stage in stages.values()),
        stalled_count=sum(deal.stalled for deal in deals),
        lost=lost,
        lost_amount=sum(deal.amount for deal in lost),
    )
