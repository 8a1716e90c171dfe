"""Rehearse this deal: private scenarios built from an opportunity's stakeholder map, diagnosis and call plan."""

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field

from app.deps import CurrentUser, SessionDep
from app.pipeline import readable_opportunity
from app.scenarios import rehearsal, repository

router = APIRouter(prefix="/opportunities", tags=["opportunities"])


class RehearsalIn(BaseModel):
    stakeholder: str = Field(min_length=1, max_length=80, description="a name on the deal's latest stakeholder map")


class RehearsalOut(BaseModel):
    scenario_id: str
    version: int
    title_zh: str
    stakeholder: str | None


@router.post("/{opportunity_id}/rehearsals", status_code=status.HTTP_201_CREATED)
def create_rehearsal(
    opportunity_id: int, body: RehearsalIn, request: Request, session: SessionDep, user: CurrentUser
) -> RehearsalOut:
    """A private scenario for the next call with one stakeholder of your deal (its owner only); worded by the model
    when one is configured."""
    opportunity = readable_opportunity(session, user, opportunity_id)
    if opportunity.owner_id != user.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="only the deal's owner rehearses it")
    row = rehearsal.create_rehearsal(session, user, opportunity, body.stakeholder, request.app.state.chat_model)
    return _out(row)


@router.get("/{opportunity_id}/rehearsals")
def list_rehearsals(opportunity_id: int, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The deal's rehearsal scenarios, and the stakeholders one can be built for."""
    opportunity = readable_opportunity(session, user, opportunity_id)
    return {
        "stakeholders": rehearsal.stakeholders(session, opportunity),
        "rehearsals": [_out(row) for row in rehearsal.rehearsals_of(session, opportunity)],
    }


def _out(row) -> RehearsalOut:
    return RehearsalOut(
        scenario_id=repository.base_id(row.id), version=row.version, title_zh=row.title_zh, stakeholder=row.stakeholder
    )
