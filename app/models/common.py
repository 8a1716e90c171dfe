"""Shared column helpers for the SQLModel tables."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

# Primary and foreign keys are INTEGER columns: 32-bit in PostgreSQL. Any id above this cannot exist,
# and sending it to PostgreSQL is a driver error (SQLite would take it), so inputs are bounded by it.
MAX_DB_INTEGER = 2**31 - 1


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns store and return timezone-aware values."""
    return datetime.now(UTC)


def json_field(default_factory=dict) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


def created_at_field() -> Any:
    return Field(default_factory=utcnow, nullable=False, index=True)
