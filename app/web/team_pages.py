"""Team pages for managers: dashboard, rep progress, attempt review."""

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response, status
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from pydantic import ValidationError
from sqlmodel import Session

from app.auth.policy import visible_user_or_404
from app.deps import SessionDep, not_found
from app.drills.analytics import SKILLS, SPIN_LABELS, rep_progress, team_dashboard
from app.drills.export import results_csv, sessions_csv
from app.drills.results import attempts_public, load_attempts
from app.drills.reviews import add_review, visible_attempt
from app.drills.schemas import RepSummary, ReviewCreate, TeamDashboard
from app.drills.service import DrillRequestError
from app.i18n import get_lang, translate
from app.models import RolePlay, User
from app.models.common import team_time
from app.playbook import get_playbook
from app.playbook.vocabulary import FIVEK_DIMENSIONS, SPIN_ELEMENTS
from app.web import charts
from app.web.drill_pages import render_page, scenario_names
from app.web.security import CsrfChecked, WebUser, is_manager

router = APIRouter(include_in_schema=False)


# ReviewCreate's error types -> UI messages; anything else is an out-of-range score.
REVIEW_ERRORS = {
    "reason_required": "drills.review.need_reason",
    "review_empty": "drills.review.need_content",
    "turn_override": "drills.review.turn_override",
}


def _require_manager(user: User, lang: str) -> None:
    if not is_manager(user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=translate("team.managers_only", lang))


def _team_filter(team_id: str) -> int | None:
    """The team select sends "" for all teams; anything that is not an id is treated the same."""
    return int(team_id) if team_id.isdigit() else None


@router.get("/team")
def team_page(
    request: Request, session: SessionDep, user: WebUser, team_id: str = "", since: str = "", until: str = ""
):
    """The dashboard: pass rates, 5K radar per rep, SPIN mix, weakest skills, coach/manager agreement; a date range
    (Beijing dates, either end optional) limits the practice counted."""
    lang = get_lang(request)
    _require_manager(user, lang)
    dashboard = team_dashboard(session, user, _team_filter(team_id), _day(since), _day(until))
    if dashboard is None:
        raise not_found("team")
    return render_page(
        request,
        "team/index.html",
        {
            "dash": dashboard,
            "charts": _dashboard_charts(dashboard, lang),
            "skill_labels": _skill_labels(lang),
            "scenario_names": scenario_names(lang, session, user),
            "since": _day(since),
            "until": _day(until),
        },
    )


def _day(value: str) -> date | None:
    """A date from the range form; anything else (empty, malformed) means no limit."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _skill_labels(lang: str) -> dict[str, str]:
    # The scorecard's component names, shared with the role-play pages.
    return {skill: translate(f"roleplay.component.{skill}", lang) for skill in SKILLS}


def _fivek_labels(lang: str) -> list[str]:
    return [_element_name(f"fivek.{key}", lang) for key in FIVEK_DIMENSIONS]


def _dashboard_charts(dashboard: TeamDashboard, lang: str) -> dict[str, object]:
    def title(drill) -> str:
        # The company part of the title ("连锁超市会员营销：拜访营销副总" -> "连锁超市会员营销") keeps labels short.
        full = drill.scenario_title_zh if lang == "zh" else drill.scenario_title_en
        return f"#{drill.drill_id} {re.split('[：:]| — ', full)[0]}"

    scored_reps = [rep for rep in dashboard.reps if rep.fivek]
    return {
        "pass_rates": charts.rates(
            [(title(drill), round((drill.pass_rate or 0) * 100)) for drill in dashboard.drills],
            series=translate("team.pass_rate_series", lang),
        )
        if dashboard.drills
        else None,
        # the rep's name goes in the figure's caption: as the chart's title it sat on the top axis label
        "radars": {rep.user_id: (rep.display_name, _rep_radar(rep, lang)) for rep in scored_reps},
        "spin_mix": charts.stacked_shares(
            [rep.display_name for rep in scored_reps],
            {
                _spin_label(label, lang): [_share_of(rep.spin_mix, label) for rep in scored_reps]
                for label in SPIN_LABELS
            },
        )
        if scored_reps
        else None,
        "skill_trends": _skill_trends(dashboard, lang),
        "weekly": charts.lines(
            [week.week for week in dashboard.weeks],
            {translate("team.kpi.average", lang): [week.average_score for week in dashboard.weeks]},
        )
        if len(dashboard.weeks) > 1
        else None,
    }


def _skill_trends(dashboard: TeamDashboard, lang: str) -> dict[str, Markup]:
    """Small multiples: one chart per skill, the team's average per day or week, all on the same 0-100 scale."""
    points = dashboard.skill_trend.points
    if not points:
        return {}
    labels = [point.label[5:] if dashboard.skill_trend.unit == "day" else point.label for point in points]
    skill_labels = _skill_labels(lang)
    return {
        skill: charts.small_lines(
            labels,
            [point.skills.get(skill) for point in points],
            title=skill_labels[skill],
            no_data=translate("team.skill.not_applied", lang),
        )
        for skill in SKILLS
    }


def _share_of(mix: dict[str, float], label: str) -> float:
    """A label's percentage of the rep's questions, scaled so each rep's bar adds up to exactly 100."""
    total = sum(mix.values())
    return round(mix.get(label, 0) / total * 100, 1) if total else 0.0


def _spin_label(label: str, lang: str) -> str:
    """The playbook's name of a SPIN question type with its letter, e.g. "背景问题 S"."""
    if label not in SPIN_ELEMENTS:
        return translate("team.spin.other", lang)
    return f"{_element_name(SPIN_ELEMENTS[label], lang)} {label}"


