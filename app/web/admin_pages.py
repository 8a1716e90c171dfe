"""People pages: admins manage users and teams, managers the reps of their teams; everyone changes their password."""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import UploadFile

from app.deps import SessionDep, not_found
from app.i18n import get_lang, translate
from app.models import Role, Team, User
from app.users.importer import ImportRejected, import_users
from app.users.schemas import TeamCreate, TeamUpdate, UserCreate, UserUpdate
from app.users.service import (
    UserRequestError,
    change_own_password,
    create_account,
    create_team,
    list_teams,
    list_users,
    manageable_user,
    reset_password,
    update_account,
    update_team,
)
from app.web.security import CsrfChecked, WebUser, is_manager
from app.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_IMPORT_BYTES = 200 * 1024


def _require(user: User, lang: str, admin: bool = False) -> None:
    allowed = user.role == Role.admin if admin else is_manager(user)
    if not allowed:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=translate("users.admins_only" if admin else "users.managers_only", lang)
        )


def _error_text(error: UserRequestError, lang: str) -> str:
    return translate(f"users.error.{error.code}", lang, **error.params)


def _validation_text(error: ValidationError, lang: str) -> str:
    field = str(error.errors()[0]["loc"][0]) if error.errors()[0]["loc"] else ""
    return translate("users.error.invalid_field", lang, field=translate(f"users.field.{field}", lang))


def _users_page(request: Request, session: Session, user: User, status_code: int = 200, **extra):
    context = {
        "people": list_users(session, user),
        "teams": list_teams(session, user),
        "roles": [role.value for role in Role] if user.role == Role.admin else [Role.rep.value],
        "values": {},
        **extra,
    }
    return render(request, "admin/users.html", context, status_code=status_code)


@router.get("/admin")
def admin_home(user: WebUser):
    """The people pages start at the user list."""
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep, user: WebUser):
    """Users (managers: their teams' reps), a form to add one, CSV import, and per-user actions."""
    _require(user, get_lang(request))
    return _users_page(request, session, user)


@router.post("/admin/users", dependencies=[CsrfChecked])
def create_user_page(
    request: Request,
    session: SessionDep,
    user: WebUser,
    username: Annotated[str, Form(max_length=40)] = "",
    display_name: Annotated[str, Form(max_length=80)] = "",
    role: Annotated[str, Form(max_length=16)] = "rep",
    team_id: Annotated[str, Form(max_length=12)] = "",
):
    """Add a user; the page then shows their one-time password once."""
    lang = get_lang(request)
    _require(user, lang)
    values = {"username": username, "display_name": display_name, "role": role, "team_id": team_id}
    try:
        data = UserCreate(
            username=username.strip(),
            display_name=display_name,
            role=role,
            team_id=int(team_id) if team_id.isdigit() else None,
        )
        created, password = create_account(session, user, data)
    except ValidationError as error:
        return _users_page(request, session, user, 422, error=_validation_text(error, lang), values=values)
    except UserRequestError as error:
        return _users_page(request, session, user, error.status, error=_error_text(error, lang), values=values)
    return _users_page(request, session, user, 201, one_time=(created, password))


@router.post("/admin/users/import", dependencies=[CsrfChecked])
async def import_page(request: Request, session: SessionDep, user: WebUser):
    """Import a CSV: a report per row; with any error nothing is stored and the report says what to fix."""
    lang = get_lang(request)
    _require(user, lang)
    upload = (await request.form()).get("file")
    data = await upload.read(MAX_IMPORT_BYTES + 1) if isinstance(upload, UploadFile) else b""
    if not data or len(data) > MAX_IMPORT_BYTES:
        return _users_page(request, session, user, 422, error=translate("users.import.no_file", lang))
    try:
        report = import_users(session, user, data)
    except ImportRejected as rejected:
        return _users_page(
            request,
            session,
            user,
            422,
            import_report=rejected.report,
            error=translate(f"users.import.{rejected.code}", lang),
        )
    return _users_page(request, session, user, import_report=report)


def _target(session: Session, user: User, user_id: int) -> User:
    target = manageable_user(session, user, user_id)
    if target is None:
        raise not_found("user")
    return target


