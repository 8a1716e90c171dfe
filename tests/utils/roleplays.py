"""Role-plays driven through the API in tests."""

from __future__ import annotations

VITAMIN = "mfg_vitamin_erp"


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
