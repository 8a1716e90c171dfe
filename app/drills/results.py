"""Attempts with their reviews, effective scores (latest override, else the coach's) and each rep's drill status."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from app.drills.schemas import AssigneeResult, AttemptPublic, DrillStatus, ReviewPublic
from app.models import Drill, DrillAssignment, Review, RolePlay, RolePlayStatus, User
from app.models.common import require_id
from app.scenarios import repository


def scenario_titles(session: Session | None, scenario_id: str) -> tuple[str, str]:
    """Chinese and English titles (built-in or team scenario); the bare id when the scenario is gone."""
    return repository.scenario_titles(session, scenario_id)


@dataclass
class Attempt:
    """A role-play and its reviews, oldest review first."""

    roleplay: RolePlay
    reviews: list[Review] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.roleplay.status == RolePlayStatus.finished

    @property
    def coach_score(self) -> int | None:
        return self.roleplay.score

    @property
    def override_score(self) -> int | None:
        overrides = [review.override_score for review in self.reviews if review.override_score is not None]
        return overrides[-1] if overrides else None

    @property
    def score(self) -> int | None:
        """The manager's latest override wins over the coach; unfinished attempts have no score."""
        if not self.finished:
            return None
        override = self.override_score
        return override if override is not None else self.coach_score


def load_attempts(session: Session, *conditions) -> list[Attempt]:
    """Role-plays matching the SQL conditions, oldest first, each with its reviews."""
    roleplays = session.exec(
        select(RolePlay).where(*conditions).order_by(col(RolePlay.created_at), col(RolePlay.id))
    ).all()
    return attach_reviews(session, roleplays)


def attach_reviews(session: Session, roleplays: Iterable[RolePlay]) -> list[Attempt]:
    attempts = {require_id(roleplay): Attempt(roleplay) for roleplay in roleplays}
    if attempts:
        reviews = session.exec(
            select(Review).where(col(Review.roleplay_id).in_(attempts)).order_by(col(Review.created_at), col(Review.id))
        ).all()
        for review in reviews:
            attempts[review.roleplay_id].reviews.append(review)
    return list(attempts.values())


def review_public(review: Review, reviewers: dict[int, User]) -> ReviewPublic:
    reviewer = reviewers.get(review.reviewer_id)
    return ReviewPublic(
        id=review.id,
        roleplay_id=review.roleplay_id,
        reviewer_id=review.reviewer_id,
        reviewer_name=(reviewer.display_name or reviewer.username) if reviewer else "",
        comment=review.comment,
        override_score=review.override_score,
        reason=review.reason,
        created_at=review.created_at,
        turn_id=review.turn_id,
    )


def reviewers_of(session: Session, attempts: Iterable[Attempt]) -> dict[int, User]:
    ids = {review.reviewer_id for attempt in attempts for review in attempt.reviews}
    return {require_id(user): user for user in session.exec(select(User).where(col(User.id).in_(ids)))} if ids else {}


def attempts_public(session: Session, attempts: list[Attempt]) -> list[AttemptPublic]:
    reviewers = reviewers_of(session, attempts)
    return [
        AttemptPublic(
            id=attempt.roleplay.id,
            owner_id=attempt.roleplay.owner_id,
            scenario_id=attempt.roleplay.scenario_id,
            drill_id=attempt.roleplay.drill_id,
            status=attempt.roleplay.status,
            coach_score=attempt.coach_score,
            override_score=attempt.override_score,
            score=attempt.score,
            created_at=attempt.roleplay.created_at,
            finished_at=attempt.roleplay.finished_at,
            reviews=[review_public(review, reviewers) for review in attempt.reviews],
        )
        for attempt in attempts
    ]


def allowed_attempts(drill: Drill, assignment: DrillAssignment | None) -> int | None:
    """The drill's attempts plus this rep's extra ones; None is unlimited."""
    if drill.attempts_allowed is None:
        return None
    return drill.attempts_allowed + (assignment.extra_attempts if assignment else 0)


def due_for(drill: Drill, assignment: DrillAssignment | None) -> date:
    return assignment.due if assignment is not None and assignment.due is not None else drill.due


def drill_status(
    drill: Drill, attempts: list[Attempt], today: date, assignment: DrillAssignment | None = None
) -> DrillStatus:
    """A pass is final; then a cancelled drill, used-up attempts, the (rep's) due date, whether the rep has started."""
    if any(attempt.score is not None and attempt.score >= drill.pass_score for attempt in attempts):
        return DrillStatus.passed
    if drill.cancelled_at is not None:
        return DrillStatus.cancelled
    allowed = allowed_attempts(drill, assignment)
    if allowed is not None and len(attempts) >= allowed:
        # The last allowed attempt may still be running: it can still pass.
        if all(attempt.finished for attempt in attempts):
            return DrillStatus.failed
    if today > due_for(drill, assignment):
        return DrillStatus.overdue
    return DrillStatus.in_progress if attempts else DrillStatus.assigned


def assignee_result(
    drill: Drill, user: User, attempts: list[Attempt], today: date, assignment: DrillAssignment | None = None
) -> AssigneeResult:
    scores = [attempt.score for attempt in attempts if attempt.score is not None]
    status = drill_status(drill, attempts, today, assignment)
    allowed = allowed_attempts(drill, assignment)
    left = None if allowed is None else max(allowed - len(attempts), 0)
    return AssigneeResult(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name or user.username,
        attempts=len(attempts),
        attempts_left=left,
        best_score=max(scores) if scores else None,
        passed=status == DrillStatus.passed,
        status=status,
        due=due_for(drill, assignment),
        extended=assignment is not None and assignment.due is not None,
        attempts_allowed=allowed,
        extra_attempts=assignment.extra_attempts if assignment else 0,
    )


def by_owner(attempts: Iterable[Attempt]) -> dict[int, list[Attempt]]:
    grouped: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[attempt.roleplay.owner_id].append(attempt)
    return grouped
