"""Hardening fixtures: an app on the loopback model server with short timeouts, so injected faults cost little."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.utils.fake_llm import Action, FakeLLM

SHORT_TIMEOUT_S = 0.5  # the client's per-attempt timeout; the fake's "timeout" fault sleeps past it


def sensible_replies(body: dict) -> Action:
    """A buyer line for chat calls and a valid SPIN verdict for structured ones."""
    if body.get("response_format") or body.get("tools"):
        return Action(json={"label": "S", "confidence": 0.7})
    return Action(text="嗯，这个问题我得想一想，我们内部也讨论过。")


@pytest.fixture
def faulty_llm(fake_llm: FakeLLM) -> Iterator[FakeLLM]:
    """The loopback server with sensible replies and a "timeout" fault just past SHORT_TIMEOUT_S."""
    default_sleep = fake_llm.timeout_sleep_s
    fake_llm.responder = sensible_replies
    fake_llm.timeout_sleep_s = SHORT_TIMEOUT_S * 2
    yield fake_llm
    fake_llm.timeout_sleep_s = default_sleep  # reset() keeps it; other tests count on the default


@pytest.fixture
def make_llm_client(make_settings, engine, faulty_llm):
    """Clients of fresh apps (each with its own circuit breaker) in LLM mode; settings may be overridden."""
    opened: list[TestClient] = []

    def factory(**overrides) -> TestClient:
        values = {
            "llm_provider": "openai",
            "openai_base_url": faulty_llm.base_url,
            "openai_api_key": "test-key",
            "llm_model": "fake-model",
            "llm_timeout_s": SHORT_TIMEOUT_S,
            "llm_max_retries": 2,
        }
        values.update(overrides)
        client = TestClient(create_app(make_settings(**values), engine))
        client.__enter__()
        opened.append(client)
        return client

    yield factory
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def hardened_client(make_llm_client) -> Iterator[TestClient]:
    return make_llm_client()
