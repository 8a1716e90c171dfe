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
from app.playbook.texts import PLAYBOOKS_DIR, Texts, load_texts
from app.playbook.vocabulary import FIVEDIM_DIMENSIONS

TEXTS = load_texts(PLAYBOOKS_DIR / "flows" / "texts" / "notes.yaml", Texts)  # the notes' labels in both languages


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
    return TEXTS.label("list_separator", lang).join(names)


def _cited_rows(label: str, lang: Lang, messages: list[Message]) -> list[list[str]]:
    """One long-table row per message: the label, the message in `lang`, the playbook elements it cites."""
    return [[TEXTS.label(label, lang), "", _t(lang, m.zh, m.en), _element_names(m.cites, lang)] for m in messages]


def _answer_rows(label: str, lang: Lang, answers: list[Any]) -> list[list[str]]:
    """One long-table row per yes/partly/no answer: the label, the question's name, the answer and its evidence."""
    return [
        [
            TEXTS.label(label, lang),
            _name(row.question, lang),
            f"{_answer(row.answer, lang)} {row.evidence or ''}".strip(),
            "",
        ]
        for row in answers
    ]


def _answer(answer: str, lang: Lang) -> str:
    return TEXTS.label(f"answer.{answer}", lang)


def _msg(message: Message, lang: Lang) -> str:
    text = message.en if lang == "en" else message.zh
    return f"{text} [{_element_names(message.cites, lang)}]" if message.cites else text


def _cites_section(citations: list[Citation], lang: Lang) -> list[str]:
    lines = ["", f"## {TEXTS.label('references', lang)}"]
    for citation in citations:
        name = citation.name_en if lang == "en" else citation.name_zh
        lines.append(f"- {name} — {citation.source}")
    return lines


def _bullets(messages: list[Message], lang: Lang) -> list[str]:
    return [f"- {_msg(m, lang)}" for m in messages] or [f"- {TEXTS.label('none', lang)}"]


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
        f"- {TEXTS.label('context', lang)}: {_name(result.industry, lang)}",
        f"- {TEXTS.label('first_meeting', lang)}: {TEXTS.label('first_meeting.yes' if result.first_meeting else 'first_meeting.no', lang)}",
    ]
    if result.last_commitment:
        lines.append(f"- {TEXTS.label('last_commitment', lang)}: {result.last_commitment}")
    for group in result.groups:
        lines += ["", f"## {_t(lang, group.name_zh, group.name_en)}"]
        if group.basis:
            lines.append(f"**{TEXTS.label('basis', lang)}**: {'；'.join(group.basis)}")
        lines.append(f"**{TEXTS.label('my_questions', lang)}**")
        lines += [f"{i}. {q}" for i, q in enumerate(group.own_questions, 1)] or [f"- {TEXTS.label('not_filled', lang)}"]
        lines.append(f"**{TEXTS.label('suggested_questions', lang)}**")
        lines += [f"- {q}" for q in group.suggested_questions] or [f"- {TEXTS.label('none', lang)}"]
    commitment = _name(result.commitment, lang) + (
        TEXTS.label("commitment_detail", lang, detail=result.commitment_detail) if result.commitment_detail else ""
    )
    lines += ["", f"## {TEXTS.label('commitment_to_ask', lang)}", commitment]
    lines += ["", f"## {TEXTS.label('watch_outs', lang)}", *_bullets(result.warnings, lang)]
    return lines


def _md_dragon(result: DragonDiagnosisResult, lang: Lang) -> list[str]:
    lines = [
        f"**{TEXTS.label('current_step', lang)}**: {TEXTS.label('step_number', lang, order=result.current_step_order)}"
        f"{_name(result.current_step, lang)}" + (TEXTS.label("all_steps_done", lang) if result.all_steps_done else ""),
        f"- {TEXTS.label('start_marker', lang)}: {result.start_marker_zh}",
        f"- {TEXTS.label('end_marker', lang)}: {result.end_marker_zh}",
        "",
        f"## {TEXTS.label('key_people', lang)}",
        f"| {TEXTS.label('people.name', lang)} | {TEXTS.label('people.role', lang)} | {TEXTS.label('people.stage', lang)} | {TEXTS.label('people.evidence', lang)} | {TEXTS.label('people.next_stage', lang)} |",
        "| --- | --- | --- | --- | --- |",
    ]
    for person in result.people:
        following = _name(person.next_relation, lang) if person.next_relation else "—"
        lines.append(
            f"| {person.name} | {_name(person.role, lang)} | {_name(person.relation, lang)} | {person.relation_evidence} | {following} |"
        )
    lines += ["", f"## {TEXTS.label('opportunity_questions', lang)}"]
    for row in result.opportunity:
        answer = _answer(row.answer, lang)
        evidence = f" — {row.evidence}" if row.evidence else ""
        lines.append(f"- {_name(row.question, lang)}: {answer}{evidence}")
    lines += ["", f"## {TEXTS.label('gaps', lang)}", *_bullets(result.gaps, lang)]
    lines += ["", f"## {TEXTS.label('next_actions', lang)}", *_bullets(result.next_actions, lang)]
    return lines


