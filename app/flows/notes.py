"""Coaching notes from flow results: Markdown for reading, CSV for spreadsheets; both cite playbook elements by name.

`note_to_markdown(flow_id, result)` and `note_to_csv(flow_id, result)` accept the result model
or its JSON dict (as stored). Chinese is the default language; pass lang="en" for English labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel

from app.csv_export import csv_text
from app.flows.definitions import get_flow
from app.flows.results import (
    RESULT_MODELS,
    VERDICT_NAMES,
    Citation,
    DragonDiagnosisResult,
    FivekIntensityResult,
    FivekScore,
    FlowResult,
    Message,
    OpportunityCheckResult,
    SpinCallPlanResult,
    StakeholderMapResult,
)
from app.i18n import Lang
from app.playbook import get_playbook
from app.playbook.vocabulary import FIVEDIM_DIMENSIONS

_ANSWER_LABELS = {
    "yes": ("是", "Yes"),
    "partly": ("部分/待确认", "Partly"),
    "no": ("否", "No"),
    "unknown": ("不清楚", "Unknown"),
}


def as_result(flow_id: str, result: BaseModel | dict[str, Any]) -> FlowResult:
    """The typed result model of a flow, from a model or its JSON dict."""
    model = RESULT_MODELS[flow_id]
    return (
        result
        if isinstance(result, model)
        else model.model_validate(result if isinstance(result, dict) else result.model_dump())
    )


def _t(lang: Lang, zh: str, en: str) -> str:
    return en if lang == "en" else zh


class _Named(Protocol):
    """A chosen option (Labeled) or a playbook element: anything with both names."""

    @property
    def name_zh(self) -> str: ...
    @property
    def name_en(self) -> str: ...


def _name(item: _Named, lang: Lang) -> str:
    return item.name_en if lang == "en" else item.name_zh


def _element_names(element_ids: list[str], lang: Lang) -> str:
    """Playbook elements by their names in `lang` (users never see raw ids such as dragon.step.build_trust)."""
    playbook = get_playbook()
    names = []
    for element_id in element_ids:
        try:
            names.append(_name(playbook.element(element_id), lang))
        except KeyError:  # not a playbook element (e.g. a SPIN letter): shown as it is
            names.append(element_id)
    return _t(lang, "、", ", ").join(names)


def _cited_rows(lang: Lang, label_zh: str, label_en: str, messages: list[Message]) -> list[list[str]]:
    """One long-table row per message: the label, the message in `lang`, the playbook elements it cites."""
    return [[_t(lang, label_zh, label_en), "", _t(lang, m.zh, m.en), _element_names(m.cites, lang)] for m in messages]


def _answer_rows(lang: Lang, label_zh: str, label_en: str, answers: list[Any]) -> list[list[str]]:
    """One long-table row per yes/partly/no answer: the label, the question's name, the answer and its evidence."""
    return [
        [
            _t(lang, label_zh, label_en),
            _name(row.question, lang),
            f"{_t(lang, *_ANSWER_LABELS[row.answer])} {row.evidence or ''}".strip(),
            "",
        ]
        for row in answers
    ]


def _msg(message: Message, lang: Lang) -> str:
    text = message.en if lang == "en" else message.zh
    return f"{text} [{_element_names(message.cites, lang)}]" if message.cites else text


def _cites_section(citations: list[Citation], lang: Lang) -> list[str]:
    lines = ["", f"## {_t(lang, '依据（手册条目）', 'Playbook references')}"]
    for citation in citations:
        name = citation.name_en if lang == "en" else citation.name_zh
        lines.append(f"- {name} — {citation.source}")
    return lines


def _bullets(messages: list[Message], lang: Lang) -> list[str]:
    return [f"- {_msg(m, lang)}" for m in messages] or [f"- {_t(lang, '无', 'None')}"]


# ---------------------------------------------------------------------------
# Markdown


def note_to_markdown(flow_id: str, result: BaseModel | dict[str, Any], lang: Lang = "zh") -> str:
    """The coaching note of a finished flow as Markdown."""
    typed = as_result(flow_id, result)
    flow = get_flow(flow_id)
    title = flow.title_en if lang == "en" else flow.title_zh
    lines = [f"# {title} — {getattr(typed, 'account', '')}", ""]
    lines += _MARKDOWN[flow_id](typed, lang)
    lines += _cites_section(typed.citations, lang)
    return "\n".join(lines) + "\n"


