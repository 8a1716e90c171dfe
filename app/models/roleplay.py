"""Role-play sessions and their turns: the transcript and the deterministic state."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import created_at_field, json_field


class RolePlayStatus(StrEnum):
    active = "active"
    finished = "finished"


class TurnStatus(StrEnum):
    complete = "complete"
    partial = "partial"  # the stream broke after some text arrived
    failed = "failed"  # nothing usable came back
    pending = "pending"  # stored, reply not yet produced


class RolePlay(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    scenario_id: str = Field(max_length=80, index=True)
    drill_id: int | None = Field(default=None, foreign_key="drill.id", index=True, ondelete="SET NULL")
    status: RolePlayStatus = Field(default=RolePlayStatus.active, max_length=16)
    engine: str = Field(default="offline", max_length=16)
    state: dict[str, Any] = json_field()
    score: int | None = None  # the coach's total out of 100, set at finish
    note_id: int | None = Field(default=None, foreign_key="coachingnote.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    finished_at: datetime | None = None


class Turn(SQLModel, table=True):
    """One message. Rep turns are stored before the buyer is asked, so none is ever lost."""

    __table_args__ = (
        UniqueConstraint("roleplay_id", "seq"),
        UniqueConstraint("roleplay_id", "client_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    roleplay_id: int = Field(foreign_key="roleplay.id", index=True, ondelete="CASCADE")
    seq: int
    speaker: str = Field(max_length=8)  # "rep" | "buyer"
    text: str
    status: TurnStatus = Field(default=TurnStatus.complete, max_length=16)
    client_id: str | None = Field(default=None, max_length=64)  # idempotency key from the client
    spin: str | None = Field(default=None, max_length=8)
    feedback: dict[str, Any] = json_field()
    created_at: datetime = created_at_field()
