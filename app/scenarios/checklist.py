"""The authoring checklist: warnings when a scenario validates but cannot be played well.

Each warning names a code (the editor shows it through the i18n messages `scenarios.check.<code>`), the
field it is about, and the ids involved. Warnings never block saving: a draft may be incomplete.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from app.coaching.spin import classify_spin
from app.roleplay.scenarios import CATEGORIES, Scenario
from app.roleplay.topics import mentions

_CJK = re.compile(r"[\u3400-\u9fff]")


class Warning_(BaseModel):
    """One checklist item."""

    code: str  # unreachable_fact | key_fact_unreachable | commitment_unaskable | no_need_payoff | missing_english
    field: str  # dotted path, e.g. "facts.problem.1" or "success.commitment"
    ids: list[str] = Field(default_factory=list)
    message: str  # English, for API readers; the editor translates the code


def reachable_facts(scenario: Scenario) -> set[str]:
    """Facts whose prerequisites can all be revealed first (a cycle or a chain into one is unreachable)."""
    requires = {fact.id: set(fact.requires) for fact in scenario.all_facts()}
    reached: set[str] = set()
    changed = True
    while changed:
        changed = False
        for fact_id, needs in requires.items():
            if fact_id not in reached and needs <= reached:
                reached.add(fact_id)
                changed = True
    return reached


def _fact_path(scenario: Scenario, fact_id: str) -> str:
    category = scenario.category_of(fact_id)
    index = [fact.id for fact in getattr(scenario.facts, category)].index(fact_id)
    return f"facts.{category}.{index}"


def _commitment_askable(scenario: Scenario) -> bool:
    """The sample ask counts as an ask in the engine: the classifier calls it one, or it is a question with a keyword."""
    commitment = scenario.success.commitment
    spin = classify_spin(commitment.ask_zh)
    return spin.asks_commitment or mentions(commitment.ask_zh, commitment.keywords)


def _english_gaps(data: Any, path: str = "") -> list[str]:
    """Fields whose English sibling (`x_en` of `x`/`x_zh`, `topics.en`) is empty or still Chinese."""
    gaps: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else key
            if key.endswith("_en") and isinstance(value, str) and (not value.strip() or _CJK.search(value)):
                gaps.append(here)
            elif key == "topics" and isinstance(value, dict) and not value.get("en"):
                gaps.append(f"{here}.en")
            else:
                gaps += _english_gaps(value, here)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            gaps += _english_gaps(value, f"{path}.{index}")
    return gaps


def check(scenario: Scenario, *, english_allowed: bool = True) -> list[Warning_]:
    """Every warning for one scenario, in a stable order."""
    warnings: list[Warning_] = []
    reached = reachable_facts(scenario)
    for fact in scenario.all_facts():
        if fact.id not in reached:
            warnings.append(
                Warning_(
                    code="unreachable_fact",
                    field=_fact_path(scenario, fact.id),
                    ids=[fact.id],
                    message=f"fact {fact.id} can never be revealed: its prerequisites "
                    f"({', '.join(fact.requires)}) form a cycle or depend on one",
                )
            )
    blocked = [fid for fid in scenario.success.key_facts if fid not in reached]
    if blocked:
        warnings.append(
            Warning_(
                code="key_fact_unreachable",
                field="success.key_facts",
                ids=blocked,
                message="the commitment needs key facts that can never be revealed: " + ", ".join(blocked),
            )
        )
    if not _commitment_askable(scenario):
        commitment = scenario.success.commitment
        warnings.append(
            Warning_(
                code="commitment_unaskable",
                field="success.commitment",
                ids=[commitment.id],
                message="the sample ask is not recognised as an ask and mentions none of the "
                "commitment's keywords, so a rep has no known way to ask for it",
            )
        )
    need_payoffs = [fact.id for fact in scenario.facts.need_payoff if fact.id in reached]
    if not need_payoffs:
        warnings.append(
            Warning_(
                code="no_need_payoff",
                field="facts.need_payoff",
                message="no need-payoff fact can be revealed: the buyer never states the need "
                "himself, so the commitment can never be won",
            )
        )
    if english_allowed:
        gaps = _english_gaps(scenario.model_dump(mode="json"))
        if gaps:
            warnings.append(
                Warning_(
                    code="missing_english",
                    field=gaps[0],
                    ids=gaps[:20],
                    message=f"{len(gaps)} English field(s) are empty or still in Chinese, "
                    "while English sessions are allowed",
                )
            )
    return warnings


def categories_with_facts(scenario: Scenario) -> dict[str, int]:
    return {category: len(getattr(scenario.facts, category)) for category in CATEGORIES}
