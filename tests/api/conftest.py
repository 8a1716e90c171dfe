"""API test fixtures: the authorization world (see tests/utils/authz.py)."""

import pytest

from app.models import Role
from tests.utils.factories import auth_headers, make_user


@pytest.fixture
def world_users(session):
    return {
        "owner": make_user(session, Role.rep, team="A组"),
        "other_rep": make_user(session, Role.rep, team="B组"),
        "manager_of_team": make_user(session, Role.manager, team="A组"),
        "manager_of_other_team": make_user(session, Role.manager, team="B组"),
        "admin": make_user(session, Role.admin),
    }


@pytest.fixture
def world(client, world_users):
    """Bearer headers per actor."""
    headers = {actor: auth_headers(client, user) for actor, user in world_users.items()}
    headers["anonymous"] = {}
    return headers
