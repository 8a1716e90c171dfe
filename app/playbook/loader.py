"""Load and validate playbooks/*.yaml into one Playbook; errors name the file, the path inside it and the reason."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import TypeAdapter, ValidationError

from app.config import REPO_ROOT
from app.playbook.models import Element, Playbook, iter_elements

DEFAULT_DIRECTORY = REPO_ROOT / "playbooks"


# Every id in a section starts with that section's prefix, so a pasted element in the wrong place fails.
SECTION_ID_PREFIX: dict[str, str] = {
    "spin": "spin.",
    "dragon": "dragon.",
    "org": "org.",
    "styles": "style.",
    "fivedim": "fivedim.",
    "ces": "ces.",
    "fivek": "fivek.",
    "milestones": "milestone.",
    "process": "process.",
    "extras": "extras.",
}


class PlaybookError(ValueError):
    """A playbook file is malformed. `file`, `path` and `reason` describe the first problem found."""

    def __init__(self, file: str, path: str, reason: str, more: list[str] | None = None):
        self.file = file
        self.path = path
        self.reason = reason
        lines = [f"{file}: {path or '<top>'}: {reason}", *(more or [])]
        super().__init__("\n".join(lines))


def _loc_to_path(section: str, loc: tuple[Any, ...]) -> str:
    """('types', 2, 'cues_zh') -> 'spin.types[2].cues_zh'."""
    path = section
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _section_types() -> dict[str, Any]:
    """Section name -> type to validate it with, keeping the field's constraints (e.g. list length)."""
    return {name: Annotated[field.annotation, field] for name, field in Playbook.model_fields.items()}


def _read_yaml(file: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise PlaybookError(file.name, "<yaml>", f"invalid YAML at {where}: {error}") from None
    if not isinstance(data, dict):
        raise PlaybookError(file.name, "", "top level must be a mapping of section name -> content")
    return data


def _validate_section(file_name: str, section: str, raw: Any, annotation: Any) -> Any:
    try:
        return TypeAdapter(annotation).validate_python(raw)
    except ValidationError as error:
        problems = [(_loc_to_path(section, tuple(item["loc"])), item["msg"]) for item in error.errors()]
        first_path, first_reason = problems[0]
        more = [f"{file_name}: {path}: {reason}" for path, reason in problems[1:]]
        raise PlaybookError(file_name, first_path, first_reason, more) from None


def _check_cross_references(playbook: Playbook, origin: dict[str, str]) -> None:
    """Ids that one section uses must exist in another (milestones -> 5K levels, stages)."""
    file_name = origin.get("milestones", "?")
    ids = playbook.ids()
    previous_probability = -1
    for m_index, milestone in enumerate(playbook.milestones):
        base = f"milestones[{m_index}]"
        if milestone.probability <= previous_probability:
            raise PlaybookError(file_name, f"{base}.probability", "milestones must be listed by rising probability")
        if milestone.id != f"milestone.m{milestone.probability}":
            raise PlaybookError(file_name, f"{base}.id", f"id must be milestone.m{milestone.probability}")
        previous_probability = milestone.probability
        for field in ("buying_cycle_stage", "funnel_stage"):
            target = getattr(milestone, field)
            if target not in ids:
                raise PlaybookError(file_name, f"{base}.{field}", f"unknown id {target!r}")
        for c_index, criterion in enumerate(milestone.criteria):
            for r_index, requirement in enumerate(criterion.requires):
                path = f"{base}.criteria[{c_index}].requires[{r_index}]"
                if playbook.fivek is None:
                    raise PlaybookError(file_name, path, "requires 5K levels but no fivek section")
                dimension = playbook.fivek.dimension(requirement.dimension)
                level_ids = [level.id for level in dimension.levels]
                if requirement.level not in level_ids:
                    raise PlaybookError(
                        file_name,
                        f"{path}.level",
                        f"{requirement.level!r} is not a level of fivek.{requirement.dimension}",
                    )
                if requirement.side == "decision_maker" and dimension.ladder == "single":
                    raise PlaybookError(
                        file_name,
                        f"{path}.side",
                        f"fivek.{requirement.dimension} is a single ladder; side does not apply",
                    )


def load_playbook(directory: Path) -> Playbook:
    """Read every *.yaml in directory (not subfolders) and return the validated Playbook."""
    directory = Path(directory)
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise PlaybookError(str(directory), "", "no *.yaml playbook files found")
    section_types = _section_types()
    sections: dict[str, Any] = {}
    origin: dict[str, str] = {}  # section name -> file name
    seen_ids: dict[str, str] = {}  # element id -> "file: path"

    for file in files:
        for section, raw in _read_yaml(file).items():
            if section not in section_types:
                raise PlaybookError(
                    file.name, str(section), f"unknown section; expected one of {sorted(section_types)}"
                )
            if section in sections:
                raise PlaybookError(file.name, section, f"section already defined in {origin[section]}")
            value = _validate_section(file.name, section, raw, section_types[section])
            for path, element in iter_elements(value, section):
                where = f"{file.name}: {path}"
                if element.id in seen_ids:
                    raise PlaybookError(
                        file.name, path, f"duplicate id {element.id!r} (first defined at {seen_ids[element.id]})"
                    )
                prefix = SECTION_ID_PREFIX[section]
                if not element.id.startswith(prefix):
                    raise PlaybookError(file.name, f"{path}.id", f"id {element.id!r} must start with {prefix!r}")
                seen_ids[element.id] = where
            sections[section] = value
            origin[section] = file.name

    missing = [name for name, field in Playbook.model_fields.items() if field.is_required() and name not in sections]
    if missing:
        raise PlaybookError(str(directory), "", f"missing sections {missing}")
    try:
        playbook = Playbook(**sections)
    except ValidationError as error:
        raise PlaybookError(str(directory), "", str(error)) from None
    _check_cross_references(playbook, origin)
    return playbook


@lru_cache(maxsize=1)
def get_playbook() -> Playbook:
    """The repo's playbook, loaded once per process."""
    return load_playbook(DEFAULT_DIRECTORY)


__all__ = ["Element", "Playbook", "PlaybookError", "get_playbook", "load_playbook"]
