"""Coaching notes: list, read and export the structured note every finished session leaves."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from app.coaching.reader import reader_rep
from app.deps import CurrentUser, SessionDep
from app.drills.reviews import export_with_reviews, notes_reviews
from app.drills.schemas import CoachingNoteReviewed
from app.i18n import Lang
from app.models import CoachingNote, User
from app.models.common import require_id, team_time
from app.notes import NoteKind, list_visible_notes, visible_note
from app.roleplay.notes import ExportFormat, export_note

router = APIRouter(prefix="/notes", tags=["notes"])


@router.get("")
def list_notes(
    session: SessionDep,
    user: CurrentUser,
    kind: Annotated[NoteKind | None, Query()] = None,
    owner_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[CoachingNoteReviewed]:
    """Coaching notes you may read, newest first, optionally of one kind or one rep (with effective scores)."""
    notes = list_visible_notes(session, user, kind=kind, owner_id=owner_id, limit=limit, offset=offset)
    return reviewed_notes(session, notes)


def reviewed_notes(session: Session, notes: list[CoachingNote]) -> list[CoachingNoteReviewed]:
    reviews = notes_reviews(session, notes)
    return [
        CoachingNoteReviewed.model_validate(note, from_attributes=True).model_copy(
            update={
                "effective_score": reviews[note.id].score if note.id in reviews else note.score,
                "reviews": reviews[note.id].reviews if note.id in reviews else [],
            }
        )
        for note in notes
    ]


@router.get("/{note_id}")
def read_note(note_id: int, session: SessionDep, user: CurrentUser) -> CoachingNoteReviewed:
    """One coaching note (owner, their manager, admins), with the effective score and the managers' reviews."""
    return reviewed_notes(session, [visible_note(session, user, note_id)])[0]


@router.get("/{note_id}/export")
def export(
    note_id: int,
    session: SessionDep,
    user: CurrentUser,
    format: Annotated[ExportFormat, Query()] = "md",
    lang: Annotated[Lang, Query()] = "zh",
) -> Response:
    """The note as a Markdown or CSV download (a role-play's with its effective score and reviews)."""
    note = visible_note(session, user, note_id)
    exported = export_with_reviews(
        export_note(note, format, lang, reader_rep(user, session.get(User, note.owner_id))),
        notes_reviews(session, [note]).get(require_id(note)),
        lang,
        lambda moment: team_time(moment).strftime("%Y-%m-%d %H:%M"),
    )
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
