"""Rehearse this deal: a private scenario for the next call with one stakeholder of a real opportunity, built
deterministically from the deal's latest stakeholder map, 摧龙六式 diagnosis and SPIN call plan.

Persona from the map's row (title, purchase role, five dimensions; the communication style, which the map does
not record, read from the decision focus and the attitude to change); hidden facts from the call plan's expected
situation, problems, implications and need-payoffs and from the diagnosis' gaps; objections from the map's risks;
the advance from the call plan's objective. Same inputs, same scenario.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import Session, col, select

from app.models import CoachingNote, FlowRun, Opportunity, ScenarioStatus, TeamScenario, User
from app.playbook.texts import PLAYBOOKS_DIR, Sentence, Texts, load_texts
from app.playbook.vocabulary import FIVEDIM_DIMENSIONS, SPIN_CATEGORIES, SpinCategory, SpinLetter
from app.scenarios import library
from app.scenarios.editor import (
    DEFAULT_SOURCE,
    FACT_TRUST,
    SCENARIO_DIFFICULTY,
    SCENARIO_TRUST,
    fit_scenario,
    suggest_topics,
)
from app.scenarios.rehearsal_wording import worded_by_model
from app.scenarios.repository import parse_team_ref

MAX_FACTS = 3  # per S / P / I / N
FLOWS = ("stakeholder_map", "dragon_diagnosis", "spin_call_plan")

# The map records no communication style; the closest reading of the five dimensions (ours, after Merrill & Reid).
STYLE_BY_FOCUS = {
    "fivedim.focus.technical": "style.analytical",
    "fivedim.focus.financial": "style.analytical",
    "fivedim.focus.business": "style.driver",
    "fivedim.focus.relationship": "style.amiable",
}
EXPRESSIVE_CHANGE = ("fivedim.change.innovator", "fivedim.change.visionary")
LEVEL_BY_ATTITUDE = {
    "fivedim.attitude.coach": "easy",
    "fivedim.attitude.supporter": "easy",
    "fivedim.attitude.neutral": "normal",
    "fivedim.attitude.non_supporter": "hard",
    "fivedim.attitude.opponent": "hard",
}


class _Advance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    description: Sentence
    ask: Sentence
    keywords: list[str] = Field(min_length=1)
    granted: Sentence


class _Voice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    says: Sentence  # fills {item}
    default: str = Field(min_length=1)


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: SpinCategory
    says: Sentence
    topics: list[str] = Field(min_length=1)


class _HandledBy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    spin: list[SpinLetter] = Field(min_length=1)
    keywords: list[str]


class _Objection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    trigger: str
    keywords: list[str] | None = None
    says: Sentence  # obj_competitor fills {rival}
    handled_by: _HandledBy
    resolved: Sentence


class RehearsalTexts(Texts):
    """playbooks/scenarios/texts/rehearsal.yaml: the advances, the buyer's voice, facts, objections and card texts."""

    advances: dict[str, _Advance]
    voice: dict[SpinCategory, _Voice]
    gap_facts: dict[str, str]
    facts: dict[str, _Fact]
    objections: dict[str, _Objection]

    @model_validator(mode="after")
    def _consistent(self) -> RehearsalTexts:
        if tuple(self.voice) != SPIN_CATEGORIES:
            raise ValueError(f"voice: one entry per SPIN category, in order {list(SPIN_CATEGORIES)}")
        if "next_meeting" not in self.advances:
            raise ValueError("advances: next_meeting is needed (the default advance)")
        if unknown := sorted(set(self.gap_facts.values()) - set(self.facts)):
            raise ValueError(f"gap_facts: unknown facts {unknown}")
        allowed = [(f"voice.{k}", v.says, {"item"}) for k, v in self.voice.items()]
        allowed += [
            (f"objections.{k}", v.says, {"rival"} if k == "obj_competitor" else set())
            for k, v in self.objections.items()
        ]
        allowed += [(f"objections.{k}.resolved", v.resolved, set()) for k, v in self.objections.items()]
        allowed += [(f"facts.{k}", v.says, set()) for k, v in self.facts.items()]
        allowed += [
            (f"advances.{k}", s, set()) for k, v in self.advances.items() for s in (v.description, v.ask, v.granted)
        ]
        for where, sentence, names in allowed:
            if extra := sentence.placeholders() - names:
                raise ValueError(f"{where}: placeholders {sorted(extra)} are never filled (allowed: {sorted(names)})")
        return self


