"""Coaching notes as readers see them: which notes a viewer may read, and one note or 404."""

from typing import Literal

from sqlmodel import Session, col, select

from app.auth.policy import visible_or_404, visible_user_ids
from app.models import CoachingNote, User

NoteKind = Literal["roleplay", "flow"]  # what a coaching note is about


def visible_note(session: Session, viewer: User, note_id: int) -> CoachingNote:
    """The owner, their manager and admins read a note; for anyone else it does not exist."""
    return visible_or_404(session, viewer, CoachingNote, note_id, "note")


def list_visible_notes(
    session: Session,
    viewer: User,
    *,
    kind: NoteKind | None = None,
    owner_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[CoachingNote]:
    """Notes the viewer may read, newest first: own; managers their teams' reps too; admins all."""
    query = select(CoachingNote)
    visible = visible_user_ids(session, viewer)
    if visible is not None:
        query = query.where(col(CoachingNote.owner_id).in_(visible))
    if owner_id is not None:
        query = query.where(CoachingNote.owner_id == owner_id)
    if kind is not None:
        query = query.where(CoachingNote.kind == kind)
    query = query.order_by(col(CoachingNote.created_at).desc(), col(CoachingNote.id).desc())
    return list(session.exec(query.offset(offset).limit(limit)))
