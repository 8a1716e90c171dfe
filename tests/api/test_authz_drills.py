"""Authorization table for drills, reviews and team analytics (see tests/utils/authz.py).

Objects belong to the owner rep of team A: a drill assigned to them, their drill attempt (made through the
role-play API), its coaching note, their own user id and team id. The other team's manager must not reach
any of them by id.
"""

import csv
import io

import pytest

from app.drills.export import SESSION_COLUMNS
from tests.utils.authz import DRILL_SCENARIO as SCENARIO
from tests.utils.authz import (
    case,
    check_case,
    everyone,
    managers_only,
    owner_attempt,
    owner_attempt_note,
    owner_drill,
    owner_id,
    owner_manager_admin,
    owner_team_id,
    whoami,
)


def owner_assignment(client, headers, session) -> str:
    """`<drill id>/assignees/<owner id>` of a drill assigned to the owner."""
    return f"{owner_drill(client, headers, session)}/assignees/{whoami(client, headers)['id']}"


TEAM_A_DRILL = {
    "scenario_id": SCENARIO,
    "team": "A组",
    "assignees": None,
    "pass_score": 60,
    "attempts": None,
    "due": "2099-12-31",
    "note": "",
}
REVIEW = {"comment": "提问顺序很好。"}

# Reps may never; managers only for their own teams (another team's manager: not found, or 422 for a name).
MANAGER_OF_TEAM_ONLY = {
    "anonymous": 401,
    "owner": 403,
    "other_rep": 403,
    "manager_of_team": 201,
    "manager_of_other_team": 404,
    "admin": 201,
}

CASES = [
    case("POST", "/api/drills", MANAGER_OF_TEAM_ONLY | {"manager_of_other_team": 422}, TEAM_A_DRILL),
    case("GET", "/api/drills", everyone(200)),
    case("GET", f"/api/drills/guidance?scenario_id={SCENARIO}", managers_only(200)),
    case("GET", "/api/drills/{obj}", owner_manager_admin(200), obj=owner_drill),
    case("GET", "/api/drills/{obj}/results", owner_manager_admin(200), obj=owner_drill),
    # Corrections: the team's manager and admins; reps never; another team's manager does not see the drill.
    case(
        "PATCH",
        "/api/drills/{obj}",
        MANAGER_OF_TEAM_ONLY | {"manager_of_team": 200, "admin": 200},
        {"pass_score": 55},
        obj=owner_drill,
    ),
    case(
        "PATCH",
        "/api/drills/{obj}",
        MANAGER_OF_TEAM_ONLY | {"manager_of_team": 200, "admin": 200},
        {"cancelled": True},
        obj=owner_drill,
    ),
    case(
        "PATCH",
        "/api/drills/{obj}",
        MANAGER_OF_TEAM_ONLY | {"manager_of_team": 200, "admin": 200},
        {"extra_attempts": 1, "due": "2099-01-01"},
        obj=owner_assignment,
    ),
    case("GET", "/api/roleplays/{obj}", owner_manager_admin(200), obj=owner_attempt),
    case("GET", "/api/notes/{obj}", owner_manager_admin(200), obj=owner_attempt_note),
    case("GET", "/api/team/attempts/{obj}/reviews", owner_manager_admin(200), obj=owner_attempt),
    case("POST", "/api/team/attempts/{obj}/reviews", MANAGER_OF_TEAM_ONLY, REVIEW, obj=owner_attempt),
    case(
        "POST",
        "/api/team/attempts/{obj}/reviews",
        MANAGER_OF_TEAM_ONLY,
        {"override_score": 80, "reason": "客户已同意试点"},
        obj=owner_attempt,
    ),
    case("GET", "/api/team/reps/{obj}/progress", owner_manager_admin(200), obj=owner_id),
    case("GET", "/api/team/dashboard", managers_only(200)),
    case(
        "GET",
        "/api/team/dashboard?team_id={obj}",
        MANAGER_OF_TEAM_ONLY | {"manager_of_team": 200, "admin": 200},
        obj=owner_team_id,
    ),
    case("GET", "/api/team/export.csv", managers_only(200)),
    case("GET", "/api/team/todo", managers_only(200)),
    case(
        "GET",
        "/api/team/todo?team_id={obj}",
        MANAGER_OF_TEAM_ONLY | {"manager_of_team": 200, "admin": 200},
        obj=owner_team_id,
    ),
    case(
        "GET",
        "/api/team/export.csv?team_id={obj}",
        MANAGER_OF_TEAM_ONLY | {"manager_of_team": 200, "admin": 200},
        obj=owner_team_id,
    ),
    case("GET", "/api/team/export/sessions.csv", managers_only(200)),
    case(
        "GET",
        "/api/team/export/sessions.csv?team_id={obj}",
        MANAGER_OF_TEAM_ONLY | {"manager_of_team": 200, "admin": 200},
        obj=owner_team_id,
    ),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)


