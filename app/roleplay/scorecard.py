"""Role-play scorecard: a call scored as SPIN and the seeds teach it, with 5K levels on evidence and feedback on the rep's words.

The rubric is data (playbooks/coach/rubric.yaml, app.roleplay.rubric) and is shown to the rep; in short:

    discovery          hidden facts revealed, weighted situation 1 < problem 2 < implication = need-payoff 3
    spin_progression   question kinds used (S 10 %, P 20 %, I 35 %, N 35 %) x order quality (S before P
                       before I before N), minus a penalty per situation question beyond what the call
                       needs (those are named)
    implication_depth  share of the scenario's implications the buyer stated
    pitch_discipline   minus a penalty per premature pitch (app.roleplay.asks.is_premature_pitch: the same
                       rule tags the turn live)
    listening          talk-ratio score x share of the rep's turns that were real questions
    objections         handled / raised; not applicable when none was raised
    commitment         full for the scenario's advance won; a little for a matching advance asked after the
                       need was explicit; nothing for continuations and orders

A component that did not apply is reported with `applicable: false` and left out; the total is rescaled
over the rest. A call with fewer real questions than `min_questions` is scaled down in proportion (no
question: 0), and a call the buyer ended because of the rep keeps only `ended_by_buyer_factor` of it.

`outcome` is what the call ended with: order | advance | continuation | no_ask | ended_by_buyer.

5K (seed 002) levels are claimed only with evidence, each citing the turn and the fact (or the persona)
that shows it: power only from facts about the decision maker or the decision process (rubric
`decision_facts`) or from talking to the decision maker; value never reaches "customer validates" in a
call; control stays at l0 unless the buyer agreed a concrete next step (the scenario's commitment).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.coaching.intensity import IntensityResult, score_intensity
from app.coaching.spin import QUESTION_LABELS
from app.playbook import get_playbook
from app.playbook.texts import PLAYBOOKS_DIR, Texts, load_texts
from app.playbook.vocabulary import LETTER_CATEGORY
from app.roleplay.asks import DECIDER, example_advance
from app.roleplay.rubric import Rubric, WeakTurn, get_rubric
from app.roleplay.scenarios import CATEGORIES, DIFFICULTIES, Scenario, load_scenarios
from app.roleplay.state import SessionState, TurnRecord

TEXTS = load_texts(PLAYBOOKS_DIR / "coach" / "texts" / "scorecard.yaml", Texts)  # what the scorecard says

WEIGHTS: dict[str, int] = get_rubric().weights
assert sum(WEIGHTS.values()) == 100

TALK_RATIO_FULL = 0.40
TALK_RATIO_ZERO = 0.70
QUESTION_SHARE_FULL = 0.75  # listening is full when at least this share of the rep's turns are real questions
SPIN_STAGES = QUESTION_LABELS  # the order a discovery should follow
QUOTE_CHARS = 80
RUDE_TONES = {"rude", "insult", "hostile", "pushy"}
BUYER_ENDED = {
    "trust_lost",
    "ended_by_buyer",
    "rude",
    "rudeness",
    "buyer_left",
}  # end reasons that mean the buyer walked out
Outcome = Literal["order", "advance", "continuation", "no_ask", "ended_by_buyer"]

# The skill each scorecard component trains, as playbook element ids (used for the next scenario).
SKILL_ELEMENT: dict[str, str] = {
    "discovery": "spin.problem",
    "spin_progression": "spin.implication",
    "implication_depth": "spin.implication",
    "pitch_discipline": "dragon.step.present_value",
    "listening": "dragon.step.build_trust",
    "objections": "dragon.step.present_value",
    "commitment": "dragon.step.win_commitment",
}


class FactCoverage(BaseModel):
    revealed: int
    available: int


class ScoreComponent(BaseModel):
    points: float
    max_points: int
    ratio: float  # points / max_points, for finding the weakest skill
    applicable: bool = True  # False: did not happen in this call, left out of the total


class Feedback(BaseModel):
    """A strength or an improvement, citing the playbook elements it is about."""

    text_zh: str
    text_en: str
    element_ids: list[str] = Field(min_length=1)


class QuotedTurn(BaseModel):
    """One of the rep's own turns with why it is quoted and, for a weak one, what to say instead."""

    turn: int
    text: str
    why_zh: str
    why_en: str
    element_id: str
    element_name_zh: str
    element_name_en: str
    try_zh: str = ""
    try_en: str = ""


