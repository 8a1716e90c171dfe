"""Health, tokens, the current user, migrations, and the deny-by-default rule for /api."""

import re

import pytest
from sqlalchemy import text

from app import migrate
from app.db import make_engine
from app.models import Role
from tests.utils.factories import auth_headers, make_user

# Routes reachable without a token. Everything else under /api must answer 401 anonymously.
PUBLIC_API = {("GET", "/api/health"), ("POST", "/api/auth/token")}


def test_health_reports_db_and_engine(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["db"]) == ("ok", "ok")
    assert (body["llm"]["provider"], body["llm"]["model"]) == ("offline", None)


def test_health_names_the_configured_model(llm_client):
    llm = llm_client.get("/api/health").json()["llm"]
    assert (llm["provider"], llm["model"]) == ("openai", "fake-model")


def test_token_and_me(client, session):
    rep = make_user(session, Role.rep, team="北区")
    me = client.get("/api/me", headers=auth_headers(client, rep))
    assert me.status_code == 200
    assert me.json()["username"] == rep.username and me.json()["role"] == "rep"
    assert "password_hash" not in me.json()


def test_wrong_password_and_unknown_user_get_401(client, session):
    rep = make_user(session)
    for username, password in [(rep.username, "wrong-password"), ("nobody", "whatever-1")]:
        response = client.post("/api/auth/token", data={"username": username, "password": password})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


def test_forged_and_garbage_tokens_are_rejected(client, session):
    import jwt

    rep = make_user(session)
    forged = jwt.encode({"sub": str(rep.id)}, "another-secret-of-the-same-length-0123", algorithm="HS256")
    for token in [forged, "garbage", ""]:
        assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_login_is_rate_limited(make_settings, engine, session):
    from fastapi.testclient import TestClient

    from app.main import create_app

    make_user(session, username="target")
    app = create_app(make_settings(rate_limit_login="3/minute"), engine)
    with TestClient(app) as client:
        codes = [
            client.post("/api/auth/token", data={"username": "target", "password": "x" * 9}).status_code
            for _ in range(5)
        ]
    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]


def _anonymous_calls(app):
    for path, operations in app.openapi()["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method in operations:
            yield method.upper(), path, concrete


def test_every_api_route_requires_a_token(client, app):
    checked = 0
    for method, path, concrete in _anonymous_calls(app):
        if (method, path) in PUBLIC_API:
            continue
        response = client.request(method, concrete, json={})
        assert response.status_code == 401, f"{method} {path} answered {response.status_code} anonymously"
        checked += 1
    assert checked >= 1


def test_oversized_body_is_rejected(client, session):
    headers = auth_headers(client, make_user(session))
    response = client.post("/api/auth/token", content=b"x" * (300 * 1024), headers=headers)
    assert response.status_code == 413


def test_security_headers_on_pages_and_api(client):
    for url in ("/login", "/api/health"):
        headers = client.get(url).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_migrations_build_an_empty_database_and_match_the_models(tmp_path, database_url):
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        migrate.check(engine)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        engine.dispose()
    else:
        engine = make_engine(database_url)  # the session database was built by the same migrations
        migrate.check(engine)
        engine.dispose()


@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_each_role_can_sign_in(client, session, role):
    user = make_user(session, role)
    assert client.get("/api/me", headers=auth_headers(client, user)).json()["role"] == role
