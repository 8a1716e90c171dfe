"""Authorization table for Ask the playbook: every signed-in role may ask and open passages; anonymous 401."""

import pytest

from tests.utils.authz import case, check_case, everyone, owner_only

QUESTION = {"question": "摧龙六式有哪六步？"}


def pending_ask(client, owner_headers, _session) -> str:
    """A question the owner posted for streaming; only the owner may open its stream."""
    response = client.post("/api/asks", json=QUESTION, headers=owner_headers)
    assert response.status_code == 201, response.text
    return response.json()["ask_id"]


CASES = [
    case("POST", "/api/ask", everyone(200), body=QUESTION),
    case("POST", "/api/asks", everyone(201), body=QUESTION),
    case("GET", "/api/asks/{obj}/stream", owner_only(200), obj=pending_ask),
    case("GET", "/api/knowledge/dragon-steps-overview", everyone(200)),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)
