"""Team exports as CSV for Excel (UTF-8 with a BOM so Chinese names show): drill results, one row per drill and
rep; practice sessions, one row per session with coach, override and effective score, comments and skills.
Times are Beijing time (Asia/Shanghai), as on the pages; text Excel would misread is kept as text."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.csv_export import csv_text
from app.drills.analytics import SKILLS, results_by_drill, scope_drills, scope_reps, with_scorecards
from app.drills.results import load_attempts, scenario_titles
from app.i18n import translate
from app.models import RolePlay, Team, User
from app.models.common import require_id, team_time

COLUMNS = (
    "drill_id",
    "scenario",
    "team",
    "due",
    "pass_score",
    "attempts_allowed",
    "username",
    "display_name",
    "rep_team",
    "attempts",
    "best_score",
    "passed",
    "status",
)


def results_csv(session: Session, viewer: User, team_id: int | None, lang: str = "zh") -> str | None:
    """The CSV text for the viewer's teams (or one of them), headers in `lang`; None when `team_id` is not theirs."""
    reps = scope_reps(session, viewer, team_id)
    if reps is None:
        return None
    rep_ids = [require_id(rep) for rep in reps]
    drills = scope_drills(session, rep_ids)
    attempts = (
        load_attempts(session, col(RolePlay.owner_id).in_(rep_ids), col(RolePlay.drill_id).is_not(None))
        if rep_ids
        else []
    )
    teams = {team.id: team.name for team in session.exec(select(Team))}
    rep_team = {rep.id: teams.get(rep.team_id, "") for rep in reps}

    def label(key: str) -> str:
        return translate(key, lang)

    rows: list[list[object]] = [[label(f"team.csv.{column}") for column in COLUMNS]]
    for drill, results in results_by_drill(session, drills, reps, attempts):
        title_zh, title_en = scenario_titles(session, drill.scenario_id)
        for result in results:
            rows.append(
                [
                    drill.id,
                    title_zh if lang == "zh" else title_en,
                    teams.get(drill.team_id, ""),
                    drill.due.isoformat(),
                    drill.pass_score,
                    drill.attempts_allowed or "",
                    result.username,
                    result.display_name,
                    rep_team[result.user_id],
                    result.attempts,
                    "" if result.best_score is None else result.best_score,
                    label("team.csv.yes") if result.passed else label("team.csv.no"),
                    label(f"drills.status.{result.status}"),
                ]
            )
    return csv_text(rows, bom=True)


SESSION_COLUMNS = (
    "session_id",
    "finished_at",
    "username",
    "display_name",
    "rep_team",
    "scenario",
    "drill_id",
    "coach_score",
    "override_score",
    "effective_score",
    "reviews",
)


def sessions_csv(session: Session, viewer: User, team_id: int | None, lang: str = "zh") -> str | None:
    """Every finished practice session of the viewer's reps (drills and free practice), newest first."""
    reps = scope_reps(session, viewer, team_id)
    if reps is None:
        return None
    by_id = {rep.id: rep for rep in reps}
    teams = {team.id: team.name for team in session.exec(select(Team))}
    attempts = load_attempts(session, col(RolePlay.owner_id).in_(list(by_id))) if by_id else []
    scored = sorted(
        with_scorecards(session, attempts),
        key=lambda item: item.attempt.roleplay.finished_at or item.attempt.roleplay.created_at,
        reverse=True,
    )
    reviewers = {
        user.id: user.display_name or user.username
        for user in session.exec(
            select(User).where(
                col(User.id).in_({review.reviewer_id for item in scored for review in item.attempt.reviews})
            )
        )
    }

    def label(key: str) -> str:
        return translate(key, lang)

    rows: list[Sequence[object]] = [
        [label(f"team.csv.{column}") for column in SESSION_COLUMNS]
        + [translate(f"roleplay.component.{skill}", lang) for skill in SKILLS]
    ]
    for item in scored:
        roleplay, rep = item.attempt.roleplay, by_id[item.attempt.roleplay.owner_id]
        title_zh, title_en = scenario_titles(session, roleplay.scenario_id)
        finished = roleplay.finished_at or roleplay.created_at
        reviews = " | ".join(
            f"{team_time(review.created_at):%Y-%m-%d %H:%M} {reviewers.get(review.reviewer_id, '')}: "
            + "; ".join(part for part in (review.comment, review.reason) if part)
            + (f" ({review.override_score})" if review.override_score is not None else "")
            for review in item.attempt.reviews
        )
        rows.append(
            [
                roleplay.id,
                f"{team_time(finished):%Y-%m-%d %H:%M}",
                rep.username,
                rep.display_name or "",
                teams.get(rep.team_id, ""),
                title_zh if lang == "zh" else title_en,
                roleplay.drill_id or "",
                _blank(item.attempt.coach_score),
                _blank(item.attempt.override_score),
                _blank(item.attempt.score),
                reviews,
            ]
            + [round(item.skills[skill]) if skill in item.skills else "" for skill in SKILLS]
        )
    return csv_text(rows, bom=True)


def _blank(value: int | None) -> int | str:
    return "" if value is None else value
