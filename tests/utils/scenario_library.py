"""Test helpers for the scenario library: authored content, and team scenarios stored through the service."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.models import Role, ScenarioStatus, Team, TeamManager, User
from app.roleplay.scenarios import load_scenarios
from app.scenarios import library, repository


def builtin_content(scenario_id: str = "edu_smart_academic", **changes: Any) -> dict[str, Any]:
    """A built-in scenario's fields as an author would send them (no id), with some fields replaced."""
    data = load_scenarios()[scenario_id].model_dump(mode="json")
    data.pop("id")
    data.update(changes)
    return data


def team_manager(session: Session, team_id: int) -> User:
    manager_id = session.exec(select(TeamManager.user_id).where(TeamManager.team_id == team_id)).first()
    return session.get(User, manager_id)


def stored_scenario(session: Session, team_id: int, status: ScenarioStatus = ScenarioStatus.published,
                    **changes: Any) -> str:
    """A team scenario authored by the team's manager; returns its base id (team_<n>)."""
    author = team_manager(session, team_id)
    assert author is not None and author.role == Role.manager
    team = session.get(Team, team_id)
    row = library.create(session, author, builtin_content(**changes), team=team, status=status)
    return repository.base_id(row.id)
