"""Builds the LangChain chat model from settings: ChatOpenAI for any OpenAI-compatible endpoint, or None offline."""

from __future__ import annotations

import httpx2
from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI

from app.config import Settings
from app.llm.calls import CallPolicy
from app.llm.resilience import ModelGuard


def build_chat_model(settings: Settings, guard: ModelGuard | None = None) -> BaseChatModel | None:
    """One plain ChatOpenAI serves OpenAI, DeepSeek, Qwen (DashScope compatible mode), Kimi, GLM, Ollama, vLLM and
    llama.cpp; what differs between them is settings (README, "Model providers").

    Returns None for the offline provider: every feature then uses its deterministic engine. Every call goes
    through `guard` (circuit breaker, token budget; app.llm.resilience), a breaker-only one when none is given;
    features call the model through app.llm.calls, which reads the call policy attached to the guard.
    """
    if not settings.llm_enabled:
        return None
    guard = guard or ModelGuard()
    guard.policy = CallPolicy.from_settings(settings)
    api_key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.openai_base_url,
        api_key=api_key,
        # An httpx2.Timeout (the SDK's transport; unhashable) makes langchain-openai build this model its own HTTP
        # clients instead of sharing cached ones, whose pooled connections break when used from another event loop.
        # Per read: a streamed answer fails after this long without a token.
        timeout=httpx2.Timeout(settings.llm_timeout_s),
        # The same limit between parsed chunks of an async stream: SSE keep-alive comments do not reset it.
        stream_chunk_timeout=settings.llm_timeout_s,
        max_retries=0,  # app.llm.calls retries what is worth retrying, never a timed-out generation
        temperature=settings.llm_temperature,  # None: not sent
        extra_body=dict(settings.llm_extra_body) or None,  # calls through app.llm.calls add the token cap
        stream_usage=settings.llm_stream_usage,
        callbacks=[guard],
    )