TEXTS = load_texts(PLAYBOOKS_DIR / "scenarios" / "texts" / "rehearsal.yaml", RehearsalTexts)


class RehearsalError(library.LibraryError):
    pass


def latest_results(session: Session, opportunity: Opportunity) -> dict[str, dict[str, Any]]:
    """The result of the latest finished run of each flow on this deal."""
    runs = session.exec(
        select(FlowRun)
        .where(FlowRun.opportunity_id == opportunity.id, FlowRun.status == "done", col(FlowRun.flow_id).in_(FLOWS))
        .order_by(col(FlowRun.updated_at).desc(), col(FlowRun.id).desc())
    )
    results: dict[str, dict[str, Any]] = {}
    for run in runs:
        if run.flow_id in results or run.note_id is None:
            continue
        note = session.get(CoachingNote, run.note_id)
        if note is not None and isinstance(note.data.get("result"), dict):
            results[run.flow_id] = note.data["result"]
    return results


def stakeholders(session: Session, opportunity: Opportunity) -> list[str]:
    """Names on the deal's latest stakeholder map (the choices for a rehearsal)."""
    rows = latest_results(session, opportunity).get("stakeholder_map", {}).get("rows", [])
    return [row["name"] for row in rows if row.get("name")]


def _fact(category: str, index: int, text: str, text_en: str, topics: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": f"{category[0]}{index + 1}",
        "text": text,
        "text_en": text_en,
        "topics": {"zh": topics or suggest_topics(text, 4) or [text[:4]], "en": []},
    }


def _facts(plan: dict[str, Any] | None, diagnosis: dict[str, Any] | None, level: str) -> dict[str, list[dict]]:
    basis = {group["spin_type"].split(".")[1]: group.get("basis") or [] for group in (plan or {}).get("groups", [])}
    facts: dict[str, list[dict[str, Any]]] = {category: [] for category in TEXTS.voice}
    for spin, voice in TEXTS.voice.items():
        items = [item.strip("。. ") for item in basis.get(spin, []) if item and item.strip()][:MAX_FACTS]
        for item in items or [voice.default]:
            zh, en = voice.says.format(item=item)
            facts[spin].append(_fact(spin, len(facts[spin]), zh, en, suggest_topics(item, 4)))
    seen = set()
    for gap in (diagnosis or {}).get("gaps", []):
        fact_id = TEXTS.gap_facts.get(gap.get("code", ""))
        known = TEXTS.facts[fact_id] if fact_id is not None else None
        if known is None or fact_id in seen or len(facts[known.category]) >= MAX_FACTS + 1:
            continue
        seen.add(fact_id)
        text, text_en = known.says.format()
        facts[known.category].append(
            _fact(known.category, len(facts[known.category]), text, text_en, list(known.topics))
        )
    for category, earlier in (("problem", "situation"), ("implication", "problem"), ("need_payoff", "implication")):
        for index, fact in enumerate(facts[category]):  # SPIN order: each builds on the one before
            fact["requires"] = [facts[earlier][min(index, len(facts[earlier]) - 1)]["id"]]
    for category, items in facts.items():
        for fact in items:
            fact["min_trust"] = FACT_TRUST[category][level]
    return facts


def _objection(objection_id: str, **values: object) -> dict[str, Any]:
    """An objection of the rehearsal texts as the scenario lists it."""
    objection = TEXTS.objections[objection_id]
    text, text_en = objection.says.format(**values)
    resolved, resolved_en = objection.resolved.format()
    keywords = {"keywords": list(objection.keywords)} if objection.keywords is not None else {}
    return {
        "id": objection_id,
        "trigger": objection.trigger,
        **keywords,
        "text": text,
        "text_en": text_en,
        "handled_by": objection.handled_by.model_dump(),
        "resolved_text": resolved,
        "resolved_text_en": resolved_en,
    }


