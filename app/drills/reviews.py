"""Managers' reviews of attempts: append-only comments and score overrides, so every score stays on record."""

from sqlmodel import Session

from app.auth.policy import can_view_user
from app.drills.results import Attempt, attach_reviews, reviewers_of, review_public
from app.drills.schemas import AttemptReviews, ReviewCreate
from app.drills.service import DrillRequestError
from app.models import Review, RolePlay, RolePlayStatus, User


def get_visible_attempt(session: Session, viewer: User, roleplay_id: int) -> Attempt | None:
    """The attempt with its reviews, or None when missing or not the viewer's to see (the caller answers 404)."""
    roleplay = session.get(RolePlay, roleplay_id)
    if roleplay is None or not can_view_user(session, viewer, roleplay.owner_id):
        return None
    return attach_reviews(session, [roleplay])[0]


def add_review(session: Session, reviewer: User, attempt: Attempt, data: ReviewCreate) -> Review:
    """Append a review; earlier reviews and the coach's score are never changed."""
    if attempt.roleplay.owner_id == reviewer.id:
        raise DrillRequestError("you cannot review your own attempt", status=403, code="own_attempt")
    if data.override_score is not None and attempt.roleplay.status != RolePlayStatus.finished:
        raise DrillRequestError("only a finished attempt has a score to override", status=409,
                                code="not_finished")
    review = Review(roleplay_id=attempt.roleplay.id, reviewer_id=reviewer.id, comment=data.comment.strip(),
                    override_score=data.override_score,
                    reason=data.reason.strip() if data.override_score is not None else "")
    session.add(review)
    session.commit()
    session.refresh(review)
    attempt.reviews.append(review)
    return review


def attempt_reviews(session: Session, attempt: Attempt) -> AttemptReviews:
    reviewers = reviewers_of(session, [attempt])
    return AttemptReviews(roleplay_id=attempt.roleplay.id, coach_score=attempt.coach_score, score=attempt.score,
                          reviews=[review_public(review, reviewers) for review in attempt.reviews])