def test_other_teams_manager_learns_nothing_from_the_dashboard(client, session, world, world_users):
    """Listing endpoints filter instead of refusing: the other manager's dashboard has none of team A."""
    owner_attempt(client, world["owner"], session)
    dashboard = client.get("/api/team/dashboard", headers=world["manager_of_other_team"]).json()
    assert [rep["user_id"] for rep in dashboard["reps"]] == [world_users["other_rep"].id]
    assert dashboard["attempts"] == 0 and dashboard["drills"] == []
    assert client.get("/api/drills", headers=world["manager_of_other_team"]).json() == []
    export = client.get("/api/team/export.csv", headers=world["manager_of_other_team"]).content.decode("utf-8-sig")
    assert world_users["owner"].username not in export
    sessions = client.get("/api/team/export/sessions.csv", headers=world["manager_of_other_team"])
    assert world_users["owner"].username not in sessions.content.decode("utf-8-sig")


def test_sessions_csv_api_lists_the_teams_practice_with_effective_scores(client, session, world, world_users):
    """The API export has the rows the page download has: the owner's attempt, coach and effective score, review."""
    roleplay_id = owner_attempt(client, world["owner"], session)
    review = {"override_score": 77, "reason": "客户已同意试点", "comment": "收尾清楚"}
    assert (
        client.post(
            f"/api/team/attempts/{roleplay_id}/reviews", json=review, headers=world["manager_of_team"]
        ).status_code
        == 201
    )
    response = client.get("/api/team/export/sessions.csv?lang=en", headers=world["manager_of_team"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="practice-sessions.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # One style for every header, the skill columns included: "Coach score", "Pitch timing", not "coach_score".
    assert all(cell[:1].isupper() and "_" not in cell for cell in rows[0]), rows[0]
    assert rows[0][:2] == ["Session ID", "Finished at (Beijing time)"]
    row = next(dict(zip(SESSION_COLUMNS, line, strict=False)) for line in rows[1:] if line[0] == str(roleplay_id))
    assert row["username"] == world_users["owner"].username
    assert row["effective_score"] == row["override_score"] == "77" and row["coach_score"] != "77"
    assert "收尾清楚" in row["reviews"]
    zh = client.get("/api/team/export/sessions.csv", headers=world["manager_of_team"]).content.decode("utf-8-sig")
    assert zh.splitlines()[0] != response.content.decode("utf-8-sig").splitlines()[0]


def test_managers_cannot_review_their_own_attempts(client, session, world, world_users):
    started = client.post("/api/roleplays", json={"scenario_id": SCENARIO}, headers=world["manager_of_team"])
    roleplay_id = started.json()["id"]
    client.post(f"/api/roleplays/{roleplay_id}/finish", headers=world["manager_of_team"])
    response = client.post(f"/api/team/attempts/{roleplay_id}/reviews", json=REVIEW, headers=world["manager_of_team"])
    assert response.status_code == 403
