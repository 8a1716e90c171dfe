"""Per-user rate limits on top of the `limits` library (moving window), through its public storages only.

In memory (the default) the library drops stale hits from a timer thread that a hit may start (~0.3 ms of that
hit's time); that is the price of not reaching into its private methods, which a release may rename.
"""

import time
from functools import lru_cache

from limits import RateLimitItem, parse, storage, strategies


class RateLimiter:
    """Counts hits per (limit name, key); storage is memory by default or any `limits` storage URI."""

    def __init__(self, storage_uri: str = "memory://") -> None:
        self._storage = storage.storage_from_string(storage_uri)
        self.in_process = isinstance(self._storage, storage.MemoryStorage)  # no I/O: callable on the event loop
        self._strategy = strategies.MovingWindowRateLimiter(self._storage)

    def hit(self, limit: str, *identifiers: str) -> float | None:
        """Record one hit; the seconds to wait when the limit is exceeded, else None."""
        item = _parsed(limit)
        if self._strategy.hit(item, *identifiers):
            return None
        reset_at = self._strategy.get_window_stats(item, *identifiers).reset_time
        return max(1.0, reset_at - time.time())

    def reset(self) -> None:
        self._storage.reset()


@lru_cache(maxsize=64)
def _parsed(limit: str) -> RateLimitItem:
    """A limit setting ("20/minute") parsed once: parsing is most of a hit's cost."""
    return parse(limit)
