"""Schemathesis over the OpenAPI schema, signed in as a manager: no generated request gets a 5xx, and auth is enforced.

Bounded: a few examples per operation (about a minute for the whole schema). Besides `not_a_server_error`,
`ignored_auth` replays each successful call without a token and with a wrong one and fails if either is accepted.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth

from app.config import Settings
from app.main import create_app
from app.models import Role
from tests.utils.factories import auth_headers, make_user

EXAMPLES_PER_OPERATION = 6


class AppUnderTest:
    """Forwards to the current test's app: schemathesis reads the schema at import time, before any fixture runs.

    (`schemathesis.pytest.from_fixture` would do this, but it does not work with pytest 9.)
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


# Serves only /openapi.json until a test swaps in its own app; the schema does not depend on the database.
app_under_test = AppUnderTest(
    create_app(
        Settings(
            _env_file=None,
            database_url="sqlite://",
            llm_provider="offline",
            secret_key="schema-only-secret-key-0123456789abcdef",
        )
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app_under_test)


@pytest.fixture
def fuzz_app(make_settings, engine):
    # Generous limits: the fuzzer should reach the handlers, not stop at 429 (rate limits have their own tests).
    lots = "100000/minute"
    app = create_app(make_settings(rate_limit_turns=lots, rate_limit_asks=lots, rate_limit_login=lots), engine)
    schema_only, app_under_test.app = app_under_test.app, app
    yield app
    app_under_test.app = schema_only


@pytest.fixture
def manager_headers(fuzz_app, session) -> dict[str, str]:
    """A manager of team A with one rep who has a session: ids 1.. exist, so some generated ids hit real rows."""
    manager = make_user(session, Role.manager, team="A组")
    rep = make_user(session, Role.rep, team="A组")
    with TestClient(fuzz_app) as client:
        rep_headers = auth_headers(client, rep)
        roleplay = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=rep_headers).json()
        client.post(
            f"/api/roleplays/{roleplay['id']}/turns", json={"text": "您目前的系统是怎么用的？"}, headers=rep_headers
        )
        return auth_headers(client, manager)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_auth_enforced(case, manager_headers):
    response = case.call(headers=manager_headers)
    case.validate_response(response, checks=[not_a_server_error, ignored_auth])
