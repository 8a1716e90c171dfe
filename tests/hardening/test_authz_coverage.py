"""Every route in the OpenAPI schema is in a role × ownership table, denies anonymous callers, and lists leak nothing.

The tables live in tests/api/test_authz_*.py (one per feature, helpers in tests/utils/authz.py). This file
does not repeat them: it resolves each table row to the route it really reaches (object factories run, the
app's router matches the URL) and fails when a route of the schema is in no table.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from urllib.parse import urlsplit

import pytest

import tests.api
import tests.hardening
from app.models import Role
from tests.utils.factories import auth_headers, make_user

# Routes anyone may call: health for load balancers, the token endpoint to sign in.
PUBLIC_ROUTES = {("GET", "/api/health"), ("POST", "/api/auth/token")}


def table_cases() -> list[tuple[str, str, object]]:
    """(method, path, object factory) of every row of every authorization table."""
    rows = []
    for package in (tests.api, tests.hardening):
        for module_info in pkgutil.iter_modules(package.__path__):
            if module_info.name.startswith("test_authz_"):
                module = importlib.import_module(f"{package.__name__}.{module_info.name}")
                rows += [(param.values[0], param.values[1], param.values[4]) for param in getattr(module, "CASES", [])]
    return rows


def schema_operations(app) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, operations in app.openapi()["paths"].items() for method in operations}


def route_of(operations: set[tuple[str, str]], method: str, url: str) -> tuple[str, str] | None:
    """The schema operation a request reaches; literal segments win over parameters, as in the app's router."""
    path = urlsplit(url).path
    matching = [
        (m, template)
        for m, template in operations
        if m == method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path)
    ]
    return min(matching, key=lambda operation: operation[1].count("{"), default=None)


def test_every_route_is_in_an_authorization_table(client, session, world, app):
    operations = schema_operations(app)
    covered = set()
    for method, path, factory in table_cases():
        url = path.replace("{obj}", str(factory(client, world["owner"], session))) if factory else path
        route = route_of(operations, method, url)
        assert route is not None, f"table row {method} {path} reaches no route ({url})"
        covered.add(route)
    missing = sorted(operations - covered - PUBLIC_ROUTES)
    assert not missing, f"{len(missing)} routes are in no tests/api/test_authz_*.py table: {missing}"


def test_every_protected_route_refuses_anonymous_callers(client, app):
    """Deny by default: without a token every route but the public ones answers 401, before any validation."""
    answered = {}
    for method, path in sorted(schema_operations(app) - PUBLIC_ROUTES):
        url = re.sub(r"\{[^}]+\}", "1", path)
        answered[f"{method} {path}"] = client.request(method, url, json={}).status_code
    wrong = {route: status for route, status in answered.items() if status != 401}
    assert not wrong, f"{len(wrong)} of {len(answered)} routes answer anonymous callers: {wrong}"


def test_every_protected_route_refuses_a_deactivated_account(client, app, session):
    """A token stays valid until it expires; the account behind it is checked on every call, and a closed one is out."""
    user = make_user(session, Role.manager, team="A组")
    headers = auth_headers(client, user)
    assert client.get("/api/notes", headers=headers).status_code == 200
    user.is_active = False
    session.add(user)
    session.commit()
    answered = {}
    for method, path in sorted(schema_operations(app) - PUBLIC_ROUTES):
        url = re.sub(r"\{[^}]+\}", "1", path)
        answered[f"{method} {path}"] = client.request(method, url, json={}, headers=headers).status_code
    wrong = {route: status for route, status in answered.items() if status != 401}
    assert not wrong, f"{len(wrong)} of {len(answered)} routes answer a deactivated account: {wrong}"


# --- listings filter, they do not refuse: nothing of team A's rep may show up for team B -----------------------

LISTINGS = [
    "/api/users",
    "/api/teams",
    "/api/roleplays",
    "/api/roleplays?scope=team",
    "/api/notes",
    "/api/flow-runs",
    "/api/opportunities",
    "/api/opportunities/pipeline",
    "/api/drills",
    "/api/team/dashboard",
    "/api/team/export.csv",
    "/api/team/todo",
]


def owner_data(client, headers) -> None:
    """One of everything for the owner rep: a finished role-play with its note, a flow run, an opportunity."""
    roleplay_id = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=headers).json()["id"]
    client.post(
        f"/api/roleplays/{roleplay_id}/turns", json={"text": "目前贵公司在现有系统方面是怎么安排的？"}, headers=headers
    )
    assert client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).status_code == 200
    assert client.post("/api/flows/opportunity_check/runs", json={}, headers=headers).status_code == 201
    assert client.post("/api/opportunities", json={"account": "甲方机密客户"}, headers=headers).status_code == 201


@pytest.mark.parametrize("actor", ["other_rep", "manager_of_other_team"])
def test_listings_show_nothing_of_another_team(client, world, world_users, actor):
    owner = world_users["owner"]
    owner_data(client, world["owner"])
    leaks = {}
    for url in LISTINGS:
        response = client.get(url, headers=world[actor])
        if response.status_code == 403:  # reps may not open team pages at all
            continue
        assert response.status_code == 200, f"{actor} {url}: {response.status_code} {response.text[:200]}"
        text = response.text
        found = [needle for needle in (owner.username, "甲方机密客户") if needle in text]
        if "json" in response.headers["content-type"]:
            data = response.json()
            found += [f"{key}={owner.id}" for key in ("owner_id", "user_id") if _has_value(data, key, owner.id)]
        if found:
            leaks[url] = found
    assert not leaks, f"{actor} sees the owner's data in {len(leaks)} listings: {leaks}"


def test_the_owners_manager_does_see_them(client, world, world_users):
    """The same listings are not simply empty: the manager of team A sees the owner's data (the test can fail)."""
    owner_data(client, world["owner"])
    for url in ("/api/roleplays?scope=team", "/api/notes", "/api/team/dashboard"):
        response = client.get(url, headers=world["manager_of_team"])
        owner_id = world_users["owner"].id
        assert any(_has_value(response.json(), key, owner_id) for key in ("owner_id", "user_id")), url


def _has_value(data: object, key: str, value: int) -> bool:
    if isinstance(data, dict):
        return data.get(key) == value or any(_has_value(item, key, value) for item in data.values())
    if isinstance(data, list):
        return any(_has_value(item, key, value) for item in data)
    return False
