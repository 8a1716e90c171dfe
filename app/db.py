"""Database engine, session dependency and SQLite pragmas."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from anyio import CancelScope, CapacityLimiter, to_thread
from fastapi import Request
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    """An engine for SQLite (WAL, busy timeout, foreign keys) or PostgreSQL (psycopg 3)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername == "postgresql":  # plain URLs get the driver we ship
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout=5000")  # wait for a lock instead of failing
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL mode
    cursor.close()


def release_connection(session: Session) -> None:
    """Hand the session's connection back to the pool before a long wait: a worker-thread trip, the model's
    answer, a stream. Requests parked there holding connections, while others wait for one, is how a burst
    drains the pool. Objects loaded so far stay readable (detached); the session connects again when next used.
    """
    session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, on the engine the app was created with.

    A session connects on first use (in the route's worker thread), so opening one here costs no thread trip.
    Closing one that still holds a connection rolls its transaction back: that goes to a worker thread.
    """
    session = Session(request.app.state.engine)
    try:
        yield session
    finally:
        if session.in_transaction():
            with CancelScope(shield=True):  # the connection must go back to the pool even if the client left
                await to_thread.run_sync(session.close, limiter=CapacityLimiter(1))  # no wait for a busy pool
        else:
            session.close()
