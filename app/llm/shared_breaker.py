"""The model circuit breaker kept in Redis, so every worker process (and host) opens and closes it together.

Used when RATE_LIMIT_STORAGE points at Redis (the deployment already shares its limits there). The state is one
hash: the failure streak and, while open, when it opened (wall-clock seconds: processes share no monotonic clock).
Each change is one Lua script, so two processes cannot both take a half-open trial. If Redis does not answer, calls
are allowed (the model's own failures still fall back to the offline engine) and the error is logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, cast

import redis

from app.llm.resilience import COOLDOWN_S, FAILURE_THRESHOLD, CircuitBreaker, CircuitState

logger = logging.getLogger(__name__)

KEY = "sales-coach:model-circuit"

# KEYS[1] the hash; ARGV: now, cooldown. 1 = the call may go (closed, or this caller takes the half-open trial).
_ALLOW = """
local opened = redis.call('HGET', KEYS[1], 'opened_at')
if not opened then return 1 end
if tonumber(ARGV[1]) - tonumber(opened) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'opened_at', ARGV[1])
  return 1
end
return 0
"""
# ARGV: now, threshold. Returns the streak; opens (or re-opens) the circuit at the threshold or after a failed trial.
_FAILURE = """
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if redis.call('HEXISTS', KEYS[1], 'opened_at') == 1 or failures >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'opened_at', ARGV[1])
end
return failures
"""


class SharedCircuitBreaker(CircuitBreaker):
    """CircuitBreaker's states and rules, its state in Redis under `key`."""

    def __init__(
        self,
        client: redis.Redis,
        key: str = KEY,
        failure_threshold: int = FAILURE_THRESHOLD,
        cooldown_s: float = COOLDOWN_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(failure_threshold, cooldown_s, clock=clock)
        self.client = client
        self.key = key
        self._allow = client.register_script(_ALLOW)
        self._failure = client.register_script(_FAILURE)

    @classmethod
    def from_url(cls, url: str, **options: Any) -> SharedCircuitBreaker:
        return cls(redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0), **options)

    def _read(self) -> tuple[int, float | None]:
        try:
            failures, opened_at = cast(list[Any], self.client.hmget(self.key, ["failures", "opened_at"]))
        except redis.RedisError:
            logger.exception("model circuit: Redis did not answer; treating the circuit as closed")
            return 0, None
        return int(failures or 0), None if opened_at is None else float(opened_at)

    def _state_of(self, opened_at: float | None) -> CircuitState:
        if opened_at is None:
            return "closed"
        return "half_open" if self._clock() - opened_at >= self.cooldown_s else "open"

    @property
    def state(self) -> CircuitState:
        return self._state_of(self._read()[1])

    def retry_in_s(self) -> float:
        opened_at = self._read()[1]
        return 0.0 if opened_at is None else max(0.0, self.cooldown_s - (self._clock() - opened_at))

    def allow(self) -> bool:
        try:
            return bool(self._allow(keys=[self.key], args=[self._clock(), self.cooldown_s]))
        except redis.RedisError:
            logger.exception("model circuit: Redis did not answer; letting the call go")
            return True

    def record_success(self) -> None:
        try:
            self.client.hdel(self.key, "failures", "opened_at")
        except redis.RedisError:
            logger.exception("model circuit: Redis did not answer; success not recorded")

    def record_failure(self) -> None:
        try:
            failures = self._failure(keys=[self.key], args=[self._clock(), self.failure_threshold])
        except redis.RedisError:
            logger.exception("model circuit: Redis did not answer; failure not recorded")
            return
        if failures == self.failure_threshold:
            logger.warning("model circuit opened after %d consecutive failures", failures)

    def snapshot(self) -> dict[str, Any]:
        failures, opened_at = self._read()
        retry_in = None if opened_at is None else round(max(0.0, self.cooldown_s - (self._clock() - opened_at)), 1)
        return {
            "state": self._state_of(opened_at),
            "consecutive_failures": failures,
            "failure_threshold": self.failure_threshold,
            "cooldown_s": self.cooldown_s,
            "retry_in_s": retry_in,
            "shared": True,
        }

    def reset(self) -> None:
        self.client.delete(self.key)


def breaker_for(storage_uri: str) -> CircuitBreaker:
    """A breaker shared through Redis when the rate limits are (RATE_LIMIT_STORAGE=redis://…), else per process."""
    if storage_uri.startswith(("redis://", "rediss://")):
        return SharedCircuitBreaker.from_url(storage_uri)
    return CircuitBreaker()
