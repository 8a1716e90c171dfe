"""Score a deal on the five 5K sales-intensity tables of 002 and tell which milestone it has reached.

Input
    levels: for each 5K dimension ("problem", "power", "vision", "value", "control") the highest
        level reached, as a playbook id such as "fivek.problem.l5". A missing dimension counts as
        its lowest level (l0).
    side: for the two-column tables (problem, vision, value) whether that level was reached with
        the contact (经办人, "contact", the default) or with the decision maker (决策者,
        "decision_maker"). Power and control are single ladders; a side given for them is ignored.

Points
    Exactly the numbers of playbooks/fivek.yaml (copied from 002): points_contact or
    points_decision_maker for two-column tables, `points` for single ladders. Each dimension gives
    0..20, the total 0..100.

Milestones (data in playbooks/fivek.yaml, `milestones[*].criteria[*].requires`)
    Each milestone criterion of 002 lists the 5K levels that show it is met. A requirement
    {dimension, level, side} is met when the reached level is at least that level and, if the
    requirement says side=decision_maker, the level was reached with the decision maker.
    Milestones are cumulative: the reached milestone is the last one, in order 10/25/50/75/90/100,
    for which it and every earlier milestone have all their mapped criteria met. A milestone
    whose criteria cannot be read from the 5K tables at all (m100: the contract is signed) is
    never reached here, so the highest result is milestone.m90. Criteria without a 5K mapping
    (e.g. "经办人同意继续探究") do not block a milestone; for the next milestone they are
    returned in `manual_checks` for the rep to confirm by hand.

    The mapping, lowest milestone first (c = contact, dm = decision maker):
      m10  problem >= l2 (c), problem >= l5 (c), vision >= l3 (c)
      m25  power >= l3, control >= l1, control >= l2
      m50  problem >= l5 (dm), vision >= l3 (dm), power >= l4, value >= l2 (dm), control >= l4
      m75  control >= l5, value >= l5 (dm), power >= l6
      m90  control >= l6, power >= l7, value >= l6 (dm)
      m100 (signature, after-sales: by hand only)
"""

from pydantic import BaseModel, ConfigDict

from app.playbook import Playbook, get_playbook
from app.playbook.models import (
    FivekDimension,
    FivekLevel,
    Milestone,
    MilestoneCriterion,
    Requirement,
)
from app.playbook.vocabulary import FIVEK_DIMENSIONS, SIDES, Side


class DimensionScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    dimension: str
    level_id: str
    level_name_zh: str
    side: Side
    points: int


class CriterionStatus(BaseModel):
    """A milestone criterion and the 5K levels it needs (as ids with side), for display."""

    model_config = ConfigDict(frozen=True)

    zh: str
    en: str
    requires: list[str]  # e.g. ["fivek.power.l3", "fivek.problem.l5@decision_maker"]


class IntensityResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    points: dict[str, int]  # dimension -> 0..20
    dimensions: list[DimensionScore]
    total: int  # 0..100
    milestone_id: str | None  # None when not even milestone.m10 is reached
    probability: int  # win probability in % of the reached milestone, 0 if none
    next_milestone_id: str | None
    unmet_criteria: list[CriterionStatus]  # 5K-mapped criteria of the next milestone not yet met
    manual_checks: list[CriterionStatus]  # criteria of the next milestone the 5K tables cannot show


def _level_index(dimension: FivekDimension, level_id: str) -> int:
    for level in dimension.levels:
        if level.id == level_id:
            return level.order
    valid = ", ".join(level.id for level in dimension.levels)
    raise ValueError(f"{level_id!r} is not a level of fivek.{dimension.key}; use one of {valid}")


def _points(dimension: FivekDimension, level: FivekLevel, side: str) -> int:
    if dimension.ladder == "single":
        assert level.points is not None  # guaranteed by the model validator
        return level.points
    value = level.points_decision_maker if side == "decision_maker" else level.points_contact
    assert value is not None
    return value


