"""Scenario library pages: the team's scenarios, the editor form (from a template, a built-in or a model's draft),
publish / archive, and "play it as a rep"."""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.deps import SessionDep, not_found
from app.drills.analytics import viewer_teams
from app.i18n import get_lang, translate
from app.knowledge.documents import DocumentError
from app.knowledge.key_sentences import key_sentences
from app.knowledge.team_docs import readable_document
from app.models import ScenarioStatus, User
from app.models.common import require_id
from app.pipeline import readable_opportunity
from app.playbook import get_playbook
from app.playbook.vocabulary import CATEGORY_LETTER
from app.roleplay import service
from app.scenarios import editor, library, rehearsal, repository, views
from app.scenarios.checklist import check
from app.scenarios.drafting import draft_from_material
from app.scenarios.library import LibraryError
from app.scenarios.limits import MAX_FACTS
from app.web.security import CsrfChecked, WebUser, is_manager
from app.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_FORM_FIELDS = 400  # the fixed fields, and up to limits.MAX_FACTS fact rows of six fields per S / P / I / N
MAX_DRAFT_MATERIAL_CHARS = 8000  # what the draft-from-material form accepts
MAX_FIELD_CHARS = 1000  # a text field of the editor form


def _require_manager(user: User, request: Request) -> None:
    if not is_manager(user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=translate("scenarios.managers_only", get_lang(request)))


def _element_choices(lang: str) -> dict[str, list[tuple[str, str, str]]]:
    """Per select: (id, name, what it means) from the playbook, so the form never shows raw ids."""
    playbook = get_playbook()
    choices: dict[str, list[tuple[str, str, str]]] = {}
    for field, ids in editor.CHOICES.items():
        rows = []
        for element_id in ids:
            try:
                element = playbook.element(element_id)
                meaning = (element.description_en or "") if lang == "en" else element.description
                rows.append((element_id, element.name_en if lang == "en" else element.name_zh, meaning))
            except KeyError:  # commitment kinds and triggers are not playbook elements: UI strings
                rows.append((element_id, translate(f"scenarios.choice.{field}.{element_id}", lang), ""))
        choices[field] = rows
    return choices


def _form_page(
    request: Request,
    session: Session,
    user: User,
    form: dict[str, str],
    *,
    row=None,
    errors: list[dict] | None = None,
    warnings: list | None = None,
    status_code: int = 200,
    saved: bool = False,
):
    lang = get_lang(request)
    return render(
        request,
        "scenarios/edit.html",
        {
            "form": form,
            "row": row,
            "row_id": repository.base_id(row.id) if row else None,
            "errors": errors or [],
            "warnings": warnings or [],
            "saved": saved,
            "choices": _element_choices(lang),
            "teams": viewer_teams(session, user),
            "categories": editor.CATEGORIES,
            "fact_rows": editor.fact_rows(form),
            "max_facts": MAX_FACTS,
            "objection_slots": range(editor.OBJECTION_SLOTS),
            "signal_slots": range(editor.SIGNAL_SLOTS),
            "levels": editor.LEVELS,
            "five_dimensions": editor.FIVE_DIMENSIONS,
            "category_label": CATEGORY_LETTER,
        },
        status_code=status_code,
    )


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    if len(form) > MAX_FORM_FIELDS:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail="too many form fields")
    return {key: str(value) for key, value in form.items() if key != "csrf_token"}


@router.get("/scenarios")
def library_page(request: Request, session: SessionDep, user: WebUser):
    """The scenarios a manager may use: built-ins to start from, and the team's own with their state."""
    _require_manager(user, request)
    entries = views.list_entries(session, user, include_private=True)
    return render(
        request,
        "scenarios/index.html",
        {
            "builtins": [e for e in entries if e["kind"] == "builtin"],
            "team": [e for e in entries if e["kind"] == "team"],
            "teams": {team.id: team.name for team in viewer_teams(session, user)},
        },
    )


@router.get("/scenarios/new")
def new_page(request: Request, session: SessionDep, user: WebUser, start_from: str = ""):
    """The editor, empty (a template) or filled from a built-in or a team scenario (a copy)."""
    _require_manager(user, request)
    form = editor.blank_form()
    if start_from:
        try:
            form = editor.form_from_content(library.readable(session, user, start_from[:80]).model_dump(mode="json"))
        except LibraryError:
            raise not_found("scenario") from None
    return _form_page(request, session, user, form)


@router.post("/scenarios/new", dependencies=[CsrfChecked])
async def create_page(request: Request, session: SessionDep, user: WebUser):
    """Save the form as a new draft team scenario, then show it with its checklist."""
    _require_manager(user, request)
    form = await _posted(request)
    try:
        row = await run_in_threadpool(
            library.create, session, user, editor.content_from_form(form), team_name=form.get("team") or None
        )
    except LibraryError as error:
        return _form_page(request, session, user, form, errors=_errors(error), status_code=error.status)
    return RedirectResponse(f"/scenarios/{repository.base_id(require_id(row))}/edit?saved=1", status_code=303)


