"""Authorization table for the foundation's routes (see tests/utils/authz.py)."""

import pytest

from tests.utils.authz import case, check_case, everyone

CASES = [
    case("GET", "/api/me", everyone(200)),
    case("POST", "/api/auth/logout", everyone(204)),  # each ends only its own sessions
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)
