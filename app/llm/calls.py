"""Every feature's model call goes through here: a token cap, a deadline, bounded retries, reasoning removed, JSON checked.

- Generation always streams, also when the caller wants the whole text: the client's read timeout
  (LLM_TIMEOUT_S) then means "no token for N s", and a slow but steady answer is not cut off. The whole call,
  retries included, must end within LLM_DEADLINE_S.
- The OpenAI client does not retry (max_retries=0 in app.llm.factory): it would retry a timed-out generation
  while the server keeps generating for the abandoned request. Here 408, 429, 5xx and refused connections are
  retried (up to LLM_MAX_RETRIES, backoff or the server's Retry-After, within the deadline), and only before the
  first chunk arrived; timeouts and other 4xx never are.
- Each call kind has its cap on output tokens, sent in the field the provider reads (LLM_MAX_TOKENS_FIELD),
  merged with LLM_EXTRA_BODY; `finish_reason: length` is reported so the caller can store the text as partial.
- Structured output is JSON mode by default (response_format json_object, the word JSON and an example in the
  prompt: DeepSeek refuses json_object without it), validated with pydantic, repaired once by asking again with
  the error, else the caller's offline fallback answers. json_schema or tool calling only when
  LLM_STRUCTURED_OUTPUT says the endpoint supports them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_core.utils.json import parse_partial_json
from pydantic import BaseModel, ValidationError

from app.config import DEFAULT_MAX_TOKENS, Settings
from app.llm.reasoning import ReasoningFilter, strip_reasoning
from app.llm.resilience import FINAL_ATTEMPT, guard_of, is_outage, is_retryable

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER_S = 20.0  # a server asking for a longer pause is not waited for: the offline engine answers
SchemaT = TypeVar("SchemaT", bound=BaseModel)


@dataclass(frozen=True)
class CallPolicy:
    """How calls are made, from the settings; attached to the model's guard by app.llm.factory."""

    max_tokens: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_MAX_TOKENS))
    token_field: str = "max_tokens"
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    structured_output: str = "json_mode"
    deadline_s: float = 60.0
    max_retries: int = 2
    history_chars: int = 600

    @classmethod
    def from_settings(cls, settings: Settings) -> CallPolicy:
        return cls(
            max_tokens={kind: settings.max_tokens_for(kind) for kind in DEFAULT_MAX_TOKENS},
            token_field=settings.llm_max_tokens_field,
            extra_body=dict(settings.llm_extra_body),
            structured_output=settings.llm_structured_output,
            deadline_s=settings.llm_deadline_s,
            max_retries=settings.llm_max_retries,
            history_chars=settings.llm_history_chars,
        )

    def request_fields(self, kind: str) -> dict[str, Any]:
        """The body fields merged into every request of this kind: the provider's own, then the cap."""
        return {**self.extra_body, self.token_field: self.max_tokens.get(kind, DEFAULT_MAX_TOKENS[kind])}


def policy_of(chat_model: BaseChatModel) -> CallPolicy:
    guard = guard_of(chat_model)
    return guard.policy if guard is not None and guard.policy is not None else CallPolicy()


class ModelDeadline(TimeoutError):
    """The call did not finish within LLM_DEADLINE_S."""


class StructuredOutputError(ValueError):
    """The model's output was not the JSON object asked for, even after one repair."""


@dataclass
class Outcome:
    """What a generation produced: the answer text (reasoning removed), why the model stopped, the message."""

    text: str = ""
    finish_reason: str | None = None
    message: AIMessageChunk | None = None  # kept only for tool calls

    @property
    def cut(self) -> bool:
        """The model hit its token cap: the text is partial."""
        return self.finish_reason == "length"


class _Attempt:
    """Reads one attempt's chunks: answer text through the reasoning filter, the finish reason, tool calls."""

    def __init__(self, outcome: Outcome, keep_message: bool) -> None:
        self.outcome = outcome
        self.keep_message = keep_message
        self.filter = ReasoningFilter()
        self.received = False
        outcome.text, outcome.finish_reason, outcome.message = "", None, None

    def take(self, chunk: AIMessageChunk) -> str:
        self.received = True
        reason = chunk.response_metadata.get("finish_reason")
        if reason:
            self.outcome.finish_reason = reason
        if self.keep_message:
            self.outcome.message = chunk if self.outcome.message is None else self.outcome.message + chunk
        return self._answer(self.filter.feed(content_text(chunk.content)))

    def finish(self) -> str:
        return self._answer(self.filter.finish())

    def _answer(self, piece: str) -> str:
        self.outcome.text += piece
        return piece


