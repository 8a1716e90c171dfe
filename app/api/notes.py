"""Coaching notes: list, read and export the structured note every finished session leaves."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from app.deps import CurrentUser, SessionDep
from app.models import CoachingNotePublic
from app.notes import list_visible_notes, visible_note
from app.roleplay.notes import export_note

router = APIRouter(prefix="/notes", tags=["notes"])


@router.get("")
def list_notes(
    session: SessionDep,
    user: CurrentUser,
    kind: Annotated[Literal["roleplay", "flow"] | None, Query()] = None,
    owner_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[CoachingNotePublic]:
    """Coaching notes you may read, newest first, optionally of one kind or one rep."""
    notes = list_visible_notes(session, user, kind=kind, owner_id=owner_id, limit=limit, offset=offset)
    return [CoachingNotePublic.model_validate(note, from_attributes=True) for note in notes]


@router.get("/{note_id}")
def read_note(note_id: int, session: SessionDep, user: CurrentUser) -> CoachingNotePublic:
    """One coaching note (owner, their manager, admins)."""
    return CoachingNotePublic.model_validate(visible_note(session, user, note_id), from_attributes=True)


@router.get("/{note_id}/export")
def export(
    note_id: int,
    session: SessionDep,
    user: CurrentUser,
    format: Annotated[Literal["md", "csv"], Query()] = "md",
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Response:
    """The note as a Markdown or CSV download."""
    exported = export_note(visible_note(session, user, note_id), format, lang)
    return Response(exported.content, media_type=exported.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'})
