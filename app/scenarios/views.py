"""What the API and pages show of library scenarios: list entries with kind/status/version, and the full view."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.models import TeamScenario, User
from app.models.common import require_id
from app.roleplay.scenarios import Scenario
from app.scenarios import repository
from app.scenarios.checklist import check


def public_entry(scenario: Scenario, row: TeamScenario | None = None, lang: str = "zh") -> dict[str, Any]:
    """The rep's pre-call view plus where it comes from; a team scenario answers under its base id."""
    view = scenario.public_view(lang)
    if row is None:
        return {
            **view,
            "kind": "builtin",
            "version": None,
            "status": "published",
            "team_id": None,
            "private": False,
            "opportunity_id": None,
        }
    return {
        **view,
        "id": repository.base_id(require_id(row)),
        "kind": "team",
        "version": row.version,
        "status": row.status,
        "team_id": row.team_id,
        "private": row.owner_id is not None,
        "opportunity_id": row.opportunity_id,
    }


def list_entries(
    session: Session, user: User, *, include_private: bool = False, lang: str = "zh"
) -> list[dict[str, Any]]:
    """Built-ins first (file order), then the team scenarios the user may see, newest first."""
    entries = [public_entry(scenario, lang=lang) for scenario in repository.builtin_scenarios().values()]
    for row in repository.visible_rows(session, user, include_private=include_private):
        scenario = repository.get_scenario(session, repository.versioned_id(require_id(row), row.version))
        if scenario is not None:
            entries.append(public_entry(scenario, row, lang))
    return entries


def full_view(session: Session, user: User, scenario_id: str) -> dict[str, Any] | None:
    """Everything, hidden parts included, with the checklist; None when the user may not see it (404)."""
    builtin = repository.builtin_scenarios().get(scenario_id)
    if builtin is not None:
        return {
            **builtin.model_dump(mode="json"),
            "kind": "builtin",
            "version": None,
            "warnings": [w.model_dump() for w in check(builtin)],
        }
    row = repository.visible_row(session, user, scenario_id)
    if row is None:
        return None
    scenario = repository.get_scenario(session, scenario_id)
    if scenario is None:
        return None
    return {**scenario.model_dump(mode="json"), **_meta(row), "warnings": [w.model_dump() for w in check(scenario)]}


def public_view(session: Session, user: User, scenario_id: str, lang: str = "zh") -> dict[str, Any] | None:
    builtin = repository.builtin_scenarios().get(scenario_id)
    if builtin is not None:
        return public_entry(builtin, lang=lang)
    row = repository.visible_row(session, user, scenario_id)
    scenario = repository.get_scenario(session, scenario_id) if row is not None else None
    return public_entry(scenario, row, lang) if scenario is not None else None


def _meta(row: TeamScenario) -> dict[str, Any]:
    return {
        "kind": "team",
        "library_id": repository.base_id(require_id(row)),
        "version": row.version,
        "status": row.status,
        "team_id": row.team_id,
        "private": row.owner_id is not None,
        "opportunity_id": row.opportunity_id,
    }


def saved(session: Session, row: TeamScenario) -> dict[str, Any]:
    """The answer to a write: the id to use, the version now current, its state and the checklist."""
    scenario = repository.get_scenario(session, repository.versioned_id(require_id(row), row.version))
    return {
        "id": repository.base_id(require_id(row)),
        "version": row.version,
        "status": row.status,
        "warnings": [w.model_dump() for w in check(scenario)] if scenario else [],
    }
