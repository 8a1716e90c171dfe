"""Authorization table for people and teams (see tests/utils/authz.py).

Admins manage everyone; a manager manages the reps of the teams they lead (another team's manager: 404 for
their reps, as if missing); reps may never. Everyone changes their own password.
"""

from itertools import count

import pytest

from tests.utils.authz import case, check_case, everyone, owner_id, owner_team_id
from tests.utils.factories import PASSWORD

_serial = count(1)

REPS_NEVER = {"anonymous": 401, "owner": 403, "other_rep": 403}
# The owner's manager and admins may; the other team's manager sees no such rep.
OWNERS_MANAGER = REPS_NEVER | {"manager_of_team": 200, "manager_of_other_team": 404, "admin": 200}
ADMIN_ONLY = REPS_NEVER | {"manager_of_team": 403, "manager_of_other_team": 403}


def new_rep_in_team_a() -> dict:
    return {"username": f"newrep{next(_serial)}", "display_name": "新人", "role": "rep", "team_id": TEAM_A[0]}


def new_team() -> dict:
    return {"name": f"新团队{next(_serial)}"}


TEAM_A: list[int] = [0]  # set per test from the world, so bodies can name team A by id


@pytest.fixture(autouse=True)
def _team_a(world_users):
    TEAM_A[0] = world_users["owner"].team_id


CASES = [
    case("GET", "/api/users", REPS_NEVER | {"manager_of_team": 200, "manager_of_other_team": 200, "admin": 200}),
    case("GET", "/api/users?team_id={obj}", OWNERS_MANAGER, obj=owner_team_id),
    case(
        "POST",
        "/api/users",
        REPS_NEVER | {"manager_of_team": 201, "manager_of_other_team": 404, "admin": 201},
        new_rep_in_team_a,
    ),
    case(
        "POST", "/api/users/import", REPS_NEVER | {"manager_of_team": 422, "manager_of_other_team": 422, "admin": 422}
    ),
    case("PATCH", "/api/users/{obj}", OWNERS_MANAGER, {"display_name": "改名"}, obj=owner_id),
    case("POST", "/api/users/{obj}/reset-password", OWNERS_MANAGER, obj=owner_id),
    case("POST", "/api/me/password", everyone(204), {"current_password": PASSWORD, "new_password": "a-new-password-9"}),
    case("GET", "/api/teams", REPS_NEVER | {"manager_of_team": 200, "manager_of_other_team": 200, "admin": 200}),
    case("POST", "/api/teams", ADMIN_ONLY | {"admin": 201}, new_team),
    case("PATCH", "/api/teams/{obj}", ADMIN_ONLY | {"admin": 200}, {"name": "A组改名"}, obj=owner_team_id),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)
