"""Per-user daily token budget for LLM mode, counted in the llm_usage table from the model's usage metadata.

The count is read before every model call (twice: the feature's pre-check in a worker thread, then the guard's
check, which runs on the event loop for async calls). A read is reused for READ_TTL_S, so the second check costs no
query; a charge in this process returns the new total, which counts as a fresh read. With several
worker processes a user can overshoot by the calls other workers let through within READ_TTL_S: the budget is a
cost guard, not a bill.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from datetime import date, datetime

from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGeneration, LLMResult
from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from app.models import LlmUsage
from app.models.common import TEAM_TIMEZONE

READ_TTL_S = 2.0  # how long a user's count read from the database is reused
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def budget_day(now: datetime | None = None) -> date:
    """Today where the teams work: the budget renews at their midnight, when they start their day."""
    return (now or datetime.now(TEAM_TIMEZONE)).astimezone(TEAM_TIMEZONE).date()


def estimate_tokens(text: str) -> int:
    """A rough count for replies whose usage the server did not report: one per CJK character, one per 4 others."""
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 4)


def estimate_prompt_tokens(messages: list[list[BaseMessage]]) -> int:
    return sum(estimate_tokens(str(message.content)) for batch in messages for message in batch)


def reported_tokens(result: LLMResult) -> int | None:
    """Total tokens from the response metadata (message usage_metadata, else llm_output token_usage); None if absent."""
    total = 0
    found = False
    for generations in result.generations:
        for generation in generations:
            usage = (
                getattr(generation.message, "usage_metadata", None) if isinstance(generation, ChatGeneration) else None
            )
            if usage:
                total += int(usage.get("total_tokens") or 0)
                found = True
    if found:
        return total
    token_usage = (result.llm_output or {}).get("token_usage") or {}
    return int(token_usage["total_tokens"]) if token_usage.get("total_tokens") else None


def completion_text(result: LLMResult) -> str:
    return "".join(generation.text for generations in result.generations for generation in generations)


class TokenBudget:
    """How many tokens each user may spend on the model per day; 0 means no limit."""

    def __init__(self, engine: Engine, daily_tokens: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.daily_tokens = daily_tokens
        self._clock = clock
        self._reads: dict[int, tuple[date, int, float]] = {}  # user id → (day, tokens used, when read)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.daily_tokens > 0

    def used_today(self, user_id: int) -> int:
        day = budget_day()
        with self._lock:
            read = self._reads.get(user_id)
        if read is not None and read[0] == day and self._clock() - read[2] < READ_TTL_S:
            return read[1]
        with Session(self.engine) as session:
            row = session.get(LlmUsage, (user_id, day))
            tokens = row.tokens if row else 0
        with self._lock:
            self._reads[user_id] = (day, tokens, self._clock())
        return tokens

    def exhausted(self, user_id: int) -> bool:
        return self.enabled and self.used_today(user_id) >= self.daily_tokens

    def charge(self, user_id: int, tokens: int) -> None:
        """Add tokens to the user's count for today (one atomic upsert, so concurrent calls all count)."""
        if tokens <= 0:
            return
        day = budget_day()
        insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        statement = insert(LlmUsage).values(user_id=user_id, day=day, tokens=tokens)
        upsert = statement.on_conflict_do_update(
            index_elements=["user_id", "day"], set_={"tokens": col(LlmUsage.tokens) + statement.excluded.tokens}
        ).returning(col(LlmUsage.tokens))
        with Session(self.engine) as session:
            total = session.execute(upsert).scalar_one()
            session.commit()
        with self._lock:  # the new total is the freshest read there is: the next check needs no query
            self._reads[user_id] = (day, total, self._clock())
