"""Who may read or act on whose data: the one place the ownership rules live."""

from typing import Literal, Protocol, TypeVar

from sqlmodel import Session, col, select

from app.errors import AppError, not_found
from app.models import Role, TeamManager, User
from app.models.common import require_id


class _OwnedRow(Protocol):
    owner_id: int


Owned = TypeVar("Owned", bound=_OwnedRow)
Access = Literal["read", "write", "own"]


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


def visible_or_404(
    session: Session,
    viewer: User,
    table: type[Owned],
    object_id: int,
    what: str,
    *,
    access: Access = "read",
    lock: bool = False,
    verb: str = "change",
) -> Owned:
    """The one access check for a row with an `owner_id`; a row the viewer may not see does not exist for them
    (404 `not_found`, the same as a missing id, so ids cannot be probed).

    `read`: the owner, their manager and admins. `write`: those may see it, but only the owner may `verb` it (403
    `not_owner` for the others). `own`: only the owner; for anyone else it does not exist. `lock` reads the row
    FOR UPDATE (a change that must not interleave with another).
    """
    row = session.get(table, object_id, with_for_update=True if lock else None)
    if row is not None and row.owner_id == viewer.id:
        return row
    if row is None or access == "own" or not can_view_user(session, viewer, row.owner_id):
        raise not_found(what)
    if access == "write":
        article = "an" if what[:1] in "aeiou" else "a"
        raise AppError(403, "not_owner", f"only the rep who owns {article} {what} may {verb} it")
    return row


def visible_user_or_404(session: Session, viewer: User, user_id: int, what: str) -> User:
    """A user whose data the viewer may read (themselves, a manager's reps, anyone for admins); 404 otherwise."""
    user = session.get(User, user_id)
    if user is None or not can_view_user(session, viewer, user_id):
        raise not_found(what)
    return user


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
