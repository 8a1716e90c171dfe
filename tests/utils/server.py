"""A real `sales-coach serve` process for tests that need uvicorn itself (proxy headers, several workers)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PORTS = range(8140, 8150)  # this project's test range on the shared machine


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@contextmanager
def running_server(data_dir: Path, workers: int = 1, **env: str) -> Iterator[str]:
    """Migrate a SQLite database in `data_dir` (unless DATABASE_URL is given), serve it, yield the base URL."""
    values = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": "server-test-secret-key-long-enough-0123",
        "PASSWORD_HASH_COST": "test",
        "LLM_PROVIDER": "offline",
        **env,
    }
    command = [sys.executable, "-m", "app.cli"]
    subprocess.run([*command, "db", "upgrade"], env=values, check=True, capture_output=True, timeout=120)
    port = free_port()
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--workers", str(workers)],
        env=values,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base_url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
