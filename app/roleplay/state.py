"""Role-play session state: the single JSON-serialisable record of a call, updated only by the buyer engine."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, computed_field

from app.roleplay.scenarios import CATEGORIES, Scenario

# Relationship stages of 摧龙六式 (seed 001), reached at these trust levels (lowest first).
RELATION_STAGES: tuple[tuple[int, str], ...] = (
    (0, "dragon.relation.acquainted"),
    (35, "dragon.relation.dating"),
    (60, "dragon.relation.trust"),
    (85, "dragon.relation.alliance"),
)

# Chinese has no spaces: each CJK character counts as one word, runs of latin letters/digits as one word.
_WORD = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9]+(?:['.-][A-Za-z0-9]+)*")


def count_words(text: str) -> int:
    """Words for talk-ratio purposes (CJK characters + latin words), identical for rep and buyer."""
    return len(_WORD.findall(text))


def relation_stage_for(trust: int) -> str:
    stage = RELATION_STAGES[0][1]
    for threshold, stage_id in RELATION_STAGES:
        if trust >= threshold:
            stage = stage_id
    return stage


class RevealedFact(BaseModel):
    id: str
    turn: int


class TurnEvent(BaseModel):
    """An objection or buying signal with the rep turn it happened on."""

    id: str
    turn: int


class TurnRecord(BaseModel):
    """What one rep turn was and what it changed (the scorecard reads these)."""

    turn: int
    spin_label: str
    is_question: bool
    is_pitch: bool
    asks_commitment: bool
    ask_kind: str = "none"  # order | advance | continuation | none (app.roleplay.asks)
    premature_pitch: bool = False
    injection: bool = False
    style_fit: bool = False  # the question used words the buyer's communication style likes
    revealed: list[str] = Field(default_factory=list)
    trust_delta: int = 0
    trust_after: int = 0
    tone: str = "ok"  # "ok" | "rude" (insult, disparaging, monologue, pushing after a refusal)
    held_back: str | None = None  # why an asked-about fact stayed hidden: "trust" | "sensitive" | "context"
    held_fact: str | None = None  # ... which fact (a blunt re-ask of it on the next turn is pushing)
    declined: bool = False  # the buyer declined a next step on this turn


def _nothing_revealed() -> dict[str, list[RevealedFact]]:
    return {category: [] for category in CATEGORIES}


class SessionState(BaseModel):
    """Everything that happened in one role-play call; derive all views (scorecard, UI) from this."""

    model_config = ConfigDict(extra="ignore")  # ignore computed fields when loading a dumped state

    scenario_id: str
    turn: int = 0  # rep turns so far
    trust: int = Field(default=20, ge=0, le=100)
    revealed: dict[str, list[RevealedFact]] = Field(default_factory=_nothing_revealed)
    objections_raised: list[TurnEvent] = Field(default_factory=list)
    objections_handled: list[TurnEvent] = Field(default_factory=list)
    signals_shown: list[TurnEvent] = Field(default_factory=list)
    spin_sequence: list[str] = Field(default_factory=list)  # rep turns' labels in order
    rep_words: int = 0
    buyer_words: int = 0
    pitches: int = 0
    premature_pitches: int = 0  # pitches before the need was established
    injection_attempts: int = 0
    commitment_asks: int = 0
    commitment_won: bool = False
    commitment_turn: int | None = None
    finished: bool = False
    end_reason: str | None = None  # "commitment" | "max_turns" | "trust_lost" | "rudeness"
    history: list[TurnRecord] = Field(default_factory=list)
    lang: str = "zh"  # the language the buyer speaks in this session: "zh" | "en"
    rude_turns: int = 0
    said: list[str] = Field(default_factory=list)  # phrase variants the buyer has used ("situation:index")

    @classmethod
    def start(cls, scenario: Scenario, lang: str = "zh") -> SessionState:
        """A fresh state for a scenario, trust at the scenario's starting level, in the session's language."""
        return cls(scenario_id=scenario.id, trust=scenario.initial_trust, lang="en" if lang == "en" else "zh")

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form; mypy rejects decorators over @property
    @property
    def relation_stage(self) -> str:
        return relation_stage_for(self.trust)

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form; mypy rejects decorators over @property
    @property
    def commitment_asked(self) -> bool:
        return self.commitment_asks > 0

    def copy_deep(self) -> SessionState:
        """An independent copy (through the plain data: a quarter of the cost of copy.deepcopy on these models)."""
        return SessionState.model_validate(self.model_dump())

    def revealed_ids(self) -> set[str]:
        return {fact.id for facts in self.revealed.values() for fact in facts}

    def revealed_in(self, category: str) -> list[str]:
        return [fact.id for fact in self.revealed.get(category, [])]

    def open_objections(self) -> list[str]:
        handled = {event.id for event in self.objections_handled}
        return [event.id for event in self.objections_raised if event.id not in handled]

    def need_established(self) -> bool:
        """SPIN: the need is explicit once the buyer has stated a need-payoff himself."""
        return bool(self.revealed.get("need_payoff"))

    def talk_ratio(self) -> float:
        total = self.rep_words + self.buyer_words
        return self.rep_words / total if total else 0.0
