"""Load test: 200 concurrent role-play sessions against the app on loopback, offline and with a model of fixed latency,
on SQLite and PostgreSQL, with one uvicorn worker and with `--workers 2`.

Run from the repo root:
    .venv/bin/python -m bench.load_test [--sessions 200] [--turns 5] [--think-ms 2000] [--model-latency-ms 300]
                                        [--runs sqlite-offline-1,sqlite-llm-1,...]

Each run: a fresh database (PostgreSQL: database `test` on 127.0.0.1:5432, under /tmp/pg-test.lock for the whole
run), the app under uvicorn, and for `llm` runs the loopback OpenAI-compatible test server answering after a
fixed latency (a turn makes one model call, the buyer's streamed reply; the SPIN second opinion is opt-in). Every
session is one rep: start a session, then say the strong scripted rep's lines through POST /api/roleplays/{id}/turns,
pausing a think time (jittered 0.5-1.5x) between a reply and the next turn. All sessions run at once.
Reported per run: turns per second, turn latency p50/p95/p99, error rate (any non-200 or transport error), and
with two workers how many sessions had turns served by both (from the access log, which carries the worker pid):
the session state lives in the database, so either worker can take any turn. The rate limiter and the model
circuit breaker are per process: with N workers a user's effective limit is up to N times the setting.
Loopback only, bounded: sessions x turns requests per run and --max-seconds per run. Writes bench/results/load.json
(or --output).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import nullcontext
from pathlib import Path

import httpx

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.roleplay.scenarios import load_scenarios  # noqa: E402
from bench import REPO_ROOT  # noqa: E402
from bench.harness import (  # noqa: E402
    POSTGRES_URL,
    bearer,
    latency_summary,
    machine,
    postgres_lock,
    prepare_database,
    start_app,
    start_fake_llm,
)
from tests.utils.scripted_reps import strong_rep_lines  # noqa: E402

RESULT_PATH = REPO_ROOT / "bench" / "results" / "load.json"
SCENARIO = "mfg_vitamin_erp"
ALL_RUNS = [
    "sqlite-offline-1",
    "sqlite-llm-1",
    "sqlite-offline-2",
    "sqlite-llm-2",
    "postgres-offline-1",
    "postgres-llm-1",
    "postgres-offline-2",
    "postgres-llm-2",
]
MODEL_CALLS_PER_TURN = 1
WARM_UP_TURNS_PER_WORKER = 4  # the first turn in a process loads jieba, the playbook and the scenarios
_TURN_LINE = re.compile(r'^(\d+) .*"POST /api/roleplays/(\d+)/turns ')


class Load:
    """What the sessions of one run measured."""

    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.requests = 0  # session starts and turns
        self.errors: Counter[str] = Counter()
        self.roleplay_ids: set[int] = set()


async def session(
    client: httpx.AsyncClient,
    user_id: int,
    lines: list[str],
    turns: int,
    think_s: float,
    deadline: float,
    rng: random.Random,
    load: Load,
) -> None:
    """One rep: a session, then `turns` turns with a think time (a new session when the buyer ends the call)."""
    headers = bearer(user_id)
    await asyncio.sleep(rng.uniform(0, think_s))  # reps do not all start in the same millisecond
    said = 0
    while said < turns and time.monotonic() < deadline:
        load.requests += 1
        try:
            started = await client.post("/api/roleplays", json={"scenario_id": SCENARIO}, headers=headers)
        except httpx.HTTPError as error:
            load.errors[f"start {type(error).__name__}"] += 1
            return
        if started.status_code != 201:
            load.errors[f"start {started.status_code}"] += 1
            return
        roleplay_id = started.json()["id"]
        load.roleplay_ids.add(roleplay_id)
        for line in lines:
            if said >= turns or time.monotonic() >= deadline:
                return
            load.requests += 1
            began = time.perf_counter()
            try:
                response = await client.post(
                    f"/api/roleplays/{roleplay_id}/turns", json={"text": line}, headers=headers
                )
            except httpx.HTTPError as error:
                load.errors[type(error).__name__] += 1
                said += 1
                continue
            load.latencies_ms.append((time.perf_counter() - began) * 1000)
            said += 1
            if response.status_code != 200:
                load.errors[f"turn {response.status_code}"] += 1
                continue
            if response.json()["state"]["finished"]:
                break
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))


async def drive(
    base_url: str, user_ids: list[int], turns: int, think_s: float, max_seconds: float
) -> tuple[Load, float]:
    lines = strong_rep_lines(load_scenarios()[SCENARIO])[:-1]  # the questions, without the closing ask
    # Idle connections are dropped after 4 s, before uvicorn closes them at 5 s: otherwise a POST can race the
    # server's close and fail with a ReadError that says nothing about the service.
    limits = httpx.Limits(
        max_connections=len(user_ids) + 10, max_keepalive_connections=len(user_ids) + 10, keepalive_expiry=4.0
    )
    load = Load()
    began = time.perf_counter()
    deadline = time.monotonic() + max_seconds
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        await asyncio.gather(
            *(
                session(client, user_id, lines, turns, think_s, deadline, random.Random(index), load)
                for index, user_id in enumerate(user_ids)
            )
        )
    return load, time.perf_counter() - began


def warm_up(base_url: str, user_id: int, workers: int) -> None:
    """A few untimed turns, each on a new connection so that every worker process gets some."""
    for _ in range(WARM_UP_TURNS_PER_WORKER * workers):
        with httpx.Client(base_url=base_url, timeout=120, headers=bearer(user_id)) as client:
            roleplay_id = client.post("/api/roleplays", json={"scenario_id": SCENARIO}).json()["id"]
            client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": "您好，能介绍一下贵公司吗？"})


def sessions_on_both_workers(access_log: Path, roleplay_ids: set[int]) -> tuple[int, int]:
    """(sessions whose turns were served by more than one worker pid, worker pids seen)."""
    pids_by_session: dict[int, set[str]] = defaultdict(set)
    for line in access_log.read_text(errors="replace").splitlines():
        match = _TURN_LINE.match(line)
        if match and int(match.group(2)) in roleplay_ids:
            pids_by_session[int(match.group(2))].add(match.group(1))
    pids = set().union(*pids_by_session.values()) if pids_by_session else set()
    return sum(1 for seen in pids_by_session.values() if len(seen) > 1), len(pids)


def run(name: str, sessions: int, turns: int, think_s: float, model_latency_s: float, max_seconds: float) -> dict:
    database, mode, workers = name.split("-")
    with (
        tempfile.TemporaryDirectory(prefix=f"load-{name}-") as folder,
        postgres_lock() if database == "postgres" else nullcontext(),
    ):
        data_dir = Path(folder)
        url = POSTGRES_URL if database == "postgres" else f"sqlite:///{data_dir / 'load.db'}"
        user_ids = prepare_database(url, sessions)
        model = start_fake_llm(model_latency_s) if mode == "llm" else None
        access_log = data_dir / "access.log"
        app = start_app(
            data_dir, url, llm_base_url=model.base_url if model else None, workers=int(workers), access_log=access_log
        )
        try:
            warm_up(app.base_url, user_ids[0], int(workers))
            load, seconds = asyncio.run(drive(app.base_url, user_ids, turns, think_s, max_seconds))
        finally:
            app.stop()
            if model is not None:
                model.stop()
        both, pids = sessions_on_both_workers(access_log, load.roleplay_ids)
    errors = sum(load.errors.values())
    result = {
        "run": name,
        "database": database,
        "mode": mode,
        "workers": int(workers),
        "sessions": sessions,
        "turns": len(load.latencies_ms),
        "seconds": round(seconds, 1),
        "turns_per_s": round(len(load.latencies_ms) / seconds, 1),
        "requests": load.requests,
        "errors": errors,
        "error_rate": round(errors / max(1, load.requests), 4),
        "error_kinds": dict(load.errors),
        "latency_ms": latency_summary(load.latencies_ms),
        "worker_pids_seen": pids,
        "sessions_served_by_both_workers": both if int(workers) > 1 else None,
    }
    if mode == "llm":
        result["model_latency_ms"] = model_latency_s * 1000
        result["model_ms_per_turn"] = MODEL_CALLS_PER_TURN * model_latency_s * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--turns", type=int, default=5, help="turns per session")
    parser.add_argument("--think-ms", type=float, default=2000.0, help="mean pause between a reply and the next turn")
    parser.add_argument("--model-latency-ms", type=float, default=300.0)
    parser.add_argument("--max-seconds", type=float, default=180.0, help="per run: no new turns after this")
    parser.add_argument("--runs", default=",".join(ALL_RUNS))
    parser.add_argument("--output", default=str(RESULT_PATH.relative_to(REPO_ROOT)), help="where to write the JSON")
    args = parser.parse_args()
    runs = args.runs.split(",")
    if not (1 <= args.sessions <= 500 and 1 <= args.turns <= 50 and args.max_seconds <= 600) or not set(runs) <= set(
        ALL_RUNS
    ):
        parser.error(f"keep it bounded (1..500 sessions, 1..50 turns, <= 600 s) and pick runs from {ALL_RUNS}")
    results = []
    for name in runs:
        results.append(
            run(name, args.sessions, args.turns, args.think_ms / 1000, args.model_latency_ms / 1000, args.max_seconds)
        )
        latency = results[-1]["latency_ms"]
        print(
            f"{name:<20} {results[-1]['turns']:>5} turns {results[-1]['turns_per_s']:>6}/s  "
            f"p50 {latency.get('p50')} ms  p95 {latency.get('p95')} ms  errors {results[-1]['error_rate']:.2%}  "
            f"both workers: {results[-1]['sessions_served_by_both_workers']}",
            flush=True,
        )
    report = {
        "machine": machine(),
        "sessions": args.sessions,
        "turns_per_session": args.turns,
        "think_ms": args.think_ms,
        "model_latency_ms": args.model_latency_ms,
        "runs": results,
    }
    output = REPO_ROOT / args.output
    output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written to {output.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