class LevelEvidence(BaseModel):
    """Why a 5K level is claimed: the turn and the fact (or the persona) that show it, or what is missing."""

    dimension: str
    level_id: str
    turn: int | None = None
    fact_id: str | None = None
    fact_label: str | None = None
    fact_label_en: str | None = None
    reason_zh: str
    reason_en: str


class Scorecard(BaseModel):
    scenario_id: str
    turns: int
    spin_counts: dict[str, int]
    spin_order_quality: float
    facts: dict[str, FactCoverage]
    facts_share: float
    implication_questions: int
    implication_depth: float
    pitches: int
    premature_pitches: int
    talk_ratio: float
    objections_raised: list[str]
    objections_handled: list[str]
    commitment_asked: bool
    commitment_won: bool
    commitment_id: str
    trust: int
    relation_stage: str  # kept for API clients; the in-call meter is `rapport`
    intensity_levels: dict[str, str]
    intensity_side: dict[str, str]
    intensity: IntensityResult
    milestone_id: str | None
    components: dict[str, ScoreComponent]
    total: int
    strengths: list[Feedback]
    improvements: list[Feedback]
    weakest_skill: str
    suggested_next_scenario: str | None
    # Added by issue 16 (defaults keep older stored scorecards readable).
    outcome: Outcome = "no_ask"
    questions: int = 0
    excess_situation_turns: list[int] = Field(default_factory=list)
    rapport: str = ""
    rapport_en: str = ""
    intensity_evidence: list[LevelEvidence] = Field(default_factory=list)
    best_question: QuotedTurn | None = None
    weakest_turns: list[QuotedTurn] = Field(default_factory=list)
    rewrites_by: Literal["model", "offline"] = "offline"  # who wrote the weakest turns' "try instead" lines


def spin_order_quality(sequence: list[str]) -> float:
    """Share of SPIN questions asked after their preceding stage (S always counts); 0 if none asked."""
    asked: set[str] = set()
    prepared = total = 0
    for label in sequence:
        if label not in SPIN_STAGES:
            continue
        total += 1
        index = SPIN_STAGES.index(label)
        if index == 0 or SPIN_STAGES[index - 1] in asked:
            prepared += 1
        asked.add(label)
    return prepared / total if total else 0.0


# --- what happened in the call -------------------------------------------------------------------


def is_rude(record: TurnRecord) -> bool:
    """The turn insulted, disparaged or pushed the buyer (the buyer engine's tone reading, when it records one)."""
    return bool(getattr(record, "rude", False)) or getattr(record, "tone", None) in RUDE_TONES


def _questions(state: SessionState) -> list[TurnRecord]:
    return [record for record in state.history if record.spin_label in SPIN_STAGES and not record.injection]


def excess_situation_turns(scenario: Scenario, state: SessionState, rubric: Rubric | None = None) -> list[int]:
    """Situation questions beyond what the call needed: those that uncovered nothing, after a small allowance."""
    rubric = rubric or get_rubric()
    empty = [record.turn for record in state.history if record.spin_label == "S" and not record.revealed]
    return empty[rubric.extra_situation_allowance :]


def call_outcome(state: SessionState, rubric: Rubric | None = None) -> Outcome:
    """order | advance | continuation | no_ask | ended_by_buyer: the strongest ask of the closing part of the call
    (its last rubric.closing_turns rep turns), or the last ask made when the closing part asked for nothing."""
    rubric = rubric or get_rubric()
    if state.end_reason in BUYER_ENDED:
        return "ended_by_buyer"
    if state.commitment_won:
        return "advance"
    asks = [record for record in state.history if record.ask_kind != "none"]
    closing = [record for record in asks if record.turn > state.turn - rubric.closing_turns] or asks[-1:]
    kinds = {record.ask_kind for record in closing}
    if "advance" in kinds:
        return "advance"
    for kind in ("order", "continuation"):
        if kind in kinds:
            return kind
    return "no_ask"