@router.post("/scenarios/draft", dependencies=[CsrfChecked])
async def draft_page(
    request: Request, session: SessionDep, user: WebUser, material: Annotated[str, Form(min_length=10, max_length=8000)]
):
    """With a model configured: a draft scenario from pasted product notes or a customer description (editable)."""
    _require_manager(user, request)
    chat_model = request.app.state.chat_model
    content = await draft_from_material(chat_model, material) if chat_model is not None else None
    if content is None:
        return _form_page(
            request,
            session,
            user,
            editor.blank_form(),
            status_code=422,
            errors=[{"loc": ["material"], "msg": translate("scenarios.draft_failed", get_lang(request))}],
        )
    return _form_page(request, session, user, editor.form_from_content(content))


@router.post("/scenarios/draft-from-document", dependencies=[CsrfChecked])
async def draft_from_document_page(
    request: Request, session: SessionDep, user: WebUser, document_id: Annotated[int, Form(ge=1)]
):
    """A draft from one of the team's documents: with a model, the draft-from-material path fed with the document;
    offline (or when the model gives nothing usable), the template with the document's key sentences as our offering."""
    _require_manager(user, request)
    try:
        document = readable_document(session, user, document_id)
    except DocumentError:
        raise not_found("document") from None
    chat_model = request.app.state.chat_model
    material = document.text[:MAX_DRAFT_MATERIAL_CHARS]
    content = await draft_from_material(chat_model, material) if chat_model is not None else None
    if content is not None:
        return _form_page(request, session, user, editor.form_from_content(content))
    form = editor.blank_form() | {"our_offering": " ".join(key_sentences(document.text))[:MAX_FIELD_CHARS]}
    return _form_page(request, session, user, form)


@router.get("/scenarios/{scenario_id}/edit")
def edit_page(scenario_id: str, request: Request, session: SessionDep, user: WebUser, saved: bool = False):
    """The editor on a team scenario's latest version, with the checklist."""
    _require_manager(user, request)
    row = _editable(session, user, scenario_id)
    scenario = repository.get_scenario(session, repository.versioned_id(row.id, row.version))
    if scenario is None:  # its current version's content is missing
        raise not_found("scenario")
    return _form_page(
        request,
        session,
        user,
        editor.form_from_content(scenario.model_dump(mode="json")),
        row=row,
        warnings=check(scenario),
        saved=saved,
    )


@router.post("/scenarios/{scenario_id}/edit", dependencies=[CsrfChecked])
async def update_page(scenario_id: str, request: Request, session: SessionDep, user: WebUser):
    """Save the form: the same version while an unplayed draft, a new version once published or played."""
    _require_manager(user, request)
    row = _editable(session, user, scenario_id)
    form = await _posted(request)
    try:
        row = await run_in_threadpool(library.update, session, user, row.id, editor.content_from_form(form))
    except LibraryError as error:
        return _form_page(request, session, user, form, row=row, errors=_errors(error), status_code=error.status)
    return RedirectResponse(f"/scenarios/{repository.base_id(row.id)}/edit?saved=1", status_code=303)


@router.post("/scenarios/{scenario_id}/publish", dependencies=[CsrfChecked])
def publish_page(scenario_id: str, request: Request, session: SessionDep, user: WebUser):
    """Publish to the team's reps."""
    return _set_status(request, session, user, scenario_id, ScenarioStatus.published)


@router.post("/scenarios/{scenario_id}/archive", dependencies=[CsrfChecked])
def archive_page(scenario_id: str, request: Request, session: SessionDep, user: WebUser):
    """Archive: no new sessions or drills."""
    return _set_status(request, session, user, scenario_id, ScenarioStatus.archived)


@router.post("/scenarios/{scenario_id}/play", dependencies=[CsrfChecked])
def play_page(scenario_id: str, request: Request, session: SessionDep, user: WebUser):
    """Play it as a rep: a session on the latest version, for the author (drafts included)."""
    engine_name = "offline" if request.app.state.chat_model is None else "llm"
    roleplay = service.start_roleplay(session, user, scenario_id[:80], None, engine_name)
    return RedirectResponse(f"/roleplay/{roleplay.id}", status_code=303)


def _set_status(request: Request, session: Session, user: User, scenario_id: str, new: ScenarioStatus):
    _require_manager(user, request)
    library.set_status(session, user, scenario_id[:80], new)
    return RedirectResponse("/scenarios", status_code=303)


def _editable(session: Session, user: User, scenario_id: str):
    return library.editable_row(session, user, scenario_id[:80])


def _errors(error: LibraryError) -> list[dict]:
    if isinstance(error.detail, list):
        return [
            {"loc": [part for part in item.get("loc", []) if part != "body"], "msg": item.get("msg", "")}
            for item in error.detail
        ]
    return [{"loc": [], "msg": str(error.detail)}]


@router.post("/pipeline/opportunities/{opportunity_id}/rehearsals", dependencies=[CsrfChecked])
def rehearse_page(
    opportunity_id: int,
    request: Request,
    session: SessionDep,
    user: WebUser,
    stakeholder: Annotated[str, Form(min_length=1, max_length=80)],
):
    """Build the rehearsal scenario for one stakeholder of the rep's deal and start the call at once."""
    opportunity = readable_opportunity(session, user, opportunity_id)
    if opportunity.owner_id != user.id:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=translate("scenarios.rehearsal.owner_only", get_lang(request))
        )
    row = rehearsal.create_rehearsal(session, user, opportunity, stakeholder, request.app.state.chat_model)
    return play_page(repository.base_id(require_id(row)), request, session, user)
