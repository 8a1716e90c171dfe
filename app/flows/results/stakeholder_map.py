"""The stakeholder_map flow's result: its model and the rules that compute it from the answers."""

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
)
from app.flows.results.texts import flow_texts
from app.playbook.vocabulary import FIVEDIM_DIMENSIONS

TEXTS = flow_texts("stakeholder_map")
Severity = Literal["high", "medium"]
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
    severity: Severity
    message: Message
    people: list[str] = Field(default_factory=list)


class StakeholderMapResult(FlowResult):
    flow_id: Literal["stakeholder_map"] = "stakeholder_map"
    rows: list[StakeholderRow]
    risks: list[RiskFlag]


def _person_actions(row: StakeholderRow, playbook: Any, cites: Cites) -> list[Message]:
    """What to do with one person, read from the playbook entries of their dimensions."""
    actions = []
    role = playbook.element(row.role.id)
    for text in getattr(role, "approach_zh", [])[:2]:
        actions.append(
            TEXTS.message("role_action", cites.add(role.id), name_zh=role.name_zh, name_en=role.name_en, text=text)
        )
    maslow = playbook.element(row.maslow.id)
    for text in getattr(maslow, "rep_actions_zh", []):  # all of them: the compliance line must never be cut
        actions.append(
            TEXTS.message(
                "maslow_action", cites.add(maslow.id), name_zh=maslow.name_zh, name_en=maslow.name_en, text=text
            )
        )
    change = playbook.element(row.change.id)
    position = getattr(change, "value_position_zh", None)
    if position:
        actions.append(
            TEXTS.message(
                "change_action", cites.add(change.id), name_zh=change.name_zh, name_en=change.name_en, text=position
            )
        )
    focus = playbook.element(row.focus.id)
    concerns = getattr(focus, "concerns_zh", [])
    if concerns:
        actions.append(
            TEXTS.message(
                "focus_action",
                cites.add(focus.id),
                name_zh=focus.name_zh,
                name_en=focus.name_en,
                text="、".join(concerns[:3]),
            )
        )
    attitude = playbook.element(row.attitude.id)
    for text in getattr(attitude, "handling_zh", [])[:2]:
        actions.append(
            TEXTS.message(
                "attitude_action", cites.add(attitude.id), name_zh=attitude.name_zh, name_en=attitude.name_en, text=text
            )
        )
    if row.closeness.id in LOW_CLOSENESS and row.role.id == "org.role.decision_maker":
        actions.append(TEXTS.message("meet_decision_maker", cites.add(row.closeness.id)))
    return actions


def _stakeholder_risks(rows: list[StakeholderRow], cites: Cites) -> list[RiskFlag]:
    """Risk rules on the summary table (each names the people involved)."""
    risks: list[RiskFlag] = []

    def flag(code: str, severity: Severity, ids: list[str], people: list[str]) -> None:
        """A risk naming the people involved (the sentence names them too where it has {people_zh} / {people_en})."""
        message = TEXTS.message(code, cites.add(*ids), people_zh="、".join(people), people_en=", ".join(people))
        risks.append(RiskFlag(code=code, severity=severity, message=message, people=people))

    attitudes = [row.attitude.id for row in rows]
    if "fivedim.attitude.coach" not in attitudes:
        flag(
            "no_coach",
            "high",
            ["fivedim.attitude.coach"],
            [],
        )
    decision_makers = [row for row in rows if row.role.id == "org.role.decision_maker"]
    if not decision_makers:
        flag(
            "no_decision_maker",
            "high",
            ["org.role.decision_maker"],
            [],
        )
    unreached = [row.name for row in decision_makers if row.closeness.id in LOW_CLOSENESS]
    if unreached:
        flag(
            "decision_maker_unreached",
            "high",
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
            ["fivedim.attitude.opponent", *sorted({row.closeness.id for row in close_rows})],
            close_opponents,
        )
    if rows and all(attitude == "fivedim.attitude.neutral" for attitude in attitudes):
        flag(
            "all_neutral",
            "high",
            ["fivedim.attitude.neutral"],
            [row.name for row in rows],
        )
    elif rows and not any(attitude in SUPPORTIVE for attitude in attitudes):
        flag(
            "no_support",
            "high",
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
            ["fivedim.closeness.none", "fivedim.attitude.supporter"],
            suspicious,
        )
    if len(rows) == 1:
        flag(
            "single_contact",
            "medium",
            ["fivedim.model"],
            [rows[0].name],
        )
    return risks


def compute(answers: dict[str, Any], groups: Groups, playbook: Any) -> StakeholderMapResult:
    cites = Cites(playbook)
    cites.add("fivedim.model")
    rows = []
    for entry in groups.get("stakeholders", []):
        row = StakeholderRow(
            name=plain_text(entry.get("name")),
            title=plain_text(entry.get("title")),
            role=labeled(playbook, str(entry.get("role"))),
            attitude_evidence=plain_text(entry.get("attitude_evidence")),
            backs_competitor=plain_text(entry.get("backs_competitor")) or None,
            **{key: labeled(playbook, str(entry.get(key))) for key in FIVEDIM_DIMENSIONS},
        )
        row.actions = _person_actions(row, playbook, cites)
        rows.append(row)
    risks = _stakeholder_risks(rows, cites)
    return StakeholderMapResult(
        account=plain_text(answers.get("account")), rows=rows, risks=risks, citations=cites.citations()
    )


RULES = FlowRules("stakeholder_map", StakeholderMapResult, compute)
