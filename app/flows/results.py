"""Result models of the five flows (the coaching note content) computed deterministically from answers.

`compute_result(flow_id, answers, groups)` turns a finished run into a pydantic model; every
result lists the playbook elements it relies on in `citations`. Rules are simple and
documented next to the code, so a coach can explain every line of a note.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.flows.definitions import Probe, StepDef, get_flow
from app.playbook.models import FIVEK_DIMENSIONS as FIVEK_KEYS

Lang = Literal["zh", "en"]


# ---------------------------------------------------------------------------
# Shared pieces


class Citation(BaseModel):
    """A playbook element a note relies on."""

    id: str
    name_zh: str
    name_en: str
    source: str


class Labeled(BaseModel):
    """A playbook element (or inline option) chosen in an answer."""

    id: str
    name_zh: str
    name_en: str


class Message(BaseModel):
    """A generated sentence in both languages, with the playbook ids behind it.

    `code` names the rule that produced it (e.g. "skipped_step"), so clients and tests need not parse text.
    """

    code: str = ""
    zh: str
    en: str
    cites: list[str] = Field(default_factory=list)


class FlowResult(BaseModel):
    flow_id: str
    account: str
    citations: list[Citation] = Field(default_factory=list)


class _Cites:
    """Collects cited ids in first-use order and turns them into Citations."""

    def __init__(self, playbook: Any) -> None:
        self.playbook = playbook
        self.ids: list[str] = []

    def add(self, *element_ids: str) -> list[str]:
        for element_id in element_ids:
            self.playbook.element(element_id)  # an unknown id is a bug in this module: fail loudly
            if element_id not in self.ids:
                self.ids.append(element_id)
        return list(element_ids)

    def citations(self) -> list[Citation]:
        return [
            Citation(id=e.id, name_zh=e.name_zh, name_en=e.name_en, source=e.source)
            for e in (self.playbook.element(element_id) for element_id in self.ids)
        ]


def _labeled(playbook: Any, element_id: str) -> Labeled:
    element = playbook.element(element_id)
    return Labeled(id=element_id, name_zh=element.name_zh, name_en=element.name_en)


def _inline_label(step: StepDef, option_id: str | None) -> Labeled | None:
    for option in step.options or []:
        if option.id == option_id:
            return Labeled(id=option.id, name_zh=option.label_zh, name_en=option.label_en)
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _items(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str) and item.strip()] if isinstance(value, list) else []


def _probe_of(flow_id: str, step_key: str) -> Probe | None:
    return get_flow(flow_id).step_index()[step_key].probe


# ---------------------------------------------------------------------------
# spin_call_plan


SPIN_TYPES = ("spin.situation", "spin.problem", "spin.implication", "spin.need_payoff")
_SPIN_LETTER = {"spin.situation": "S", "spin.problem": "P", "spin.implication": "I", "spin.need_payoff": "N"}
MAX_SITUATION_QUESTIONS = 5  # more than this feels like an interrogation to the buyer
EXAMPLES_PER_TYPE = 3


class QuestionGroup(BaseModel):
    """One of the four lists of the plan."""

    spin_type: str
    name_zh: str
    name_en: str
    basis: list[str] = Field(default_factory=list, description="what the rep knows or suspects")
    own_questions: list[str] = Field(default_factory=list)
    suggested_questions: list[str] = Field(default_factory=list)


class SpinCallPlanResult(FlowResult):
    flow_id: Literal["spin_call_plan"] = "spin_call_plan"
    industry: Labeled
    first_meeting: bool
    last_commitment: str | None = None
    groups: list[QuestionGroup]
    commitment: Labeled
    commitment_detail: str | None = None
    warnings: list[Message] = Field(default_factory=list)


def _suggest_from_answers(spin_type: str, answers: dict[str, Any]) -> list[str]:
    """Questions built from the rep's own problems, consequences and pay-offs (our templates)."""
    problems = _items(answers.get("suspected_problems"))[:3]
    if spin_type == "spin.problem":
        return [f"关于“{p}”，现在最让您头疼的是哪个环节？" for p in problems]
    if spin_type == "spin.implication":
        from_problems = [f"“{p}”如果一直持续，会对成本、交期或客户满意度带来什么影响？" for p in problems]
        from_consequences = [f"这会不会造成{c}？影响大概有多大？" for c in _items(answers.get("implications"))[:3]]
        return from_problems + from_consequences
    if spin_type == "spin.need_payoff":
        return [f"如果能做到“{n}”，对您和团队意味着什么？" for n in _items(answers.get("need_payoffs"))[:3]]
    return []


