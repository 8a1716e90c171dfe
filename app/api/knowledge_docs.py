"""A team's own knowledge documents for Ask: upload (multipart), list, delete, re-index."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from app.deps import CurrentUser, ManagerUser, SessionDep
from app.knowledge.documents import MAX_UPLOAD_BYTES, UPLOAD_BODY_LIMIT, UPLOAD_READ_BYTES
from app.knowledge.team_docs import (
    DocumentCreated,
    DocumentPublic,
    delete_document,
    list_documents,
    reindex_document,
    upload_document,
)

router = APIRouter(prefix="/knowledge/documents", tags=["knowledge"])

MAX_ID = 2**31 - 1  # the largest id any database integer column holds


@router.post("", response_model=DocumentCreated, status_code=status.HTTP_201_CREATED, max_body_size=UPLOAD_BODY_LIMIT)
async def upload(
    user: ManagerUser,
    session: SessionDep,
    file: Annotated[
        UploadFile,
        File(description="Markdown, TXT, PDF or DOCX, at most 5 MB", json_schema_extra={"maxLength": MAX_UPLOAD_BYTES}),
    ],
    title: Annotated[str | None, Form(max_length=200)] = None,
    team_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> DocumentCreated:
    """Upload a document for a team you lead; it is chunked and searched by Ask for that team."""
    data = await file.read(UPLOAD_READ_BYTES)
    return upload_document(session, user, file.filename or "", data, title, team_id)


@router.get("", response_model=list[DocumentPublic])
def documents(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[DocumentPublic]:
    """The documents of your team(s), newest first."""
    return list_documents(session, user, limit=limit, offset=offset)


@router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove(document_id: int, user: ManagerUser, session: SessionDep) -> Response:
    """Delete a document of a team you lead (404 for any other)."""
    delete_document(session, user, document_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{document_id}/reindex", response_model=DocumentCreated)
def reindex(document_id: int, user: ManagerUser, session: SessionDep) -> DocumentCreated:
    """Cut a document's stored text into passages again."""
    return reindex_document(session, user, document_id)
