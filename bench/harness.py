"""Shared pieces for the load and durability benches: the app and the loopback model under uvicorn, a migrated
database with reps, bearer tokens, latency summaries, and the PostgreSQL lock. Loopback only."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlmodel import Session

from app.auth.tokens import create_access_token
from app.db import make_engine
from app.migrate import upgrade
from app.models import Role, User
from bench import REPO_ROOT
from tests.utils.fake_llm import free_port

SECRET_KEY = "bench-secret-key-" + "k" * 32
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_LOCK = Path("/tmp/pg-test.lock")  # every user of database `test` on this machine takes it
UNLIMITED = "1000000/minute"  # the benches measure the service, not the per-user limiter


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency_summary(milliseconds: list[float]) -> dict[str, float]:
    if not milliseconds:
        return {}
    return {
        name: round(percentile(milliseconds, share), 1)
        for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
    }


def machine() -> dict:
    """What the numbers were measured on. On a shared VM, CPU pressure (Linux PSI: the share of time runnable
    tasks waited for a CPU, over the last 60 s) can be well above zero while this machine itself is idle."""
    pressure = Path("/proc/pressure/cpu")
    some = pressure.read_text().split("\n")[0] if pressure.exists() else ""
    avg60 = next((float(field.split("=")[1]) for field in some.split() if field.startswith("avg60=")), None)
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cpu_pressure_some_avg60": avg60,
    }


def bearer(user_id: int) -> dict[str, str]:
    """A token minted with the servers' key: signing in (argon2) is not what the benches measure."""
    return {"Authorization": f"Bearer {create_access_token(user_id, SECRET_KEY, 120)}"}


def prepare_database(database_url: str, reps: int) -> list[int]:
    """A freshly migrated database (PostgreSQL: the `public` schema is recreated) with `reps` rep accounts."""
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    with Session(engine) as session:
        users = [User(username=f"bench_rep{index}", password_hash="!", role=Role.rep) for index in range(reps)]
        session.add_all(users)
        session.commit()
        ids = [user.id for user in users]
    engine.dispose()
    return ids


@contextlib.contextmanager
def postgres_lock() -> Iterator[None]:
    """Hold /tmp/pg-test.lock (the same lock `flock /tmp/pg-test.lock ...` takes) while database `test` is ours."""
    with POSTGRES_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# A cold start imports the app in ~5 s of CPU; on a shared 2-core machine under load that took 45 s of wall time.
def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code < 500:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


@dataclass
class Server:
    """A process we started on 127.0.0.1; stopped by its own pid only."""

    process: subprocess.Popen
    base_url: str

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing: what a crash or the OOM killer does."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def access_log_config(path: Path) -> Path:
    """A uvicorn log config writing access lines with the worker's pid, to see which worker served a request."""
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"pid": {"format": "%(process)d %(message)s"}},
        "handlers": {"file": {"class": "logging.FileHandler", "filename": str(path), "formatter": "pid"}},
        "loggers": {
            "uvicorn.access": {"handlers": ["file"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"handlers": ["file"], "level": "WARNING", "propagate": False},
        },
    }
    config_path = path.with_suffix(".json")
    config_path.write_text(json.dumps(config))
    return config_path


def start_app(
    data_dir: Path,
    database_url: str,
    *,
    llm_base_url: str | None = None,
    workers: int = 1,
    access_log: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Server:
    """The app under uvicorn (`--workers N` when asked) on a free loopback port."""
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "RATE_LIMIT_TURNS": UNLIMITED,
        "RATE_LIMIT_ASKS": UNLIMITED,
        "RATE_LIMIT_LOGIN": UNLIMITED,
        "LLM_PROVIDER": "openai" if llm_base_url else "offline",
        **(extra_env or {}),
    }
    if llm_base_url:
        env |= {
            "OPENAI_BASE_URL": llm_base_url,
            "OPENAI_API_KEY": "bench",
            "LLM_MODEL": "fake-model",
            "LLM_TIMEOUT_S": "30",
            "LLM_MAX_RETRIES": "0",
        }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    command += (
        ["--log-config", str(access_log_config(access_log))]
        if access_log
        else ["--log-level", "warning", "--no-access-log"]
    )
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        wait_until_up(f"{server.base_url}/api/health", process)
    except Exception:
        server.stop()
        raise
    return server


def start_fake_llm(latency_s: float, reply: str | None = None, chunk_chars: int = 4) -> Server:
    """The loopback OpenAI-compatible test server (tests/utils/fake_llm.py) answering after a fixed latency.

    `reply`: what every chat call answers (default: the test server's short reply), streamed `chunk_chars` at a time.
    """
    port = free_port()
    code = (
        "import json, sys, uvicorn; sys.path.insert(0, sys.argv[1]);"
        "from tests.utils.fake_llm import Action, FakeLLM, build_app;"
        "options = json.loads(sys.argv[3]); reply = options.pop('reply');"
        "fake = FakeLLM(**options);"
        "fake.responder = (lambda body: Action(text=reply)) if reply else fake.responder;"
        "uvicorn.run(build_app(fake), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning',"
        " access_log=False)"
    )
    options = {"latency_s": latency_s, "chunk_chars": chunk_chars, "reply": reply}
    process = subprocess.Popen([sys.executable, "-c", code, str(REPO_ROOT), str(port), json.dumps(options)])
    server = Server(process, f"http://127.0.0.1:{port}/v1")
    wait_until_up(f"{server.base_url}/models", process)
    return server
