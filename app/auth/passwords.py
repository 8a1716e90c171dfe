"""Password hashing with argon2id through pwdlib, at most one hash per CPU core at a time."""

from __future__ import annotations

import os
import threading
from typing import Protocol

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.config import PasswordCost as Cost


class Hasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, hash: str) -> bool: ...


def make_hasher(cost: Cost) -> PasswordHash:
    """pwdlib's recommended argon2id; "test" uses argon2's lowest cost (tests only: ~0.1 ms instead of ~50 ms)."""
    if cost == "test":
        return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
    return PasswordHash.recommended()


class PasswordHashing:
    """Hashes and verifies with a bounded number of hashes in flight; the others wait their turn.

    A sign-in flood costs a thread each while it waits, not 64 MiB and a core: the rest of the service keeps its
    memory and some CPU. A hash's own parameters are read from the stored hash, so any cost verifies any hash.
    """

    def __init__(self, hasher: Hasher, concurrency: int = 0) -> None:
        self.hasher = hasher
        self.concurrency = concurrency or os.cpu_count() or 1
        self._slots = threading.BoundedSemaphore(self.concurrency)
        # A real hash to verify against when the user does not exist, so timing does not reveal usernames.
        self._dummy_hash = hasher.hash("not-a-real-password")

    def hash(self, password: str) -> str:
        with self._slots:
            return self.hasher.hash(password)

    def verify(self, password: str, password_hash: str | None) -> bool:
        with self._slots:
            if password_hash is None:
                self.hasher.verify(password, self._dummy_hash)
                return False
            return self.hasher.verify(password, password_hash)


_hashing = PasswordHashing(make_hasher("production"))


def configure(cost: Cost = "production", concurrency: int = 0, hasher: Hasher | None = None) -> PasswordHashing:
    """Replace the process's hashing (create_app calls it with the settings); returns the new one."""
    global _hashing
    _hashing = PasswordHashing(hasher or make_hasher(cost), concurrency)
    return _hashing


def hash_password(password: str) -> str:
    return _hashing.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    return _hashing.verify(password, password_hash)