def _md_spin(result: SpinCallPlanResult, lang: Lang) -> list[str]:
    lines = [
        f"- {_t(lang, '业务场景', 'Context')}: {_name(result.industry, lang)}",
        f"- {_t(lang, '首次拜访', 'First meeting')}: {_t(lang, '是' if result.first_meeting else '否', 'yes' if result.first_meeting else 'no')}",
    ]
    if result.last_commitment:
        lines.append(f"- {_t(lang, '上次的承诺', 'Last commitment')}: {result.last_commitment}")
    for group in result.groups:
        lines += ["", f"## {_t(lang, group.name_zh, group.name_en)}"]
        if group.basis:
            lines.append(f"**{_t(lang, '依据的情况', 'Basis')}**: {'；'.join(group.basis)}")
        lines.append(f"**{_t(lang, '我的问题', 'My questions')}**")
        lines += [f"{i}. {q}" for i, q in enumerate(group.own_questions, 1)] or [
            f"- {_t(lang, '（未填写）', '(none)')}"
        ]
        lines.append(f"**{_t(lang, '建议问题', 'Suggested questions')}**")
        lines += [f"- {q}" for q in group.suggested_questions] or [f"- {_t(lang, '无', 'None')}"]
    commitment = _name(result.commitment, lang) + (f"：{result.commitment_detail}" if result.commitment_detail else "")
    lines += ["", f"## {_t(lang, '要争取的承诺', 'Commitment to ask for')}", commitment]
    lines += ["", f"## {_t(lang, '提醒', 'Watch-outs')}", *_bullets(result.warnings, lang)]
    return lines


def _md_dragon(result: DragonDiagnosisResult, lang: Lang) -> list[str]:
    lines = [
        f"**{_t(lang, '当前步骤', 'Current step')}**: {_t(lang, '第', 'step ')}{result.current_step_order}{_t(lang, '式 ', ' — ')}"
        f"{_name(result.current_step, lang)}"
        + (_t(lang, "（六式均已完成）", " (all six done)") if result.all_steps_done else ""),
        f"- {_t(lang, '开始标志', 'Start marker')}: {result.start_marker_zh}",
        f"- {_t(lang, '结束标志', 'End marker')}: {result.end_marker_zh}",
        "",
        f"## {_t(lang, '关键人关系', 'Key people')}",
        f"| {_t(lang, '姓名', 'Name')} | {_t(lang, '角色', 'Role')} | {_t(lang, '关系阶段', 'Stage')} | {_t(lang, '依据', 'Evidence')} | {_t(lang, '下一阶段', 'Next stage')} |",
        "| --- | --- | --- | --- | --- |",
    ]
    for person in result.people:
        following = _name(person.next_relation, lang) if person.next_relation else "—"
        lines.append(
            f"| {person.name} | {_name(person.role, lang)} | {_name(person.relation, lang)} | {person.relation_evidence} | {following} |"
        )
    lines += ["", f"## {_t(lang, '机会四问', 'Opportunity questions')}"]
    for row in result.opportunity:
        answer = _t(lang, *_ANSWER_LABELS[row.answer])
        evidence = f" — {row.evidence}" if row.evidence else ""
        lines.append(f"- {_name(row.question, lang)}: {answer}{evidence}")
    lines += ["", f"## {_t(lang, '缺口', 'Gaps')}", *_bullets(result.gaps, lang)]
    lines += ["", f"## {_t(lang, '下一步行动', 'Next actions')}", *_bullets(result.next_actions, lang)]
    return lines


def _md_stakeholders(result: StakeholderMapResult, lang: Lang) -> list[str]:
    headers = _t(
        lang,
        "姓名|职务|角色|需求层次|变革态度|关注点|紧密度|对我方态度",
        "Name|Title|Role|Need level|Change|Focus|Closeness|Attitude",
    )
    lines = [
        f"## {_t(lang, '多维汇总表', 'Multi-dimension summary')}",
        "",
        f"| {headers.replace('|', ' | ')} |",
        "|" + " --- |" * 8,
    ]
    for row in result.rows:
        cells = [row.name, row.title] + [_name(getattr(row, key), lang) for key in ("role", *FIVEDIM_DIMENSIONS)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"## {_t(lang, '风险', 'Risks')}"]
    for risk in result.risks:
        severity = _t(lang, "高" if risk.severity == "high" else "中", risk.severity)
        lines.append(f"- **[{severity}]** {_msg(risk.message, lang)}")
    if not result.risks:
        lines.append(f"- {_t(lang, '未发现明显风险', 'No obvious risk found')}")
    lines += ["", f"## {_t(lang, '逐人行动', 'Actions per person')}"]
    for row in result.rows:
        lines += [
            "",
            f"### {row.name}（{row.title}）",
            f"{_t(lang, '态度依据', 'Attitude evidence')}: {row.attitude_evidence}",
        ]
        if row.backs_competitor:
            lines.append(f"{_t(lang, '倾向的竞争对手', 'Leans to competitor')}: {row.backs_competitor}")
        lines += _bullets(row.actions, lang)
    return lines


