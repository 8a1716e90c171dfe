"""Authorization table for Ask the playbook: every signed-in role may ask and open passages; anonymous 401."""

import pytest
from sqlmodel import select

from app.knowledge.team_docs import upload_document
from app.models import TeamManager, User
from tests.utils.authz import case, check_case, everyone, managers_only, owner_only

QUESTION = {"question": "摧龙六式有哪六步？"}


def pending_ask(client, owner_headers, _session) -> str:
    """A question the owner posted for streaming; only the owner may open its stream."""
    response = client.post("/api/asks", json=QUESTION, headers=owner_headers)
    assert response.status_code == 201, response.text
    return response.json()["ask_id"]


def team_document(client, owner_headers, session) -> int:
    """A document of the owner's team, uploaded by that team's manager (the world's manager_of_team)."""
    owner_id = client.get("/api/me", headers=owner_headers).json()["id"]
    team_id = session.get(User, owner_id).team_id
    manager = session.exec(
        select(User).join(TeamManager, TeamManager.user_id == User.id).where(TeamManager.team_id == team_id)
    ).first()
    return upload_document(session, manager, "guide.md", "## 指南\n团队的产品说明。".encode()).id


# Managers act on their teams' documents; reps read them; other teams' documents look missing.
TEAM_MANAGER_ONLY = {
    "anonymous": 401,
    "owner": 403,
    "other_rep": 403,
    "manager_of_team": 0,
    "manager_of_other_team": 404,
    "admin": 0,
}

CASES = [
    case("POST", "/api/ask", everyone(200), body=QUESTION),
    case("POST", "/api/asks", everyone(201), body=QUESTION),
    case("GET", "/api/asks/{obj}/stream", owner_only(200), obj=pending_ask),
    case("GET", "/api/knowledge/dragon-steps-overview", everyone(200)),
    case("POST", "/api/knowledge/documents", managers_only(422)),  # authorized, then: no file sent
    case("GET", "/api/knowledge/documents", everyone(200)),
    case(
        "DELETE",
        "/api/knowledge/documents/{obj}",
        TEAM_MANAGER_ONLY | {"manager_of_team": 204, "admin": 204},
        obj=team_document,
    ),
    case(
        "POST",
        "/api/knowledge/documents/{obj}/reindex",
        TEAM_MANAGER_ONLY | {"manager_of_team": 200, "admin": 200},
        obj=team_document,
    ),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)
