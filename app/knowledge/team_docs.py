"""A team's own documents in Ask: upload, list, delete, re-index, and their chunks for retrieval (team-scoped)."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, delete, select

from app.auth.policy import managed_team_ids
from app.knowledge.chunks import Chunk
from app.knowledge.documents import DocumentError, chunk_sections, extract, sections_from_text
from app.knowledge.key_sentences import key_sentences, stated_facts
from app.knowledge.service import Passage, find_passage
from app.models import KnowledgeChunk, KnowledgeDocument, Role, User
from app.models.common import require_id

TEAM_CHUNK_ID_RE = re.compile(r"^team-(\d+)-(\d+)$")
TITLE_SEPARATOR = " › "


class DocumentPublic(BaseModel):
    """A team document as the API lists it (its text is not included)."""

    id: int
    team_id: int
    title: str
    filename: str
    kind: str
    size_bytes: int
    pages: int | None
    chunks: int
    created_at: datetime


class DocumentCreated(BaseModel):
    """The answer to an upload: the new document's id and how many passages it was cut into."""

    id: int
    chunks: int


def readable_team_ids(session: Session, user: User) -> set[int] | None:
    """Teams whose documents the user may read and Ask searches: own team, plus led teams; None = all (admin)."""
    if user.role == Role.admin:
        return None
    teams = {user.team_id} if user.team_id is not None else set()
    if user.role == Role.manager:
        teams |= managed_team_ids(session, user)
    return teams


def ask_team_ids(session: Session, user: User) -> set[int]:
    """The teams whose documents an Ask by this user searches (an admin: their own team only)."""
    if user.role == Role.admin:
        return {user.team_id} if user.team_id is not None else set()
    return readable_team_ids(session, user) or set()


def manageable_team_ids(session: Session, user: User) -> set[int] | None:
    """Teams whose documents the user may upload and delete: the teams a manager leads; None = all (admin)."""
    if user.role == Role.admin:
        return None
    if user.role != Role.manager:
        return set()
    teams = managed_team_ids(session, user)
    return teams or ({user.team_id} if user.team_id is not None else set())


def upload_target_team(session: Session, user: User, team_id: int | None) -> int:
    """The team an upload goes to: the one asked for, or the manager's only team; DocumentError otherwise."""
    allowed = manageable_team_ids(session, user)
    if team_id is None:
        if allowed is not None and len(allowed) == 1:
            return next(iter(allowed))
        if allowed is None and user.team_id is not None:
            return user.team_id
        raise DocumentError("team_required", "say which team the document is for (team_id)")
    if allowed is not None and team_id not in allowed:
        raise DocumentError("not_found", "team not found", 404)
    return team_id


def _store_chunks(session: Session, document: KnowledgeDocument, sections: list[tuple[str, str]]) -> int:
    pieces = chunk_sections(sections)
    for position, (heading, text) in enumerate(pieces):
        title = document.title if not heading else f"{document.title}{TITLE_SEPARATOR}{heading}"
        session.add(KnowledgeChunk(document_id=require_id(document), position=position, title=title[:300], text=text))
    return len(pieces)


def upload_document(
    session: Session, user: User, filename: str, data: bytes, title: str | None = None, team_id: int | None = None
) -> DocumentCreated:
    """Extract, chunk and store a document for a team the user manages."""
    team = upload_target_team(session, user, team_id)
    filename = (filename or "").strip()[:255]
    extracted = extract(filename, data)
    pieces_title = (title or "").strip() or filename.rsplit(".", 1)[0] or filename
    document = KnowledgeDocument(
        team_id=team,
        uploaded_by=user.id,
        title=pieces_title[:200],
        filename=filename,
        kind=extracted.kind,
        size_bytes=len(data),
        pages=extracted.pages,
        text=extracted.text,
    )
    session.add(document)
    session.flush()
    chunks = _store_chunks(session, document, extracted.sections)
    session.commit()
    return DocumentCreated(id=document.id, chunks=chunks)


def _visible_document(session: Session, user: User, document_id: int, manage: bool) -> KnowledgeDocument:
    document = session.get(KnowledgeDocument, document_id)
    teams = manageable_team_ids(session, user) if manage else readable_team_ids(session, user)
    if document is None or (teams is not None and document.team_id not in teams):
        raise DocumentError("not_found", "document not found", 404)
    return document


