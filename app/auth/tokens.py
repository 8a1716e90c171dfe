"""Bearer access tokens for the API (signed JWT carrying the user id and the user's session version)."""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import jwt

from app.models.common import MAX_DB_INTEGER

ALGORITHM = "HS256"


class TokenClaims(NamedTuple):
    user_id: int
    session_version: int


def create_access_token(user_id: int, secret: str, minutes: int, session_version: int = 0) -> str:
    expires = datetime.now(UTC) + timedelta(minutes=minutes)
    return jwt.encode({"sub": str(user_id), "ver": session_version, "exp": expires}, secret, algorithm=ALGORITHM)


def read_access_token(token: str, secret: str) -> TokenClaims | None:
    """The claims of a valid, unexpired token; None otherwise.

    `exp`, `sub` and `ver` are required: a token that never expires is refused even if our key signed it. `sub` must
    be the decimal id of a user a database can hold (anything else would reach the driver and fail there).
    """
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "ver"]})
    except jwt.PyJWTError:
        return None
    subject, version = payload["sub"], payload["ver"]
    if not (isinstance(subject, str) and subject.isascii() and subject.isdigit()):
        return None
    if type(version) is not int or not 0 <= version <= MAX_DB_INTEGER:
        return None
    user_id = int(subject)
    return TokenClaims(user_id, version) if 1 <= user_id <= MAX_DB_INTEGER else None
