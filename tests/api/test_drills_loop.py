"""The whole drill loop through the API: assign → attempts by reps via the real role-play API → results →
comment and override (both scores kept) → dashboard, progress and CSV numbers recomputed from the stored rows."""

import csv
import io
from collections import Counter
from datetime import timedelta
from statistics import mean

import pytest
from sqlmodel import select

from app.models import CoachingNote, Review, Role, RolePlay
from app.models.common import team_today
from app.playbook.vocabulary import FIVEK_DIMENSIONS
from app.roleplay.scenarios import get_scenario
from app.roleplay.scorecard import SKILL_ELEMENT, WEIGHTS
from tests.utils.factories import auth_headers, make_user
from tests.utils.scripted_reps import strong_rep_lines, weak_rep_lines

SCENARIO = "retail_member_marketing"
TEAM = "华东一组"


def attempt(client, headers, drill_id: int, lines: list[str]) -> dict:
    """One drill attempt through the role-play API, played until the buyer ends the call, then finished."""
    started = client.post("/api/roleplays", json={"scenario_id": SCENARIO, "drill_id": drill_id}, headers=headers)
    assert started.status_code == 201, started.text
    roleplay_id = started.json()["id"]
    for line in lines:
        turn = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}, headers=headers)
        assert turn.status_code == 200, turn.text
        if turn.json()["state"]["finished"]:
            break
    finished = client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers)
    assert finished.status_code == 200, finished.text
    return {"id": roleplay_id, "total": finished.json()["scorecard"]["total"]}


@pytest.fixture
def team(client, session):
    users = {
        "manager": make_user(session, Role.manager, team=TEAM),
        "strong": make_user(session, Role.rep, team=TEAM),
        "weak": make_user(session, Role.rep, team=TEAM),
    }
    return users, {name: auth_headers(client, user) for name, user in users.items()}


def effective(session, roleplay: RolePlay) -> int:
    """Recomputed from the stored rows: the latest override, else the coach's score."""
    overrides = session.exec(
        select(Review.override_score)
        .where(Review.roleplay_id == roleplay.id, Review.override_score.is_not(None))
        .order_by(Review.created_at, Review.id)
    ).all()
    return overrides[-1] if overrides else roleplay.score


