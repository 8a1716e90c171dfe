"""Drill pages: reps' assigned drills, managers' drill creation and results."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from app.deps import SessionDep, not_found
from app.drills.analytics import scope_reps, viewer_teams
from app.drills.guidance import pass_score_guidance
from app.drills.schemas import AssignmentUpdate, DrillCreate, DrillPublic, DrillStatus, DrillUpdate
from app.drills.service import (
    DrillRequestError,
    can_correct,
    create_drill,
    drill_detail,
    list_drills,
    update_assignment,
    update_drill,
    visible_drill,
)
from app.i18n import get_lang, translate
from app.models import Drill, User
from app.models.common import team_today
from app.roleplay.scenarios import DIFFICULTIES
from app.scenarios import repository
from app.web import charts
from app.web.security import CsrfChecked, WebUser, is_manager
from app.web.templating import local_time, render

router = APIRouter(include_in_schema=False)

DEFAULT_PASS_SCORE = 70
DEFAULT_DAYS_TO_DUE = 7
STARTABLE = (DrillStatus.assigned, DrillStatus.in_progress, DrillStatus.overdue)
HOME_DRILLS = 6


def my_drills(session: Session, rep: User) -> list[DrillPublic]:
    """The rep's drills for the home page: those still to do first (soonest due), then the finished ones."""
    drills = [drill for drill in list_drills(session, rep) if drill.mine is not None]
    return sorted(drills, key=lambda drill: (drill.mine is None or drill.mine.status not in STARTABLE, drill.due))[
        :HOME_DRILLS
    ]


def render_page(request: Request, name: str, context: dict, status_code: int = 200):
    """render() plus `when`, which shows stored times in the teams' time zone."""
    return render(request, name, context | {"when": local_time}, status_code=status_code)


def scenario_names(lang: str, session: Session, user: User) -> dict[str, str]:
    """Titles of the scenarios the user may see (built-in and team, every stored version id) in the UI language."""
    return {
        scenario_id: zh if lang == "zh" else en
        for scenario_id, (zh, en) in repository.titles_for(session, user).items()
    }


def _form_context(session: Session, user: User, values: dict | None = None, error: str | None = None) -> dict:
    scenarios = sorted(repository.playable_list(session, user), key=lambda s: (DIFFICULTIES.index(s.difficulty), s.id))
    defaults = {
        "scenario_id": "",
        "team": "",
        "assignees": [],
        "pass_score": DEFAULT_PASS_SCORE,
        "attempts": "",
        "due": (team_today() + timedelta(days=DEFAULT_DAYS_TO_DUE)).isoformat(),
        "note": "",
    }
    values = defaults | (values or {})
    playable_ids = {scenario.id for scenario in scenarios}
    chosen = values["scenario_id"] if values["scenario_id"] in playable_ids else (scenarios[0].id if scenarios else "")
    return {
        "scenarios": scenarios,
        "teams": viewer_teams(session, user),
        "reps": scope_reps(session, user, None),
        "values": values,
        "error": error,
        "today": team_today().isoformat(),
        **(_guidance_context(session, user, chosen) if chosen else {}),
    }


def _guidance_context(session: Session, user: User, scenario_id: str) -> dict:
    guidance = pass_score_guidance(session, user, scenario_id)
    labels = [f"{bucket.low}–{bucket.low + 9 if bucket.low < 90 else 100}" for bucket in guidance.buckets]
    chart = (
        charts.bars(labels, {"": [bucket.count for bucket in guidance.buckets]}, counts=True)
        if guidance.attempts
        else None
    )
    return {"guidance": guidance, "guidance_chart": chart}


@router.get("/drills/guidance")
def guidance_fragment(request: Request, session: SessionDep, user: WebUser, scenario_id: str = ""):
    """The pass-score guidance block for the scenario chosen in the form (htmx swaps it in)."""
    if not is_manager(user):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=translate("drills.error.managers_only", get_lang(request))
        )
    if repository.playable(session, user, scenario_id) is None:
        raise not_found("scenario")
    return render_page(request, "drills/_guidance.html", _guidance_context(session, user, scenario_id))


@router.get("/drills")
def drills_page(request: Request, session: SessionDep, user: WebUser, scenario_id: str = ""):
    """Reps: my drills; managers: the create form and their teams' drills."""
    context: dict = {"drills": list_drills(session, user), "startable": STARTABLE}
    if is_manager(user):
        context |= _form_context(session, user, {"scenario_id": scenario_id[:80]})
    return render_page(request, "drills/index.html", context)


