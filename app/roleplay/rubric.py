"""The role-play rubric as validated data: scorecard weights and rules, ask cues, buyer replies to asks, rapport levels.

Everything comes from playbooks/coach/rubric.yaml; a malformed file raises RubricError naming the file
and the field. The scorecard (app.roleplay.scorecard) and the ask rules (app.roleplay.asks) read it; the
role-play pages show `components` to the rep before the call and on the scorecard.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.playbook.data import load_yaml_model
from app.playbook.vocabulary import SPIN_LETTERS
from app.roleplay.scenarios import CATEGORIES, SEED_FILES, CommitmentKind, Scenario

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "playbooks" / "coach" / "rubric.yaml"
COMPONENT_IDS = (
    "discovery",
    "spin_progression",
    "implication_depth",
    "pitch_discipline",
    "listening",
    "objections",
    "commitment",
)
REPLY_KINDS = ("continuation", "order_not_decider", "order_too_early", "other_advance")
# How a call ended, for the scorecard's closing feedback: "won" plus every outcome that did not win.
OUTCOME_FEEDBACK_KINDS = ("won", "continuation", "order", "advance", "no_ask", "ended_by_buyer")
# Why the scorecard quotes a rep turn as weak, most serious first.
WEAK_TURN_KINDS = (
    "rude",
    "premature_pitch",
    "continuation",
    "order_not_decider",
    "order_too_early",
    "excess_situation",
    "no_new_information",
    "not_a_question",
)
# What a weak turn's "try instead" offers: a question on the next fact of these categories, or the example advance.
TRY_INSTEAD = Literal["advance", "problem", "implication", "need_payoff"]


class RubricError(ValueError):
    """playbooks/coach/rubric.yaml is missing or invalid; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Words(_Strict):
    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def all(self) -> list[str]:
        return [*self.zh, *self.en]


class Component(_Strict):
    id: str
    weight: int = Field(gt=0)
    name: Text
    rule: Text


class RapportLevel(_Strict):
    min: int = Field(ge=0, le=100)
    zh: str
    en: str


class _PatternCues(_Strict):
    """Cues whose fields in PATTERNS are regular expressions (zh and en), checked to compile at load."""

    PATTERNS: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _patterns_compile(self) -> _PatternCues:
        for field in self.PATTERNS:
            for pattern in getattr(self, field).all():
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(f"{field}: pattern {pattern!r} does not compile: {error}") from None
        return self

    def matches(self, field: str, text: str) -> bool:
        """The text matches one of the patterns of a cue (customer_verbs, stakeholder, contact, seller...)."""
        return _any(getattr(self, field), text)