def test_assign_attempt_review_and_measure(client, session, team):
    users, headers = team
    scenario = get_scenario(SCENARIO)

    # --- assign ------------------------------------------------------------------------------------
    body = {
        "scenario_id": SCENARIO,
        "team": TEAM,
        "assignees": None,
        "pass_score": 60,
        "attempts": 2,
        "due": (team_today() + timedelta(days=5)).isoformat(),
        "note": "会员营销场景，先问现状再谈价值。",
    }
    created = client.post("/api/drills", json=body, headers=headers["manager"])
    assert created.status_code == 201, created.text
    drill_id = created.json()["id"]
    assert [d["mine"]["status"] for d in client.get("/api/drills", headers=headers["strong"]).json()] == ["assigned"]

    # --- attempts by the reps, through the role-play API ---------------------------------------------
    strong = attempt(client, headers["strong"], drill_id, strong_rep_lines(scenario))
    weak_first = attempt(client, headers["weak"], drill_id, weak_rep_lines(scenario))
    weak_second = attempt(client, headers["weak"], drill_id, weak_rep_lines(scenario)[:4])
    # The scripted reps land on both sides of the pass score, so both outcomes are exercised.
    assert strong["total"] >= 60 > max(weak_first["total"], weak_second["total"])
    no_more = client.post("/api/roleplays", json={"drill_id": drill_id}, headers=headers["weak"])
    assert no_more.status_code == 409  # two attempts allowed

    # --- results -----------------------------------------------------------------------------------
    results = {
        row["username"]: row for row in client.get(f"/api/drills/{drill_id}/results", headers=headers["manager"]).json()
    }
    assert (results[users["strong"].username]["status"], results[users["strong"].username]["best_score"]) == (
        "passed",
        strong["total"],
    )
    weak_row = results[users["weak"].username]
    assert (weak_row["status"], weak_row["attempts"], weak_row["attempts_left"], weak_row["best_score"]) == (
        "failed",
        2,
        0,
        max(weak_first["total"], weak_second["total"]),
    )

    # --- comment, then override twice: every score stays on record ------------------------------------
    reviews_url = f"/api/team/attempts/{weak_second['id']}/reviews"
    comment = client.post(reviews_url, json={"comment": "推介太早，先问暗示问题。"}, headers=headers["manager"])
    assert comment.status_code == 201 and comment.json()["override_score"] is None
    assert (
        client.post(reviews_url, json={"comment": "", "override_score": 70}, headers=headers["manager"]).status_code
        == 422
    )  # an override needs a reason
    first_override = weak_second["total"] + 30
    for score, reason in ((first_override, "客户其实已同意试用，教练漏判"), (62, "复核录音后下调")):
        response = client.post(
            reviews_url, json={"comment": "", "override_score": score, "reason": reason}, headers=headers["manager"]
        )
        assert response.status_code == 201, response.text
    read_back = client.get(reviews_url, headers=headers["weak"]).json()  # the rep reads reviews of their own attempt
    assert read_back["coach_score"] == weak_second["total"]
    assert read_back["score"] == 62
    assert [r["override_score"] for r in read_back["reviews"]] == [None, first_override, 62]
    stored = session.get(RolePlay, weak_second["id"])
    session.refresh(stored)
    assert stored.score == weak_second["total"]  # the coach's score is never overwritten
    assert len(session.exec(select(Review).where(Review.roleplay_id == weak_second["id"])).all()) == 3

    weak_row = next(
        row
        for row in client.get(f"/api/drills/{drill_id}/results", headers=headers["manager"]).json()
        if row["username"] == users["weak"].username
    )
    assert (weak_row["status"], weak_row["best_score"]) == ("passed", 62)
    mine = client.get(f"/api/drills/{drill_id}", headers=headers["weak"]).json()
    assert mine["mine"]["status"] == "passed"
    assert [a["reviews"][-1]["reason"] for a in mine["attempts"] if a["id"] == weak_second["id"]] == ["复核录音后下调"]

    # --- dashboard numbers equal what the stored attempts give ------------------------------------------
    dashboard = client.get("/api/team/dashboard", headers=headers["manager"]).json()
    roleplays = session.exec(select(RolePlay).order_by(RolePlay.id)).all()
    for roleplay in roleplays:
        session.refresh(roleplay)
    cards = {rp.id: session.get(CoachingNote, rp.note_id).data["scorecard"] for rp in roleplays}
    scores = {rp.id: effective(session, rp) for rp in roleplays}

    assert dashboard["attempts"] == len(roleplays) == 3
    assert dashboard["average_score"] == pytest.approx(mean(scores.values()), abs=0.01)
    assert dashboard["drills"][0]["pass_rate"] == pytest.approx(1.0)  # both reps have passed now
    assert dashboard["passed"] == dashboard["assignments"] == 2

    for rep in dashboard["reps"]:
        own = [rp for rp in roleplays if rp.owner_id == rep["user_id"]]
        assert rep["attempts"] == len(own)
        assert rep["average_score"] == pytest.approx(mean(scores[rp.id] for rp in own), abs=0.01)
        for dimension in FIVEK_DIMENSIONS:
            expected = mean(cards[rp.id]["intensity"]["points"][dimension] for rp in own)
            assert rep["fivek"][dimension] == pytest.approx(expected, abs=0.01)
        spin = Counter()
        for rp in own:
            spin.update(cards[rp.id]["spin_counts"])
        total_turns = sum(spin.values())
        assert rep["questions"] == total_turns
        for label, share in rep["spin_mix"].items():
            assert share == pytest.approx(spin[label] / total_turns, abs=0.0001)

    # Components that did not apply in a call (no objection raised) are left out of the team's averages.
    applied = {
        skill: [
            cards[rp.id]["components"][skill] for rp in roleplays if cards[rp.id]["components"][skill]["applicable"]
        ]
        for skill in WEIGHTS
    }
    team_skill = {
        skill: mean(c["ratio"] * 100 for c in components) for skill, components in applied.items() if components
    }
    weakest = dashboard["weakest_skills"]
    assert [w["skill"] for w in weakest] == sorted(team_skill, key=lambda s: (team_skill[s], list(WEIGHTS).index(s)))[
        :3
    ]
    for weak in weakest:
        assert weak["average"] == pytest.approx(team_skill[weak["skill"]], abs=0.01)
        assert weak["element_id"] == SKILL_ELEMENT[weak["skill"]]
        assert weak["scenario_id"] in weak["scenario_ids"]
        assert all(weak["element_id"] in get_scenario(sid).trains for sid in weak["scenario_ids"])
        assert weak["drill_ids"] == ([drill_id] if weak["element_id"] in scenario.trains else [])

    gap = abs(62 - weak_second["total"])
    assert dashboard["agreement"] == {"pairs": 1, "mean_abs_diff": float(gap), "within_10_share": float(gap <= 10)}

    # --- progress over time ---------------------------------------------------------------------------
    progress = client.get(f"/api/team/reps/{users['weak'].id}/progress", headers=headers["weak"]).json()
    assert [p["roleplay_id"] for p in progress["attempts"]] == [weak_first["id"], weak_second["id"]]
    assert [p["coach_score"] for p in progress["attempts"]] == [weak_first["total"], weak_second["total"]]
    assert progress["attempts"][1]["score"] == 62
    for point in progress["attempts"]:
        for skill in WEIGHTS:
            component = cards[point["roleplay_id"]]["components"][skill]
            if component["applicable"]:
                assert point["skills"][skill] == pytest.approx(component["ratio"] * 100, abs=0.01)
            else:
                assert skill not in point["skills"]

    # --- CSV export ---------------------------------------------------------------------------------
    export = client.get("/api/team/export.csv", headers=headers["manager"])
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert export.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["训练编号", "场景"]
    by_user = {row[6]: row for row in rows[1:]}
    assert set(by_user) == {users["strong"].username, users["weak"].username}
    assert by_user[users["weak"].username][9:] == ["2", "62", "是", "已通过"]
    assert by_user[users["strong"].username][1] == scenario.title_zh
    english = client.get("/api/team/export.csv?lang=en", headers=headers["manager"]).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(english)))
    assert header[:2] == ["Drill ID", "Scenario"] and all(cell[:1].isupper() and "_" not in cell for cell in header)
