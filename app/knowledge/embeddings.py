"""Dense retrieval through an OpenAI-compatible /v1/embeddings endpoint, fused with BM25 when EMBEDDINGS_MODEL is set."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from langchain_openai import OpenAIEmbeddings
from pydantic import SecretStr

from app.config import Settings
from app.knowledge.chunks import Chunk
from app.knowledge.retriever import EmbedFn, KnowledgeIndex, get_index

logger = logging.getLogger(__name__)

# After a failed index build we answer with BM25 alone and try the endpoint again this much later.
RETRY_BUILD_AFTER_S = 60.0
QUERY_CACHE_SIZE = 512
# Passage vectors kept per endpoint, keyed by a hash of the text: the playbook's ~200 passages plus the teams'
# documents. A team's upload then embeds only its own new passages, never the playbook again.
PASSAGE_CACHE_SIZE = 50_000


class EmbeddingUnavailable(RuntimeError):
    """The embeddings endpoint could not embed the texts (down, timed out, or answered garbage)."""


@dataclass(frozen=True)
class EmbeddingsEndpoint:
    """Where and how to embed: EMBEDDINGS_BASE_URL (else the chat model's server) with the embeddings model."""

    model: str
    base_url: str | None
    api_key: str = field(repr=False)
    timeout_s: float
    max_retries: int
    batch: int = 10  # texts per request: DashScope's compatible mode refuses more than 10

    @classmethod
    def from_settings(cls, settings: Settings) -> EmbeddingsEndpoint | None:
        """The configured endpoint, or None when dense retrieval is off (no EMBEDDINGS_MODEL, or nowhere to send it)."""
        if not settings.embeddings_model:
            return None
        base_url = settings.embeddings_base_url or settings.openai_base_url
        key = settings.embeddings_api_key or settings.openai_api_key
        if not (base_url or key):
            logger.warning(
                "EMBEDDINGS_MODEL is set but neither EMBEDDINGS_BASE_URL/OPENAI_BASE_URL nor an API key: BM25 only"
            )
            return None
        api_key = key.get_secret_value() if key else "not-needed"
        return cls(
            settings.embeddings_model,
            base_url,
            api_key,
            settings.llm_timeout_s,
            settings.llm_max_retries,
            settings.embeddings_batch,
        )


def text_key(text: str) -> str:
    """The cache key of a passage's text: its content hash."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed_function(endpoint: EmbeddingsEndpoint) -> EmbedFn:
    """An embed function for KnowledgeIndex. Single queries are cached; passages are cached by content hash, so
    rebuilding an index with a team's documents sends only the texts not embedded before. Failures raise
    EmbeddingUnavailable."""
    client = OpenAIEmbeddings(
        model=endpoint.model,
        openai_api_base=endpoint.base_url,  # the fields' names (the aliases base_url, api_key, timeout are not typed)
        openai_api_key=SecretStr(endpoint.api_key),
        request_timeout=endpoint.timeout_s,
        max_retries=endpoint.max_retries,
        chunk_size=endpoint.batch,
        # Send plain strings: tiktoken token ids only suit OpenAI's own models (and need a download).
        check_embedding_ctx_length=False,
    )
    passages: dict[str, list[float]] = {}
    passages_lock = threading.Lock()

    @lru_cache(maxsize=QUERY_CACHE_SIZE)
    def embed_query(text: str) -> tuple[float, ...]:
        return tuple(client.embed_query(text))

    def embed_passages(texts: list[str]) -> list[list[float]]:
        keys = [text_key(text) for text in texts]
        with passages_lock:
            known = {key: passages[key] for key in keys if key in passages}
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
        if missing:
            fresh = dict(zip(missing, client.embed_documents(list(missing.values())), strict=True))
            with passages_lock:
                if len(passages) + len(fresh) > PASSAGE_CACHE_SIZE:
                    passages.clear()  # rare (a huge library): start over rather than grow without bound
                passages.update(fresh)
            known.update(fresh)
        return [known[key] for key in keys]

    def embed(texts: list[str]) -> Sequence[Sequence[float]]:
        try:
            if len(texts) == 1:  # a question: the offline answer and the model path both search with it
                return [embed_query(texts[0])]
            return embed_passages(texts)
        except Exception as error:  # any failure of the remote endpoint means "no dense ranking now"
            raise EmbeddingUnavailable(f"{type(error).__name__}: {error}") from error

    return embed


class FusedIndex(KnowledgeIndex):
    """BM25 and dense rankings fused by reciprocal rank; BM25 alone while the endpoint is unavailable."""

    def search(self, query: str, k: int = 5, situations: bool = True) -> list[tuple[Chunk, float]]:
        try:
            return super().search(query, k, situations)
        except EmbeddingUnavailable as error:
            logger.warning("embeddings unavailable, BM25 only for this question: %s", error)
            return self.bm25_ranking(query, k, situations)


_built: dict[EmbeddingsEndpoint, FusedIndex] = {}
_failed_at: dict[EmbeddingsEndpoint, float] = {}
_lock = threading.Lock()


def knowledge_index(settings: Settings) -> KnowledgeIndex:
    """The index to ask: fused BM25 + dense when an embeddings endpoint is configured and reachable, else BM25."""
    endpoint = EmbeddingsEndpoint.from_settings(settings)
    if endpoint is None:
        return get_index()
    with _lock:  # one build per endpoint, even when several questions arrive at start-up
        if endpoint in _built:
            return _built[endpoint]
        failed_at = _failed_at.get(endpoint)
        if failed_at is not None and time.monotonic() - failed_at < RETRY_BUILD_AFTER_S:
            return get_index()
        try:
            index = FusedIndex.build(get_index().chunks, embed=embed_function(endpoint))
        except EmbeddingUnavailable as error:
            logger.warning("could not embed the knowledge base, BM25 only for now: %s", error)
            _failed_at[endpoint] = time.monotonic()
            return get_index()
        _failed_at.pop(endpoint, None)
        _built[endpoint] = index
        return index
