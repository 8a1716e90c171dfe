"""Answer playbook questions offline: extractive, composed from the best chunks, with citations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from app.knowledge.chunks import Chunk, key_terms_line, strip_key_terms
from app.knowledge.retriever import KnowledgeIndex
from app.knowledge.tokenize import is_chinese, tokenize

# When is a passage relevant enough to answer from? Measured on the golden set plus ~25
# off-topic questions (年会, 报销, weather, laptop passwords): off-topic questions share exactly
# one word with their best passage (公司, 上海, "good"), on-topic ones share two or more.
# - the shared words must carry some weight (summed IDF): one common word (销售) is no evidence;
# - two or more shared words: they must make up MIN_COVERAGE of the question (IDF-weighted);
# - a single shared word must make up SINGLE_TERM_COVERAGE of the question on its own.
MIN_MATCHED_WEIGHT = 2.0
MIN_COVERAGE = 0.15
SINGLE_TERM_COVERAGE = 0.5
# Up to two more passages are added when they score close to the best one (comparisons,
# questions spanning two sections); only their lines that use the question's specific words.
SECONDARY_SCORE_RATIO = 0.75
MAX_SECONDARY_CHUNKS = 2
# Question words at least this rare (IDF) pick the supporting lines; 客户/销售 are too common.
LINE_TERM_MIN_IDF = 1.5
MAX_PRIMARY_CHARS = 900
MAX_SECONDARY_LINES = 4
SHORT_SECONDARY_CHARS = 240
EXCERPT_CHARS = 160

NOT_COVERED_ZH = "销售手册里没有涉及这个问题（The playbook does not cover this question.）"
NOT_COVERED_EN = "The playbook does not cover this question. (销售手册里没有涉及这个问题。)"


class Citation(BaseModel):
    """A passage the answer is built from."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    source: str
    excerpt: str


class Answer(BaseModel):
    """An offline answer: the text shown to the rep and the passages it cites."""

    answer: str
    citations: list[Citation]
    covered: bool = True


def _overlap(line: str, query_tokens: set[str]) -> int:
    return len(query_tokens & set(tokenize(line)))


def _primary_body(chunk: Chunk, query_tokens: set[str]) -> str:
    """The chunk body; when long, its opening lines plus the lines that share most words with the question."""
    body = strip_key_terms(chunk.text)
    if len(body) <= MAX_PRIMARY_CHARS:
        return body
    lines = [line for line in body.splitlines() if line.strip()]
    ranked = sorted(range(len(lines)), key=lambda i: (-_overlap(lines[i], query_tokens), i))
    keep = {0, 1}
    budget = MAX_PRIMARY_CHARS - sum(len(lines[i]) for i in keep if i < len(lines))
    for i in ranked:
        if i in keep:
            continue
        if len(lines[i]) > budget:
            continue  # a shorter, less relevant line may still fit
        keep.add(i)
        budget -= len(lines[i])
    return "\n".join(lines[i] for i in sorted(keep) if i < len(lines))


def _secondary_lines(chunk: Chunk, query_tokens: set[str]) -> str:
    """A short supporting chunk whole; of a longer one, only the lines that talk about what was asked."""
    body = strip_key_terms(chunk.text)
    lines = [line for line in body.splitlines() if line.strip()]
    if not any(_overlap(line, query_tokens) for line in lines):
        return ""
    if len(body) <= SHORT_SECONDARY_CHARS:
        return body
    matching = [line for line in lines if _overlap(line, query_tokens) > 0]
    return "\n".join(matching[:MAX_SECONDARY_LINES])


def _excerpt(chunk: Chunk) -> str:
    flat = " ".join(strip_key_terms(chunk.text).split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1] + "…"


def _citation(chunk: Chunk) -> Citation:
    return Citation(id=chunk.id, title=chunk.title, source=chunk.source, excerpt=_excerpt(chunk))


def not_covered_answer(question: str) -> Answer:
    """The plain "not in the playbook" answer, in the question's language."""
    text = NOT_COVERED_ZH if is_chinese(question) else NOT_COVERED_EN
    return Answer(answer=text, citations=[], covered=False)


def is_relevant(question: str, chunk: Chunk, index: KnowledgeIndex) -> bool:
    """Whether the chunk shares enough of the question's informative words to answer it."""
    if index.matched_weight(question, chunk) < MIN_MATCHED_WEIGHT:
        return False
    needed = MIN_COVERAGE if len(index.matched_terms(question, chunk)) >= 2 else SINGLE_TERM_COVERAGE
    return index.coverage(question, chunk) >= needed


def answer_offline(question: str, index: KnowledgeIndex) -> Answer:
    """Answer from the knowledge base alone: the best passage stated directly, plus a close runner-up."""
    english = not is_chinese(question)
    hits = index.search(question, k=3)
    if not hits or not is_relevant(question, hits[0][0], index):
        return not_covered_answer(question)

    query_tokens = set(tokenize(question))
    specific_tokens = {token for token in query_tokens if index.idf(token) >= LINE_TERM_MIN_IDF}
    best_chunk, best_score = hits[0]
    header = f"According to the playbook ({best_chunk.title}):" if english else f"根据销售手册（{best_chunk.title}）："
    parts = [header, _primary_body(best_chunk, query_tokens)]
    if english and (terms := key_terms_line(best_chunk.text)):
        parts.append(terms)
    used = [best_chunk]

    for chunk, score in hits[1 : 1 + MAX_SECONDARY_CHUNKS]:
        close_enough = score >= SECONDARY_SCORE_RATIO * best_score
        if close_enough:
            lines = _secondary_lines(chunk, specific_tokens)
            if lines:
                parts.append(f"See also ({chunk.title}):" if english else f"另见（{chunk.title}）：")
                parts.append(lines)
                used.append(chunk)

    return Answer(answer="\n".join(parts), citations=[_citation(chunk) for chunk in used])
