"""Helpers for the role × endpoint × ownership tables (tests/api/test_authz_*.py).

The world: team A (owner = a rep, manager_of_team), team B (other_rep, manager_of_other_team), and an
admin. A case is (method, path, expected code per actor, json body or a function making one, object factory name); `{obj}` in the
path stands for the id of an object the factory creates for the owner rep.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import RolePlay, TeamManager, User
from tests.utils.factories import make_drill

ACTORS = ("anonymous", "owner", "other_rep", "manager_of_team", "manager_of_other_team", "admin")

# (client, owner's headers, session) -> id of a new object owned by the owner rep.
ObjectFactory = Callable[[TestClient, dict, Session], int | str]


def case(method: str, path: str, codes: dict[str, int], body=None, obj: ObjectFactory | None = None):
    return pytest.param(method, path, codes, body, obj, id=f"{method} {path}")


def everyone(code: int) -> dict[str, int]:
    return {actor: (401 if actor == "anonymous" else code) for actor in ACTORS}


def owner_manager_admin(ok: int, others: int = 404) -> dict[str, int]:
    """The owner, the owner's manager and admins may; other reps and other managers see nothing."""
    return {
        "anonymous": 401,
        "owner": ok,
        "other_rep": others,
        "manager_of_team": ok,
        "manager_of_other_team": others,
        "admin": ok,
    }


def owner_only(ok: int, others: int = 404) -> dict[str, int]:
    return {
        "anonymous": 401,
        "owner": ok,
        "other_rep": others,
        "manager_of_team": others,
        "manager_of_other_team": others,
        "admin": others,
    }


def managers_only(ok: int) -> dict[str, int]:
    return {
        "anonymous": 401,
        "owner": 403,
        "other_rep": 403,
        "manager_of_team": ok,
        "manager_of_other_team": ok,
        "admin": ok,
    }


def check_case(client, session, world, method, path, codes, body, obj) -> None:
    for actor in ACTORS:
        url = path
        if obj is not None:  # a fresh object per actor, so writes by one actor do not affect the next
            url = path.replace("{obj}", str(obj(client, world["owner"], session)))
        payload = body() if callable(body) else body  # a factory, where each actor needs a body of their own
        response = client.request(method, url, json=payload, headers=world[actor])
        assert response.status_code == codes[actor], (
            f"{actor}: {method} {url} -> {response.status_code} {response.text[:200]}"
        )


def owner_writes(ok: int) -> dict[str, int]:
    return {
        "anonymous": 401,
        "owner": ok,
        "other_rep": 404,
        "manager_of_team": 403,
        "manager_of_other_team": 404,
        "admin": 403,
    }


def new_opportunity(client, owner_headers, _session) -> int:
    return client.post(
        "/api/opportunities", json={"account": "华东精工", "amount": 500000}, headers=owner_headers
    ).json()["id"]


# --- object factories shared by several tables: the owner rep's drill, attempt, note, id and team ------------

DRILL_SCENARIO = "edu_smart_academic"


def whoami(client, headers) -> dict:
    return client.get("/api/me", headers=headers).json()


def owner_drill(client, headers, session) -> int:
    """A drill assigned to the owner by their team's manager."""
    me = whoami(client, headers)
    manager_id = session.exec(select(TeamManager.user_id).where(TeamManager.team_id == me["team_id"])).first()
    owner = session.get(User, me["id"])
    return make_drill(session, session.get(User, manager_id), assign=[owner], scenario_id=DRILL_SCENARIO).id


def owner_attempt(client, headers, session) -> int:
    """A finished attempt on that drill, made by the owner through the role-play API."""
    started = client.post("/api/roleplays", json={"drill_id": owner_drill(client, headers, session)}, headers=headers)
    assert started.status_code == 201, started.text
    roleplay_id = started.json()["id"]
    client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": "目前教务排课是怎么安排的？"}, headers=headers)
    assert client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).status_code == 200
    return roleplay_id


def owner_attempt_note(client, headers, session) -> int:
    return session.get(RolePlay, owner_attempt(client, headers, session)).note_id


def owner_id(client, headers, _session) -> int:
    return whoami(client, headers)["id"]


def owner_team_id(client, headers, _session) -> int:
    return whoami(client, headers)["team_id"]
