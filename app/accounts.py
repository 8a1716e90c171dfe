"""Creating users and teams, signing in, and ending a user's sessions (CLI, demo seed, pages and API)."""

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.auth.passwords import hash_password, verify_password
from app.drills.service import assign_open_team_drills
from app.models import Role, Team, TeamManager, User
from app.models.common import require_id
from app.models.user import UserBase


class AccountError(ValueError):
    """A user or team could not be created as asked."""


def get_or_create_team(session: Session, name: str) -> Team:
    team = session.exec(select(Team).where(Team.name == name)).first()
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role,
    team_name: str | None = None,
    display_name: str = "",
    *,
    must_change_password: bool = False,
    commit: bool = True,
) -> User:
    """A new user; `team_name` puts a rep in that team or makes a manager lead it (created when missing).

    `must_change_password` makes the password one-time; `commit=False` leaves the commit to the caller
    (an import stores all its rows or none)."""
    if len(password) < 8:
        raise AccountError("password must have at least 8 characters")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise AccountError(f"user {username!r} already exists")
    UserBase.model_validate({"username": username, "display_name": display_name})  # table models skip validation
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    if team_name:
        team = get_or_create_team(session, team_name)
        if role == Role.manager:
            session.add(TeamManager(team_id=require_id(team), user_id=require_id(user)))
        else:
            user.team_id = team.id
            assign_open_team_drills(session, user)  # "assign to team" includes those who join later
    if commit:
        session.commit()
        session.refresh(user)
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (an unknown name costs the same hash)."""
    user = session.exec(select(User).where(User.username == username)).first()
    password_hash = user.password_hash if user else None
    session.rollback()  # no connection held while the hash waits for its turn (app.auth.passwords)
    if not verify_password(password, password_hash):
        return None
    return user if user is not None and user.is_active else None


def end_sessions(session: Session, user: User) -> None:
    """End every session cookie and bearer token issued to the user so far (they carry the old version)."""
    session.execute(update(User).where(col(User.id) == user.id).values(session_version=col(User.session_version) + 1))
    session.commit()


def set_password(session: Session, user: User, password: str) -> None:
    """A new password; every session and token issued before it ends."""
    if len(password) < 8:
        raise AccountError("password must have at least 8 characters")
    user.password_hash = hash_password(password)
    session.add(user)
    end_sessions(session, user)


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivate (every session and token ends) or reactivate a user."""
    user.is_active = active
    session.add(user)
    end_sessions(session, user)
