"""Authorization table for closing a deal (see tests/utils/authz.py): a write, so the owner only, as for PATCH."""

import pytest

from tests.utils.authz import case, check_case, new_opportunity, owner_writes

CASES = [
    case("POST", "/api/opportunities/{obj}/outcome", owner_writes(200), body={"outcome": "won"}, obj=new_opportunity),
]


@pytest.mark.parametrize("method, path, codes, body, obj", CASES)
def test_access(client, session, world, method, path, codes, body, obj):
    check_case(client, session, world, method, path, codes, body, obj)
