"""Coaching notes: list, read and export the structured note every finished session leaves."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from sqlmodel import Session, col, select

from app.api.deps import CurrentUser, SessionDep, not_found
from app.auth.policy import can_view_user, visible_user_ids
from app.drills.reviews import export_with_reviews, notes_reviews
from app.drills.schemas import CoachingNoteReviewed
from app.models import CoachingNote, User
from app.models.common import team_time
from app.roleplay.notes import export_note

router = APIRouter(prefix="/notes", tags=["notes"])


def visible_note(session: Session, viewer: User, note_id: int) -> CoachingNote:
    """The owner, their manager and admins read a note; for anyone else it does not exist."""
    note = session.get(CoachingNote, note_id)
    if note is None or not can_view_user(session, viewer, note.owner_id):
        raise not_found("note")
    return note


def list_visible_notes(session: Session, viewer: User, *, kind: str | None = None, owner_id: int | None = None,
                       limit: int = 50, offset: int = 0) -> list[CoachingNote]:
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


@router.get("")
def list_notes(
    session: SessionDep,
    user: CurrentUser,
    kind: Annotated[Literal["roleplay", "flow"] | None, Query()] = None,
    owner_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[CoachingNoteReviewed]:
    """Coaching notes you may read, newest first, optionally of one kind or one rep (with effective scores)."""
    notes = list_visible_notes(session, user, kind=kind, owner_id=owner_id, limit=limit, offset=offset)
    return reviewed_notes(session, notes)


def reviewed_notes(session: Session, notes: list[CoachingNote]) -> list[CoachingNoteReviewed]:
    reviews = notes_reviews(session, notes)
    return [CoachingNoteReviewed.model_validate(note, from_attributes=True).model_copy(update={
        "effective_score": reviews[note.id].score if note.id in reviews else note.score,
        "reviews": reviews[note.id].reviews if note.id in reviews else []}) for note in notes]


@router.get("/{note_id}")
def read_note(note_id: int, session: SessionDep, user: CurrentUser) -> CoachingNoteReviewed:
    """One coaching note (owner, their manager, admins), with the effective score and the managers' reviews."""
    return reviewed_notes(session, [visible_note(session, user, note_id)])[0]


@router.get("/{note_id}/export")
def export(
    note_id: int,
    session: SessionDep,
    user: CurrentUser,
    format: Annotated[Literal["md", "csv"], Query()] = "md",
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Response:
    """The note as a Markdown or CSV download (a role-play's with its effective score and reviews)."""
    note = visible_note(session, user, note_id)
    exported = export_with_reviews(export_note(note, format, lang), notes_reviews(session, [note]).get(note.id), lang,
                                   lambda moment: team_time(moment).strftime("%Y-%m-%d %H:%M"))
    return Response(exported.content, media_type=exported.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'})
