"""Drill use cases shared by the API and the pages: create, who may see which drill, results per assignee."""

from datetime import date

from sqlmodel import Session, col, or_, select

from app.auth.policy import can_manage_team, can_view_user, managed_team_ids, visible_user_ids
from app.drills.results import Attempt, assignee_result, attempts_public, by_owner, load_attempts, scenario_titles
from app.drills.schemas import (
    AssigneeResult,
    AssignmentUpdate,
    DrillChangePublic,
    DrillCreate,
    DrillDetail,
    DrillPublic,
    DrillStatus,
    DrillUpdate,
)
from app.errors import AppError, not_found
from app.models import Drill, DrillAssignment, DrillChange, Role, RolePlay, Team, User
from app.models.common import require_id, team_today, utcnow
from app.scenarios import repository


class DrillRequestError(AppError):
    """A drill request the rules refuse. `status` is the HTTP status; `code` and `params` name the UI message."""

    def __init__(self, message: str, *, status: int = 422, code: str = "invalid", **params: object) -> None:
        super().__init__(status, code, message)
        self.params = params


def create_drill(session: Session, creator: User, data: DrillCreate) -> Drill:
    """Validate against what the creator manages, then store the drill and one assignment per rep."""
    scenario = repository.playable(session, creator, data.scenario_id)  # a team scenario: pinned to its version
    if scenario is None or repository.is_draft(session, scenario.id):  # drafts are the authors' until published
        raise DrillRequestError(
            f"unknown scenario {data.scenario_id!r}", code="unknown_scenario", scenario=data.scenario_id
        )
    if data.due < team_today():
        raise DrillRequestError(f"due date {data.due} is in the past", code="due_past")
    team = _managed_team(session, creator, data.team) if data.team else None
    reps = {require_id(user): user for user in _team_reps(session, team)} if team else {}
    if team and not reps:
        raise DrillRequestError(f"team {team.name!r} has no reps", code="team_empty", team=team.name)
    for user in _managed_reps(session, creator, data.assignees or []):
        reps[require_id(user)] = user

    drill = Drill(
        created_by=require_id(creator),
        team_id=team.id if team else None,
        scenario_id=scenario.id,
        due=data.due,
        pass_score=data.pass_score,
        attempts_allowed=data.attempts,
        note=data.note.strip(),
        include_newcomers=data.include_newcomers,
    )
    session.add(drill)
    session.flush()
    session.add_all(DrillAssignment(drill_id=require_id(drill), user_id=user_id) for user_id in reps)
    session.commit()
    session.refresh(drill)
    return drill


def assign_open_team_drills(session: Session, rep: User) -> None:
    """Give a rep who joins a team that team's drills still open (not past due), as if assigned with the team.

    The caller commits, so the rep and the assignments are stored together."""
    if rep.role != Role.rep:  # team drills go to reps only, as in create_drill
        return
    open_drills = select(Drill.id).where(
        Drill.team_id == rep.team_id,
        Drill.due >= team_today(),
        col(Drill.include_newcomers).is_(True),
        col(Drill.cancelled_at).is_(None),
    )
    already = select(DrillAssignment.drill_id).where(DrillAssignment.user_id == rep.id)  # e.g. back in a team
    open_drills = open_drills.where(col(Drill.id).not_in(already))
    rep_id = require_id(rep)
    # Primary keys are never NULL; the `is not None` only narrows the column's `int | None` type.
    session.add_all(
        DrillAssignment(drill_id=drill_id, user_id=rep_id)
        for drill_id in session.exec(open_drills)
        if drill_id is not None
    )


def _managed_team(session: Session, creator: User, name: str) -> Team:
    team = session.exec(select(Team).where(Team.name == name.strip())).first()
    # Unknown and not-yours answer alike, so team names cannot be probed.
    if team is None or not can_manage_team(session, creator, require_id(team)):
        raise DrillRequestError(f"team {name!r} is not one of your teams", code="team_not_yours", team=name)
    return team


def _team_reps(session: Session, team: Team) -> list[User]:
    query = select(User).where(User.team_id == team.id, User.role == Role.rep, col(User.is_active).is_(True))
    return list(session.exec(query.order_by(User.username)))


def _managed_reps(session: Session, creator: User, usernames: list[str]) -> list[User]:
    wanted = list(dict.fromkeys(usernames))
    found = (
        {user.username: user for user in session.exec(select(User).where(col(User.username).in_(wanted)))}
        if wanted
        else {}
    )
    refused = [
        name
        for name in wanted
        if name not in found
        or found[name].role != Role.rep
        or not found[name].is_active
        or not can_view_user(session, creator, require_id(found[name]))
    ]
    if refused:
        names = ", ".join(refused)
        raise DrillRequestError(f"not reps on your teams: {names}", code="reps_not_yours", names=names)
    return [found[name] for name in wanted]


# --- visibility ------------------------------------------------------------------------------------