def _objections(risks: list[dict[str, Any]], competitor: str | None) -> list[dict[str, Any]]:
    codes = {risk.get("code") for risk in risks}
    objections = [_objection("obj_pitch")]
    if competitor or codes & {"opponent_close_ties", "decision_maker_against"}:
        objections.append(_objection("obj_competitor", rival=competitor or TEXTS.part("another_vendor")[0]))
    if "no_coach" in codes:
        objections.append(_objection("obj_inside"))
    if codes & {"decision_maker_unreached", "no_decision_maker"}:
        objections.append(_objection("obj_boss"))
    if codes & {"all_neutral", "no_support"}:
        objections.append(_objection("obj_price"))
    return objections


def _advance_content(objective: str) -> dict[str, Any]:
    advance = TEXTS.advances[objective]
    description, description_en = advance.description.format()
    ask_zh, ask_en = advance.ask.format()
    granted, granted_en = advance.granted.format()
    return {
        "kind": advance.kind,
        "description": description,
        "description_en": description_en,
        "ask_zh": ask_zh,
        "ask_en": ask_en,
        "keywords": list(advance.keywords),
        "granted_text": granted,
        "granted_text_en": granted_en,
    }


def _advance(plan: dict[str, Any] | None) -> dict[str, Any]:
    objective = ((plan or {}).get("commitment") or {}).get("id") or "next_meeting"
    if objective in TEXTS.advances:
        return {"id": f"c_{objective}", **_advance_content(objective)}
    detail = (plan or {}).get("commitment_detail") or TEXTS.part("other_advance.detail")[0]
    return {
        **_advance_content("next_meeting"),
        "id": "c_other",
        "description": TEXTS.part("other_advance.description", detail=detail)[0],
        "ask_zh": TEXTS.part("other_advance.ask", detail=detail)[0],
        "keywords": [*suggest_topics(detail, 3), TEXTS.part("other_advance.keyword")[0]],
    }


