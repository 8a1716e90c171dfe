"""Drills that can be corrected: PATCH a drill (due, pass score, attempts, note, newcomers, cancel), one rep's
extension and extra attempts, and the audit trail every role reads on the drill."""

from datetime import timedelta

import pytest

from app.models import Drill, Role
from app.models.common import team_today
from tests.utils.factories import auth_headers, make_roleplay, make_user

SCENARIO = "mfg_vitamin_erp"
TEAM = "华东一组"


@pytest.fixture
def crew(client, session):
    manager = make_user(session, Role.manager, team=TEAM)
    reps = [make_user(session, Role.rep, team=TEAM) for _ in range(2)]
    other_manager = make_user(session, Role.manager, team="别的组")
    return {
        "manager": auth_headers(client, manager),
        "reps": reps,
        "rep_headers": [auth_headers(client, rep) for rep in reps],
        "other_manager": auth_headers(client, other_manager),
    }


def _drill(client, crew, **overrides) -> int:
    body = {
        "scenario_id": SCENARIO,
        "team": TEAM,
        "pass_score": 70,
        "attempts": 1,
        "due": (team_today() + timedelta(days=5)).isoformat(),
    } | overrides
    response = client.post("/api/drills", json=body, headers=crew["manager"])
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _finished_attempt(session, drill_id: int, rep, score: int) -> None:
    make_roleplay(session, rep, drill=session.get(Drill, drill_id), finished=True, score=score)


def _mine(client, headers, drill_id):
    return client.get(f"/api/drills/{drill_id}", headers=headers).json()["mine"]


def test_an_extra_attempt_unsticks_a_rep_who_used_them_all(client, session, crew):
    drill_id = _drill(client, crew)
    rep, headers = crew["reps"][0], crew["rep_headers"][0]
    _finished_attempt(session, drill_id, rep, 55)
    assert _mine(client, headers, drill_id)["status"] == "failed"
    assert client.post("/api/roleplays", json={"drill_id": drill_id}, headers=headers).status_code == 409

    result = client.patch(
        f"/api/drills/{drill_id}/assignees/{rep.id}", json={"extra_attempts": 1}, headers=crew["manager"]
    )
    assert result.status_code == 200, result.text
    assert (result.json()["attempts_allowed"], result.json()["attempts_left"]) == (2, 1)
    mine = _mine(client, headers, drill_id)
    assert mine["status"] == "in_progress" and mine["extra_attempts"] == 1
    assert client.post("/api/roleplays", json={"drill_id": drill_id}, headers=headers).status_code == 201
    # The other rep's limit is unchanged.
    other = client.get(f"/api/drills/{drill_id}", headers=crew["rep_headers"][1]).json()["mine"]
    assert other["attempts_allowed"] == 1


def test_one_reps_extension_turns_overdue_back_to_open(client, session, crew):
    drill_id = _drill(client, crew)
    session.get(Drill, drill_id).due = team_today() - timedelta(days=2)
    session.commit()
    rep, headers = crew["reps"][0], crew["rep_headers"][0]
    assert _mine(client, headers, drill_id)["status"] == "overdue"
    past = client.patch(
        f"/api/drills/{drill_id}/assignees/{rep.id}",
        json={"due": (team_today() - timedelta(days=1)).isoformat()},
        headers=crew["manager"],
    )
    assert past.status_code == 422
    new_due = (team_today() + timedelta(days=3)).isoformat()
    client.patch(f"/api/drills/{drill_id}/assignees/{rep.id}", json={"due": new_due}, headers=crew["manager"])
    mine = _mine(client, headers, drill_id)
    assert (mine["status"], mine["due"], mine["extended"]) == ("assigned", new_due, True)
    assert _mine(client, crew["rep_headers"][1], drill_id)["status"] == "overdue"


def test_correcting_the_drill_recomputes_results_and_is_audited(client, session, crew):
    drill_id = _drill(client, crew)
    rep = crew["reps"][0]
    _finished_attempt(session, drill_id, rep, 55)
    new_due = (team_today() + timedelta(days=9)).isoformat()
    response = client.patch(
        f"/api/drills/{drill_id}",
        json={"pass_score": 50, "due": new_due, "attempts": None, "note": "先问现状"},
        headers=crew["manager"],
    )
    assert response.status_code == 200, response.text
    detail = response.json()
    assert (detail["pass_score"], detail["due"], detail["attempts_allowed"]) == (50, new_due, None)
    assert next(r for r in detail["results"] if r["user_id"] == rep.id)["status"] == "passed"
    [change] = detail["changes"]
    assert change["changes"]["pass_score"] == ["70", "50"] and change["changes"]["attempts"] == ["1", ""]
    assert change["changed_by_name"] and change["assignee_id"] is None
    # A rep reads drill-wide changes and their own extensions, not another rep's.
    client.patch(
        f"/api/drills/{drill_id}/assignees/{crew['reps'][1].id}", json={"extra_attempts": 2}, headers=crew["manager"]
    )
    seen_by_rep = client.get(f"/api/drills/{drill_id}", headers=crew["rep_headers"][0]).json()["changes"]
    assert [c["assignee_id"] for c in seen_by_rep] == [None]
    assert len(client.get(f"/api/drills/{drill_id}", headers=crew["manager"]).json()["changes"]) == 2
    # Nothing changed: nothing recorded; a past due date is refused.
    client.patch(f"/api/drills/{drill_id}", json={"pass_score": 50}, headers=crew["manager"])
    assert len(client.get(f"/api/drills/{drill_id}", headers=crew["manager"]).json()["changes"]) == 2
    past = (team_today() - timedelta(days=1)).isoformat()
    assert client.patch(f"/api/drills/{drill_id}", json={"due": past}, headers=crew["manager"]).status_code == 422
    assert (
        client.patch(f"/api/drills/{drill_id}", json={"pass_score": None}, headers=crew["manager"]).status_code == 422
    )


