"""Fault handling shared by every model call: a per-process circuit breaker and the per-user token budget.

Layers, from the wire up:
- Timeouts are the OpenAI client's (ChatOpenAI(timeout=LLM_TIMEOUT_S), per connect/read/write: every call
  streams, so a model that sends no token for that long fails); the client itself never retries.
  app.llm.calls retries 408, 429, 5xx and refused connections (`is_retryable`) before the first chunk, with
  backoff (0.5 s · 2^n, at most 8 s, minus 0–25 % jitter) or the server's Retry-After, within the call's
  deadline (LLM_DEADLINE_S). A timed-out generation is never retried (the server may still be generating
  for it), nor a stream that broke after it started: the caller keeps the text received, marked partial.
- `ModelGuard`, a LangChain callback attached to the chat model in app.llm.factory, sees every call of
  every feature (invoke, stream, structured output). Before a call it refuses when the circuit is open or
  the caller's daily budget is used (raising `ModelSkipped`, which the features' fallbacks turn into the
  offline engine); after a call it feeds the breaker and charges the tokens the response reports.
  It runs inline: in async calls on the event loop, without a thread hop per event (LangChain would otherwise
  hand every streamed token to a worker thread). So nothing in it may wait on the database there: the budget
  check reuses the count the feature's pre-check just read (app.llm.budget), and the charge is written by a
  worker thread that the request awaits after its response has been sent (app.middleware.ModelCallerMiddleware).
- Features call `skip_reason(chat_model)` first, in a worker thread, so a skipped call costs nothing and the
  reply can say why.

The breaker and the rate limiter are per process: with `uvicorn --workers N` each worker opens on its own.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any, Literal, TypeGuard
from uuid import UUID

import httpx
import httpx2
import openai
import sqlalchemy
from langchain_core.callbacks import BaseCallbackHandler, BaseCallbackManager
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult

from app.llm.budget import TokenBudget, completion_text, estimate_prompt_tokens, estimate_tokens, reported_tokens

logger = logging.getLogger(__name__)

FAILURE_THRESHOLD = 5  # consecutive failed calls (after the client's retries) that open the circuit
COOLDOWN_S = 30.0  # how long an open circuit skips the model before one trial call is let through
MAX_TRACKED_RUNS = 1000  # calls in flight whose start we remember; abandoned ones are forgotten oldest first

# Status codes that say "the model service is unwell" (with 5xx); any other 4xx (a refused parameter, a content
# filter, a bad key) belongs to the request or the configuration: never retried, never opens the circuit for
# everyone, and logged with the provider's message so the operator can fix the settings.
OUTAGE_STATUSES = {408, 429}
FINAL_ATTEMPT = "sales_coach_final_attempt"  # run metadata: False while app.llm.calls would retry a failure

CircuitState = Literal["closed", "open", "half_open"]
SkipCode = Literal["circuit_open", "budget_exhausted"]


class ModelSkipped(Exception):
    """The model was not called on purpose; `text_zh` / `text_en` tell the user why and what answers instead."""

    code: SkipCode

    def __init__(self, text_zh: str, text_en: str) -> None:
        super().__init__(text_en)
        self.text_zh = text_zh
        self.text_en = text_en

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_zh


class CircuitOpen(ModelSkipped):
    code = "circuit_open"

    def __init__(self, retry_in_s: float) -> None:
        seconds = max(1, round(retry_in_s))
        super().__init__(
            f"模型连续出错，已暂停调用约 {seconds} 秒；这段时间由离线引擎回答。",
            f"The model failed several times in a row and is paused for about {seconds} s; "
            f"the offline engine answers meanwhile.",
        )
        self.retry_in_s = retry_in_s


class BudgetExhausted(ModelSkipped):
    code = "budget_exhausted"

    def __init__(self) -> None:
        super().__init__(
            "你今天的模型额度已用完，今天余下的回答由离线引擎提供。",
            "You have used today's model budget; the offline engine answers for the rest of the day.",
        )


class CircuitBreaker:
    """Closed → open after FAILURE_THRESHOLD consecutive failures → one trial call per cool-down → closed on success."""

    def __init__(
        self,
        failure_threshold: int = FAILURE_THRESHOLD,
        cooldown_s: float = COOLDOWN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None  # None while closed

    @property
    def state(self) -> CircuitState:
        with self._lock:
            return self._state()

    def _state(self) -> CircuitState:
        if self._opened_at is None:
            return "closed"
        return "half_open" if self._clock() - self._opened_at >= self.cooldown_s else "open"

    def retry_in_s(self) -> float:
        """Seconds until the next trial call is allowed (0 when one may go now)."""
        with self._lock:
            return self._retry_in_s()

    def _retry_in_s(self) -> float:
        if self._opened_at is None:
            return 0.0
        return max(0.0, self.cooldown_s - (self._clock() - self._opened_at))

    def allow(self) -> bool:
        """Whether a call may go now; in half-open state the caller becomes the one trial of this cool-down."""
        with self._lock:
            state = self._state()
            if state == "half_open":
                self._opened_at = self._clock()  # others wait for this trial's outcome (or another cool-down)
            return state != "open"

    def record_success(self) -> None:
        with self._lock:
            if self._opened_at is not None:
                logger.info("model circuit closed: a call succeeded")
            self._failures = 0
            self._opened_at = None

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._opened_at is not None or self._failures >= self.failure_threshold:
                if self._opened_at is None:
                    logger.warning("model circuit opened after %d consecutive failures", self._failures)
                self._opened_at = self._clock()

    def snapshot(self) -> dict[str, Any]:
        """For /api/health: the state, the failure streak and when the next trial call may go."""
        with self._lock:
            retry_in = None if self._opened_at is None else round(self._retry_in_s(), 1)
            return {
                "state": self._state(),
                "consecutive_failures": self._failures,
                "failure_threshold": self.failure_threshold,
                "cooldown_s": self.cooldown_s,
                "retry_in_s": retry_in,
            }


def is_outage(error: BaseException) -> bool:
    """A failure that says the model service is unavailable (as opposed to a problem with one request)."""
    # The SDK's transport is httpx2; httpx is LangChain's. Either may surface from a stream that breaks mid-way.
    if isinstance(
        error,
        (
            openai.APITimeoutError,
            openai.APIConnectionError,
            httpx.TransportError,
            httpx2.TransportError,
            TimeoutError,
            ConnectionError,
        ),
    ):
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code >= 500 or error.status_code in OUTAGE_STATUSES
    return False


def is_retryable(error: BaseException) -> bool:
    """Worth sending again: 408, 429, 5xx, or a connection that failed. Never a timeout: the server may still be
    generating for the request that timed out."""
    if isinstance(error, (openai.APITimeoutError, TimeoutError, httpx.TimeoutException, httpx2.TimeoutException)):
        return False
    if isinstance(error, openai.APIStatusError):
        return error.status_code >= 500 or error.status_code in OUTAGE_STATUSES
    return isinstance(error, (openai.APIConnectionError, httpx.ConnectError, httpx2.ConnectError))


def is_refusal(error: BaseException) -> TypeGuard[openai.APIStatusError]:
    """A 4xx that says the request or the settings are wrong (not 408/429)."""
    return (
        isinstance(error, openai.APIStatusError)
        and 400 <= error.status_code < 500
        and error.status_code not in OUTAGE_STATUSES
    )


# --- whose call is this (for the budget) ----------------------------------------------------------------

# The current request's state dict (request.state), bound by app.middleware.ModelCallerMiddleware. A dict rather
# than a user id because the user is known only after the auth dependency ran, possibly in another thread:
# it stores the user in request.state, which is this same dict.
_request_state: ContextVar[dict[str, Any] | None] = ContextVar("model_caller_request_state", default=None)


def bind_request_state(state: dict[str, Any]) -> Token:
    return _request_state.set(state)


def unbind_request_state(token: Token) -> None:
    _request_state.reset(token)


_PENDING_CHARGES = "model_guard_pending_charges"  # key in the request's state dict


def settle_charges(state: dict[str, Any]) -> list[Callable[[], None]]:
    """The token charges a request's model calls left to write (the middleware writes them once the response is out)."""
    return state.pop(_PENDING_CHARGES, [])