def _spin_examples(playbook: Any, spin_type: str, industry: str) -> list[str]:
    examples = getattr(playbook.element(spin_type), "examples", {}) or {}
    chosen = examples.get(industry) or examples.get("general")
    return list(chosen.zh[:EXAMPLES_PER_TYPE]) if chosen is not None else []


def _check_own_question_types(groups: list[QuestionGroup]) -> list[Message]:
    """Flag the rep's questions that read like another SPIN type (offline classifier)."""
    from app.coaching.spin import classify_spin

    names = {
        "S": ("情景", "situation"),
        "P": ("难点", "problem"),
        "I": ("暗示", "implication"),
        "N": ("需求-效益", "need-payoff"),
    }
    warnings = []
    for group in groups:
        intended = _SPIN_LETTER[group.spin_type]
        for question in group.own_questions:
            found = classify_spin(question)
            if found.label in names and found.label != intended and found.confidence >= 0.5:
                warnings.append(
                    Message(
                        code="spin_type_mismatch",
                        zh=f"“{question}”放在{names[intended][0]}问题里，但听起来更像{names[found.label][0]}问题。",
                        en=f"'{question}' is listed as a {names[intended][1]} question but reads like a {names[found.label][1]} question.",
                        cites=[group.spin_type],
                    )
                )
    return warnings


def _spin_call_plan(answers: dict[str, Any], playbook: Any) -> SpinCallPlanResult:
    flow = get_flow("spin_call_plan")
    steps = flow.step_index()
    cites = _Cites(playbook)
    industry = str(answers.get("industry") or "general")
    basis = {
        "spin.situation": [_text(answers.get("situation_known"))] if _text(answers.get("situation_known")) else [],
        "spin.problem": _items(answers.get("suspected_problems")),
        "spin.implication": _items(answers.get("implications")),
        "spin.need_payoff": _items(answers.get("need_payoffs")),
    }
    own_keys = {
        "spin.situation": "situation_questions",
        "spin.problem": "problem_questions",
        "spin.implication": "implication_questions",
        "spin.need_payoff": "need_payoff_questions",
    }
    groups = []
    for spin_type in SPIN_TYPES:
        cites.add(spin_type)
        element = playbook.element(spin_type)
        own = _items(answers.get(own_keys[spin_type]))
        suggested = _suggest_from_answers(spin_type, answers) + _spin_examples(playbook, spin_type, industry)
        suggested = [q for q in dict.fromkeys(suggested) if q not in own]
        groups.append(
            QuestionGroup(
                spin_type=spin_type,
                name_zh=element.name_zh,
                name_en=element.name_en,
                basis=basis[spin_type],
                own_questions=own,
                suggested_questions=suggested,
            )
        )

    warnings: list[Message] = []
    if len(groups[0].own_questions) > MAX_SITUATION_QUESTIONS:
        warnings.append(
            Message(
                code="too_many_situation_questions",
                zh=f"情景问题有 {len(groups[0].own_questions)} 个，太多会让客户觉得被盘问；能事先查到的就别在现场问。",
                en=f"{len(groups[0].own_questions)} situation questions are too many; research what you can beforehand.",
                cites=cites.add("spin.situation"),
            )
        )
    if not groups[2].own_questions:
        warnings.append(
            Message(
                code="no_implication_questions",
                zh="还没有自己的暗示问题：暗示问题让客户感到问题的分量，是把难点变成需求的关键。",
                en="No implication questions of your own yet: they make the problem feel big enough to act on.",
                cites=cites.add("spin.implication"),
            )
        )
    warnings += _check_own_question_types(groups)

    commitment_id = str(answers.get("commitment") or "")
    commitment = _inline_label(steps["commitment"], commitment_id)
    industry_label = _inline_label(steps["industry"], industry)
    assert commitment is not None and industry_label is not None
    return SpinCallPlanResult(
        account=_text(answers.get("account")),
        industry=industry_label,
        first_meeting=answers.get("first_meeting") == "yes",
        last_commitment=_text(answers.get("last_commitment")) or None,
        groups=groups,
        commitment=commitment,
        commitment_detail=_text(answers.get("commitment_other")) or None,
        warnings=warnings,
        citations=cites.citations(),
    )


# ---------------------------------------------------------------------------
# dragon_diagnosis


