"""Shared column helpers for the SQLModel tables, and the teams' time zone for showing stored moments."""

from datetime import UTC, date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Column, Table
from sqlmodel import Field, SQLModel

# Primary and foreign keys are INTEGER columns: 32-bit in PostgreSQL. Any id above this cannot exist,
# and sending it to PostgreSQL is a driver error (SQLite would take it), so inputs are bounded by it.
MAX_DB_INTEGER = 2**31 - 1


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns store and return timezone-aware values."""
    return datetime.now(UTC)


# Moments are stored in UTC; people read them, and due dates and budget days turn over, where the teams work.
TEAM_TIMEZONE = ZoneInfo("Asia/Shanghai")


def team_today() -> date:
    return datetime.now(TEAM_TIMEZONE).date()


def team_time(moment: datetime) -> datetime:
    """A stored moment in the teams' time zone (SQLite hands back naive datetimes; they were stored in UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TEAM_TIMEZONE)


def json_field(default_factory=dict) -> Any:
    # The default is the column's own as well, so a plain INSERT (written without the ORM) gets it too.
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False, default=default_factory))


def created_at_field() -> Any:
    # As in json_field: the column's own default too.
    return Field(default_factory=utcnow, nullable=False, index=True, sa_column_kwargs={"default": utcnow})


class _Persistable(Protocol):
    @property
    def id(self) -> int | None: ...


def require_id(row: _Persistable) -> int:
    """The primary key of a row known to be persisted (loaded, or flushed/committed): the one place a table's
    `int | None` id becomes `int`. A None here is a programming error (a row used before it was flushed)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it before using its id")
    return row.id


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a SQLModel table class, typed (SQLModel sets `__table__` without declaring it)."""
    table = vars(model).get("__table__")
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table