def _md_stakeholders(result: StakeholderMapResult, lang: Lang) -> list[str]:
    headers = TEXTS.label("summary_columns", lang)
    lines = [
        f"## {TEXTS.label('summary', lang)}",
        "",
        f"| {headers.replace('|', ' | ')} |",
        "|" + " --- |" * 8,
    ]
    for row in result.rows:
        cells = [row.name, row.title] + [_name(getattr(row, key), lang) for key in ("role", *FIVEDIM_DIMENSIONS)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"## {TEXTS.label('risks', lang)}"]
    for risk in result.risks:
        severity = TEXTS.label(f"severity.{risk.severity}", lang)
        lines.append(f"- **[{severity}]** {_msg(risk.message, lang)}")
    if not result.risks:
        lines.append(f"- {TEXTS.label('no_risk', lang)}")
    lines += ["", f"## {TEXTS.label('actions_per_person', lang)}"]
    for row in result.rows:
        lines += [
            "",
            f"### {row.name}（{row.title}）",
            f"{TEXTS.label('attitude_evidence', lang)}: {row.attitude_evidence}",
        ]
        if row.backs_competitor:
            lines.append(f"{TEXTS.label('leans_to_competitor', lang)}: {row.backs_competitor}")
        lines += _bullets(row.actions, lang)
    return lines


def _side(score: FivekScore, lang: Lang) -> str:
    if not score.two_column:
        return "—"
    return TEXTS.label(f"side.{score.side}", lang)


def _md_fivek(result: FivekIntensityResult, lang: Lang) -> list[str]:
    lines = [
        f"## {TEXTS.label('scores', lang)}",
        f"| {TEXTS.label('scores.dimension', lang)} | {TEXTS.label('scores.level', lang)} | {TEXTS.label('scores.side', lang)} | {TEXTS.label('scores.points', lang)} |",
        "| --- | --- | --- | --- |",
    ]
    for score in result.scores:
        side = _side(score, lang)
        lines.append(f"| {_name(score.dimension, lang)} | {_name(score.level, lang)} | {side} | {score.points} |")
    lines += [
        "",
        f"- **{TEXTS.label('total', lang)}**: {result.total} / 100",
        f"- **{TEXTS.label('milestone', lang)}**: "
        + (_name(result.milestone, lang) if result.milestone else TEXTS.label("below_first_milestone", lang)),
        f"- **{TEXTS.label('win_probability', lang)}**: {result.probability}%",
    ]
    if result.amount is not None:
        lines.append(f"- **{TEXTS.label('amount', lang)}**: {result.amount:,.0f}")
        lines.append(f"- **{TEXTS.label('weighted_forecast', lang)}**: {result.weighted_forecast:,.0f}")
    if result.next_milestone is not None:
        lines += [
            "",
            f"## {TEXTS.label('missing_for_next_milestone', lang)}: {_name(result.next_milestone, lang)}",
        ]
        lines += [f"- {item}" for item in (result.unmet_criteria_en if lang == "en" else result.unmet_criteria_zh)] or [
            "- —"
        ]
    lines += ["", f"## {TEXTS.label('advice', lang)}", *_bullets(result.advice, lang)]
    return lines


