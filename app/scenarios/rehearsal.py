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
from sqlmodel import Session, col, select

from app.models import CoachingNote, FlowRun, Opportunity, ScenarioStatus, TeamScenario, User
from app.playbook.vocabulary import FIVEDIM_DIMENSIONS
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

# The call plan's objective -> the advance: (kind, what is agreed, the ask, its keywords, the buyer agreeing) zh/en.
ADVANCES: dict[str, dict[str, Any]] = {
    "meet_decision_maker": {
        "kind": "introduction",
        "description": "对方同意引荐决策人，安排一次见面。",
        "description_en": "The contact agrees to introduce the decision maker for a meeting.",
        "ask_zh": "能否请您引荐一下决策人，我们一起见面谈谈",
        "ask_en": "Could you introduce us to the decision maker?",
        "keywords": ["引荐", "决策人", "见面", "introduce"],
        "granted_text": "可以，我来约一下，你们把思路准备好。",
        "granted_text_en": "All right, I'll set it up; come prepared.",
    },
    "next_meeting": {
        "kind": "meeting",
        "description": "对方同意约定下一次深入交流的时间。",
        "description_en": "The contact agrees a date for a follow-up meeting.",
        "ask_zh": "我们能否约定下周再深入交流一次",
        "ask_en": "Could we meet again next week to go deeper?",
        "keywords": ["约", "下周", "交流", "见面", "meet"],
        "granted_text": "行，下周找个时间再细聊。",
        "granted_text_en": "Fine, let's find a time next week.",
    },
    "site_visit": {
        "kind": "site_visit",
        "description": "对方同意去样板客户现场参观。",
        "description_en": "The contact agrees to visit a reference customer.",
        "ask_zh": "能否安排您去样板客户现场参观一次",
        "ask_en": "Could we arrange a visit to a reference customer?",
        "keywords": ["参观", "样板", "现场", "visit"],
        "granted_text": "可以，安排好了告诉我时间。",
        "granted_text_en": "Yes, tell me when it is arranged.",
    },
    "demo": {
        "kind": "workshop",
        "description": "对方同意安排一次方案演示。",
        "description_en": "The contact agrees to a demo.",
        "ask_zh": "能否安排一次方案演示，请相关同事一起看看",
        "ask_en": "Could we arrange a demo for your colleagues?",
        "keywords": ["演示", "安排", "demo"],
        "granted_text": "好，我叫上相关的同事一起看。",
        "granted_text_en": "Good, I'll bring the colleagues concerned.",
    },
    "trial": {
        "kind": "trial",
        "description": "对方同意先安排一次试用。",
        "description_en": "The contact agrees to a trial.",
        "ask_zh": "能否先安排一次小范围试用",
        "ask_en": "Could we start with a small trial?",
        "keywords": ["试用", "测试", "trial"],
        "granted_text": "可以先小范围试一下。",
        "granted_text_en": "We can try it on a small scale first.",
    },
    "proposal": {
        "kind": "proposal",
        "description": "对方同意审阅我方方案和报价。",
        "description_en": "The contact agrees to review our proposal and quote.",
        "ask_zh": "能否请您看一下我们的方案和报价，再给我们反馈",
        "ask_en": "Could you review our proposal and quote?",
        "keywords": ["方案", "报价", "proposal"],
        "granted_text": "你发过来吧，我看完给你反馈。",
        "granted_text_en": "Send it over; I'll get back to you.",
    },
}

