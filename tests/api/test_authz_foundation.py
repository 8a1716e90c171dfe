"""Authorization table for the foundation's routes (see tests/utils/authz.py)."""

import pytest

from tests.utils.authz import case, check_case, everyone

CASES = [
    case("GET", "/api/me", everyone(200)),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)
