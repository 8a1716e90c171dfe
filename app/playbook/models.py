"""Pydantic models for the sales playbook: every methodology element the product teaches, with id and seed source."""

import re
from collections.abc import Iterator
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from app.playbook.vocabulary import FIVEK_DIMENSIONS, FivekKey, Side, SpinLetter

# The five seed documents in /work/shared/seeds/. Every element must cite one of them.
SEED_FILES: frozenset[str] = frozenset(
    {
        "000_e7bd82a359d1f684.txt",
        "001_f8250d52b20618bb.txt",
        "002_dc9c672375c04538.txt",
        "003_f46c8c675f22d6b5.txt",
        "004_090d296c08092e30.txt",
    }
)

# Dotted, lowercase, at least two parts: "spin.situation", "fivek.problem.l3".
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


# Business contexts for which SPIN example questions must exist (plus "general").
SpinContext = Literal[
    "general",
    "manufacturing_erp",
    "bank_crm",
    "gov_telecom_network",
    "retail",
    "healthcare",
    "logistics",
    "energy",
    "education",
]
SPIN_CONTEXTS: tuple[str, ...] = get_args(SpinContext)


class Strict(BaseModel):
    """Base for all playbook models: unknown keys fail, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class BiText(Strict):
    """A short text in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Element(Strict):
    """Anything in the playbook that can be cited by id."""

    id: str
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    description: str = Field(min_length=1)  # short, our own words, Chinese
    description_en: str | None = Field(default=None, min_length=1)  # the same in English, where the UI shows it
    source: str
    # True when the content is our completion, not in the seed (e.g. text cut off in the seed).
    ours: bool = False
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id_is_dotted(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f"id {value!r} must be dotted lowercase, e.g. 'spin.situation'")
        return value

    @field_validator("source")
    @classmethod
    def _source_is_seed(cls, value: str) -> str:
        if value not in SEED_FILES:
            raise ValueError(f"source {value!r} is not one of the seed files {sorted(SEED_FILES)}")
        return value


