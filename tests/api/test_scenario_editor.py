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


def test_fact_rows_are_as_many_as_posted_with_their_own_ids(client, manager):
    """No fixed four slots: six situation facts, one row left empty in between; each keeps its row's id, so a
    prerequisite typed as S6 still points at it. Without scripts the page shows the rows and one empty row."""
    extra: dict[str, str] = {}
    for i in range(2, 6):
        extra[f"fact_situation_{i}_text"] = f"背景信息第 {i + 1} 条：门店在第 {i + 1} 个区域的排班情况。"
        extra[f"fact_situation_{i}_text_en"] = f"Situation fact {i + 1}: how region {i + 1} schedules its stores."
    extra |= {"fact_situation_3_text": "", "fact_problem_1_requires": "S6"}
    scenario_id, page = author(client, manager, AUTHORED_FORM | extra)
    content = content_from_form(AUTHORED_FORM | extra)
    assert [fact["id"] for fact in content["facts"]["situation"]] == ["s1", "s2", "s3", "s5", "s6"]
    assert Scenario.model_validate(content | {"id": "x"}).fact("p2").requires == ["s6"]
    # the saved editor: five filled situation rows (numbered S1-S5 again, the prerequisite following its fact) and
    # one empty row to add a sixth without scripts (the <template> after them is the scripts' row to copy)
    situation = page[page.index('data-category="situation"') : page.index('data-category="problem"')]
    rows = situation.split("<template")[0]
    assert rows.count('class="fact-slot"') == 6
    assert re.search(r'<textarea name="fact_situation_5_text"[^>]*></textarea>', rows)  # the empty row
    assert "背景信息第 6 条" in rows and "背景信息第 4 条" not in rows
    assert 'name="fact_problem_1_requires" value="S5"' in page
    # the five dimensions are radio choices, each with its meaning written beside it (not only a tooltip)
    assert 'type="radio" name="maslow" value="fivedim.maslow.safety"' in page
    assert '<small class="meaning">想保护自己' in page


def test_the_server_caps_facts_per_category(client, manager):
    from app.scenarios.limits import MAX_FACTS

    web_login(client, manager.username)
    token = form_token(client.get("/scenarios/new").text)
    many = {f"fact_need_payoff_{i}_text": f"如果能做到第 {i} 件事，对我们很有价值。" for i in range(MAX_FACTS + 1)}
    many |= {f"fact_need_payoff_{i}_text_en": f"Doing thing {i} would be worth a lot." for i in range(MAX_FACTS + 1)}
    response = client.post("/scenarios/new", data=AUTHORED_FORM | many | {"csrf_token": token})
    assert response.status_code == 422
    assert "facts.need_payoff" in response.text and f"at most {MAX_FACTS} facts" in response.text
    ok = {key: value for key, value in many.items() if f"_{MAX_FACTS}_text" not in key}
    saved = client.post("/scenarios/new", data=AUTHORED_FORM | ok | {"csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:300]
    api = client.post(
        "/api/scenarios",
        json=content_from_form(AUTHORED_FORM | many) | {"team": "A组"},
        headers=auth_headers(client, manager),
    )
    assert api.status_code == 422 and ["body", "facts", "need_payoff"] in [e["loc"] for e in api.json()["detail"]]


def test_dimension_meanings_are_in_english_for_english_readers(client, manager):
    web_login(client, manager.username)
    client.cookies.set("lang", "en")
    page = client.get("/scenarios/new").text
    assert '<small class="meaning">Wants to stay safe' in page
    assert "想保护自己" not in page