def content_text(content: str | list) -> str:
    """A message's text: LangChain content may be a string or a list of parts; NUL never goes on."""
    text = (
        content
        if isinstance(content, str)
        else "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    )
    return text.replace("\x00", "")


def _config(attempt: int, policy: CallPolicy) -> RunnableConfig:
    # The guard counts a failed attempt toward the circuit only when no retry follows it (app.llm.resilience).
    return {"metadata": {FINAL_ATTEMPT: attempt >= policy.max_retries}}


def _retry_delay(
    error: BaseException, attempt: int, attempt_state: _Attempt, policy: CallPolicy, remaining_s: float
) -> float | None:
    """Seconds to wait before trying again, or None: no retry (not retryable, text already came, out of time)."""
    if attempt_state.received or attempt >= policy.max_retries or not is_retryable(error):
        return None
    delay = min(8.0, 0.5 * 2**attempt) * (1 - 0.25 * random.random())
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    try:
        if "retry-after-ms" in headers:
            delay = float(headers["retry-after-ms"]) / 1000
        elif "retry-after" in headers:
            delay = float(headers["retry-after"])
    except ValueError:
        pass
    if delay > MAX_RETRY_AFTER_S or delay >= remaining_s:
        return None
    return max(0.0, delay)


def _deadline_passed(chat_model: BaseChatModel, policy: CallPolicy) -> ModelDeadline:
    guard = guard_of(chat_model)
    if guard is not None:
        guard.breaker.record_failure()  # a model that cannot answer in time is as good as down
    return ModelDeadline(f"no complete answer within {policy.deadline_s:g} s")


def bound(chat_model: BaseChatModel, kind: str, response_format: dict | None = None, **kwargs: Any) -> Runnable:
    """The chat model with this kind's cap and the provider's extra fields in every request.

    A response_format goes in the body as it is: given to LangChain as a parameter it would switch to the SDK's
    parsing stream helper, which raises on `finish_reason: length` before any text can be read."""
    fields = policy_of(chat_model).request_fields(kind)
    if response_format is not None:
        fields["response_format"] = response_format
    return chat_model.bind(extra_body=fields, **kwargs)


async def astream_text(
    chat_model: BaseChatModel,
    kind: str,
    messages: list[BaseMessage],
    outcome: Outcome | None = None,
    *,
    keep_message: bool = False,
    **kwargs: Any,
) -> AsyncIterator[str]:
    """The answer's text as it streams (reasoning held back and removed); `outcome` tells how it ended."""
    policy = policy_of(chat_model)
    runnable = bound(chat_model, kind, **kwargs)
    outcome = outcome if outcome is not None else Outcome()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + policy.deadline_s
    attempt = 0
    while True:
        state = _Attempt(outcome, keep_message)
        stream = runnable.astream(messages, config=_config(attempt, policy))
        try:
            while True:
                try:
                    async with asyncio.timeout_at(deadline):  # only around the wait: never while the caller works
                        chunk = await anext(stream)
                except StopAsyncIteration:
                    break
                if piece := state.take(chunk):
                    yield piece
            if tail := state.finish():
                yield tail
            return
        except TimeoutError as error:
            if loop.time() >= deadline:
                raise _deadline_passed(chat_model, policy) from error
            raise
        except Exception as error:
            delay = _retry_delay(error, attempt, state, policy, deadline - loop.time())
            if delay is None:
                raise
            logger.info("model call (%s) failed, retrying in %.1f s: %s", kind, delay, error)
        finally:
            if isinstance(stream, AsyncGenerator):  # what astream returns; typed as a plain iterator
                await stream.aclose()
        await asyncio.sleep(delay)
        attempt += 1


def stream_text(
    chat_model: BaseChatModel,
    kind: str,
    messages: list[BaseMessage],
    outcome: Outcome | None = None,
    *,
    keep_message: bool = False,
    **kwargs: Any,
) -> Iterator[str]:
    """`astream_text` for synchronous callers. The deadline is checked as chunks arrive; a stalled read is ended by
    the client's read timeout (LLM_TIMEOUT_S)."""
    policy = policy_of(chat_model)
    runnable = bound(chat_model, kind, **kwargs)
    outcome = outcome if outcome is not None else Outcome()
    deadline = time.monotonic() + policy.deadline_s
    attempt = 0
    while True:
        state = _Attempt(outcome, keep_message)
        stream = runnable.stream(messages, config=_config(attempt, policy))
        try:
            for chunk in stream:
                if time.monotonic() >= deadline:
                    raise _deadline_passed(chat_model, policy)
                if piece := state.take(chunk):
                    yield piece
            if tail := state.finish():
                yield tail
            return
        except ModelDeadline:
            raise
        except Exception as error:
            delay = _retry_delay(error, attempt, state, policy, deadline - time.monotonic())
            if delay is None:
                raise
            logger.info("model call (%s) failed, retrying in %.1f s: %s", kind, delay, error)
        finally:
            if isinstance(stream, Generator):  # what stream returns; typed as a plain iterator
                stream.close()
        time.sleep(delay)
        attempt += 1


async def agenerate(chat_model: BaseChatModel, kind: str, messages: list[BaseMessage], **kwargs: Any) -> Outcome:
    """The whole answer, streamed internally."""
    outcome = Outcome()
    async for _piece in astream_text(chat_model, kind, messages, outcome, **kwargs):
        pass
    return outcome


def generate(chat_model: BaseChatModel, kind: str, messages: list[BaseMessage], **kwargs: Any) -> Outcome:
    outcome = Outcome()
    for _piece in stream_text(chat_model, kind, messages, outcome, **kwargs):
        pass
    return outcome


# --- structured output ----------------------------------------------------------------------------------


def _structured_kwargs(policy: CallPolicy, schema: type[BaseModel]) -> dict[str, Any]:
    if policy.structured_output == "json_schema":
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema(), "strict": False},
            }
        }
    if policy.structured_output == "function_calling":
        return {
            "tools": [convert_to_openai_tool(schema)],
            "tool_choice": {"type": "function", "function": {"name": schema.__name__}},
            "keep_message": True,
        }
    return {"response_format": {"type": "json_object"}}


