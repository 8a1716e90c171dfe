"""Drills: managers assign role-play practice, reps see theirs, results and reviews."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.deps import CurrentUser, ManagerUser, SessionDep, not_found
from app.drills.guidance import PassScoreGuidance, pass_score_guidance
from app.drills.schemas import (
    AssigneeResult,
    AssignmentUpdate,
    DrillCreate,
    DrillCreated,
    DrillDetail,
    DrillPublic,
    DrillUpdate,
)
from app.drills.service import (
    create_drill,
    drill_detail,
    drill_results,
    list_drills,
    update_assignment,
    update_drill,
    visible_drill,
)
from app.roleplay.scenarios import load_scenarios

router = APIRouter(prefix="/drills", tags=["drills"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create(data: DrillCreate, session: SessionDep, user: ManagerUser) -> DrillCreated:
    """Assign a scenario to a team or chosen reps (managers: only their own), with a due date and pass score."""
    drill = create_drill(session, user, data)
    return DrillCreated(id=drill.id)


@router.get("")
def list_visible(
    session: SessionDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[DrillPublic]:
    """Reps: the drills assigned to them with their status; managers: their teams' drills; admins: all."""
    return list_drills(session, user, limit, offset)


@router.get("/guidance")
def guidance(
    session: SessionDep, user: ManagerUser, scenario_id: Annotated[str, Query(min_length=1, max_length=80)]
) -> PassScoreGuidance:
    """How your reps scored on a scenario (10-point buckets, median) and a suggested pass score."""
    if scenario_id not in load_scenarios():
        raise not_found("scenario")
    return pass_score_guidance(session, user, scenario_id)


@router.get("/{drill_id}")
def read(drill_id: int, session: SessionDep, user: CurrentUser) -> DrillDetail:
    """One drill with each visible assignee's result and attempts (and their reviews)."""
    return drill_detail(session, user, visible_drill(session, user, drill_id))


@router.get("/{drill_id}/results")
def results(drill_id: int, session: SessionDep, user: CurrentUser) -> list[AssigneeResult]:
    """Per assignee: attempts, best effective score, passed and status."""
    assignee_results, _ = drill_results(session, user, visible_drill(session, user, drill_id))
    return assignee_results


@router.patch("/{drill_id}")
def correct(drill_id: int, data: DrillUpdate, session: SessionDep, user: ManagerUser) -> DrillDetail:
    """Change the due date, pass score, attempts, note or newcomers, or cancel/reopen (audited in `changes`)."""
    drill = visible_drill(session, user, drill_id)
    update_drill(session, user, drill, data)
    return drill_detail(session, user, drill)


@router.patch("/{drill_id}/assignees/{user_id}")
def correct_assignee(
    drill_id: int, user_id: int, data: AssignmentUpdate, session: SessionDep, user: ManagerUser
) -> AssigneeResult:
    """Extend one rep's due date or give them extra attempts (audited in the drill's `changes`)."""
    drill = visible_drill(session, user, drill_id)
    update_assignment(session, user, drill, user_id, data)
    results, _ = drill_results(session, user, drill)
    return next(result for result in results if result.user_id == user_id)
