"""Role-play scenarios: pydantic models for playbooks/scenarios/*.yaml, loading with clear errors, and the rep's public view."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.coaching.spin import SpinLabel
from app.config import REPO_ROOT
from app.playbook.vocabulary import SPIN_CATEGORIES, SpinCategory

SCENARIO_DIR = REPO_ROOT / "playbooks" / "scenarios"

SEED_FILES: frozenset[str] = frozenset(
    {
        "000_e7bd82a359d1f684.txt",
        "001_f8250d52b20618bb.txt",
        "002_dc9c672375c04538.txt",
        "003_f46c8c675f22d6b5.txt",
        "004_090d296c08092e30.txt",
    }
)

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = get_args(Difficulty)  # easiest first
Category = SpinCategory
OrgLevel = Literal["org.level.operational", "org.level.management", "org.level.decision"]
PurchaseRole = Literal[
    "org.role.initiator",
    "org.role.decision_maker",
    "org.role.user",
    "org.role.designer",
    "org.role.evaluator",
]
CommunicationStyle = Literal["style.analytical", "style.driver", "style.expressive", "style.amiable"]
Maslow = Literal[
    "fivedim.maslow.physiological",
    "fivedim.maslow.safety",
    "fivedim.maslow.belonging",
    "fivedim.maslow.esteem",
    "fivedim.maslow.self_actualization",
]
ChangeAttitude = Literal[
    "fivedim.change.innovator",
    "fivedim.change.visionary",
    "fivedim.change.pragmatist",
    "fivedim.change.conservative",
    "fivedim.change.laggard",
]
DecisionFocus = Literal[
    "fivedim.focus.business",
    "fivedim.focus.technical",
    "fivedim.focus.financial",
    "fivedim.focus.relationship",
]
Closeness = Literal[
    "fivedim.closeness.none",
    "fivedim.closeness.few",
    "fivedim.closeness.many",
    "fivedim.closeness.deep",
]
AttitudeToUs = Literal[
    "fivedim.attitude.coach",
    "fivedim.attitude.supporter",
    "fivedim.attitude.neutral",
    "fivedim.attitude.non_supporter",
    "fivedim.attitude.opponent",
]
ObjectionTrigger = Literal["premature_pitch", "price", "competitor", "topic"]
CommitmentKind = Literal["introduction", "workshop", "trial", "site_visit", "meeting", "proposal"]

CATEGORIES: tuple[Category, ...] = SPIN_CATEGORIES

# Ids that scenarios may cite in `trains` (the shared contract's prefixes).
TRAINABLE_PREFIXES: tuple[str, ...] = (
    "spin.",
    "dragon.",
    "style.",
    "fivedim.",
    "fivek.",
    "milestone.",
    "ces.",
    "org.",
)
FACT_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class ScenarioError(ValueError):
    """A scenario file is missing, unreadable or does not validate; the message names the file and field."""


class Strict(BaseModel):
    """Base for scenario models: unknown keys are errors, instances are immutable.

    Text a user reads comes in pairs: the Chinese field (`text`, `ask_zh`) and its flat English sibling
    (`text_en`, `ask_en`). `in_lang(field, lang)` picks one so callers need no if/else.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    # the text fields that `view("en")` shows in English under their own key
    text_fields: ClassVar[tuple[str, ...]] = ()

    def in_lang(self, field: str, lang: str) -> str:
        """The English sibling `<field>_en` when lang is "en", else the Chinese `<field>` (or `<field>_zh`)."""
        if lang == "en":
            return getattr(self, f"{field}_en")
        return getattr(self, field) if field in type(self).model_fields else getattr(self, f"{field}_zh")

    def view(self, lang: str = "zh") -> dict:
        """model_dump() with the text fields holding the language's string (the `_en` keys stay too)."""
        dumped = self.model_dump()
        if lang == "en":
            dumped.update({field: getattr(self, f"{field}_en") for field in self.text_fields})
        return dumped


class Topics(Strict):
    """Keywords that put a question on a fact's topic (substring match, English case-insensitive)."""

    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.zh, *self.en]


class Company(Strict):
    name: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    size: str = Field(min_length=1)
    size_en: str = Field(min_length=1)
    context: str = Field(min_length=1)
    context_en: str = Field(min_length=1)

    text_fields: ClassVar[tuple[str, ...]] = ("name", "size", "context")


class FiveDimensions(Strict):
    """The buyer on the five-dimension model (seed 004), as contract ids."""

    maslow: Maslow
    change: ChangeAttitude
    focus: DecisionFocus
    closeness: Closeness
    attitude: AttitudeToUs


class Persona(Strict):
    name: str = Field(min_length=1)
    name_en: str = Field(min_length=1)  # pinyin or an English rendering, e.g. "Zhao Gang"
    title: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    org_level: OrgLevel
    purchase_role: PurchaseRole
    communication_style: CommunicationStyle
    five_dimensions: FiveDimensions

    text_fields: ClassVar[tuple[str, ...]] = ("name", "title")