def test_a_cancelled_drill_cannot_be_started_or_edited_until_reopened(client, session, crew):
    drill_id = _drill(client, crew, attempts=None)
    headers = crew["rep_headers"][0]
    cancelled = client.patch(f"/api/drills/{drill_id}", json={"cancelled": True}, headers=crew["manager"]).json()
    assert cancelled["cancelled_at"] and {r["status"] for r in cancelled["results"]} == {"cancelled"}
    assert client.post("/api/roleplays", json={"drill_id": drill_id}, headers=headers).status_code == 409
    assert client.patch(f"/api/drills/{drill_id}", json={"pass_score": 40}, headers=crew["manager"]).status_code == 409
    dashboard = client.get("/api/team/dashboard", headers=crew["manager"]).json()
    assert dashboard["drills"] == []  # a cancelled drill no longer counts in pass rates
    reopened = client.patch(f"/api/drills/{drill_id}", json={"cancelled": False}, headers=crew["manager"]).json()
    assert reopened["cancelled_at"] is None
    assert client.post("/api/roleplays", json={"drill_id": drill_id}, headers=headers).status_code == 201
    assert [c["changes"]["cancelled"] for c in reopened["changes"]] == [["False", "True"], ["True", "False"]]


def test_a_team_drill_can_leave_out_reps_who_join_later(client, session, crew):
    closed = _drill(client, crew, include_newcomers=False)
    open_ = _drill(client, crew)
    newcomer = make_user(session, Role.rep, team=TEAM)
    listed = {drill["id"] for drill in client.get("/api/drills", headers=auth_headers(client, newcomer)).json()}
    assert listed == {open_}
    client.patch(f"/api/drills/{closed}", json={"include_newcomers": True}, headers=crew["manager"])
    later = make_user(session, Role.rep, team=TEAM)
    listed = {drill["id"] for drill in client.get("/api/drills", headers=auth_headers(client, later)).json()}
    assert listed == {open_, closed}


def test_another_teams_manager_cannot_correct(client, crew):
    drill_id = _drill(client, crew)
    rep = crew["reps"][0]
    assert (
        client.patch(f"/api/drills/{drill_id}", json={"pass_score": 1}, headers=crew["other_manager"]).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/drills/{drill_id}/assignees/{rep.id}", json={"extra_attempts": 3}, headers=crew["other_manager"]
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/drills/{drill_id}/assignees/999999", json={"extra_attempts": 3}, headers=crew["manager"]
        ).status_code
        == 404
    )


def test_the_drill_page_corrects_and_shows_the_history(client, session, crew):
    from tests.utils.factories import csrf_from, web_login

    drill_id = _drill(client, crew)
    manager_name = client.get("/api/me", headers=crew["manager"]).json()["username"]
    rep = crew["reps"][0]
    _finished_attempt(session, drill_id, rep, 55)
    web_login(client, manager_name)
    page = client.get(f"/drills/{drill_id}")
    assert 'id="drill-edit"' in page.text
    token = csrf_from(page.text)
    extended = client.post(
        f"/drills/{drill_id}/assignees/{rep.id}",
        data={"csrf_token": token, "extra_attempts": "1", "due": (team_today() + timedelta(days=5)).isoformat()},
    )
    assert extended.status_code == 200  # followed the redirect back to the drill
    assert "（仅 " in extended.text and "额外次数" in extended.text
    bad = client.post(
        f"/drills/{drill_id}/edit",
        data={"csrf_token": token, "due": "", "pass_score": "200", "attempts": "", "note": ""},
    )
    assert bad.status_code == 422 and 'id="edit-error"' in bad.text
    cancelled = client.post(f"/drills/{drill_id}/edit", data={"csrf_token": token, "cancelled": "1"})
    assert 'id="drill-cancelled"' in cancelled.text and "重新开放" in cancelled.text
    client.cookies.clear()
    rep_name = rep.username
    web_login(client, rep_name)
    rep_page = client.get(f"/drills/{drill_id}").text
    assert 'id="drill-cancelled"' in rep_page and 'id="drill-edit"' not in rep_page
    assert "（仅 " in rep_page  # their own extension is listed for them
    token = csrf_from(rep_page)
    refused = client.post(
        f"/drills/{drill_id}/edit", data={"csrf_token": token, "cancelled": "0"}, headers={"accept": "text/html"}
    )
    assert refused.status_code == 403
