"""Bearer access tokens for the API (signed JWT carrying the user id)."""

from datetime import UTC, datetime, timedelta

import jwt

ALGORITHM = "HS256"


def create_access_token(user_id: int, secret: str, minutes: int) -> str:
    expires = datetime.now(UTC) + timedelta(minutes=minutes)
    return jwt.encode({"sub": str(user_id), "exp": expires}, secret, algorithm=ALGORITHM)


def read_access_token(token: str, secret: str) -> int | None:
    """The user id in a valid, unexpired token; None otherwise."""
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM])
        return int(payload["sub"])
    except (jwt.PyJWTError, KeyError, ValueError):
        return None