DRAGON_STEPS = (
    "dragon.step.customer_analysis",
    "dragon.step.build_trust",
    "dragon.step.uncover_needs",
    "dragon.step.present_value",
    "dragon.step.win_commitment",
    "dragon.step.follow_up",
)
RELATIONS = (
    "dragon.relation.acquainted",
    "dragon.relation.dating",
    "dragon.relation.trust",
    "dragon.relation.alliance",
)
OPPORTUNITY_QUESTIONS = (
    "dragon.opportunity.is_real",
    "dragon.opportunity.can_solve",
    "dragon.opportunity.can_win",
    "dragon.opportunity.worth_it",
)
_OPPORTUNITY_STEP = dict(zip(OPPORTUNITY_QUESTIONS, ("is_real", "can_solve", "can_win", "worth_it")))
_ANSWER_NAMES = {
    "yes": ("是", "yes"),
    "partly": ("部分成立/待确认", "partly"),
    "no": ("否", "no"),
    "unknown": ("不清楚", "unknown"),
}


class KeyPerson(BaseModel):
    name: str
    role: Labeled
    relation: Labeled
    relation_evidence: str
    next_relation: Labeled | None = None
    next_activities_zh: list[str] = Field(default_factory=list)


class OpportunityAnswer(BaseModel):
    question: Labeled
    answer: Literal["yes", "partly", "no", "unknown"]
    evidence: str | None = None
    evidence_thin: bool = False
    plan: str | None = None


class DragonDiagnosisResult(FlowResult):
    flow_id: Literal["dragon_diagnosis"] = "dragon_diagnosis"
    current_step: Labeled
    current_step_order: int
    all_steps_done: bool
    start_marker_zh: str
    end_marker_zh: str
    markers_reached: list[str]
    people: list[KeyPerson]
    opportunity: list[OpportunityAnswer]
    gaps: list[Message]
    next_actions: list[Message]


def _next_relation(playbook: Any, relation_id: str) -> tuple[Labeled | None, list[str]]:
    index = RELATIONS.index(relation_id)
    if index + 1 >= len(RELATIONS):
        return None, []
    following = playbook.element(RELATIONS[index + 1])
    activities = [activity.zh for activity in getattr(following, "activities", [])]
    return _labeled(playbook, following.id), activities


def _opportunity_answers(
    flow_id: str, answers: dict[str, Any], playbook: Any, step_prefix: str
) -> list[OpportunityAnswer]:
    """The four opportunity questions as answered in a flow (`step_prefix` is "opp_" or "")."""
    rows = []
    for question_id in OPPORTUNITY_QUESTIONS:
        key = step_prefix + _OPPORTUNITY_STEP[question_id]
        evidence = _text(answers.get(f"{key}_evidence")) or None
        probe = _probe_of(flow_id, f"{key}_evidence")
        rows.append(
            OpportunityAnswer(
                question=_labeled(playbook, question_id),
                answer=answers.get(key) or "unknown",
                evidence=evidence,
                evidence_thin=bool(evidence) and probe is not None and probe.is_thin(evidence),
                plan=_text(answers.get(f"{key}_plan")) or None,
            )
        )
    return rows


