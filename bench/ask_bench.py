"""Benchmark "Ask the playbook" over HTTP on loopback, offline: POST /api/ask and the streamed ask (p50/p95).

Run from the repo root:  .venv/bin/python bench/ask_bench.py [--repeats 3]
Starts the real app under uvicorn on 127.0.0.1 with a throw-away SQLite database, asks every question
of the evaluation set, and writes bench/results/ask.json. No model and no network beyond loopback.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from sqlmodel import Session

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import migrate  # noqa: E402
from app.accounts import create_user  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.main import create_app  # noqa: E402
from app.models import Role  # noqa: E402
from bench import REPO_ROOT  # noqa: E402

GOLDEN_PATH = REPO_ROOT / "tests" / "eval" / "ask_golden.jsonl"
RESULT_PATH = REPO_ROOT / "bench" / "results" / "ask.json"
USERNAME, PASSWORD = "bench", "bench-password-1"


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile of the samples (share in 0..1)."""
    ordered = sorted(samples)
    return ordered[max(1, round(share * len(ordered))) - 1]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(samples, 0.50), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        "mean_ms": round(statistics.fmean(samples), 2),
        "samples": len(samples),
    }


def start_server(data_dir: Path) -> tuple[uvicorn.Server, str]:
    """The app on a free loopback port, with one rep account; asks are not rate limited here."""
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        secret_key="bench-secret-key-that-is-long-enough-01",
        llm_provider="offline",
        rate_limit_asks="1000000/minute",
    )
    engine = make_engine(settings.resolved_database_url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        create_user(session, USERNAME, PASSWORD, Role.rep, None)
    config = uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def timed_ask(client: httpx.Client, question: str) -> float:
    start = time.perf_counter()
    response = client.post("/api/ask", json={"question": question})
    response.raise_for_status()
    return (time.perf_counter() - start) * 1000


def timed_stream(client: httpx.Client, question: str) -> tuple[float, float]:
    """(ms to the first token, ms to the done event) for POST /api/asks + GET stream."""
    start = time.perf_counter()
    stream_url = client.post("/api/asks", json={"question": question}).raise_for_status().json()["stream_url"]
    first_token = None
    with client.stream("GET", stream_url) as response:
        for line in response.iter_lines():
            if first_token is None and line == "event: token":
                first_token = (time.perf_counter() - start) * 1000
            if line == "event: done":
                break
    total = (time.perf_counter() - start) * 1000
    return (first_token if first_token is not None else total), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="passes over the evaluation questions")
    args = parser.parse_args()
    questions = [
        json.loads(line)["question"] for line in GOLDEN_PATH.read_text(encoding="utf-8").splitlines() if line.strip()
    ]

    with tempfile.TemporaryDirectory() as data_dir:
        server, base_url = start_server(Path(data_dir))
        with httpx.Client(base_url=base_url, timeout=30) as client:
            token = client.post("/api/auth/token", data={"username": USERNAME, "password": PASSWORD}).json()
            client.headers["Authorization"] = f"Bearer {token['access_token']}"
            for question in questions:  # warm-up: jieba, the index, the connection
                timed_ask(client, question)
            ask_samples = [timed_ask(client, q) for _ in range(args.repeats) for q in questions]
            streams = [timed_stream(client, q) for _ in range(args.repeats) for q in questions]
        server.should_exit = True

    result = {
        "what": "Ask the playbook over HTTP on loopback (uvicorn, one worker), offline engine, warm",
        "questions": len(questions),
        "repeats": args.repeats,
        "post_api_ask": summary(ask_samples),
        "stream_first_token": summary([first for first, _ in streams]),
        "stream_done": summary([total for _, total in streams]),
        "environment": {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()},
    }
    RESULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULT_PATH.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"{'measure':<34}{'p50':>10}{'p95':>10}{'max':>10}   n")
    for name in ("post_api_ask", "stream_first_token", "stream_done"):
        stats = result[name]
        print(
            f"{name:<34}{stats['p50_ms']:>8.2f}ms{stats['p95_ms']:>8.2f}ms{stats['max_ms']:>8.2f}ms   {stats['samples']}"
        )
    print(f"wrote {RESULT_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
