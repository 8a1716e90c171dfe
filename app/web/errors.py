"""Error messages in the user's language: an HTTP error's English `detail` (the API's wording) mapped once to a UI
string, so pages, htmx fragments and the chat never show "Not Found" or "drill not found" in the Chinese UI."""

import re
from http import HTTPStatus

from app.i18n import messages, translate

_NOT_FOUND = re.compile(r"^([a-z][a-z ]*) not found$")
# English details the services and dependencies raise, by how they start -> the UI string that says the same.
_PREFIXES = (
    ("this session is finished", "error.roleplay.finished"),
    ("the buyer has ended the call", "error.roleplay.ended"),
    ("message ", "error.roleplay.waiting"),  # "message 12 is still waiting for the buyer's reply: ..."
    ("another message was sent at the same moment", "error.roleplay.conflict"),
    ("this message was never answered", "error.roleplay.finished"),
    ("rate limit exceeded", "error.rate_limited"),
    ("requires role:", "error.forbidden"),
    ("only the rep who owns", "error.not_owner"),
    ("the full scenario is for managers", "error.forbidden"),
    ("Not authenticated", "error.unauthenticated"),
    ("login required", "error.unauthenticated"),
)


def localized_message(status_code: int, detail: object, lang: str) -> str:
    """What to show the user for an error with this status and detail, in `lang`."""
    if isinstance(detail, str):
        if match := _NOT_FOUND.match(detail):
            what_key = "error.what." + match.group(1).replace(" ", "_")
            what = translate(what_key, lang) if what_key in messages() else translate("error.what.item", lang)
            return translate("error.not_found", lang, what=what)
        for prefix, key in _PREFIXES:
            if detail.startswith(prefix):
                return translate(key, lang)
        if not detail.isascii() or (lang == "en" and detail != _phrase(status_code)):
            return detail  # already a UI string (or readable English in the English UI)
    return status_message(status_code, lang)


def status_message(status_code: int, lang: str) -> str:
    """The generic message for a status (e.g. 404 -> "找不到该页面或内容"), or the 4xx/5xx fallback."""
    key = f"error.status.{status_code}"
    if key not in messages():
        key = "error.status.500" if status_code >= 500 else "error.status.400"
    return translate(key, lang)


def _phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return ""
