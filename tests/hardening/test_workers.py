"""Two uvicorn worker processes sharing Redis behave like one: a stream opened on either worker finds what the
other accepted (the streamed Ask, the role-play), and the per-user limits count across both."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
import redis

from tests.utils.redis import REDIS_URL, redis_reachable
from tests.utils.server import running_server
from tests.utils.sse import read_sse

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379")]

ASKS_PER_HOUR = 40  # per hour, not minute: on a loaded machine the 30 streams may take longer than a minute
STREAMS = 25


def fresh(method: str, url: str, **kwargs) -> httpx.Response:
    """One request on a new connection, so the kernel may hand it to either worker."""
    return httpx.request(
        method, url, timeout=30, headers={"Connection": "close", **kwargs.pop("headers", {})}, **kwargs
    )


def test_streams_and_limits_hold_across_two_workers(tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()  # database 5 is this suite's: counts from earlier runs go
    with running_server(
        tmp_path,
        workers=2,
        RATE_LIMIT_STORAGE=REDIS_URL,
        RATE_LIMIT_ASKS=f"{ASKS_PER_HOUR}/hour",
        RATE_LIMIT_TURNS="100/minute",
    ) as base_url:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app.cli",
                "user",
                "create",
                "--username",
                "worker-rep",
                "--password",
                "worker-password-1",
            ],
            check=True,
            capture_output=True,
            timeout=120,
            env={**os.environ, "DATA_DIR": str(tmp_path), "PASSWORD_HASH_COST": "test"},
        )
        token = fresh(
            "POST", f"{base_url}/api/auth/token", data={"username": "worker-rep", "password": "worker-password-1"}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}

        ask_statuses = []
        for _ in range(STREAMS):
            started = fresh("POST", f"{base_url}/api/asks", json={"question": "什么是SPIN？"}, headers=auth)
            assert started.status_code == 201, started.text
            stream = fresh("GET", base_url + started.json()["stream_url"], headers=auth)
            ask_statuses.append(stream.status_code)
            if stream.status_code == 200:
                assert [name for name, _ in read_sse(stream.text)][-1] == "done"
        assert ask_statuses.count(404) == 0, ask_statuses

        roleplay = fresh("POST", f"{base_url}/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=auth)
        turn_statuses = []
        for _ in range(5):
            message = fresh(
                "POST",
                f"{base_url}/api/roleplays/{roleplay.json()['id']}/messages",
                json={"text": "目前贵公司在现有系统方面是怎么安排的？"},
                headers=auth,
            )
            assert message.status_code == 202, message.text
            stream = fresh("GET", base_url + message.json()["stream_url"], headers=auth)
            turn_statuses.append(stream.status_code)
            if stream.status_code == 200:
                assert [name for name, _ in read_sse(stream.text)][-1] == "done"
        assert turn_statuses == [200] * 5

        more = [
            fresh("POST", f"{base_url}/api/asks", json={"question": "SPIN"}, headers=auth).status_code
            for _ in range(ASKS_PER_HOUR - STREAMS + 5)
        ]
        assert more.count(201) == ASKS_PER_HOUR - STREAMS and more.count(429) == 5, (
            f"{more.count(201)} accepted after {STREAMS}: the limit of {ASKS_PER_HOUR} is not shared"
        )
