"""Pages of the shell: login, logout, language switch, home."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from app.accounts import authenticate, end_sessions
from app.deps import SessionDep, enforce_login_limits
from app.drills.analytics import team_dashboard
from app.drills.notices import mark_notices_seen, rep_notices
from app.i18n import LANGS, get_lang, translate
from app.models import User
from app.team.todo import team_todo
from app.web.drill_pages import STARTABLE, my_drills, scenario_names
from app.web.security import CsrfChecked, WebUser, is_manager, start_web_session
from app.web.templating import local_time, render

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request):
    """The sign-in form."""
    return render(request, "login.html")


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
):
    """Check the password and start a session."""
    try:
        enforce_login_limits(request, username)
    except HTTPException as limited:
        page = render(
            request,
            "login.html",
            {"error": translate("login.limited", get_lang(request)), "username": username},
            status_code=429,
        )
        page.headers.update(limited.headers or {})  # Retry-After
        return page
    user = authenticate(session, username, password)
    if user is None:
        return render(
            request,
            "login.html",
            {"error": translate("login.failed", get_lang(request)), "username": username},
            status_code=401,
        )
    start_web_session(request, user)
    return RedirectResponse("/", status_code=303)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: SessionDep):
    """End the session, and every other session and token of the user (a copied cookie included)."""
    user_id = request.session.get("user_id")
    user = session.get(User, user_id) if type(user_id) is int else None
    if user is not None and user.session_version == request.session.get("session_version"):
        end_sessions(session, user)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, request: Request):
    """Remember the chosen UI language and go back."""
    back = request.headers.get("referer") or "/"
    if not back.startswith(str(request.base_url)):
        back = "/"
    response = RedirectResponse(back, status_code=303)
    if code in LANGS:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/")
def home(request: Request, session: SessionDep, user: WebUser):
    """Start page with what the user can do today: a rep's open drills, a manager's team summary."""
    context: dict[str, Any]
    if is_manager(user):
        context = {"team_summary": team_dashboard(session, user), "todo": team_todo(session, user), "when": local_time}
    else:
        context = {
            "my_drills": my_drills(session, user),
            "startable": STARTABLE,
            "notices": rep_notices(session, user),
            "scenario_names": scenario_names(get_lang(request), session, user),
            "when": local_time,
        }
    return render(request, "home.html", context)


@router.post("/notices/seen", dependencies=[CsrfChecked])
def notices_seen(session: SessionDep, user: WebUser):
    """Mark the home page's notifications read."""
    mark_notices_seen(session, user)
    return RedirectResponse("/", status_code=303)