class AskCues(_PatternCues):
    order: Words
    continuation: Words
    customer_action: Words
    request_forms: Words
    # Regular expressions (zh and en) read on the structure of an ask rather than single words:
    third_party: Words  # meeting / introduction verb + a named stakeholder of the customer: an advance
    customer_request: Words  # "could you pull / pick / bring ...": the customer is asked to do something
    rep_offer: Words  # a clause in which the rep offers to do something himself (not the customer's action)
    vague: Words  # "whenever you have time": no commitment, whatever the activity
    dated: Words  # a concrete time ("下周三", "by Friday"): keeps an ask with vague words specific
    # The structure of a closing line, clause by clause (regular expressions):
    customer_verbs: Words  # a verb of customer action (arrange, introduce, bring, try, provide, confirm...)
    stakeholder: Words  # a role or unit of the customer's side (科长, 病区, your IT head, one site)
    work_object: Words  # a concrete work object the customer hands over or scopes (data, records, one route)
    handover: Words  # handed to the seller's side (给我们, send us, so we can): a work object asked for, not about
    contact: Words  # further contact or material without a customer action (再聊, keep in touch, send you...)
    addressee: Words  # whom a clause addresses ("you", "your team"): an English clause acts for the customer only so
    showing: Words  # the rep showing the product (演示, demo, walk you through): no ask when merely stated
    rep_side: Words  # a clause whose subject is the rep acting himself ("我下周带工程师过来", "can I email you")
    seller_people: Words  # the rep's own colleagues ("我们领导", "our engineers"): not the customer's stakeholders
    order_forms: Words  # buying or signing now ("把单下了", "get the agreement signed")
    situation_question: Words  # how things are today (平时 / usually / who / which): a question, not an ask
    proposal_forms: Words  # a proposal the buyer is asked to accept ("...吧？", "您看", "how about", "are you ready")
    # Plain words (matched as keywords, not patterns):
    offers: Words  # a price or discount offer ("打折", "cheaper"): premature unless the buyer raised price
    pitch_refers_back: Words  # the rep ties a pitch to what the buyer said ("您刚才提到", "as you said")
    # Regular expressions again, read by app.roleplay.asks:
    permission_forms: Words  # asking leave or agreement ("mind if I", "…OK?"): a proposal; its "if" is no hypothetical
    context_lead: Words  # a clause restating the buyer's situation ("I know X signs"): its order words are context
    joint_work: Words  # the buyer's own work object worked on together ("带上您的数据一起过一遍"): his step too

    PATTERNS = (
        "request_forms",
        "third_party",
        "customer_request",
        "rep_offer",
        "vague",
        "dated",
        "customer_verbs",
        "stakeholder",
        "work_object",
        "handover",
        "contact",
        "addressee",
        "showing",
        "rep_side",
        "seller_people",
        "order_forms",
        "situation_question",
        "proposal_forms",
        "permission_forms",
        "context_lead",
        "joint_work",
    )

    def is_request(self, text: str) -> bool:
        """The text asks the buyer to do something (a request form such as 能不能 / could you)."""
        return _any(self.request_forms, text)

    def names_third_party(self, text: str) -> bool:
        """The ask brings in someone of the customer's side by role (科技部, 王总, your IT head)."""
        return _any(self.third_party, text)

    def asks_customer_to_act(self, text: str) -> bool:
        """The customer is asked to do something concrete himself (pull data, pick a ward, bring people)."""
        return _any(self.customer_request, text)

    def is_vague(self, text: str) -> bool:
        """No commitment in time or person ("等您有空再说", "sometime"), and no concrete date either."""
        return _any(self.vague, text) and not _any(self.dated, text)

    def without(self, field: str, text: str) -> str:
        """The text with every match of a structural cue's patterns taken out."""
        for pattern in getattr(self, field).all():
            text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
        return text

    def without_rep_offers(self, text: str) -> str:
        """The text without the clauses in which the rep offers to act himself ("我先把资料发给您", "I'll send")."""
        clauses = re.split(r"[，,;；。.!！]|\bso\b|\bthen\b", text)
        return "，".join(clause for clause in clauses if not _any(self.rep_offer, clause))


class ClaimCues(_PatternCues):
    """How a seller's claim is recognised in a statement (regular expressions, zh and en)."""

    seller: Words  # the seller, his product or his customers as the subject
    capability: Words  # a capability or benefit verb
    figure: Words  # a figure or result
    reference: Words  # customers named as references ("我们给XX银行做过", "we did this for a regional bank")
    price: Words  # a price or a concession
    first_person: Words  # the seller speaking of himself (a claim in the lead-in of a question)
    hypothetical: Words  # "如果 / if": a picture of a solution, not a claim
    product_benefit: Words  # what only a product does (一键, automatically): a claim unless it describes the buyer
    framing: Words  # the seller's experience set aside to ask the buyer first: framing for a question, no claim

    PATTERNS = (
        "seller",
        "capability",
        "figure",
        "reference",
        "price",
        "first_person",
        "hypothetical",
        "product_benefit",
        "framing",
    )

    def without_framing(self, text: str) -> str:
        """The text with the framing spans taken out ("我们做过不少…，不过今天主要想听听…")."""
        for pattern in self.framing.all():
            text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
        return text


def _any(patterns: Words, text: str) -> bool:
    return any(re.search(pattern, text, re.IGNORECASE) for pattern in patterns.all())


class OutcomeFeedback(_Strict):
    """The scorecard's line on how the call ended: a strength or an improvement, in both languages, citing playbook
    elements. `{commitment}` in the text is this scenario's advance; `{style}` in the elements the buyer's style."""

    kind: Literal["strength", "improvement"]
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    elements: list[str] = Field(min_length=1)


class WeakTurn(_Strict):
    """Why a rep turn is quoted as weak: its rank (higher first), the playbook element (`{category}` is the SPIN
    category the turn asked in), the reason in both languages, and what to try instead."""

    rank: int = Field(ge=1)
    element: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    instead: list[TRY_INSTEAD] = Field(min_length=1)


class ScenarioAdvance(_Strict):
    keywords_en: list[str] = Field(default_factory=list)
    also_accepts: Words
    decision_facts: list[str] = Field(default_factory=list)
    example_advance: Text