def json_instructions(messages: list[BaseMessage], example: Mapping[str, Any]) -> list[BaseMessage]:
    """The messages with the JSON instruction and an example added to the system prompt (JSON mode needs both)."""
    rule = "\n\nReply with one JSON object only, no other text, in this form (example):\n" + json.dumps(
        example, ensure_ascii=False
    )
    if messages and isinstance(messages[0], SystemMessage):
        return [SystemMessage(content_text(messages[0].content) + rule), *messages[1:]]
    return [SystemMessage(rule.strip()), *messages]


def first_json_object(text: str) -> Any:
    """The first JSON object in the text: code fences, leading words and trailing rambling are ignored."""
    text = strip_reasoning(text)
    start = text.find("{")
    if start < 0:
        raise ValueError(f"no JSON object in the reply: {text[:80]!r}")
    value, _end = json.JSONDecoder().raw_decode(text, start)
    return value


def parse_outcome(schema: type[SchemaT], outcome: Outcome) -> SchemaT:
    """Validate the model's output (tool call arguments, else the text's first JSON object) against the schema."""
    if outcome.message is not None and outcome.message.tool_calls:
        return schema.model_validate(outcome.message.tool_calls[0]["args"])
    return schema.model_validate(first_json_object(outcome.text))


def _repair(
    messages: list[BaseMessage], outcome: Outcome, error: Exception, example: Mapping[str, Any]
) -> list[BaseMessage]:
    problem = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
    if outcome.cut:
        problem = "the reply was cut off by the length limit; keep it short"
    return [
        *messages,
        AIMessage(outcome.text[:2000] or "(empty)"),
        HumanMessage(
            f"That was not the JSON object asked for ({problem}). Reply again with only the JSON "
            f"object, like: {json.dumps(example, ensure_ascii=False)}"
        ),
    ]


@dataclass(frozen=True)
class _Repair:
    """The messages that ask the model to repair a reply that did not validate."""

    messages: list[BaseMessage]


def _parsed_or_repair(
    schema: type[SchemaT], outcome: Outcome, messages: list[BaseMessage], example: Mapping[str, Any]
) -> SchemaT | _Repair:
    """The object, or the repair to ask for."""
    try:
        return parse_outcome(schema, outcome)
    except (ValueError, ValidationError) as invalid:
        return _Repair(_repair(messages, outcome, invalid, example))


def _repaired(schema: type[SchemaT], outcome: Outcome) -> SchemaT:
    try:
        return parse_outcome(schema, outcome)
    except (ValueError, ValidationError) as invalid:
        raise StructuredOutputError(f"{schema.__name__}: {invalid}") from invalid


