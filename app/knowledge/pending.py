"""Questions posted for a streamed answer, kept in the database until their stream is opened once, or they expire.

In the database, not in memory: with `--workers N` (or several hosts) the GET of the stream may reach another
process than the POST did.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from app.errors import not_found
from app.models import PendingAsk
from app.models.common import utcnow


class PendingAsks:
    """Add a question for a user, claim it once by its id; expired ones are dropped as new ones come."""

    def __init__(self, ttl_s: float = 120.0, max_per_user: int = 20) -> None:
        self.ttl = timedelta(seconds=ttl_s)
        self.max_per_user = max_per_user

    def add(self, session: Session, user_id: int, question: str) -> str:
        """Keep the question for the user; returns the id of its stream. A user's oldest make room past the cap."""
        now = utcnow()
        session.execute(delete(PendingAsk).where(col(PendingAsk.created_at) < now - self.ttl))
        waiting = session.exec(select(func.count()).select_from(PendingAsk).where(PendingAsk.user_id == user_id)).one()
        if waiting >= self.max_per_user:
            oldest = select(PendingAsk.id).where(PendingAsk.user_id == user_id).order_by(col(PendingAsk.created_at))
            stale = list(session.exec(oldest.limit(waiting - self.max_per_user + 1)))
            session.execute(delete(PendingAsk).where(col(PendingAsk.id).in_(stale)))
        ask_id = secrets.token_urlsafe(16)
        session.add(PendingAsk(id=ask_id, user_id=user_id, question=question, created_at=now))
        session.commit()
        return ask_id

    def claim(self, session: Session, ask_id: str, user_id: int) -> str | None:
        """The question, removed from the store; None if unknown, expired, or another user's."""
        claimed = session.execute(
            delete(PendingAsk)
            .where(
                col(PendingAsk.id) == ask_id,
                col(PendingAsk.user_id) == user_id,
                col(PendingAsk.created_at) >= utcnow() - self.ttl,
            )
            .returning(col(PendingAsk.question))
        ).scalar_one_or_none()
        if (
            claimed is not None
        ):  # nothing to keep otherwise; a commit would expire the signed-in user the 404 page shows
            session.commit()
        return claimed


pending_asks = PendingAsks()


def claim_or_404(session: Session, ask_id: str, user_id: int) -> str:
    """The user's pending question, used up; 404 for unknown, expired or other users' asks."""
    question = pending_asks.claim(session, ask_id, user_id)
    if question is None:
        raise not_found("ask")
    return question