@router.post("/drills", dependencies=[CsrfChecked])
async def create_drill_page(request: Request, session: SessionDep, user: WebUser):
    """Create a drill from the form, then show its results page."""
    lang = get_lang(request)
    if not is_manager(user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=translate("drills.error.managers_only", lang))
    form = await request.form()
    values = {
        "scenario_id": str(form.get("scenario_id", "")),
        "team": str(form.get("team", "")),
        "assignees": [str(name) for name in form.getlist("assignees")],
        "due": str(form.get("due", "")),
        "pass_score": str(form.get("pass_score", "")),
        "attempts": str(form.get("attempts", "")),
        "note": str(form.get("note", "")),
        "include_newcomers": "1" if form.get("include_newcomers") == "1" else "0",
    }
    try:
        data = DrillCreate(
            scenario_id=values["scenario_id"],
            team=values["team"] or None,
            assignees=values["assignees"] or None,
            due=values["due"],
            pass_score=values["pass_score"],
            attempts=values["attempts"] or None,
            note=values["note"],
            include_newcomers=values["include_newcomers"] == "1",
        )
        drill = create_drill(session, user, data)
    except ValidationError as error:
        return _form_error(request, session, user, values, _validation_message(error, lang))
    except DrillRequestError as error:
        message = translate(f"drills.error.{error.code}", lang, **error.params)
        return _form_error(request, session, user, values, message)
    return RedirectResponse(f"/drills/{drill.id}", status_code=303)


def _validation_message(error: ValidationError, lang: str) -> str:
    location = error.errors()[0]["loc"]
    if not location:  # the model-level check: neither a team nor reps
        return translate("drills.error.nobody", lang)
    return translate("drills.form.invalid", lang, field=translate(f"drills.form.{location[0]}", lang))


def _form_error(request: Request, session: Session, user: User, values: dict, message: str):
    context = {"drills": list_drills(session, user), "startable": STARTABLE}
    context |= _form_context(session, user, values, message)
    return render_page(request, "drills/index.html", context, status_code=422)


@router.get("/drills/{drill_id}")
def drill_page(drill_id: int, request: Request, session: SessionDep, user: WebUser):
    """One drill: results per rep, attempts with transcripts and reviews (managers can review here)."""
    drill = visible_drill(session, user, drill_id)
    return _detail_page(request, session, user, drill)


def _detail_page(request: Request, session: Session, user: User, drill: Drill, edit_error: str | None = None):
    detail = drill_detail(session, user, drill)
    names = {result.user_id: result.display_name for result in detail.results}
    return render_page(
        request,
        "drills/detail.html",
        {
            "drill": detail,
            "names": names,
            "startable": STARTABLE,
            "edit_error": edit_error,
            "can_edit": is_manager(user) and can_correct(session, user, drill),
        },
        status_code=422 if edit_error else 200,
    )


def _editable(session: Session, user: User, drill_id: int, lang: str) -> Drill:
    drill = visible_drill(session, user, drill_id)
    if not is_manager(user) or not can_correct(session, user, drill):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=translate("drills.error.not_your_drill", lang))
    return drill


@router.post("/drills/{drill_id}/edit", dependencies=[CsrfChecked])
async def edit_drill_page(drill_id: int, request: Request, session: SessionDep, user: WebUser):
    """Save the correction form, or cancel / reopen the drill; the change shows in the drill's history."""
    lang = get_lang(request)
    drill = _editable(session, user, drill_id, lang)
    form = await request.form()
    try:
        if "cancelled" in form:
            data = DrillUpdate(cancelled=form.get("cancelled") == "1")
        else:
            attempts = str(form.get("attempts", "")).strip()
            changes: dict[str, object] = {
                "due": str(form.get("due", "")),
                "pass_score": str(form.get("pass_score", "")),
                "attempts": attempts or None,
                "note": str(form.get("note", "")),
            }
            if drill.team_id is not None:
                changes["include_newcomers"] = form.get("include_newcomers") == "1"
            data = DrillUpdate.model_validate(changes)
        update_drill(session, user, drill, data)
    except ValidationError as error:
        return _detail_page(request, session, user, drill, _validation_message(error, lang))
    except DrillRequestError as error:
        return _detail_page(
            request, session, user, drill, translate(f"drills.error.{error.code}", lang, **error.params)
        )
    return RedirectResponse(f"/drills/{drill_id}", status_code=303)


@router.post("/drills/{drill_id}/assignees/{user_id}", dependencies=[CsrfChecked])
def extend_for_rep_page(
    drill_id: int,
    user_id: int,
    request: Request,
    session: SessionDep,
    user: WebUser,
    due: Annotated[str, Form(max_length=10)] = "",
    extra_attempts: Annotated[str, Form(max_length=3)] = "",
):
    """One rep's own due date and extra attempts."""
    lang = get_lang(request)
    drill = _editable(session, user, drill_id, lang)
    try:
        data = AssignmentUpdate(due=due or None, extra_attempts=extra_attempts or None)
        update_assignment(session, user, drill, user_id, data)
    except ValidationError as error:
        return _detail_page(request, session, user, drill, _validation_message(error, lang))
    except DrillRequestError as error:
        if error.status == 404:
            raise not_found("rep") from error
        return _detail_page(
            request, session, user, drill, translate(f"drills.error.{error.code}", lang, **error.params)
        )
    return RedirectResponse(f"/drills/{drill_id}#results", status_code=303)
