"""Role-play turn latency over HTTP: concurrent sessions against the app under uvicorn on loopback, offline and LLM mode.

Run from the repo root:
    .venv/bin/python bench/roleplay_bench.py [--sessions 50] [--turns 10] [--think-ms 1000]
                                             [--model-latency-ms 200] [--workers 1,2]

Starts the app in a uvicorn subprocess on a free port (SQLite in a temp folder, migrated; bench/harness.py),
mints a bearer token for one rep per session, and has every session say the strong scripted rep's lines through POST /api/roleplays/{id}/turns.
All sessions run at once; like a rep who reads the reply and types the next question, each waits a think
time (default 1 s, jittered 0.5-1.5x, sessions start staggered) before its next turn. Runs:
  offline         the scripted buyer; turn latency p50/p95 (target p95 <= 50 ms on a 2-core machine).
  llm             the same against the loopback OpenAI-compatible test server (tests/utils/fake_llm.py, in
                  its own subprocess) answering after a fixed latency with a buyer-sized reply (MODEL_REPLY, in
                  2-character chunks when streamed; a fallback to the scripted reply counts as an error); a turn
                  makes one model call (the buyer's reply; the SPIN second opinion is opt-in and off here), so app overhead =
                  turn latency - model latency (target <= 10 ms). The model server's own time is measured
                  too (the same request sent to it directly, before the load, STREAMED like every call the app
                  makes, JSON turn included: app.llm.calls.agenerate streams internally): the overhead net of
                  it is what the app, its model client (LangChain, openai) included, adds. The app runs with
                  ROLEPLAY_LLM_UNDERSTANDING off here (--understanding turns it on: then a turn makes two model
                  calls, the reading and the reply, and both are netted off).
  offline_stress  offline with no think time: every session sends its next turn the moment a reply arrives,
                  which shows the throughput ceiling (latency then is mostly queueing).
  offline_alone, llm_alone
                  one session, no think time: a turn's own cost with nothing queued in front of it.
  llm_stream_alone
                  llm_alone through the chat page's path instead of the JSON turn: POST /messages, then the
                  buyer's reply streamed over SSE (GET stream_url) until its `done` event. The JSON turn asks the
                  model for the whole reply in one response; the stream asks for it token by token, and every
                  chunk passes the model client, LangChain, the leak guard and the SSE response.
Each set of runs is repeated per uvicorn worker count (--workers 1,2): one process has one GIL, and the
state lives in the database, so a session's turns may land on either worker.
A short warm-up session runs first (a fresh process loads scenarios and playbook on first use).
Loopback only, bounded: sessions x turns requests per run, 30 s client timeout, both servers stopped at the end.
Writes bench/results/roleplay.json and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.roleplay.llm_buyer import HISTORY_TURNS, BuyerBrief, build_messages  # noqa: E402
from app.roleplay.scenarios import load_scenarios  # noqa: E402
from app.roleplay.scripted_buyer import ScriptedBuyer  # noqa: E402
from app.roleplay.state import SessionState  # noqa: E402
from bench import REPO_ROOT  # noqa: E402
from bench.harness import bearer, latency_summary, machine, prepare_database, start_app, start_fake_llm  # noqa: E402
from tests.utils.scripted_reps import strong_rep_lines  # noqa: E402
from tests.utils.sse import read_sse  # noqa: E402

RESULT_PATH = REPO_ROOT / "bench" / "results" / "roleplay.json"
SCENARIO = "mfg_vitamin_erp"
# What the model server answers in LLM mode: a buyer-sized reply (110 characters, no figure or phrase of the
# scenario's hidden facts, so the leak guard lets it through), when streamed two characters per chunk, about as a
# real model streams Chinese tokens. Every chunk passes the model client, LangChain and the leak guard.
MODEL_REPLY = (
    "嗯，这个情况我大概了解了。我们这边现在也在看几家供应商，说实话每家讲得都差不多，我更关心的是落地以后"
    "能不能真的用起来。我们的人手本来就紧，上线那段时间谁来配合、要投入多少精力，这些我得心里有数。"
    "你们以前做过类似规模的企业吗？"
)
MODEL_CHUNK_CHARS = 2
CLIENT_TIMEOUT_S = 30.0


def server_pids(pid: int) -> list[int]:
    """The uvicorn process and, with --workers N, its worker processes."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(child) for child in children.read_text().split())] if children.exists() else [pid]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def json_turn(client: httpx.AsyncClient, roleplay_id: int, line: str, headers: dict[str, str]) -> dict | str:
    """One turn through POST /turns: the result, or what went wrong."""
    response = await client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}, headers=headers)
    return response.json() if response.status_code == 200 else f"turn {response.status_code}"


