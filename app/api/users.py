"""People and teams: admins manage everyone, managers the reps of their own teams; everyone their own password."""

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, status
from fastapi.responses import JSONResponse

from app.deps import AdminUser, CurrentUser, ManagerUser, SessionDep, not_found
from app.models import Team
from app.models.common import MAX_DB_INTEGER
from app.users.importer import ImportRejected, import_users
from app.users.schemas import (
    ImportReport,
    OneTimePassword,
    PasswordChange,
    TeamCreate,
    TeamRow,
    TeamUpdate,
    UserCreate,
    UserCreated,
    UserRow,
    UserUpdate,
)
from app.users.service import (
    change_own_password,
    create_account,
    create_team,
    list_teams,
    list_users,
    manageable_user,
    reset_password,
    update_account,
    update_team,
    user_rows,
)

router = APIRouter(tags=["users"])

MAX_IMPORT_BYTES = 200 * 1024


@router.get("/users")
def users(
    session: SessionDep,
    user: ManagerUser,
    team_id: Annotated[int | None, Query(ge=1, le=MAX_DB_INTEGER)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[UserRow]:
    """Admins: every user; managers: the reps of their teams (optionally one team); active first, 100 a page."""
    return list_users(session, user, team_id)[offset : offset + limit]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create(data: UserCreate, session: SessionDep, user: ManagerUser) -> UserCreated:
    """Create a user (managers: a rep in one of their teams); a generated password is shown once and must be changed."""
    created, password = create_account(session, user, data)
    return UserCreated(**user_rows(session, [created])[0].model_dump(), one_time_password=password)


@router.post("/users/import", response_model=ImportReport)
def import_csv(
    session: SessionDep, user: ManagerUser, file: Annotated[bytes, File(max_length=MAX_IMPORT_BYTES)]
) -> ImportReport | JSONResponse:
    """Create users from a CSV (username, display_name, role, team, password); all rows or none, with a per-row report."""
    try:
        return import_users(session, user, file)
    except ImportRejected as rejected:
        return JSONResponse(
            status_code=422, content={"detail": rejected.code, **rejected.report.model_dump(mode="json")}
        )


@router.patch("/users/{user_id}")
def update(user_id: int, data: UserUpdate, session: SessionDep, user: ManagerUser) -> UserRow:
    """Change a user's name, role (admins), team or active state; deactivated users cannot sign in."""
    target = manageable_user(session, user, user_id)
    if target is None:
        raise not_found("user")
    changed = update_account(session, user, target, data)
    return user_rows(session, [changed])[0]


@router.post("/users/{user_id}/reset-password")
def reset(user_id: int, session: SessionDep, user: ManagerUser) -> OneTimePassword:
    """Replace the user's password with a one-time password they must change at their next sign-in."""
    target = manageable_user(session, user, user_id)
    if target is None:
        raise not_found("user")
    password = reset_password(session, user, target)
    return OneTimePassword(user_id=target.id, one_time_password=password)


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(data: PasswordChange, session: SessionDep, user: CurrentUser) -> Response:
    """Change your own password (ends a one-time password)."""
    change_own_password(session, user, data.current_password, data.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/teams")
def teams(
    session: SessionDep,
    user: ManagerUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[TeamRow]:
    """Admins: every team; managers: the teams they lead; each with its managers and member count, 100 a page."""
    return list_teams(session, user)[offset : offset + limit]


@router.post("/teams", status_code=status.HTTP_201_CREATED)
def new_team(data: TeamCreate, session: SessionDep, _admin: AdminUser) -> TeamRow:
    """Create a team, optionally with its managers (admins)."""
    team = create_team(session, data)
    return next(row for row in list_teams(session, _admin) if row.id == team.id)


@router.patch("/teams/{team_id}")
def change_team(team_id: int, data: TeamUpdate, session: SessionDep, _admin: AdminUser) -> TeamRow:
    """Rename a team or set who manages it (admins)."""
    team = session.get(Team, team_id)
    if team is None:
        raise not_found("team")
    update_team(session, team, data)
    return next(row for row in list_teams(session, _admin) if row.id == team_id)
