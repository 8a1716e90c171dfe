"""Role-plays driven through the API (and the chat pages) in tests."""

from __future__ import annotations

from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import csrf_from, web_login

VITAMIN = "mfg_vitamin_erp"
# The LLM-mode buyer tests: a question that reveals s_current_erp, a fact it must not reveal, the model's wording.
VITAMIN_SCENARIO = load_scenarios()[VITAMIN]
SITUATION_QUESTION = "目前贵公司在现有系统方面是怎么安排的？能具体介绍一下吗？"
HIDDEN = VITAMIN_SCENARIO.fact("p_batch_trace").text  # needs s_export first: never revealed by that question
WORDED = "嗯，说实在的，我们那套老软件用了七年了，生产和质量基本靠表格和纸。"


def start(client, headers, scenario_id: str = VITAMIN) -> dict:
    response = client.post("/api/roleplays", json={"scenario_id": scenario_id}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def play(client, headers, scenario_id: str, lines: list[str]) -> tuple[int, list[dict]]:
    """Say each line until the buyer ends the call; returns the session id and the turn responses."""
    roleplay_id = start(client, headers, scenario_id)["id"]
    results = []
    for line in lines:
        response = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}, headers=headers)
        assert response.status_code == 200, response.text
        results.append(response.json())
        if results[-1]["state"]["finished"]:
            break
    return roleplay_id, results


# --- the chat pages: sign in, start from the picker, send a message (htmx) ---------------------------------


def signed_in(client, user) -> str:
    web_login(client, user.username)
    return csrf_from(client.get("/roleplay").text)


def start_page(client, csrf: str, scenario_id: str = VITAMIN) -> str:
    response = client.post(
        "/roleplay/start", data={"csrf_token": csrf, "scenario_id": scenario_id}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def send(client, url: str, csrf: str, text: str):
    return client.post(f"{url}/messages", data={"text": text}, headers={"X-CSRF-Token": csrf, "HX-Request": "true"})
