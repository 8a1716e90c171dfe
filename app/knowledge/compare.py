"""Comparison questions ("A 和 B 有什么区别", "how is A different from B"): recognised and split into two sides
with playbooks/ask/comparisons.yaml; answer.py answers each side from its own passage."""

from __future__ import annotations

import re
from functools import lru_cache

from app.knowledge.sources import load_comparisons
from app.knowledge.tokenize import raw_words

CLAUSE_RE = re.compile(r"[，,。？?！!；;：:\n]+")


@lru_cache(maxsize=1)
def _marker_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{marker})" for marker in load_comparisons().markers), re.IGNORECASE)


@lru_cache(maxsize=1)
def _what_to_do_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{ask})" for ask in load_comparisons().what_to_do), re.IGNORECASE)


def comparison_sides(question: str) -> tuple[str, str] | None:
    """The two things a comparison question sets side by side, as written (each side's text around the first joiner
    of the first clause that has one, by joiners' order), or None when the question is no comparison."""
    if not _marker_re().search(question) or _what_to_do_re().search(question):
        return None
    joiners = load_comparisons().joiners
    for clause in CLAUSE_RE.split(question):
        words = raw_words(clause)
        lowered = [word.strip().lower() for word in words]
        for joiner in joiners:
            if joiner not in lowered:
                continue
            at = lowered.index(joiner)
            first, second = "".join(words[:at]).strip(), "".join(words[at + 1 :]).strip()
            if first and second:
                return _marker_re().sub(" ", first).strip(), _marker_re().sub(" ", second).strip()
    return None
