"""The model circuit in Redis (RATE_LIMIT_STORAGE=redis://…): the per-process breaker's rules, shared by processes."""

from __future__ import annotations

import uuid

import pytest
import redis

from app.llm.resilience import CircuitBreaker
from app.llm.shared_breaker import SharedCircuitBreaker, breaker_for
from tests.utils.redis import REDIS_URL, redis_reachable

pytestmark = pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def key():
    name = f"test-circuit:{uuid.uuid4().hex}"
    yield name
    redis.Redis.from_url(REDIS_URL).delete(name)


def shared(key: str, clock: FakeClock, **options) -> SharedCircuitBreaker:
    return SharedCircuitBreaker(redis.Redis.from_url(REDIS_URL), key=key, clock=clock, **options)


def test_one_process_opens_it_for_all_and_only_one_takes_the_trial(key):
    clock = FakeClock()
    first, second = (shared(key, clock, failure_threshold=2, cooldown_s=30) for _ in range(2))
    first.record_failure()
    first.record_success()  # a success in between resets the streak
    first.record_failure()
    assert second.state == "closed" and second.allow()
    second.record_failure()  # the streak is counted across processes
    assert first.state == second.state == "open"
    assert not second.allow() and second.retry_in_s() == pytest.approx(30)
    clock.now += 30
    assert first.allow(), "the first caller after the cool-down is the trial"
    assert not second.allow(), "every other process waits for the trial's outcome"
    first.record_success()
    assert second.state == "closed" and second.allow()
    assert second.snapshot() == {
        "state": "closed",
        "consecutive_failures": 0,
        "failure_threshold": 2,
        "cooldown_s": 30,
        "retry_in_s": None,
        "shared": True,
    }


def test_redis_storage_means_a_shared_breaker():
    assert isinstance(breaker_for(REDIS_URL), SharedCircuitBreaker)
    assert type(breaker_for("memory://")) is CircuitBreaker


def test_an_unreachable_redis_lets_calls_go(key):
    breaker = SharedCircuitBreaker.from_url("redis://127.0.0.1:1/0", key=key)
    breaker.record_failure()
    assert breaker.allow() and breaker.state == "closed"