class Rubric(_Strict):
    source: list[str] = Field(min_length=1)
    components: list[Component]
    min_questions: int = Field(ge=1)
    closing_turns: int = Field(ge=1)
    extra_situation_allowance: int = Field(ge=0)
    excess_situation_penalty: float = Field(ge=0)
    premature_pitch_penalty: float = Field(ge=0)
    commitment_asked_points: float = Field(ge=0)
    generic_example_advance: Text  # the tip's example for scenarios the rubric does not list
    ended_by_buyer_factor: float = Field(ge=0, le=1)
    category_weights: dict[str, float]
    stage_weights: dict[str, float]
    rapport: list[RapportLevel] = Field(min_length=1)
    asks: AskCues
    claims: ClaimCues
    buyer_replies: dict[str, Words]
    outcome_feedback: dict[str, OutcomeFeedback]
    weak_turns: dict[str, WeakTurn]
    # Steps as strong as a scenario's own advance because they are of its kind (a reference visit for a site-visit
    # scenario, any trial for a trial one): plain words, like also_accepts.
    kind_accepts: dict[CommitmentKind, Words] = Field(default_factory=dict)
    scenarios: dict[str, ScenarioAdvance]

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        ids = tuple(component.id for component in self.components)
        if ids != COMPONENT_IDS:
            raise ValueError(f"components must be, in order, {list(COMPONENT_IDS)}; got {list(ids)}")
        total = sum(component.weight for component in self.components)
        if total != 100:
            raise ValueError(f"component weights must sum to 100, they sum to {total}")
        if set(self.category_weights) != set(CATEGORIES):
            raise ValueError(f"category_weights needs exactly {list(CATEGORIES)}")
        if set(self.stage_weights) != set(SPIN_LETTERS) or abs(sum(self.stage_weights.values()) - 1) > 1e-6:
            raise ValueError("stage_weights needs S, P, I, N summing to 1")
        if set(self.buyer_replies) != set(REPLY_KINDS):
            raise ValueError(f"buyer_replies needs exactly {list(REPLY_KINDS)}")
        if set(self.outcome_feedback) != set(OUTCOME_FEEDBACK_KINDS):
            raise ValueError(f"outcome_feedback needs exactly {list(OUTCOME_FEEDBACK_KINDS)}")
        if set(self.weak_turns) != set(WEAK_TURN_KINDS):
            raise ValueError(f"weak_turns needs exactly {list(WEAK_TURN_KINDS)}")
        if [level.min for level in self.rapport] != sorted(level.min for level in self.rapport) or self.rapport[0].min:
            raise ValueError("rapport levels must start at 0 and rise")
        unknown = [name for name in self.source if name not in SEED_FILES]
        if unknown:
            raise ValueError(f"source {unknown} are not seed file names")
        return self

    @property
    def weights(self) -> dict[str, int]:
        return {component.id: component.weight for component in self.components}

    def component(self, component_id: str) -> Component:
        return next(component for component in self.components if component.id == component_id)

    def rapport_level(self, trust: int) -> RapportLevel:
        level = self.rapport[0]
        for candidate in self.rapport:
            if trust >= candidate.min:
                level = candidate
        return level

    def for_scenario(self, scenario: Scenario) -> ScenarioAdvance:
        """The advance rules of a built-in scenario; an authored or rehearsal scenario, which the rubric cannot
        list, is judged by its own commitment's keywords and gets the generic example advance."""
        if scenario.id in self.scenarios:
            return self.scenarios[scenario.id]
        keywords = scenario.success.commitment.keywords
        return ScenarioAdvance(
            also_accepts=Words(zh=keywords, en=keywords), example_advance=self.generic_example_advance
        )

    def public_view(self, lang: str = "zh") -> list[dict[str, object]]:
        """What the rep sees of the rubric: each component's name, weight and rule in one language."""
        return [
            {
                "id": component.id,
                "name": component.name.get(lang),
                "weight": component.weight,
                "rule": component.rule.get(lang),
            }
            for component in self.components
        ]


def load_rubric_file(path: Path) -> Rubric:
    """Read and validate a rubric file; any problem raises RubricError naming the file and the field."""
    return load_yaml_model(path, Rubric, RubricError, "rubric")


@lru_cache(maxsize=1)
def get_rubric() -> Rubric:
    """The rubric from playbooks/coach/rubric.yaml, validated once and cached."""
    return load_rubric_file(RUBRIC_PATH)


__all__ = ["COMPONENT_IDS", "RUBRIC_PATH", "Rubric", "RubricError", "get_rubric", "load_rubric_file"]
