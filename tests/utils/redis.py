"""The shared Redis of the test machine: reachable or not, and this suite's own database number in it."""

import socket

REDIS_URL = "redis://127.0.0.1:6379/5"  # database 5: the limits and circuit of these tests, apart from others'


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
