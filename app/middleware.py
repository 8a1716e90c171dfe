"""HTTP middleware: security headers on every response, input the database can take (no NUL character, whole
numbers in URLs within its integer range, JSON that JSON can answer with), and whose request a model call serves."""

import json
import math
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, unquote

from anyio import CancelScope, to_thread
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.llm.resilience import bind_request_state, settle_charges, unbind_request_state
from app.models.common import MAX_DB_INTEGER

SECURITY_HEADERS = {
    # Everything is served from this origin (no CDN); inline styles only for htmx's indicator styles and SVG charts.
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeadersMiddleware:
    """The headers above on every response; over HTTPS, every cookie set is marked `Secure` as well.

    The scheme is the request's own, or the proxy's X-Forwarded-Proto when the proxy is trusted (FORWARDED_ALLOW_IPS),
    so one configuration serves plain HTTP on a laptop and HTTPS behind a proxy.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if https:
                    headers = [_secure_cookie(name, value) for name, value in headers]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure_cookie(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() == b"set-cookie" and b"secure" not in [part.strip().lower() for part in value.split(b";")[1:]]:
        return name, value + b"; Secure"
    return name, value


class ModelCallerMiddleware:
    """Binds the request's state to the model guard's context, so model calls are charged to the signed-in user.

    The charges are written by a worker thread after the response has gone out; the request ends once they are in.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        token = bind_request_state(state)
        try:
            await self.app(scope, receive, send)
        finally:
            unbind_request_state(token)
            if charges := settle_charges(state):
                with CancelScope(shield=True):  # a client gone by now must not cost the count
                    await to_thread.run_sync(_write_all, charges)


def _write_all(charges: list[Callable[[], None]]) -> None:
    for charge in charges:
        charge()


_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
# The NUL character in each encoding a body can carry it: a form's percent-escape, JSON's escape, or the raw byte.
_NUL_IN_JSON = (b"\\u0000", b"\x00")
_NUL_IN_FORM = (b"%00", b"\x00")


class InputGuardMiddleware:
    """Answers 422 for input the database cannot take: the NUL character in the path, a query value or the body,
    or a whole number in a path segment or query value that no database integer can hold.

    PostgreSQL text columns cannot hold NUL (the driver raises, which would be a 500) and no one types it; SQLite
    would store it. Ids in paths and queries are plain `int` parameters; without the range check a request for
    /api/notes/99999999999999999999 would fail in the driver (SQLite: OverflowError, PostgreSQL: a type error) as
    a 500. The URL is checked before the body is read; runs inside the body size limit, so that body is capped.
    """

    def __init__(self, app: ASGIApp, file_upload_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        # File uploads (multipart) hold binary data, NUL included, and may be larger than the app-wide body
        # limit: their routes read and clean the body themselves under their own limit.
        self.file_upload_paths = file_upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (problem := _url_problem(scope)) is not None:
            await JSONResponse({"detail": [problem]}, status_code=422)(scope, receive, send)
            return
        if scope["path"] in self.file_upload_paths:
            await self.app(scope, receive, send)
            return
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").lower()
        markers = _NUL_IN_FORM if b"form-urlencoded" in content_type else _NUL_IN_JSON
        messages: list[Message] = []
        while True:  # the whole body (at most the size limit), then replayed to the app unchanged
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(message.get("body", b"") for message in messages)
        if any(nul in body for nul in markers):
            await JSONResponse({"detail": [_nul_error(["body"])]}, status_code=422)(scope, receive, send)
            return
        if body and (not content_type or b"json" in content_type) and (problem := _json_problem(body)) is not None:
            await JSONResponse({"detail": [problem]}, status_code=422)(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _url_problem(scope: Scope) -> dict | None:
    """The NUL character in the path or a query parameter, else the first whole number out of the database's range."""
    if "\x00" in scope["path"]:
        return _nul_error(["path"])
    # Parsed once, as Starlette parses it for the route, so an error names the parameter the route sees.
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    for name, value in query:
        if "\x00" in name or "\x00" in value:
            return _nul_error(["query", name])
    values = [(["path"], unquote(segment)) for segment in scope["path"].split("/")]
    values += [(["query", name], value) for name, value in query]
    for loc, value in values:
        # str.strip() removes more than int() tolerates (e.g. "\x1f"): parse what was matched.
        number = value.strip()
        if _WHOLE_NUMBER.fullmatch(number) and abs(int(number)) > MAX_DB_INTEGER:
            return {
                "type": "less_than_equal",
                "loc": loc,
                "input": value[:40],
                "msg": f"Input should be a whole number between {-MAX_DB_INTEGER} and {MAX_DB_INTEGER}",
            }
    return None


class _NotPlainJson(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise _NotPlainJson(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400
        raise _NotPlainJson(f"{text[:20]} is out of range for a number")
    return number


def _json_problem(body: bytes) -> dict | None:
    """Why a JSON body is something no response could echo (422), or None.

    Python's parser takes what JSON does not have: NaN and Infinity, numbers past the float range, surrogate halves
    (escaped, or as bytes in place of UTF-8). A route would take them as values and fail writing them or echoing them
    in a validation error: a 500. Malformed JSON is left to FastAPI's own 422.
    """
    try:
        text = body.decode("utf-8")
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except UnicodeDecodeError:
        return {"type": "json_invalid", "loc": ["body"], "msg": "The body is not UTF-8 text"}
    except _NotPlainJson as error:
        return {"type": "json_invalid", "loc": ["body"], "msg": str(error)}
    except ValueError:
        return None
    if "\\u" in text and _has_lone_surrogate(value):
        return {
            "type": "json_invalid",
            "loc": ["body"],
            "msg": "The body contains half of a surrogate pair (\\ud800-\\udfff)",
        }
    return None


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return not value.isascii() and _LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_lone_surrogate(key) or _has_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads joins the pairs, so any left alone is a lone half


def _nul_error(loc: list[str]) -> dict:
    return {
        "type": "string_pattern_mismatch",
        "loc": loc,
        "msg": f"The {loc[0]} contains the NUL character (\\u0000), which text cannot hold",
    }