def _advance_asked_after_discovery(state: SessionState) -> bool:
    """An advance was asked after the need was developed: the buyer stated a need-payoff, or the rep had asked
    implication or need-payoff questions before it (the buyer's answers vary; the rep's sequence is his own)."""
    first_need = min((fact.turn for fact in state.revealed.get("need_payoff", [])), default=None)
    first_development = min((record.turn for record in state.history if record.spin_label in ("I", "N")), default=None)
    ready = min((turn for turn in (first_need, first_development) if turn is not None), default=None)
    return ready is not None and any(record.ask_kind == "advance" and record.turn > ready for record in state.history)


# --- 5K on evidence ------------------------------------------------------------------------------


def _fact_evidence(
    scenario: Scenario, state: SessionState, dimension: str, level: int, fact_id: str, reason_zh: str, reason_en: str
) -> LevelEvidence:
    fact = scenario.fact(fact_id)
    turn = next(item.turn for items in state.revealed.values() for item in items if item.id == fact_id)
    return LevelEvidence(
        dimension=dimension,
        level_id=f"fivek.{dimension}.l{level}",
        turn=turn,
        fact_id=fact_id,
        fact_label=fact.topics.zh[0],
        fact_label_en=(fact.topics.en or fact.topics.zh)[0],
        reason_zh=reason_zh,
        reason_en=reason_en,
    )


def _first(state: SessionState, category: str, nth: int = 0) -> str | None:
    facts = sorted(state.revealed.get(category, []), key=lambda item: item.turn)
    return facts[nth].id if len(facts) > nth else None


def intensity_with_evidence(
    scenario: Scenario, state: SessionState
) -> tuple[dict[str, str], dict[str, str], list[LevelEvidence]]:
    """5K levels, sides and the evidence for each (see the module docstring for the rules)."""
    is_decider = scenario.persona.purchase_role == DECIDER
    side = "decision_maker" if is_decider else "contact"
    won, kind, won_turn = state.commitment_won, scenario.success.commitment.kind, state.commitment_turn
    evidence: list[LevelEvidence] = []

    def claim(dimension: str, level: int, zh: str, en: str, turn: int | None = None) -> None:
        evidence.append(
            LevelEvidence(
                dimension=dimension, level_id=f"fivek.{dimension}.l{level}", turn=turn, reason_zh=zh, reason_en=en
            )
        )

    # problem: the buyer's own admissions
    problems = [_first(state, "problem", 0), _first(state, "problem", 1)]
    implication = _first(state, "implication")
    first_p = next((record.turn for record in state.history if record.spin_label == "P"), None)
    if problems[0] and implication:
        evidence.append(
            _fact_evidence(
                scenario,
                state,
                "problem",
                5,
                implication,
                *TEXTS.part("evidence.problem.l5"),
            )
        )
    elif problems[1]:
        evidence.append(
            _fact_evidence(
                scenario,
                state,
                "problem",
                4,
                problems[1],
                *TEXTS.part("evidence.problem.l4"),
            )
        )
    elif problems[0]:
        evidence.append(_fact_evidence(scenario, state, "problem", 3, problems[0], *TEXTS.part("evidence.problem.l3")))
    elif first_p is not None:
        claim(
            "problem",
            1,
            *TEXTS.part("evidence.problem.l1"),
            first_p,
        )
    else:
        claim("problem", 0, *TEXTS.part("evidence.problem.l0"))

    # power: only the decision maker himself or facts about him and the decision process
    decision_facts = [
        fact_id for fact_id in get_rubric().for_scenario(scenario).decision_facts if fact_id in state.revealed_ids()
    ]
    if won and is_decider:
        claim("power", 4, *TEXTS.part("evidence.power.l4"), won_turn)
    elif won and kind == "introduction":
        claim("power", 3, *TEXTS.part("evidence.power.l3"), won_turn)
    elif decision_facts:
        evidence.append(
            _fact_evidence(
                scenario,
                state,
                "power",
                2,
                decision_facts[0],
                *TEXTS.part("evidence.power.l2"),
            )
        )
    elif is_decider:
        claim(
            "power",
            1,
            *TEXTS.part("evidence.power.l1", title=scenario.persona.title),
        )
    else:
        claim(
            "power",
            0,
            *TEXTS.part("evidence.power.l0"),
        )

    # vision: the buyer's picture of a solution
    need = _first(state, "need_payoff")
    signal = state.signals_shown[0] if state.signals_shown else None
    first_pitch = next((record.turn for record in state.history if record.is_pitch), None)
    if need and signal:
        claim(
            "vision",
            3,
            *TEXTS.part("evidence.vision.l3"),
            signal.turn,
        )
    elif need:
        evidence.append(
            _fact_evidence(
                scenario,
                state,
                "vision",
                2,
                need,
                *TEXTS.part("evidence.vision.l2"),
            )
        )
    elif first_pitch is not None:
        claim("vision", 1, *TEXTS.part("evidence.vision.l1"), first_pitch)
    else:
        claim("vision", 0, *TEXTS.part("evidence.vision.l0"))

    # value: stated, never validated inside one call
    first_n = next((record.turn for record in state.history if record.spin_label == "N"), None)
    if need:
        evidence.append(
            _fact_evidence(
                scenario,
                state,
                "value",
                3,
                need,
                *TEXTS.part("evidence.value.l3"),
            )
        )
    elif implication:
        evidence.append(
            _fact_evidence(
                scenario,
                state,
                "value",
                2,
                implication,
                *TEXTS.part("evidence.value.l2"),
            )
        )
    elif first_n is not None:
        claim("value", 1, *TEXTS.part("evidence.value.l1"), first_n)
    else:
        claim("value", 0, *TEXTS.part("evidence.value.l0"))

    # control: above l0 only with an agreed, concrete next step
    pain = bool(problems[0] and implication)
    if won and is_decider and pain and need:
        claim(
            "control",
            3,
            *TEXTS.part("evidence.control.l3"),
            won_turn,
        )
    elif won and kind == "introduction" and not is_decider:
        claim(
            "control",
            2,
            *TEXTS.part("evidence.control.l2"),
            won_turn,
        )
    elif won and pain:
        claim(
            "control",
            1,
            *TEXTS.part("evidence.control.l1"),
            won_turn,
        )
    else:
        claim("control", 0, *TEXTS.part("evidence.control.l0"))

    levels = {item.dimension: item.level_id for item in evidence}
    sides = {"problem": side, "vision": side, "value": side}
    return levels, sides, evidence