def build_content(opportunity: Opportunity, stakeholder: str, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The scenario content for a call with one stakeholder (deterministic)."""
    stakeholder_map = results.get("stakeholder_map") or {}
    row = next((r for r in stakeholder_map.get("rows", []) if r.get("name") == stakeholder), None)
    if row is None:
        raise RehearsalError(
            422,
            [
                {
                    "loc": ["body", "stakeholder"],
                    "type": "value_error",
                    "msg": f"{stakeholder!r} is not on this deal's latest stakeholder map",
                }
            ],
        )
    plan, diagnosis = results.get("spin_call_plan"), results.get("dragon_diagnosis")
    dims = {key: row[key]["id"] for key in FIVEDIM_DIMENSIONS}
    style = (
        "style.expressive"
        if dims["change"] in EXPRESSIVE_CHANGE
        else STYLE_BY_FOCUS.get(dims["focus"], "style.amiable")
    )
    level = LEVEL_BY_ATTITUDE.get(dims["attitude"], "normal")
    initial_trust, success_trust = library_trust(level, dims["closeness"])
    facts = _facts(plan, diagnosis, level)
    role = row["role"]["id"]
    account = opportunity.account
    title = row.get("title") or row["role"]["name_zh"]
    title_zh, title_en = TEXTS.part("title", account=account, stakeholder=stakeholder, title=title)
    size_zh, size_en = TEXTS.part("company_size")
    deal_zh, deal_en = TEXTS.part("deal_context", deal=opportunity.name or account, stakeholder=stakeholder)
    offering_zh, offering_en = TEXTS.part("our_offering")
    opening_zh, opening_en = TEXTS.part("opening_line", stakeholder=stakeholder)
    criteria = [TEXTS.part("decision_criterion.solves"), TEXTS.part("decision_criterion.return")]
    signal_zh, signal_en = TEXTS.part("buying_signal")
    return fit_scenario(
        {
            "title_zh": title_zh[:120],
            "title_en": title_en[:120],
            "difficulty": SCENARIO_DIFFICULTY[level],
            "industry": ((plan or {}).get("industry") or {}).get("id") or "general",
            "company": {
                "name": account,
                "name_en": account,
                "size": size_zh,
                "size_en": size_en,
                "context": (opportunity.name or account),
                "context_en": (opportunity.name or account),
            },
            "deal_context": deal_zh,
            "deal_context_en": deal_en,
            "our_offering": opportunity.name or offering_zh,
            "our_offering_en": opportunity.name or offering_en,
            "competitors": [row["backs_competitor"]] if row.get("backs_competitor") else [],
            "persona": {
                "name": stakeholder,
                "name_en": stakeholder,
                "title": title,
                "title_en": row["role"]["name_en"],
                "org_level": "org.level.decision" if role == "org.role.decision_maker" else "org.level.management",
                "purchase_role": role,
                "communication_style": style,
                "five_dimensions": dims,
            },
            "initial_trust": initial_trust,
            "opening_line": opening_zh,
            "opening_line_en": opening_en,
            "facts": facts,
            "objections": _objections(stakeholder_map.get("risks", []), row.get("backs_competitor")),
            "decision_criteria": [zh for zh, _ in criteria],
            "decision_criteria_en": [en for _, en in criteria],
            "buying_signals": [{"id": "sig_next", "text": signal_zh, "text_en": signal_en}],
            "success": {
                "key_facts": [facts[c][0]["id"] for c in ("problem", "implication", "need_payoff")],
                "min_trust": success_trust,
                "commitment": _advance(plan),
            },
            "trains": [
                "spin.situation",
                "spin.problem",
                "spin.implication",
                "spin.need_payoff",
                "dragon.step.win_commitment",
                style,
                role,
            ],
            "source": list(DEFAULT_SOURCE),
        }
    )


def library_trust(level: str, closeness: str) -> tuple[int, int]:
    """Starting trust from the difficulty, a little higher when the person already knows us."""
    initial, success = SCENARIO_TRUST[level]
    bonus = {"fivedim.closeness.many": 5, "fivedim.closeness.deep": 10}.get(closeness, 0)
    return initial + bonus, success


def create_rehearsal(
    session: Session,
    rep: User,
    opportunity: Opportunity,
    stakeholder: str,
    chat_model: BaseChatModel | None = None,
) -> TeamScenario:
    """A private, published scenario for the deal's owner; the caller has checked the rep owns the deal.

    With a model the texts are worded by it (app.scenarios.rehearsal_wording); the structure is the same."""
    results = latest_results(session, opportunity)
    if "stakeholder_map" not in results:
        raise RehearsalError(
            422,
            [
                {
                    "loc": ["body", "stakeholder"],
                    "type": "value_error",
                    "msg": "this deal has no finished stakeholder map yet",
                }
            ],
        )
    content = build_content(opportunity, stakeholder.strip(), results)
    content = worded_by_model(chat_model, content) or content
    return library.create(
        session,
        rep,
        content,
        owner_id=rep.id,
        opportunity_id=opportunity.id,
        stakeholder=stakeholder.strip()[:80],
        status=ScenarioStatus.published,
    )


def rehearsals_of(session: Session, opportunity: Opportunity) -> list[TeamScenario]:
    return list(
        session.exec(
            select(TeamScenario)
            .where(TeamScenario.opportunity_id == opportunity.id)
            .order_by(col(TeamScenario.created_at).desc(), col(TeamScenario.id).desc())
        )
    )


def deal_rehearsals(session: Session, viewer: User, deals: list[Any]) -> dict[int, dict[str, Any]]:
    """Per deal the viewer sees: the stakeholders a rehearsal can be built for (owner only) and its rehearsals."""
    found: dict[int, dict[str, Any]] = {}
    for deal in deals:
        opportunity = session.get(Opportunity, deal.id)
        if opportunity is None:
            continue
        names = stakeholders(session, opportunity) if opportunity.owner_id == viewer.id else []
        rows = rehearsals_of(session, opportunity)
        if names or rows:
            found[deal.id] = {"stakeholders": names, "rehearsals": rows}
    return found


def rehearsal_deal(session: Session, scenario_id: str) -> tuple[Opportunity, FlowRun | None] | None:
    """The deal a rehearsal scenario was built from and its latest call plan run (for the scorecard's link back)."""
    ref = parse_team_ref(scenario_id)
    row = session.get(TeamScenario, ref.row_id) if ref is not None else None
    if row is None or row.opportunity_id is None:
        return None
    opportunity = session.get(Opportunity, row.opportunity_id)
    if opportunity is None:
        return None
    plan = session.exec(
        select(FlowRun)
        .where(FlowRun.opportunity_id == opportunity.id, FlowRun.flow_id == "spin_call_plan", FlowRun.status == "done")
        .order_by(col(FlowRun.updated_at).desc(), col(FlowRun.id).desc())
    ).first()
    return opportunity, plan
