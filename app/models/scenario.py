"""Team scenarios authored in the app: one row per scenario, one immutable row per version of its content."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import created_at_field, json_field, utcnow


class ScenarioStatus(StrEnum):
    draft = "draft"  # the team's managers (and admins) only: preview and test-play
    published = "published"  # the team's reps too
    archived = "archived"  # no new sessions or drills; played versions still resolve


class TeamScenario(SQLModel, table=True):
    """A scenario a team's manager authored (or a rep's private rehearsal of a real deal when owner_id is set)."""

    __tablename__ = "team_scenario"
    id: int | None = Field(default=None, primary_key=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True, ondelete="CASCADE")
    created_by: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    # A private scenario (rehearsal of one deal): its owner, their managers and admins only.
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", index=True, ondelete="SET NULL")
    stakeholder: str | None = Field(default=None, max_length=80)
    status: ScenarioStatus = Field(default=ScenarioStatus.draft, max_length=16)
    version: int = Field(default=1, ge=1)  # the latest version
    title_zh: str = Field(default="", max_length=200)  # of the latest version, for lists
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(default_factory=utcnow)


class TeamScenarioVersion(SQLModel, table=True):
    """The content of one version, validated through the same Scenario model as the YAML files; never edited
    once published or played."""

    __tablename__ = "team_scenario_version"
    __table_args__ = (UniqueConstraint("scenario_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="team_scenario.id", index=True, ondelete="CASCADE")
    version: int = Field(ge=1)
    data: dict[str, Any] = json_field()
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
