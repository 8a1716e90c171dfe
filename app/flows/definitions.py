"""Flow definitions: pydantic models for playbooks/flows/*.yaml, their loader and option-list resolution.

A flow is an ordered list of items. An item is either a plain step or a repeated
group (a run of steps asked once per instance, closed by an "add another?" choice).
Files are validated strictly (extra keys are errors); a bad file raises
`FlowDefinitionError` whose message names the file and the field path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from app.config import REPO_ROOT
from app.playbook.texts import Texts, load_texts
from app.playbook.vocabulary import FIVEK_DIMENSIONS, SPIN_CATEGORIES

FLOWS_DIR = REPO_ROOT / "playbooks" / "flows"


class DefinitionTexts(Texts):
    """playbooks/flows/texts/definitions.yaml: what option labels add to a name (parts), and the vague words."""

    default_vague_words: tuple[str, ...] = Field(min_length=1)


TEXTS = load_texts(FLOWS_DIR / "texts" / "definitions.yaml", DefinitionTexts)
SEEDS_DIR = Path("/work/shared/seeds")

# The seed documents the product may cite (see /work/shared/seeds/README.md).
SEED_FILES = frozenset(
    {
        "000_e7bd82a359d1f684.txt",
        "001_f8250d52b20618bb.txt",
        "002_dc9c672375c04538.txt",
        "003_f46c8c675f22d6b5.txt",
        "004_090d296c08092e30.txt",
    }
)

FLOW_IDS = ("spin_call_plan", "dragon_diagnosis", "stakeholder_map", "fivek_intensity", "opportunity_check")

StepType = Literal["text", "choice", "multi_choice", "number", "list"]
CHOICE_TYPES = ("choice", "multi_choice")

# Used when a probe does not list its own vague words: answers that say nothing (from the texts file).
DEFAULT_VAGUE_WORDS = TEXTS.default_vague_words

_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)
MIN_MEANINGFUL_CHARS = 4  # an answer with a vague word and less than this besides says nothing


def meaningful_chars(text: str, vague_words: list[str]) -> int:
    """Characters left once vague words and punctuation are removed."""
    remaining = text.lower()
    for word in sorted(vague_words, key=len, reverse=True):
        remaining = remaining.replace(word.lower(), "")
    return len(_PUNCTUATION.sub("", remaining))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OptionDef(_Strict):
    """One inline option of a choice step."""

    id: str = Field(min_length=1)
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)


class Validation(_Strict):
    """Answer rules checked by the engine before an answer is accepted."""

    required: bool = True
    min: float | None = None
    max: float | None = None
    min_items: int | None = Field(default=None, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    min_chars: int | None = Field(default=None, ge=0)


class Condition(_Strict):
    """Show a step only when an earlier answer matches (exactly one test is given).

    `step` names an earlier step; inside a repeated group a sibling step of the same
    instance is looked up first, then the top-level steps.
    """

    step: str
    equals: Any = None
    not_equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    not_empty: bool | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _exactly_one_test(self) -> "Condition":
        tests = [self.equals is not None, self.not_equals is not None, self.in_ is not None, self.not_empty is not None]
        if sum(tests) != 1:
            raise ValueError("give exactly one of equals / not_equals / in / not_empty")
        compared = [self.equals, self.not_equals, *(self.in_ or [])]
        if any(isinstance(value, bool) for value in compared):
            raise ValueError('YAML reads unquoted yes/no as true/false: quote option ids, e.g. equals: "no"')
        return self


class Probe(_Strict):
    """A scripted follow-up asked when an answer is too thin (at most `max_probes` times)."""

    text_zh: str = Field(min_length=1)
    text_en: str = Field(min_length=1)
    min_chars: int | None = Field(default=None, ge=1)
    min_items: int | None = Field(default=None, ge=1)
    vague_words: list[str] = Field(default_factory=lambda: list(DEFAULT_VAGUE_WORDS))
    max_probes: int = Field(default=1, ge=1, le=3)

    def is_thin(self, value: Any) -> bool:
        """Too short, too few items, or mostly vague words ("还行", "不清楚" ...)."""
        if value in (None, "", []):
            return True
        texts = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        if self.min_items is not None and len(texts) < self.min_items:
            return True
        joined = "；".join(texts)
        if self.min_chars is not None and len(_PUNCTUATION.sub("", joined)) < self.min_chars:
            return True
        # Vague when little is left once the vague words are removed.
        has_vague_word = any(word.lower() in joined.lower() for word in self.vague_words)
        return has_vague_word and meaningful_chars(joined, self.vague_words) < MIN_MEANINGFUL_CHARS


class StepDef(_Strict):
    """One question of a flow."""

    id: str = Field(pattern=_ID_PATTERN)
    prompt_zh: str = Field(min_length=1)
    prompt_en: str = Field(min_length=1)
    type: StepType
    options: list[OptionDef] | None = None
    options_from: str | None = None
    # Show this field of each playbook element (a zh/en pair, e.g. `end_marker`) after its name.
    option_detail_from: str | None = None
    hint_zh: str | None = None
    hint_en: str | None = None
    validation: Validation = Field(default_factory=Validation)
    when: Condition | None = None
    probe: Probe | None = None
    cites: list[str] = Field(default_factory=list, description="playbook element ids this question applies")

    @model_validator(mode="after")
    def _options_match_type(self) -> "StepDef":
        has_options = self.options is not None or self.options_from is not None
        if self.type in CHOICE_TYPES:
            if self.options is not None and self.options_from is not None:
                raise ValueError("give either options or options_from, not both")
            if not has_options:
                raise ValueError(f"a {self.type} step needs options or options_from")
            if self.options is not None:
                ids = [option.id for option in self.options]
                if len(ids) != len(set(ids)):
                    raise ValueError("option ids must be unique")
        elif has_options:
            raise ValueError(f"a {self.type} step takes no options")
        if self.option_detail_from is not None and self.options_from is None:
            raise ValueError("option_detail_from only works with options_from")
        if self.probe is not None and self.type not in ("text", "list"):
            raise ValueError("only text and list steps can be probed for thin answers")
        return self


class GroupDef(_Strict):
    """A repeated block (e.g. one per stakeholder) closed by an "add another?" choice."""

    group: str = Field(pattern=_ID_PATTERN)
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    more_prompt_zh: str = Field(min_length=1)
    more_prompt_en: str = Field(min_length=1)
    max_instances: int = Field(default=10, ge=1, le=50)
    steps: list[StepDef] = Field(min_length=1)


def _item_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "group" if "group" in value else "step"
    return "group" if isinstance(value, GroupDef) else "step"


FlowItem = Annotated[
    Union[Annotated[StepDef, Tag("step")], Annotated[GroupDef, Tag("group")]],
    Discriminator(_item_kind),
]


class FlowDefinition(_Strict):
    """A whole question flow as stored in playbooks/flows/<id>.yaml."""

    id: str = Field(pattern=_ID_PATTERN)
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    description_zh: str = Field(min_length=1)
    description_en: str = Field(min_length=1)
    source: list[str] = Field(min_length=1, description="seed file names this flow is built from")
    cites: list[str] = Field(default_factory=list, description="playbook element ids the flow applies")
    items: list[FlowItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_structure(self) -> "FlowDefinition":
        for name in self.source:
            if name not in SEED_FILES:
                raise ValueError(f"source {name!r} is not one of the seed files {sorted(SEED_FILES)}")
        seen_top: set[str] = set()
        for item in self.items:
            if isinstance(item, StepDef):
                _check_condition(item, seen_top, set())
                _add_unique(seen_top, item.id)
            else:
                _add_unique(seen_top, item.group)
                seen_inner: set[str] = set()
                for step in item.steps:
                    _check_condition(step, seen_top, seen_inner)
                    _add_unique(seen_inner, step.id)
        return self

    def step_index(self) -> dict[str, StepDef]:
        """Every step by id: top-level steps as `id`, group steps as `group.id`."""
        steps: dict[str, StepDef] = {}
        for item in self.items:
            if isinstance(item, StepDef):
                steps[item.id] = item
            else:
                for step in item.steps:
                    steps[f"{item.group}.{step.id}"] = step
        return steps

    def group(self, group_id: str) -> GroupDef:
        for item in self.items:
            if isinstance(item, GroupDef) and item.group == group_id:
                return item
        raise KeyError(group_id)


def _add_unique(seen: set[str], name: str) -> None:
    if name in seen:
        raise ValueError(f"duplicate step or group id {name!r}")
    seen.add(name)


def _check_condition(step: StepDef, earlier_top: set[str], earlier_inner: set[str]) -> None:
    # Branching may only look back, otherwise the engine could not evaluate it.
    if step.when is not None and step.when.step not in earlier_top | earlier_inner:
        raise ValueError(f"step {step.id!r}: when.step {step.when.step!r} is not an earlier step")


class FlowDefinitionError(ValueError):
    """A flow file that cannot be used; the message names the file, the field and the reason."""


def _format_location(loc: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into a readable path such as `items[3].probe.min_chars`."""
    parts: list[str] = []
    for position, key in enumerate(loc):
        is_union_tag = position == 2 and loc[0] == "items" and key in ("step", "group")
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif is_union_tag:
            continue  # pydantic's tag for the item kind, not a real field
        else:
            parts.append(("." if parts else "") + str(key))
    return "".join(parts) or "<root>"


