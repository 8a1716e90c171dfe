""" "Next scenario" (weakest skill → a scenario that trains it) also offers the rep's team's published scenarios;
never another team's, a draft, or the scenario just played."""

from __future__ import annotations

import pytest

from app.models import Role
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import auth_headers, make_user, web_login
from tests.utils.scenario_library import builtin_content
from tests.utils.scripted_reps import weak_rep_lines

PLAYED = "edu_smart_academic"


@pytest.fixture
def people(client, session):
    users = {
        "manager": make_user(session, Role.manager, team="A组"),
        "rep": make_user(session, Role.rep, team="A组", username="next_rep_a"),
        "other": make_user(session, Role.rep, team="B组"),
    }
    return {name: auth_headers(client, user) for name, user in users.items()}


def weak_call(client, headers, scenario_id: str = PLAYED) -> tuple[str | None, int]:
    """A weak call on the scenario: the scorecard's suggested next scenario, and the session's id."""
    roleplay_id = client.post("/api/roleplays", json={"scenario_id": scenario_id}, headers=headers).json()["id"]
    for line in weak_rep_lines(load_scenarios()[PLAYED])[:4]:
        client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}, headers=headers)
    finished = client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers)
    assert finished.status_code == 200, finished.text
    return finished.json()["scorecard"]["suggested_next_scenario"], roleplay_id


def team_copy(client, headers, source: str, title: str, publish: bool = True) -> str:
    """The manager's team scenario with a built-in's content (same skills trained, same difficulty)."""
    response = client.post(
        "/api/scenarios", json=builtin_content(source, title_zh=title) | {"team": "A组"}, headers=headers
    )
    assert response.status_code == 201, response.text
    scenario_id = response.json()["id"]
    if publish:
        assert client.post(f"/api/scenarios/{scenario_id}/publish", headers=headers).status_code == 200
    return scenario_id


def test_the_teams_published_scenario_is_suggested_over_an_equal_built_in(client, people):
    built_in, _ = weak_call(client, people["rep"])
    assert built_in in load_scenarios() and built_in != PLAYED
    draft = team_copy(client, people["manager"], built_in, "团队草稿：不该被推荐", publish=False)
    published = team_copy(client, people["manager"], built_in, "团队自编：同样练这项")
    suggested, roleplay_id = weak_call(client, people["rep"])
    assert suggested == published and suggested != draft
    # the scorecard page names it and starts it for the rep
    web_login(client, "next_rep_a")
    page = client.get(f"/roleplay/{roleplay_id}/scorecard").text
    assert "团队自编：同样练这项" in page and "团队草稿" not in page
    # another team's rep still gets the built-in: A组's scenario is not theirs to see
    other, _ = weak_call(client, people["other"])
    assert other == built_in


def test_the_scenario_just_played_is_never_suggested_under_another_version(client, people):
    built_in, _ = weak_call(client, people["rep"])
    published = team_copy(client, people["manager"], built_in, "团队自编：练完换一个")
    suggested, _ = weak_call(client, people["rep"], published)
    assert suggested is not None and suggested != published and not suggested.startswith(published + "_v")
