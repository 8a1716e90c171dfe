"""UI strings in Chinese and English; the `lang` cookie picks one (Chinese by default).

Strings live in app/web/messages/<feature>.yaml as `key: {zh: ..., en: ...}`, one file per feature,
merged at import; a key defined twice is an error.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

import yaml
from fastapi import Request

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)
MESSAGES_DIR = Path(__file__).parent / "web" / "messages"


@lru_cache
def messages() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(MESSAGES_DIR.glob("*.yaml")):
        for key, texts in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if key in merged:
                raise ValueError(f"{path.name}: UI string {key!r} is already defined in another file")
            if set(texts) != set(LANGS):
                raise ValueError(f"{path.name}: UI string {key!r} needs exactly zh and en")
            merged[key] = texts
    return merged


def as_lang(value: str | None) -> Lang:
    """A stored or sent language code as one the UI speaks: English when it says so, else Chinese."""
    return "en" if value == "en" else "zh"


def get_lang(request: Request) -> Lang:
    return as_lang(request.cookies.get("lang"))


def translate(key: str, lang: str, **values: object) -> str:
    texts = messages().get(key)
    text = texts[lang] if texts else key
    return text.format(**values) if values else text