def infer_intensity_levels(scenario: Scenario, state: SessionState) -> tuple[dict[str, str], dict[str, str]]:
    """5K levels and sides reached in this call (each backed by evidence: intensity_with_evidence)."""
    levels, sides, _ = intensity_with_evidence(scenario, state)
    return levels, sides


# --- components ----------------------------------------------------------------------------------


def _listening_ratio(talk_ratio: float) -> float:
    if talk_ratio <= TALK_RATIO_FULL:
        return 1.0
    if talk_ratio >= TALK_RATIO_ZERO:
        return 0.0
    return (TALK_RATIO_ZERO - talk_ratio) / (TALK_RATIO_ZERO - TALK_RATIO_FULL)


def _components(
    scenario: Scenario, state: SessionState, order_quality: float, excess: int, rubric: Rubric
) -> dict[str, ScoreComponent]:
    weights = rubric.weights
    category_weight = rubric.category_weights
    possible = sum(category_weight[category] * len(getattr(scenario.facts, category)) for category in CATEGORIES)
    revealed = sum(category_weight[category] * len(state.revealed_in(category)) for category in CATEGORIES)
    questions = _questions(state)
    stages = {record.spin_label for record in questions}
    spin_points = (
        weights["spin_progression"] * order_quality * sum(rubric.stage_weights[label] for label in stages)
        - rubric.excess_situation_penalty * excess
    )
    raised = len(state.objections_raised)
    handled = len({event.id for event in state.objections_handled})
    if state.commitment_won:
        commitment = 1.0
    elif _advance_asked_after_discovery(state):
        commitment = rubric.commitment_asked_points / weights["commitment"]
    else:
        commitment = 0.0
    rep_turns = [record for record in state.history if not record.injection]
    question_share = min(1.0, len(questions) / len(rep_turns) / QUESTION_SHARE_FULL) if rep_turns else 0.0
    ratios = {
        "discovery": revealed / possible,
        "spin_progression": max(0.0, spin_points / weights["spin_progression"]),
        "implication_depth": len(state.revealed_in("implication")) / len(scenario.facts.implication),
        "pitch_discipline": max(
            0.0, 1 - rubric.premature_pitch_penalty * state.premature_pitches / weights["pitch_discipline"]
        ),
        "listening": _listening_ratio(state.talk_ratio()) * question_share,
        "objections": handled / raised if raised else 0.0,
        "commitment": commitment,
    }
    applicable = {name: True for name in ratios}
    applicable["objections"] = raised > 0
    if state.turn == 0:  # a call where the rep said nothing earns nothing for "not doing wrong"
        ratios = {name: 0.0 for name in ratios}
    return {
        name: ScoreComponent(
            points=round(weights[name] * ratio, 2),
            max_points=weights[name],
            ratio=round(ratio, 4),
            applicable=applicable[name],
        )
        for name, ratio in ratios.items()
    }


