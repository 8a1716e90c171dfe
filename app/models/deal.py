"""Real opportunities and the question-flow runs that prepare or review them."""

from datetime import date, datetime
from typing import Any

from sqlmodel import Field, SQLModel

from app.models.common import created_at_field, json_field, utcnow


class OpportunityBase(SQLModel):
    account: str = Field(min_length=1, max_length=120)
    name: str = Field(default="", max_length=200)
    amount: float = Field(default=0, ge=0, le=1e12)
    expected_close: date | None = None


class Opportunity(OpportunityBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    milestone_id: str | None = Field(default=None, max_length=40)  # the latest 5K run's, or m100 once won
    probability: int | None = None
    # "open" | "won" | "lost": a recorded fact, not a score; only the rep sets it and a 5K run leaves it alone.
    outcome: str = Field(default="open", max_length=8, sa_column_kwargs={"server_default": "open"})
    closed_at: datetime | None = None
    lost_reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)


class FlowRun(SQLModel, table=True):
    __tablename__ = "flowrun"
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    flow_id: str = Field(max_length=60)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", index=True, ondelete="SET NULL")
    status: str = Field(default="active", max_length=16)  # "active" | "paused" | "done"
    lang: str = Field(default="zh", max_length=4)
    state: dict[str, Any] = json_field()
    note_id: int | None = Field(default=None, foreign_key="coachingnote.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)
