"""Run a coroutine to completion from a test, even when this thread already runs an event loop.

A browser test earlier in the same process leaves Playwright's loop running in the main thread, and asyncio.run()
refuses to start a second one there; a thread of its own always can.
"""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
