"""The dragon_diagnosis flow's result: its model and the rules that compute it from the answers."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.flows.results.common import (
    Cites,
    FlowResult,
    FlowRules,
    Groups,
    Labeled,
    Message,
    labeled,
    plain_text,
    probe_of,
)

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
ANSWER_NAMES = {
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
    return labeled(playbook, following.id), activities


def opportunity_answers(
    flow_id: str, answers: dict[str, Any], playbook: Any, step_prefix: str
) -> list[OpportunityAnswer]:
    """The four opportunity questions as answered in a flow (`step_prefix` is "opp_" or "")."""
    rows = []
    for question_id in OPPORTUNITY_QUESTIONS:
        key = step_prefix + _OPPORTUNITY_STEP[question_id]
        evidence = plain_text(answers.get(f"{key}_evidence")) or None
        probe = probe_of(flow_id, f"{key}_evidence")
        rows.append(
            OpportunityAnswer(
                question=labeled(playbook, question_id),
                answer=answers.get(key) or "unknown",
                evidence=evidence,
                evidence_thin=bool(evidence) and probe is not None and probe.is_thin(evidence),
                plan=plain_text(answers.get(f"{key}_plan")) or None,
            )
        )
    return rows


def compute(answers: dict[str, Any], groups: Groups, playbook: Any) -> DragonDiagnosisResult:
    cites = Cites(playbook)
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
            name=plain_text(entry.get("name")),
            role=labeled(playbook, str(entry.get("role"))),
            relation=labeled(playbook, relation_id),
            relation_evidence=plain_text(entry.get("relation_evidence")),
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

    opportunity = opportunity_answers("dragon_diagnosis", answers, playbook, "opp_")
    for row in opportunity:
        cites.add(row.question.id)
        if row.answer == "yes" and not row.evidence_thin:
            continue
        zh_answer, en_answer = ANSWER_NAMES[row.answer]
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
        account=plain_text(answers.get("account")),
        current_step=labeled(playbook, current.id),
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


RULES = FlowRules("dragon_diagnosis", DragonDiagnosisResult, compute)
