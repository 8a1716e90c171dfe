"""Coaching worded for its reader: the coach addresses the rep ("you", 你); a manager reading the rep's
scorecard, transcript or note gets the same lines with the rep named instead.

The rules are data (playbooks/coach/reader.yaml, validated on first use). Quoted example lines, which are
words the rep could say to the buyer, are left as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.i18n import Lang
from app.models import User
from app.playbook.data import load_yaml_model

READER_PATH = Path(__file__).resolve().parents[2] / "playbooks" / "coach" / "reader.yaml"
# An example line the rep could say: left untouched ("…" and “…”, also spanning a sentence).
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


class ReaderError(ValueError):
    """playbooks/coach/reader.yaml is missing or malformed."""


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(min_length=1)
    replace: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as problem:
            raise ValueError(f"not a regular expression: {problem}") from problem
        return value


class ReaderRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    zh: list[Rule] = Field(min_length=1)
    en: list[Rule] = Field(min_length=1)


@lru_cache(maxsize=1)
def reader_rules() -> ReaderRules:
    """The rules from playbooks/coach/reader.yaml, validated once."""
    return load_yaml_model(READER_PATH, ReaderRules, ReaderError, "reader rules")


def _reword(part: str, rules: list[Rule], name: str) -> str:
    for rule in rules:
        part = re.sub(rule.pattern, rule.replace.replace("{name}", name), part)
    return part


def for_reader(text: str, lang: Lang, rep_name: str | None) -> str:
    """`text` as the coach wrote it for the rep, or, with `rep_name` (someone else reads it), naming the rep."""
    if not rep_name or not text:
        return text
    rules = getattr(reader_rules(), lang)
    pieces: list[str] = []
    start = 0
    for quoted in QUOTED.finditer(text):
        pieces.append(_reword(text[start : quoted.start()], rules, rep_name))
        pieces.append(quoted.group())
        start = quoted.end()
    pieces.append(_reword(text[start:], rules, rep_name))
    return "".join(pieces)


def reader_rep(viewer: User, owner: User | None) -> str | None:
    """The rep's name when someone else (their manager) reads the rep's coaching; None for the rep."""
    if owner is None or owner.id == viewer.id:
        return None
    return owner.display_name or owner.username


__all__ = ["READER_PATH", "ReaderError", "for_reader", "reader_rep", "reader_rules"]