def _requirement_met(requirement: Requirement, reached: dict[str, tuple[int, str]], dimension: FivekDimension) -> bool:
    reached_index, reached_side = reached[requirement.dimension]
    if reached_index < _level_index(dimension, requirement.level):
        return False
    return requirement.side == "contact" or reached_side == "decision_maker"


def _describe(requirement: Requirement) -> str:
    return requirement.level if requirement.side == "contact" else f"{requirement.level}@decision_maker"


def _status(criterion: MilestoneCriterion) -> CriterionStatus:
    return CriterionStatus(zh=criterion.zh, en=criterion.en, requires=[_describe(r) for r in criterion.requires])


def score_intensity(
    levels: dict[str, str], side: dict[str, str] | None = None, *, playbook: Playbook | None = None
) -> IntensityResult:
    """Points per dimension, total, reached milestone and what the next milestone still needs."""
    playbook = playbook or get_playbook()
    side = side or {}
    for key in (*levels, *side):
        if key not in FIVEK_DIMENSIONS:
            raise ValueError(f"unknown 5K dimension {key!r}; use {list(FIVEK_DIMENSIONS)}")
    for key, value in side.items():
        if value not in SIDES:
            raise ValueError(f"side for {key!r} must be 'contact' or 'decision_maker', got {value!r}")

    scores: list[DimensionScore] = []
    reached: dict[str, tuple[int, str]] = {}  # dimension -> (level index, side)
    for key in FIVEK_DIMENSIONS:
        dimension = playbook.fivek.dimension(key)
        level = dimension.levels[_level_index(dimension, levels.get(key, f"fivek.{key}.l0"))]
        # Single ladders have no side; recording "contact" keeps the result uniform.
        level_side = side.get(key, "contact") if dimension.ladder == "two_column" else "contact"
        reached[key] = (level.order, level_side)
        scores.append(
            DimensionScore(
                dimension=key,
                level_id=level.id,
                level_name_zh=level.name_zh,
                side=level_side,
                points=_points(dimension, level, level_side),
            )
        )

    reached_milestone: Milestone | None = None
    next_milestone: Milestone | None = None
    for milestone in playbook.milestones:
        mapped = [c for c in milestone.criteria if c.requires]
        all_met = bool(mapped) and all(
            _requirement_met(r, reached, playbook.fivek.dimension(r.dimension)) for c in mapped for r in c.requires
        )
        if not all_met:
            next_milestone = milestone
            break
        reached_milestone = milestone

    unmet: list[CriterionStatus] = []
    manual: list[CriterionStatus] = []
    if next_milestone is not None:
        for criterion in next_milestone.criteria:
            if not criterion.requires:
                manual.append(_status(criterion))
            elif not all(
                _requirement_met(r, reached, playbook.fivek.dimension(r.dimension)) for r in criterion.requires
            ):
                unmet.append(_status(criterion))

    points = {score.dimension: score.points for score in scores}
    return IntensityResult(
        points=points,
        dimensions=scores,
        total=sum(points.values()),
        milestone_id=reached_milestone.id if reached_milestone else None,
        probability=reached_milestone.probability if reached_milestone else 0,
        next_milestone_id=next_milestone.id if next_milestone else None,
        unmet_criteria=unmet,
        manual_checks=manual,
    )


def weighted_forecast(amount: float, milestone_id: str, *, playbook: Playbook | None = None) -> float:
    """Deal amount weighted by the milestone's win probability (e.g. 100000 at m50 -> 50000.0)."""
    if amount < 0:
        raise ValueError(f"amount must not be negative, got {amount}")
    playbook = playbook or get_playbook()
    for milestone in playbook.milestones:
        if milestone.id == milestone_id:
            return amount * milestone.probability / 100
    valid = ", ".join(m.id for m in playbook.milestones)
    raise ValueError(f"unknown milestone {milestone_id!r}; use one of {valid}")
