"""Knowledge base for "Ask the playbook": Markdown chunks, BM25 (+ optional dense) retrieval, offline answers."""

from app.knowledge.answer import Answer, Citation, answer_offline
from app.knowledge.chunks import Chunk, load_chunks, parse_markdown
from app.knowledge.retriever import KnowledgeIndex, PlaybookRetriever, get_index, reciprocal_rank_fusion

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "KnowledgeIndex",
    "PlaybookRetriever",
    "answer_offline",
    "get_index",
    "load_chunks",
    "parse_markdown",
    "reciprocal_rank_fusion",
]
