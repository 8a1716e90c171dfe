"""Settings: one pydantic-settings object read from the environment and `.env`."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
PRODUCT_NAME = {"zh": "销售教练", "en": "Sales Coach"}


class Settings(BaseSettings):
    """Everything configurable, with defaults that work offline on a laptop."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = Field(default="", description="Empty means a SQLite file under DATA_DIR.")

    llm_provider: Literal["offline", "openai"] = "offline"
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = Field(default=30.0, gt=0, le=600)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    embeddings_model: str | None = None
    llm_daily_token_budget: int = Field(default=200_000, ge=0)

    secret_key: SecretStr | None = None
    access_token_minutes: int = Field(default=12 * 60, gt=0)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)

    # Rate limits, in the `limits` library's notation; storage is per process unless a URI is given.
    rate_limit_storage: str = "memory://"
    rate_limit_login: str = "10/minute"
    rate_limit_turns: str = "60/minute"
    rate_limit_asks: str = "30/minute"
    # Sign-in attempts from one address, whatever the names: a flood of names from one place is limited too.
    rate_limit_login_address: str = "30/minute"
    # What one user may create in a day (a flood of creations fills the database and the team's lists).
    rate_limit_roleplays_daily: str = "100/day"
    rate_limit_deals_daily: str = "100/day"
    rate_limit_flow_runs_daily: str = "100/day"

    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (uvicorn's forwarded_allow_ips: a comma-separated
    # list of addresses or networks, or "*"). Empty: none, the client's own address counts (limits key on it).
    forwarded_allow_ips: str = ""
    # argon2id hashes at once in this process; 0 means one per CPU core. Each takes 64 MiB and a core for ~50 ms:
    # a flood of sign-ins waits its turn instead of taking the memory and every core.
    password_hash_concurrency: int = Field(default=0, ge=0, le=256)
    # "test" hashes new passwords at argon2's lowest cost: for test suites only, never in production.
    password_hash_cost: Literal["production", "test"] = "production"

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.secret_key is not None and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("SECRET_KEY must have at least 32 characters (or leave it unset to generate one)")
        if self.llm_provider == "openai" and not (self.openai_base_url or self.openai_api_key):
            raise ValueError("LLM_PROVIDER=openai needs OPENAI_BASE_URL (local servers) or OPENAI_API_KEY")
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'sales_coach.db').as_posix()}"

    @property
    def llm_enabled(self) -> bool:
        return self.llm_provider != "offline"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated on first run and kept in the data folder."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        key_file = self.data_dir / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


class SettingsError(SystemExit):
    """Bad configuration: carries one readable line instead of a traceback."""


def describe_validation_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"]).upper() or "SETTINGS"
        parts.append(f"{field}: {item['msg']}")
    return "配置错误 / configuration error: " + "; ".join(parts)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; bad values raise SettingsError with one clear line."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from None
