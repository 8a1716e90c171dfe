"""AppError: the one exception services raise for a request they refuse; the app maps it once to JSON and to HTML."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """A refused request: the HTTP `status`, a stable `code` (for programs and UI messages) and a readable `detail`.

    Raised by feature services, which know nothing of HTTP frameworks; app.main turns it into
    `{"detail": ..., "code": ...}` for the API and the error page for browsers (`headers` such as Retry-After kept).
    Routes let it through: no route catches a service's error to re-raise it as an HTTP one. `detail` is a
    sentence, or a list of field errors shaped like FastAPI's 422 (a scenario that does not validate).
    """

    def __init__(self, status: int, code: str, detail: str | list[Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(str(detail))
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers


def not_found(what: str) -> AppError:
    """Missing and forbidden objects look the same, so ids cannot be probed."""
    return AppError(404, "not_found", f"{what} not found")