async def streamed_turn(client: httpx.AsyncClient, roleplay_id: int, line: str, headers: dict[str, str]) -> dict | str:
    """One turn as the chat page takes it: POST /messages, then the reply's SSE stream up to `done`."""
    accepted = await client.post(f"/api/roleplays/{roleplay_id}/messages", json={"text": line}, headers=headers)
    if accepted.status_code != 202:
        return f"message {accepted.status_code}"
    stream = await client.get(accepted.json()["stream_url"], headers=headers)  # read to its end, as the page does
    events = dict(read_sse(stream.text))  # the last of each kind
    if "done" not in events or "feedback" not in events:
        return f"stream {events.get('error', {}).get('status', 'cut')}"
    return {**events["done"], "feedback": events["feedback"]}


async def run_session(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    lines: list[str],
    turns: int,
    think_s: float,
    rng: random.Random,
    latencies: list[float],
    errors: list[str],
    start_gate: asyncio.Event,
    streamed: bool = False,
) -> None:
    """One rep: start a session, then say the lines with a think time (a new session when the buyer ends one)."""
    await start_gate.wait()
    await asyncio.sleep(rng.uniform(0, think_s))  # reps do not all start in the same millisecond
    said = 0
    while said < turns:
        started = await client.post("/api/roleplays", json={"scenario_id": SCENARIO}, headers=headers)
        if started.status_code != 201:
            errors.append(f"start {started.status_code}")
            return
        roleplay_id = started.json()["id"]
        for line in lines:
            if said >= turns:
                return
            began = time.perf_counter()
            try:
                turn = await (streamed_turn if streamed else json_turn)(client, roleplay_id, line, headers)
            except httpx.HTTPError as error:
                errors.append(type(error).__name__)
                return
            latencies.append((time.perf_counter() - began) * 1000)
            said += 1
            if isinstance(turn, str):
                errors.append(turn)
                break
            if turn["feedback"]["reply_source"] == "scripted_fallback":  # the model's reply was not used
                errors.append(f"reply {turn['feedback']['reply_source']}")
            if turn["state"]["finished"]:
                break
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))


async def warm_up(client: httpx.AsyncClient, headers: dict[str, str], lines: list[str]) -> None:
    """One short session before measuring: a fresh process loads the scenarios and the playbook on first use."""
    roleplay_id = (await client.post("/api/roleplays", json={"scenario_id": SCENARIO}, headers=headers)).json()["id"]
    for line in lines[:2]:
        await client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}, headers=headers)
    await client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers)


async def load(base_url: str, user_ids: list[int], turns: int, think_s: float, streamed: bool) -> dict:
    lines = strong_rep_lines(load_scenarios()[SCENARIO])
    limits = httpx.Limits(max_connections=len(user_ids) + 5, max_keepalive_connections=len(user_ids) + 5)
    all_headers = [bearer(user_id) for user_id in user_ids]
    async with httpx.AsyncClient(base_url=base_url, timeout=CLIENT_TIMEOUT_S, limits=limits) as client:
        await warm_up(client, all_headers[0], lines)
        latencies: list[float] = []
        errors: list[str] = []
        gate = asyncio.Event()
        tasks = [
            asyncio.create_task(
                run_session(
                    client, headers, lines, turns, think_s, random.Random(index), latencies, errors, gate, streamed
                )
            )
            for index, headers in enumerate(all_headers)
        ]
        began = time.perf_counter()
        gate.set()
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - began
    return {
        "turns": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "seconds": round(elapsed, 2),
        "turns_per_s": round(len(latencies) / elapsed, 1),
        "latency_ms": latency_summary(latencies),
        "_latencies": latencies,
    }