class Fact(Strict):
    """Something the buyer knows and says only when asked the right kind of question on its topic."""

    id: str
    text: str = Field(min_length=4)  # what the buyer says when revealing it (zh, persona voice)
    text_en: str = Field(min_length=4)  # the same, as the persona would say it in English
    topics: Topics
    requires: list[str] = Field(default_factory=list)
    min_trust: int = Field(default=0, ge=0, le=100)

    @field_validator("id")
    @classmethod
    def _plain_id(cls, value: str) -> str:
        if not FACT_ID.match(value):
            raise ValueError(f"fact id {value!r} must be lowercase letters, digits and underscores")
        return value

    def text_for(self, lang: str) -> str:
        return self.in_lang("text", lang)


class HiddenFacts(Strict):
    situation: list[Fact] = Field(min_length=1)
    problem: list[Fact] = Field(min_length=1)
    implication: list[Fact] = Field(min_length=1)
    need_payoff: list[Fact] = Field(min_length=1)

    def by_category(self) -> dict[str, list[Fact]]:
        return {category: list(getattr(self, category)) for category in CATEGORIES}


class HandledBy(Strict):
    """How a rep defuses an objection: a question of one of these SPIN types, or one of these keywords."""

    spin: list[SpinLabel] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> HandledBy:
        if not self.spin and not self.keywords:
            raise ValueError("handled_by needs at least one spin label or keyword")
        return self


class Objection(Strict):
    id: str
    text: str = Field(min_length=4)  # what the buyer says when raising it
    text_en: str = Field(min_length=4)
    trigger: ObjectionTrigger
    keywords: list[str] = Field(default_factory=list)  # extra trigger words (required for "topic")
    handled_by: HandledBy
    resolved_text: str = Field(min_length=4)  # what the buyer says once it is handled
    resolved_text_en: str = Field(min_length=4)

    @model_validator(mode="after")
    def _topic_needs_keywords(self) -> Objection:
        if self.trigger == "topic" and not self.keywords:
            raise ValueError("an objection with trigger 'topic' needs keywords")
        return self

    def text_for(self, lang: str) -> str:
        return self.in_lang("text", lang)

    def resolved_text_for(self, lang: str) -> str:
        return self.in_lang("resolved_text", lang)


class BuyingSignal(Strict):
    id: str
    text: str = Field(min_length=4)
    text_en: str = Field(min_length=4)

    def text_for(self, lang: str) -> str:
        return self.in_lang("text", lang)


class Commitment(Strict):
    """The next step a good call wins (seed 002 milestones: e.g. the contact introduces the decision maker)."""

    id: str
    kind: CommitmentKind
    description: str = Field(min_length=4)  # for the scorecard and the rep's debrief
    description_en: str = Field(min_length=4)
    ask_zh: str = Field(min_length=2)  # how a rep might phrase the ask; used by the scripted strong rep
    ask_en: str = Field(min_length=2)
    keywords: list[str] = Field(min_length=1)  # words that mark a rep's ask for this commitment
    granted_text: str = Field(min_length=4)  # what the buyer says when agreeing
    granted_text_en: str = Field(min_length=4)

    def description_for(self, lang: str) -> str:
        return self.in_lang("description", lang)

    def ask_for(self, lang: str) -> str:
        return self.in_lang("ask", lang)

    def granted_text_for(self, lang: str) -> str:
        return self.in_lang("granted_text", lang)


class SuccessCriteria(Strict):
    key_facts: list[str] = Field(min_length=1)
    min_trust: int = Field(default=50, ge=0, le=100)
    commitment: Commitment