def _total(components: dict[str, ScoreComponent], questions: int, outcome: Outcome, rude: bool, rubric: Rubric) -> int:
    counted = [component for component in components.values() if component.applicable]
    possible = sum(component.max_points for component in counted)
    total = 100 * sum(component.points for component in counted) / possible if possible else 0.0
    total *= min(1.0, questions / rubric.min_questions)
    if outcome == "ended_by_buyer" or rude:  # a call that insulted the buyer is a failed call, whatever was uncovered
        total *= rubric.ended_by_buyer_factor
    return round(total)


# --- feedback on the rep's own words ---------------------------------------------------------------


def _element(element_id: str) -> tuple[str, str]:
    element = get_playbook().element(element_id)
    return element.name_zh, element.name_en


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_CHARS:
        return text
    cut = text[: QUOTE_CHARS - 1]
    if text[QUOTE_CHARS - 1].isascii() and text[QUOTE_CHARS - 1].isalnum() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # English: end on a whole word ("your…", not "your expor…")
    return cut.rstrip(" ,;:") + "…"


def _quoted(
    turn: int, text: str, element_id: str, why: tuple[str, str], instead: tuple[str, str] = ("", "")
) -> QuotedTurn:
    name_zh, name_en = _element(element_id)
    return QuotedTurn(
        turn=turn,
        text=_quote(text),
        why_zh=why[0],
        why_en=why[1],
        element_id=element_id,
        element_name_zh=name_zh,
        element_name_en=name_en,
        try_zh=instead[0],
        try_en=instead[1],
    )


def _next_fact(scenario: Scenario, state: SessionState, categories: tuple[str, ...], suggested: set[str]):
    """The first fact of these categories the buyer did not reveal and no other rewrite suggests, with its
    prerequisites out if possible."""
    revealed = state.revealed_ids() | suggested
    pending = [fact for category in categories for fact in getattr(scenario.facts, category) if fact.id not in revealed]
    ready = [fact for fact in pending if all(required in revealed for required in fact.requires)]
    return (ready or pending or [None])[0]


def _question_for(
    scenario: Scenario, state: SessionState, categories: tuple[str, ...], suggested: set[str]
) -> tuple[str, str]:
    """A "try instead" question for this scenario, on the next fact worth uncovering (offline, from its topic);
    each weak turn gets its own fact, so three weak turns do not get the same rewrite."""
    fact = _next_fact(scenario, state, categories, suggested)
    if fact is None:
        return example_advance(scenario, "zh"), example_advance(scenario, "en")
    suggested.add(fact.id)
    category = scenario.category_of(fact.id)
    topic, topic_en = fact.topics.zh[0], (fact.topics.en or fact.topics.zh)[0]
    return TEXTS.part(f"try.{category}", topic=topic, topic_en=topic_en)


def _weakness(scenario: Scenario, state: SessionState, record: TurnRecord, excess: list[int]) -> str | None:
    """Why a rep turn is weak (a key of the rubric's weak_turns), or None when it is not."""
    if is_rude(record):
        return "rude"
    if record.premature_pitch:
        return "premature_pitch"
    if record.ask_kind == "continuation":
        return "continuation"
    if record.ask_kind == "order" and not state.commitment_won:
        return "order_not_decider" if scenario.persona.purchase_role != DECIDER else "order_too_early"
    if record.turn in excess:
        return "excess_situation"
    if record.spin_label in SPIN_STAGES and not record.revealed:
        return "no_new_information"
    if record.spin_label == "other" and record.ask_kind == "none" and not record.is_pitch:
        return "not_a_question"
    return None