def iter_elements(node: Any, path: str = "") -> Iterator[tuple[str, Element]]:
    """Yield (path, element) for every Element nested anywhere inside node, depth first."""
    if isinstance(node, Element):
        yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            child_path = f"{path}.{name}" if path else name
            yield from iter_elements(getattr(node, name), child_path)
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            yield from iter_elements(item, f"{path}[{index}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from iter_elements(item, f"{path}.{key}")


# ---------------------------------------------------------------- SPIN (004)


ElementT = TypeVar("ElementT", bound=Element)


class SpinExamples(Strict):
    """Example questions of one SPIN type in one business context."""

    zh: list[str] = Field(min_length=3)
    en: list[str] = Field(default_factory=list)


class SpinContextInfo(Element):
    """A B2B selling context used to pick fitting example questions."""

    key: SpinContext


class SpinType(Element):
    letter: SpinLetter
    purpose_zh: str
    purpose_en: str
    cues_zh: list[str] = Field(min_length=3)
    cues_en: list[str] = Field(min_length=3)
    pitfalls_zh: list[str] = Field(default_factory=list)
    examples: dict[SpinContext, SpinExamples]

    @model_validator(mode="after")
    def _every_context_has_examples(self) -> "SpinType":
        missing = [context for context in SPIN_CONTEXTS if context not in self.examples]
        if missing:
            raise ValueError(f"examples missing for contexts {missing}")
        return self


class SpinSection(Strict):
    method: Element
    contexts: list[SpinContextInfo]
    types: list[SpinType] = Field(min_length=4, max_length=4)


# ---------------------------------------------------------- 摧龙六式 (001)


class DragonMove(Element):
    """One of the four moves the rep makes within a step."""

    actions_zh: list[str] = Field(default_factory=list)


class DragonStep(Element):
    order: int = Field(ge=1, le=6)
    start_marker: BiText
    end_marker: BiText
    moves: list[DragonMove] = Field(min_length=4, max_length=4)


class RelationStage(Element):
    order: int = Field(ge=1, le=4)
    marker: BiText  # how to tell the relationship has reached this stage
    activities: list[BiText] = Field(min_length=1)


class OpportunityQuestion(Element):
    question: BiText
    checks_zh: list[str] = Field(default_factory=list)


class DragonSection(Strict):
    method: Element
    steps: list[DragonStep] = Field(min_length=6, max_length=6)
    relations: list[RelationStage] = Field(min_length=4, max_length=4)
    opportunity_questions: list[OpportunityQuestion] = Field(min_length=4, max_length=4)
    data_to_collect: list[Element] = Field(min_length=1)


class OrgLevel(Element):
    decides_zh: list[str] = Field(default_factory=list)  # what this level decides or influences


class OrgFunction(Element):
    pass


class PurchaseRole(Element):
    approach_zh: list[str] = Field(min_length=1)  # how the rep works with this role (ours)


class OrgSection(Strict):
    levels: list[OrgLevel] = Field(min_length=3, max_length=3)
    functions: list[OrgFunction] = Field(min_length=1)
    roles: list[PurchaseRole] = Field(min_length=5, max_length=5)


class CommunicationStyle(Element):
    traits_zh: list[str] = Field(min_length=1)
    weaknesses_zh: list[str] = Field(default_factory=list)
    recognise_zh: list[str] = Field(min_length=1)  # observable signs in a conversation
    talk_zh: list[str] = Field(min_length=1)  # how the rep should talk to this style
    avoid_zh: list[str] = Field(default_factory=list)
    traits_en: list[str] = Field(default_factory=list)
    talk_en: list[str] = Field(default_factory=list)


# ---------------------------------------------------- five-dimension model (004)


class MaslowLevel(Element):
    order: int = Field(ge=1, le=5)
    shows_zh: list[str] = Field(min_length=1)  # how the need shows in a buyer
    situations_zh: list[str] = Field(min_length=1)
    rep_actions_zh: list[str] = Field(min_length=1)


class ChangeAttitude(Element):
    order: int = Field(ge=1, le=5)
    wants_zh: str
    buys_zh: str
    value_position_zh: str  # what the rep leads with


class DecisionFocus(Element):
    concerns_zh: list[str] = Field(min_length=1)


class Closeness(Element):
    order: int = Field(ge=0, le=3)


class AttitudeToUs(Element):
    order: int = Field(ge=1, le=5)  # 1 = strongest supporter
    handling_zh: list[str] = Field(min_length=1)


class MaslowDimension(Element):
    levels: list[MaslowLevel] = Field(min_length=5, max_length=5)


class ChangeDimension(Element):
    levels: list[ChangeAttitude] = Field(min_length=5, max_length=5)


class FocusDimension(Element):
    levels: list[DecisionFocus] = Field(min_length=4, max_length=4)


class ClosenessDimension(Element):
    levels: list[Closeness] = Field(min_length=4, max_length=4)


class AttitudeDimension(Element):
    levels: list[AttitudeToUs] = Field(min_length=5, max_length=5)


class FivedimSection(Strict):
    model: Element
    maslow: MaslowDimension
    change: ChangeDimension
    focus: FocusDimension
    closeness: ClosenessDimension
    attitude: AttitudeDimension
    application_steps: list[Element] = Field(min_length=3)
    cautions: list[Element] = Field(min_length=3)
    summary_roles_zh: list[str] = Field(min_length=1)  # typical rows of the multi-role summary table


# ----------------------------------------------------------------- CES (000)


class CesLevel(Element):
    order: int = Field(ge=1)
    behaviours_zh: list[str] = Field(min_length=1)


class CesSection(Strict):
    method: Element
    stages: list[Element] = Field(min_length=1)
    roles: list[Element] = Field(min_length=3, max_length=3)
    topsales: list[Element] = Field(min_length=9, max_length=9)
    steps: list[Element] = Field(min_length=7, max_length=7)
    planning: list[Element] = Field(min_length=1)
    levels: list[CesLevel] = Field(min_length=1)


# -------------------------------------------------- 5K, milestones, process (002)


class FivekLevel(Element):
    """One row of a sales-intensity table.

    Two-column tables (problem, vision, value) give points for the contact (经办人)
    and for the decision maker (决策者); single-ladder tables (power, control) use `points`.
    """

    order: int = Field(ge=0)
    points_contact: int | None = Field(default=None, ge=0, le=20)
    points_decision_maker: int | None = Field(default=None, ge=0, le=20)
    points: int | None = Field(default=None, ge=0, le=20)


class FivekDimension(Element):
    key: FivekKey
    ladder: Literal["two_column", "single"]
    question_zh: str  # the 5K question for this dimension
    levels: list[FivekLevel] = Field(min_length=2)

    @model_validator(mode="after")
    def _levels_fit_ladder(self) -> "FivekDimension":
        for index, level in enumerate(self.levels):
            if level.order != index:
                raise ValueError(f"levels[{index}] has order {level.order}, expected {index}")
            if level.id != f"fivek.{self.key}.l{index}":
                raise ValueError(f"levels[{index}] id must be fivek.{self.key}.l{index}")
            two = level.points_contact is not None and level.points_decision_maker is not None
            single = level.points is not None
            if self.ladder == "two_column" and (not two or single):
                raise ValueError(f"levels[{index}] needs points_contact and points_decision_maker only")
            if self.ladder == "single" and (
                not single or level.points_contact is not None or level.points_decision_maker is not None
            ):
                raise ValueError(f"levels[{index}] needs a single `points` field only")
        ladders = (
            [[lv.points_contact for lv in self.levels], [lv.points_decision_maker for lv in self.levels]]
            if self.ladder == "two_column"
            else [[lv.points for lv in self.levels]]
        )
        for ladder in ladders:
            points = [value for value in ladder if value is not None]  # all present: checked level by level above
            if any(later <= earlier for earlier, later in zip(points, points[1:])):
                raise ValueError(f"points must rise strictly with the level: {ladder}")
        return self


class FivekSection(Strict):
    formula: Element
    dimensions: list[FivekDimension] = Field(min_length=5, max_length=5)

    @model_validator(mode="after")
    def _all_dimensions_once(self) -> "FivekSection":
        keys = [dimension.key for dimension in self.dimensions]
        if sorted(keys) != sorted(FIVEK_DIMENSIONS):
            raise ValueError(f"dimensions must be exactly {list(FIVEK_DIMENSIONS)}, got {keys}")
        return self

    def dimension(self, key: str) -> FivekDimension:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)


