"""Web session helpers: the signed-in user from the session cookie, and CSRF tokens for forms."""

import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.db import get_session
from app.models import Role, User

CSRF_SESSION_KEY = "csrf"
PASSWORD_PAGE = "/account/password"


class LoginRequired(Exception):
    """Raised by page dependencies; the app turns it into a redirect to /login."""


class PasswordChangeRequired(Exception):
    """The user signed in with a one-time password; the app sends them to the password page first."""


class CsrfFailed(Exception):
    """A state-changing form or htmx request without the session's CSRF token."""


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Accept the token from the X-CSRF-Token header (htmx) or the csrf_token form field."""
    expected = request.session.get(CSRF_SESSION_KEY)
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get("csrf_token")
        sent = field if isinstance(field, str) else None  # a file sent under that name is no token
    if not expected or not sent or not secrets.compare_digest(str(sent), expected):
        raise CsrfFailed()


def start_web_session(request: Request, user: User) -> None:
    """A fresh session (and CSRF token) for the user, under their current session version."""
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["session_version"] = user.session_version


def get_web_user(request: Request, session: Annotated[Session, Depends(get_session)]) -> User:
    """The signed-in user of a session cookie that is still current (not logged out, password unchanged)."""
    user_id = request.session.get("user_id")
    user = session.get(User, user_id) if type(user_id) is int else None
    if user is None or not user.is_active or user.session_version != request.session.get("session_version"):
        raise LoginRequired()
    request.state.user = user
    if user.must_change_password and request.url.path != PASSWORD_PAGE:
        raise PasswordChangeRequired()
    return user


WebUser = Annotated[User, Depends(get_web_user)]
CsrfChecked = Depends(verify_csrf)


def is_manager(user: User) -> bool:
    return user.role in (Role.manager, Role.admin)
