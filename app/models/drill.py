"""Drills managers assign, who they are assigned to, and managers' reviews of attempts."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint, true
from sqlmodel import Field, SQLModel

from app.models.common import created_at_field, json_field


class Drill(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_by: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True, ondelete="SET NULL")
    scenario_id: str = Field(max_length=80)
    due: date
    pass_score: int = Field(ge=0, le=100)
    attempts_allowed: int | None = Field(default=None, ge=1)
    note: str = Field(default="", max_length=2000)
    # A team drill also reaches reps who join the team while it is open (the default), or only those there at the start.
    include_newcomers: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    cancelled_at: datetime | None = None
    created_at: datetime = created_at_field()


class DrillAssignment(SQLModel, table=True):
    __tablename__ = "drill_assignment"
    __table_args__ = (UniqueConstraint("drill_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    due: date | None = None  # this rep's extended due date, when the manager gave one
    extra_attempts: int = Field(default=0, ge=0, sa_column_kwargs={"server_default": "0"})


class DrillChange(SQLModel, table=True):
    """One correction of a drill (or of one rep's assignment), with the values before and after; never edited."""

    __tablename__ = "drill_change"
    id: int | None = Field(default=None, primary_key=True)
    drill_id: int = Field(foreign_key="drill.id", index=True, ondelete="CASCADE")
    changed_by: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    assignee_id: int | None = Field(default=None, foreign_key="user.id", ondelete="CASCADE")
    changes: dict = json_field()  # field -> [before, after], as text
    created_at: datetime = created_at_field()


class Review(SQLModel, table=True):
    """A manager's comment and optional score override on an attempt; rows are never edited (audit trail)."""

    id: int | None = Field(default=None, primary_key=True)
    roleplay_id: int = Field(foreign_key="roleplay.id", index=True, ondelete="CASCADE")
    reviewer_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    turn_id: int | None = Field(default=None, foreign_key="turn.id", ondelete="CASCADE")  # a comment on one line
    comment: str = Field(default="", max_length=4000)
    override_score: int | None = Field(default=None, ge=0, le=100)
    reason: str = Field(default="", max_length=1000)
    created_at: datetime = created_at_field()


class LlmUsage(SQLModel, table=True):
    """Tokens a user spent on the model per day, for the daily budget."""

    __tablename__ = "llm_usage"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)
    tokens: int = 0
