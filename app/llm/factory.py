"""Builds the LangChain chat model from settings: ChatOpenAI for any OpenAI-compatible endpoint, or None offline."""

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI

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
    return ChatOpenAI(
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