@router.post("/admin/users/{user_id}", dependencies=[CsrfChecked])
def update_user_page(
    user_id: int,
    request: Request,
    session: SessionDep,
    user: WebUser,
    display_name: Annotated[str | None, Form(max_length=80)] = None,
    role: Annotated[str | None, Form(max_length=16)] = None,
    team_id: Annotated[str | None, Form(max_length=12)] = None,
    active: Annotated[str | None, Form(max_length=5)] = None,
):
    """Save a row's changes (name, role, team) or switch the user on or off."""
    lang = get_lang(request)
    _require(user, lang)
    target = _target(session, user, user_id)
    changes: dict = {}
    if display_name is not None:
        changes["display_name"] = display_name
    if role is not None and role != target.role:
        changes["role"] = role
    if team_id is not None and team_id.isdigit() and int(team_id) != target.team_id:
        changes["team_id"] = int(team_id)
    if active is not None:
        changes["is_active"] = active == "1"
    try:
        update_account(session, user, target, UserUpdate(**changes))
    except ValidationError as error:
        return _users_page(request, session, user, 422, error=_validation_text(error, lang))
    except UserRequestError as error:
        return _users_page(request, session, user, error.status, error=_error_text(error, lang))
    return RedirectResponse(f"/admin/users#user-{user_id}", status_code=303)


@router.post("/admin/users/{user_id}/reset-password", dependencies=[CsrfChecked])
def reset_password_page(user_id: int, request: Request, session: SessionDep, user: WebUser):
    """Give the user a one-time password, shown once on the page."""
    lang = get_lang(request)
    _require(user, lang)
    target = _target(session, user, user_id)
    try:
        password = reset_password(session, user, target)
    except UserRequestError as error:
        return _users_page(request, session, user, error.status, error=_error_text(error, lang))
    return _users_page(request, session, user, one_time=(target, password))


# --- teams -----------------------------------------------------------------------------------------


def _teams_page(request: Request, session: Session, user: User, status_code: int = 200, **extra):
    managers = [row for row in list_users(session, user) if row.role == Role.manager and row.is_active]
    return render(
        request,
        "admin/teams.html",
        {"teams": list_teams(session, user), "managers": managers, **extra},
        status_code=status_code,
    )


@router.get("/admin/teams")
def teams_page(request: Request, session: SessionDep, user: WebUser):
    """Teams with their managers and members; create, rename, choose managers (admins)."""
    _require(user, get_lang(request), admin=True)
    return _teams_page(request, session, user)


async def _team_form(request: Request) -> tuple[str, list[int]]:
    form = await request.form()
    ids = [int(value) for value in form.getlist("manager_ids") if isinstance(value, str) and value.isdigit()]
    return str(form.get("name", ""))[:200], ids


@router.post("/admin/teams", dependencies=[CsrfChecked])
async def create_team_page(request: Request, session: SessionDep, user: WebUser):
    """Create a team with its managers."""
    lang = get_lang(request)
    _require(user, lang, admin=True)
    name, manager_ids = await _team_form(request)
    try:
        create_team(session, TeamCreate(name=name, manager_ids=manager_ids))
    except ValidationError as error:
        return _teams_page(request, session, user, 422, error=_validation_text(error, lang))
    except UserRequestError as error:
        return _teams_page(request, session, user, error.status, error=_error_text(error, lang))
    return RedirectResponse("/admin/teams", status_code=303)


@router.post("/admin/teams/{team_id}", dependencies=[CsrfChecked])
async def update_team_page(team_id: int, request: Request, session: SessionDep, user: WebUser):
    """Rename a team and set its managers."""
    lang = get_lang(request)
    _require(user, lang, admin=True)
    team = session.get(Team, team_id)
    if team is None:
        raise not_found("team")
    name, manager_ids = await _team_form(request)
    try:
        update_team(session, team, TeamUpdate(name=name, manager_ids=manager_ids))
    except ValidationError as error:
        return _teams_page(request, session, user, 422, error=_validation_text(error, lang))
    except UserRequestError as error:
        return _teams_page(request, session, user, error.status, error=_error_text(error, lang))
    return RedirectResponse(f"/admin/teams#team-{team_id}", status_code=303)


# --- everyone's own password -----------------------------------------------------------------------


@router.get("/account/password")
def password_page(request: Request, user: WebUser):
    """Change your password (required first when you signed in with a one-time password)."""
    return render(request, "admin/password.html")


@router.post("/account/password", dependencies=[CsrfChecked])
def change_password_page(
    request: Request,
    session: SessionDep,
    user: WebUser,
    current_password: Annotated[str, Form(max_length=256)] = "",
    new_password: Annotated[str, Form(max_length=256)] = "",
    confirm_password: Annotated[str, Form(max_length=256)] = "",
):
    """Check the current password and store the new one."""
    lang = get_lang(request)
    try:
        if new_password != confirm_password:
            raise UserRequestError("the two new passwords differ", code="confirm_differs")
        change_own_password(session, user, current_password, new_password)
    except UserRequestError as error:
        return render(request, "admin/password.html", {"error": _error_text(error, lang)}, status_code=422)
    user.must_change_password = False
    return render(request, "admin/password.html", {"done": True})