def _instead(scenario: Scenario, state: SessionState, rule: WeakTurn, suggested: set[str]) -> tuple[str, str]:
    """What to try instead of a weak turn: this scenario's example advance, or a question on the next fact."""
    if rule.instead == ["advance"]:
        return TEXTS.part(
            "advance_instead", advance=example_advance(scenario, "zh"), advance_en=example_advance(scenario, "en")
        )
    return _question_for(scenario, state, tuple(rule.instead), suggested)


def _turn_comments(
    scenario: Scenario, state: SessionState, texts: dict[int, str], excess: list[int]
) -> tuple[QuotedTurn | None, list[QuotedTurn]]:
    """The best question and the two or three weakest turns, each with why and (for weak ones) a rewrite."""
    best: QuotedTurn | None = None
    best_value = 0.0
    weight = get_rubric().category_weights
    for record in _questions(state):
        if not record.revealed or record.turn not in texts:
            continue
        category = scenario.category_of(record.revealed[0])
        value = weight[category] * 10 - record.turn  # the richest answer, the earlier the better on a tie
        if best is None or value > best_value:
            fact = scenario.fact(record.revealed[0])
            label_en = (fact.topics.en or fact.topics.zh)[0]
            best_value = value
            best = _quoted(
                record.turn,
                texts[record.turn],
                f"spin.{category}",
                TEXTS.part("best_question", topic=fact.topics.zh[0], topic_en=label_en),
            )
    rules = get_rubric().weak_turns
    weak: list[tuple[WeakTurn, TurnRecord]] = []
    for record in state.history:
        kind = _weakness(scenario, state, record, excess)
        if record.turn in texts and kind is not None:
            weak.append((rules[kind], record))
    weak.sort(key=lambda item: (-item[0].rank, item[1].turn))
    suggested: set[str] = set()
    quoted = []
    for rule, record in weak[:3]:
        element = rule.element.format(category=LETTER_CATEGORY.get(record.spin_label, "problem"))
        instead = _instead(scenario, state, rule, suggested)
        quoted.append(_quoted(record.turn, texts[record.turn], element, (rule.zh, rule.en), instead))
    return best, quoted


def _cited(*element_ids: str) -> list[str]:
    return list(element_ids)


def _said(texts: tuple[str, str], *element_ids: str) -> Feedback:
    """A strength or an improvement: its (zh, en) text and the playbook elements it cites."""
    return Feedback(text_zh=texts[0], text_en=texts[1], element_ids=_cited(*element_ids))


