"""Authorization table for the scenario library (see tests/utils/authz.py).

The object is a published team scenario of the owner's team (A), authored by that team's manager: the
owner (a rep of A) may read and play it, not edit it; team B's rep and manager get 404, as for other objects.
"""

import pytest
import yaml

from tests.utils.authz import case, check_case, everyone, owner_manager_admin
from tests.utils.flows import STAKEHOLDER_SCRIPT, run_flow
from tests.utils.scenario_library import builtin_content, stored_scenario


@pytest.fixture
def settings(make_settings):
    """A stakeholder map per actor takes more answers a minute than the default limit; limits are tested elsewhere."""
    return make_settings(rate_limit_turns="600/minute")


def team_scenario(client, headers, session) -> str:
    team_id = client.get("/api/me", headers=headers).json()["team_id"]
    return stored_scenario(session, team_id)


NEW = builtin_content() | {"team": "A组", "title_zh": "新授权测试场景"}
IMPORT = {"team": "A组", "yaml": yaml.safe_dump(builtin_content(), allow_unicode=True)}

# Authoring: never reps (403); managers of team A and admins; team B's manager cannot name team A (422).
AUTHOR_IN_TEAM_A = {
    "anonymous": 401,
    "owner": 403,
    "other_rep": 403,
    "manager_of_team": 201,
    "manager_of_other_team": 422,
    "admin": 201,
}
# Reading: team A's people and admins; team B sees nothing.
READ = {
    "anonymous": 401,
    "owner": 200,
    "other_rep": 404,
    "manager_of_team": 200,
    "manager_of_other_team": 404,
    "admin": 200,
}
# Managing an existing one: the owner may see it but not change it (403); team B: 404.
MANAGE = READ | {"owner": 403}


def mapped_deal(client, headers, _session) -> int:
    """The owner's deal with a finished stakeholder map (the source of a rehearsal)."""
    deal = client.post("/api/opportunities", json={"account": "授权测试客户"}, headers=headers).json()
    run_flow(client, headers, "stakeholder_map", STAKEHOLDER_SCRIPT, opportunity_id=deal["id"])
    return deal["id"]


CASES = [
    case("GET", "/api/scenarios", everyone(200)),
    case("POST", "/api/scenarios", AUTHOR_IN_TEAM_A, NEW),
    case("POST", "/api/scenarios/import", AUTHOR_IN_TEAM_A, IMPORT),
    case("GET", "/api/scenarios/{obj}", READ, obj=team_scenario),
    case("GET", "/api/scenarios/{obj}?full=true", MANAGE, obj=team_scenario),
    case("PATCH", "/api/scenarios/{obj}", MANAGE, {"title_en": "Renamed for the table"}, obj=team_scenario),
    case("POST", "/api/scenarios/{obj}/publish", MANAGE, obj=team_scenario),
    case("POST", "/api/scenarios/{obj}/archive", MANAGE, obj=team_scenario),
    case(
        "POST",
        "/api/scenarios/{obj}/clone",
        MANAGE | {"other_rep": 403, "manager_of_team": 201, "admin": 201},
        {"team": "A组"},
        obj=team_scenario,
    ),
    case("GET", "/api/scenarios/{obj}/export", MANAGE | {"other_rep": 403}, obj=team_scenario),
    # A rehearsal is the deal owner's: those who may see the deal but do not own it are refused (403).
    case(
        "POST",
        "/api/opportunities/{obj}/rehearsals",
        owner_manager_admin(201) | {"manager_of_team": 403, "admin": 403},
        {"stakeholder": "李建国"},
        obj=mapped_deal,
    ),
    case("GET", "/api/opportunities/{obj}/rehearsals", owner_manager_admin(200), obj=mapped_deal),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)


def test_playing_a_team_scenario_follows_visibility(client, session, world):
    """POST /api/roleplays with a team scenario id: team A plays it; team B is told it does not exist."""
    codes = {"owner": 201, "other_rep": 422, "manager_of_team": 201, "manager_of_other_team": 422, "admin": 201}
    for actor, code in codes.items():
        scenario_id = team_scenario(client, world["owner"], session)
        response = client.post("/api/roleplays", json={"scenario_id": scenario_id}, headers=world[actor])
        assert response.status_code == code, (actor, response.text[:200])
        if code == 201:
            assert response.json()["scenario_id"] == f"{scenario_id}_v1"  # pinned to the version played
