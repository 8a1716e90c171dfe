"""Role × endpoint × ownership table: every protected route, called by every kind of actor.

The world: team A (manager_a, rep_a1, rep_a2), team B (manager_b, rep_b1), and an admin. Objects are
created by `OBJECT_FACTORIES` owned by rep_a1; a case names the path with `{obj}` standing for the id.
Expected codes: what each actor gets. New routes add rows to CASES (and a factory when they need an object).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Role
from tests.utils.factories import auth_headers, make_user

ACTORS = ("anonymous", "owner", "other_rep", "manager_of_team", "manager_of_other_team", "admin")


def _case(method, path, codes: dict[str, int], body=None, obj: str | None = None):
    return pytest.param(method, path, codes, body, obj, id=f"{method} {path}")


def everyone(code: int) -> dict[str, int]:
    return {actor: (401 if actor == "anonymous" else code) for actor in ACTORS}


def owner_manager_admin(ok: int, others: int = 404) -> dict[str, int]:
    return {"anonymous": 401, "owner": ok, "other_rep": others, "manager_of_team": ok,
            "manager_of_other_team": others, "admin": ok}


def managers_only(ok: int) -> dict[str, int]:
    return {"anonymous": 401, "owner": 403, "other_rep": 403, "manager_of_team": ok,
            "manager_of_other_team": ok, "admin": ok}


# Object factories: (client, headers of the owner rep_a1, session) -> id of a new object owned by rep_a1.
OBJECT_FACTORIES: dict[str, Callable[[TestClient, dict, Session], int]] = {}

CASES = [
    _case("GET", "/api/me", everyone(200)),
]


@pytest.fixture
def world(client, session):
    people = {
        "owner": make_user(session, Role.rep, team="A组"),
        "other_rep": make_user(session, Role.rep, team="B组"),
        "manager_of_team": make_user(session, Role.manager, team="A组"),
        "manager_of_other_team": make_user(session, Role.manager, team="B组"),
        "admin": make_user(session, Role.admin),
    }
    headers = {actor: auth_headers(client, user) for actor, user in people.items()}
    headers["anonymous"] = {}
    return headers


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access_table(client, session, world, method, path, codes, body, obj):
    url = path
    if obj is not None:
        url = path.replace("{obj}", str(OBJECT_FACTORIES[obj](client, world["owner"], session)))
    for actor in ACTORS:
        response = client.request(method, url, json=body, headers=world[actor])
        assert response.status_code == codes[actor], f"{actor}: {method} {url} → {response.status_code} {response.text[:200]}"