def list_documents(session: Session, user: User, limit: int = 100, offset: int = 0) -> list[DocumentPublic]:
    """The documents of the teams the user may read, newest first, with their chunk counts."""
    teams = readable_team_ids(session, user)
    query = select(KnowledgeDocument).order_by(col(KnowledgeDocument.id).desc()).limit(limit).offset(offset)
    if teams is not None:
        query = query.where(col(KnowledgeDocument.team_id).in_(teams or {-1}))
    documents = list(session.exec(query))
    counts: dict[int, int] = {}
    if documents:
        for document_id in session.exec(
            select(KnowledgeChunk.document_id).where(col(KnowledgeChunk.document_id).in_([d.id for d in documents]))
        ):
            counts[document_id] = counts.get(document_id, 0) + 1
    return [
        DocumentPublic(
            id=d.id,
            team_id=d.team_id,
            title=d.title,
            filename=d.filename,
            kind=d.kind,
            size_bytes=d.size_bytes,
            pages=d.pages,
            chunks=counts.get(require_id(d), 0),
            created_at=d.created_at,
        )
        for d in documents
    ]


class DocumentFacts(BaseModel):
    """A team document's key sentences, offered to the scenario editor as product facts."""

    id: int
    title: str
    sentences: list[str]


def readable_document(session: Session, user: User, document_id: int) -> KnowledgeDocument:
    """A document of a team the user may read (DocumentError 404 otherwise, as for a missing one)."""
    return _visible_document(session, user, document_id, manage=False)


def document_facts(session: Session, user: User, document_id: int, limit: int = 8) -> DocumentFacts:
    """The key sentences of a document the user may read: its specific product facts, offline."""
    document = readable_document(session, user, document_id)
    return DocumentFacts(id=document.id, title=document.title, sentences=key_sentences(document.text, limit))


def delete_document(session: Session, user: User, document_id: int) -> None:
    """Delete a document and its chunks (a team the user manages; 404 otherwise)."""
    document = _visible_document(session, user, document_id, manage=True)
    session.exec(delete(KnowledgeChunk).where(col(KnowledgeChunk.document_id) == document.id))
    session.delete(document)
    session.commit()


def reindex_document(session: Session, user: User, document_id: int) -> DocumentCreated:
    """Cut the stored text into passages again (after the chunking rules changed)."""
    document = _visible_document(session, user, document_id, manage=True)
    session.exec(delete(KnowledgeChunk).where(col(KnowledgeChunk.document_id) == document.id))
    chunks = _store_chunks(session, document, sections_from_text(document.text))
    session.commit()
    return DocumentCreated(id=document.id, chunks=chunks)


def team_chunks(session: Session, team_ids: set[int]) -> list[Chunk]:
    """The searchable chunks of these teams' documents, as knowledge-base Chunks (ids team-<doc>-<position>)."""
    if not team_ids:
        return []
    rows = session.exec(
        select(KnowledgeChunk, KnowledgeDocument.team_id, KnowledgeDocument.title)
        .join(KnowledgeDocument, col(KnowledgeDocument.id) == col(KnowledgeChunk.document_id))
        .where(col(KnowledgeDocument.team_id).in_(team_ids))
        .order_by(col(KnowledgeChunk.document_id), col(KnowledgeChunk.position))
    )
    return [
        Chunk(
            id=f"team-{chunk.document_id}-{chunk.position}",
            title=chunk.title,
            source=f"team-doc:{chunk.document_id}",
            file="",
            text=chunk.text,
            team_id=team_id,
            source_title=doc_title,
        )
        for chunk, team_id, doc_title in rows
    ]


def find_team_chunk(session: Session, user: User, chunk_id: str) -> Chunk | None:
    """A team passage the user may read (their teams), or None."""
    match = TEAM_CHUNK_ID_RE.match(chunk_id)
    if match is None:
        return None
    document_id, position = int(match.group(1)), int(match.group(2))
    document = session.get(KnowledgeDocument, document_id)
    teams = readable_team_ids(session, user)
    if document is None or (teams is not None and document.team_id not in teams):
        return None
    chunk = session.exec(
        select(KnowledgeChunk).where(
            col(KnowledgeChunk.document_id) == document_id, col(KnowledgeChunk.position) == position
        )
    ).first()
    if chunk is None:
        return None
    return Chunk(
        id=chunk_id,
        title=chunk.title,
        source=f"team-doc:{document_id}",
        file="",
        text=chunk.text,
        team_id=document.team_id,
        source_title=document.title,
    )


def asker_team_chunks(session: Session, user: User) -> list[Chunk]:
    """The team documents an ask by this user searches besides the playbook."""
    return team_chunks(session, ask_team_ids(session, user))


def passage_for(chunk_id: str, lang: str, session: Session, user: User) -> Passage | None:
    """A playbook passage, or a team passage the user may read (the page uses it too)."""
    return find_passage(chunk_id, lang, find_team_chunk(session, user, chunk_id))


def stated_team_facts(session: Session, team_id: int | None, rep_texts: list[str]) -> list[str]:
    """The sentences of the team's documents the rep has stated (their product facts), for the LLM buyer's prompt."""
    if team_id is None:
        return []
    return stated_facts(rep_texts, [chunk.text for chunk in team_chunks(session, {team_id})])
