"""The team documents page: managers upload, list, re-index and delete their teams' documents for Ask."""

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile, status
from fastapi.responses import RedirectResponse

from app.deps import SessionDep
from app.i18n import get_lang, translate
from app.knowledge.documents import MAX_PDF_PAGES, MAX_UPLOAD_BYTES, UPLOAD_BODY_LIMIT, UPLOAD_READ_BYTES, DocumentError
from app.knowledge.team_docs import (
    delete_document,
    document_facts,
    list_documents,
    reindex_document,
    upload_document,
)
from app.models import User
from app.web.drill_pages import render_page
from app.web.security import CsrfChecked, WebUser, is_manager
from app.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = "/knowledge/documents"


def _require_manager(request: Request, user: User) -> None:
    if not is_manager(user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=translate("knowledge.managers_only", get_lang(request)))


def _error_text(request: Request, error: DocumentError) -> str:
    lang = get_lang(request)
    key = f"knowledge.error.{error.code}"
    text = translate(key, lang, max_mb=MAX_UPLOAD_BYTES // (1024 * 1024), max_pages=MAX_PDF_PAGES)
    return str(error.detail) if text == key else text


def _page(request: Request, session, user: User, status_code: int = 200, **context: object):
    values: dict[str, object] = {
        "documents": list_documents(session, user),
        "error": None,
        "done": None,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_pages": MAX_PDF_PAGES,
    }
    values.update(context)
    return render_page(request, "knowledge/documents.html", values, status_code=status_code)


@router.get(PAGE)
def documents_page(request: Request, user: WebUser, session: SessionDep, done: str = ""):
    """The team's documents and the upload form."""
    _require_manager(request, user)
    message = (
        translate(f"knowledge.done.{done}", get_lang(request)) if done in ("uploaded", "deleted", "reindexed") else None
    )
    return _page(request, session, user, done=message)


@router.post(PAGE, dependencies=[CsrfChecked], max_body_size=UPLOAD_BODY_LIMIT)
async def upload_page(
    request: Request,
    user: WebUser,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form(max_length=200)] = "",
):
    """Upload one document; back to the list, or the page again with a readable error."""
    _require_manager(request, user)
    data = await file.read(UPLOAD_READ_BYTES)
    try:
        upload_document(session, user, file.filename or "", data, title or None)
    except DocumentError as error:
        return _page(request, session, user, status_code=error.status, error=_error_text(request, error))
    return RedirectResponse(f"{PAGE}?done=uploaded", status_code=status.HTTP_303_SEE_OTHER)


def _act(request: Request, user: User, action, done: str):
    """Run a document action for a manager and go back to the list saying what was done."""
    _require_manager(request, user)
    action()
    return RedirectResponse(f"{PAGE}?done={done}", status_code=status.HTTP_303_SEE_OTHER)


@router.post(PAGE + "/{document_id}/delete", dependencies=[CsrfChecked])
def delete_page(request: Request, user: WebUser, session: SessionDep, document_id: int):
    """Delete a document (404 for other teams')."""
    return _act(request, user, lambda: delete_document(session, user, document_id), "deleted")


@router.post(PAGE + "/{document_id}/reindex", dependencies=[CsrfChecked])
def reindex_page(request: Request, user: WebUser, session: SessionDep, document_id: int):
    """Cut a document into passages again."""
    return _act(request, user, lambda: reindex_document(session, user, document_id), "reindexed")


# The scenario editor's "from team documents" picker: fragments loaded by htmx into scenarios/_team_documents.html.
@router.get("/scenarios/team-documents")
def scenario_document_picker(request: Request, user: WebUser, session: SessionDep):
    """The documents of the manager's teams, to pick one in the scenario editor."""
    _require_manager(request, user)
    return render(request, "scenarios/_document_picker.html", {"documents": list_documents(session, user)})


@router.get("/scenarios/document-facts")
def scenario_document_facts(
    request: Request, user: WebUser, session: SessionDep, document_id: Annotated[int, Query(ge=1)]
):
    """A team document's key sentences (offline extraction), to copy into the scenario's fields (404: not yours)."""
    _require_manager(request, user)
    facts = document_facts(session, user, document_id)  # DocumentError is an AppError: mapped once (app.main)
    return render(request, "scenarios/_document_facts.html", {"facts": facts})
