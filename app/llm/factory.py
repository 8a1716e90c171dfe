"""Builds the LangChain chat model from settings: ChatOpenAI for any OpenAI-compatible endpoint, or None offline."""

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
                                stream=bool(body.get("stream")), stream_cls=AsyncStream[object])
