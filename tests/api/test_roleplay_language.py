"""Role-play sessions in the rep's language, the turn feedback's tone and held-back reason, and the chat page's
scenario card and sidebar (issue 15, items 4, 5, 7 and 8)."""

from __future__ import annotations

import re

from app.models import Role
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import auth_headers, make_user
from tests.utils.roleplays import send, signed_in, start, start_page
from tests.utils.sse import sse_blocks

CJK = re.compile(r"[\u4e00-\u9fff]")
TMS = "logistics_tms"


def test_lang_on_start_decides_the_buyers_language_and_is_stored(client, session):
    headers = auth_headers(client, make_user(session, Role.rep))
    english = client.post("/api/roleplays", json={"scenario_id": TMS, "lang": "en"}, headers=headers)
    assert english.status_code == 201 and english.json()["lang"] == "en"
    assert not CJK.search(english.json()["opening"])
    roleplay_id = english.json()["id"]
    turn = client.post(
        f"/api/roleplays/{roleplay_id}/turns", json={"text": "How big is your fleet today?"}, headers=headers
    )
    assert turn.status_code == 200 and not CJK.search(turn.json()["reply"]), turn.json()["reply"]
    assert client.get(f"/api/roleplays/{roleplay_id}", headers=headers).json()["lang"] == "en"
    chinese = start(client, headers, TMS)  # no lang, no cookie: Chinese, as before
    assert chinese["lang"] == "zh" and chinese["opening"] == load_scenarios()[TMS].opening_line


def test_the_default_language_is_the_ui_language(client, session):
    headers = auth_headers(client, make_user(session, Role.rep))
    client.cookies.set("lang", "en")
    started = client.post("/api/roleplays", json={"scenario_id": TMS}, headers=headers)
    assert started.json()["lang"] == "en"
    client.cookies.delete("lang")
    # No choice made: the browser's language, and the cookie still wins over it.
    english = {**headers, "accept-language": "en-US,en;q=0.9"}
    assert client.post("/api/roleplays", json={"scenario_id": TMS}, headers=english).json()["lang"] == "en"
    client.cookies.set("lang", "zh")
    assert client.post("/api/roleplays", json={"scenario_id": TMS}, headers=english).json()["lang"] == "zh"
    client.cookies.delete("lang")


def test_a_bad_lang_is_a_clear_422(client, session):
    headers = auth_headers(client, make_user(session, Role.rep))
    response = client.post("/api/roleplays", json={"scenario_id": TMS, "lang": "fr"}, headers=headers)
    assert response.status_code == 422 and "lang" in response.text


def test_turn_feedback_carries_tone_and_keeps_its_old_fields(client, session):
    headers = auth_headers(client, make_user(session, Role.rep))
    roleplay_id = start(client, headers, TMS)["id"]
    rude = client.post(
        f"/api/roleplays/{roleplay_id}/turns", json={"text": "路通科技那种破软件，您敢用？"}, headers=headers
    ).json()["feedback"]
    assert rude["tone"] == "rude" and rude["trust_delta"] < 0
    for name in (
        "spin",
        "is_question",
        "is_pitch",
        "premature_pitch",
        "asks_commitment",
        "uncovered",
        "trust",
        "trust_delta",
        "objection_raised",
        "tip",
        "commitment_won",
    ):
        assert name in rude, name
    fine = client.post(
        f"/api/roleplays/{roleplay_id}/turns", json={"text": "你们现在能列出每个月的运输成本数据吗？"}, headers=headers
    ).json()["feedback"]
    assert fine["tone"] == "ok" and not fine["injection_blocked"]


def test_the_chat_page_keeps_the_scenario_card_and_says_why_a_question_was_held_back(client, session):
    rep = make_user(session, Role.rep, team="A组")
    csrf = signed_in(client, rep)
    url = start_page(client, csrf, TMS)
    scenario = load_scenarios()[TMS]
    page = client.get(url).text
    assert 'id="scenario-brief"' in page and scenario.deal_context in page and scenario.our_offering in page
    # two early pitches cool the buyer down; a problem question is then held back and the sidebar says why
    for line in ("我们的系统功能很全，很多物流公司在用。", "我们的产品还能自动对账，价格也便宜。", "回程空驶多吗？"):
        fragment = send(client, url, csrf, line)
        stream_url = re.search(r'sse-connect="([^"]+)"', fragment.text).group(1)
        events = sse_blocks(client.get(stream_url).text)
    assert 'id="coach-held-back"' in events["feedback"]
    assert scenario.fact("p_empty_miles").text not in events["done"]
    page = client.get(url).text
    assert 'id="coach-held-back"' in page and "空驶" in page.split('id="coach-held-back"')[1][:400]
