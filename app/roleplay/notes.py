"""Coaching notes of role-play sessions: the note's content at finish, and Markdown/CSV export of any note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import object_session
from sqlmodel import Session

from app.coaching.reader import for_reader
from app.coaching.spin import SPIN_LABELS
from app.csv_export import BOM, csv_text
from app.i18n import Lang, translate
from app.models import CoachingNote
from app.models.common import team_time
from app.playbook import get_playbook
from app.roleplay.rubric import COMPONENT_IDS
from app.roleplay.scenarios import CATEGORIES, Scenario
from app.roleplay.scorecard import Scorecard
from app.scenarios import repository

ExportFormat = Literal["md", "csv"]


def note_title(scenario: Scenario) -> str:
    return f"角色扮演：{scenario.title_zh}"


def note_data(roleplay_id: int, scenario: Scenario, scorecard: Scorecard) -> dict[str, Any]:
    """The JSON a finished session leaves; dashboards read data["scorecard"] (the Scorecard model's dump)."""
    strengths = [item.model_dump(mode="json") for item in scorecard.strengths]
    improvements = [item.model_dump(mode="json") for item in scorecard.improvements]
    cited = {element_id for item in (*scorecard.strengths, *scorecard.improvements) for element_id in item.element_ids}
    return {
        "roleplay_id": roleplay_id,
        "scenario_title_zh": scenario.title_zh,
        "scenario_title_en": scenario.title_en,
        "scorecard": scorecard.model_dump(mode="json"),
        "strengths": strengths,
        "improvements": improvements,
        "next_scenario": scorecard.suggested_next_scenario,
        "cited_ids": sorted(cited),
    }


# --- export -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    content: str
    media_type: str
    filename: str


def export_note(note: CoachingNote, fmt: ExportFormat, lang: Lang = "zh", reader: str | None = None) -> Export:
    """Any note as Markdown or CSV; flow notes are written by app.flows.notes from data["result"]. `reader`: the
    rep's name when someone else (their manager) exports the rep's note: the coach's lines then name the rep."""
    if note.kind == "flow":
        from app.flows.notes import note_to_csv, note_to_markdown  # the flows feature owns its note format

        flow_id, result = note.data["flow_id"], note.data["result"]
        content = note_to_markdown(flow_id, result, lang) if fmt == "md" else note_to_csv(flow_id, result, lang)
    elif fmt == "md":
        content = roleplay_note_markdown(note, lang, reader)
    else:
        content = roleplay_note_csv(note, lang, reader)
    if fmt == "md":
        return Export(content, "text/markdown; charset=utf-8", f"note-{note.id}.md")
    return Export(BOM + content, "text/csv; charset=utf-8", f"note-{note.id}.csv")


def _t(key: str, lang: Lang, **values: object) -> str:
    return translate(key, lang, **values)


def _element_name(element_id: str, lang: Lang) -> str:
    try:
        element = get_playbook().element(element_id)
    except KeyError:
        return element_id
    return element.name_en if lang == "en" else element.name_zh


def _session_of(note: CoachingNote) -> Session | None:
    """The session the note was loaded in (the app's are SQLModel's), to find team scenarios' titles."""
    session = object_session(note)
    return session if isinstance(session, Session) else None


def _scenario_title(scenario_id: str | None, lang: Lang, session: Session | None = None) -> str:
    scenario = repository.get_scenario(session, scenario_id or "")
    if scenario is None:
        return scenario_id or "-"
    return scenario.title_en if lang == "en" else scenario.title_zh


def _feedback_lines(items: list[dict[str, Any]], lang: Lang, reader: str | None = None) -> list[str]:
    key = "text_en" if lang == "en" else "text_zh"
    return [f"- {for_reader(item[key], lang, reader)} [{_names(item['element_ids'], lang)}]" for item in items]


def _names(element_ids: list[str], lang: Lang) -> str:
    """Playbook elements by their human names (users never see raw ids)."""
    return ", ".join(_element_name(element_id, lang) for element_id in element_ids)


def _points(component: dict[str, Any], lang: Lang) -> str:
    if not component.get("applicable", True):
        return _t("roleplay.score.not_applicable", lang)
    return f"{component['points']:g} / {component['max_points']}"


def _quote_lines(card: dict[str, Any], lang: Lang, reader: str | None = None) -> list[str]:
    """The rep's own words: the best question and the weakest turns, with why and what to try instead."""
    suffix = "_en" if lang == "en" else "_zh"
    lines: list[str] = []
    quotes = ([card["best_question"]] if card.get("best_question") else []) + list(card.get("weakest_turns") or [])
    for quote in quotes:
        lines.append(
            f"- {_t('roleplay.score.turn', lang, n=quote['turn'])}: “{quote['text']}” — {for_reader(quote['why' + suffix], lang, reader)} "
            f"[{quote['element_name' + suffix]}]" + (f" {quote['try' + suffix]}" if quote.get("try" + suffix) else "")
        )
    return lines


def roleplay_note_markdown(note: CoachingNote, lang: Lang = "zh", reader: str | None = None) -> str:
    data, card = note.data, note.data["scorecard"]
    lines = [
        f"# {_scenario_title(note.source_id, lang, _session_of(note))}",
        "",
        f"- {_t('notes.export.total', lang)}: **{card['total']}/100**",
        f"- {_t('notes.export.milestone', lang)}: {_element_name(card['milestone_id'], lang) if card['milestone_id'] else '-'}",
        f"- {_t('notes.export.commitment', lang)}: "
        f"{_t('notes.export.yes' if card['commitment_won'] else 'notes.export.no', lang)}",
        *(
            [f"- {_t('roleplay.score.outcome', lang)}: {_t('roleplay.outcome.' + card['outcome'], lang)}"]
            if card.get("outcome")
            else []
        ),
        f"- {_t('notes.export.created', lang)}: {team_time(note.created_at):%Y-%m-%d %H:%M} ({_t('notes.export.timezone', lang)})",
        "",
        f"## {_t('notes.export.components', lang)}",
        "",
        f"| {_t('notes.export.item', lang)} | {_t('notes.export.points', lang)} |",
        "| --- | --- |",
    ]
    for name in COMPONENT_IDS:
        component = card["components"][name]
        lines.append(f"| {_t('roleplay.component.' + name, lang)} | {_points(component, lang)} |")
    lines += [
        "",
        f"## {_t('notes.export.spin', lang)}",
        "",
        " · ".join(f"{label}: {card['spin_counts'].get(label, 0)}" for label in SPIN_LABELS),
        "",
        f"## {_t('notes.export.facts', lang)}",
        "",
    ]
    for category in CATEGORIES:
        coverage = card["facts"][category]
        lines.append(f"- {_t('roleplay.category.' + category, lang)}: {coverage['revealed']}/{coverage['available']}")
    lines += ["", f"## {_t('notes.export.intensity', lang)}", ""]
    for dimension in card["intensity"]["dimensions"]:
        lines.append(
            f"- {_element_name('fivek.' + dimension['dimension'], lang)}: "
            f"{_element_name(dimension['level_id'], lang)} ({dimension['points']})"
        )
    lines += [
        "",
        f"## {_t('notes.export.strengths', lang)}",
        "",
        *_feedback_lines(data["strengths"], lang, reader),
        "",
        f"## {_t('notes.export.improvements', lang)}",
        "",
        *_feedback_lines(data["improvements"], lang, reader),
    ]
    if _quote_lines(card, lang):
        lines += ["", f"## {_t('roleplay.score.your_words', lang)}", "", *_quote_lines(card, lang, reader)]
    if data.get("next_scenario"):
        lines += ["", f"## {_t('notes.export.next', lang)}", "", f"- {_scenario_title(data['next_scenario'], lang)}"]
    lines += ["", f"## {_t('notes.export.cited', lang)}", ""]
    lines += [f"- {_element_name(element_id, lang)}" for element_id in data.get("cited_ids", [])]
    return "\n".join(lines) + "\n"


def roleplay_note_csv(note: CoachingNote, lang: Lang = "zh", reader: str | None = None) -> str:
    """Long format (section, item, value, playbook ids): one row per fact of the note, easy to pivot."""
    data, card = note.data, note.data["scorecard"]
    rows: list[list[str]] = [
        [
            _t("notes.export.section", lang),
            _t("notes.export.item", lang),
            _t("notes.export.value", lang),
            _t("notes.export.cites", lang),
        ]
    ]
    rows.append(
        [
            _t("notes.export.total", lang),
            _scenario_title(note.source_id, lang, _session_of(note)),
            str(card["total"]),
            "",
        ]
    )
    for name in COMPONENT_IDS:
        component = card["components"][name]
        rows.append(
            [
                _t("notes.export.components", lang),
                _t("roleplay.component." + name, lang),
                _points(component, lang).replace(" ", ""),
                "",
            ]
        )
    for label in SPIN_LABELS:
        rows.append([_t("notes.export.spin", lang), label, str(card["spin_counts"].get(label, 0)), ""])
    for category in CATEGORIES:
        coverage = card["facts"][category]
        rows.append(
            [
                _t("notes.export.facts", lang),
                _t("roleplay.category." + category, lang),
                f"{coverage['revealed']}/{coverage['available']}",
                "",
            ]
        )
    for dimension in card["intensity"]["dimensions"]:
        rows.append(
            [
                _t("notes.export.intensity", lang),
                _element_name("fivek." + dimension["dimension"], lang),
                str(dimension["points"]),
                _element_name(dimension["level_id"], lang),
            ]
        )
    text_key = "text_en" if lang == "en" else "text_zh"
    for section, items in (
        ("notes.export.strengths", data["strengths"]),
        ("notes.export.improvements", data["improvements"]),
    ):
        for item in items:
            rows.append(
                [_t(section, lang), for_reader(item[text_key], lang, reader), "", _names(item["element_ids"], lang)]
            )
    if data.get("next_scenario"):
        rows.append(
            [_t("notes.export.next", lang), _scenario_title(data["next_scenario"], lang), data["next_scenario"], ""]
        )
    return csv_text(rows, lineterminator="\n")
