"""Team drills reach reps who join the team later (created into it by the CLI, the demo seed or an admin),
while the drill is open; past-due drills, other teams' drills and non-reps stay out."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Drill, DrillAssignment, Role
from app.models.common import team_today
from tests.utils.factories import auth_headers, make_user

SCENARIO = "mfg_vitamin_erp"
TEAM = "华东一组"
OTHER_TEAM = "华南二组"


@pytest.fixture
def manager(session):
    make_user(session, Role.manager, team=OTHER_TEAM)
    make_user(session, Role.rep, team=OTHER_TEAM)
    return make_user(session, Role.manager, team=TEAM)


@pytest.fixture
def team_drill(client, session, manager) -> int:
    """A drill assigned to the team while it has one rep."""
    make_user(session, Role.rep, team=TEAM)
    body = {
        "scenario_id": SCENARIO,
        "team": TEAM,
        "assignees": None,
        "pass_score": 60,
        "attempts": 1,
        "due": (team_today() + timedelta(days=7)).isoformat(),
    }
    response = client.post("/api/drills", json=body, headers=auth_headers(client, manager))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def assigned_to(session, drill_id: int) -> set[int]:
    return set(session.exec(select(DrillAssignment.user_id).where(DrillAssignment.drill_id == drill_id)))


def test_newcomer_sees_the_open_team_drill_and_can_attempt_it(client, session, team_drill):
    newcomer = make_user(session, Role.rep, team=TEAM)
    headers = auth_headers(client, newcomer)

    listed = client.get("/api/drills", headers=headers).json()
    assert [drill["id"] for drill in listed] == [team_drill]
    assert listed[0]["mine"]["status"] == "assigned"
    started = client.post("/api/roleplays", json={"drill_id": team_drill}, headers=headers)
    assert started.status_code == 201, started.text
    again = client.post("/api/roleplays", json={"drill_id": team_drill}, headers=headers)
    assert again.status_code == 409  # the drill's attempt limit holds for newcomers too


def test_drill_due_today_is_still_open(client, session, team_drill):
    session.get(Drill, team_drill).due = team_today()
    session.commit()
    newcomer = make_user(session, Role.rep, team=TEAM)
    assert newcomer.id in assigned_to(session, team_drill)


def test_past_due_team_drill_is_not_given_to_a_newcomer(client, session, team_drill):
    session.get(Drill, team_drill).due = team_today() - timedelta(days=1)
    session.commit()
    newcomer = make_user(session, Role.rep, team=TEAM)
    headers = auth_headers(client, newcomer)

    assert newcomer.id not in assigned_to(session, team_drill)
    assert client.get("/api/drills", headers=headers).json() == []
    assert client.get(f"/api/drills/{team_drill}", headers=headers).status_code == 404
    assert client.post("/api/roleplays", json={"drill_id": team_drill}, headers=headers).status_code == 404


def test_joining_another_team_or_as_a_manager_gives_no_drill(client, session, team_drill):
    before = assigned_to(session, team_drill)
    other_rep = make_user(session, Role.rep, team=OTHER_TEAM)
    make_user(session, Role.manager, team=TEAM)
    make_user(session, Role.admin, team=TEAM)

    assert assigned_to(session, team_drill) == before
    assert client.get("/api/drills", headers=auth_headers(client, other_rep)).json() == []
    hidden = client.post("/api/roleplays", json={"drill_id": team_drill}, headers=auth_headers(client, other_rep))
    assert hidden.status_code == 404


def test_drill_for_chosen_reps_is_not_given_to_newcomers(client, session, manager):
    rep = make_user(session, Role.rep, team=TEAM)
    body = {
        "scenario_id": SCENARIO,
        "team": None,
        "assignees": [rep.username],
        "pass_score": 60,
        "due": (team_today() + timedelta(days=7)).isoformat(),
    }
    drill_id = client.post("/api/drills", json=body, headers=auth_headers(client, manager)).json()["id"]
    make_user(session, Role.rep, team=TEAM)
    assert assigned_to(session, drill_id) == {rep.id}


def test_dashboard_and_results_count_the_newcomer(client, session, manager, team_drill):
    newcomer = make_user(session, Role.rep, team=TEAM)
    headers = auth_headers(client, manager)

    dashboard = client.get("/api/team/dashboard", headers=headers).json()
    row = next(drill for drill in dashboard["drills"] if drill["drill_id"] == team_drill)
    assert row["assignees"] == 2
    assert dashboard["assignments"] == 2
    results = client.get(f"/api/drills/{team_drill}/results", headers=headers).json()
    assert newcomer.id in {result["user_id"] for result in results}
    assert len(results) == 2