def _dragon_diagnosis(
    answers: dict[str, Any], groups: dict[str, list[dict[str, Any]]], playbook: Any
) -> DragonDiagnosisResult:
    cites = _Cites(playbook)
    reached = [step_id for step_id in DRAGON_STEPS if step_id in (answers.get("markers_reached") or [])]
    # The deal sits in the first step whose end marker has not been reached.
    current_index = next((i for i, step_id in enumerate(DRAGON_STEPS) if step_id not in reached), len(DRAGON_STEPS) - 1)
    all_done = len(reached) == len(DRAGON_STEPS)
    current = playbook.element(DRAGON_STEPS[current_index])
    cites.add(current.id)
    gaps: list[Message] = []
    actions: list[Message] = []

    for step_id in DRAGON_STEPS[current_index + 1 :]:
        if step_id in reached and not all_done:
            later = playbook.element(step_id)
            gaps.append(
                Message(
                    code="skipped_step",
                    zh=f"已勾选“{later.name_zh}”的结束标志，但“{current.name_zh}”还没完成：跳过的步骤往往是丢单的伏笔，先补上。",
                    en=f"'{later.name_en}' is ticked while '{current.name_en}' is not done; close the skipped step first.",
                    cites=cites.add(step_id, current.id),
                )
            )

    people = []
    for entry in groups.get("key_people", []):
        relation_id = str(entry.get("relation"))
        next_relation, activities = _next_relation(playbook, relation_id)
        person = KeyPerson(
            name=_text(entry.get("name")),
            role=_labeled(playbook, str(entry.get("role"))),
            relation=_labeled(playbook, relation_id),
            relation_evidence=_text(entry.get("relation_evidence")),
            next_relation=next_relation,
            next_activities_zh=activities,
        )
        people.append(person)
        cites.add(person.role.id, relation_id)
        if next_relation is not None:
            actions.append(
                Message(
                    code="advance_relationship",
                    zh=f"{person.name}（{person.role.name_zh}）：关系从“{person.relation.name_zh}”推进到“{next_relation.name_zh}”，可安排：{'、'.join(activities[:3])}。",
                    en=f"{person.name} ({person.role.name_en}): move from '{person.relation.name_en}' to '{next_relation.name_en}'.",
                    cites=cites.add(next_relation.id),
                )
            )

    decision_makers = [p for p in people if p.role.id == "org.role.decision_maker"]
    if not decision_makers:
        gaps.append(
            Message(
                code="no_decision_maker",
                zh="关键人里没有决策者：还不知道谁拍板，就无法判断机会的真实程度。",
                en="No decision maker among the key people: find out who decides.",
                cites=cites.add("org.role.decision_maker"),
            )
        )
    elif current_index >= DRAGON_STEPS.index("dragon.step.uncover_needs"):
        for person in decision_makers:
            if RELATIONS.index(person.relation.id) <= RELATIONS.index("dragon.relation.dating"):
                gaps.append(
                    Message(
                        code="decision_maker_relation_low",
                        zh=f"项目已到“{current.name_zh}”，但与决策者{person.name}的关系还停在“{person.relation.name_zh}”。",
                        en=f"The deal is at '{current.name_en}' but the relationship with decision maker {person.name} is only '{person.relation.name_en}'.",
                        cites=cites.add("org.role.decision_maker", person.relation.id),
                    )
                )
    if people and not any(p.relation.id == "dragon.relation.alliance" for p in people):
        gaps.append(
            Message(
                code="no_alliance",
                zh="没有处在“同盟”阶段的关键人：缺少能引荐、通风报信、在决策时站出来的人。",
                en="Nobody is at the alliance stage: no one introduces you, shares inside news or backs you at decision time.",
                cites=cites.add("dragon.relation.alliance"),
            )
        )

    opportunity = _opportunity_answers("dragon_diagnosis", answers, playbook, "opp_")
    for row in opportunity:
        cites.add(row.question.id)
        if row.answer == "yes" and not row.evidence_thin:
            continue
        zh_answer, en_answer = _ANSWER_NAMES[row.answer]
        reason_zh = "证据不足" if row.answer == "yes" else zh_answer
        reason_en = "thin evidence" if row.answer == "yes" else en_answer
        gaps.append(
            Message(
                code="opportunity_open",
                zh=f"机会问题“{row.question.name_zh}”：{reason_zh}。",
                en=f"Opportunity question '{row.question.name_en}': {reason_en}.",
                cites=[row.question.id],
            )
        )
        checks = getattr(playbook.element(row.question.id), "checks_zh", [])
        if checks:
            actions.append(
                Message(
                    code="verify_opportunity",
                    zh=f"核实“{row.question.name_zh}”：{'；'.join(checks)}。",
                    en=f"Verify '{row.question.name_en}' with the checks listed in the playbook.",
                    cites=[row.question.id],
                )
            )
    is_real = opportunity[0]
    if current_index > 0 and is_real.answer in ("no", "unknown"):
        gaps.insert(
            0,
            Message(
                code="opportunity_unconfirmed",
                zh="销售机会还没确认就已往后推进：没有明确机会时应停在“客户分析”，先维护向导、继续收集信息。",
                en="The deal moved on before the opportunity was confirmed; without one, stay in customer analysis.",
                cites=cites.add("dragon.opportunity.is_real", "dragon.step.customer_analysis"),
            ),
        )

    # The moves of the current step come first: they are what the rep does next.
    step_actions = []
    for move in getattr(current, "moves", []):
        first_action = (getattr(move, "actions_zh", None) or [move.description])[0]
        step_actions.append(
            Message(code="step_move", zh=f"{move.name_zh}：{first_action}", en=move.name_en, cites=cites.add(move.id))
        )
    start_marker = getattr(current, "start_marker", None)
    end_marker = getattr(current, "end_marker", None)
    return DragonDiagnosisResult(
        account=_text(answers.get("account")),
        current_step=_labeled(playbook, current.id),
        current_step_order=current_index + 1,
        all_steps_done=all_done,
        start_marker_zh=start_marker.zh if start_marker else "",
        end_marker_zh=end_marker.zh if end_marker else "",
        markers_reached=reached,
        people=people,
        opportunity=opportunity,
        gaps=gaps,
        next_actions=step_actions + actions,
        citations=cites.citations(),
    )


# ---------------------------------------------------------------------------
# stakeholder_map


