"""X-Forwarded-For is believed only from FORWARDED_ALLOW_IPS: by default a client cannot pick the address that the
sign-in limits key on (uvicorn's own default trusts 127.0.0.1, so anything on the host could)."""

from __future__ import annotations

import httpx
import pytest

from app.cli import proxy_options
from app.config import Settings
from tests.utils.server import running_server

pytestmark = pytest.mark.slow


def sign_in_statuses(base_url: str, attempts: int) -> list[int]:
    """Wrong passwords for new names, each claiming to come from a new address through X-Forwarded-For."""
    return [
        httpx.post(
            f"{base_url}/api/auth/token",
            data={"username": f"guess{n}", "password": "wrong-password"},
            headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
            timeout=10,
        ).status_code
        for n in range(attempts)
    ]


def test_forwarded_headers_are_not_trusted_by_default(tmp_path):
    assert proxy_options(Settings(_env_file=None)) == {"proxy_headers": False, "forwarded_allow_ips": None}
    with running_server(tmp_path, RATE_LIMIT_LOGIN_ADDRESS="3/minute") as base_url:
        assert sign_in_statuses(base_url, 4) == [401, 401, 401, 429], "spoofed addresses escaped the limit"


def test_a_configured_proxy_is_believed(tmp_path):
    with running_server(tmp_path, RATE_LIMIT_LOGIN_ADDRESS="3/minute", FORWARDED_ALLOW_IPS="127.0.0.1") as base_url:
        assert sign_in_statuses(base_url, 4) == [401] * 4, "the proxy's clients are told apart"
