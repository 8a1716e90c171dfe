"""Drills API: creating drills (who may assign what), listing per role, results and the status rules."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.models import Drill, DrillAssignment, Role, RolePlay, RolePlayStatus
from app.models.common import team_today
from tests.utils.factories import auth_headers, make_review, make_roleplay, make_user

SCENARIO = "mfg_vitamin_erp"


@pytest.fixture
def people(session):
    return {
        "manager": make_user(session, Role.manager, team="华东一组"),
        "rep_a": make_user(session, Role.rep, team="华东一组"),
        "rep_b": make_user(session, Role.rep, team="华东一组"),
        "other_manager": make_user(session, Role.manager, team="华南二组"),
        "other_rep": make_user(session, Role.rep, team="华南二组"),
        "admin": make_user(session, Role.admin),
    }


@pytest.fixture
def headers(client, people):
    return {name: auth_headers(client, user) for name, user in people.items()}


def drill_body(**overrides) -> dict:
    body = {
        "scenario_id": SCENARIO,
        "team": None,
        "assignees": None,
        "due": (team_today() + timedelta(days=7)).isoformat(),
        "pass_score": 60,
        "attempts": 2,
        "note": "先问清现状，再挖痛点。",
    }
    body.update(overrides)
    return body


def add_attempt(session, owner, drill_id: int, score: int | None, finished: bool = True) -> RolePlay:
    """An attempt row as the role-play service leaves it (the full loop through the API is in test_drills_loop)."""
    return make_roleplay(session, owner, drill=session.get(Drill, drill_id), finished=finished, score=score)


def test_manager_assigns_a_whole_team(client, session, people, headers):
    response = client.post("/api/drills", json=drill_body(team="华东一组"), headers=headers["manager"])
    assert response.status_code == 201, response.text
    drill_id = response.json()["id"]
    assigned = set(session.exec(select(DrillAssignment.user_id).where(DrillAssignment.drill_id == drill_id)))
    assert assigned == {people["rep_a"].id, people["rep_b"].id}  # reps only: not the manager
    drill = session.get(Drill, drill_id)
    assert (drill.created_by, drill.pass_score, drill.attempts_allowed) == (people["manager"].id, 60, 2)


def test_team_and_assignees_are_merged_without_duplicates(client, session, people, headers):
    body = drill_body(team="华东一组", assignees=[people["rep_a"].username, people["rep_a"].username])
    drill_id = client.post("/api/drills", json=body, headers=headers["manager"]).json()["id"]
    rows = session.exec(select(DrillAssignment).where(DrillAssignment.drill_id == drill_id)).all()
    assert len(rows) == 2


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"scenario_id": "no_such_scenario"}, "unknown scenario"),
        ({"team": None, "assignees": None}, "team, assignees"),
        ({"team": None, "assignees": []}, "team, assignees"),
        ({"team": "华南二组"}, "not one of your teams"),
        ({"team": "没有这个组"}, "not one of your teams"),
        ({"assignees": ["nobody_here"]}, "not reps on your teams: nobody_here"),
        ({"pass_score": 101}, "less than or equal to 100"),
        ({"attempts": 0}, "greater than or equal to 1"),
        ({"due": "2020-01-01"}, "in the past"),
        ({"due": "next friday"}, "date"),
        ({"owner_id": 1}, "Extra inputs"),
    ],
)
def test_bad_drills_get_a_clear_422(client, people, headers, overrides, fragment):
    body = drill_body(assignees=[people["rep_a"].username]) | overrides
    response = client.post("/api/drills", json=body, headers=headers["manager"])
    assert response.status_code == 422, response.text
    assert fragment in response.text


def test_managers_cannot_assign_other_teams_reps_but_admins_can(client, people, headers):
    body = drill_body(assignees=[people["rep_a"].username, people["other_rep"].username])
    refused = client.post("/api/drills", json=body, headers=headers["manager"])
    assert refused.status_code == 422
    assert people["other_rep"].username in refused.json()["detail"]
    assert people["rep_a"].username not in refused.json()["detail"]
    assert client.post("/api/drills", json=body, headers=headers["admin"]).status_code == 201


def test_managers_and_admins_cannot_be_assignees(client, people, headers):
    body = drill_body(assignees=[people["manager"].username])
    assert client.post("/api/drills", json=body, headers=headers["admin"]).status_code == 422


def test_reps_may_not_create_drills(client, people, headers):
    body = drill_body(assignees=[people["rep_a"].username])
    assert client.post("/api/drills", json=body, headers=headers["rep_a"]).status_code == 403


def test_each_role_lists_what_it_may_see(client, people, headers):
    east = client.post("/api/drills", json=drill_body(team="华东一组"), headers=headers["manager"]).json()["id"]
    only_b = client.post(
        "/api/drills", json=drill_body(assignees=[people["rep_b"].username]), headers=headers["manager"]
    ).json()["id"]
    south = client.post("/api/drills", json=drill_body(team="华南二组"), headers=headers["other_manager"]).json()["id"]

    def ids(who: str) -> set[int]:
        response = client.get("/api/drills", headers=headers[who])
        assert response.status_code == 200
        return {drill["id"] for drill in response.json()}

    assert ids("rep_a") == {east}
    assert ids("rep_b") == {east, only_b}
    assert ids("manager") == {east, only_b}
    assert ids("other_manager") == {south}
    assert ids("admin") == {east, only_b, south}

    mine = client.get("/api/drills", headers=headers["rep_a"]).json()[0]
    assert mine["mine"]["status"] == "assigned"
    assert mine["assignees"] == 1  # a rep sees only their own row
    manager_view = next(d for d in client.get("/api/drills", headers=headers["manager"]).json() if d["id"] == east)
    assert (manager_view["assignees"], manager_view["passed"], manager_view["mine"]) == (2, 0, None)
    assert manager_view["scenario_title_zh"].startswith("维生素")


def test_status_rules(client, session, people, headers):
    """passed beats everything; used-up attempts fail; a past due date is overdue; started is in progress."""
    drill_id = client.post(
        "/api/drills", json=drill_body(team="华东一组", pass_score=60, attempts=2), headers=headers["manager"]
    ).json()["id"]
    rep_a, rep_b = people["rep_a"], people["rep_b"]

    def status_of(rep) -> dict:
        results = client.get(f"/api/drills/{drill_id}/results", headers=headers["manager"]).json()
        return next(row for row in results if row["user_id"] == rep.id)

    assert status_of(rep_a)["status"] == "assigned"
    running = add_attempt(session, rep_a, drill_id, None, finished=False)
    assert (status_of(rep_a)["status"], status_of(rep_a)["attempts_left"]) == ("in_progress", 1)
    running.status, running.score, running.finished_at = RolePlayStatus.finished, 50, datetime.now(UTC)
    session.add(running)
    session.commit()
    add_attempt(session, rep_a, drill_id, 55)
    assert status_of(rep_a)["status"] == "failed"  # two attempts used, no pass

    add_attempt(session, rep_b, drill_id, 40)
    second = add_attempt(session, rep_b, drill_id, 75)
    row = status_of(rep_b)
    assert (row["status"], row["passed"], row["best_score"], row["attempts"]) == ("passed", True, 75, 2)

    # A manager's override replaces the coach score everywhere results are computed.
    make_review(session, second, people["manager"], comment="", override_score=58, reason="没有真正确认需求")
    row = status_of(rep_b)
    assert (row["status"], row["best_score"]) == ("failed", 58)

    drill = session.get(Drill, drill_id)
    drill.due, drill.attempts_allowed = team_today() - timedelta(days=1), None
    session.add(drill)
    session.commit()
    assert status_of(rep_b)["status"] == "overdue"
    assert status_of(rep_a)["status"] == "overdue"


def test_last_allowed_attempt_still_running_is_not_failed(client, session, people, headers):
    drill_id = client.post(
        "/api/drills", json=drill_body(assignees=[people["rep_a"].username], attempts=1), headers=headers["manager"]
    ).json()["id"]
    add_attempt(session, people["rep_a"], drill_id, None, finished=False)
    rows = client.get(f"/api/drills/{drill_id}/results", headers=headers["rep_a"]).json()
    assert [(row["status"], row["attempts_left"]) for row in rows] == [("in_progress", 0)]


def test_detail_shows_a_rep_only_their_own_attempts_and_reviews(client, session, people, headers):
    drill_id = client.post("/api/drills", json=drill_body(team="华东一组"), headers=headers["manager"]).json()["id"]
    mine = add_attempt(session, people["rep_a"], drill_id, 70)
    add_attempt(session, people["rep_b"], drill_id, 80)
    review = client.post(
        f"/api/team/attempts/{mine.id}/reviews", json={"comment": "开场很自然，继续保持。"}, headers=headers["manager"]
    )
    assert review.status_code == 201, review.text

    detail = client.get(f"/api/drills/{drill_id}", headers=headers["rep_a"]).json()
    assert [attempt["id"] for attempt in detail["attempts"]] == [mine.id]
    assert [row["user_id"] for row in detail["results"]] == [people["rep_a"].id]
    assert detail["attempts"][0]["reviews"][0]["comment"] == "开场很自然，继续保持。"
    assert detail["mine"]["best_score"] == 70

    manager_detail = client.get(f"/api/drills/{drill_id}", headers=headers["manager"]).json()
    assert len(manager_detail["attempts"]) == 2
    assert {row["user_id"] for row in manager_detail["results"]} == {people["rep_a"].id, people["rep_b"].id}
