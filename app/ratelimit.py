"""Per-user rate limits on top of the `limits` library (moving window)."""

import time

from limits import parse, storage, strategies


class RateLimiter:
    """Counts hits per (limit name, key); storage is memory by default or any `limits` storage URI."""

    def __init__(self, storage_uri: str = "memory://") -> None:
        self._storage = storage.storage_from_string(storage_uri)
        self.in_process = isinstance(self._storage, storage.MemoryStorage)  # no I/O: callable on the event loop
        self._strategy = strategies.MovingWindowRateLimiter(self._storage)

    def hit(self, limit: str, *identifiers: str) -> float | None:
        """Record one hit; the seconds to wait when the limit is exceeded, else None."""
        item = parse(limit)
        if self._strategy.hit(item, *identifiers):
            return None
        reset_at = self._strategy.get_window_stats(item, *identifiers).reset_time
        return max(1.0, reset_at - time.time())

    def reset(self) -> None:
        self._storage.reset()
