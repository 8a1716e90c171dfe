"""Team analytics for managers: pass rates, skills, progress, CSV export; reviews of reps' attempts."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.auth.policy import visible_user_or_404
from app.deps import CurrentUser, ManagerUser, SessionDep, not_found
from app.drills.analytics import rep_progress, team_dashboard
from app.drills.export import results_csv, sessions_csv
from app.drills.results import review_public
from app.drills.reviews import add_review, attempt_reviews, visible_attempt
from app.drills.schemas import AttemptReviews, RepProgress, ReviewCreate, ReviewPublic, TeamDashboard
from app.i18n import Lang
from app.models.common import require_id
from app.team.todo import TeamTodo, team_todo

router = APIRouter(prefix="/team", tags=["team"])

TeamFilter = Annotated[int | None, Query(description="one of your teams; all of them when omitted")]


@router.get("/dashboard")
def dashboard(
    session: SessionDep,
    user: ManagerUser,
    team_id: TeamFilter = None,
    since: Annotated[date | None, Query(description="first Beijing date of practice counted")] = None,
    until: Annotated[date | None, Query(description="last Beijing date of practice counted")] = None,
) -> TeamDashboard:
    """Pass rate per drill, per-rep scores, 5K and SPIN mix, weakest skills, per-skill trend, coach/manager agreement."""
    result = team_dashboard(session, user, team_id, since, until)
    if result is None:
        raise not_found("team")
    return result


@router.get("/todo")
def todo(session: SessionDep, user: ManagerUser, team_id: TeamFilter = None) -> TeamTodo:
    """What needs the manager's action: attempts to review, overdue drills and who, failed reps, stalled deals."""
    result = team_todo(session, user, team_id)
    if result is None:
        raise not_found("team")
    return result


@router.get("/reps/{user_id}/progress")
def progress(user_id: int, session: SessionDep, user: CurrentUser) -> RepProgress:
    """A rep's scores per skill over time (their managers, admins and the rep themselves)."""
    rep = visible_user_or_404(session, user, user_id, "rep")
    return rep_progress(session, rep)


@router.get("/export.csv")
def export_csv(session: SessionDep, user: ManagerUser, team_id: TeamFilter = None, lang: Lang = "zh") -> Response:
    """Drill results per rep as CSV (UTF-8 with BOM, so Excel shows Chinese)."""
    text = results_csv(session, user, team_id, lang)
    if text is None:
        raise not_found("team")
    return _csv_response(text, "drill-results.csv")


@router.get("/export/sessions.csv")
def export_sessions_csv(
    session: SessionDep, user: ManagerUser, team_id: TeamFilter = None, lang: Lang = "zh"
) -> Response:
    """Every finished practice session of the team: coach, override and effective score, reviews, skills (CSV)."""
    text = sessions_csv(session, user, team_id, lang)
    if text is None:
        raise not_found("team")
    return _csv_response(text, "practice-sessions.csv")


def _csv_response(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/attempts/{roleplay_id}/reviews", status_code=status.HTTP_201_CREATED)
def create_review(roleplay_id: int, data: ReviewCreate, session: SessionDep, user: ManagerUser) -> ReviewPublic:
    """Comment on a rep's attempt and optionally override its score with a reason (appended, never edited)."""
    attempt = visible_attempt(session, user, roleplay_id)
    review = add_review(session, user, attempt, data)
    return review_public(review, {require_id(user): user})


@router.get("/attempts/{roleplay_id}/reviews")
def list_reviews(roleplay_id: int, session: SessionDep, user: CurrentUser) -> AttemptReviews:
    """The attempt's coach score, effective score and every review, oldest first (the rep may read their own)."""
    attempt = visible_attempt(session, user, roleplay_id)
    return attempt_reviews(session, attempt)
