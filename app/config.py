"""Settings: one pydantic-settings object read from the environment and `.env`."""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
PRODUCT_NAME = {"zh": "销售教练", "en": "Sales Coach"}

# The model calls the product makes, each with its own output cap (LLM_MAX_TOKENS overrides these).
PasswordCost = Literal["production", "test"]  # argon2id at full cost, or a cheap hasher for tests
LlmCallKind = Literal["buyer", "understanding", "spin", "probe", "ask", "rewrites", "draft", "health"]
DEFAULT_MAX_TOKENS: dict[str, int] = {
    "buyer": 400,
    "understanding": 300,
    "spin": 120,
    "probe": 150,
    "ask": 1000,
    "rewrites": 600,
    "draft": 2500,
    "health": 1,
}


class Settings(BaseSettings):
    """Everything configurable, with defaults that work offline on a laptop."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = Field(default="", description="Empty means a SQLite file under DATA_DIR.")

    llm_provider: Literal["offline", "openai"] = "offline"
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    # No byte from the model for this long ends the call: generation always streams, so this is "no token for N s".
    llm_timeout_s: float = Field(default=30.0, gt=0, le=600)
    llm_deadline_s: float = Field(default=60.0, gt=0, le=1800)  # total time one call may take, retries included
    llm_max_retries: int = Field(default=2, ge=0, le=10)  # for 408, 429, 5xx and refused connections, never timeouts
    # Empty: not sent (the provider's default; Kimi k2.5+ refuse any value but their own).
    llm_temperature: float | None = Field(default=None, ge=0, le=2)
    # One number for every call, or a JSON object per call kind ({"buyer": 300, "ask": 800}); empty: the defaults.
    llm_max_tokens: Annotated[dict[str, int], NoDecode] = Field(default_factory=dict)
    # The request field the cap goes in: DeepSeek, DashScope, vLLM, llama.cpp, Ollama read max_tokens;
    # OpenAI's reasoning models want max_completion_tokens.
    llm_max_tokens_field: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    # JSON object merged into every chat request, e.g. {"enable_thinking": false} for Qwen3 on DashScope.
    llm_extra_body: Annotated[dict[str, Any], NoDecode] = Field(default_factory=dict)
    # json_mode works everywhere (response_format json_object); the others only where the endpoint supports them.
    llm_structured_output: Literal["json_mode", "json_schema", "function_calling"] = "json_mode"
    llm_stream_usage: bool = True  # ask streams to report usage (stream_options.include_usage)
    llm_history_chars: int = Field(default=600, ge=50, le=20_000)  # each earlier message the model sees, at most
    embeddings_model: str | None = None
    embeddings_base_url: str | None = None  # empty: OPENAI_BASE_URL
    embeddings_api_key: SecretStr | None = None  # empty: OPENAI_API_KEY
    embeddings_batch: int = Field(default=10, ge=1, le=2048)  # texts per request (DashScope accepts at most 10)
    llm_daily_token_budget: int = Field(default=200_000, ge=0)
    # LLM mode: the model also reads each role-play turn (SPIN, facts asked about, pitch, ask, tone) in one JSON
    # call before the state decides; off, the offline reading is used and the model only words the reply.
    roleplay_llm_understanding: bool = True

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
    password_hash_cost: PasswordCost = "production"

    @field_validator("llm_temperature", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("llm_max_tokens", mode="before")
    @classmethod
    def _parse_max_tokens(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return {}
            try:
                value = json.loads(value)
            except ValueError:
                raise ValueError('a number or a JSON object such as {"buyer": 300}') from None
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 1:
                raise ValueError("must be at least 1")
            return {kind: value for kind in DEFAULT_MAX_TOKENS if kind != "health"}
        if not isinstance(value, dict):
            raise ValueError('a number or a JSON object such as {"buyer": 300}')
        unknown = sorted(set(value) - set(DEFAULT_MAX_TOKENS))
        if unknown:
            raise ValueError(f"unknown call kind {unknown[0]!r}; known: {', '.join(DEFAULT_MAX_TOKENS)}")
        if any(not isinstance(cap, int) or isinstance(cap, bool) or cap < 1 for cap in value.values()):
            raise ValueError("each cap must be a whole number of at least 1")
        return value

    @field_validator("llm_extra_body", mode="before")
    @classmethod
    def _parse_extra_body(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return {}
            try:
                value = json.loads(value)
            except json.JSONDecodeError as error:
                raise ValueError(f"not valid JSON ({error.msg} at character {error.pos})") from None
        if not isinstance(value, dict):
            raise ValueError('must be a JSON object, e.g. {"enable_thinking": false}')
        return value

    def max_tokens_for(self, kind: str) -> int:
        return self.llm_max_tokens.get(kind, DEFAULT_MAX_TOKENS[kind])

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
