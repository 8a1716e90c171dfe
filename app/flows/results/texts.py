"""The sentences flow results are written in, as data: playbooks/flows/results/<flow_id>.yaml.

`messages` are whole sentences in both languages, keyed by the rule's code (the `code` of the Message they
become); `parts` are pieces of them (a name, an aside), "" in a language that leaves the piece out. Both are
str.format templates with named {placeholders}. Each flow module loads its file when it is imported, so a
missing file or a broken template stops the app at start-up; tests/unit/test_flow_texts.py checks that every
key a module asks for exists and gets every placeholder it names, and that no text is unused.
"""

from __future__ import annotations

import string
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.config import REPO_ROOT
from app.flows.results.common import Message
from app.playbook.data import load_yaml_model

TEXTS_DIR = REPO_ROOT / "playbooks" / "flows" / "results"


class FlowTextError(ValueError):
    """A flow's text file is missing or invalid; the message names the file and the field."""


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
    """A piece of a sentence in both languages; "" where a language leaves it out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str
    en: str

    @field_validator("zh", "en")
    @classmethod
    def _template(cls, value: str) -> str:
        placeholders(value)
        return value

    def placeholders(self) -> set[str]:
        return placeholders(self.zh) | placeholders(self.en)

    def format(self, **values: object) -> tuple[str, str]:
        return self.zh.format(**values), self.en.format(**values)


class Sentence(Part):
    """A whole sentence: both languages are needed."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class FlowTexts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    messages: dict[str, Sentence] = Field(default_factory=dict)
    parts: dict[str, Part] = Field(default_factory=dict)

    def message(self, code: str, cites: list[str], **values: object) -> Message:
        """The sentence of rule `code` filled in, as the Message the result lists."""
        zh, en = self.messages[code].format(**values)
        return Message(code=code, zh=zh, en=en, cites=cites)

    def part(self, key: str, **values: object) -> tuple[str, str]:
        """A piece filled in: (zh, en)."""
        return self.parts[key].format(**values)


@lru_cache
def flow_texts(flow_id: str) -> FlowTexts:
    return load_yaml_model(TEXTS_DIR / f"{flow_id}.yaml", FlowTexts, FlowTextError, "flow texts")
