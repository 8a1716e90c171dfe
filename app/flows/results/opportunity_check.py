"""The opportunity_check flow's result: its model and the rules that compute it from the answers."""

from __future__ import annotations

from typing import Any, Literal

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
            state_zh = "有判断但证据不足" if row.answer == "yes" else ANSWER_NAMES[row.answer][0]
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
        account=plain_text(answers.get("account")),
        questions=rows,
        verdict=verdict,
        reasons=reasons,
        conditions=conditions,
        citations=cites.citations(),
    )


RULES = FlowRules("opportunity_check", OpportunityCheckResult, compute)
