"""The scenario editor pages: a manager authors a scenario in the form (not YAML), sees the checklist, plays it,
publishes it; reps play it and the strong SPIN rep beats the weak pitching rep on it."""

from __future__ import annotations

import re

import pytest

from app.models import Role
from app.roleplay.scenarios import Scenario, load_scenarios
from app.scenarios import editor, repository
from app.scenarios.editor import content_from_form, form_from_content
from tests.utils.factories import auth_headers, csrf_from, make_user, web_login
from tests.utils.scenario_library import AUTHORED_FORM, assert_strong_beats_weak, strong_and_weak_scorecards


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def manager(session):
    return make_user(session, Role.manager, team="A组")


def author(client, manager, form: dict[str, str]) -> tuple[str, str]:
    """Sign in as the manager and save the form; returns the new scenario id and the edit page."""
    web_login(client, manager.username)
    token = form_token(client.get("/scenarios/new").text)
    response = client.post("/scenarios/new", data=form | {"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    scenario_id = re.search(r"/scenarios/(team_\d+)/edit", response.headers["location"]).group(1)
    return scenario_id, client.get(response.headers["location"]).text


def test_the_form_builds_a_valid_scenario_and_suggests_topics():
    content = content_from_form(AUTHORED_FORM)
    scenario = Scenario.model_validate(content | {"id": "authored"})
    problem_2 = scenario.fact("p2")
    assert problem_2.topics.zh and all(word in problem_2.text for word in problem_2.topics.zh)  # jieba key terms
    assert scenario.fact("p1").min_trust == editor.FACT_TRUST["problem"]["easy"]
    assert scenario.fact("p1").requires == ["s1"]
    assert scenario.success.key_facts == ["p1", "i1", "n1"]
    # and back: the form of the content builds the same content again
    assert content_from_form(form_from_content(content)) == content


@pytest.mark.parametrize("scenario_id", ["mfg_vitamin_erp", "gov_city_network"])
def test_built_ins_round_trip_through_the_form(scenario_id):
    builtin = load_scenarios()[scenario_id]
    again = Scenario.model_validate(content_from_form(form_from_content(builtin.model_dump(mode="json"))) | {"id": "x"})
    assert [f.text for f in again.all_facts()] == [f.text for f in builtin.all_facts()]
    assert again.persona == builtin.persona


def test_manager_authors_plays_and_publishes_in_the_browser_forms(client, session, manager):
    scenario_id, page = author(client, manager, AUTHORED_FORM)
    assert "连锁餐饮排班系统" in page and 'id="play-as-rep"' in page
    assert "checklist" in page  # the checklist (or its all-clear) shows on the editor
    token = csrf_from(page) if '"X-CSRF-Token"' in page else form_token(page)
    played = client.post(f"/scenarios/{scenario_id}/play", data={"csrf_token": token}, follow_redirects=False)
    assert played.status_code == 303 and played.headers["location"].startswith("/roleplay/")
    assert (
        "周敏" in client.get(played.headers["location"]).text or "门店" in client.get(played.headers["location"]).text
    )
    published = client.post(f"/scenarios/{scenario_id}/publish", data={"csrf_token": token}, follow_redirects=False)
    assert published.status_code == 303
    library = client.get("/scenarios").text
    assert "连锁餐饮排班系统" in library


def test_form_errors_name_the_field_and_keep_the_input(client, manager):
    web_login(client, manager.username)
    token = form_token(client.get("/scenarios/new").text)
    broken = AUTHORED_FORM | {"persona_title": "", "title_zh": "保留我的输入"}
    response = client.post("/scenarios/new", data=broken | {"csrf_token": token})
    assert response.status_code == 422
    assert "persona.title" in response.text and "保留我的输入" in response.text


def test_authored_text_is_escaped(client, manager):
    hostile = AUTHORED_FORM | {
        "title_zh": "<script>alert(1)</script>排班",
        "fact_situation_0_text": "<img src=x onerror=alert(2)>排班表",
    }
    scenario_id, page = author(client, manager, hostile)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in client.get("/scenarios").text


def test_reps_cannot_open_the_editor(client, session):
    rep = make_user(session, Role.rep, team="A组")
    web_login(client, rep.username)
    assert client.get("/scenarios").status_code == 403
    assert client.get("/scenarios/new").status_code == 403


def test_strong_rep_beats_weak_rep_on_an_authored_scenario(client, session, manager):
    scenario_id, _ = author(client, manager, AUTHORED_FORM)
    headers = auth_headers(client, manager)
    assert client.post(f"/api/scenarios/{scenario_id}/publish", headers=headers).status_code == 200
    rep = make_user(session, Role.rep, team="A组")
    rep_headers = auth_headers(client, rep)
    scenario = repository.get_scenario(session, scenario_id)
    assert scenario is not None
    assert_strong_beats_weak(strong_and_weak_scorecards(client, rep_headers, scenario_id, scenario))
