"""Team scenario use cases: create, edit (new version once published or played), publish, archive, clone,
import and export; every write validated through the same Scenario model as the YAML files."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, select

from app.auth.policy import can_manage_team
from app.errors import AppError
from app.models import Drill, Role, RolePlay, ScenarioStatus, Team, TeamScenario, TeamScenarioVersion, User
from app.models.common import require_id, utcnow
from app.roleplay.scenarios import Scenario
from app.scenarios import repository
from app.scenarios.limits import size_errors

PLACEHOLDER_ID = "authored"  # the Scenario model wants an id; the library assigns the real one
MAX_YAML_CHARS = 100_000


_CODES = {403: "forbidden", 404: "not_found", 409: "conflict"}


class LibraryError(AppError):
    """A request the library refuses: `status` (404 unknown or not visible, 403 role, 409 state, 422 invalid) and
    detail (a sentence, or FastAPI-style items naming each field)."""

    def __init__(self, status: int, detail: str | list[Any]) -> None:
        super().__init__(status, _CODES.get(status, "invalid"), detail)


def not_found() -> LibraryError:
    return LibraryError(404, "scenario not found")


def validate_content(data: Any) -> Scenario:
    """The authored fields as a Scenario (size limits first); 422 with FastAPI-style items naming each field."""
    if not isinstance(data, dict):
        raise LibraryError(422, [{"loc": ["body"], "msg": "a scenario is a mapping of fields", "type": "type"}])
    errors = size_errors(data)
    if errors:
        raise LibraryError(422, errors)
    try:
        return Scenario.model_validate({**data, "id": PLACEHOLDER_ID})
    except ValidationError as error:
        raise LibraryError(
            422,
            [
                {"loc": ["body", *item["loc"]], "msg": item["msg"], "type": item["type"]}
                for item in error.errors(include_url=False, include_input=False)
            ],
        ) from None


def stored_data(scenario: Scenario) -> dict[str, Any]:
    data = scenario.model_dump(mode="json")
    data.pop("id", None)
    return data


def authored_fields(scenario: Scenario) -> dict[str, Any]:
    """The fields an author edits (everything but the id), as plain JSON."""
    return stored_data(scenario)


def team_for(session: Session, author: User, team_name: str | None) -> Team:
    """The team a new scenario belongs to: one the author manages (admins: any); the author's own if not named."""
    if author.role not in (Role.manager, Role.admin):
        raise LibraryError(403, "authoring team scenarios is for managers and admins")
    team = None
    if team_name:
        team = session.exec(select(Team).where(Team.name == team_name.strip())).first()
    elif author.team_id is not None:
        team = session.get(Team, author.team_id)
    if team is None or not can_manage_team(session, author, require_id(team)):
        # Unknown and not-yours answer alike, so team names cannot be probed.
        raise LibraryError(
            422,
            [{"loc": ["body", "team"], "msg": f"team {team_name!r} is not one of your teams", "type": "value_error"}],
        )
    return team


def create(
    session: Session,
    author: User,
    data: dict[str, Any],
    *,
    team_name: str | None = None,
    owner_id: int | None = None,
    opportunity_id: int | None = None,
    stakeholder: str | None = None,
    team: Team | None = None,
    status: ScenarioStatus = ScenarioStatus.draft,
) -> TeamScenario:
    """A new team scenario (version 1) from authored fields."""
    scenario = validate_content(data)
    if owner_id is not None:  # a private rehearsal: its owner's, whatever their team
        team_id = author.team_id
    else:
        team_id = (team or team_for(session, author, team_name)).id
    row = TeamScenario(
        team_id=team_id,
        created_by=author.id,
        owner_id=owner_id,
        opportunity_id=opportunity_id,
        stakeholder=stakeholder,
        status=status,
        version=1,
        title_zh=scenario.title_zh,
    )
    session.add(row)
    session.flush()
    session.add(
        TeamScenarioVersion(scenario_id=require_id(row), version=1, data=stored_data(scenario), created_by=author.id)
    )
    session.commit()
    session.refresh(row)
    return row


