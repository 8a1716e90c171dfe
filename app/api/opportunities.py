"""Opportunities (real deals) and the pipeline by milestone: the routes (the logic is app.pipeline's)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from app.deps import CurrentUser, SessionDep, enforce_daily_limit
from app.pipeline import (
    OpportunityCreate,
    OpportunityDetail,
    OpportunityPublic,
    OpportunityUpdate,
    OutcomeChange,
    Pipeline,
    add_opportunity,
    build_pipeline,
    opportunity_detail,
    readable_opportunity,
    set_outcome,
    update_opportunity,
    visible_opportunities,
    writable_opportunity,
)

router = APIRouter(prefix="/opportunities", tags=["opportunities"])


# ---------------------------------------------------------------------------
# Routes


@router.post("", status_code=status.HTTP_201_CREATED)
def create_opportunity(
    body: OpportunityCreate, request: Request, session: SessionDep, user: CurrentUser
) -> OpportunityPublic:
    """Record a real deal of yours."""
    enforce_daily_limit(request, "rate_limit_deals_daily", user)
    return OpportunityPublic.model_validate(add_opportunity(session, user, body))


@router.get("")
def read_opportunities(
    session: SessionDep,
    user: CurrentUser,
    owner_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[OpportunityPublic]:
    """Your deals; a manager's teams' deals; all for admins (`owner_id` narrows to one rep)."""
    found = visible_opportunities(session, user, owner_id, limit=limit, offset=offset)
    return [OpportunityPublic.model_validate(o) for o in found]


@router.get("/pipeline")
def read_pipeline(session: SessionDep, user: CurrentUser, owner_id: int | None = None) -> Pipeline:
    """The visible deals by milestone: count, amount and weighted forecast, stalled deals flagged."""
    return build_pipeline(session, visible_opportunities(session, user, owner_id))


@router.get("/{opportunity_id}")
def read_opportunity(opportunity_id: int, session: SessionDep, user: CurrentUser) -> OpportunityDetail:
    """A deal with its flow runs and the result of its latest 5K run."""
    return opportunity_detail(session, readable_opportunity(session, user, opportunity_id))


@router.patch("/{opportunity_id}")
def change_opportunity(
    opportunity_id: int, body: OpportunityUpdate, session: SessionDep, user: CurrentUser
) -> OpportunityPublic:
    """Change a deal of yours (account, name, amount, expected close)."""
    opportunity = update_opportunity(session, writable_opportunity(session, user, opportunity_id), body)
    return OpportunityPublic.model_validate(opportunity)


@router.post("/{opportunity_id}/outcome")
def change_outcome(
    opportunity_id: int, body: OutcomeChange, session: SessionDep, user: CurrentUser
) -> OpportunityPublic:
    """Close a deal of yours as won or lost (with an optional reason), or reopen it."""
    opportunity = set_outcome(session, writable_opportunity(session, user, opportunity_id), body)
    return OpportunityPublic.model_validate(opportunity)