def _side(score: FivekScore, lang: Lang) -> str:
    if not score.two_column:
        return "—"
    return _t(lang, "决策者" if score.side == "decision_maker" else "经办人", score.side.replace("_", " "))


def _md_fivek(result: FivekIntensityResult, lang: Lang) -> list[str]:
    lines = [
        f"## {_t(lang, '评分', 'Scores')}",
        f"| {_t(lang, '维度', 'Dimension')} | {_t(lang, '达到的级别', 'Level reached')} | {_t(lang, '对象', 'With')} | {_t(lang, '得分', 'Points')} |",
        "| --- | --- | --- | --- |",
    ]
    for score in result.scores:
        side = _side(score, lang)
        lines.append(f"| {_name(score.dimension, lang)} | {_name(score.level, lang)} | {side} | {score.points} |")
    lines += [
        "",
        f"- **{_t(lang, '总分', 'Total')}**: {result.total} / 100",
        f"- **{_t(lang, '里程碑', 'Milestone')}**: "
        + (
            _name(result.milestone, lang)
            if result.milestone
            else _t(lang, "尚未达到 10% 里程碑", "below the 10% milestone")
        ),
        f"- **{_t(lang, '赢单概率', 'Win probability')}**: {result.probability}%",
    ]
    if result.amount is not None:
        lines.append(f"- **{_t(lang, '预计金额', 'Amount')}**: {result.amount:,.0f}")
        lines.append(f"- **{_t(lang, '加权预测', 'Weighted forecast')}**: {result.weighted_forecast:,.0f}")
    if result.next_milestone is not None:
        lines += [
            "",
            f"## {_t(lang, '下一个里程碑还缺', 'Missing for the next milestone')}: {_name(result.next_milestone, lang)}",
        ]
        lines += [f"- {item}" for item in (result.unmet_criteria_en if lang == "en" else result.unmet_criteria_zh)] or [
            "- —"
        ]
    lines += ["", f"## {_t(lang, '建议', 'Advice')}", *_bullets(result.advice, lang)]
    return lines


def _md_opportunity(result: OpportunityCheckResult, lang: Lang) -> list[str]:
    zh, en = VERDICT_NAMES[result.verdict]
    lines = [
        f"**{_t(lang, '结论', 'Verdict')}: {_t(lang, zh, en)}**",
        "",
        f"## {_t(lang, '四个问题', 'Four questions')}",
    ]
    for row in result.questions:
        answer = _t(lang, *_ANSWER_LABELS[row.answer])
        evidence = f" — {row.evidence}" if row.evidence else ""
        thin = _t(lang, "（证据偏弱）", " (thin evidence)") if row.evidence_thin else ""
        lines.append(f"- {_name(row.question, lang)}: {answer}{evidence}{thin}")
    lines += ["", f"## {_t(lang, '理由', 'Reasons')}", *_bullets(result.reasons, lang)]
    if result.conditions:
        lines += ["", f"## {_t(lang, '推进条件', 'Conditions')}", *_bullets(result.conditions, lang)]
    return lines


_MARKDOWN: dict[str, Callable[[Any, Lang], list[str]]] = {
    "spin_call_plan": _md_spin,
    "dragon_diagnosis": _md_dragon,
    "stakeholder_map": _md_stakeholders,
    "fivek_intensity": _md_fivek,
    "opportunity_check": _md_opportunity,
}


# ---------------------------------------------------------------------------
# CSV


def note_to_csv(flow_id: str, result: BaseModel | dict[str, Any], lang: Lang = "zh") -> str:
    """The key results as CSV: the summary table for stakeholder_map and fivek_intensity,
    otherwise rows of (section, item, value, playbook_ids)."""
    typed = as_result(flow_id, result)
    header, rows = _CSV[flow_id](typed, lang)
    return csv_text([header, *rows])


def _long_header(lang: Lang) -> list[str]:
    return [
        _t(lang, "部分", "section"),
        _t(lang, "项目", "item"),
        _t(lang, "内容", "value"),
        _t(lang, "手册条目", "playbook"),
    ]


