"""A team's own knowledge documents (uploaded by managers) and their searchable chunks."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.models.common import created_at_field


class KnowledgeDocument(SQLModel, table=True):
    """One uploaded document of a team; its extracted text is kept so it can be re-indexed."""

    __tablename__ = "knowledge_document"
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    uploaded_by: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    title: str = Field(max_length=200)
    filename: str = Field(max_length=255)
    kind: str = Field(max_length=8)  # md | txt | pdf | docx
    size_bytes: int = Field(ge=0)
    pages: int | None = Field(default=None, ge=0)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = created_at_field()


class KnowledgeChunk(SQLModel, table=True):
    """A searchable section of a team document; rebuilt from the document's text on re-index."""

    __tablename__ = "knowledge_chunk"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="knowledge_document.id", index=True, ondelete="CASCADE")
    position: int = Field(ge=0)
    title: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
