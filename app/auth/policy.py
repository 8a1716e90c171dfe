"""Who may read or act on whose data: the one place the ownership rules live."""

from sqlmodel import Session, select

from app.models import Role, TeamManager, User


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


def visible_user_ids(session: Session, viewer: User) -> set[int] | None:
    """The user ids whose data the viewer may list; None means everyone (admin)."""
    if viewer.role == Role.admin:
        return None
    if viewer.role == Role.manager:
        teams = managed_team_ids(session, viewer)
        members = session.exec(select(User.id).where(User.team_id.in_(teams))) if teams else []
        return {viewer.id, *members}
    return {viewer.id}


def can_manage_team(session: Session, viewer: User, team_id: int) -> bool:
    if viewer.role == Role.admin:
        return True
    return viewer.role == Role.manager and team_id in managed_team_ids(session, viewer)
