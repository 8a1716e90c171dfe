"""The fivek_intensity flow's result: its model and the rules that compute it from the answers."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.flows.results.common import (
    Cites,
    FlowResult,
    FlowRules,
    Groups,
    Labeled,
    Message,
    labeled,
    plain_text,
)
from app.flows.results.texts import flow_texts
from app.playbook.vocabulary import FIVEK_DIMENSIONS as FIVEK_KEYS
from app.playbook.vocabulary import Side

TEXTS = flow_texts("fivek_intensity")


class FivekScore(BaseModel):
    dimension: Labeled
    level: Labeled
    side: Side
    two_column: bool = Field(description="False for the single-ladder tables (power, control), which have no side")
    points: int


class FivekIntensityResult(FlowResult):
    flow_id: Literal["fivek_intensity"] = "fivek_intensity"
    scores: list[FivekScore]
    total: int
    milestone: Labeled | None
    probability: int
    amount: float | None = None
    weighted_forecast: float | None = None
    next_milestone: Labeled | None = None
    unmet_criteria_zh: list[str] = Field(default_factory=list)
    unmet_criteria_en: list[str] = Field(default_factory=list)
    advice: list[Message] = Field(default_factory=list)


def compute(answers: dict[str, Any], _groups: Groups, playbook: Any) -> FivekIntensityResult:
    """Scores come from app.coaching.intensity (the 002 tables); the flow only gathers the levels."""
    from app.coaching.intensity import score_intensity, weighted_forecast

    cites = Cites(playbook)
    levels: dict[str, str] = {key: str(answers[f"{key}_level"]) for key in FIVEK_KEYS if answers.get(f"{key}_level")}
    # Sides are asked only once the decision maker is within reach; unasked means the contact.
    sides = {key: str(answers[f"{key}_side"]) for key in ("problem", "vision", "value") if answers.get(f"{key}_side")}
    scored = score_intensity(levels, sides, playbook=playbook)

    scores = []
    for entry in scored.dimensions:
        scores.append(
            FivekScore(
                dimension=labeled(playbook, f"fivek.{entry.dimension}"),
                level=labeled(playbook, entry.level_id),
                side=entry.side,
                two_column=playbook.fivek.dimension(entry.dimension).ladder == "two_column",
                points=entry.points,
            )
        )
        cites.add(f"fivek.{entry.dimension}", entry.level_id)

    milestone = labeled(playbook, scored.milestone_id) if scored.milestone_id else None
    next_milestone = labeled(playbook, scored.next_milestone_id) if scored.next_milestone_id else None
    cites.add(*[m.id for m in (milestone, next_milestone) if m is not None])
    amount = answers.get("amount")
    forecast = None
    if isinstance(amount, (int, float)):
        forecast = (
            weighted_forecast(float(amount), scored.milestone_id, playbook=playbook) if scored.milestone_id else 0.0
        )

    manual = [TEXTS.part("manual_check", criterion_zh=c.zh, criterion_en=c.en) for c in scored.manual_checks]
    unmet_zh = [c.zh for c in scored.unmet_criteria] + [zh for zh, _ in manual]
    unmet_en = [c.en for c in scored.unmet_criteria] + [en for _, en in manual]

    # Advice: the 5K levels the next milestone still needs, lowest gap first.
    advice: list[Message] = []
    reached_order = {entry.dimension: int(entry.level_id.rsplit(".l", 1)[1]) for entry in scored.dimensions}
    reached_side = {entry.dimension: entry.side for entry in scored.dimensions}
    for criterion in scored.unmet_criteria:
        for requirement in criterion.requires:
            level_id, _, side = requirement.partition("@")
            dimension = level_id.split(".")[1]
            needed_order = int(level_id.rsplit(".l", 1)[1])
            side_missing = side == "decision_maker" and reached_side[dimension] != "decision_maker"
            if reached_order[dimension] >= needed_order and not side_missing:
                continue
            level = playbook.element(level_id)
            named = playbook.element(f"fivek.{dimension}")
            who_zh, who_en = TEXTS.part("with_decision_maker") if side == "decision_maker" else ("", "")
            advice.append(
                TEXTS.message(
                    "reach_level",
                    cites.add(level_id),
                    criterion_zh=criterion.zh,
                    criterion_en=criterion.en,
                    dimension_zh=named.name_zh,
                    dimension_en=named.name_en,
                    level_zh=level.name_zh,
                    level_en=level.name_en,
                    who_zh=who_zh,
                    who_en=who_en,
                )
            )
    weakest = min(scores, key=lambda score: score.points)
    advice.append(
        TEXTS.message(
            "weakest_dimension",
            [weakest.dimension.id],
            dimension_zh=weakest.dimension.name_zh,
            dimension_en=weakest.dimension.name_en,
            points=weakest.points,
        )
    )
    return FivekIntensityResult(
        account=plain_text(answers.get("account")),
        scores=scores,
        total=scored.total,
        milestone=milestone,
        probability=scored.probability,
        amount=float(amount) if isinstance(amount, (int, float)) else None,
        weighted_forecast=forecast,
        next_milestone=next_milestone,
        unmet_criteria_zh=unmet_zh,
        unmet_criteria_en=unmet_en,
        advice=list({m.zh: m for m in advice}.values()),  # one line per distinct advice
        citations=cites.citations(),
    )


RULES = FlowRules("fivek_intensity", FivekIntensityResult, compute)
