"""Pass-score guidance for a new drill: how the manager's reps have scored on the scenario, and a suggestion.

The suggestion is the 60th percentile of each rep's best effective score on the scenario, rounded to 5 and
kept within 30..90: about four in ten reps reach it today, so the drill asks for progress without failing most
of the team (with a fixed 70, sound practice at 5-56 left pass rates at 22-25 %). Our own rule of thumb, not
from the seeds."""

import math

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.auth.policy import visible_user_ids
from app.drills.results import load_attempts
from app.models import Role, RolePlay, User
from app.models.common import MAX_DB_INTEGER

MIN_REPS = 3  # fewer reps' scores than this suggest nothing
BUCKET = 10
PERCENTILE = 0.6


class ScoreBucket(BaseModel):
    low: int  # scores low..low+9 (the last bucket is 90..100)
    count: int


class PassScoreGuidance(BaseModel):
    scenario_id: str
    attempts: int  # finished attempts with a score
    reps: int  # reps with at least one
    buckets: list[ScoreBucket]
    median: float | None
    suggested: int | None  # None: too little data
    reaching_suggested: int  # reps whose best score reaches the suggestion


def _percentile(values: list[int], share: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def pass_score_guidance(session: Session, viewer: User, scenario_id: str) -> PassScoreGuidance:
    """Scores of the reps the viewer may see (admins: everyone) on this scenario, and a suggested pass score."""
    visible = visible_user_ids(session, viewer)
    conditions = [RolePlay.scenario_id == scenario_id, col(RolePlay.owner_id) != viewer.id]
    if visible is not None:
        conditions.append(col(RolePlay.owner_id).in_(visible or [MAX_DB_INTEGER]))
    # Managers' own practice is not the team's level.
    reps = set(session.exec(select(User.id).where(User.role == Role.rep)))
    scored = [
        (attempt.roleplay.owner_id, score)
        for attempt in load_attempts(session, *conditions)
        if (score := attempt.score) is not None and attempt.roleplay.owner_id in reps
    ]
    scores = [score for _, score in scored]
    best: dict[int, int] = {}
    for owner_id, score in scored:
        best[owner_id] = max(best.get(owner_id, 0), score)
    buckets = [
        ScoreBucket(low=low, count=sum(1 for s in scores if low <= s < low + BUCKET or (low == 90 and s == 100)))
        for low in range(0, 100, BUCKET)
    ]
    suggested = None
    if len(best) >= MIN_REPS:
        suggested = min(90, max(30, 5 * round(_percentile(list(best.values()), PERCENTILE) / 5)))
    return PassScoreGuidance(
        scenario_id=scenario_id,
        attempts=len(scores),
        reps=len(best),
        buckets=buckets,
        median=round(_percentile(scores, 0.5), 1) if scores else None,
        suggested=suggested,
        reaching_suggested=sum(1 for score in best.values() if suggested is not None and score >= suggested),
    )