class Scenario(Strict):
    """One simulated buyer and deal. Hidden parts are for the buyer engine and the scorecard only."""

    id: str
    title_zh: str = Field(min_length=2)
    title_en: str = Field(min_length=2)
    difficulty: Difficulty
    industry: str = Field(min_length=2)
    company: Company
    deal_context: str = Field(min_length=4)
    deal_context_en: str = Field(min_length=4)
    our_offering: str = Field(min_length=4)
    our_offering_en: str = Field(min_length=4)
    competitors: list[str] = Field(default_factory=list)
    persona: Persona
    initial_trust: int = Field(ge=0, le=100)
    opening_line: str = Field(min_length=2)
    opening_line_en: str = Field(min_length=2)
    facts: HiddenFacts
    objections: list[Objection] = Field(min_length=1)
    decision_criteria: list[str] = Field(min_length=1)
    decision_criteria_en: list[str] = Field(min_length=1)  # same order and length as decision_criteria
    buying_signals: list[BuyingSignal] = Field(min_length=1)
    success: SuccessCriteria
    trains: list[str] = Field(min_length=1)
    source: list[str] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _plain_id(cls, value: str) -> str:
        if not FACT_ID.match(value):
            raise ValueError(f"scenario id {value!r} must be lowercase letters, digits and underscores")
        return value

    @field_validator("trains")
    @classmethod
    def _contract_ids(cls, value: list[str]) -> list[str]:
        for element_id in value:
            if not element_id.startswith(TRAINABLE_PREFIXES):
                raise ValueError(f"trains id {element_id!r} is not a playbook element id")
        return value

    @field_validator("source")
    @classmethod
    def _seed_files(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in SEED_FILES:
                raise ValueError(f"source {name!r} is not a seed file name")
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> Scenario:
        fact_ids = [fact.id for facts in self.facts.by_category().values() for fact in facts]
        duplicates = {fid for fid in fact_ids if fact_ids.count(fid) > 1}
        if duplicates:
            raise ValueError(f"duplicate fact ids: {sorted(duplicates)}")
        known = set(fact_ids)
        for fact in self.all_facts():
            missing = [required for required in fact.requires if required not in known]
            if missing:
                raise ValueError(f"fact {fact.id!r} requires unknown fact ids {missing}")
            if fact.id in fact.requires:
                raise ValueError(f"fact {fact.id!r} requires itself")
        missing_keys = [fid for fid in self.success.key_facts if fid not in known]
        if missing_keys:
            raise ValueError(f"success.key_facts has unknown fact ids {missing_keys}")
        for kind in ("objections", "buying_signals"):
            ids = [item.id for item in getattr(self, kind)]
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate ids in {kind}")
        if not any(obj.trigger == "premature_pitch" for obj in self.objections):
            raise ValueError("objections need at least one with trigger 'premature_pitch'")
        if len(self.decision_criteria_en) != len(self.decision_criteria):
            raise ValueError(
                f"decision_criteria_en has {len(self.decision_criteria_en)} items, "
                f"decision_criteria has {len(self.decision_criteria)}: they must pair one to one"
            )
        return self

    # --- lookups -------------------------------------------------------------

    def all_facts(self) -> list[Fact]:
        return [fact for facts in self.facts.by_category().values() for fact in facts]

    def fact(self, fact_id: str) -> Fact:
        for fact in self.all_facts():
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)

    def category_of(self, fact_id: str) -> str:
        for category, facts in self.facts.by_category().items():
            if any(fact.id == fact_id for fact in facts):
                return category
        raise KeyError(fact_id)

    def objection(self, objection_id: str) -> Objection:
        for objection in self.objections:
            if objection.id == objection_id:
                return objection
        raise KeyError(objection_id)

    def title_for(self, lang: str) -> str:
        return self.in_lang("title", lang)

    def opening_line_for(self, lang: str) -> str:
        return self.in_lang("opening_line", lang)

    def deal_context_for(self, lang: str) -> str:
        return self.in_lang("deal_context", lang)

    def our_offering_for(self, lang: str) -> str:
        return self.in_lang("our_offering", lang)

    def decision_criteria_for(self, lang: str) -> list[str]:
        return list(self.decision_criteria_en if lang == "en" else self.decision_criteria)

    def public_view(self, lang: str = "zh") -> dict:
        """What a rep may see before the call: no hidden facts, objection triggers/handling or success criteria.

        The plain keys (`deal_context`, `company.name`, ...) hold the text in `lang`; the `_en` keys are always
        there too, so a client gets both languages whichever it asked for.
        """
        return {
            "id": self.id,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "difficulty": self.difficulty,
            "industry": self.industry,
            "company": self.company.view(lang),
            "deal_context": self.deal_context_for(lang),
            "deal_context_en": self.deal_context_en,
            "our_offering": self.our_offering_for(lang),
            "our_offering_en": self.our_offering_en,
            "competitors": list(self.competitors),
            "persona": self.persona.view(lang),
            "opening_line": self.opening_line_for(lang),
            "opening_line_en": self.opening_line_en,
            "decision_criteria": self.decision_criteria_for(lang),
            "decision_criteria_en": list(self.decision_criteria_en),
            "fact_counts": {category: len(facts) for category, facts in self.facts.by_category().items()},
            "commitment_kind": self.success.commitment.kind,
            "trains": list(self.trains),
            "source": list(self.source),
        }


def _format_validation_error(path: Path, error: ValidationError) -> str:
    lines = [f"{path.name}: invalid scenario"]
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "<root>"
        lines.append(f"  field {field}: {item['msg']}")
    return "\n".join(lines)


def load_scenario_file(path: Path) -> Scenario:
    """Read and validate one scenario file; any problem raises ScenarioError naming the file and field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(f"{path.name}: cannot read YAML: {error}") from error
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path.name}: top level must be a mapping, got {type(raw).__name__}")
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as error:
        raise ScenarioError(_format_validation_error(path, error)) from error
    if scenario.id != path.stem:
        raise ScenarioError(f"{path.name}: field id: {scenario.id!r} must match the file name {path.stem!r}")
    return scenario


def load_scenarios_from(directory: Path) -> dict[str, Scenario]:
    """All scenarios in a directory, keyed by id, in file-name order."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ScenarioError(f"{directory}: no scenario files (*.yaml)")
    return {scenario.id: scenario for scenario in (load_scenario_file(path) for path in files)}


@lru_cache(maxsize=1)
def load_scenarios() -> dict[str, Scenario]:
    """All scenarios from <repo root>/playbooks/scenarios, validated once and cached."""
    return load_scenarios_from(SCENARIO_DIR)


def get_scenario(scenario_id: str) -> Scenario:
    """One scenario by id; KeyError if unknown."""
    return load_scenarios()[scenario_id]
