"""Bilingual texts as data: tables of str.format templates in both languages, loaded from YAML under playbooks/.

A `Part` is a piece of text in both languages ("" where a language leaves it out), a `Sentence` a whole one (both
languages needed). Templates fill plain named {placeholders} only; a broken template or file stops the app at
start-up with the file and field named. Flow results (app/flows/results/texts.py), flow notes, the flow engine's
answer errors and the rehearsal scenario read their texts this way; tests check that every key the code asks for
exists, gets every placeholder it names, and that no text is unused.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.config import REPO_ROOT
from app.i18n import Lang
from app.playbook.data import load_yaml_model

PLAYBOOKS_DIR = REPO_ROOT / "playbooks"


class TextError(ValueError):
    """A text file is missing or invalid; the message names the file and the field."""


def placeholders(template: str) -> set[str]:
    """The {names} a template fills in; ValueError for anything but plain named fields."""
    names = set()
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"placeholder {{{name}}} must be a plain name, without format spec or conversion")
        names.add(name)
    return names


class Part(BaseModel):
    """A piece of text in both languages; "" where a language leaves it out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str
    en: str
    # English when the text counts exactly one (`count` == 1), as the UI strings do: "1 objection left open".
    en_one: str | None = None

    @field_validator("zh", "en", "en_one")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if value is not None:
            placeholders(value)
        return value

    def placeholders(self) -> set[str]:
        return placeholders(self.zh) | placeholders(self.en) | placeholders(self.en_one or "")

    def _en(self, values: dict[str, object]) -> str:
        return self.en_one if self.en_one is not None and values.get("count") == 1 else self.en

    def format(self, **values: object) -> tuple[str, str]:
        return self.zh.format(**values), self._en(values).format(**values)

    def in_lang(self, lang: Lang, **values: object) -> str:
        return (self._en(values) if lang == "en" else self.zh).format(**values)


class Sentence(Part):
    """A whole sentence: both languages are needed."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Texts(BaseModel):
    """A table of parts by key: `part` gives both languages, `label` the one the reader reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parts: dict[str, Part] = Field(default_factory=dict)

    def part(self, key: str, **values: object) -> tuple[str, str]:
        """A piece filled in: (zh, en)."""
        return self.parts[key].format(**values)

    def label(self, key: str, lang: Lang, **values: object) -> str:
        """A piece filled in, in `lang`."""
        return self.parts[key].in_lang(lang, **values)


TextsT = TypeVar("TextsT", bound=BaseModel)


def load_texts(path: Path, model: type[TextsT], error: type[Exception] = TextError) -> TextsT:
    """The text file at `path` validated as `model`; `error` names the file and every bad field."""
    return load_yaml_model(path, model, error, "texts")