def _feedback(
    scenario: Scenario, state: SessionState, components: dict[str, ScoreComponent], outcome: Outcome, excess: list[int]
) -> tuple[list[Feedback], list[Feedback]]:
    """Strengths and improvements, each only when it is true for this call."""
    style = scenario.persona.communication_style
    strengths: list[Feedback] = []
    improvements: list[Feedback] = []
    ratio = {name: component.ratio for name, component in components.items()}
    questions = _questions(state)
    style_fit_share = sum(record.style_fit for record in questions) / len(questions) if questions else 0.0
    implications, problems = state.revealed_in("implication"), state.revealed_in("problem")

    if not questions:
        improvements.append(_said(TEXTS.part("feedback.no_question"), "spin.problem", "dragon.step.uncover_needs"))
    elif ratio["discovery"] >= 0.7:
        strengths.append(
            _said(
                TEXTS.part("feedback.deep_discovery"), "spin.problem", "spin.implication", "dragon.step.uncover_needs"
            )
        )
    elif not problems:
        improvements.append(_said(TEXTS.part("feedback.no_problem"), "spin.problem", "dragon.step.uncover_needs"))

    separator = TEXTS.part("feedback.list_separator")
    if excess:
        numbers = [TEXTS.part("feedback.excess_turn", turn=turn) for turn in excess]
        improvements.append(
            _said(
                TEXTS.part(
                    "feedback.excess_situation",
                    turns=separator[0].join(zh for zh, _ in numbers),
                    turns_en=separator[1].join(en for _, en in numbers),
                ),
                "spin.situation",
                "spin.problem",
            )
        )

    stages = {record.spin_label for record in questions}
    if (
        {"P", "I", "N"} <= stages
        and state.spin_sequence
        and spin_order_quality(state.spin_sequence) >= 0.8
        and not state.premature_pitches
    ):
        strengths.append(_said(TEXTS.part("feedback.built_up"), "spin.problem", "spin.implication", "spin.need_payoff"))

    if implications and ratio["implication_depth"] >= 0.67:
        strengths.append(_said(TEXTS.part("feedback.implications"), "spin.implication", "dragon.step.uncover_needs"))
    elif problems and not implications:
        improvements.append(
            _said(TEXTS.part("feedback.no_implication"), "spin.implication", "dragon.step.uncover_needs")
        )
    elif implications:
        open_problems = [
            scenario.fact(fact_id).topics
            for fact_id in problems
            if not any(fact_id in scenario.fact(i).requires for i in implications)
        ]
        if open_problems:
            improvements.append(
                _said(
                    TEXTS.part(
                        "feedback.open_problems",
                        problems=separator[0].join(topics.zh[0] for topics in open_problems),
                        problems_en=separator[1].join((topics.en or topics.zh)[0] for topics in open_problems),
                        count=len(open_problems),
                    ),
                    "spin.implication",
                )
            )

    if state.revealed_in("need_payoff"):
        strengths.append(_said(TEXTS.part("feedback.need_stated"), "spin.need_payoff", "dragon.step.present_value"))
    elif questions:
        improvements.append(_said(TEXTS.part("feedback.no_need"), "spin.need_payoff", "dragon.step.present_value"))

    if state.premature_pitches:
        improvements.append(
            _said(
                TEXTS.part("feedback.premature_pitch", pitches=state.premature_pitches),
                "dragon.step.present_value",
                "spin.need_payoff",
            )
        )
    elif state.pitches:
        strengths.append(_said(TEXTS.part("feedback.timely_pitch"), "dragon.step.present_value"))

    if questions and ratio["listening"] >= 1.0:
        strengths.append(_said(TEXTS.part("feedback.listened"), style, "dragon.step.build_trust"))
    elif state.turn and ratio["listening"] < 0.5:
        improvements.append(
            _said(
                TEXTS.part("feedback.talked_too_much", talk=f"{state.talk_ratio():.0%}"),
                style,
                "dragon.step.build_trust",
            )
        )

    if questions and style_fit_share >= 0.3:
        strengths.append(_said(TEXTS.part("feedback.style_fit"), style, "dragon.step.build_trust"))
    elif questions:
        improvements.append(_said(TEXTS.part("feedback.style_misfit"), style, "dragon.step.build_trust"))

    open_objections = state.open_objections()
    if state.objections_raised and not open_objections:
        strengths.append(_said(TEXTS.part("feedback.objections_handled"), "dragon.step.present_value"))
    elif open_objections:
        improvements.append(
            _said(
                TEXTS.part("feedback.objections_open", count=len(open_objections)),
                "dragon.step.present_value",
                "spin.problem",
            )
        )

    line = get_rubric().outcome_feedback["won" if state.commitment_won else outcome]
    (strengths if line.kind == "strength" else improvements).append(
        Feedback(
            text_zh=line.zh.format(commitment=scenario.success.commitment.description),
            text_en=line.en.format(commitment=scenario.success.commitment.description),
            element_ids=_cited(*(element.format(style=style) for element in line.elements)),
        )
    )
    return strengths, improvements


def _weakest_skill(components: dict[str, ScoreComponent]) -> str:
    # Ties go to the component listed first in WEIGHTS (discovery before the rest); only applicable ones count.
    counted = [name for name in WEIGHTS if components[name].applicable] or list(WEIGHTS)
    return min(counted, key=lambda name: (components[name].ratio, list(WEIGHTS).index(name)))


