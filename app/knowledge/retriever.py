"""BM25 retrieval over knowledge chunks, optional dense fusion (RRF), and a LangChain retriever."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Self

import bm25s
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from app.config import REPO_ROOT
from app.knowledge.chunks import Chunk, key_terms_line, load_chunks, strip_key_terms
from app.knowledge.sources import load_situations, load_sources
from app.knowledge.tokenize import (
    character_frequency,
    is_dictionary_word,
    mostly_chinese,
    query_term_groups,
    question_is_chinese,
    tokenize,
)

# Embeds a batch of texts into vectors (same shape as LangChain's Embeddings.embed_documents).
EmbedFn = Callable[[list[str]], Sequence[Sequence[float]]]

KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
RRF_K = 60  # the usual constant from Cormack et al.; damps the weight of top ranks
DENSE_DEPTH = 20  # how many dense neighbours take part in the fusion
# Typo repair: a question word the knowledge base never uses (and, for Chinese, not a dictionary word either: jieba
# only guessed it, as in 考滤) is read also as the knowledge base's words one character away from it (考虑),
# at most this many, the commonest first. English words need this many letters to be repaired.
MAX_CORRECTIONS = 3
MIN_LATIN_TYPO_CHARS = 5
# A character this common (有, 说, 是, 会) is a word jieba glued on (时有), not a mistyped one: never replaced.
MAX_TYPO_CHARACTER_FREQUENCY = 50_000
CJK_WORD_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
CJK_CHAR_RE = re.compile(r"[\u4e00-\u9fff]")
# A question that contains a passage's key-term phrase adds this share of the best BM25 score to that passage.
KEY_PHRASE_BONUS = 0.25
MIN_CJK_PHRASE_CHARS = 3
PHRASE_TOKEN_RE = re.compile(r"[\w']+|[^\w\s]")
# A passage answering a situation the question describes (playbooks/ask/situations.yaml) adds this share of the best
# BM25 score, enough to reach the top hits: a rep's own words for a situation often share few tokens with the passage
# that answers it. Among several such passages their own scores decide.
SITUATION_BONUS = 1.0


def key_phrases(chunk: Chunk) -> tuple[str, ...]:
    """The chunk's key terms that are phrases: English of two words or more (" "-joined, matched at word edges),
    Chinese of three characters or more."""
    line = key_terms_line(chunk.text)
    terms = [term.strip().lower() for term in line.partition(":")[2].split(",")] if line else []
    phrases = []
    for term in terms:
        if CJK_CHAR_RE.search(term):
            if len(term) >= MIN_CJK_PHRASE_CHARS:
                phrases.append(term)
        elif len(words := re.findall(r"[\w']+", term)) >= 2:
            phrases.append(" ".join(words))
    return tuple(dict.fromkeys(phrases))


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Fuse several rankings of ids: score(id) = sum over rankings of 1 / (k + rank), rank from 1."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item_id in enumerate(ranking, start=1):
            scores[item_id] = scores.get(item_id, 0.0) + 1.0 / (k + rank)
    # Ties keep first-seen order (sorted is stable), so the first ranking wins ties.
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)


def index_text(chunk: Chunk) -> str:
    """What BM25 sees for a chunk: the title hierarchy, its own heading again (a small boost), the body."""
    own_heading = chunk.title.split(" › ")[-1]
    return f"{chunk.title}\n{own_heading}\n{chunk.text}"


def _bm25_idf(document_frequency: float, corpus_size: float) -> float:
    return math.log((corpus_size - document_frequency + 0.5) / (document_frequency + 0.5) + 1.0)


# The passage counts at which answer.py's relevance thresholds were measured (the playbook: 337 passages, 168 in
# Chinese, 169 in English). A word's decision weight is its BM25 IDF at that size, from the share of the passages in
# its own language that use it: adding passages on other matters (a team's handbook, the English twins of a chapter)
# no longer raises every word's weight and tips questions near a threshold, and a word the knowledge base never uses
# weighs the same however large it grows.
CALIBRATION_PASSAGES = 337
CALIBRATION_LANGUAGE_PASSAGES = {"zh": 168, "en": 169}


class KnowledgeIndex:
    """Searchable index over chunks: BM25 always, plus dense vectors when an embed function is given."""

    def __init__(
        self,
        chunks: list[Chunk],
        bm25: bm25s.BM25,
        chunk_token_sets: list[frozenset[str]],
        document_frequency: dict[str, int],
        embed: EmbedFn | None = None,
        chunk_vectors: np.ndarray | None = None,
    ) -> None:
        self.chunks = chunks
        self._bm25 = bm25
        self._chunk_token_sets = chunk_token_sets
        self._document_frequency = document_frequency
        self._embed = embed
        self._chunk_vectors = chunk_vectors
        self._by_id = {chunk.id: chunk for chunk in chunks}
        self._position = {chunk.id: position for position, chunk in enumerate(chunks)}
        self._near_words: dict[str, list[str]] | None = None  # built on the first unknown question word
        # key-term phrase -> positions of the chunks naming it; looked up by the question's substrings and n-grams
        self._phrase_chunks: dict[str, list[int]] = {}
        for position, chunk in enumerate(chunks):
            for phrase in key_phrases(chunk):
                self._phrase_chunks.setdefault(phrase, []).append(position)
        self._chinese = [mostly_chinese(strip_key_terms(chunk.text)) for chunk in chunks]
        # Decision weights (idf) come from the playbook's passages: a team's documents add evidence to search, but
        # do not reweigh the playbook's words (an index of team documents alone weighs by its own).
        playbook = [position for position, chunk in enumerate(chunks) if chunk.team_id is None] or range(len(chunks))
        self._decision_frequency: dict[str, int] = {}
        for position in playbook:
            for token in chunk_token_sets[position]:
                self._decision_frequency[token] = self._decision_frequency.get(token, 0) + 1
        chinese_passages = sum(self._chinese[position] for position in playbook)
        self._language_passages = {"zh": chinese_passages, "en": len(playbook) - chinese_passages}
        self._cjk_phrase_lengths = sorted({len(p) for p in self._phrase_chunks if CJK_CHAR_RE.search(p)})
        self._max_phrase_words = max(
            (p.count(" ") + 1 for p in self._phrase_chunks if not CJK_CHAR_RE.search(p)), default=0
        )

    @classmethod
    def build(cls, chunks: list[Chunk], embed: EmbedFn | None = None) -> Self:
        """Tokenise and index the chunks; with `embed`, also embed every chunk for dense search."""
        if not chunks:
            raise ValueError("cannot build a knowledge index without chunks")
        corpus_tokens = [chunk_tokens(chunk) for chunk in chunks]
        bm25 = bm25s.BM25()
        bm25.index(corpus_tokens, show_progress=False)
        token_sets = [frozenset(tokens) for tokens in corpus_tokens]
        document_frequency: dict[str, int] = {}
        for token_set in token_sets:
            for token in token_set:
                document_frequency[token] = document_frequency.get(token, 0) + 1
        vectors = None
        if embed is not None:
            vectors = _normalised_matrix(embed([index_text(chunk) for chunk in chunks]))
        return cls(chunks, bm25, token_sets, document_frequency, embed, vectors)

    def extended(self, extra: Sequence[Chunk]) -> KnowledgeIndex:
        """This index plus more chunks (a team's documents), built the same way; cached per chunk set."""
        return _extended(self, tuple(extra)) if extra else self

    def chunk(self, chunk_id: str) -> Chunk:
        """The chunk with this id (KeyError if unknown)."""
        return self._by_id[chunk_id]

    @property
    def vocabulary(self) -> dict[str, int]:
        """Token -> how many chunks use it."""
        return self._document_frequency

    def ids(self) -> list[str]:
        return [chunk.id for chunk in self.chunks]

    def has(self, chunk_id: str) -> bool:
        """Whether a chunk with this id is indexed."""
        return chunk_id in self._by_id

    def bm25_ranking(self, query: str, k: int, situations: bool = True) -> list[tuple[Chunk, float]]:
        """Top-k chunks by BM25 score; chunks sharing no token with the query are left out, unless they answer a
        situation the question describes (with `situations`)."""
        query_tokens = list(dict.fromkeys(token for group in self.query_groups(query) for token in group))
        if not query_tokens:
            return []
        scores = self._bm25.get_scores(query_tokens)
        if (phrased := self._key_phrase_chunks(query)) and scores.max() > 0:
            # A passage whose key terms name the situation in the question's own phrase ("first call", "先发资料")
            # gains a share of the best score: a phrase says more than its words scattered over another passage.
            bonus = KEY_PHRASE_BONUS * float(scores.max())
            for position in phrased:
                if scores[position] > 0:
                    scores[position] += bonus
        if situations and (situated := self._situation_positions(query)):
            # The passages answering a situation the question describes, in its language, even sharing no word.
            bonus = SITUATION_BONUS * (float(scores.max()) or 1.0)
            for position in situated:
                scores[position] += bonus
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.chunks[i], float(scores[i])) for i in order if scores[i] > 0]

    def situation_passages(self, query: str) -> frozenset[str]:
        """Ids of the passages answering a situation the question describes (situations.yaml), in this index."""
        return frozenset(chunk_id for chunk_id in load_situations().passages(query) if chunk_id in self._position)

    def asked_situation_passages(self, query: str) -> frozenset[str]:
        """Ids of the passages answering a situation named in the question's last sentence (its asked point)."""
        return frozenset(chunk_id for chunk_id in load_situations().asked_passages(query) if chunk_id in self._position)

    def described_situation_passages(self, query: str) -> frozenset[str]:
        """Ids of the passages answering a situation the question describes outside the rep's worry clauses."""
        return frozenset(
            chunk_id for chunk_id in load_situations().described_passages(query) if chunk_id in self._position
        )

    def detail_situation_passages(self, query: str) -> frozenset[str]:
        """Ids of the passages answering a named situation that is a detail of a broader one also named."""
        return frozenset(
            chunk_id for chunk_id in load_situations().detail_passages(query) if chunk_id in self._position
        )

    def _situation_positions(self, query: str) -> list[int]:
        chinese = question_is_chinese(query)
        positions = (self._position[chunk_id] for chunk_id in self.situation_passages(query))
        return sorted(position for position in positions if self._chinese[position] == chinese)

    def _key_phrase_chunks(self, query: str) -> list[int]:
        """Positions of the chunks with a key-term phrase (two words or more, or three Chinese characters or more)
        that the question contains."""
        tokens = PHRASE_TOKEN_RE.findall(query.lower())
        text = " ".join(tokens)
        candidates = [text[i : i + size] for size in self._cjk_phrase_lengths for i in range(len(text) - size + 1)]
        candidates += [
            " ".join(tokens[i : i + size])
            for size in range(2, self._max_phrase_words + 1)
            for i in range(len(tokens) - size + 1)
        ]
        found = {position for candidate in candidates for position in self._phrase_chunks.get(candidate, ())}
        return sorted(found)

    def dense_ranking(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """Top-k chunks by cosine similarity to the query (empty without an embed function)."""
        if self._embed is None or self._chunk_vectors is None:
            return []
        query_vector = _normalised_matrix(self._embed([query]))[0]
        similarities = self._chunk_vectors @ query_vector
        order = np.argsort(-similarities, kind="stable")[:k]
        return [(self.chunks[i], float(similarities[i])) for i in order]

    def search(self, query: str, k: int = 5, situations: bool = True) -> list[tuple[Chunk, float]]:
        """Best chunks for the query, best first. BM25 scores alone, or RRF scores when dense is on."""
        if self._embed is None:
            return self.bm25_ranking(query, k, situations)
        depth = max(k, DENSE_DEPTH)
        lexical = [chunk.id for chunk, _ in self.bm25_ranking(query, depth, situations)]
        dense = [chunk.id for chunk, _ in self.dense_ranking(query, depth)]
        fused = reciprocal_rank_fusion([lexical, dense])[:k]
        return [(self._by_id[chunk_id], score) for chunk_id, score in fused]

    def _match_weights(self, query: str, chunk: Chunk) -> tuple[float, float, list[str]]:
        """(IDF weight of the question words found in the chunk, IDF weight of all of them, found words)."""
        chunk_tokens = self._chunk_token_sets[self._position[chunk.id]]
        found = total = 0.0
        found_terms: list[str] = []
        for group in self.query_groups(query):
            # A question word weighs its IDF; words the knowledge base never uses weigh the most,
            # so a question about something else (Kubernetes) is mostly "not found". A word found
            # only through a sub-word or synonym counts with that (usually commoner) token's weight.
            word_weight = self.idf(group[0])
            total += word_weight
            present = [token for token in group if token in chunk_tokens]
            if present:
                found += word_weight if group[0] in present else min(word_weight, max(self.idf(t) for t in present))
                found_terms.append(group[0])
        return found, total, found_terms

    def query_groups(self, query: str) -> list[tuple[str, ...]]:
        """The question's word groups (query_term_groups), each unknown word widened by its typo repairs."""
        groups = []
        for group in query_term_groups(query):
            if not any(token in self._document_frequency for token in group):
                group = group + tuple(word for word in self.corrections(group[0]) if word not in group)
            groups.append(group)
        return groups

    def corrections(self, word: str) -> list[str]:
        """Words of the knowledge base one character away from `word` (substituted, or for English also dropped or
        added), commonest first; none for a word the knowledge base or, in Chinese, the dictionary knows."""
        if word in self._document_frequency:
            return []
        if CJK_WORD_RE.match(word):
            if is_dictionary_word(word):
                return []
            keys = [
                word[:i] + "*" + word[i + 1 :]
                for i in range(len(word))
                if character_frequency(word[i]) < MAX_TYPO_CHARACTER_FREQUENCY
            ]
        elif word.isascii() and word.isalpha() and len(word) >= MIN_LATIN_TYPO_CHARS:
            keys = [word, *_deletions(word)]
        else:
            return []
        near = self._near_word_table()
        found = {candidate for key in keys for candidate in near.get(key, ())}
        found.discard(word)
        return sorted(found, key=lambda w: (-self._document_frequency[w], w))[:MAX_CORRECTIONS]

    def _near_word_table(self) -> dict[str, list[str]]:
        """Wildcard keys (考*, *虑) of the Chinese words and deletion keys of the English words, to their words."""
        if self._near_words is None:
            table: dict[str, list[str]] = {}
            for word in self._document_frequency:
                if CJK_WORD_RE.match(word):
                    keys = [word[:i] + "*" + word[i + 1 :] for i in range(len(word))]
                elif word.isascii() and word.isalpha() and len(word) >= MIN_LATIN_TYPO_CHARS - 1:
                    keys = [word, *_deletions(word)]
                else:
                    continue
                for key in keys:
                    table.setdefault(key, []).append(word)
            self._near_words = table
        return self._near_words

    def idf(self, token: str) -> float:
        """A token's decision weight: BM25 inverse document frequency (highest for unseen tokens), at the calibration
        size, of the share of the playbook's passages in the token's language (Chinese or not) that use it."""
        lang = "zh" if CJK_CHAR_RE.search(token) else "en"
        frequency = self._decision_frequency.get(token, 0)
        share = frequency / max(self._language_passages[lang], 1)
        return _bm25_idf(share * CALIBRATION_LANGUAGE_PASSAGES[lang], CALIBRATION_PASSAGES)

    def matched_terms(self, query: str, chunk: Chunk) -> list[str]:
        """The question's distinct tokens that also occur in the chunk."""
        return self._match_weights(query, chunk)[2]

    def matched_weight(self, query: str, chunk: Chunk) -> float:
        """Summed IDF of the question's tokens found in the chunk: how much specific evidence it holds."""
        return self._match_weights(query, chunk)[0]

    def coverage(self, query: str, chunk: Chunk) -> float:
        """IDF-weighted share of the question's distinct tokens found in the chunk (0..1)."""
        found, total, _ = self._match_weights(query, chunk)
        return found / total if total else 0.0


@lru_cache(maxsize=8192)
def chunk_tokens(chunk: Chunk) -> list[str]:
    """BM25 tokens of a chunk, cached: a team's index is rebuilt with the playbook's chunks in it."""
    return tokenize(index_text(chunk))


@lru_cache(maxsize=64)
def _extended(base: KnowledgeIndex, extra: tuple[Chunk, ...]) -> KnowledgeIndex:
    return type(base).build([*base.chunks, *extra], embed=base._embed)


def _deletions(word: str) -> list[str]:
    """The word with one letter left out, each way (symmetric delete: two words sharing one are one edit apart)."""
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _normalised_matrix(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    """Rows scaled to unit length so a dot product is the cosine similarity."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


@lru_cache(maxsize=1)
def get_index() -> KnowledgeIndex:
    """The BM25 index over `<repo root>/knowledge/*.md`, built once per process."""
    return KnowledgeIndex.build(load_chunks(KNOWLEDGE_DIR, load_sources()))


def chunk_to_document(chunk: Chunk, score: float) -> Document:
    """A LangChain Document for a chunk: readable body plus id/title/source metadata."""
    return Document(
        page_content=f"{chunk.title}\n{strip_key_terms(chunk.text)}",
        metadata={"id": chunk.id, "title": chunk.title, "source": chunk.source, "file": chunk.file, "score": score},
    )


class PlaybookRetriever(BaseRetriever):
    """LangChain retriever over the playbook knowledge base (defaults to the cached index)."""

    index: KnowledgeIndex | None = None
    k: int = 4

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        index = self.index if self.index is not None else get_index()
        return [chunk_to_document(chunk, score) for chunk, score in index.search(query, self.k)]
