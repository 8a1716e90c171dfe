"""Drill use cases shared by the API and the pages: create, who may see which drill, results per assignee."""

from sqlmodel import Session, or_, select

from app.auth.policy import can_manage_team, can_view_user, managed_team_ids, visible_user_ids
from app.drills.results import (Attempt, assignee_result, attempts_public, by_owner, load_attempts,
                                scenario_titles)
from app.drills.schemas import AssigneeResult, DrillCreate, DrillDetail, DrillPublic, DrillStatus
from app.models import Drill, DrillAssignment, Role, RolePlay, Team, User
from app.models.common import team_today
from app.scenarios import repository


class DrillRequestError(Exception):
    """A drill request the rules refuse. `status` is the HTTP status; `code` and `params` name the UI message."""

    def __init__(self, message: str, *, status: int = 422, code: str = "invalid", **params: object) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.params = params


def create_drill(session: Session, creator: User, data: DrillCreate) -> Drill:
    """Validate against what the creator manages, then store the drill and one assignment per rep."""
    scenario = repository.playable(session, creator, data.scenario_id)  # a team scenario: pinned to its version
    if scenario is None or repository.is_draft(session, scenario.id):  # drafts are the authors' until published
        raise DrillRequestError(f"unknown scenario {data.scenario_id!r}", code="unknown_scenario",
                                scenario=data.scenario_id)
    if data.due < team_today():
        raise DrillRequestError(f"due date {data.due} is in the past", code="due_past")
    team = _managed_team(session, creator, data.team) if data.team else None
    reps = {user.id: user for user in _team_reps(session, team)} if team else {}
    if team and not reps:
        raise DrillRequestError(f"team {team.name!r} has no reps", code="team_empty", team=team.name)
    for user in _managed_reps(session, creator, data.assignees or []):
        reps[user.id] = user

    drill = Drill(created_by=creator.id, team_id=team.id if team else None, scenario_id=scenario.id,
                  due=data.due, pass_score=data.pass_score, attempts_allowed=data.attempts, note=data.note.strip())
    session.add(drill)
    session.flush()
    session.add_all(DrillAssignment(drill_id=drill.id, user_id=user_id) for user_id in reps)
    session.commit()
    session.refresh(drill)
    return drill


def assign_open_team_drills(session: Session, rep: User) -> None:
    """Give a rep who joins a team that team's drills still open (not past due), as if assigned with the team.

    The caller commits, so the rep and the assignments are stored together."""
    if rep.role != Role.rep:  # team drills go to reps only, as in create_drill
        return
    open_drills = select(Drill.id).where(Drill.team_id == rep.team_id, Drill.due >= team_today())
    session.add_all(DrillAssignment(drill_id=drill_id, user_id=rep.id) for drill_id in session.exec(open_drills))


def _managed_team(session: Session, creator: User, name: str) -> Team:
    team = session.exec(select(Team).where(Team.name == name.strip())).first()
    # Unknown and not-yours answer alike, so team names cannot be probed.
    if team is None or not can_manage_team(session, creator, team.id):
        raise DrillRequestError(f"team {name!r} is not one of your teams", code="team_not_yours", team=name)
    return team


def _team_reps(session: Session, team: Team) -> list[User]:
    query = select(User).where(User.team_id == team.id, User.role == Role.rep, User.is_active.is_(True))
    return list(session.exec(query.order_by(User.username)))


def _managed_reps(session: Session, creator: User, usernames: list[str]) -> list[User]:
    wanted = list(dict.fromkeys(usernames))
    found = {user.username: user for user in session.exec(select(User).where(User.username.in_(wanted)))} \
        if wanted else {}
    refused = [
        name for name in wanted
        if name not in found or found[name].role != Role.rep or not found[name].is_active
        or not can_view_user(session, creator, found[name].id)
    ]
    if refused:
        names = ", ".join(refused)
        raise DrillRequestError(f"not reps on your teams: {names}", code="reps_not_yours", names=names)
    return [found[name] for name in wanted]


