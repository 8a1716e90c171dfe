"""The one scenario lookup: built-in YAML scenarios (read-only) and team scenarios from the database, by id.

Ids: a built-in keeps its file name (`mfg_vitamin_erp`); a team scenario is `team_<n>` (its latest version)
or `team_<n>_v<k>` (one version). Sessions and drills store the versioned id, so an attempt keeps the
version it was played on. `get_scenario` does not check who asks (the caller has already authorized the
session or drill that names the id); `playable` and `visible_row` do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from app.auth.policy import can_view_user, managed_team_ids
from app.models import Role, ScenarioStatus, TeamScenario, TeamScenarioVersion, User
from app.models.common import require_id
from app.roleplay.scenarios import Scenario, load_scenarios

TEAM_PREFIX = "team_"
_TEAM_REF = re.compile(r"^team_([1-9][0-9]{0,9})(?:_v([1-9][0-9]{0,5}))?$")


@dataclass(frozen=True)
class TeamRef:
    row_id: int
    version: int | None  # None: the latest


def parse_team_ref(scenario_id: str) -> TeamRef | None:
    match = _TEAM_REF.match(scenario_id or "")
    if match is None:
        return None
    return TeamRef(int(match.group(1)), int(match.group(2)) if match.group(2) else None)


def base_id(row_id: int) -> str:
    return f"{TEAM_PREFIX}{row_id}"


def versioned_id(row_id: int, version: int) -> str:
    return f"{TEAM_PREFIX}{row_id}_v{version}"


def same_scenario(first: str, second: str) -> bool:
    """Two ids name the same scenario (a team scenario's versions count as one)."""
    a, b = parse_team_ref(first), parse_team_ref(second)
    if a is None or b is None:
        return first == second
    return a.row_id == b.row_id


def builtin_scenarios() -> dict[str, Scenario]:
    return load_scenarios()


def materialize(row_id: int, version: int, data: dict) -> Scenario:
    """A stored version as a Scenario (validated again: the stored JSON passed the same model when written)."""
    return Scenario.model_validate({**data, "id": versioned_id(row_id, version)})


def version_row(session: Session, row_id: int, version: int) -> TeamScenarioVersion | None:
    return session.exec(
        select(TeamScenarioVersion).where(
            TeamScenarioVersion.scenario_id == row_id, TeamScenarioVersion.version == version
        )
    ).first()


def get_scenario(session: Session | None, scenario_id: str) -> Scenario | None:
    """A built-in or a team scenario (the given version, else the latest), without an access check; None if unknown."""
    builtin = load_scenarios().get(scenario_id)
    if builtin is not None or session is None:
        return builtin
    ref = parse_team_ref(scenario_id)
    if ref is None:
        return None
    version = ref.version
    if version is None:
        row = session.get(TeamScenario, ref.row_id)
        if row is None:
            return None
        version = row.version
    stored = version_row(session, ref.row_id, version)
    return materialize(ref.row_id, version, stored.data) if stored is not None else None


def scenario_titles(session: Session | None, scenario_id: str) -> tuple[str, str]:
    """Chinese and English titles; the bare id when the scenario is gone."""
    scenario = get_scenario(session, scenario_id)
    return (scenario.title_zh, scenario.title_en) if scenario else (scenario_id, scenario_id)


# --- who sees which team scenario ----------------------------------------------------------------------------


def can_see(session: Session, viewer: User, row: TeamScenario) -> bool:
    """Admins all; a private rehearsal its owner and their managers; the team's managers every state; the
    team's reps published ones."""
    if viewer.role == Role.admin:
        return True
    if row.owner_id is not None:
        return can_view_user(session, viewer, row.owner_id)
    if viewer.role == Role.manager:
        return row.team_id in managed_team_ids(session, viewer) or row.created_by == viewer.id
    return viewer.team_id == row.team_id and row.status == ScenarioStatus.published


def can_edit(session: Session, viewer: User, row: TeamScenario) -> bool:
    """Managers of the team (and admins) edit team scenarios; a private rehearsal also its owner."""
    if not can_see(session, viewer, row):
        return False
    if row.owner_id is not None and row.owner_id == viewer.id:
        return True
    return viewer.role in (Role.manager, Role.admin)


def visible_row(session: Session, viewer: User, scenario_id: str | int) -> TeamScenario | None:
    """The team scenario row behind an id the viewer may see, else None (the caller answers 404)."""
    if isinstance(scenario_id, int):
        ref: TeamRef | None = TeamRef(scenario_id, None)
    else:
        ref = parse_team_ref(scenario_id)
    if ref is None:
        return None
    row = session.get(TeamScenario, ref.row_id)
    if row is None or not can_see(session, viewer, row):
        return None
    if ref.version is not None and not (1 <= ref.version <= row.version):
        return None
    return row


def visible_rows(session: Session, viewer: User, *, include_private: bool = False) -> list[TeamScenario]:
    """Team scenarios the viewer may see, newest first; private rehearsals only when asked (they are the owner's)."""
    query = select(TeamScenario).order_by(col(TeamScenario.updated_at).desc(), col(TeamScenario.id).desc())
    if not include_private:
        query = query.where(col(TeamScenario.owner_id).is_(None))
    if viewer.role == Role.manager:
        teams = managed_team_ids(session, viewer)
        query = query.where(or_(col(TeamScenario.team_id).in_(teams), TeamScenario.created_by == viewer.id))
    elif viewer.role == Role.rep:
        query = query.where(
            or_(
                (col(TeamScenario.team_id) == viewer.team_id)
                & (TeamScenario.status == ScenarioStatus.published)
                & col(TeamScenario.owner_id).is_(None),
                TeamScenario.owner_id == viewer.id,
            )
        )
    return [row for row in session.exec(query) if can_see(session, viewer, row)]


def playable(session: Session, viewer: User, scenario_id: str) -> Scenario | None:
    """The scenario a new session or drill runs on, pinned to a version; None when unknown, not visible or archived."""
    builtin = load_scenarios().get(scenario_id)
    if builtin is not None:
        return builtin
    row = visible_row(session, viewer, scenario_id)
    if row is None or row.status == ScenarioStatus.archived:
        return None
    ref = parse_team_ref(scenario_id)
    version = ref.version if ref is not None and ref.version is not None else row.version
    row_id = require_id(row)
    stored = version_row(session, row_id, version)
    return materialize(row_id, version, stored.data) if stored is not None else None


def scenarios_for_teams(session: Session, team_ids: set[int] | None) -> dict[str, Scenario]:
    """Built-ins plus the published team scenarios of these teams (None: every team), latest versions, by base id.

    For suggestions such as "weakest skill → scenario": a suggestion names the scenario, not a version."""
    result: dict[str, Scenario] = dict(load_scenarios())
    query = (
        select(TeamScenario, TeamScenarioVersion)
        .join(
            TeamScenarioVersion,
            (col(TeamScenarioVersion.scenario_id) == TeamScenario.id)
            & (TeamScenarioVersion.version == TeamScenario.version),
        )
        .where(TeamScenario.status == ScenarioStatus.published, col(TeamScenario.owner_id).is_(None))
    )
    if team_ids is not None:
        if not team_ids:
            return result
        query = query.where(col(TeamScenario.team_id).in_(team_ids))
    for row, stored in session.exec(query.order_by(col(TeamScenario.id))):
        row_id = require_id(row)
        result[base_id(row_id)] = materialize(row_id, row.version, stored.data).model_copy(
            update={"id": base_id(row_id)}
        )
    return result


def playable_list(session: Session, viewer: User) -> list[Scenario]:
    """Scenarios the viewer may start a session on: built-ins, then visible team scenarios that are not archived
    (reps: published; managers: drafts too, to test-play them), each under its base id."""
    result = list(load_scenarios().values())
    for row in visible_rows(session, viewer, include_private=True):
        if row.status == ScenarioStatus.archived:
            continue
        row_id = require_id(row)
        stored = version_row(session, row_id, row.version)
        if stored is not None:
            result.append(materialize(row_id, row.version, stored.data).model_copy(update={"id": base_id(row_id)}))
    return result


def scenarios_by_id(session: Session, scenario_ids: set[str]) -> dict[str, Scenario]:
    """The scenarios these stored ids name (unknown ones left out), for lists of sessions and drills."""
    found = {scenario_id: get_scenario(session, scenario_id) for scenario_id in scenario_ids}
    return {scenario_id: scenario for scenario_id, scenario in found.items() if scenario is not None}


def titles_for(session: Session, viewer: User) -> dict[str, tuple[str, str]]:
    """(zh, en) titles of every scenario the viewer may see, under every id a session or drill may store."""
    titles = {scenario.id: (scenario.title_zh, scenario.title_en) for scenario in load_scenarios().values()}
    rows = {row.id: row for row in visible_rows(session, viewer, include_private=True)}
    if rows:
        versions = session.exec(select(TeamScenarioVersion).where(col(TeamScenarioVersion.scenario_id).in_(rows)))
        for stored in versions:
            pair = (str(stored.data.get("title_zh", "")), str(stored.data.get("title_en", "")))
            titles[versioned_id(stored.scenario_id, stored.version)] = pair
            if stored.version == rows[stored.scenario_id].version:
                titles[base_id(stored.scenario_id)] = pair
    return titles


def scenario_key(scenario_id: str) -> str:
    """The id that names a scenario across its versions (a team scenario's base id; a built-in's own)."""
    ref = parse_team_ref(scenario_id)
    return base_id(ref.row_id) if ref is not None else scenario_id


def is_draft(session: Session, scenario_id: str) -> bool:
    """A team scenario not yet published (built-ins never are): reps must not meet it through a drill."""
    ref = parse_team_ref(scenario_id)
    row = session.get(TeamScenario, ref.row_id) if ref is not None else None
    return row is not None and row.status == ScenarioStatus.draft