class Requirement(Strict):
    """A 5K level that must be reached; side=decision_maker means it must be reached with the decision maker."""

    dimension: FivekKey
    level: str
    side: Side = "contact"


class MilestoneCriterion(Strict):
    zh: str
    en: str
    # Empty when the criterion cannot be read from the 5K tables (checked by hand).
    requires: list[Requirement] = Field(default_factory=list)


class Milestone(Element):
    probability: int = Field(ge=0, le=100)
    buying_cycle_stage: str  # id of a process.cycle.* stage
    funnel_stage: str  # id of an extras.funnel.* stage
    criteria: list[MilestoneCriterion] = Field(min_length=1)


class CycleStage(Element):
    order: int = Field(ge=1)
    sales_action: BiText  # the matching move of the problem-centred selling cycle
    checks_zh: list[str] = Field(default_factory=list)


class SignalGroup(Element):
    signals_zh: list[str] = Field(min_length=1)
    signals_en: list[str] = Field(default_factory=list)


class CustomerGrade(Element):
    relationship: Literal["high", "low"]
    attractiveness: Literal["high", "low"]
    handling_zh: list[str] = Field(min_length=1)


class ProcessSection(Strict):
    buying_cycle: list[CycleStage] = Field(min_length=6, max_length=6)
    buying_signals: list[SignalGroup] = Field(min_length=3, max_length=3)
    customer_triangle: list[Element] = Field(min_length=3, max_length=3)
    customer_grading: list[CustomerGrade] = Field(min_length=4, max_length=4)
    control_points: list[Element] = Field(min_length=1)
    decision_participants: list[Element] = Field(min_length=1)


# -------------------------------------------------------------- extras (001, 004)


class C139Model(Element):
    element_count: int
    named_elements: list[Element]
    indicator_groups: list[Element] = Field(min_length=1)


class FunnelStage(Element):
    order: int = Field(ge=1)


class ExtrasSection(Strict):
    key_factors: list[Element] = Field(min_length=6, max_length=6)
    approach_methods: list[Element] = Field(min_length=8, max_length=8)
    c139: C139Model
    funnel: list[FunnelStage] = Field(min_length=1)


# ------------------------------------------------------------------- playbook


class Playbook(Strict):
    """The whole methodology, assembled from playbooks/*.yaml."""

    spin: SpinSection
    dragon: DragonSection
    org: OrgSection
    styles: list[CommunicationStyle] = Field(min_length=4, max_length=4)
    fivedim: FivedimSection
    ces: CesSection
    fivek: FivekSection
    milestones: list[Milestone] = Field(min_length=6, max_length=6)
    process: ProcessSection
    extras: ExtrasSection

    _index: dict[str, Element] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        index: dict[str, Element] = {}
        for path, element in iter_elements(self):
            if element.id in index:
                raise ValueError(f"duplicate id {element.id!r} at {path}")
            index[element.id] = element
        self._index = index

    def element(self, element_id: str) -> Element:
        """Any element by id; KeyError if unknown."""
        try:
            return self._index[element_id]
        except KeyError:
            raise KeyError(f"unknown playbook id {element_id!r}") from None

    def element_of(self, element_id: str, kind: type[ElementT]) -> ElementT:
        """An element by id that must be a `kind` (a Milestone, a FivekDimension, ...); KeyError if unknown."""
        element = self.element(element_id)
        if not isinstance(element, kind):
            raise TypeError(f"playbook id {element_id!r} is a {type(element).__name__}, not a {kind.__name__}")
        return element

    def ids(self) -> set[str]:
        return set(self._index)

    def elements(self) -> list[Element]:
        return list(self._index.values())
