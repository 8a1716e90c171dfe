"""Role-play scorecard: SPIN use, discovery, pitching, listening, objections, commitment and 5K intensity for one call.

Total score (0..100); the weights sum to 100:

    discovery          30  x share of the scenario's hidden facts uncovered (all four categories)
    spin_progression   10  x order quality x stage coverage. Order quality: share of SPIN questions
                           whose preceding stage was asked earlier (an S question always counts; a P
                           needs an S before it, an I a P, an N an I), i.e. S before P before I before
                           N. Stage coverage: distinct SPIN stages used / 4, so two tidy questions do
                           not earn the full progression
    implication_depth  15  x share of the scenario's implication facts uncovered
    pitch_discipline   10  minus 5 per pitch before the need was explicit (floor 0)
    listening          10  full when the rep speaks at most 40 % of the words, 0 at 70 % or more,
                           linear in between (words: CJK characters + latin words)
    objections          5  x handled / raised (full when none was raised)
    commitment         20  when the commitment was won; 5 when asked after the need was explicit
                           but not won; 0 otherwise

5K sales intensity (seed 002) is inferred from the state and scored by
app.coaching.intensity.score_intensity; the side is "decision_maker" when the persona's purchase
role is org.role.decision_maker, else "contact". Mapping (highest level that holds):

    problem  l1 P asked, nothing admitted; l3 a problem fact; l4 two problem facts; l5 an implication
    power    l1 talking to the decision maker or a situation fact known; l2 all situation facts;
             l3 a contact agreed to introduce the decision maker; l4 the decision maker agreed to
             continue (won the commitment)
    vision   l1 pitched; l2 a need-payoff stated; l3 a need-payoff stated and a buying signal shown
    value    l1 N asked, nothing stated; l2 an implication; l3 a need-payoff; l4 commitment won to
             verify value (trial, workshop, site visit)
    control  l1 the contact admitted problem and pain (problem + implication); l2 the contact agreed
             to an introduction; for a decision maker l3 problem, pain and a need-payoff, l4 commitment
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.coaching.intensity import IntensityResult, score_intensity
from app.coaching.spin import QUESTION_LABELS
from app.roleplay.scenarios import CATEGORIES, DIFFICULTIES, Scenario, load_scenarios
from app.roleplay.state import SessionState

WEIGHTS: dict[str, int] = {
    "discovery": 30,
    "spin_progression": 10,
    "implication_depth": 15,
    "pitch_discipline": 10,
    "listening": 10,
    "objections": 5,
    "commitment": 20,
}
assert sum(WEIGHTS.values()) == 100

PREMATURE_PITCH_PENALTY = 5
TALK_RATIO_FULL = 0.40
TALK_RATIO_ZERO = 0.70
COMMITMENT_ASKED_POINTS = 5
SPIN_STAGES = QUESTION_LABELS  # the order a discovery should follow
VERIFY_KINDS = {"trial", "workshop", "site_visit"}

# The skill each scorecard component trains, as playbook element ids (used for the next scenario).
SKILL_ELEMENT: dict[str, str] = {
    "discovery": "spin.problem",
    "spin_progression": "spin.situation",
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


class Feedback(BaseModel):
    """A strength or an improvement, citing the playbook elements it is about."""

    text_zh: str
    text_en: str
    element_ids: list[str] = Field(min_length=1)


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
    relation_stage: str
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


def infer_intensity_levels(scenario: Scenario, state: SessionState) -> tuple[dict[str, str], dict[str, str]]:
    """5K levels and sides reached in this call (see the module docstring for the mapping)."""
    is_decision_maker = scenario.persona.purchase_role == "org.role.decision_maker"
    side = "decision_maker" if is_decision_maker else "contact"
    count = {category: len(state.revealed_in(category)) for category in CATEGORIES}
    sequence = state.spin_sequence
    kind = scenario.success.commitment.kind
    won = state.commitment_won

    problem = 0
    if "P" in sequence:
        problem = 1
    if count["problem"] >= 1:
        problem = 3
    if count["problem"] >= 2:
        problem = 4
    if count["problem"] >= 1 and count["implication"] >= 1:
        problem = 5

    power = 0
    if is_decision_maker or count["situation"] >= 1:
        power = 1
    if count["situation"] == len(scenario.facts.situation):
        power = 2
    if won and not is_decision_maker and kind == "introduction":
        power = 3
    if won and is_decision_maker:
        power = 4

    vision = 0
    if state.pitches > 0:
        vision = 1
    if count["need_payoff"] >= 1:
        vision = 2
        if state.signals_shown:
            vision = 3

    value = 0
    if "N" in sequence:
        value = 1
    if count["implication"] >= 1:
        value = 2
    if count["need_payoff"] >= 1:
        value = 3
    if won and kind in VERIFY_KINDS:
        value = 4

    control = 0
    admitted_pain = count["problem"] >= 1 and count["implication"] >= 1
    if admitted_pain:
        control = 1
    if won and not is_decision_maker and kind == "introduction":
        control = 2
    if is_decision_maker and admitted_pain and count["need_payoff"] >= 1:
        control = 3
        if won:
            control = 4

    levels = {
        "problem": f"fivek.problem.l{problem}",
        "power": f"fivek.power.l{power}",
        "vision": f"fivek.vision.l{vision}",
        "value": f"fivek.value.l{value}",
        "control": f"fivek.control.l{control}",
    }
    sides = {"problem": side, "vision": side, "value": side}
    return levels, sides


def _listening_ratio(talk_ratio: float) -> float:
    if talk_ratio <= TALK_RATIO_FULL:
        return 1.0
    if talk_ratio >= TALK_RATIO_ZERO:
        return 0.0
    return (TALK_RATIO_ZERO - talk_ratio) / (TALK_RATIO_ZERO - TALK_RATIO_FULL)


def _components(scenario: Scenario, state: SessionState, order_quality: float) -> dict[str, ScoreComponent]:
    facts_total = len(scenario.all_facts())
    implications_total = len(scenario.facts.implication)
    raised = len(state.objections_raised)
    handled = len({event.id for event in state.objections_handled})
    if state.commitment_won:
        commitment = 1.0
    elif state.commitment_asks and state.need_established():
        commitment = COMMITMENT_ASKED_POINTS / WEIGHTS["commitment"]
    else:
        commitment = 0.0
    ratios = {
        "discovery": len(state.revealed_ids()) / facts_total,
        "spin_progression": order_quality * len(set(state.spin_sequence) & set(SPIN_STAGES)) / len(SPIN_STAGES),
        "implication_depth": len(state.revealed_in("implication")) / implications_total,
        "pitch_discipline": max(0.0, 1 - PREMATURE_PITCH_PENALTY * state.premature_pitches / WEIGHTS["pitch_discipline"]),
        "listening": _listening_ratio(state.talk_ratio()) if state.turn else 0.0,
        "objections": handled / raised if raised else 1.0,
        "commitment": commitment,
    }
    # A call where the rep said nothing earns nothing for "not doing wrong".
    if state.turn == 0:
        ratios = {name: 0.0 for name in ratios}
    return {
        name: ScoreComponent(points=round(WEIGHTS[name] * ratio, 2), max_points=WEIGHTS[name], ratio=round(ratio, 4))
        for name, ratio in ratios.items()
    }


def _feedback(
    scenario: Scenario, state: SessionState, components: dict[str, ScoreComponent]
) -> tuple[list[Feedback], list[Feedback]]:
    style = scenario.persona.communication_style
    strengths: list[Feedback] = []
    improvements: list[Feedback] = []
    ratio = {name: component.ratio for name, component in components.items()}
    question_turns = [record for record in state.history if record.spin_label in SPIN_STAGES]
    style_fit_share = (
        sum(record.style_fit for record in question_turns) / len(question_turns) if question_turns else 0.0
    )

    if ratio["discovery"] >= 0.8:
        strengths.append(Feedback(
            text_zh="情境和难点问得充分，挖出了客户的大部分隐藏信息。",
            text_en="Thorough situation and problem questions uncovered most of the buyer's hidden facts.",
            element_ids=["spin.situation", "spin.problem", "dragon.step.uncover_needs"]))
    elif ratio["discovery"] < 0.5:
        improvements.append(Feedback(
            text_zh="了解到的客户信息不到一半：先围绕现状多问情境问题，再追问难点和不满。",
            text_en="Less than half of the buyer's facts came out: ask more situation questions, then probe problems.",
            element_ids=["spin.situation", "spin.problem", "dragon.step.customer_analysis"]))

    if ratio["spin_progression"] >= 0.8:
        strengths.append(Feedback(
            text_zh="提问顺序自然：先情境、再难点、再暗示、最后解决性问题。",
            text_en="Good SPIN progression: situation, then problem, implication and need-payoff.",
            element_ids=["spin.situation", "spin.problem", "spin.implication", "spin.need_payoff"]))
    else:
        improvements.append(Feedback(
            text_zh="提问跳步了：难点问题之前先问清现状，暗示问题之前先确认难点。",
            text_en="Questions skipped stages: establish the situation before problems, problems before implications.",
            element_ids=["spin.situation", "spin.problem", "spin.implication"]))

    if ratio["implication_depth"] >= 0.67:
        strengths.append(Feedback(
            text_zh="暗示性问题用得好，让客户自己说出了问题的后果和代价。",
            text_en="Implication questions made the buyer state the consequences and cost himself.",
            element_ids=["spin.implication", "dragon.step.uncover_needs"]))
    else:
        improvements.append(Feedback(
            text_zh="问题的后果挖得不够：多问“这会带来什么影响、损失有多大”。",
            text_en="Dig deeper into consequences: ask what each problem leads to and what it costs.",
            element_ids=["spin.implication", "dragon.step.uncover_needs"]))

    if state.revealed_in("need_payoff"):
        strengths.append(Feedback(
            text_zh="客户亲口说出了解决问题的价值，需求已经明确。",
            text_en="The buyer voiced the value of a solution himself: the need is explicit.",
            element_ids=["spin.need_payoff", "dragon.step.present_value"]))
    else:
        improvements.append(Feedback(
            text_zh="还没让客户说出解决后的价值：用解决性问题请他描述“如果解决了会怎样”。",
            text_en="Ask need-payoff questions so the buyer describes what solving it would be worth.",
            element_ids=["spin.need_payoff", "dragon.step.present_value"]))

    if state.premature_pitches:
        improvements.append(Feedback(
            text_zh=f"在需求明确之前推介了 {state.premature_pitches} 次产品，引起了客户反感。",
            text_en=f"Pitched {state.premature_pitches} time(s) before the need was explicit, which put the buyer off.",
            element_ids=["dragon.step.present_value", "spin.need_payoff"]))
    elif state.pitches:
        strengths.append(Feedback(
            text_zh="等需求明确后才呈现价值，时机把握得好。",
            text_en="Presented value only after the need was explicit.",
            element_ids=["dragon.step.present_value"]))

    if state.turn and ratio["listening"] >= 1.0:
        strengths.append(Feedback(
            text_zh="说得少、听得多，给了客户充分表达的空间。",
            text_en="Listened more than talked, giving the buyer room to speak.",
            element_ids=[style, "dragon.step.build_trust"]))
    elif state.turn and ratio["listening"] < 0.5:
        improvements.append(Feedback(
            text_zh=f"销售说话占比 {state.talk_ratio():.0%}，太高了：少讲多问，多听客户说。",
            text_en=f"The rep spoke {state.talk_ratio():.0%} of the words: talk less, ask and listen more.",
            element_ids=[style, "dragon.step.build_trust"]))

    if question_turns and style_fit_share >= 0.3:
        strengths.append(Feedback(
            text_zh="说话方式贴合客户的沟通风格。",
            text_en="Adapted the wording to the buyer's communication style.",
            element_ids=[style, "dragon.step.build_trust"]))
    else:
        improvements.append(Feedback(
            text_zh="按客户的沟通风格调整说法（例如分析型要数据和细节，进取型要结果，表现型要愿景，亲切型要关系和安全感）。",
            text_en="Adapt to the buyer's style (analytical: data; driver: results; expressive: vision; amiable: relationship).",
            element_ids=[style, "dragon.step.build_trust"]))

    open_objections = state.open_objections()
    if state.objections_raised and not open_objections:
        strengths.append(Feedback(
            text_zh="客户提出的顾虑都得到了回应。",
            text_en="Every objection the buyer raised was addressed.",
            element_ids=["dragon.step.present_value"]))
    elif open_objections:
        improvements.append(Feedback(
            text_zh=f"还有 {len(open_objections)} 个顾虑没有化解：先用问题弄清顾虑背后的原因，再回应。",
            text_en=f"{len(open_objections)} objection(s) left open: ask about the concern before answering it.",
            element_ids=["dragon.step.present_value", "spin.problem"]))

    if state.commitment_won:
        strengths.append(Feedback(
            text_zh=f"赢得了下一步承诺：{scenario.success.commitment.description}",
            text_en="Won the next-step commitment.",
            element_ids=["dragon.step.win_commitment"]))
    elif state.commitment_asks:
        improvements.append(Feedback(
            text_zh="提出了下一步请求但没有成功：先让客户说出价值、化解顾虑，再提请求。",
            text_en="Asked for a next step without success: get the value stated and objections handled first.",
            element_ids=["dragon.step.win_commitment", "spin.need_payoff"]))
    else:
        improvements.append(Feedback(
            text_zh=f"没有提出下一步请求。这次可以争取的是：{scenario.success.commitment.description}",
            text_en="Never asked for a next step.",
            element_ids=["dragon.step.win_commitment"]))
    return strengths, improvements


def _weakest_skill(components: dict[str, ScoreComponent]) -> str:
    # Ties go to the component listed first in WEIGHTS (discovery before the rest).
    return min(WEIGHTS, key=lambda name: (components[name].ratio, list(WEIGHTS).index(name)))


def suggest_next_scenario(
    scenario: Scenario, total: int, weakest_skill: str, scenarios: dict[str, Scenario] | None = None
) -> str | None:
    """Another scenario that trains the weakest skill, one level harder after a strong call, easier after a weak one."""
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
            other.id,
        ),
    )
    return best.id


def build_scorecard(
    scenario: Scenario, state: SessionState, scenarios: dict[str, Scenario] | None = None
) -> Scorecard:
    """Score one call from its session state (pure: same inputs, same scorecard)."""
    if state.scenario_id != scenario.id:
        raise ValueError(f"state is for scenario {state.scenario_id!r}, not {scenario.id!r}")
    order_quality = spin_order_quality(state.spin_sequence)
    components = _components(scenario, state, order_quality)
    total = round(sum(component.points for component in components.values()))
    levels, sides = infer_intensity_levels(scenario, state)
    intensity = score_intensity(levels, sides)
    strengths, improvements = _feedback(scenario, state, components)
    weakest = _weakest_skill(components)
    facts = {
        category: FactCoverage(revealed=len(state.revealed_in(category)), available=len(getattr(scenario.facts, category)))
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
        suggested_next_scenario=suggest_next_scenario(scenario, total, weakest, scenarios),
    )