def editable_row(session: Session, user: User, scenario_id: str | int) -> TeamScenario:
    """A team scenario the user may edit; built-ins are read-only (403), invisible ones 404."""
    if isinstance(scenario_id, str) and scenario_id in repository.builtin_scenarios():
        raise LibraryError(403, "built-in scenarios are read-only: clone one to change it")
    row = repository.visible_row(session, user, scenario_id)
    if row is None:
        raise not_found()
    if not repository.can_edit(session, user, row):
        raise LibraryError(403, "editing scenarios is for the team's managers and admins")
    return row


def latest_content(session: Session, row: TeamScenario) -> dict[str, Any]:
    stored = repository.version_row(session, require_id(row), row.version)
    return dict(stored.data) if stored is not None else {}


def version_in_use(session: Session, row: TeamScenario) -> bool:
    ref = repository.versioned_id(require_id(row), row.version)
    played = session.exec(select(RolePlay.id).where(RolePlay.scenario_id == ref).limit(1)).first()
    drilled = session.exec(select(Drill.id).where(Drill.scenario_id == ref).limit(1)).first()
    return played is not None or drilled is not None


def update(session: Session, user: User, scenario_id: str | int, changes: dict[str, Any]) -> TeamScenario:
    """Replace the given top-level fields; a published or already played version is kept and a new one made."""
    row = editable_row(session, user, scenario_id)
    if row.status == ScenarioStatus.archived:
        raise LibraryError(409, "this scenario is archived; clone it to work on it again")
    changes = {key: value for key, value in changes.items() if key not in ("id", "team")}
    scenario = validate_content({**latest_content(session, row), **changes})
    if row.status == ScenarioStatus.published or version_in_use(session, row):
        row.version += 1
        session.add(
            TeamScenarioVersion(
                scenario_id=require_id(row), version=row.version, data=stored_data(scenario), created_by=user.id
            )
        )
    else:
        stored = repository.version_row(session, require_id(row), row.version)
        if stored is None:  # the current version's row is missing (latest_content read it as empty): write it anew
            stored = TeamScenarioVersion(scenario_id=require_id(row), version=row.version, created_by=user.id)
        stored.data = stored_data(scenario)
        session.add(stored)
    row.title_zh = scenario.title_zh
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def set_status(session: Session, user: User, scenario_id: str | int, status: ScenarioStatus) -> TeamScenario:
    row = editable_row(session, user, scenario_id)
    if row.status == ScenarioStatus.archived and status == ScenarioStatus.published:
        raise LibraryError(409, "an archived scenario stays archived; clone it to publish it again")
    row.status = status
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def readable(session: Session, user: User, scenario_id: str) -> Scenario:
    """A built-in, or a team scenario the user may see (the version named, else the latest); 404 otherwise."""
    scenario = repository.builtin_scenarios().get(scenario_id)
    if scenario is not None:
        return scenario
    row = repository.visible_row(session, user, scenario_id)
    scenario = repository.get_scenario(session, scenario_id) if row is not None else None
    if scenario is None:
        raise not_found()
    return scenario


def clone(session: Session, user: User, source_id: str, team_name: str | None) -> TeamScenario:
    """A draft copy of a built-in or of a team scenario the user may see, in one of the user's teams."""
    source = readable(session, user, source_id)
    data = authored_fields(source)
    data["title_zh"] = f"{source.title_zh}（副本）"[:120]
    data["title_en"] = f"{source.title_en} (copy)"[:120]
    return create(session, user, data, team_name=team_name)


def export_yaml(session: Session, user: User, scenario_id: str) -> str:
    """The scenario as YAML in the format of playbooks/scenarios (managers and admins: it holds the hidden facts)."""
    if user.role not in (Role.manager, Role.admin):
        raise LibraryError(403, "exporting a scenario with its hidden facts is for managers and admins")
    scenario = readable(session, user, scenario_id)
    return yaml.safe_dump(scenario.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=120)


def import_yaml(session: Session, user: User, text: str, team_name: str | None) -> TeamScenario:
    """A new draft from exported (or hand-written) scenario YAML; its id is replaced by the library's."""
    if len(text) > MAX_YAML_CHARS:
        raise LibraryError(
            422, [{"loc": ["body", "yaml"], "msg": f"at most {MAX_YAML_CHARS} characters", "type": "too_long"}]
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LibraryError(
            422, [{"loc": ["body", "yaml"], "msg": f"cannot read YAML: {error}"[:300], "type": "value_error"}]
        ) from None
    if isinstance(data, dict):
        data.pop("id", None)
    return create(session, user, data, team_name=team_name)