def suggest_next_scenario(
    scenario: Scenario,
    total: int,
    weakest_skill: str,
    scenarios: dict[str, Scenario] | None = None,
    preferred: frozenset[str] = frozenset(),
) -> str | None:
    """Another scenario that trains the weakest skill, one level harder after a strong call, easier after a weak one.

    `preferred` (the rep's team's own scenarios) win a tie with an equally fitting built-in: the team wrote them
    about its own product and customers."""
    scenarios = scenarios if scenarios is not None else load_scenarios()
    level = DIFFICULTIES.index(scenario.difficulty)
    if total >= 75:
        level = min(level + 1, len(DIFFICULTIES) - 1)
    elif total < 45:
        level = max(level - 1, 0)
    element = SKILL_ELEMENT[weakest_skill]
    if weakest_skill == "listening":
        element = scenario.persona.communication_style  # practise the same style with another buyer
    candidates = [other for other in scenarios.values() if other.id != scenario.id]
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda other: (
            element not in other.trains and other.persona.communication_style != element,
            abs(DIFFICULTIES.index(other.difficulty) - level),
            other.id not in preferred,
            other.id,
        ),
    )
    return best.id


def build_scorecard(
    scenario: Scenario,
    state: SessionState,
    scenarios: dict[str, Scenario] | None = None,
    rep_texts: list[str] | None = None,
    preferred: frozenset[str] = frozenset(),
) -> Scorecard:
    """Score one call from its session state (pure). `rep_texts`: the rep's turns in order, for quoting his words."""
    if state.scenario_id != scenario.id:
        raise ValueError(f"state is for scenario {state.scenario_id!r}, not {scenario.id!r}")
    rubric = get_rubric()
    order_quality = spin_order_quality(state.spin_sequence)
    excess = excess_situation_turns(scenario, state, rubric)
    outcome = call_outcome(state, rubric)
    components = _components(scenario, state, order_quality, len(excess), rubric)
    questions = len(_questions(state))
    # A rude turn that presents the product (the buyer reads a long pitch as a monologue) is scored by the pitch and
    # listening components; the total is halved for insults, disparagement and pressure. (TurnRecord keeps no rude
    # kind yet: is_pitch stands in for "monologue".)
    insulted = any(is_rude(record) and not record.is_pitch for record in state.history)
    total = _total(components, questions, outcome, insulted, rubric)
    levels, sides, evidence = intensity_with_evidence(scenario, state)
    intensity = score_intensity(levels, sides)
    strengths, improvements = _feedback(scenario, state, components, outcome, excess)
    texts = {record.turn: text for record, text in zip(state.history, rep_texts or [], strict=False)}
    best, weakest_turns = _turn_comments(scenario, state, texts, excess)
    weakest = _weakest_skill(components)
    rapport = rubric.rapport_level(state.trust)
    facts = {
        category: FactCoverage(
            revealed=len(state.revealed_in(category)), available=len(getattr(scenario.facts, category))
        )
        for category in CATEGORIES
    }
    return Scorecard(
        scenario_id=scenario.id,
        turns=state.turn,
        spin_counts={label: state.spin_sequence.count(label) for label in (*SPIN_STAGES, "other")},
        spin_order_quality=round(order_quality, 4),
        facts=facts,
        facts_share=round(len(state.revealed_ids()) / len(scenario.all_facts()), 4),
        implication_questions=state.spin_sequence.count("I"),
        implication_depth=components["implication_depth"].ratio,
        pitches=state.pitches,
        premature_pitches=state.premature_pitches,
        talk_ratio=round(state.talk_ratio(), 4),
        objections_raised=[event.id for event in state.objections_raised],
        objections_handled=[event.id for event in state.objections_handled],
        commitment_asked=state.commitment_asked,
        commitment_won=state.commitment_won,
        commitment_id=scenario.success.commitment.id,
        trust=state.trust,
        relation_stage=state.relation_stage,
        intensity_levels=levels,
        intensity_side=sides,
        intensity=intensity,
        milestone_id=intensity.milestone_id,
        components=components,
        total=total,
        strengths=strengths,
        improvements=improvements,
        weakest_skill=weakest,
        suggested_next_scenario=suggest_next_scenario(scenario, total, weakest, scenarios, preferred),
        outcome=outcome,
        questions=questions,
        excess_situation_turns=excess,
        rapport=rapport.zh,
        rapport_en=rapport.en,
        intensity_evidence=evidence,
        best_question=best,
        weakest_turns=weakest_turns,
    )
