"""SQLite durability: a server killed with SIGKILL mid-burst loses no acknowledged turn (bench/durability.py)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.durability import run_round

pytestmark = pytest.mark.slow  # two server starts: about 10-15 s


def test_every_acknowledged_turn_survives_a_sigkill():
    with ThreadPoolExecutor(max_workers=1) as thread:  # asyncio.run needs a thread without a running loop
        result = thread.submit(run_round, reps=4, kill_after=15).result()  # (Playwright's sync API leaves one)
    summary = (
        f"{result.acknowledged} acknowledged, {result.in_flight_at_kill} in flight at the kill, "
        f"missing {result.missing}, replies missing {result.reply_missing}"
    )
    assert result.acknowledged >= 15, summary
    assert result.in_flight_at_kill > 0, f"the kill did not land mid-burst: {summary}"
    assert not result.missing and not result.reply_missing, summary
    assert result.integrity_check == "ok", result.integrity_check
    assert result.pending_answered_by_stream == result.pending_after_restart, (
        f"{result.pending_after_restart - result.pending_answered_by_stream} stored messages never answered"
    )
