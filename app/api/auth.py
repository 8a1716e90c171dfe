"""Token issuing (OAuth2 password flow) and the current user's profile."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from app.accounts import authenticate, end_sessions
from app.auth.tokens import create_access_token
from app.deps import CurrentUser, SessionDep, SettingsDep, enforce_login_limits
from app.models import UserPublic
from app.models.common import require_id

public_router = APIRouter(prefix="/auth", tags=["auth"])
router = APIRouter(tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@public_router.post("/token")
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """Exchange a username and password for a bearer token."""
    enforce_login_limits(request, form.username)
    user = authenticate(session, form.username[:64], form.password[:256])
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = create_access_token(
        require_id(user), request.app.state.secret_key, settings.access_token_minutes, user.session_version
    )
    return Token(access_token=token)


@router.get("/me")
def read_me(user: CurrentUser) -> UserPublic:
    """The signed-in user."""
    return UserPublic.model_validate(user)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(session: SessionDep, user: CurrentUser) -> None:
    """End every token and web session of the signed-in user."""
    end_sessions(session, user)