FIVEDIM_KEYS = ("maslow", "change", "focus", "closeness", "attitude")
SUPPORTIVE = ("fivedim.attitude.coach", "fivedim.attitude.supporter")
AGAINST = ("fivedim.attitude.non_supporter", "fivedim.attitude.opponent")
LOW_CLOSENESS = ("fivedim.closeness.none", "fivedim.closeness.few")
HIGH_CLOSENESS = ("fivedim.closeness.many", "fivedim.closeness.deep")


class StakeholderRow(BaseModel):
    """One row of the multi-dimension summary table."""

    name: str
    title: str
    role: Labeled
    maslow: Labeled
    change: Labeled
    focus: Labeled
    closeness: Labeled
    attitude: Labeled
    attitude_evidence: str
    backs_competitor: str | None = None
    actions: list[Message] = Field(default_factory=list)


class RiskFlag(BaseModel):
    code: str
    severity: Literal["high", "medium"]
    message: Message
    people: list[str] = Field(default_factory=list)


class StakeholderMapResult(FlowResult):
    flow_id: Literal["stakeholder_map"] = "stakeholder_map"
    rows: list[StakeholderRow]
    risks: list[RiskFlag]


def _person_actions(row: StakeholderRow, playbook: Any, cites: _Cites) -> list[Message]:
    """What to do with one person, read from the playbook entries of their dimensions."""
    actions = []
    role = playbook.element(row.role.id)
    for text in getattr(role, "approach_zh", [])[:2]:
        actions.append(
            Message(
                code="role_action",
                zh=f"作为{role.name_zh}：{text}",
                en=f"As {role.name_en}: {text}",
                cites=cites.add(role.id),
            )
        )
    maslow = playbook.element(row.maslow.id)
    for text in getattr(maslow, "rep_actions_zh", []):  # all of them: the compliance line must never be cut
        actions.append(
            Message(
                code="maslow_action",
                zh=f"{maslow.name_zh}：{text}",
                en=f"{maslow.name_en} need: {text}",
                cites=cites.add(maslow.id),
            )
        )
    change = playbook.element(row.change.id)
    position = getattr(change, "value_position_zh", None)
    if position:
        actions.append(
            Message(
                code="change_action",
                zh=f"{change.name_zh}：{position}",
                en=f"{change.name_en}: {position}",
                cites=cites.add(change.id),
            )
        )
    focus = playbook.element(row.focus.id)
    concerns = getattr(focus, "concerns_zh", [])
    if concerns:
        actions.append(
            Message(
                code="focus_action",
                zh=f"关注{focus.name_zh}：准备好{'、'.join(concerns[:3])}",
                en=f"Focus {focus.name_en}: prepare {'、'.join(concerns[:3])}",
                cites=cites.add(focus.id),
            )
        )
    attitude = playbook.element(row.attitude.id)
    for text in getattr(attitude, "handling_zh", [])[:2]:
        actions.append(
            Message(
                code="attitude_action",
                zh=f"{attitude.name_zh}：{text}",
                en=f"{attitude.name_en}: {text}",
                cites=cites.add(attitude.id),
            )
        )
    if row.closeness.id in LOW_CLOSENESS and row.role.id == "org.role.decision_maker":
        actions.append(
            Message(
                code="meet_decision_maker",
                zh="联系太少：请支持者或指导者引荐，尽快安排与他本人见面。",
                en="Too little contact: get a supporter or coach to introduce you and meet in person soon.",
                cites=cites.add(row.closeness.id),
            )
        )
    return actions


