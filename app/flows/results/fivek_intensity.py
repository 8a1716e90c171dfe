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
from app.playbook.vocabulary import FIVEK_DIMENSIONS as FIVEK_KEYS
from app.playbook.vocabulary import Side


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

    unmet_zh = [c.zh for c in scored.unmet_criteria] + [f"{c.zh}（需人工确认）" for c in scored.manual_checks]
    unmet_en = [c.en for c in scored.unmet_criteria] + [f"{c.en} (confirm by hand)" for c in scored.manual_checks]

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
            who_zh = "（和决策者）" if side == "decision_maker" else ""
            who_en = " (with the decision maker)" if side == "decision_maker" else ""
            advice.append(
                Message(
                    code="reach_level",
                    zh=f"{criterion.zh}：{playbook.element(f'fivek.{dimension}').name_zh}要达到“{level.name_zh}”{who_zh}。",
                    en=f"{criterion.en}: reach '{level.name_en}' on {playbook.element(f'fivek.{dimension}').name_en}{who_en}.",
                    cites=cites.add(level_id),
                )
            )
    weakest = min(scores, key=lambda score: score.points)
    advice.append(
        Message(
            code="weakest_dimension",
            zh=f"得分最低的是{weakest.dimension.name_zh}（{weakest.points} 分），优先补强。",
            en=f"Weakest dimension: {weakest.dimension.name_en} ({weakest.points} points); work on it first.",
            cites=[weakest.dimension.id],
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
