"""The dragon_diagnosis flow's result: its model and the rules that compute it from the answers."""

from __future__ import annotations

from typing import Any, Literal, get_args

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
from app.flows.results.texts import flow_texts

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
TEXTS = flow_texts("dragon_diagnosis")
OpportunityAnswerKind = Literal["yes", "partly", "no", "unknown"]
ANSWER_NAMES = {answer: TEXTS.part(f"answer.{answer}") for answer in get_args(OpportunityAnswerKind)}


class KeyPerson(BaseModel):
    name: str
    role: Labeled
    relation: Labeled
    relation_evidence: str
    next_relation: Labeled | None = None
    next_activities_zh: list[str] = Field(default_factory=list)


class OpportunityAnswer(BaseModel):
    question: Labeled
    answer: OpportunityAnswerKind
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
                TEXTS.message(
                    "skipped_step",
                    cites.add(step_id, current.id),
                    later_zh=later.name_zh,
                    later_en=later.name_en,
                    current_zh=current.name_zh,
                    current_en=current.name_en,
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
                TEXTS.message(
                    "advance_relationship",
                    cites.add(next_relation.id),
                    person=person.name,
                    role_zh=person.role.name_zh,
                    role_en=person.role.name_en,
                    relation_zh=person.relation.name_zh,
                    relation_en=person.relation.name_en,
                    next_zh=next_relation.name_zh,
                    next_en=next_relation.name_en,
                    activities="、".join(activities[:3]),
                )
            )

    decision_makers = [p for p in people if p.role.id == "org.role.decision_maker"]
    if not decision_makers:
        gaps.append(TEXTS.message("no_decision_maker", cites.add("org.role.decision_maker")))
    elif current_index >= DRAGON_STEPS.index("dragon.step.uncover_needs"):
        for person in decision_makers:
            if RELATIONS.index(person.relation.id) <= RELATIONS.index("dragon.relation.dating"):
                gaps.append(
                    TEXTS.message(
                        "decision_maker_relation_low",
                        cites.add("org.role.decision_maker", person.relation.id),
                        current_zh=current.name_zh,
                        current_en=current.name_en,
                        person=person.name,
                        relation_zh=person.relation.name_zh,
                        relation_en=person.relation.name_en,
                    )
                )
    if people and not any(p.relation.id == "dragon.relation.alliance" for p in people):
        gaps.append(TEXTS.message("no_alliance", cites.add("dragon.relation.alliance")))

    opportunity = opportunity_answers("dragon_diagnosis", answers, playbook, "opp_")
    for row in opportunity:
        cites.add(row.question.id)
        if row.answer == "yes" and not row.evidence_thin:
            continue
        reason_zh, reason_en = TEXTS.part("thin_evidence") if row.answer == "yes" else ANSWER_NAMES[row.answer]
        question = {"question_zh": row.question.name_zh, "question_en": row.question.name_en}
        gaps.append(
            TEXTS.message("opportunity_open", [row.question.id], **question, reason_zh=reason_zh, reason_en=reason_en)
        )
        checks = getattr(playbook.element(row.question.id), "checks_zh", [])
        if checks:
            actions.append(TEXTS.message("verify_opportunity", [row.question.id], **question, checks="；".join(checks)))
    is_real = opportunity[0]
    if current_index > 0 and is_real.answer in ("no", "unknown"):
        gaps.insert(
            0,
            TEXTS.message(
                "opportunity_unconfirmed",
                cites.add("dragon.opportunity.is_real", "dragon.step.customer_analysis"),
            ),
        )

    # The moves of the current step come first: they are what the rep does next.
    step_actions = []
    for move in getattr(current, "moves", []):
        first_action = (getattr(move, "actions_zh", None) or [move.description])[0]
        step_actions.append(
            TEXTS.message(
                "step_move", cites.add(move.id), move_zh=move.name_zh, move_en=move.name_en, first_action=first_action
            )
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