def _stakeholder_risks(rows: list[StakeholderRow], cites: _Cites) -> list[RiskFlag]:
    """Risk rules on the summary table (each names the people involved)."""
    risks: list[RiskFlag] = []

    def flag(
        code: str, severity: Literal["high", "medium"], zh: str, en: str, ids: list[str], people: list[str]
    ) -> None:
        risks.append(
            RiskFlag(
                code=code,
                severity=severity,
                message=Message(code=code, zh=zh, en=en, cites=cites.add(*ids)),
                people=people,
            )
        )

    attitudes = [row.attitude.id for row in rows]
    if "fivedim.attitude.coach" not in attitudes:
        flag(
            "no_coach",
            "high",
            "没有指导者：没人给我方通报内部情况、竞争对手动向和决策进展。",
            "No coach: nobody feeds us inside information, competitor moves or decision progress.",
            ["fivedim.attitude.coach"],
            [],
        )
    decision_makers = [row for row in rows if row.role.id == "org.role.decision_maker"]
    if not decision_makers:
        flag(
            "no_decision_maker",
            "high",
            "名单里没有决策者：先弄清楚谁拍板。",
            "No decision maker on the list: find out who decides.",
            ["org.role.decision_maker"],
            [],
        )
    unreached = [row.name for row in decision_makers if row.closeness.id in LOW_CLOSENESS]
    if unreached:
        flag(
            "decision_maker_unreached",
            "high",
            f"决策者{'、'.join(unreached)}与我方没有联系或联系很少。",
            f"Decision maker {', '.join(unreached)} has little or no contact with us.",
            [
                "org.role.decision_maker",
                *sorted({r.closeness.id for r in decision_makers if r.closeness.id in LOW_CLOSENESS}),
            ],
            unreached,
        )
    against = [row.name for row in decision_makers if row.attitude.id in AGAINST]
    if against:
        flag(
            "decision_maker_against",
            "high",
            f"决策者{'、'.join(against)}倾向竞争对手或反对我方。",
            f"Decision maker {', '.join(against)} leans to a competitor or opposes us.",
            ["org.role.decision_maker", *sorted({r.attitude.id for r in decision_makers if r.attitude.id in AGAINST})],
            against,
        )
    close_rows = [
        row for row in rows if row.attitude.id == "fivedim.attitude.opponent" and row.closeness.id in HIGH_CLOSENESS
    ]
    close_opponents = [row.name for row in close_rows]
    if close_opponents:
        flag(
            "opponent_close_ties",
            "medium",
            f"反对者{'、'.join(close_opponents)}与我方联系很多：他可能把我方的信息转给竞争对手，敏感信息要把关。",
            f"Opponent {', '.join(close_opponents)} is in close contact with us and may pass our information to a competitor.",
            ["fivedim.attitude.opponent", *sorted({row.closeness.id for row in close_rows})],
            close_opponents,
        )
    if rows and all(attitude == "fivedim.attitude.neutral" for attitude in attitudes):
        flag(
            "all_neutral",
            "high",
            "所有人都是中立者：还没有任何人站在我方一边。",
            "Everyone is neutral: nobody is on our side yet.",
            ["fivedim.attitude.neutral"],
            [row.name for row in rows],
        )
    elif rows and not any(attitude in SUPPORTIVE for attitude in attitudes):
        flag(
            "no_support",
            "high",
            "没有任何指导者或支持者。",
            "No coach and no supporter at all.",
            ["fivedim.attitude.supporter"],
            [],
        )
    suspicious = [
        row.name for row in rows if row.attitude.id in SUPPORTIVE and row.closeness.id == "fivedim.closeness.none"
    ]
    if suspicious:
        flag(
            "support_without_contact",
            "medium",
            f"{'、'.join(suspicious)}被判为支持我方，却与我方没有联系：五个维度互相矛盾时，先核实背后是否另有其人。",
            f"{', '.join(suspicious)} is rated supportive but has no contact with us; re-check the rating.",
            ["fivedim.closeness.none", "fivedim.attitude.supporter"],
            suspicious,
        )
    if len(rows) == 1:
        flag(
            "single_contact",
            "medium",
            "只分析了一个人：大项目参与决策的人多，要把每个角色都列出来。",
            "Only one person mapped: big deals have many decision participants; list every role.",
            ["fivedim.model"],
            [rows[0].name],
        )
    return risks


def _stakeholder_map(
    answers: dict[str, Any], groups: dict[str, list[dict[str, Any]]], playbook: Any
) -> StakeholderMapResult:
    cites = _Cites(playbook)
    cites.add("fivedim.model")
    rows = []
    for entry in groups.get("stakeholders", []):
        row = StakeholderRow(
            name=_text(entry.get("name")),
            title=_text(entry.get("title")),
            role=_labeled(playbook, str(entry.get("role"))),
            attitude_evidence=_text(entry.get("attitude_evidence")),
            backs_competitor=_text(entry.get("backs_competitor")) or None,
            **{key: _labeled(playbook, str(entry.get(key))) for key in FIVEDIM_KEYS},
        )
        row.actions = _person_actions(row, playbook, cites)
        rows.append(row)
    risks = _stakeholder_risks(rows, cites)
    return StakeholderMapResult(
        account=_text(answers.get("account")), rows=rows, risks=risks, citations=cites.citations()
    )


# ---------------------------------------------------------------------------
# fivek_intensity


class FivekScore(BaseModel):
    dimension: Labeled
    level: Labeled
    side: Literal["contact", "decision_maker"]
    two_column: bool = Field(description="False for the single-ladder tables (power, control), which have no side")
    points: int


