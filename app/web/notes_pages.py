"""Coaching-note pages: the list and one note, readable and exportable."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session, col, select

from app.coaching.reader import reader_rep
from app.deps import SessionDep
from app.drills.reviews import attempt_public, export_with_reviews, notes_reviews
from app.flows.definitions import get_flow
from app.i18n import get_lang, translate
from app.models import CoachingNote, RolePlay, User
from app.models.common import require_id
from app.notes import NoteKind, list_visible_notes, visible_note
from app.roleplay.notes import ExportFormat, export_note
from app.scenarios import repository
from app.web.roleplay_pages import element_namer
from app.web.security import WebUser
from app.web.templating import local_time, render

router = APIRouter(include_in_schema=False)


@router.get("/notes")
def notes_list(
    request: Request,
    session: SessionDep,
    user: WebUser,
    kind: Annotated[NoteKind | None, Query()] = None,
):
    """The notes the user may read, newest first: own, and for managers their teams' reps."""
    notes = list_visible_notes(session, user, kind=kind, limit=100)
    owner_ids = {note.owner_id for note in notes}
    owners = {row.id: row for row in session.exec(select(User).where(col(User.id).in_(owner_ids)))} if owner_ids else {}
    return render(
        request,
        "notes/list.html",
        {
            "notes": notes,
            "owners": owners,
            "kind": kind,
            "show_owner": user.role != "rep",
            "reviews": notes_reviews(session, notes),
            "titles": note_titles(session, notes, get_lang(request)),
        },
    )


def note_titles(session: Session, notes: list[CoachingNote], lang: str) -> dict[int, str]:
    """English titles for notes stored with a Chinese one: the scenario's or the flow's English title, keeping the
    account (names are not translated). Chinese readers see the stored title."""
    if lang == "zh":
        return {}
    titles: dict[int, str] = {}
    for note in notes:
        if note.id is None:
            continue
        if note.kind == "roleplay" and note.source_id:
            titles[note.id] = (
                f"{translate('notes.kind.roleplay', lang)}: {repository.scenario_titles(session, note.source_id)[1]}"
            )
        elif note.kind == "flow" and note.source_id:
            try:
                flow = get_flow(note.source_id)
            except KeyError:
                continue
            rest = note.title.split(" · ", 1)[1] if " · " in note.title else ""
            titles[note.id] = f"{flow.title_en} · {rest}" if rest else flow.title_en
    return titles


@router.get("/notes/{note_id}")
def note_page(note_id: int, request: Request, session: SessionDep, user: WebUser):
    """One note, readable: a role-play's scores and advice, or a flow's result."""
    note = visible_note(session, user, note_id)
    lang = get_lang(request)
    owner = session.get(User, note.owner_id)
    context: dict[str, Any] = {
        "note": note,
        "owner": owner,
        "name": element_namer(lang),
        "reader_rep": reader_rep(user, owner),
        "title": note_titles(session, [note], lang).get(require_id(note), note.title),
    }
    if note.kind == "roleplay":
        roleplay = session.get(RolePlay, note.data.get("roleplay_id")) if note.data.get("roleplay_id") else None
        next_id = note.data.get("next_scenario")
        context |= {
            "roleplay": roleplay,
            "card": note.data["scorecard"],
            "next_scenario": repository.get_scenario(session, next_id) if next_id else None,
            "attempt": attempt_public(session, roleplay) if roleplay else None,
            "when": local_time,
        }
    return render(request, "notes/detail.html", context)


@router.get("/notes/{note_id}/export")
def note_export(
    note_id: int,
    request: Request,
    session: SessionDep,
    user: WebUser,
    format: Annotated[ExportFormat, Query()] = "md",
):
    """Download the note as Markdown or CSV, in the page language."""
    note = visible_note(session, user, note_id)
    exported = export_with_reviews(
        export_note(note, format, get_lang(request), reader_rep(user, session.get(User, note.owner_id))),
        notes_reviews(session, [note]).get(require_id(note)),
        get_lang(request),
        local_time,
    )
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
