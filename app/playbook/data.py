"""Reading a YAML data file under playbooks/ into a validated pydantic model, with errors that name file and field."""

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_yaml_model(path: Path, model: type[ModelT], error: type[Exception], what: str) -> ModelT:
    """The file validated as `model`; an unreadable file or any invalid field raises `error`, naming the file and
    every bad field ("<file>: invalid <what>" then one "field a.b: message" line each)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as problem:
        raise error(f"{path.name}: cannot read YAML: {problem}") from problem
    try:
        return model.model_validate(raw)
    except ValidationError as problem:
        lines = [f"{path.name}: invalid {what}"]
        for item in problem.errors():
            field = ".".join(str(part) for part in item["loc"]) or "<root>"
            lines.append(f"  field {field}: {item['msg']}")
        raise error("\n".join(lines)) from problem


def distinct_entries(words: list[str]) -> list[str]:
    """A validator's check of a word or line list: no blank entry, none listed twice."""
    if any(not word.strip() for word in words):
        raise ValueError("empty entry")
    twice = sorted({word for word in words if words.count(word) > 1})
    if twice:
        raise ValueError(f"entries listed twice: {twice}")
    return words