def visible_drills_query(session: Session, viewer: User):
    """Drills the viewer may open: admins all, managers their teams' and their own, reps those assigned to them."""
    query = select(Drill).order_by(col(Drill.due).desc(), col(Drill.id).desc())
    if viewer.role == Role.admin:
        return query
    assigned_to = select(DrillAssignment.drill_id).join(User, col(User.id) == DrillAssignment.user_id)
    if viewer.role == Role.manager:
        teams = managed_team_ids(session, viewer)
        return query.where(
            or_(
                Drill.created_by == viewer.id,
                col(Drill.team_id).in_(teams),
                col(Drill.id).in_(assigned_to.where(col(User.team_id).in_(teams))),
            )
        )
    return query.where(col(Drill.id).in_(assigned_to.where(User.id == viewer.id)))


def visible_drill(session: Session, viewer: User, drill_id: int) -> Drill:
    """The drill; 404 when it is missing or the viewer may not see it (a drill is seen through its team and
    assignments, not an owner, so visible_or_404 does not apply)."""
    drill = session.exec(visible_drills_query(session, viewer).where(Drill.id == drill_id)).first()
    if drill is None:
        raise not_found("drill")
    return drill


def visible_assignees(session: Session, viewer: User, drill: Drill) -> list[User]:
    """The drill's assignees the viewer may see (a rep: only themselves), by name."""
    query = (
        select(User)
        .join(DrillAssignment, col(DrillAssignment.user_id) == User.id)
        .where(DrillAssignment.drill_id == drill.id)
        .order_by(User.display_name, User.username)
    )
    allowed = visible_user_ids(session, viewer)
    if allowed is not None:
        query = query.where(col(User.id).in_(allowed))
    return list(session.exec(query))


# --- results ---------------------------------------------------------------------------------------


def drill_attempts(session: Session, drill: Drill, users: list[User]) -> list[Attempt]:
    if not users:
        return []
    return load_attempts(session, RolePlay.drill_id == drill.id, col(RolePlay.owner_id).in_([u.id for u in users]))


def assignments_of(session: Session, drill: Drill) -> dict[int, DrillAssignment]:
    rows = session.exec(select(DrillAssignment).where(DrillAssignment.drill_id == drill.id))
    return {assignment.user_id: assignment for assignment in rows}


def drill_results(session: Session, viewer: User, drill: Drill) -> tuple[list[AssigneeResult], list[Attempt]]:
    """Per visible assignee: attempts, best effective score, status; and the attempts themselves."""
    users = visible_assignees(session, viewer, drill)
    attempts = drill_attempts(session, drill, users)
    grouped = by_owner(attempts)
    assignments = assignments_of(session, drill)
    today = team_today()
    return [
        assignee_result(drill, user, grouped.get(require_id(user), []), today, assignments.get(require_id(user)))
        for user in users
    ], attempts


def drill_public(
    session: Session, viewer: User, drill: Drill, results: list[AssigneeResult] | None = None
) -> DrillPublic:
    if results is None:
        results, _ = drill_results(session, viewer, drill)
    title_zh, title_en = scenario_titles(session, drill.scenario_id)
    team = session.get(Team, drill.team_id) if drill.team_id else None
    return DrillPublic(
        id=drill.id,
        scenario_id=drill.scenario_id,
        scenario_title_zh=title_zh,
        scenario_title_en=title_en,
        team_id=drill.team_id,
        team_name=team.name if team else None,
        created_by=drill.created_by,
        due=drill.due,
        pass_score=drill.pass_score,
        attempts_allowed=drill.attempts_allowed,
        note=drill.note,
        created_at=drill.created_at,
        assignees=len(results),
        passed=sum(result.status == DrillStatus.passed for result in results),
        mine=next((result for result in results if result.user_id == viewer.id), None),
        include_newcomers=drill.include_newcomers,
        cancelled_at=drill.cancelled_at,
    )


def list_drills(session: Session, viewer: User, limit: int | None = None, offset: int = 0) -> list[DrillPublic]:
    query = visible_drills_query(session, viewer).offset(offset).limit(limit)
    return [drill_public(session, viewer, drill) for drill in session.exec(query)]


def drill_detail(session: Session, viewer: User, drill: Drill) -> DrillDetail:
    results, attempts = drill_results(session, viewer, drill)
    summary = drill_public(session, viewer, drill, results)
    return DrillDetail(
        **summary.model_dump(),
        results=results,
        attempts=attempts_public(session, attempts),
        changes=drill_changes(session, viewer, drill),
    )


# --- corrections -----------------------------------------------------------------------------------