def _md_opportunity(result: OpportunityCheckResult, lang: Lang) -> list[str]:
    zh, en = VERDICT_NAMES[result.verdict]
    lines = [
        f"**{TEXTS.label('verdict', lang)}: {_t(lang, zh, en)}**",
        "",
        f"## {TEXTS.label('four_questions', lang)}",
    ]
    for row in result.questions:
        answer = _answer(row.answer, lang)
        evidence = f" — {row.evidence}" if row.evidence else ""
        thin = TEXTS.label("thin_evidence", lang) if row.evidence_thin else ""
        lines.append(f"- {_name(row.question, lang)}: {answer}{evidence}{thin}")
    lines += ["", f"## {TEXTS.label('reasons', lang)}", *_bullets(result.reasons, lang)]
    if result.conditions:
        lines += ["", f"## {TEXTS.label('conditions', lang)}", *_bullets(result.conditions, lang)]
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
        TEXTS.label("csv.section", lang),
        TEXTS.label("csv.item", lang),
        TEXTS.label("csv.value", lang),
        TEXTS.label("csv.playbook", lang),
    ]


def _csv_spin(result: SpinCallPlanResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    rows = [
        [TEXTS.label("csv.account", lang), "", result.account, ""],
        [TEXTS.label("csv.context", lang), "", _name(result.industry, lang), ""],
    ]
    for group in result.groups:
        section, kind = _t(lang, group.name_zh, group.name_en), _element_names([group.spin_type], lang)
        rows += [[section, TEXTS.label("csv.basis", lang), text, kind] for text in group.basis]
        rows += [[section, TEXTS.label("csv.own_question", lang), q, kind] for q in group.own_questions]
        rows += [[section, TEXTS.label("csv.suggested_question", lang), q, kind] for q in group.suggested_questions]
    commitment = _name(result.commitment, lang) + (
        TEXTS.label("commitment_detail", lang, detail=result.commitment_detail) if result.commitment_detail else ""
    )
    rows.append([TEXTS.label("csv.commitment", lang), "", commitment, ""])
    rows += _cited_rows("csv.warning", lang, result.warnings)
    return _long_header(lang), rows


def _csv_dragon(result: DragonDiagnosisResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    rows = [
        [TEXTS.label("csv.account", lang), "", result.account, ""],
        [TEXTS.label("csv.current_step", lang), str(result.current_step_order), _name(result.current_step, lang), ""],
    ]
    for person in result.people:
        rows.append(
            [
                TEXTS.label("csv.key_person", lang),
                person.name,
                f"{_name(person.role, lang)} / {_name(person.relation, lang)}",
                "",
            ]
        )
    rows += _answer_rows("csv.opportunity", lang, result.opportunity)
    rows += _cited_rows("csv.gap", lang, result.gaps)
    rows += _cited_rows("csv.next_action", lang, result.next_actions)
    return _long_header(lang), rows


def _csv_stakeholders(result: StakeholderMapResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    header = TEXTS.label("csv.stakeholder_columns", lang).split(",")
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
                    TEXTS.label("csv.team", lang),
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
    header = TEXTS.label("csv.fivek_columns", lang).split(",")
    rows = [[_name(s.dimension, lang), _name(s.level, lang), _side(s, lang), str(s.points)] for s in result.scores]
    rows.append([TEXTS.label("csv.total", lang), "", "", str(result.total)])
    milestone = result.milestone
    rows.append(
        [TEXTS.label("csv.milestone", lang), _name(milestone, lang) if milestone else "", "", f"{result.probability}%"]
    )
    if result.amount is not None:
        rows.append([TEXTS.label("csv.weighted_forecast", lang), "", "", f"{result.weighted_forecast:.2f}"])
    return header, rows


def _csv_opportunity(result: OpportunityCheckResult, lang: Lang) -> tuple[list[str], list[list[str]]]:
    rows = [
        [TEXTS.label("csv.account", lang), "", result.account, ""],
        [TEXTS.label("csv.verdict", lang), "", _t(lang, *VERDICT_NAMES[result.verdict]), ""],
    ]
    rows += _answer_rows("csv.question", lang, result.questions)
    rows += _cited_rows("csv.reason", lang, result.reasons)
    rows += _cited_rows("csv.condition", lang, result.conditions)
    return _long_header(lang), rows


_CSV: dict[str, Callable[[Any, Lang], tuple[list[str], list[list[str]]]]] = {
    "spin_call_plan": _csv_spin,
    "dragon_diagnosis": _csv_dragon,
    "stakeholder_map": _csv_stakeholders,
    "fivek_intensity": _csv_fivek,
    "opportunity_check": _csv_opportunity,
}
