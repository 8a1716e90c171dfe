"""Per-user rate limits on every turn, ask and login route, API and pages: 429 with Retry-After."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient
from limits import parse, storage

from app.config import Settings
from app.main import create_app
from app.models import Role
from app.ratelimit import RateLimiter
from tests.utils.factories import PASSWORD, auth_headers, csrf_from, make_user, web_login
from tests.utils.redis import REDIS_URL, redis_reachable

LIMIT = 3
TURN = {"text": "目前贵公司在现有系统方面是怎么安排的？"}


@pytest.fixture
def limited_client(make_settings, engine):
    limit = f"{LIMIT}/minute"
    app = create_app(make_settings(rate_limit_turns=limit, rate_limit_asks=limit, rate_limit_login=limit), engine)
    with TestClient(app) as client:
        yield client


def new_roleplay(client, headers) -> str:
    return client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=headers).json()["id"]


def new_flow_run(client, headers) -> str:
    return client.post("/api/flows/opportunity_check/runs", json={}, headers=headers).json()["run_id"]


API_ROUTES = [  # (url with {id}, body, factory for {id}); turn-like routes share one per-user budget
    ("/api/roleplays/{id}/turns", TURN, new_roleplay),
    ("/api/roleplays/{id}/messages", TURN, new_roleplay),
    ("/api/coach/spin", TURN, None),
    ("/api/flow-runs/{id}/answers", {"answer": "华东精工"}, new_flow_run),
    ("/api/ask", {"question": "什么是SPIN？"}, None),
    ("/api/asks", {"question": "什么是SPIN？"}, None),
]


def assert_limited(response) -> None:
    assert response.status_code == 429, response.text[:300]
    retry_after = response.headers.get("retry-after", "")
    assert retry_after.isdigit() and 1 <= int(retry_after) <= 60, f"Retry-After: {retry_after!r}"


@pytest.mark.parametrize("url, body, factory", API_ROUTES, ids=[route[0] for route in API_ROUTES])
def test_api_routes_answer_429_with_retry_after(limited_client, session, url, body, factory):
    def url_for(headers: dict) -> str:
        return url.replace("{id}", str(factory(limited_client, headers))) if factory else url

    headers = auth_headers(limited_client, make_user(session, Role.rep, team="A组"))
    own_url = url_for(headers)
    statuses = [limited_client.post(own_url, json=body, headers=headers).status_code for _ in range(LIMIT)]
    assert 429 not in statuses, statuses
    limited = limited_client.post(own_url, json=body, headers=headers)
    assert_limited(limited)
    assert "rate limit" in limited.json()["detail"]
    other = auth_headers(limited_client, make_user(session, Role.rep, team="A组"))
    assert limited_client.post(url_for(other), json=body, headers=other).status_code != 429, "limits are per user"


def test_token_endpoint_limits_guessing(limited_client, session):
    user = make_user(session, Role.rep)
    for _ in range(LIMIT):
        wrong = limited_client.post("/api/auth/token", data={"username": user.username, "password": "nope"})
        assert wrong.status_code == 401
    assert_limited(limited_client.post("/api/auth/token", data={"username": user.username, "password": PASSWORD}))


def test_login_is_the_strictest_limit_by_default():
    defaults = Settings(_env_file=None)
    per_minute = {
        name: parse(getattr(defaults, name)) for name in ("rate_limit_login", "rate_limit_turns", "rate_limit_asks")
    }
    rate = {name: item.amount / item.get_expiry() for name, item in per_minute.items()}
    assert rate["rate_limit_login"] < min(rate["rate_limit_turns"], rate["rate_limit_asks"]), rate


# --- the in-memory store -----------------------------------------------------------------------------------


def test_the_in_memory_store_is_the_librarys_own_and_its_window_moves():
    """No subclass or private method of `limits`: a renamed private name upstream cannot stop the app starting."""
    limiter = RateLimiter()
    assert limiter.in_process
    assert type(limiter._storage) is storage.MemoryStorage
    assert limiter.hit("2/second", "turns", "user:1") is None
    assert limiter.hit("2/second", "turns", "user:1") is None
    assert 1.0 <= limiter.hit("2/second", "turns", "user:1") <= 2.0, "the third hit within a second waits"
    assert limiter.hit("2/second", "turns", "user:2") is None, "another key counts on its own"
    time.sleep(1.05)
    assert limiter.hit("2/second", "turns", "user:1") is None, "the limit applies again once the window moved on"


# --- the same limits on the pages --------------------------------------------------------------------------


def test_login_form_is_limited_with_retry_after(limited_client, session):
    user = make_user(session, Role.rep)
    token = re.search(r'name="csrf_token" value="([^"]+)"', limited_client.get("/login").text).group(1)
    for _ in range(LIMIT):
        response = limited_client.post(
            "/login", data={"username": user.username, "password": "nope", "csrf_token": token}, follow_redirects=False
        )
        assert response.status_code == 401
    assert_limited(
        limited_client.post(
            "/login",
            data={"username": user.username, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
    )


def signed_in(client, session) -> tuple[dict, dict]:
    """A rep signed in on the web (CSRF header for htmx posts) and their API headers."""
    user = make_user(session, Role.rep, team="A组")
    web_login(client, user.username)
    return {"X-CSRF-Token": csrf_from(client.get("/").text)}, auth_headers(client, user)


def test_ask_page_is_limited_with_retry_after(limited_client, session):
    web, _ = signed_in(limited_client, session)
    for _ in range(LIMIT):
        assert limited_client.post("/ask/asks", data={"question": "什么是SPIN？"}, headers=web).status_code == 200
    assert_limited(limited_client.post("/ask/asks", data={"question": "什么是SPIN？"}, headers=web))


def test_roleplay_page_messages_are_limited_with_retry_after(limited_client, session):
    web, api = signed_in(limited_client, session)
    url = f"/roleplay/{new_roleplay(limited_client, api)}/messages"
    statuses = [limited_client.post(url, data={"text": TURN["text"]}, headers=web).status_code for _ in range(LIMIT)]
    assert 429 not in statuses, statuses
    assert_limited(limited_client.post(url, data={"text": TURN["text"]}, headers=web))


def test_flow_page_answers_are_limited_with_retry_after(limited_client, session):
    web, api = signed_in(limited_client, session)
    url = f"/flows/runs/{new_flow_run(limited_client, api)}/answer"
    browser = web | {"Accept": "text/html"}
    statuses = [
        limited_client.post(url, data={"answer": "华东精工"}, headers=browser).status_code for _ in range(LIMIT)
    ]
    assert 429 not in statuses, statuses
    assert_limited(limited_client.post(url, data={"answer": "华东精工"}, headers=browser))


@pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379 (running on the CI machine)")
def test_a_shared_redis_limit_store_limits_the_same(make_settings, engine, session):
    """RATE_LIMIT_STORAGE=redis://… (shared by every worker process) is counted through a worker thread, same answers."""
    app = create_app(make_settings(rate_limit_turns=f"{LIMIT}/minute", rate_limit_storage=REDIS_URL), engine)
    limiter = app.state.limiter
    assert not limiter.in_process
    limiter.reset()  # user ids repeat between test runs; the counts must not
    try:
        with TestClient(app) as client:
            headers = auth_headers(client, make_user(session, Role.rep, team="A组"))
            statuses = [client.post("/api/coach/spin", json=TURN, headers=headers).status_code for _ in range(LIMIT)]
            assert statuses == [200] * LIMIT
            assert_limited(client.post("/api/coach/spin", json=TURN, headers=headers))
    finally:
        limiter.reset()
