"""The rules for starting a drill attempt: assigned to you, attempts left."""

from sqlmodel import Session, func, select

from app.drills.results import allowed_attempts
from app.models import Drill, DrillAssignment, RolePlay, User


class DrillNotAvailable(Exception):
    """The rep may not start an attempt on this drill; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def check_attempt_allowed(session: Session, user: User, drill_id: int) -> Drill:
    """The drill, if `user` is assigned to it and has attempts left; raises DrillNotAvailable otherwise."""
    drill = session.get(Drill, drill_id)
    assignment = (
        session.exec(
            select(DrillAssignment).where(DrillAssignment.drill_id == drill_id, DrillAssignment.user_id == user.id)
        ).first()
        if drill is not None
        else None
    )
    if drill is None or assignment is None:
        raise DrillNotAvailable("drill not found", 404)  # not assigned looks like missing: ids cannot be probed
    if drill.cancelled_at is not None:
        raise DrillNotAvailable("this drill was cancelled", 409)
    allowed = allowed_attempts(drill, assignment)
    if allowed is not None:
        used = session.exec(
            select(func.count())
            .select_from(RolePlay)
            .where(RolePlay.drill_id == drill_id, RolePlay.owner_id == user.id)
        ).one()
        if used >= allowed:
            raise DrillNotAvailable(f"no attempts left on this drill ({allowed} allowed)", 409)
    return drill
