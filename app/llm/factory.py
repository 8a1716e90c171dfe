"""Builds the LangChain chat model from settings: ChatOpenAI for any OpenAI-compatible endpoint, or None offline."""

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI

from app.config import Settings


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """One ChatOpenAI serves OpenAI, DeepSeek, Qwen (compatible mode), Moonshot, Ollama, vLLM, llama.cpp.

    Returns None for the offline provider: every feature then uses its deterministic engine.
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
        max_retries=settings.llm_max_retries,
        temperature=0.4,
    )
