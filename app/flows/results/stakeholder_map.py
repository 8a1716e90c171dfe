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


def _person_actions(row: StakeholderRow, playbook: Any, cites: Cites) -> list[Message]:
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


def _stakeholder_risks(rows: list[StakeholderRow], cites: Cites) -> list[RiskFlag]:
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
            **{key: labeled(playbook, str(entry.get(key))) for key in FIVEDIM_KEYS},
        )
        row.actions = _person_actions(row, playbook, cites)
        rows.append(row)
    risks = _stakeholder_risks(rows, cites)
    return StakeholderMapResult(
        account=plain_text(answers.get("account")), rows=rows, risks=risks, citations=cites.citations()
    )


RULES = FlowRules("stakeholder_map", StakeholderMapResult, compute)