def current_user_id() -> int | None:
    state = _request_state.get()
    user = state.get("user") if state else None
    if user is None:
        return None
    # The primary key from the identity map: readable even after the request's database session has closed.
    identity = sqlalchemy.inspect(user).identity
    return identity[0] if identity else None


# --- the guard ------------------------------------------------------------------------------------------


class ModelGuard(BaseCallbackHandler):
    """Attached to the chat model: refuses calls while the circuit is open or the budget is used, records outcomes."""

    raise_error = True  # an exception in on_chat_model_start stops the call before any request is sent
    run_inline = True  # see the module docstring: no thread hop per event, and nothing here blocks the event loop

    def __init__(self, breaker: CircuitBreaker | None = None, budget: TokenBudget | None = None) -> None:
        self.breaker = breaker or CircuitBreaker()
        self.budget = budget
        self.policy: Any = None  # app.llm.calls.CallPolicy, set by app.llm.factory
        # run → (user id, prompt, whether a failure is final): the prompt is counted only if the response reports
        # no usage; a failure that app.llm.calls will retry does not count toward the circuit
        self._runs: OrderedDict[UUID, tuple[int | None, list[list[BaseMessage]], bool]] = OrderedDict()
        self._runs_lock = threading.Lock()

    def skip_reason(self) -> ModelSkipped | None:
        """Why the next call for the current user would be refused, without using up a half-open trial."""
        if self.breaker.state == "open":
            return CircuitOpen(self.breaker.retry_in_s())
        user_id = current_user_id()
        if self.budget is not None and user_id is not None and self.budget.exhausted(user_id):
            return BudgetExhausted()
        return None

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        user_id = current_user_id()
        if self.budget is not None and user_id is not None and self.budget.exhausted(user_id):
            raise BudgetExhausted()
        if not self.breaker.allow():
            raise CircuitOpen(self.breaker.retry_in_s())
        with self._runs_lock:
            self._runs[run_id] = (user_id, messages, (metadata or {}).get(FINAL_ATTEMPT, True))
            while len(self._runs) > MAX_TRACKED_RUNS:
                self._runs.popitem(last=False)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        self.breaker.record_success()
        user_id, prompt, _final = self._finish_run(run_id)
        if self.budget is None or user_id is None:
            return
        tokens = reported_tokens(response)
        if tokens is None:  # many servers do not report usage on streams: estimate rather than count nothing
            tokens = estimate_prompt_tokens(prompt) + estimate_tokens(completion_text(response))
        charge = functools.partial(self._charge, self.budget, user_id, tokens)
        state = _request_state.get()
        if state is not None:
            # Written once the response is out: a write now would hold the reply up, competing with the request's
            # own writes for the database (SQLite has one writer) and for the interpreter.
            state.setdefault(_PENDING_CHARGES, []).append(charge)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a synchronous call, already in a worker thread: write it now
            charge()
            return
        loop.run_in_executor(None, charge)

    @staticmethod
    def _charge(budget: TokenBudget, user_id: int, tokens: int) -> None:
        try:
            budget.charge(user_id, tokens)
        except Exception:  # the reply is already here: a failed count must not turn it into an error
            logger.exception("could not charge %d tokens to user %s", tokens, user_id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        _user, _prompt, final = self._finish_run(run_id)
        if is_refusal(error):
            logger.warning("the model service refused the request: %s", describe_refusal(error))
        elif is_outage(error) and (final or not is_retryable(error)):
            self.breaker.record_failure()
        # Anything else (a caller that stopped reading a stream, a bad request) says nothing about the service.

    def _finish_run(self, run_id: UUID) -> tuple[int | None, list[list[BaseMessage]], bool]:
        with self._runs_lock:
            return self._runs.pop(run_id, (None, [], True))


def describe_refusal(error: openai.APIStatusError) -> str:
    """The status and the provider's own message (it names the parameter to fix), for the log."""
    body = error.body if isinstance(error.body, dict) else {}
    message = body.get("message") or error.message
    return f"HTTP {error.status_code}: {message}"[:500]


def guard_of(chat_model: BaseChatModel | None) -> ModelGuard | None:
    """The guard attached to a chat model built by app.llm.factory (None offline)."""
    if chat_model is None:
        return None
    callbacks = chat_model.callbacks
    handlers = callbacks.handlers if isinstance(callbacks, BaseCallbackManager) else callbacks or []
    return next((handler for handler in handlers if isinstance(handler, ModelGuard)), None)


def skip_reason(chat_model: BaseChatModel | None) -> ModelSkipped | None:
    """Why the model should not be called now for the current user (None: call it). For features, before a call."""
    guard = guard_of(chat_model)
    return guard.skip_reason() if guard is not None else None
