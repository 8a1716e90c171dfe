"""Who may read or act on whose data: the one place the ownership rules live."""

from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from app.errors import not_found
from app.models import Role, TeamManager, User
from app.models.common import require_id


class _OwnedRow(Protocol):
    owner_id: int


Owned = TypeVar("Owned", bound=_OwnedRow)


def managed_team_ids(session: Session, manager: User) -> set[int]:
    rows = session.exec(select(TeamManager.team_id).where(TeamManager.user_id == manager.id))
    return set(rows)


def can_view_user(session: Session, viewer: User, owner_id: int) -> bool:
    """Owners see their own data, managers their teams' reps, admins everything."""
    if viewer.role == Role.admin or viewer.id == owner_id:
        return True
    if viewer.role != Role.manager:
        return False
    owner = session.get(User, owner_id)
    return owner is not None and owner.team_id is not None and owner.team_id in managed_team_ids(session, viewer)


def visible_or_404(session: Session, viewer: User, table: type[Owned], object_id: int, what: str) -> Owned:
    """A row with an `owner_id` that the viewer may read (owner, their manager, admins); for anyone else it does
    not exist (404, the same as a missing id, so ids cannot be probed)."""
    row = session.get(table, object_id)
    if row is None or not can_view_user(session, viewer, row.owner_id):
        raise not_found(what)
    return row


def visible_user_ids(session: Session, viewer: User) -> set[int] | None:
    """The user ids whose data the viewer may list; None means everyone (admin)."""
    if viewer.role == Role.admin:
        return None
    if viewer.role == Role.manager:
        teams = managed_team_ids(session, viewer)
        members = session.exec(select(User.id).where(col(User.team_id).in_(teams))).all() if teams else []
        return {require_id(viewer), *(member for member in members if member is not None)}
    return {require_id(viewer)}


def can_manage_team(session: Session, viewer: User, team_id: int) -> bool:
    if viewer.role == Role.admin:
        return True
    return viewer.role == Role.manager and team_id in managed_team_ids(session, viewer)
