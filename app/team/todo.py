"""A manager's to-do list: attempts waiting for review, overdue drills and who, reps who failed, stalled deals.

Each item links to the page where the manager acts on it (review on the transcript, extend or add attempts
on the drill page, the rep's pipeline)."""

from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.drills.analytics import results_by_drill, scope_drills, scope_reps
from app.drills.results import load_attempts, scenario_titles
from app.drills.schemas import DrillStatus
from app.models import Opportunity, RolePlay, User
from app.models.common import require_id, utcnow
from app.pipeline.stall import last_activities, stalled_reasons

REVIEW_WINDOW = timedelta(days=30)  # older unreviewed attempts are history, not a to-do
MAX_ITEMS = 20


class TodoAttempt(BaseModel):
    roleplay_id: int
    user_id: int
    rep_name: str
    scenario_id: str
    scenario_title_zh: str
    scenario_title_en: str
    drill_id: int | None
    coach_score: int | None
    finished_at: datetime | None
    link: str


class TodoRep(BaseModel):
    user_id: int
    rep_name: str
    best_score: int | None = None
    attempts: int = 0


class TodoDrill(BaseModel):
    drill_id: int
    scenario_id: str
    scenario_title_zh: str
    scenario_title_en: str
    due: date
    pass_score: int
    reps: list[TodoRep]
    link: str


class TodoDeal(BaseModel):
    opportunity_id: int
    user_id: int
    rep_name: str
    account: str
    name: str
    amount: float
    milestone_id: str | None
    last_activity: datetime
    idle_days: int
    reasons: list[str]  # "no_activity_30d", "close_date_passed"
    link: str


class TeamTodo(BaseModel):
    waiting_review: list[TodoAttempt]
    overdue: list[TodoDrill]  # drills with reps past their due date
    failed: list[TodoDrill]  # drills with reps who used every attempt without passing
    stalled_deals: list[TodoDeal]
    total: int


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _name(user: User) -> str:
    return user.display_name or user.username


def team_todo(session: Session, viewer: User, team_id: int | None = None) -> TeamTodo | None:
    """What needs the manager's action in their teams (one team, or all); None if the team is not theirs."""
    reps = scope_reps(session, viewer, team_id)
    if reps is None:
        return None
    reps = [rep for rep in reps if rep.is_active]
    by_id = {require_id(rep): rep for rep in reps}
    ids = list(by_id)
    since = utcnow() - REVIEW_WINDOW
    attempts = load_attempts(session, col(RolePlay.owner_id).in_(ids)) if ids else []
    finished = [
        (_aware(attempt.roleplay.finished_at), attempt)
        for attempt in attempts
        if attempt.finished and not attempt.reviews and attempt.roleplay.finished_at is not None
    ]
    waiting = sorted((pair for pair in finished if pair[0] >= since), key=lambda pair: pair[0], reverse=True)
    review_items = []
    for _finished_at, attempt in waiting[:MAX_ITEMS]:
        roleplay = attempt.roleplay
        title_zh, title_en = scenario_titles(session, roleplay.scenario_id)
        review_items.append(
            TodoAttempt(
                roleplay_id=roleplay.id,
                user_id=roleplay.owner_id,
                rep_name=_name(by_id[roleplay.owner_id]),
                scenario_id=roleplay.scenario_id,
                scenario_title_zh=title_zh,
                scenario_title_en=title_en,
                drill_id=roleplay.drill_id,
                coach_score=roleplay.score,
                finished_at=roleplay.finished_at,
                link=f"/roleplay/{roleplay.id}#review-block",
            )
        )

    overdue: list[TodoDrill] = []
    failed: list[TodoDrill] = []
    drill_attempts = [attempt for attempt in attempts if attempt.roleplay.drill_id is not None]
    for drill, results in results_by_drill(session, scope_drills(session, ids), reps, drill_attempts):
        title_zh, title_en = scenario_titles(session, drill.scenario_id)
        for status, bucket in ((DrillStatus.overdue, overdue), (DrillStatus.failed, failed)):
            who = [
                TodoRep(
                    user_id=result.user_id,
                    rep_name=result.display_name,
                    best_score=result.best_score,
                    attempts=result.attempts,
                )
                for result in results
                if result.status == status
            ]
            if who:
                bucket.append(
                    TodoDrill(
                        drill_id=drill.id,
                        scenario_id=drill.scenario_id,
                        scenario_title_zh=title_zh,
                        scenario_title_en=title_en,
                        due=drill.due,
                        pass_score=drill.pass_score,
                        reps=who,
                        link=f"/drills/{drill.id}#results",
                    )
                )

    stalled: list[TodoDeal] = []
    if ids:
        now = utcnow()
        deals = list(
            session.exec(select(Opportunity).where(col(Opportunity.owner_id).in_(ids), Opportunity.outcome == "open"))
        )
        activity = last_activities(session, deals)
        for deal in sorted(deals, key=lambda deal: _aware(activity[require_id(deal)])):
            last_activity = activity[require_id(deal)]
            reasons = stalled_reasons(deal, _aware(last_activity), now)
            if reasons and len(stalled) < MAX_ITEMS:
                stalled.append(
                    TodoDeal(
                        opportunity_id=deal.id,
                        user_id=deal.owner_id,
                        rep_name=_name(by_id[deal.owner_id]),
                        account=deal.account,
                        name=deal.name,
                        amount=deal.amount,
                        milestone_id=deal.milestone_id,
                        last_activity=last_activity,
                        idle_days=(now - _aware(last_activity)).days,
                        reasons=reasons,
                        link=f"/pipeline?owner_id={deal.owner_id}",
                    )
                )
    total = len(review_items) + sum(len(item.reps) for item in overdue + failed) + len(stalled)
    return TeamTodo(waiting_review=review_items, overdue=overdue, failed=failed, stalled_deals=stalled, total=total)