def _csv_spin(result: SpinCallPlanResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    rows = [
        [_t(lang, "客户", "account"), "", result.account, ""],
        [_t(lang, "场景", "context"), "", _name(result.industry, lang), ""],
    ]
    for group in result.groups:
        section, kind = _t(lang, group.name_zh, group.name_en), _element_names([group.spin_type], lang)
        rows += [[section, _t(lang, "依据", "basis"), text, kind] for text in group.basis]
        rows += [[section, _t(lang, "我的问题", "own"), q, kind] for q in group.own_questions]
        rows += [[section, _t(lang, "建议问题", "suggested"), q, kind] for q in group.suggested_questions]
    commitment = _name(result.commitment, lang) + (f"：{result.commitment_detail}" if result.commitment_detail else "")
    rows.append([_t(lang, "承诺", "commitment"), "", commitment, ""])
    rows += _cited_rows(lang, "提醒", "warning", result.warnings)
    return _long_header(lang), rows


def _csv_dragon(result: DragonDiagnosisResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    rows = [
        [_t(lang, "客户", "account"), "", result.account, ""],
        [_t(lang, "当前步骤", "current step"), str(result.current_step_order), _name(result.current_step, lang), ""],
    ]
    for person in result.people:
        rows.append(
            [
                _t(lang, "关键人", "key person"),
                person.name,
                f"{_name(person.role, lang)} / {_name(person.relation, lang)}",
                "",
            ]
        )
    rows += _answer_rows(lang, "机会四问", "opportunity", result.opportunity)
    rows += _cited_rows(lang, "缺口", "gap", result.gaps)
    rows += _cited_rows(lang, "下一步", "next action", result.next_actions)
    return _long_header(lang), rows


def _csv_stakeholders(result: StakeholderMapResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    header = _t(
        lang,
        "姓名,职务,角色,需求层次,变革态度,关注点,紧密度,对我方态度,态度依据,风险,行动",
        "name,title,role,need_level,change,focus,closeness,attitude,attitude_evidence,risks,actions",
    ).split(",")
    rows = []
    for row in result.rows:
        risks = [
            risk.message.en if lang == "en" else risk.message.zh for risk in result.risks if row.name in risk.people
        ]
        actions = "；".join(m.en if lang == "en" else m.zh for m in row.actions)
        dims = [_name(getattr(row, key), lang) for key in ("role", *FIVEDIM_DIMENSIONS)]
        rows.append([row.name, row.title, *dims, row.attitude_evidence, "；".join(risks), actions])
    for risk in result.risks:
        if not risk.people:  # team-level risks get their own line
            rows.append(
                [
                    _t(lang, "（整体）", "(team)"),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    risk.message.en if lang == "en" else risk.message.zh,
                    "",
                ]
            )
    return header, rows


def _csv_fivek(result: FivekIntensityResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    header = _t(lang, "维度,级别,对象,得分", "dimension,level,side,points").split(",")
    rows = [[_name(s.dimension, lang), _name(s.level, lang), _side(s, lang), str(s.points)] for s in result.scores]
    rows.append([_t(lang, "总分", "total"), "", "", str(result.total)])
    milestone = result.milestone
    rows.append(
        [_t(lang, "里程碑", "milestone"), _name(milestone, lang) if milestone else "", "", f"{result.probability}%"]
    )
    if result.amount is not None:
        rows.append([_t(lang, "加权预测", "weighted forecast"), "", "", f"{result.weighted_forecast:.2f}"])
    return header, rows


def _csv_opportunity(result: OpportunityCheckResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    rows = [
        [_t(lang, "客户", "account"), "", result.account, ""],
        [_t(lang, "结论", "verdict"), "", _t(lang, *VERDICT_NAMES[result.verdict]), ""],
    ]
    rows += _answer_rows(lang, "问题", "question", result.questions)
    rows += _cited_rows(lang, "理由", "reason", result.reasons)
    rows += _cited_rows(lang, "条件", "condition", result.conditions)
    return _long_header(lang), rows


_CSV: dict[str, Callable[[Any, Lang], tuple[list[str], list[list[str]]]]] = {
    "spin_call_plan": _csv_spin,
    "dragon_diagnosis": _csv_dragon,
    "stakeholder_map": _csv_stakeholders,
    "fivek_intensity": _csv_fivek,
    "opportunity_check": _csv_opportunity,
}