def can_correct(session: Session, viewer: User, drill: Drill) -> bool:
    """Admins, the drill's creator, and the managers of its team may correct it."""
    if viewer.role == Role.admin or drill.created_by == viewer.id:
        return True
    return drill.team_id is not None and can_manage_team(session, viewer, drill.team_id)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _record(
    session: Session, drill: Drill, viewer: User, before: dict, after: dict, assignee_id: int | None = None
) -> DrillChange | None:
    changes = {key: [_text(before[key]), _text(after[key])] for key in after if before[key] != after[key]}
    if not changes:
        return None
    change = DrillChange(
        drill_id=require_id(drill), changed_by=require_id(viewer), assignee_id=assignee_id, changes=changes
    )
    session.add(change)
    return change


def update_drill(session: Session, viewer: User, drill: Drill, data: DrillUpdate) -> Drill:
    """Correct a drill: due date, pass score, attempts, note, newcomers, cancel or reopen; the change is audited."""
    if not can_correct(session, viewer, drill):
        raise DrillRequestError(
            "only the drill's creator or its team's managers may change it", status=403, code="not_your_drill"
        )
    sent = data.model_dump(exclude_unset=True)
    if drill.cancelled_at is not None and sent.get("cancelled") is not False and sent:
        raise DrillRequestError("the drill is cancelled; reopen it first", status=409, code="cancelled")
    if sent.get("due") is not None and sent["due"] != drill.due and sent["due"] < team_today():
        raise DrillRequestError(f"due date {sent['due']} is in the past", code="due_past")
    for required in ("due", "pass_score", "note", "include_newcomers"):
        if required in sent and sent[required] is None:
            raise DrillRequestError(f"{required} cannot be empty", code="invalid")
    fields = {
        "due": "due",
        "pass_score": "pass_score",
        "attempts": "attempts_allowed",
        "note": "note",
        "include_newcomers": "include_newcomers",
    }
    before = {key: getattr(drill, attribute) for key, attribute in fields.items()}
    before["cancelled"] = drill.cancelled_at is not None
    for key, attribute in fields.items():
        if key in sent:
            setattr(drill, attribute, sent[key].strip() if key == "note" else sent[key])
    if "cancelled" in sent and sent["cancelled"] is not None and sent["cancelled"] != before["cancelled"]:
        drill.cancelled_at = utcnow() if sent["cancelled"] else None
    after = {key: getattr(drill, attribute) for key, attribute in fields.items()}
    after["cancelled"] = drill.cancelled_at is not None
    _record(session, drill, viewer, before, after)
    session.add(drill)
    session.commit()
    session.refresh(drill)
    return drill


def update_assignment(
    session: Session, viewer: User, drill: Drill, user_id: int, data: AssignmentUpdate
) -> DrillAssignment:
    """One rep's extension of the due date and extra attempts; the change is audited."""
    if not can_correct(session, viewer, drill):
        raise DrillRequestError(
            "only the drill's creator or its team's managers may change it", status=403, code="not_your_drill"
        )
    assignment = assignments_of(session, drill).get(user_id)
    if assignment is None or not can_view_user(session, viewer, user_id):
        raise DrillRequestError("no such assignee", status=404, code="no_assignee")
    sent = data.model_dump(exclude_unset=True)
    new_due: date | None = sent.get("due", assignment.due)
    if "due" in sent and new_due is not None and new_due < team_today():
        raise DrillRequestError(f"due date {new_due} is in the past", code="due_past")
    before = {"due": assignment.due, "extra_attempts": assignment.extra_attempts}
    if "due" in sent:
        assignment.due = None if new_due == drill.due else new_due
    if sent.get("extra_attempts") is not None:
        assignment.extra_attempts = sent["extra_attempts"]
    after = {"due": assignment.due, "extra_attempts": assignment.extra_attempts}
    _record(session, drill, viewer, before, after, assignee_id=user_id)
    session.add(assignment)
    session.commit()
    session.refresh(assignment)
    return assignment


def drill_changes(session: Session, viewer: User, drill: Drill) -> list[DrillChangePublic]:
    """The drill's corrections, oldest first; a rep sees drill-wide ones and their own."""
    query = (
        select(DrillChange)
        .where(DrillChange.drill_id == drill.id)
        .order_by(col(DrillChange.created_at), col(DrillChange.id))
    )
    allowed = visible_user_ids(session, viewer)
    changes = [
        change
        for change in session.exec(query)
        if change.assignee_id is None or allowed is None or change.assignee_id in allowed
    ]
    ids = {change.changed_by for change in changes} | {c.assignee_id for c in changes if c.assignee_id}
    names = (
        {
            user.id: user.display_name or user.username
            for user in session.exec(select(User).where(col(User.id).in_(ids)))
        }
        if ids
        else {}
    )
    return [
        DrillChangePublic(
            id=change.id,
            changed_by=change.changed_by,
            changed_by_name=names.get(change.changed_by, ""),
            assignee_id=change.assignee_id,
            assignee_name=names.get(change.assignee_id) if change.assignee_id else None,
            changes=change.changes,
            created_at=change.created_at,
        )
        for change in changes
    ]
