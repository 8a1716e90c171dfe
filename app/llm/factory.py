"""Builds the LangChain chat model from settings: ChatOpenAI for any OpenAI-compatible endpoint, or None offline."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI
from openai import AsyncStream, NotGiven, Stream, not_given
from openai._base_client import make_request_options
from openai.resources.chat.completions import AsyncCompletions, Completions
from openai.types.chat import ChatCompletion

from app.config import Settings
from app.llm.resilience import ModelGuard


def build_chat_model(settings: Settings, guard: ModelGuard | None = None) -> BaseChatModel | None:
    """One ChatOpenAI serves OpenAI, DeepSeek, Qwen (compatible mode), Moonshot, Ollama, vLLM, llama.cpp.

    Returns None for the offline provider: every feature then uses its deterministic engine. Every call goes
    through `guard` (circuit breaker, token budget; app.llm.resilience), a breaker-only one when none is given.
    """
    if not settings.llm_enabled:
        return None
    api_key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    model = ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.openai_base_url,
        api_key=api_key,
        # An httpx.Timeout (unhashable) makes langchain-openai build this model its own HTTP clients instead of
        # sharing process-wide cached ones, whose pooled connections break when used from another event loop.
        timeout=httpx.Timeout(settings.llm_timeout_s),
        max_retries=settings.llm_max_retries,  # the client's own backoff for 408/409/429/5xx, timeouts, resets
        temperature=0.4,
        callbacks=[guard or ModelGuard()],
    )
    model.client = WireFormatCompletions(model.root_client)
    model.async_client = AsyncWireFormatCompletions(model.root_async_client)
    return model


# LangChain hands `chat.completions.create` a payload already in wire format (messages as plain dicts) and takes
# stream chunks as plain dicts too. The SDK's create() walks the payload against its TypedDicts before sending (for
# chat parameters, which declare no aliases or formats, that walk returns it unchanged) and builds a typed model of
# every chunk, which LangChain dumps straight back to a dict. For a buyer's reply those two were most of the
# client's cost per turn (bench/RESULTS.md, role-play row). These send the payload as it is and hand the chunks
# over as the server's JSON, through the same request machinery: path, auth, retries, timeouts, errors. A
# non-streamed reply is still a typed ChatCompletion; everything else (parse, with_raw_response, …) is the SDK's own.
#
# An async stream also merges the text deltas that are already there when LangChain asks for the next chunk.
# LangChain spends about 80 µs on every chunk (callbacks, message objects, metadata). A model streaming at its
# own pace sends one delta at a time and that cost hides in the wait for the next one; but when deltas come
# faster than the process takes them (a fast server, a busy process) they queue up, and handing them over one by
# one makes the reply wait for LangChain. A task of the stream's own reads the SDK's chunks ahead; the deltas it
# has gathered by the time LangChain asks go over as one. Only plain text deltas merge: a role change, a tool
# call, a finish reason, log probabilities or usage keep their own chunk.


def _body_and_options(params: dict[str, Any], extra_headers: Any, extra_query: Any, extra_body: Any,
                      timeout: Any) -> tuple[dict[str, Any], Any]:
    body = {key: value for key, value in params.items() if not isinstance(value, NotGiven)}
    options = make_request_options(extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body,
                                   timeout=timeout, security={"bearer_auth": True})
    return body, options


class WireFormatCompletions(Completions):
    def create(self, *, extra_headers: Any = None, extra_query: Any = None, extra_body: Any = None,
               timeout: Any = not_given, **params: Any) -> Any:
        body, options = _body_and_options(params, extra_headers, extra_query, extra_body, timeout)
        return self._post("/chat/completions", body=body, options=options, cast_to=ChatCompletion,
                          stream=bool(body.get("stream")), stream_cls=Stream[object])


class AsyncWireFormatCompletions(AsyncCompletions):
    async def create(self, *, extra_headers: Any = None, extra_query: Any = None, extra_body: Any = None,
                     timeout: Any = not_given, **params: Any) -> Any:
        body, options = _body_and_options(params, extra_headers, extra_query, extra_body, timeout)
        return await self._post("/chat/completions", body=body, options=options, cast_to=ChatCompletion,
                                stream=bool(body.get("stream")), stream_cls=AsyncMergingStream)


class AsyncMergingStream(AsyncStream[object]):
    async def __stream__(self) -> AsyncIterator[object]:
        async for gathered in _read_ahead(super().__stream__()):
            for chunk in merged_text_deltas(gathered):
                yield chunk


async def _read_ahead(source: AsyncIterator[Any]) -> AsyncIterator[list[Any]]:
    """The source's items in lists: everything a task of its own has read since the consumer last asked."""
    gathered: list[Any] = []
    arrived = asyncio.Event()

    async def read() -> None:  # the task ends as the source does: done, or with its error
        try:
            async for item in source:
                gathered.append(item)
                arrived.set()
        finally:
            arrived.set()

    reader = asyncio.create_task(read())
    try:
        while True:
            arrived.clear()  # before looking: whatever the reader adds from here on sets it again
            if gathered:
                batch, gathered[:] = gathered[:], []
                yield batch
            elif reader.done():
                reader.result()  # raises the source's error, after everything read before it
                return
            else:
                await arrived.wait()
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):  # its outcome was handed over above, or is moot
            await reader


def merged_text_deltas(chunks: list[Any]) -> Iterator[Any]:
    """The chunks, each run of plain text deltas of one reply merged into its first; everything else as it came."""
    run: list[dict[str, Any]] = []
    for chunk in chunks:
        if _is_text_delta(chunk) and (not run or _continues(chunk, run[0])):
            run.append(chunk)
            continue
        yield from _joined(run)
        run = [chunk] if _is_text_delta(chunk) else []
        if not run:
            yield chunk
    yield from _joined(run)


def _is_text_delta(chunk: Any) -> bool:
    """A chunk with one choice whose delta carries text (and maybe the role) and nothing else."""
    if not isinstance(chunk, dict) or chunk.get("usage") or chunk.get("error"):
        return False
    choices = chunk.get("choices")
    if not isinstance(choices, list) or len(choices) != 1 or not isinstance(choices[0], dict):
        return False
    choice = choices[0]
    delta = choice.get("delta")
    if not isinstance(delta, dict) or choice.get("finish_reason") is not None or choice.get("logprobs") is not None:
        return False
    return isinstance(delta.get("content"), str) and all(
        value is None for key, value in delta.items() if key not in ("content", "role"))


def _continues(chunk: dict[str, Any], first: dict[str, Any]) -> bool:
    """The same reply and choice as the run's first chunk, and no role of its own."""
    choice, first_choice = chunk["choices"][0], first["choices"][0]
    return (chunk.get("id") == first.get("id") and choice.get("index") == first_choice.get("index")
            and choice["delta"].get("role") is None)


def _joined(run: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    if len(run) > 1:
        run[0]["choices"][0]["delta"]["content"] = "".join(chunk["choices"][0]["delta"]["content"] for chunk in run)
    yield from run[:1]