async def astructured(
    chat_model: BaseChatModel, kind: str, schema: type[SchemaT], messages: list[BaseMessage], example: Mapping[str, Any]
) -> SchemaT:
    """One validated object from the model, with one repair; raises StructuredOutputError (or the call's error)."""
    kwargs = _structured_kwargs(policy_of(chat_model), schema)
    messages = json_instructions(messages, example)
    result = _parsed_or_repair(schema, await agenerate(chat_model, kind, messages, **kwargs), messages, example)
    if not isinstance(result, _Repair):
        return result
    return _repaired(schema, await agenerate(chat_model, kind, result.messages, **kwargs))


def structured(
    chat_model: BaseChatModel, kind: str, schema: type[SchemaT], messages: list[BaseMessage], example: Mapping[str, Any]
) -> SchemaT:
    """`astructured` for synchronous callers."""
    kwargs = _structured_kwargs(policy_of(chat_model), schema)
    messages = json_instructions(messages, example)
    result = _parsed_or_repair(schema, generate(chat_model, kind, messages, **kwargs), messages, example)
    if not isinstance(result, _Repair):
        return result
    return _repaired(schema, generate(chat_model, kind, result.messages, **kwargs))


def stream_structured(
    chat_model: BaseChatModel, kind: str, schema: type[SchemaT], messages: list[BaseMessage], example: Mapping[str, Any]
) -> Iterator[dict[str, Any] | SchemaT]:
    """Partial objects (dicts) while the model writes, then the validated object last. A reply that does not
    validate is repaired by a whole call when nothing was shown yet; otherwise StructuredOutputError."""
    kwargs = _structured_kwargs(policy_of(chat_model), schema)
    messages = json_instructions(messages, example)
    outcome = Outcome()
    shown = False
    for _piece in stream_text(chat_model, kind, messages, outcome, **kwargs):
        start = outcome.text.find("{")
        partial = parse_partial_json(outcome.text[start:]) if start >= 0 else None
        if isinstance(partial, dict) and partial:
            shown = True
            yield partial
    result = _parsed_or_repair(schema, outcome, messages, example)
    if not isinstance(result, _Repair):
        yield result
    elif shown:
        raise StructuredOutputError(f"{schema.__name__}: the streamed object does not validate")
    else:
        yield _repaired(schema, generate(chat_model, kind, result.messages, **kwargs))


# --- messages -------------------------------------------------------------------------------------------


def capped(text: str, limit: int) -> str:
    """An earlier message shortened for the model's context: its start, marked as cut."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def alternating(messages: list[BaseMessage], opener: str) -> list[BaseMessage]:
    """Messages that strict chat templates accept: one system message first, then user and assistant taking
    turns starting with the user (a short user turn `opener` goes first when the assistant would), same-role
    neighbours joined."""
    system = [content_text(m.content) for m in messages if isinstance(m, SystemMessage)]
    turns: list[BaseMessage] = []
    for message in messages:
        if isinstance(message, SystemMessage):
            continue
        is_user = not isinstance(message, AIMessage)
        if not turns and not is_user:
            turns.append(HumanMessage(opener))
        if turns and (not isinstance(turns[-1], AIMessage)) == is_user:
            previous = turns.pop()
            joined = content_text(previous.content) + "\n" + content_text(message.content)
            turns.append(HumanMessage(joined) if is_user else AIMessage(joined))
        else:
            turns.append(
                HumanMessage(content_text(message.content)) if is_user else AIMessage(content_text(message.content))
            )
    return ([SystemMessage("\n\n".join(system))] if system else []) + turns


def probe_model(chat_model: BaseChatModel) -> dict[str, Any]:
    """One call capped at one token (GET /api/health?deep=1): did the model answer, and how fast."""
    started = time.monotonic()
    try:
        generate(chat_model, "health", [SystemMessage("Reply with one word."), HumanMessage("ping")])
    except Exception as error:  # whatever failed is the answer to "is it reachable"
        return {
            "reachable": False,
            "latency_ms": round((time.monotonic() - started) * 1000),
            "error": describe_error(error),
        }
    return {"reachable": True, "latency_ms": round((time.monotonic() - started) * 1000), "error": None}


def broke_off(error: BaseException) -> bool:
    """The answer's stream was cut by the connection (not a timeout, not an HTTP error): the server has stopped
    generating for it, so asking again costs no duplicate work."""
    return is_outage(error) and not isinstance(error, (TimeoutError, openai.APITimeoutError, openai.APIStatusError))


def describe_error(error: BaseException) -> str:
    """One line for logs and stored notes: the provider's own message for an HTTP error."""
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code}: {error.message}"[:300]
    return f"{type(error).__name__}: {error}"[:300]
