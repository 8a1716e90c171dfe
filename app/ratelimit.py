"""Per-user rate limits on top of the `limits` library (moving window)."""

import time
from functools import lru_cache

from limits import RateLimitItem, parse, storage, strategies

SWEEP_EVERY_S = 1.0  # how often hits that left every window are dropped from memory


class SweptMemoryStorage(storage.MemoryStorage):
    """`limits`' in-memory storage, its expired hits dropped by the hits themselves, at most once a second.

    The library sweeps from a `threading.Timer` that it starts anew on a hit when the last sweep is over, 10 ms
    after it started: outside a burst that is every hit, and starting a thread costs ~0.3 ms of the caller's
    time (it waits until the thread runs), on the event loop where the API counts its hits. Sweeping inline
    costs a bisect per key instead. Counting is the library's; only when stale hits are dropped changes.
    """

    def __init__(self, uri: str | None = None, **options: str) -> None:
        super().__init__(uri, **options)
        self.timer.cancel()  # the sweep the library's constructor started
        self._swept_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the library's private scheduler (see above)
        now = time.monotonic()
        if now - self._swept_at >= SWEEP_EVERY_S:
            self._swept_at = now
            self._MemoryStorage__expire_events()



class RateLimiter:
    """Counts hits per (limit name, key); storage is memory by default or any `limits` storage URI."""

    def __init__(self, storage_uri: str = "memory://") -> None:
        self._storage = (SweptMemoryStorage() if storage_uri.startswith("memory://")
                         else storage.storage_from_string(storage_uri))
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
