"""The scenario library through the API: authoring with the YAML schema, versions, publishing, archiving,
import/export, clones, and team scenarios in role-plays, drills and the team page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from sqlmodel import select

from app.models import Role, RolePlay, User
from app.models.common import team_today
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import auth_headers, make_user, web_login
from tests.utils.scenario_library import builtin_content
from tests.utils.scripted_reps import weak_rep_lines


@pytest.fixture
def people(client, session):
    users = {
        "manager": make_user(session, Role.manager, team="A组"),
        "rep": make_user(session, Role.rep, team="A组"),
        "other": make_user(session, Role.rep, team="B组"),
    }
    return {name: auth_headers(client, user) for name, user in users.items()}


def create(client, headers, **changes) -> dict:
    response = client.post("/api/scenarios", json=builtin_content(**changes) | {"team": "A组"}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_validation_names_the_field(client, people):
    content = builtin_content()
    del content["persona"]["title"]
    response = client.post("/api/scenarios", json=content, headers=people["manager"])
    assert response.status_code == 422
    assert ["body", "persona", "title"] in [item["loc"] for item in response.json()["detail"]]
    bad_trust = builtin_content()
    bad_trust["facts"]["problem"][0]["requires"] = ["no_such_fact"]
    response = client.post("/api/scenarios", json=bad_trust, headers=people["manager"])
    assert response.status_code == 422 and "no_such_fact" in response.text


def test_every_field_has_a_size_limit(client, people):
    for changes, loc in (
        ({"title_zh": "长" * 121}, ["body", "title_zh"]),
        ({"opening_line": "话" * 1001}, ["body", "opening_line"]),
        ({"competitors": [f"对手{i}" for i in range(41)]}, ["body", "competitors"]),
    ):
        response = client.post("/api/scenarios", json=builtin_content(**changes), headers=people["manager"])
        assert response.status_code == 422, changes
        assert loc in [item["loc"] for item in response.json()["detail"]]
    huge_topic = builtin_content()
    huge_topic["facts"]["situation"][0]["topics"]["zh"] = ["词" * 41]
    response = client.post("/api/scenarios", json=huge_topic, headers=people["manager"])
    assert response.status_code == 422
    assert ["body", "facts", "situation", 0, "topics", "zh", 0] in [item["loc"] for item in response.json()["detail"]]


def test_drafts_are_for_managers_until_published(client, people):
    created = create(client, people["manager"], title_zh="团队自编：教务系统")
    assert created["version"] == 1 and created["status"] == "draft" and created["id"].startswith("team_")
    sid = created["id"]
    assert client.get(f"/api/scenarios/{sid}", headers=people["rep"]).status_code == 404
    assert sid not in [s["id"] for s in client.get("/api/scenarios", headers=people["rep"]).json()]
    assert client.post("/api/roleplays", json={"scenario_id": sid}, headers=people["manager"]).status_code == 201
    assert client.post(f"/api/scenarios/{sid}/publish", headers=people["manager"]).status_code == 200
    listed = {s["id"]: s for s in client.get("/api/scenarios", headers=people["rep"]).json()}
    assert listed[sid]["kind"] == "team" and listed[sid]["title_zh"] == "团队自编：教务系统"
    assert listed["mfg_vitamin_erp"]["kind"] == "builtin"
    assert "facts" not in listed[sid]  # the rep's view hides the facts
    assert client.get(f"/api/scenarios/{sid}", headers=people["other"]).status_code == 404
    assert sid not in [s["id"] for s in client.get("/api/scenarios", headers=people["other"]).json()]


def test_attempts_keep_the_version_they_were_played_on(client, people, session):
    sid = create(client, people["manager"], opening_line="第一版的开场白。")["id"]
    client.post(f"/api/scenarios/{sid}/publish", headers=people["manager"])
    first = client.post("/api/roleplays", json={"scenario_id": sid}, headers=people["rep"]).json()
    assert first["scenario_id"] == f"{sid}_v1" and first["opening"] == "第一版的开场白。"
    edited = client.patch(f"/api/scenarios/{sid}", json={"opening_line": "第二版的开场白。"}, headers=people["manager"])
    assert edited.status_code == 200 and edited.json()["version"] == 2
    second = client.post("/api/roleplays", json={"scenario_id": sid}, headers=people["rep"]).json()
    assert second["scenario_id"] == f"{sid}_v2" and second["opening"] == "第二版的开场白。"
    old = client.get(f"/api/roleplays/{first['id']}", headers=people["rep"]).json()
    assert old["scenario_id"] == f"{sid}_v1" and old["turns"][0]["text"] == "第一版的开场白。"
    v1 = client.get(f"/api/scenarios/{sid}_v1?full=true", headers=people["manager"]).json()
    assert v1["opening_line"] == "第一版的开场白。" and v1["version"] == 2  # the row's latest version is 2
    finished = client.post(f"/api/roleplays/{first['id']}/finish", headers=people["rep"])
    assert finished.status_code == 200 and finished.json()["scorecard"]["scenario_id"] == f"{sid}_v1"
    exported = client.get(f"/api/notes/{finished.json()['note_id']}/export?format=md", headers=people["rep"])
    assert exported.status_code == 200 and exported.text.startswith(f"# {builtin_content()['title_zh']}")


def test_editing_an_unplayed_draft_keeps_its_version(client, people):
    sid = create(client, people["manager"])["id"]
    edited = client.patch(f"/api/scenarios/{sid}", json={"title_en": "Draft, renamed"}, headers=people["manager"])
    assert edited.json()["version"] == 1
    client.post("/api/roleplays", json={"scenario_id": sid}, headers=people["manager"])  # test-played: frozen
    again = client.patch(f"/api/scenarios/{sid}", json={"title_en": "Draft, renamed again"}, headers=people["manager"])
    assert again.json()["version"] == 2


def test_built_ins_are_read_only(client, people):
    response = client.patch("/api/scenarios/mfg_vitamin_erp", json={"title_en": "x" * 5}, headers=people["manager"])
    assert response.status_code == 403
    assert load_scenarios()["mfg_vitamin_erp"].title_en != "xxxxx"


def test_archived_scenarios_cannot_start_but_old_attempts_stay(client, people):
    sid = create(client, people["manager"])["id"]
    client.post(f"/api/scenarios/{sid}/publish", headers=people["manager"])
    played = client.post("/api/roleplays", json={"scenario_id": sid}, headers=people["rep"]).json()
    assert client.post(f"/api/scenarios/{sid}/archive", headers=people["manager"]).json()["status"] == "archived"
    assert client.post("/api/roleplays", json={"scenario_id": sid}, headers=people["rep"]).status_code == 422
    assert client.get(f"/api/roleplays/{played['id']}", headers=people["rep"]).status_code == 200
    assert client.post(f"/api/scenarios/{sid}/publish", headers=people["manager"]).status_code == 409


def test_export_import_round_trip_and_clone(client, people):
    sid = create(client, people["manager"], title_zh="导出测试场景")["id"]
    exported = client.get(f"/api/scenarios/{sid}/export", headers=people["manager"])
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/yaml")
    data = yaml.safe_load(exported.text)
    assert data["title_zh"] == "导出测试场景" and data["id"] == f"{sid}_v1"
    imported = client.post(
        "/api/scenarios/import", json={"team": "A组", "yaml": exported.text}, headers=people["manager"]
    )
    assert imported.status_code == 201 and imported.json()["id"] != sid
    copy = client.get(f"/api/scenarios/{imported.json()['id']}?full=true", headers=people["manager"]).json()
    assert {k: v for k, v in copy.items() if k in data and k != "id"} == {k: v for k, v in data.items() if k != "id"}
    bad = client.post("/api/scenarios/import", json={"team": "A组", "yaml": "id: [unclosed"}, headers=people["manager"])
    assert bad.status_code == 422
    clone = client.post("/api/scenarios/mfg_vitamin_erp/clone", json={"team": "A组"}, headers=people["manager"])
    assert clone.status_code == 201 and clone.json()["status"] == "draft"
    full = client.get(f"/api/scenarios/{clone.json()['id']}?full=true", headers=people["manager"]).json()
    assert full["facts"] == load_scenarios()["mfg_vitamin_erp"].model_dump(mode="json")["facts"]
    assert client.post("/api/scenarios/mfg_vitamin_erp/clone", headers=people["rep"]).status_code == 403


def test_drills_run_on_team_scenarios_pinned_to_a_version(client, people, session):
    sid = create(client, people["manager"])["id"]
    draft_drill = client.post(
        "/api/drills",
        json={
            "scenario_id": sid,
            "team": "A组",
            "pass_score": 60,
            "due": (team_today() + timedelta(days=3)).isoformat(),
        },
        headers=people["manager"],
    )
    assert draft_drill.status_code == 422  # a draft is not assigned to reps
    client.post(f"/api/scenarios/{sid}/publish", headers=people["manager"])
    drill = client.post(
        "/api/drills",
        json={
            "scenario_id": sid,
            "team": "A组",
            "pass_score": 60,
            "due": (team_today() + timedelta(days=3)).isoformat(),
        },
        headers=people["manager"],
    )
    assert drill.status_code == 201, drill.text
    detail = client.get(f"/api/drills/{drill.json()['id']}", headers=people["rep"]).json()
    assert detail["scenario_id"] == f"{sid}_v1"
    assert detail["scenario_title_zh"] == builtin_content()["title_zh"]
    client.patch(f"/api/scenarios/{sid}", json={"opening_line": "新版开场。"}, headers=people["manager"])
    started = client.post("/api/roleplays", json={"drill_id": drill.json()["id"]}, headers=people["rep"])
    assert started.status_code == 201 and started.json()["scenario_id"] == f"{sid}_v1"
    assert started.json()["opening"] != "新版开场。"
    other_team = client.post(
        "/api/drills",
        json={
            "scenario_id": sid,
            "team": "A组",
            "pass_score": 60,
            "due": (team_today() + timedelta(days=3)).isoformat(),
        },
        headers=people["other"],
    )
    assert other_team.status_code == 403
    assert session.get(RolePlay, started.json()["id"]).scenario_id == f"{sid}_v1"


def test_the_checklist_comes_back_with_every_write(client, people):
    content = builtin_content()
    first, second = (fact["id"] for fact in content["facts"]["problem"][:2])
    content["facts"]["problem"][0]["requires"] = [second]
    content["facts"]["problem"][1]["requires"] = [first]
    created = client.post("/api/scenarios", json=content | {"team": "A组"}, headers=people["manager"])
    assert created.status_code == 201  # a warning never blocks saving a draft
    assert {"unreachable_fact"} <= {w["code"] for w in created.json()["warnings"]}
    full = client.get(f"/api/scenarios/{created.json()['id']}?full=true", headers=people["manager"]).json()
    assert any(w["code"] == "unreachable_fact" and w["field"] == "facts.problem.0" for w in full["warnings"])


def test_team_analytics_suggest_team_scenarios_for_the_weakest_skill(client, people, session):
    sid = create(client, people["manager"], title_zh="团队自编：弱项练习")["id"]
    client.post(f"/api/scenarios/{sid}/publish", headers=people["manager"])
    roleplay_id = client.post("/api/roleplays", json={"scenario_id": sid}, headers=people["rep"]).json()["id"]
    for line in weak_rep_lines(load_scenarios()["edu_smart_academic"])[:4]:
        client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}, headers=people["rep"])
    client.post(f"/api/roleplays/{roleplay_id}/finish", headers=people["rep"])
    dashboard = client.get("/api/team/dashboard", headers=people["manager"]).json()
    assert dashboard["attempts"] == 1
    assert any(sid in weak["scenario_ids"] for weak in dashboard["weakest_skills"])
    # the other team's manager is offered only what he may see
    other = auth_headers(client, make_user(session, Role.manager, team="B组"))
    other_dash = client.get("/api/team/dashboard", headers=other).json()
    assert all(sid not in weak["scenario_ids"] for weak in other_dash["weakest_skills"])


def test_team_scenarios_on_the_picker_are_escaped(client, people, session):
    hostile = "<script>alert(1)</script>团队场景"
    create(client, people["manager"], title_zh=hostile)
    manager = session.exec(select(User).where(User.role == Role.manager)).first()
    web_login(client, manager.username)
    picker = client.get("/roleplay").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;团队场景" in picker and hostile not in picker
