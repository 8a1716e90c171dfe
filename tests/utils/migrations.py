"""Migration tests: a throw-away SQLite database moved between revisions, and rows written as an older schema
stores them (plain SQL: the models describe the latest schema only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, text

from app import migrate
from app.db import make_engine


def sqlite_for_migrations(tmp_path: Path, database_url: str, name: str) -> Engine:
    """A database of its own (foreign keys on, as in the app); skipped on PostgreSQL, where downgrading would drop
    columns of the shared test database."""
    if not database_url.startswith("sqlite"):
        pytest.skip("downgrading would drop columns of the shared PostgreSQL test database")
    return make_engine(f"sqlite:///{tmp_path / name}")


def upgrade_to(engine: Engine, revision: str) -> None:
    _run(engine, command.upgrade, revision)


def downgrade_to(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def _run(engine: Engine, action, revision: str) -> None:
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        action(config, revision)


def insert_rep_and_deal(connection: Connection) -> None:
    """User 1, a rep, and their deal 1, in columns every revision since 440388695b7e has."""
    connection.execute(
        text(
            "INSERT INTO user (username, display_name, password_hash, role, is_active, created_at)"
            " VALUES ('rep', '', 'x', 'rep', 1, '2026-01-01')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO opportunity (account, name, amount, owner_id, created_at, updated_at)"
            " VALUES ('华东精工', '', 0, 1, '2026-01-01', '2026-01-01')"
        )
    )
