"""Broad questions (issue 15 item 2): the rep asks for the buyer's biggest problem ("您这边现在最头疼的是什么？",
"What keeps you up at night?") or for an overview of how things work today ("Could you walk me through how things
work today?") without naming a topic. A real buyer names his lead one. The words are data
(playbooks/buyer/broad_asks.yaml); `broad_category` reads a question, `lead_order` ranks a scenario's facts of one
kind: first the scenario's key chain (success.key_facts, each after what it requires), then the scenario's order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from app.playbook.data import load_yaml_model
from app.roleplay.phrases import BUYER_DIR, PhraseDataError, Words
from app.roleplay.scenarios import Fact, Scenario

BROAD_ASKS_PATH = BUYER_DIR / "broad_asks.yaml"


class BroadAsks(BaseModel):
    """Regular expressions of a broad question, per SPIN category it asks about."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    problem: Words
    situation: Words

    @model_validator(mode="after")
    def _compiles(self) -> BroadAsks:
        for field in ("problem", "situation"):
            words: Words = getattr(self, field)
            if not words.zh or not words.en:
                raise ValueError(f"{field}: patterns for zh and en")
            for pattern in words.all():
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(f"{field}: pattern {pattern!r} does not compile: {error}") from None
        return self


def load_broad_asks(path: Path) -> BroadAsks:
    return load_yaml_model(path, BroadAsks, PhraseDataError, "buyer data")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    asks = load_broad_asks(BROAD_ASKS_PATH)
    return tuple(
        (category, re.compile("|".join(f"(?:{p})" for p in getattr(asks, category).all()), re.IGNORECASE))
        for category in ("problem", "situation")
    )


def broad_category(text: str) -> str | None:
    """The category ("problem" or "situation") a text asks about broadly (the buyer's main problem, his situation)."""
    for category, pattern in _patterns():
        if pattern.search(text):
            return category
    return None


def lead_order(scenario: Scenario, category: str) -> list[Fact]:
    """The scenario's facts of one category, the buyer's lead one first: the key chain (each key fact after the facts
    it requires, root first), then the rest in the scenario's order."""
    ordered: list[str] = []

    def visit(fact_id: str) -> None:
        for required in scenario.fact(fact_id).requires:
            visit(required)
        if fact_id not in ordered:
            ordered.append(fact_id)

    for key in scenario.success.key_facts:
        visit(key)
    ordered += [fact.id for fact in scenario.all_facts() if fact.id not in ordered]
    return [scenario.fact(fid) for fid in ordered if scenario.category_of(fid) == category]


__all__ = ["BROAD_ASKS_PATH", "BroadAsks", "broad_category", "lead_order", "load_broad_asks"]
