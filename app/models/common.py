"""Shared column helpers for the SQLModel tables."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns store and return timezone-aware values."""
    return datetime.now(UTC)


def json_field(default_factory=dict) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


def created_at_field() -> Any:
    return Field(default_factory=utcnow, nullable=False, index=True)
