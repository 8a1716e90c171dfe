"""Authorization table for role-play, scenarios, coach and notes routes (see tests/utils/authz.py)."""

import pytest

from tests.utils.authz import case, check_case, everyone, managers_only, owner_manager_admin, owner_only

QUESTION = {"text": "目前贵公司在现有系统方面是怎么安排的？"}


def new_roleplay(client, headers, _session) -> int:
    response = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def new_stream(client, headers, session) -> str:
    """`{id}/stream?turn={turn}` of a fresh message in the owner's session."""
    roleplay_id = new_roleplay(client, headers, session)
    turn_id = client.post(f"/api/roleplays/{roleplay_id}/messages", json=QUESTION, headers=headers).json()["turn_id"]
    return f"{roleplay_id}/stream?turn={turn_id}"


def new_note(client, headers, session) -> int:
    roleplay_id = new_roleplay(client, headers, session)
    client.post(f"/api/roleplays/{roleplay_id}/turns", json=QUESTION, headers=headers)
    return client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).json()["note_id"]


def owner_filter(client, headers, _session) -> str:
    return f"?owner_id={client.get('/api/me', headers=headers).json()['id']}"


CASES = [
    case("GET", "/api/scenarios", everyone(200)),
    case("GET", "/api/scenarios/mfg_vitamin_erp", everyone(200)),
    case("GET", "/api/scenarios/mfg_vitamin_erp?full=true", managers_only(200)),
    case("POST", "/api/roleplays", everyone(201), {"scenario_id": "mfg_vitamin_erp"}),
    case("GET", "/api/roleplays", everyone(200)),
    case("GET", "/api/roleplays{obj}", owner_manager_admin(200), obj=owner_filter),
    case("GET", "/api/roleplays/{obj}", owner_manager_admin(200), obj=new_roleplay),
    case("POST", "/api/roleplays/{obj}/turns", owner_only(200), QUESTION, obj=new_roleplay),
    case("POST", "/api/roleplays/{obj}/messages", owner_only(202), QUESTION, obj=new_roleplay),
    case("GET", "/api/roleplays/{obj}", owner_only(200), obj=new_stream),
    case("POST", "/api/roleplays/{obj}/finish", owner_only(200), obj=new_roleplay),
    case("POST", "/api/coach/spin", everyone(200), QUESTION),
    case("GET", "/api/notes", everyone(200)),
    case("GET", "/api/notes/{obj}", owner_manager_admin(200), obj=new_note),
    case("GET", "/api/notes/{obj}/export?format=md", owner_manager_admin(200), obj=new_note),
    case("GET", "/api/notes/{obj}/export?format=csv", owner_manager_admin(200), obj=new_note),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)
