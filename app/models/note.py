"""Coaching notes: the structured record every finished session leaves behind."""

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from app.models.common import created_at_field, json_field


class CoachingNote(SQLModel, table=True):
    __tablename__ = "coachingnote"
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)  # "roleplay" | "flow"
    source_id: str = Field(max_length=80)  # scenario id or flow id
    title: str = Field(max_length=200)
    score: int | None = None
    data: dict[str, Any] = json_field()
    created_at: datetime = created_at_field()


class CoachingNotePublic(SQLModel):
    id: int
    owner_id: int
    kind: str
    source_id: str
    title: str
    score: int | None
    data: dict[str, Any]
    created_at: datetime
