"""People use cases shared by the API and the pages: who may manage whom, create, change, reset, teams.

Admins manage everyone; a manager manages the reps of the teams they lead (create them there, rename,
move between their own teams, deactivate, reset a password) and never changes roles or leadership.
"""

import secrets

from sqlmodel import Session, col, delete, select

from app.accounts import AccountError, create_user
from app.auth.passwords import hash_password, verify_password
from app.auth.policy import can_manage_team, managed_team_ids
from app.drills.service import assign_open_team_drills
from app.errors import AppError
from app.models import Role, Team, TeamManager, User
from app.models.common import require_id
from app.models.user import UserBase
from app.users.schemas import TeamCreate, TeamRow, TeamUpdate, UserCreate, UserRow, UserUpdate

# No 0/O, 1/l/I: the password is read aloud or copied from a screen once.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class UserRequestError(AppError):
    """A people request the rules refuse. `status` is the HTTP status; `code` and `params` name the UI message."""

    def __init__(self, message: str, *, status: int = 422, code: str = "invalid", **params: object) -> None:
        super().__init__(status, code, message)
        self.params = params


def one_time_password() -> str:
    """Twelve random characters in three groups, e.g. "k7Qm-x3Fa-9tRw"."""
    chars = "".join(secrets.choice(_OTP_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


# --- who may manage whom ---------------------------------------------------------------------------


def manageable_user(session: Session, viewer: User, user_id: int) -> User | None:
    """The user if the viewer may manage them (admin: anyone; manager: reps of their teams), else None (404)."""
    user = session.get(User, user_id)
    if user is None or viewer.role == Role.admin:
        return user
    if (
        viewer.role == Role.manager
        and user.role == Role.rep
        and user.team_id is not None
        and user.team_id in managed_team_ids(session, viewer)
    ):
        return user
    return None


def _managed_team(session: Session, viewer: User, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None or not can_manage_team(session, viewer, team_id):  # unknown and not-yours answer alike
        raise UserRequestError(f"team {team_id} not found", status=404, code="team_not_found")
    return team


def _team_names(session: Session) -> dict[int, str]:
    return {require_id(team): team.name for team in session.exec(select(Team))}


def _leads(session: Session, user_ids: list[int]) -> dict[int, list[str]]:
    if not user_ids:
        return {}
    rows = session.exec(
        select(TeamManager.user_id, Team.name)
        .join(Team, col(Team.id) == TeamManager.team_id)
        .where(col(TeamManager.user_id).in_(user_ids))
        .order_by(Team.name)
    )
    leads: dict[int, list[str]] = {}
    for user_id, name in rows:
        leads.setdefault(user_id, []).append(name)
    return leads


def user_rows(session: Session, users: list[User]) -> list[UserRow]:
    names = _team_names(session)
    leads = _leads(session, [require_id(user) for user in users])
    return [
        UserRow(
            id=user.id,
            username=user.username,
            display_name=user.display_name or user.username,
            role=user.role,
            team_id=user.team_id,
            team_name=names.get(user.team_id) if user.team_id is not None else None,
            leads=leads.get(require_id(user), []),
            is_active=user.is_active,
            must_change_password=user.must_change_password,
        )
        for user in users
    ]


def list_users(session: Session, viewer: User, team_id: int | None = None) -> list[UserRow]:
    """Admins: everyone; managers: the reps of their teams. Optionally one team; active users first."""
    query = select(User).order_by(col(User.is_active).desc(), User.role, User.display_name, User.username)
    if team_id is not None:
        _managed_team(session, viewer, team_id)
        query = query.where(User.team_id == team_id)
    if viewer.role != Role.admin:
        query = query.where(User.role == Role.rep, col(User.team_id).in_(managed_team_ids(session, viewer)))
    return user_rows(session, list(session.exec(query)))


# --- create, change, reset -------------------------------------------------------------------------


def create_account(session: Session, viewer: User, data: UserCreate) -> tuple[User, str | None]:
    """A new user (managers: reps of their own teams). Returns the user and the one-time password, if generated."""
    if viewer.role != Role.admin:
        if data.role != Role.rep:
            raise UserRequestError("managers may add reps only", status=403, code="role_forbidden")
        if data.team_id is None:
            raise UserRequestError("choose one of your teams", code="team_required")
    team = _managed_team(session, viewer, data.team_id) if data.team_id is not None else None
    password = data.password if data.password is not None else one_time_password()
    generated = password if data.password is None else None  # returned once, to be handed over
    try:
        user = create_user(
            session,
            data.username.strip(),
            password,
            data.role,
            team.name if team else None,
            data.display_name.strip(),
            must_change_password=True,
        )
    except AccountError as error:
        session.rollback()
        raise UserRequestError(str(error), status=409, code="username_taken", username=data.username) from error
    except ValueError as error:
        session.rollback()
        raise UserRequestError(str(error), code="bad_username", username=data.username) from error
    return user, generated


def update_account(session: Session, viewer: User, user: User, data: UserUpdate) -> User:
    """Apply the changes the viewer may make; a role change away from manager ends their team leadership."""
    changes = data.model_dump(exclude_unset=True)
    if viewer.role != Role.admin and "role" in changes:
        raise UserRequestError("managers cannot change roles", status=403, code="role_forbidden")
    if user.id == viewer.id and (changes.get("is_active") is False or changes.get("role", user.role) != user.role):
        raise UserRequestError(
            "you cannot deactivate yourself or change your own role", status=409, code="self_lockout"
        )
    if changes.get("team_id") is not None:
        _managed_team(session, viewer, changes["team_id"])
    if "display_name" in changes and changes["display_name"] is not None:
        user.display_name = changes["display_name"].strip() or user.username
    if changes.get("is_active") is not None:
        user.is_active = changes["is_active"]
    new_role = changes.get("role") or user.role
    if new_role != user.role:
        if user.role == Role.manager:
            session.exec(delete(TeamManager).where(col(TeamManager.user_id) == user.id))
        user.role = new_role
    if "team_id" in changes and changes["team_id"] != user.team_id:
        if changes["team_id"] is None and viewer.role != Role.admin:
            raise UserRequestError("choose one of your teams", code="team_required")
        user.team_id = changes["team_id"]
        if user.team_id is not None:
            assign_open_team_drills(session, user)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def reset_password(session: Session, viewer: User, user: User) -> str:
    """A new one-time password the user must change at their next sign-in (your own: change it yourself)."""
    if user.id == viewer.id:
        raise UserRequestError("change your own password on the password page", status=409, code="own_reset")
    password = one_time_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    session.add(user)
    session.commit()
    return password


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """Everyone's own password change; it also ends a one-time password."""
    stored = session.get(User, user.id)
    if stored is None:
        raise UserRequestError("this account no longer exists", status=404, code="account_gone")
    if not verify_password(current, stored.password_hash):
        raise UserRequestError("the current password is not correct", code="wrong_password")
    if len(new) < 8:
        raise UserRequestError("the new password needs at least 8 characters", code="short_password")
    if new == current:
        raise UserRequestError("choose a password different from the current one", code="same_password")
    stored.password_hash = hash_password(new)
    stored.must_change_password = False
    session.add(stored)
    session.commit()


def check_username(username: str) -> str | None:
    """The error code for a username the model would refuse, else None."""
    try:
        UserBase.model_validate({"username": username, "display_name": ""})
    except ValueError:
        return "bad_username"
    return None


# --- teams -----------------------------------------------------------------------------------------


def list_teams(session: Session, viewer: User) -> list[TeamRow]:
    query = select(Team).order_by(Team.name)
    if viewer.role != Role.admin:
        query = query.where(col(Team.id).in_(managed_team_ids(session, viewer)))
    teams = list(session.exec(query))
    managers: dict[int, list[User]] = {}
    for team_id, manager in session.exec(
        select(TeamManager.team_id, User).join(User, col(User.id) == TeamManager.user_id).order_by(User.display_name)
    ):
        managers.setdefault(team_id, []).append(manager)
    members: dict[int, int] = {}
    for member_team in session.exec(select(User.team_id).where(col(User.team_id).is_not(None), User.is_active)):
        if member_team is not None:  # the query excludes None; this narrows the column's type
            members[member_team] = members.get(member_team, 0) + 1
    return [
        TeamRow(
            id=team.id,
            name=team.name,
            managers=user_rows(session, managers.get(require_id(team), [])),
            members=members.get(require_id(team), 0),
        )
        for team in teams
    ]


def _managers(session: Session, manager_ids: list[int]) -> list[User]:
    wanted = list(dict.fromkeys(manager_ids))
    found = (
        list(session.exec(select(User).where(col(User.id).in_(wanted), User.role == Role.manager))) if wanted else []
    )
    if len(found) != len(wanted):
        missing = ", ".join(str(i) for i in sorted(set(wanted) - {user.id for user in found}))
        raise UserRequestError(f"not managers: {missing}", code="not_managers", ids=missing)
    return found


def _name_free(session: Session, name: str, team_id: int | None = None) -> None:
    other = session.exec(select(Team).where(Team.name == name)).first()
    if other is not None and other.id != team_id:
        raise UserRequestError(f"team {name!r} already exists", status=409, code="team_exists", team=name)


def create_team(session: Session, data: TeamCreate) -> Team:
    _name_free(session, data.name)
    managers = _managers(session, data.manager_ids)
    team = Team(name=data.name)
    session.add(team)
    session.flush()
    session.add_all(TeamManager(team_id=require_id(team), user_id=require_id(manager)) for manager in managers)
    session.commit()
    session.refresh(team)
    return team


def update_team(session: Session, team: Team, data: TeamUpdate) -> Team:
    """Rename a team or replace the set of its managers."""
    if data.name is not None:
        _name_free(session, data.name, team.id)
        team.name = data.name
    if data.manager_ids is not None:
        managers = _managers(session, data.manager_ids)
        session.exec(delete(TeamManager).where(col(TeamManager.team_id) == team.id))
        session.add_all(TeamManager(team_id=require_id(team), user_id=require_id(manager)) for manager in managers)
    session.add(team)
    session.commit()
    session.refresh(team)
    return team
