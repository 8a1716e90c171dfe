"""Test factories: users and teams in the database, bearer headers for the API, web sign-in."""

import re
from itertools import count

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import create_user
from app.models import Role, User

PASSWORD = "test-password-1"
_serial = count(1)


def make_user(
    session: Session, role: Role | str = Role.rep, team: str | None = None, username: str | None = None
) -> User:
    role = Role(role)
    return create_user(session, username or f"{role.value}{next(_serial)}", PASSWORD, role, team)


def auth_headers(client: TestClient, user: User | str, password: str = PASSWORD) -> dict[str, str]:
    username = user if isinstance(user, str) else user.username
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def web_login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a browser would (CSRF token from the page)."""

    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def csrf_from(html: str) -> str:

    return re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)


def north_and_south(session: Session) -> dict[str, User]:
    """Two teams, each with its manager and one rep: the pages' tests' world."""
    return {
        "manager": make_user(session, Role.manager, team="华北一组", username="mgr_north"),
        "rep": make_user(session, Role.rep, team="华北一组", username="rep_north"),
        "other_manager": make_user(session, Role.manager, team="华南一组", username="mgr_south"),
        "other_rep": make_user(session, Role.rep, team="华南一组", username="rep_south"),
    }
