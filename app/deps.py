"""Request dependencies shared by the API routers and the pages: database session, settings, current user, roles,
rate limits.

Authorization lives here and in app.auth.policy, nowhere else: routers declare what they need
with these aliases, and everything under /api except the public router requires a bearer token.
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from limits import parse
from sqlmodel import Session

from app.auth.tokens import read_access_token
from app.config import Settings
from app.db import get_session, release_connection
from app.errors import not_found  # noqa: F401  (routes import it from here with the other request helpers)
from app.i18n import get_lang, translate
from app.models import Role, User

SessionDep = Annotated[Session, Depends(get_session)]
AskId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]  # a pending streamed ask (API and page)

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_settings_from_app(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings_from_app)]


# A user with a one-time password (reset or imported) may only read who they are and change it.
PASSWORD_CHANGE_PATHS = frozenset({"/api/me", "/api/me/password"})


def get_current_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    """The user behind a valid bearer token of their current session version; 401 otherwise."""
    claims = read_access_token(token, request.app.state.secret_key) if token else None
    user = session.get(User, claims.user_id) if claims is not None else None
    if claims is None or user is None or not user.is_active or user.session_version != claims.session_version:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Not authenticated: send a valid bearer token from POST /api/auth/token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    release_connection(session)  # before the route waits for a worker thread; the user stays loaded
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="password change required: POST /api/me/password with the one-time password",
        )
    request.state.user = user
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role):
    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"requires role: {', '.join(roles)}")
        return user

    return check


ManagerUser = Annotated[User, Depends(require_roles(Role.manager, Role.admin))]
AdminUser = Annotated[User, Depends(require_roles(Role.admin))]


def rate_limited(limit_setting: str):
    """A dependency that counts one hit for the current user against the named limit setting."""

    async def check(request: Request, user: CurrentUser) -> None:
        if request.app.state.limiter.in_process:  # counted in memory: no I/O, so no worker-thread trip
            enforce_rate_limit(request, limit_setting, f"user:{user.id}")
        else:
            await run_in_threadpool(enforce_rate_limit, request, limit_setting, f"user:{user.id}")

    return check


def enforce_rate_limit(request: Request, limit_setting: str, key: str) -> None:
    limit = getattr(request.app.state.settings, limit_setting)
    wait = request.app.state.limiter.hit(limit, limit_setting, key)
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"rate limit exceeded ({limit}); try again in {int(wait) + 1} s",
            headers={"Retry-After": str(int(wait) + 1)},
        )


DAILY_LIMITS = {  # limit setting -> what it counts (UI string key)
    "rate_limit_roleplays_daily": "limits.what.roleplays",
    "rate_limit_deals_daily": "limits.what.deals",
    "rate_limit_flow_runs_daily": "limits.what.flow_runs",
}


def enforce_daily_limit(request: Request, limit_setting: str, user: User) -> None:
    """Count one creation against the user's daily limit; 429 saying what and until when (API in English)."""
    try:
        enforce_rate_limit(request, limit_setting, f"user:{user.id}")
    except HTTPException as limited:
        lang = "en" if request.url.path.startswith("/api/") else get_lang(request)
        wait_s = int((limited.headers or {}).get("Retry-After", "3600"))
        detail = translate(
            "limits.daily",
            lang,
            count=parse(getattr(request.app.state.settings, limit_setting)).amount,
            what=translate(DAILY_LIMITS[limit_setting], lang),
            hours=max(1, round(wait_s / 3600)),
        )
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail=detail, headers=limited.headers) from None


def enforce_login_limits(request: Request, username: str) -> None:
    """Count a sign-in attempt per address and name, and per address whatever the name (429 when over either).

    The name alone is never limited, so hammering a user's name from elsewhere cannot lock them out.
    """
    client = request.client.host if request.client else "unknown"
    enforce_rate_limit(request, "rate_limit_login_address", f"login-address:{client}")
    enforce_rate_limit(request, "rate_limit_login", f"login:{client}:{username[:64]}")