# --- visibility ------------------------------------------------------------------------------------


def visible_drills_query(session: Session, viewer: User):
    """Drills the viewer may open: admins all, managers their teams' and their own, reps those assigned to them."""
    query = select(Drill).order_by(Drill.due.desc(), Drill.id.desc())
    if viewer.role == Role.admin:
        return query
    assigned_to = select(DrillAssignment.drill_id).join(User, User.id == DrillAssignment.user_id)
    if viewer.role == Role.manager:
        teams = managed_team_ids(session, viewer)
        return query.where(or_(
            Drill.created_by == viewer.id,
            Drill.team_id.in_(teams),
            Drill.id.in_(assigned_to.where(User.team_id.in_(teams))),
        ))
    return query.where(Drill.id.in_(assigned_to.where(User.id == viewer.id)))


def get_visible_drill(session: Session, viewer: User, drill_id: int) -> Drill | None:
    """The drill, or None when it is missing or the viewer may not see it (the caller answers 404)."""
    return session.exec(visible_drills_query(session, viewer).where(Drill.id == drill_id)).first()


def visible_assignees(session: Session, viewer: User, drill: Drill) -> list[User]:
    """The drill's assignees the viewer may see (a rep: only themselves), by name."""
    query = (select(User).join(DrillAssignment, DrillAssignment.user_id == User.id)
             .where(DrillAssignment.drill_id == drill.id).order_by(User.display_name, User.username))
    allowed = visible_user_ids(session, viewer)
    if allowed is not None:
        query = query.where(User.id.in_(allowed))
    return list(session.exec(query))


# --- results ---------------------------------------------------------------------------------------


def drill_attempts(session: Session, drill: Drill, users: list[User]) -> list[Attempt]:
    if not users:
        return []
    return load_attempts(session, RolePlay.drill_id == drill.id, RolePlay.owner_id.in_([u.id for u in users]))


def drill_results(session: Session, viewer: User, drill: Drill) -> tuple[list[AssigneeResult], list[Attempt]]:
    """Per visible assignee: attempts, best effective score, status; and the attempts themselves."""
    users = visible_assignees(session, viewer, drill)
    attempts = drill_attempts(session, drill, users)
    grouped = by_owner(attempts)
    today = team_today()
    return [assignee_result(drill, user, grouped.get(user.id, []), today) for user in users], attempts


def drill_public(session: Session, viewer: User, drill: Drill,
                 results: list[AssigneeResult] | None = None) -> DrillPublic:
    if results is None:
        results, _ = drill_results(session, viewer, drill)
    title_zh, title_en = scenario_titles(session, drill.scenario_id)
    team = session.get(Team, drill.team_id) if drill.team_id else None
    return DrillPublic(
        id=drill.id, scenario_id=drill.scenario_id, scenario_title_zh=title_zh, scenario_title_en=title_en,
        team_id=drill.team_id, team_name=team.name if team else None, created_by=drill.created_by,
        due=drill.due, pass_score=drill.pass_score, attempts_allowed=drill.attempts_allowed, note=drill.note,
        created_at=drill.created_at, assignees=len(results),
        passed=sum(result.status == DrillStatus.passed for result in results),
        mine=next((result for result in results if result.user_id == viewer.id), None),
    )


def list_drills(session: Session, viewer: User, limit: int | None = None, offset: int = 0) -> list[DrillPublic]:
    query = visible_drills_query(session, viewer).offset(offset).limit(limit)
    return [drill_public(session, viewer, drill) for drill in session.exec(query)]


def drill_detail(session: Session, viewer: User, drill: Drill) -> DrillDetail:
    results, attempts = drill_results(session, viewer, drill)
    summary = drill_public(session, viewer, drill, results)
    return DrillDetail(**summary.model_dump(), results=results, attempts=attempts_public(session, attempts))