# Buyer voice around the rep's own expectations (call plan), per SPIN category.
VOICE = {
    "situation": ("我们这边的情况是：{item}。", "Our situation: {item}."),
    "problem": ("说实话，{item}，这一点一直让我们头疼。", "Frankly, {item} has been a headache for us."),
    "implication": ("这个问题拖下去，{item}。", "If this drags on, {item}."),
    "need_payoff": ("如果能做到{item}，对我们会很有价值。", "If {item} were possible, it would be worth a lot to us."),
}
DEFAULT_ITEMS = {
    "situation": "这块业务目前由我们部门负责推进，用的还是老办法",
    "problem": "现在的做法效率不高，部门之间的数据也对不上",
    "implication": "每年多花的成本和客户的抱怨都在增加",
    "need_payoff": "把效率提上来，我在内部推动也更有底气",
}
# Diagnosis gaps the buyer can close: (fact category, buyer's words, topics).
_WHO_DECIDES = (
    "situation",
    "这个项目最后由分管领导拍板，我负责前期评估和推荐。",
    "The executive in charge decides in the end; I run the evaluation and recommend.",
    ["拍板", "决策", "谁来决定"],
)
_BUDGET_OPEN = (
    "problem",
    "预算和时间表其实还没最后定，要看这次评估能不能说服领导。",
    "Budget and timeline are not final yet; it depends on whether this evaluation convinces the boss.",
    ["预算", "时间表", "立项"],
)
GAP_FACTS: dict[str, tuple[str, str, str, list[str]]] = {
    "no_decision_maker": _WHO_DECIDES,
    "decision_maker_relation_low": (
        "situation",
        "领导那边主要听评估小组的意见，但他本人很看重投入产出。",
        "The boss mostly follows the evaluation team, but he cares a lot about the return.",
        ["领导", "决策", "投入产出"],
    ),
    "opportunity_open": _BUDGET_OPEN,
    "verify_opportunity": _BUDGET_OPEN,
}


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
    facts: dict[str, list[dict[str, Any]]] = {category: [] for category in VOICE}
    for category, (zh, en) in VOICE.items():
        items = [item.strip("。. ") for item in basis.get(category, []) if item and item.strip()][:MAX_FACTS]
        for item in items or [DEFAULT_ITEMS[category]]:
            facts[category].append(
                _fact(
                    category, len(facts[category]), zh.format(item=item), en.format(item=item), suggest_topics(item, 4)
                )
            )
    seen = set()
    for gap in (diagnosis or {}).get("gaps", []):
        known = GAP_FACTS.get(gap.get("code", ""))
        if known is None or known[1] in seen or len(facts[known[0]]) >= MAX_FACTS + 1:
            continue
        seen.add(known[1])
        category, text, text_en, topics = known
        facts[category].append(_fact(category, len(facts[category]), text, text_en, topics))
    for category, earlier in (("problem", "situation"), ("implication", "problem"), ("need_payoff", "implication")):
        for index, fact in enumerate(facts[category]):  # SPIN order: each builds on the one before
            fact["requires"] = [facts[earlier][min(index, len(facts[earlier]) - 1)]["id"]]
    for category, items in facts.items():
        for fact in items:
            fact["min_trust"] = FACT_TRUST[category][level]
    return facts


