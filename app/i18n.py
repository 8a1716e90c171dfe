"""UI strings in Chinese and English: the `lang` cookie (the user's own choice) picks one, else the browser's
Accept-Language (en* English, zh* Chinese, whichever it prefers), else Chinese.

Strings live in app/web/messages/<feature>.yaml as `key: {zh: ..., en: ...}`, one file per feature,
merged at import; a key defined twice is an error. An English text that counts something may add `en_one`,
said when `count` is 1 ("1 rep", not "1 reps"); Chinese needs no plural.
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
            if set(texts) - {"en_one"} != set(LANGS):
                raise ValueError(f"{path.name}: UI string {key!r} needs exactly zh and en (and optionally en_one)")
            merged[key] = texts
    return merged


def as_lang(value: str | None) -> Lang:
    """A stored or sent language code as one the UI speaks: English when it says so, else Chinese."""
    return "en" if value == "en" else "zh"


def preferred_lang(accept_language: str | None) -> Lang | None:
    """The UI language a browser's Accept-Language prefers, by quality (ties: the first listed); None if it names
    neither, e.g. `fr-FR,en;q=0.8,zh;q=0.9` → zh, `en-GB,en;q=0.9` → en, `de` → None."""
    ranked: list[tuple[float, int, Lang]] = []
    for position, item in enumerate((accept_language or "").split(",")[:20]):
        tag, *params = item.split(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGS:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((quality, -position, as_lang(primary)))
    return max(ranked)[2] if ranked else None


def get_lang(request: Request) -> Lang:
    """The UI language of a request: the user's choice (the `lang` cookie), else the browser's, else Chinese."""
    chosen = request.cookies.get("lang")
    if chosen in LANGS:
        return as_lang(chosen)
    return preferred_lang(request.headers.get("accept-language")) or "zh"


def translate(key: str, lang: str, **values: object) -> str:
    texts = messages().get(key)
    text = texts[lang] if texts else key
    if texts and lang == "en" and values.get("count") == 1:
        text = texts.get("en_one", text)
    return text.format(**values) if values else text