def _element_name(element_id: str, lang: str) -> str:
    element = get_playbook().element(element_id)
    return element.name_zh if lang == "zh" else element.name_en


def _rep_radar(rep: RepSummary, lang: str) -> Markup:
    return charts.radar(
        _fivek_labels(lang),
        {rep.display_name: [rep.fivek[key] for key in FIVEK_DIMENSIONS]},
        max_value=20,
    )


@router.get("/team/export.csv")
def export_page(request: Request, session: SessionDep, user: WebUser, team_id: str = ""):
    """The results CSV for the signed-in manager (the API route needs a bearer token, the page a session)."""
    return _csv_download(request, session, user, team_id, results_csv, "drill-results.csv")


@router.get("/team/sessions.csv")
def export_sessions_page(request: Request, session: SessionDep, user: WebUser, team_id: str = ""):
    """Every finished practice session of the team with coach, override and effective score, reviews and skills."""
    return _csv_download(request, session, user, team_id, sessions_csv, "practice-sessions.csv")


def _csv_download(request: Request, session: Session, user: User, team_id: str, build, filename: str) -> Response:
    lang = get_lang(request)
    _require_manager(user, lang)
    text = build(session, user, _team_filter(team_id), lang)
    if text is None:
        raise not_found("team")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/team/reps/{user_id}")
def rep_page(user_id: int, request: Request, session: SessionDep, user: WebUser):
    """One rep's scores over time, per skill, with the attempts behind them (also the rep's own view)."""
    rep = visible_user_or_404(session, user, user_id, "rep")
    lang = get_lang(request)
    progress = rep_progress(session, rep)
    labels = [
        team_time(point.finished_at).strftime("%m-%d %H:%M") if point.finished_at else "" for point in progress.attempts
    ]
    skill_labels = _skill_labels(lang)
    score_series: dict[str, list[float | None]] = {
        translate("team.progress.score_series", lang): [point.score for point in progress.attempts],
        translate("team.progress.coach_series", lang): [point.coach_score for point in progress.attempts],
    }
    # one chart for wide screens and one drawn for phones (the page shows the one that fits)
    chart_score = charts.lines(labels, score_series) if progress.attempts else None
    chart_score_narrow = charts.lines(labels, score_series, narrow=True) if progress.attempts else None
    # Small multiples: one chart per skill on the same 0-100 scale (seven lines in one chart hid each other).
    chart_skills = (
        {
            skill: charts.small_lines(
                labels,
                [point.skills.get(skill) for point in progress.attempts],
                title=skill_labels[skill],
                no_data=translate("team.skill.not_applied", lang),
            )
            for skill in SKILLS
        }
        if progress.attempts
        else {}
    )
    attempts = attempts_public(session, load_attempts(session, RolePlay.owner_id == rep.id))
    return render_page(
        request,
        "team/rep.html",
        {
            "rep": rep,
            "progress": progress,
            "attempts": list(reversed(attempts)),
            "chart_score": chart_score,
            "chart_score_narrow": chart_score_narrow,
            "chart_skills": chart_skills,
            "scenario_names": scenario_names(lang, session, user),
        },
    )


@router.post("/team/attempts/{roleplay_id}/reviews", dependencies=[CsrfChecked])
def review_attempt(
    roleplay_id: int,
    request: Request,
    session: SessionDep,
    user: WebUser,
    comment: Annotated[str, Form(max_length=4000)] = "",
    override_score: Annotated[str, Form(max_length=8)] = "",
    reason: Annotated[str, Form(max_length=1000)] = "",
    turn_id: Annotated[str, Form(max_length=12)] = "",
):
    """Add a review from the form; htmx gets the refreshed reviews block, a plain post goes back to the page."""
    lang = get_lang(request)
    _require_manager(user, lang)
    attempt = visible_attempt(session, user, roleplay_id)
    values = {"comment": comment, "override_score": override_score, "reason": reason, "turn_id": turn_id}
    error = _review_error(session, user, attempt, values, lang)
    if request.headers.get("hx-request"):
        block = attempts_public(session, [attempt])[0]
        return render_page(
            request,
            "drills/_reviews.html",
            {"attempt": block, "review_error": error, "review_values": values if error else None},
        )
    if error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=error)
    if turn_id.isdigit():  # a comment on one line, posted from the transcript
        return RedirectResponse(f"/roleplay/{roleplay_id}#turn-{turn_id}", status_code=303)
    back = (
        f"/drills/{attempt.roleplay.drill_id}"
        if attempt.roleplay.drill_id
        else f"/team/reps/{attempt.roleplay.owner_id}"
    )
    return RedirectResponse(f"{back}#attempt-{roleplay_id}", status_code=303)


def _review_error(session: Session, user: User, attempt, values: dict[str, str], lang: str) -> str | None:
    """Store the review; the message to show when it is refused, else None."""
    score = values["override_score"].strip()
    if score and not score.isdigit():
        return translate("drills.review.bad_score", lang)
    try:
        turn = values.get("turn_id", "").strip()
        data = ReviewCreate(
            comment=values["comment"],
            override_score=int(score) if score else None,
            reason=values["reason"],
            turn_id=int(turn) if turn.isdigit() else None,
        )
        add_review(session, user, attempt, data)
    except ValidationError as error:
        return translate(REVIEW_ERRORS.get(error.errors()[0]["type"], "drills.review.bad_score"), lang)
    except DrillRequestError as error:
        return translate(f"drills.error.{error.code}", lang)
    return None