def parse_flow(data: Any, file_name: str) -> FlowDefinition:
    """Validate already-loaded YAML data; errors name `file_name` and the field path."""
    if not isinstance(data, dict):
        raise FlowDefinitionError(f"{file_name}: <root>: expected a mapping, got {type(data).__name__}")
    try:
        return FlowDefinition.model_validate(data)
    except ValidationError as error:
        problems = [f"{file_name}: {_format_location(tuple(e['loc']))}: {e['msg']}" for e in error.errors()]
        raise FlowDefinitionError("\n".join(problems)) from None


def load_flow(path: Path) -> FlowDefinition:
    """Read and validate one flow file; its `id` must equal the file stem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise FlowDefinitionError(f"{path.name}: <yaml>: {error}") from None
    flow = parse_flow(data, path.name)
    if flow.id != path.stem:
        raise FlowDefinitionError(f"{path.name}: id: {flow.id!r} does not match the file name")
    return flow


def load_flows(directory: Path = FLOWS_DIR) -> dict[str, FlowDefinition]:
    """All flow files of a directory by flow id."""
    return {flow.id: flow for flow in (load_flow(path) for path in sorted(directory.glob("*.yaml")))}


@lru_cache(maxsize=1)
def _cached_flows() -> dict[str, FlowDefinition]:
    return load_flows(FLOWS_DIR)


def get_flow(flow_id: str) -> FlowDefinition:
    """The flow with this id from playbooks/flows (cached); KeyError names the known ids."""
    flows = _cached_flows()
    if flow_id not in flows:
        raise KeyError(f"unknown flow {flow_id!r}; known: {sorted(flows)}")
    return flows[flow_id]


def list_flows() -> list[FlowDefinition]:
    """All flows in the fixed product order."""
    flows = _cached_flows()
    return [flows[flow_id] for flow_id in FLOW_IDS if flow_id in flows]


def describe_flows(lang: str = "zh") -> list[dict[str, str]]:
    """Id, title and description of every flow in one language, e.g. for a menu."""
    english = lang == "en"
    return [
        {
            "id": flow.id,
            "title": flow.title_en if english else flow.title_zh,
            "description": flow.description_en if english else flow.description_zh,
        }
        for flow in list_flows()
    ]


# ---------------------------------------------------------------------------
# Option lists that come from the playbook ("options_from").

# Contract order of the playbook lists (the playbook's id set itself is unordered).
_CONTRACT_ORDER: dict[str, list[str]] = {
    "spin": list(SPIN_CATEGORIES),
    "dragon.step": [
        "customer_analysis",
        "build_trust",
        "uncover_needs",
        "present_value",
        "win_commitment",
        "follow_up",
    ],
    "dragon.relation": ["acquainted", "dating", "trust", "alliance"],
    "dragon.opportunity": ["is_real", "can_solve", "can_win", "worth_it"],
    "org.level": ["operational", "management", "decision"],
    "org.role": ["initiator", "decision_maker", "user", "designer", "evaluator"],
    "style": ["analytical", "driver", "expressive", "amiable"],
    "fivedim.maslow": ["physiological", "safety", "belonging", "esteem", "self_actualization"],
    "fivedim.change": ["innovator", "visionary", "pragmatist", "conservative", "laggard"],
    "fivedim.focus": ["business", "technical", "financial", "relationship"],
    "fivedim.closeness": ["none", "few", "many", "deep"],
    "fivedim.attitude": ["coach", "supporter", "neutral", "non_supporter", "opponent"],
}
_LEVEL_SUFFIX = re.compile(r"^l(\d+)$")


def playbook_list_ids(list_name: str, playbook: Any) -> list[str]:
    """The ordered element ids of a playbook list such as `fivedim.attitude` or `fivek.problem`.

    5K tables are read as their levels l0, l1, ... (table order, lowest first). Other
    lists follow the shared id contract; unknown lists fall back to the ids found
    directly under the name, sorted. An empty result means the list does not exist.
    """
    known = playbook.ids()
    prefix = list_name + "."
    if list_name in {f"fivek.{dim}" for dim in FIVEK_DIMENSIONS}:
        levels = [i for i in known if i.startswith(prefix) and _LEVEL_SUFFIX.match(i[len(prefix) :])]
        return sorted(levels, key=lambda i: int(i[len(prefix) + 1 :]))
    if list_name in _CONTRACT_ORDER:
        return [prefix + suffix for suffix in _CONTRACT_ORDER[list_name] if prefix + suffix in known]
    return sorted(i for i in known if i.startswith(prefix) and "." not in i[len(prefix) :])


def resolve_options(step: StepDef, playbook: Any | None) -> list[tuple[str, str, str]]:
    """The options of a choice step as (id, label_zh, label_en); playbook lists use element names."""
    if step.options is not None:
        return [(option.id, option.label_zh, option.label_en) for option in step.options]
    if step.options_from is None:
        return []
    if playbook is None:
        raise FlowDefinitionError(f"step {step.id!r}: options_from {step.options_from!r} needs the playbook")
    ids = playbook_list_ids(step.options_from, playbook)
    if not ids:
        raise FlowDefinitionError(f"step {step.id!r}: options_from {step.options_from!r} is not a playbook list")
    options = []
    for element_id in ids:
        element = playbook.element(element_id)
        detail_zh, detail_en = _option_detail(element, step.option_detail_from)
        options.append((element_id, element.name_zh + detail_zh, element.name_en + detail_en))
    return options


def _option_detail(element: Any, field_name: str | None) -> tuple[str, str]:
    """Extra label text: a named zh/en field, or the points of a 5K level so the rep sees the stakes."""
    if field_name is not None:
        detail = getattr(element, field_name, None)
        if detail is None:
            return "", ""
        return TEXTS.part("detail", detail_zh=detail.zh, detail_en=detail.en)
    contact = getattr(element, "points_contact", None)
    decision_maker = getattr(element, "points_decision_maker", None)
    if contact is not None and decision_maker is not None:
        return TEXTS.part("points_by_side", contact=contact, decision_maker=decision_maker)
    points = getattr(element, "points", None)
    if points is not None:
        return TEXTS.part("points", points=points)
    return "", ""


def check_flow_against_playbook(flow: FlowDefinition, playbook: Any) -> list[str]:
    """Problems linking a flow to the playbook (unknown cited ids, empty option lists); [] when fine."""
    problems: list[str] = []
    known = playbook.ids()
    for element_id in flow.cites:
        if element_id not in known:
            problems.append(f"{flow.id}.yaml: cites: unknown playbook id {element_id!r}")
    for key, step in flow.step_index().items():
        for element_id in step.cites:
            if element_id not in known:
                problems.append(f"{flow.id}.yaml: {key}.cites: unknown playbook id {element_id!r}")
        if step.options_from is not None and not playbook_list_ids(step.options_from, playbook):
            problems.append(f"{flow.id}.yaml: {key}.options_from: {step.options_from!r} is not a playbook list")
    return problems