class FivekIntensityResult(FlowResult):
    flow_id: Literal["fivek_intensity"] = "fivek_intensity"
    scores: list[FivekScore]
    total: int
    milestone: Labeled | None
    probability: int
    amount: float | None = None
    weighted_forecast: float | None = None
    next_milestone: Labeled | None = None
    unmet_criteria_zh: list[str] = Field(default_factory=list)
    unmet_criteria_en: list[str] = Field(default_factory=list)
    advice: list[Message] = Field(default_factory=list)


def _fivek_intensity(answers: dict[str, Any], playbook: Any) -> FivekIntensityResult:
    """Scores come from app.coaching.intensity (the 002 tables); the flow only gathers the levels."""
    from app.coaching.intensity import score_intensity, weighted_forecast

    cites = _Cites(playbook)
    levels = {key: str(answers[f"{key}_level"]) for key in FIVEK_KEYS if answers.get(f"{key}_level")}
    # Sides are asked only once the decision maker is within reach; unasked means the contact.
    sides = {key: str(answers[f"{key}_side"]) for key in ("problem", "vision", "value") if answers.get(f"{key}_side")}
    scored = score_intensity(levels, sides, playbook=playbook)

    scores = []
    for entry in scored.dimensions:
        scores.append(
            FivekScore(
                dimension=_labeled(playbook, f"fivek.{entry.dimension}"),
                level=_labeled(playbook, entry.level_id),
                side=entry.side,
                two_column=playbook.fivek.dimension(entry.dimension).ladder == "two_column",
                points=entry.points,
            )
        )
        cites.add(f"fivek.{entry.dimension}", entry.level_id)

    milestone = _labeled(playbook, scored.milestone_id) if scored.milestone_id else None
    next_milestone = _labeled(playbook, scored.next_milestone_id) if scored.next_milestone_id else None
    cites.add(*[m.id for m in (milestone, next_milestone) if m is not None])
    amount = answers.get("amount")
    forecast = None
    if isinstance(amount, (int, float)):
        forecast = (
            weighted_forecast(float(amount), scored.milestone_id, playbook=playbook) if scored.milestone_id else 0.0
        )

    unmet_zh = [c.zh for c in scored.unmet_criteria] + [f"{c.zh}（需人工确认）" for c in scored.manual_checks]
    unmet_en = [c.en for c in scored.unmet_criteria] + [f"{c.en} (confirm by hand)" for c in scored.manual_checks]

    # Advice: the 5K levels the next milestone still needs, lowest gap first.
    advice: list[Message] = []
    reached_order = {entry.dimension: int(entry.level_id.rsplit(".l", 1)[1]) for entry in scored.dimensions}
    reached_side = {entry.dimension: entry.side for entry in scored.dimensions}
    for criterion in scored.unmet_criteria:
        for requirement in criterion.requires:
            level_id, _, side = requirement.partition("@")
            dimension = level_id.split(".")[1]
            needed_order = int(level_id.rsplit(".l", 1)[1])
            side_missing = side == "decision_maker" and reached_side[dimension] != "decision_maker"
            if reached_order[dimension] >= needed_order and not side_missing:
                continue
            level = playbook.element(level_id)
            who_zh = "（和决策者）" if side == "decision_maker" else ""
            who_en = " (with the decision maker)" if side == "decision_maker" else ""
            advice.append(
                Message(
                    code="reach_level",
                    zh=f"{criterion.zh}：{playbook.element(f'fivek.{dimension}').name_zh}要达到“{level.name_zh}”{who_zh}。",
                    en=f"{criterion.en}: reach '{level.name_en}' on {playbook.element(f'fivek.{dimension}').name_en}{who_en}.",
                    cites=cites.add(level_id),
                )
            )
    weakest = min(scores, key=lambda score: score.points)
    advice.append(
        Message(
            code="weakest_dimension",
            zh=f"得分最低的是{weakest.dimension.name_zh}（{weakest.points} 分），优先补强。",
            en=f"Weakest dimension: {weakest.dimension.name_en} ({weakest.points} points); work on it first.",
            cites=[weakest.dimension.id],
        )
    )
    return FivekIntensityResult(
        account=_text(answers.get("account")),
        scores=scores,
        total=scored.total,
        milestone=milestone,
        probability=scored.probability,
        amount=float(amount) if isinstance(amount, (int, float)) else None,
        weighted_forecast=forecast,
        next_milestone=next_milestone,
        unmet_criteria_zh=unmet_zh,
        unmet_criteria_en=unmet_en,
        advice=list({m.zh: m for m in advice}.values()),  # one line per distinct advice
        citations=cites.citations(),
    )


# ---------------------------------------------------------------------------
# opportunity_check


Verdict = Literal["go", "go_with_conditions", "no_go"]
VERDICT_NAMES: dict[str, tuple[str, str]] = {
    "go": ("推进", "Go"),
    "go_with_conditions": ("有条件推进", "Go with conditions"),
    "no_go": ("暂不推进", "No-go"),
}


