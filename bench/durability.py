"""SQLite durability: SIGKILL the server mid-burst of role-play turns, restart it, find every acknowledged turn.

Run from the repo root:
    .venv/bin/python -m bench.durability [--reps 8] [--kill-after 60] [--rounds 3]

Each round: a fresh SQLite database (WAL, synchronous=NORMAL, as app.db sets it) and the app under uvicorn;
`reps` reps send turns back to back (each with a client_id) until `kill-after` turns have been answered with a
200, then the server gets SIGKILL while the other requests are still in flight. Then `PRAGMA integrity_check`,
a restart on the same file, and the checks: every acknowledged turn is stored with its reply, and a message
that was stored but never answered (the crash hit between the two) is answered when its stream is opened.
Loopback only, bounded by reps x turns. Writes bench/results/durability.json.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import sqlite3
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import REPO_ROOT  # noqa: E402
from bench.harness import Server, bearer, machine, prepare_database, start_app  # noqa: E402

RESULT_PATH = REPO_ROOT / "bench" / "results" / "durability.json"
SCENARIO = "mfg_vitamin_erp"
LINES = [
    "目前贵公司在现有系统方面是怎么安排的？",
    "在生产方面您遇到过哪些困难？",
    "这件事如果一直这样下去，会带来什么影响？",
    "如果这个问题能解决，对您意味着什么？",
    "您能具体介绍一下质量管理的流程吗？",
]


@dataclass
class Acknowledged:
    roleplay_id: int
    turn_id: int
    client_id: str
    text: str
    reply: str


@dataclass
class RoundResult:
    acknowledged: int = 0
    in_flight_at_kill: int = 0
    missing: list[str] = field(default_factory=list)
    reply_missing: list[str] = field(default_factory=list)
    integrity_check: str = ""
    pending_after_restart: int = 0
    pending_answered_by_stream: int = 0
    seconds: float = 0.0


@dataclass
class Burst:
    acknowledged: list[Acknowledged] = field(default_factory=list)
    in_flight: int = 0
    in_flight_at_kill: int = 0
    killed: bool = False


async def burst(server: Server, roleplays: dict[int, int], kill_after: int) -> Burst:
    """Every rep sends turns back to back; at `kill_after` answered turns the server is killed mid-burst."""
    state = Burst()

    async def rep(client: httpx.AsyncClient, user_id: int, roleplay_id: int) -> None:
        for number in range(10_000):
            if state.killed:
                return
            text, client_id = LINES[number % len(LINES)], f"u{user_id}-t{number}"
            state.in_flight += 1
            try:
                response = await client.post(
                    f"/api/roleplays/{roleplay_id}/turns",
                    headers=bearer(user_id),
                    json={"text": text, "client_id": client_id},
                )
            except httpx.HTTPError:
                return  # the server is gone: this turn was never acknowledged
            finally:
                state.in_flight -= 1
            if response.status_code != 200:
                return  # e.g. the buyer ended the call
            body = response.json()
            state.acknowledged.append(Acknowledged(roleplay_id, body["turn_id"], client_id, text, body["reply"]))
            if len(state.acknowledged) >= kill_after and not state.killed:
                state.killed, state.in_flight_at_kill = True, state.in_flight
                server.kill()

    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        await asyncio.gather(*(rep(client, user_id, roleplay_id) for user_id, roleplay_id in roleplays.items()))
    return state


def run_on_own_loop(coroutine):
    """asyncio.run on a fresh thread: the caller's thread may already run a loop (Playwright's sync API in tests)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def start_sessions(server: Server, user_ids: list[int]) -> dict[int, int]:
    roleplays = {}
    for user_id in user_ids:
        response = httpx.post(
            f"{server.base_url}/api/roleplays", json={"scenario_id": SCENARIO}, headers=bearer(user_id), timeout=30
        )
        response.raise_for_status()
        roleplays[user_id] = response.json()["id"]
    return roleplays


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as connection:  # opening it replays the WAL, as a restart would
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def verify(server: Server, roleplays: dict[int, int], acknowledged: list[Acknowledged], result: RoundResult) -> None:
    """Every acknowledged turn and its reply are stored; unanswered stored messages get answered by their stream."""
    owner = {roleplay_id: user_id for user_id, roleplay_id in roleplays.items()}
    sessions = {
        roleplay_id: httpx.get(
            f"{server.base_url}/api/roleplays/{roleplay_id}", headers=bearer(owner[roleplay_id]), timeout=30
        ).json()
        for roleplay_id in roleplays.values()
    }
    for item in acknowledged:
        turns = sessions[item.roleplay_id]["turns"]
        stored = next((turn for turn in turns if turn["id"] == item.turn_id), None)
        if stored is None or stored["text"] != item.text:
            result.missing.append(item.client_id)
            continue
        reply = next((turn for turn in turns if turn["seq"] == stored["seq"] + 1), None)
        if reply is None or reply["text"] != item.reply:
            result.reply_missing.append(item.client_id)
    for roleplay_id, session in sessions.items():
        if session["pending_turn_id"] is None:
            continue
        result.pending_after_restart += 1
        stream = httpx.get(
            f"{server.base_url}/api/roleplays/{roleplay_id}/stream",
            params={"turn": session["pending_turn_id"]},
            headers=bearer(owner[roleplay_id]),
            timeout=30,
        )
        if "event: done" in stream.text:
            result.pending_answered_by_stream += 1


def run_round(reps: int, kill_after: int) -> RoundResult:
    result = RoundResult()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="durability-") as folder:
        data_dir = Path(folder)
        database = data_dir / "durability.db"
        database_url = f"sqlite:///{database}"
        user_ids = prepare_database(database_url, reps)
        server = start_app(data_dir, database_url)
        try:
            roleplays = start_sessions(server, user_ids)
            state = run_on_own_loop(burst(server, roleplays, kill_after))
        finally:
            server.stop()
        acknowledged, result.in_flight_at_kill = state.acknowledged, state.in_flight_at_kill
        result.acknowledged = len(acknowledged)
        result.integrity_check = integrity(database)
        restarted = start_app(data_dir, database_url)
        try:
            verify(restarted, roleplays, acknowledged, result)
        finally:
            restarted.stop()
    result.seconds = round(time.perf_counter() - began, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=8)
    parser.add_argument("--kill-after", type=int, default=60, help="answered turns before the SIGKILL")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not (1 <= args.reps <= 50 and 1 <= args.kill_after <= 1000 and 1 <= args.rounds <= 10):
        parser.error("keep it bounded: 1..50 reps, 1..1000 turns, 1..10 rounds")
    rounds = [run_round(args.reps, args.kill_after) for _ in range(args.rounds)]
    report = {
        "machine": machine(),
        "reps": args.reps,
        "kill_after": args.kill_after,
        "rounds": [asdict(item) for item in rounds],
    }
    RESULT_PATH.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for number, item in enumerate(rounds, 1):
        print(
            f"round {number}: {item.acknowledged} acknowledged, {item.in_flight_at_kill} in flight at SIGKILL, "
            f"{len(item.missing)} missing, {len(item.reply_missing)} replies missing, "
            f"integrity {item.integrity_check}, "
            f"{item.pending_answered_by_stream}/{item.pending_after_restart} pending answered, {item.seconds} s"
        )
    print(f"written to {RESULT_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
