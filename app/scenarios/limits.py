"""Size limits on every field of an authored scenario, checked before the Scenario model sees the data."""

from __future__ import annotations

from typing import Any

MAX_STRING = 1000  # any text the buyer says or the rep reads
MAX_LIST = 40  # any list (topics, objections, …)
MAX_FACTS = 12  # hidden facts per S / P / I / N category
# Tighter limits by field name (the last key of the path).
FIELD_LIMITS: dict[str, int] = {
    "id": 60,
    "title_zh": 120,
    "title_en": 120,
    "industry": 60,
    "name": 120,
    "size": 200,
    "title": 120,
    "kind": 40,
    "trigger": 40,
    "difficulty": 20,
    "team": 80,
    "ask_zh": 300,
    "ask_en": 300,
}
TOPIC_ITEM = 40  # one keyword
MAX_DEPTH = 8


def size_errors(data: Any, path: tuple[str | int, ...] = ()) -> list[dict[str, Any]]:
    """Every value over its limit, as FastAPI-style error items naming the field."""
    if len(path) > MAX_DEPTH:
        return [_error(path, "too deeply nested")]
    errors: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if len(data) > MAX_LIST:
            errors.append(_error(path, f"at most {MAX_LIST} keys"))
        for key, value in data.items():
            errors += size_errors(value, (*path, str(key)[:60]))
    elif isinstance(data, list):
        if len(path) == 2 and path[0] == "facts" and len(data) > MAX_FACTS:
            errors.append(_error(path, f"at most {MAX_FACTS} facts"))
        elif len(data) > MAX_LIST:
            errors.append(_error(path, f"at most {MAX_LIST} items"))
        for index, value in enumerate(data[:MAX_LIST]):
            errors += size_errors(value, (*path, index))
    elif isinstance(data, str):
        last = next((part for part in reversed(path) if isinstance(part, str)), "")
        in_keywords = (
            any(part in ("topics", "keywords", "zh", "en") for part in path if isinstance(part, str))
            and isinstance(path[-1], int)
            if path
            else False
        )
        limit = TOPIC_ITEM if in_keywords else FIELD_LIMITS.get(last, MAX_STRING)
        if len(data) > limit:
            errors.append(_error(path, f"at most {limit} characters"))
    return errors


def _error(path: tuple[str | int, ...], message: str) -> dict[str, Any]:
    return {"loc": ["body", *path], "msg": message, "type": "too_long"}