def model_server_alone(base_url: str, stream: bool, calls: int = 40) -> list[float]:
    """Milliseconds the loopback model server takes for a buyer-sized request sent to it directly, asking for the
    reply streamed or whole as the app's turn does."""
    scenario = load_scenarios()[SCENARIO]
    lines = strong_rep_lines(scenario)
    opening = ScriptedBuyer(scenario).opening(SessionState.start(scenario))
    history = [("rep" if index % 2 else "buyer", lines[index // 2]) for index in range(HISTORY_TURNS)]
    brief = BuyerBrief(scenario=scenario, state=opening.state, say_now=opening.text, history=history, rep_text=lines[0])
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    body = {
        "model": "fake-model",
        "stream": stream,
        "temperature": 0.4,
        "messages": [{"role": roles[message.type], "content": message.content} for message in build_messages(brief)],
    }
    timings: list[float] = []
    with httpx.Client(base_url=base_url, timeout=CLIENT_TIMEOUT_S) as client:
        for _ in range(calls + 5):
            began = time.perf_counter()
            with client.stream("POST", "/chat/completions", json=body) as response:
                for _line in response.iter_lines():  # a whole reply is one JSON body: read all the same
                    pass
            timings.append((time.perf_counter() - began) * 1000)
    return timings[5:]  # the first few open the connection and warm the server


def run_mode(
    mode: str,
    sessions: int,
    turns: int,
    model_latency_s: float,
    think_s: float,
    workers: int,
    understanding: bool = False,
) -> dict:
    llm, streamed = mode.startswith("llm"), mode.startswith("llm_stream")
    if mode.endswith("_alone"):
        sessions, turns, think_s = 1, min(sessions * turns, 50), 0.0
    elif mode.endswith("_stress"):
        think_s = 0.0
    with tempfile.TemporaryDirectory(prefix=f"roleplay-bench-{mode}-") as folder:
        data_dir = Path(folder)
        database_url = f"sqlite:///{data_dir / 'bench.db'}"
        user_ids = prepare_database(database_url, sessions)
        fake = start_fake_llm(model_latency_s, MODEL_REPLY, MODEL_CHUNK_CHARS) if llm else None
        # Every model call of the app streams (the JSON turn too), so the baseline is the streamed request.
        server_alone = model_server_alone(fake.base_url, stream=True) if fake else []
        app = start_app(
            data_dir,
            database_url,
            llm_base_url=fake.base_url if fake else None,
            workers=workers,
            extra_env={"ROLEPLAY_LLM_UNDERSTANDING": "true" if understanding else "false"},
        )
        try:
            pids = server_pids(app.process.pid)
            cpu_before = sum(cpu_seconds(pid) for pid in pids)
            result = asyncio.run(load(app.base_url, user_ids, turns, think_s, streamed))
            # Includes the warm-up session's few requests; small next to sessions x turns.
            cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
            result["app_cpu_ms_per_turn"] = round(cpu * 1000 / result["turns"], 2)
        finally:
            app.stop()
            if fake:
                fake.stop()
    latencies = result.pop("_latencies")
    result |= {
        "mode": mode,
        "sessions": sessions,
        "turns_per_session": turns,
        "think_ms": think_s * 1000,
        "workers": workers,
    }
    if llm:
        # the buyer's reply, plus the model's reading of the turn when understanding is on (the SPIN second opinion is
        # opt-in, not asked here)
        calls_per_turn = 2 if understanding else 1
        model_ms = calls_per_turn * model_latency_s * 1000
        server_ms = latency_summary(server_alone)
        result |= {
            "model_latency_ms": model_latency_s * 1000,
            "model_calls_per_turn": calls_per_turn,
            "understanding": understanding,
            "app_overhead_ms": latency_summary([latency - model_ms for latency in latencies]),
            "model_server_alone_ms": server_ms,
            "app_overhead_net_of_model_server_ms": latency_summary(
                [latency - calls_per_turn * server_ms["p50"] for latency in latencies]
            ),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--turns", type=int, default=10, help="turns per session")
    parser.add_argument("--model-latency-ms", type=float, default=200.0)
    parser.add_argument("--think-ms", type=float, default=1000.0, help="mean pause between a reply and the next turn")
    parser.add_argument("--modes", default="offline_alone,llm_alone,llm_stream_alone,offline,llm,offline_stress")
    parser.add_argument("--workers", default="1,2", help="uvicorn worker processes, one set of runs per value")
    parser.add_argument(
        "--understanding", action="store_true", help="LLM mode: the model also reads each turn (two calls a turn)"
    )
    args = parser.parse_args()
    if not (1 <= args.sessions <= 200 and 1 <= args.turns <= 50):
        parser.error("keep it bounded: 1..200 sessions, 1..50 turns")

    runs = [
        run_mode(
            mode,
            args.sessions,
            args.turns,
            args.model_latency_ms / 1000,
            args.think_ms / 1000,
            int(workers),
            args.understanding,
        )
        for workers in args.workers.split(",")
        for mode in args.modes.split(",")
    ]
    report = {
        "machine": {**machine(), "db": "sqlite"},
        "targets": {"offline_p95_ms": 50, "llm_app_overhead_ms": 10},
        "runs": runs,
    }
    RESULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULT_PATH.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(
        f"{'mode':<15} {'workers':>7} {'turns':>6} {'err':>4} {'turn/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'overhead p50':>13} {'overhead p95':>13} {'net p50':>8} {'net p95':>8} {'cpu ms/turn':>12}"
    )
    for run in runs:
        latency = run["latency_ms"]
        overhead, net = run.get("app_overhead_ms"), run.get("app_overhead_net_of_model_server_ms")
        extra = (
            f"{overhead['p50']:>13} {overhead['p95']:>13} {net['p50']:>8} {net['p95']:>8}"
            if overhead
            else f"{'-':>13} {'-':>13} {'-':>8} {'-':>8}"
        )
        print(
            f"{run['mode']:<15} {run['workers']:>7} {run['turns']:>6} {run['errors']:>4} {run['turns_per_s']:>7} {latency['p50']:>8} "
            f"{latency['p95']:>8} {latency['p99']:>8} {extra} {run['app_cpu_ms_per_turn']:>12}"
        )
    print(f"written to {RESULT_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
