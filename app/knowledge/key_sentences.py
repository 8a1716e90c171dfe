"""Key sentences of a team document, offline: the sentences that carry its specific facts (for the scenario editor).

A sentence scores by how specific its words are: the summed IDF, against the playbook, of its distinct tokens
(words the sales methodology rarely uses are the product's own: names, features, numbers), divided by the square
root of its token count so long sentences do not win by length alone. Numbers add a little (prices, durations,
sizes are the facts a buyer asks about). The best few are returned in the document's order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from app.knowledge.retriever import get_index
from app.knowledge.tokenize import tokenize

SENTENCE_END_RE = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")
HEADING_RE = re.compile(r"^\s*#{1,6}\s+")
LIST_MARK_RE = re.compile(r"^\s*(?:[-*+•]|\d+[.、)])\s*")
NUMBER_RE = re.compile(r"\d")
MIN_CHARS = 8  # shorter pieces are headings or fragments
MAX_CHARS = 200  # longer ones are paragraphs that did not split: too long for a form field
NUMBER_BONUS = 1.15
DEFAULT_LIMIT = 8


def sentences(text: str) -> list[str]:
    """The document's sentences (list items and lines count as sentences), headings and fragments left out."""
    found: list[str] = []
    for line in text.splitlines():
        if HEADING_RE.match(line):
            continue
        for piece in SENTENCE_END_RE.split(LIST_MARK_RE.sub("", line)):
            piece = (piece or "").strip()
            if MIN_CHARS <= len(piece) <= MAX_CHARS and piece not in found:
                found.append(piece)
    return found


def specificity(sentence: str) -> float:
    """How much product-specific content the sentence carries (see the module docstring)."""
    index = get_index()
    tokens = tokenize(sentence)
    if not tokens:
        return 0.0
    score = sum(index.idf(token) for token in set(tokens)) / math.sqrt(len(tokens))
    return score * (NUMBER_BONUS if NUMBER_RE.search(sentence) else 1.0)


def key_sentences(text: str, limit: int = DEFAULT_LIMIT) -> list[str]:
    """Up to `limit` of the document's most specific sentences, in the order the document has them."""
    candidates = sentences(text)
    ranked = sorted(range(len(candidates)), key=lambda i: (-specificity(candidates[i]), i))[:limit]
    return [candidates[i] for i in sorted(ranked)]


# A document sentence counts as stated by the rep when the rep's words hold at least this share of its specific
# tokens (IDF against the playbook at least SPECIFIC_IDF), and at least MIN_SHARED of them.
STATED_SHARE = 0.5
MIN_SHARED = 2
SPECIFIC_IDF = 2.0
MAX_STATED = 5


def stated_facts(rep_texts: Sequence[str], document_texts: Sequence[str], limit: int = MAX_STATED) -> list[str]:
    """The team documents' sentences the rep has stated in these lines (deterministic word overlap): the seller's
    product facts a buyer may react to."""
    said = set(tokenize(" ".join(rep_texts)))
    if not said:
        return []
    index = get_index()
    found: list[str] = []
    for text in document_texts:
        for sentence in sentences(text):
            specific = {token for token in tokenize(sentence) if index.idf(token) >= SPECIFIC_IDF}
            shared = specific & said
            if len(shared) >= MIN_SHARED and len(shared) >= STATED_SHARE * len(specific) and sentence not in found:
                found.append(sentence)
                if len(found) >= limit:
                    return found
    return found
