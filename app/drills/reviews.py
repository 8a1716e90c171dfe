"""Managers' reviews of attempts: append-only comments and score overrides, so every score stays on record."""

import csv
import io

from sqlmodel import Session, col, select

from app.auth.policy import visible_or_404
from app.drills.results import Attempt, attach_reviews, attempts_public, review_public, reviewers_of
from app.drills.schemas import AttemptPublic, AttemptReviews, ReviewCreate
from app.drills.service import DrillRequestError
from app.i18n import translate
from app.models import CoachingNote, Review, RolePlay, RolePlayStatus, Turn, User
from app.models.common import require_id
from app.roleplay.notes import Export


def visible_attempt(session: Session, viewer: User, roleplay_id: int) -> Attempt:
    """The attempt with its reviews; 404 when missing or not the viewer's to see."""
    return attach_reviews(session, [visible_or_404(session, viewer, RolePlay, roleplay_id, "attempt")])[0]


def add_review(session: Session, reviewer: User, attempt: Attempt, data: ReviewCreate) -> Review:
    """Append a review; earlier reviews and the coach's score are never changed."""
    if attempt.roleplay.owner_id == reviewer.id:
        raise DrillRequestError("you cannot review your own attempt", status=403, code="own_attempt")
    if data.override_score is not None and attempt.roleplay.status != RolePlayStatus.finished:
        raise DrillRequestError("only a finished attempt has a score to override", status=409, code="not_finished")
    if data.turn_id is not None:
        turn = session.get(Turn, data.turn_id)
        if turn is None or turn.roleplay_id != attempt.roleplay.id:
            raise DrillRequestError("that line is not in this attempt", code="bad_turn")
    review = Review(
        roleplay_id=require_id(attempt.roleplay),
        reviewer_id=require_id(reviewer),
        turn_id=data.turn_id,
        comment=data.comment.strip(),
        override_score=data.override_score,
        reason=data.reason.strip() if data.override_score is not None else "",
    )
    session.add(review)
    session.commit()
    session.refresh(review)
    attempt.reviews.append(review)
    return review


def attempt_reviews(session: Session, attempt: Attempt) -> AttemptReviews:
    reviewers = reviewers_of(session, [attempt])
    return AttemptReviews(
        roleplay_id=attempt.roleplay.id,
        coach_score=attempt.coach_score,
        score=attempt.score,
        reviews=[review_public(review, reviewers) for review in attempt.reviews],
    )


def attempt_public(session: Session, roleplay: RolePlay) -> AttemptPublic:
    """The role-play as an attempt with both scores and its reviews (what the review templates read)."""
    return attempts_public(session, attach_reviews(session, [roleplay]))[0]


def roleplay_reviews(session: Session, roleplay: RolePlay) -> AttemptReviews:
    """The role-play's coach score, effective score and every review (whole-attempt and per line), oldest first."""
    return attempt_reviews(session, attach_reviews(session, [roleplay])[0])


def notes_reviews(session: Session, notes: list[CoachingNote]) -> dict[int, AttemptReviews]:
    """For role-play notes: note id -> the reviews of the role-play that wrote it."""
    ids = [note.id for note in notes if note.kind == "roleplay"]
    if not ids:
        return {}
    roleplays = list(session.exec(select(RolePlay).where(col(RolePlay.note_id).in_(ids))))
    attempts = attach_reviews(session, roleplays)
    reviewers = reviewers_of(session, attempts)
    return {
        note_id: AttemptReviews(
            roleplay_id=attempt.roleplay.id,
            coach_score=attempt.coach_score,
            score=attempt.score,
            reviews=[review_public(review, reviewers) for review in attempt.reviews],
        )
        for attempt in attempts
        if (note_id := attempt.roleplay.note_id) is not None  # selected by note id: always set
    }


def export_with_reviews(exported: Export, reviews: AttemptReviews | None, lang: str, when) -> Export:
    """A role-play note's export with the effective score and every review (who, when) after it.

    `when` formats a stored moment in the teams' time zone."""
    if reviews is None or (not reviews.reviews and reviews.score == reviews.coach_score):
        return exported
    rows = [[translate("drills.export.effective", lang), "", "" if reviews.score is None else str(reviews.score), ""]]
    for review in reviews.reviews:
        item = f"{review.reviewer_name} {when(review.created_at)}"
        value = review.comment
        if review.override_score is not None:
            value = translate(
                "drills.review.override_line", lang, score=review.override_score, reason=review.reason
            ) + (f" {review.comment}" if review.comment else "")
        section = translate("drills.export.turn_comment" if review.turn_id else "drills.export.review", lang)
        rows.append([section, item, value, ""])
    if exported.media_type.startswith("text/csv"):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return Export(exported.content + buffer.getvalue(), exported.media_type, exported.filename)
    lines = ["", f"## {translate('drills.export.reviews_title', lang)}", "", f"- {rows[0][0]}: **{rows[0][2]}**"]
    lines += [f"- {section} · {item}: {value}" for section, item, value, _ in rows[1:]]
    return Export(
        exported.content.rstrip("\n") + "\n" + "\n".join(lines) + "\n", exported.media_type, exported.filename
    )