def _objections(risks: list[dict[str, Any]], competitor: str | None) -> list[dict[str, Any]]:
    codes = {risk.get("code") for risk in risks}
    objections = [
        {
            "id": "obj_pitch",
            "trigger": "premature_pitch",
            "text": "先别急着介绍产品，我们的情况你还没弄清楚。",
            "text_en": "Hold the product pitch; you don't understand our situation yet.",
            "handled_by": {"spin": ["S", "P"], "keywords": []},
            "resolved_text": "好，那我们先把情况说清楚。",
            "resolved_text_en": "Fine, let's get the situation straight first.",
        }
    ]
    if competitor or codes & {"opponent_close_ties", "decision_maker_against"}:
        rival = competitor or "另一家"
        objections.append(
            {
                "id": "obj_competitor",
                "trigger": "competitor",
                "text": f"{rival}在这方面做得也不错，我们也在认真看。",
                "text_en": f"{rival} is good at this too; we are looking at them seriously.",
                "handled_by": {"spin": ["P", "N"], "keywords": ["评估标准", "区别"]},
                "resolved_text": "你说的这些区别，我会放进评估里。",
                "resolved_text_en": "I'll put those differences into the evaluation.",
            }
        )
    if "no_coach" in codes:
        objections.append(
            {
                "id": "obj_inside",
                "trigger": "topic",
                "keywords": ["内部", "进展", "其他部门"],
                "text": "内部的情况我不方便多说。",
                "text_en": "I can't say much about internal matters.",
                "handled_by": {"spin": ["S", "N"], "keywords": ["理解", "不为难"]},
                "resolved_text": "你这样问我可以理解，能说的我尽量说。",
                "resolved_text_en": "I see why you ask; I'll tell you what I can.",
            }
        )
    if codes & {"decision_maker_unreached", "no_decision_maker"}:
        objections.append(
            {
                "id": "obj_boss",
                "trigger": "topic",
                "keywords": ["领导", "拍板", "决策人"],
                "text": "领导那边很忙，我先帮你们评估着吧。",
                "text_en": "My boss is busy; I'll do the evaluation for now.",
                "handled_by": {"spin": ["I", "N"], "keywords": ["帮您", "汇报"]},
                "resolved_text": "如果对我汇报有帮助，可以考虑让领导听一听。",
                "resolved_text_en": "If it helps my report, the boss could hear it.",
            }
        )
    if codes & {"all_neutral", "no_support"}:
        objections.append(
            {
                "id": "obj_price",
                "trigger": "price",
                "text": "我们在比较几家，价格是很重要的因素。",
                "text_en": "We are comparing vendors; price matters a lot.",
                "handled_by": {"spin": ["I", "N"], "keywords": ["回报", "成本"]},
                "resolved_text": "如果回报算得清楚，价格可以再谈。",
                "resolved_text_en": "If the return is clear, price can be discussed.",
            }
        )
    return objections


def _advance(plan: dict[str, Any] | None) -> dict[str, Any]:
    objective = ((plan or {}).get("commitment") or {}).get("id") or "next_meeting"
    if objective in ADVANCES:
        return {"id": f"c_{objective}", **ADVANCES[objective]}
    detail = (plan or {}).get("commitment_detail") or "再约一次深入交流"
    return {
        **ADVANCES["next_meeting"],
        "id": "c_other",
        "description": f"对方同意：{detail}。",
        "ask_zh": f"您看我们下一步能否{detail}",
        "keywords": [*suggest_topics(detail, 3), "下一步"],
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
    return fit_scenario(
        {
            "title_zh": f"演练：{account} · {stakeholder}（{title}）"[:120],
            "title_en": f"Rehearsal: {account} · {stakeholder}"[:120],
            "difficulty": SCENARIO_DIFFICULTY[level],
            "industry": ((plan or {}).get("industry") or {}).get("id") or "general",
            "company": {
                "name": account,
                "name_en": account,
                "size": "来自真实商机",
                "size_en": "from a real deal",
                "context": (opportunity.name or account),
                "context_en": (opportunity.name or account),
            },
            "deal_context": f"真实商机“{opportunity.name or account}”的下一次拜访：对象是{stakeholder}。",
            "deal_context_en": f"The next call on the real deal '{opportunity.name or account}', with {stakeholder}.",
            "our_offering": opportunity.name or "我方方案",
            "our_offering_en": opportunity.name or "our offering",
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
            "opening_line": f"你好，我是{stakeholder}。时间不多，你说吧。",
            "opening_line_en": f"Hello, {stakeholder} here. I don't have long; go ahead.",
            "facts": facts,
            "objections": _objections(stakeholder_map.get("risks", []), row.get("backs_competitor")),
            "decision_criteria": ["能否解决我们的实际问题", "投入产出"],
            "decision_criteria_en": ["Does it solve our real problem", "Return on the investment"],
            "buying_signals": [
                {
                    "id": "sig_next",
                    "text": "如果真要往下走，你们一般怎么安排？",
                    "text_en": "If we went ahead, how would you usually arrange it?",
                }
            ],
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
