"""Role-play scenarios: built-in and team scenarios (list, read, author, version, publish, archive, clone,
import, export)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Query, Response, status
from pydantic import BaseModel, Field

from app.deps import CurrentUser, SessionDep, not_found
from app.i18n import Lang
from app.models import Role, ScenarioStatus
from app.scenarios import library, views

router = APIRouter(prefix="/scenarios", tags=["scenarios"])

ScenarioId = Annotated[str, Path(max_length=80)]
LangQuery = Annotated[Lang, Query(description="language of the plain text keys; `_en` keys are always there")]
ScenarioBody = Annotated[
    dict[str, Any],
    Body(description="the fields of a scenario YAML file, plus `team` (a team you manage; default: your own)"),
]


class TeamIn(BaseModel):
    team: str | None = Field(default=None, max_length=80)


class ImportIn(TeamIn):
    yaml: str = Field(min_length=1, max_length=library.MAX_YAML_CHARS)


def _team_name(body: dict[str, Any]) -> str | None:
    team = body.pop("team", None)
    if team is not None and (not isinstance(team, str) or len(team) > 80):
        raise HTTPException(
            422, detail=[{"loc": ["body", "team"], "msg": "a team name (at most 80 characters)", "type": "value_error"}]
        )
    return team


@router.get("")
def list_scenarios(session: SessionDep, user: CurrentUser, lang: LangQuery = "zh") -> list[dict[str, Any]]:
    """Built-in scenarios and the team scenarios you may see, as a rep sees them before the call (`kind`)."""
    return views.list_entries(session, user, lang=lang)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_scenario(body: ScenarioBody, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """A new team scenario (draft, version 1) from the YAML fields; managers and admins."""
    row = library.create(session, user, body, team_name=_team_name(body))
    return views.saved(session, row)


@router.post("/import", status_code=status.HTTP_201_CREATED)
def import_scenario(body: ImportIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """A new draft team scenario from scenario YAML (an export, or a file like playbooks/scenarios/*.yaml)."""
    row = library.import_yaml(session, user, body.yaml, body.team)
    return views.saved(session, row)


@router.get("/{scenario_id}")
def read_scenario(
    scenario_id: ScenarioId,
    session: SessionDep,
    user: CurrentUser,
    full: Annotated[bool, Query(description="hidden facts too (managers and admins)")] = False,
    lang: LangQuery = "zh",
) -> dict[str, Any]:
    """One scenario; `full=true` adds the hidden facts, objections, success criteria and the checklist.

    The full view is the scenario as validated: every text with its `_en` sibling (facts: `text`, `text_en`).
    """
    if not full:
        view = views.public_view(session, user, scenario_id, lang)
        if view is None:
            raise not_found("scenario")
        return view
    if views.public_view(session, user, scenario_id) is None:
        raise not_found("scenario")
    if user.role not in (Role.manager, Role.admin):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="the full scenario is for managers and admins")
    view = views.full_view(session, user, scenario_id)
    if view is None:
        raise not_found("scenario")
    return view


@router.patch("/{scenario_id}")
def update_scenario(
    scenario_id: ScenarioId, body: ScenarioBody, session: SessionDep, user: CurrentUser
) -> dict[str, Any]:
    """Change fields of a team scenario; a published or played version is kept and a new version made."""
    row = library.update(session, user, scenario_id, body)
    return views.saved(session, row)


def _set_status(session: SessionDep, user: CurrentUser, scenario_id: str, new: ScenarioStatus) -> dict[str, Any]:
    return views.saved(session, library.set_status(session, user, scenario_id, new))


@router.post("/{scenario_id}/publish")
def publish_scenario(scenario_id: ScenarioId, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Make a draft visible to the team's reps."""
    return _set_status(session, user, scenario_id, ScenarioStatus.published)


@router.post("/{scenario_id}/archive")
def archive_scenario(scenario_id: ScenarioId, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """No new sessions or drills on it; attempts already played keep their version."""
    return _set_status(session, user, scenario_id, ScenarioStatus.archived)


@router.post("/{scenario_id}/clone", status_code=status.HTTP_201_CREATED)
def clone_scenario(
    scenario_id: ScenarioId, session: SessionDep, user: CurrentUser, body: TeamIn | None = None
) -> dict[str, Any]:
    """A draft copy of a built-in or of a team scenario you may see, in one of your teams."""
    if user.role not in (Role.manager, Role.admin):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="cloning scenarios is for managers and admins")
    row = library.clone(session, user, scenario_id, body.team if body else None)
    return views.saved(session, row)


@router.get("/{scenario_id}/export", response_class=Response, responses={200: {"content": {"application/yaml": {}}}})
def export_scenario(scenario_id: ScenarioId, session: SessionDep, user: CurrentUser) -> Response:
    """The scenario as YAML in the playbook file format (managers and admins)."""
    text = library.export_yaml(session, user, scenario_id)
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{scenario_id}.yaml"'},
    )
