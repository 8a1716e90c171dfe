"""Alembic entry points used by the CLI and the tests (no alembic.ini lookup from the current directory)."""

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from app.config import REPO_ROOT


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision."""
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def check(engine: Engine) -> None:
    """Raise if the models and the migrations disagree."""
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.check(config)