class OpportunityCheckResult(FlowResult):
    flow_id: Literal["opportunity_check"] = "opportunity_check"
    questions: list[OpportunityAnswer]
    verdict: Verdict
    reasons: list[Message]
    conditions: list[Message] = Field(default_factory=list)


def _opportunity_check(answers: dict[str, Any], playbook: Any) -> OpportunityCheckResult:
    """Any "no", or not knowing whether the opportunity is real, is a no-go; all four "yes" with
    concrete evidence is a go; anything else is a go with the open points as conditions."""
    cites = _Cites(playbook)
    rows = _opportunity_answers("opportunity_check", answers, playbook, "")
    blockers: list[Message] = []
    supports: list[Message] = []
    conditions: list[Message] = []
    for row in rows:
        cites.add(row.question.id)
        name_zh, name_en = row.question.name_zh, row.question.name_en
        evidence_zh = f"（依据：{row.evidence}）" if row.evidence else ""
        if row.answer == "no":
            blockers.append(
                Message(
                    code="answered_no",
                    zh=f"“{name_zh}”的答案是否定的{evidence_zh}。",
                    en=f"'{name_en}' is answered no.",
                    cites=[row.question.id],
                )
            )
        elif row.answer == "unknown" and row.question.id == "dragon.opportunity.is_real":
            blockers.append(
                Message(
                    code="is_real_unknown",
                    zh="还不知道机会是否真实存在：先留在客户分析阶段，继续收集信息、维护向导。",
                    en="It is unknown whether the opportunity is real: stay in customer analysis and keep gathering information.",
                    cites=cites.add(row.question.id, "dragon.step.customer_analysis"),
                )
            )
        elif row.answer in ("partly", "unknown") or row.evidence_thin:
            checks = getattr(playbook.element(row.question.id), "checks_zh", [])
            state_zh = "有判断但证据不足" if row.answer == "yes" else _ANSWER_NAMES[row.answer][0]
            state_en = "claimed without solid evidence" if row.answer == "yes" else row.answer
            plan_zh = f"；计划：{row.plan}" if row.plan else ""
            conditions.append(
                Message(
                    code="needs_verification",
                    zh=f"“{name_zh}”{state_zh}，需要核实：{'；'.join(checks) or '补充证据'}{plan_zh}。",
                    en=f"'{name_en}' is {state_en}; verify it before investing more.",
                    cites=[row.question.id],
                )
            )
        else:
            supports.append(
                Message(
                    code="confirmed",
                    zh=f"“{name_zh}”：是{evidence_zh}。",
                    en=f"'{name_en}': yes.",
                    cites=[row.question.id],
                )
            )
    verdict: Verdict = "no_go" if blockers else ("go_with_conditions" if conditions else "go")
    reasons = blockers or supports
    return OpportunityCheckResult(
        account=_text(answers.get("account")),
        questions=rows,
        verdict=verdict,
        reasons=reasons,
        conditions=conditions,
        citations=cites.citations(),
    )


# ---------------------------------------------------------------------------
# Dispatch


RESULT_MODELS: dict[str, type[FlowResult]] = {
    "spin_call_plan": SpinCallPlanResult,
    "dragon_diagnosis": DragonDiagnosisResult,
    "stakeholder_map": StakeholderMapResult,
    "fivek_intensity": FivekIntensityResult,
    "opportunity_check": OpportunityCheckResult,
}


def result_json_schema(flow_id: str) -> dict[str, Any]:
    """JSON schema of a flow's result (the structured coaching note)."""
    return RESULT_MODELS[flow_id].model_json_schema()


def compute_result(
    flow_id: str,
    answers: dict[str, Any],
    groups: dict[str, list[dict[str, Any]]] | None = None,
    *,
    playbook: Any | None = None,
) -> FlowResult:
    """The result model of a finished run of `flow_id`."""
    if playbook is None:
        from app.playbook import get_playbook

        playbook = get_playbook()
    groups = groups or {}
    if flow_id == "spin_call_plan":
        return _spin_call_plan(answers, playbook)
    if flow_id == "dragon_diagnosis":
        return _dragon_diagnosis(answers, groups, playbook)
    if flow_id == "stakeholder_map":
        return _stakeholder_map(answers, groups, playbook)
    if flow_id == "fivek_intensity":
        return _fivek_intensity(answers, playbook)
    if flow_id == "opportunity_check":
        return _opportunity_check(answers, playbook)
    raise KeyError(f"unknown flow {flow_id!r}")
