"""A rep's notification area: managers' reviews of their attempts, drills assigned to them, drills due soon."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app.drills.schemas import DrillStatus, Notice
from app.drills.service import list_drills
from app.models import Review, RolePlay, User
from app.models.common import team_today, utcnow

RECENT = timedelta(days=14)  # reviews and new drills older than this are not news any more
DUE_SOON_DAYS = 2
MAX_NOTICES = 12
OPEN = (DrillStatus.assigned, DrillStatus.in_progress)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def rep_notices(session: Session, rep: User) -> list[Notice]:
    """Newest first: reviews by others on the rep's attempts and newly assigned drills (new until marked read),
    then open drills due within two days."""
    since = utcnow() - RECENT
    seen = _aware(rep.notices_seen_at) if rep.notices_seen_at else None
    notices: list[Notice] = []
    rows = session.exec(
        select(Review, RolePlay, User)
        .join(RolePlay, col(RolePlay.id) == Review.roleplay_id)
        .join(User, col(User.id) == Review.reviewer_id)
        .where(RolePlay.owner_id == rep.id, Review.reviewer_id != rep.id, Review.created_at >= since)
        .order_by(col(Review.created_at).desc())
        .limit(MAX_NOTICES)
    )
    for review, roleplay, reviewer in rows:
        at = _aware(review.created_at)
        anchor = f"#turn-{review.turn_id}" if review.turn_id else ""
        notices.append(
            Notice(
                kind="review",
                at=at,
                new=seen is None or at > seen,
                link=f"/roleplay/{roleplay.id}{anchor}",
                who=reviewer.display_name or reviewer.username,
                scenario_id=roleplay.scenario_id,
                score=review.override_score,
                text=review.comment[:200],
            )
        )
    today = team_today()
    drills = [(drill, mine) for drill in list_drills(session, rep) if (mine := drill.mine) is not None]
    for drill, mine in drills:
        at = _aware(drill.created_at)
        if at >= since and mine.status in OPEN and mine.attempts == 0:
            notices.append(
                Notice(
                    kind="drill",
                    at=at,
                    new=seen is None or at > seen,
                    link=f"/drills/{drill.id}",
                    scenario_id=drill.scenario_id,
                )
            )
    notices.sort(key=lambda notice: notice.at, reverse=True)
    due_soon = [
        Notice(kind="due_soon", at=mine.due, new=False, link=f"/drills/{drill.id}", scenario_id=drill.scenario_id)
        for drill, mine in drills
        if mine.status in OPEN and mine.due is not None and 0 <= (mine.due - today).days <= DUE_SOON_DAYS
    ]
    return (sorted(due_soon, key=lambda notice: notice.at) + notices)[:MAX_NOTICES]


def mark_notices_seen(session: Session, rep: User) -> None:
    stored = session.get(User, rep.id)
    if stored is None:  # the account was deleted meanwhile: nothing to mark
        return
    stored.notices_seen_at = utcnow()
    session.add(stored)
    session.commit()
