"""The spin_call_plan flow's result: its model and the rules that compute it from the answers."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.flows.definitions import get_flow
from app.flows.results.common import (
    Cites,
    FlowResult,
    FlowRules,
    Groups,
    Labeled,
    Message,
    inline_label,
    plain_text,
    text_items,
)
from app.flows.results.texts import flow_texts
from app.playbook.vocabulary import SPIN_ELEMENTS, SPIN_LETTERS

TEXTS = flow_texts("spin_call_plan")

SPIN_TYPES = tuple(SPIN_ELEMENTS.values())
_SPIN_LETTER = {element: letter for letter, element in SPIN_ELEMENTS.items()}
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

    def asks(key: str, items: list[str]) -> list[str]:
        return [TEXTS.part(key, item=item)[0] for item in items[:3]]

    problems = text_items(answers.get("suspected_problems"))
    if spin_type == "spin.problem":
        return asks("ask.problem", problems)
    if spin_type == "spin.implication":
        return asks("ask.implication", problems) + asks("ask.consequence", text_items(answers.get("implications")))
    if spin_type == "spin.need_payoff":
        return asks("ask.need_payoff", text_items(answers.get("need_payoffs")))
    return []


def _spin_examples(playbook: Any, spin_type: str, industry: str) -> list[str]:
    examples = getattr(playbook.element(spin_type), "examples", {}) or {}
    chosen = examples.get(industry) or examples.get("general")
    return list(chosen.zh[:EXAMPLES_PER_TYPE]) if chosen is not None else []


def _check_own_question_types(groups: list[QuestionGroup]) -> list[Message]:
    """Flag the rep's questions that read like another SPIN type (offline classifier)."""
    from app.coaching.spin import classify_spin

    names: dict[str, tuple[str, str]] = {letter: TEXTS.part(f"type.{letter}") for letter in SPIN_LETTERS}
    warnings = []
    for group in groups:
        intended = _SPIN_LETTER[group.spin_type]
        for question in group.own_questions:
            found = classify_spin(question)
            if found.label in names and found.label != intended and found.confidence >= 0.5:
                warnings.append(
                    TEXTS.message(
                        "spin_type_mismatch",
                        [group.spin_type],
                        question=question,
                        intended_zh=names[intended][0],
                        intended_en=names[intended][1],
                        found_zh=names[found.label][0],
                        found_en=names[found.label][1],
                    )
                )
    return warnings


def compute(answers: dict[str, Any], _groups: Groups, playbook: Any) -> SpinCallPlanResult:
    flow = get_flow("spin_call_plan")
    steps = flow.step_index()
    cites = Cites(playbook)
    industry = str(answers.get("industry") or "general")
    basis = {
        "spin.situation": [plain_text(answers.get("situation_known"))]
        if plain_text(answers.get("situation_known"))
        else [],
        "spin.problem": text_items(answers.get("suspected_problems")),
        "spin.implication": text_items(answers.get("implications")),
        "spin.need_payoff": text_items(answers.get("need_payoffs")),
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
        own = text_items(answers.get(own_keys[spin_type]))
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
            TEXTS.message(
                "too_many_situation_questions", cites.add("spin.situation"), count=len(groups[0].own_questions)
            )
        )
    if not groups[2].own_questions:
        warnings.append(TEXTS.message("no_implication_questions", cites.add("spin.implication")))
    warnings += _check_own_question_types(groups)

    commitment_id = str(answers.get("commitment") or "")
    commitment = inline_label(steps["commitment"], commitment_id)
    industry_label = inline_label(steps["industry"], industry)
    assert commitment is not None and industry_label is not None
    return SpinCallPlanResult(
        account=plain_text(answers.get("account")),
        industry=industry_label,
        first_meeting=answers.get("first_meeting") == "yes",
        last_commitment=plain_text(answers.get("last_commitment")) or None,
        groups=groups,
        commitment=commitment,
        commitment_detail=plain_text(answers.get("commitment_other")) or None,
        warnings=warnings,
        citations=cites.citations(),
    )


RULES = FlowRules("spin_call_plan", SpinCallPlanResult, compute)
