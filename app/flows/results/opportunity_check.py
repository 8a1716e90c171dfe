"""The opportunity_check flow's result: its model and the rules that compute it from the answers."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field

from app.flows.results.common import (
    Cites,
    FlowResult,
    FlowRules,
    Groups,
    Message,
    plain_text,
)
from app.flows.results.dragon_diagnosis import ANSWER_NAMES, OpportunityAnswer, opportunity_answers
from app.flows.results.texts import flow_texts

TEXTS = flow_texts("opportunity_check")
Verdict = Literal["go", "go_with_conditions", "no_go"]
VERDICT_NAMES: dict[str, tuple[str, str]] = {verdict: TEXTS.part(f"verdict.{verdict}") for verdict in get_args(Verdict)}


class OpportunityCheckResult(FlowResult):
    flow_id: Literal["opportunity_check"] = "opportunity_check"
    questions: list[OpportunityAnswer]
    verdict: Verdict
    reasons: list[Message]
    conditions: list[Message] = Field(default_factory=list)


def compute(answers: dict[str, Any], _groups: Groups, playbook: Any) -> OpportunityCheckResult:
    """Any "no", or not knowing whether the opportunity is real, is a no-go; all four "yes" with
    concrete evidence is a go; anything else is a go with the open points as conditions."""
    cites = Cites(playbook)
    rows = opportunity_answers("opportunity_check", answers, playbook, "")
    blockers: list[Message] = []
    supports: list[Message] = []
    conditions: list[Message] = []
    for row in rows:
        cites.add(row.question.id)
        names = {"name_zh": row.question.name_zh, "name_en": row.question.name_en}
        evidence_zh = TEXTS.part("evidence", evidence=row.evidence)[0] if row.evidence else ""
        if row.answer == "no":
            blockers.append(TEXTS.message("answered_no", [row.question.id], **names, evidence_zh=evidence_zh))
        elif row.answer == "unknown" and row.question.id == "dragon.opportunity.is_real":
            blockers.append(
                TEXTS.message("is_real_unknown", cites.add(row.question.id, "dragon.step.customer_analysis"))
            )
        elif row.answer in ("partly", "unknown") or row.evidence_thin:
            checks = getattr(playbook.element(row.question.id), "checks_zh", [])
            state_zh, state_en = (
                TEXTS.part("thin_evidence") if row.answer == "yes" else (ANSWER_NAMES[row.answer][0], row.answer)
            )
            conditions.append(
                TEXTS.message(
                    "needs_verification",
                    [row.question.id],
                    **names,
                    state_zh=state_zh,
                    state_en=state_en,
                    checks="；".join(checks) or TEXTS.part("no_checks")[0],
                    plan_zh=TEXTS.part("plan", plan=row.plan)[0] if row.plan else "",
                )
            )
        else:
            supports.append(TEXTS.message("confirmed", [row.question.id], **names, evidence_zh=evidence_zh))
    verdict: Verdict = "no_go" if blockers else ("go_with_conditions" if conditions else "go")
    reasons = blockers or supports
    return OpportunityCheckResult(
        account=plain_text(answers.get("account")),
        questions=rows,
        verdict=verdict,
        reasons=reasons,
        conditions=conditions,
        citations=cites.citations(),
    )


RULES = FlowRules("opportunity_check", OpportunityCheckResult, compute)
