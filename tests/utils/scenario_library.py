"""Test helpers for the scenario library: authored content, and team scenarios stored through the service."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.models import Role, ScenarioStatus, Team, TeamManager, User
from app.roleplay.scenarios import load_scenarios
from app.scenarios import library, repository


def builtin_content(scenario_id: str = "edu_smart_academic", **changes: Any) -> dict[str, Any]:
    """A built-in scenario's fields as an author would send them (no id), with some fields replaced."""
    data = load_scenarios()[scenario_id].model_dump(mode="json")
    data.pop("id")
    data.update(changes)
    return data


def team_manager(session: Session, team_id: int) -> User:
    manager_id = session.exec(select(TeamManager.user_id).where(TeamManager.team_id == team_id)).first()
    return session.get(User, manager_id)


def stored_scenario(
    session: Session, team_id: int, status: ScenarioStatus = ScenarioStatus.published, **changes: Any
) -> str:
    """A team scenario authored by the team's manager; returns its base id (team_<n>)."""
    author = team_manager(session, team_id)
    assert author is not None and author.role == Role.manager
    team = session.get(Team, team_id)
    row = library.create(session, author, builtin_content(**changes), team=team, status=status)
    return repository.base_id(row.id)


# A scenario written from scratch in the editor's form (fictional: a restaurant chain choosing scheduling software).
# Some facts leave their topic words empty, so the editor suggests them from the text (jieba key terms).
AUTHORED_FORM: dict[str, str] = {
    "team": "A组",
    "title_zh": "连锁餐饮排班系统：拜访运营经理",
    "title_en": "Restaurant chain scheduling — the operations manager",
    "difficulty": "normal",
    "industry": "retail",
    "company_name": "味道坊餐饮集团（虚构）",
    "company_name_en": "Weidaofang Restaurants (fictional)",
    "company_size": "约 120 家门店，员工 4000 人",
    "company_size_en": "About 120 restaurants, 4,000 staff",
    "company_context": "华东地区的中式快餐连锁，门店排班靠店长手工做表。",
    "company_context_en": "A Chinese fast-food chain in East China; store managers make shift rosters by hand.",
    "deal_context": "运营部在评估智能排班和工时管理系统，今年要先在三十家店试点。",
    "deal_context_en": "Operations is evaluating smart scheduling and labour-hour software, piloting in thirty stores this year.",
    "our_offering": "面向连锁门店的智能排班与工时管理云服务。",
    "our_offering_en": "A cloud service for chain-store scheduling and labour hours.",
    "competitors": "排班宝",
    "decision_criteria": "排班效率\n人工成本",
    "decision_criteria_en": "Scheduling effort\nLabour cost",
    "persona_name": "周敏",
    "persona_name_en": "Zhou Min",
    "persona_title": "运营经理",
    "persona_title_en": "Operations manager",
    "org_level": "org.level.management",
    "purchase_role": "org.role.evaluator",
    "communication_style": "style.amiable",
    "maslow": "fivedim.maslow.belonging",
    "change": "fivedim.change.pragmatist",
    "focus": "fivedim.focus.business",
    "closeness": "fivedim.closeness.few",
    "attitude": "fivedim.attitude.neutral",
    "opening_line": "你好，我是周敏，门店的事情比较杂，我们聊半小时吧。",
    "opening_line_en": "Hi, I'm Zhou Min. Store work keeps me busy, so let's take half an hour.",
    "fact_situation_0_text": "现在一百二十家店的排班都是店长每周用表格手工排，再发到员工群里。",
    "fact_situation_0_text_en": "Today every store manager builds the weekly roster by hand in a spreadsheet and posts it to a chat group.",
    "fact_situation_0_topics": "排班",
    "fact_situation_0_topics_en": "roster, scheduling",
    "fact_situation_1_text": "门店的客流高峰集中在中午和晚上，周末比平时多一半。",
    "fact_situation_1_text_en": "Customer peaks come at lunch and dinner, and weekends are half again busier.",
    "fact_situation_1_topics": "客流",
    "fact_situation_1_topics_en": "traffic, peak",
    "fact_problem_0_text": "店长每周要花大半天排班，高峰时人手不够，闲时又站着好几个人。",
    "fact_problem_0_text_en": "Managers spend half a day a week on rosters, yet peaks are short-staffed and quiet hours over-staffed.",
    "fact_problem_0_topics": "人手",
    "fact_problem_0_topics_en": "staffing, short-staffed",
    "fact_problem_0_requires": "S1",
    "fact_problem_0_level": "easy",
    "fact_problem_1_text": "临时工的工时统计全靠手填，月底算工资经常对不上，员工也有怨言。",
    "fact_problem_1_text_en": "Part-timers' hours are written down by hand, so payroll rarely matches at month end.",
    "fact_problem_1_topics": "",
    "fact_problem_1_topics_en": "hours, payroll",
    "fact_problem_1_requires": "S2",
    "fact_problem_1_level": "normal",
    "fact_implication_0_text": "高峰缺人导致出餐慢，去年外卖差评多了三成，几家店的评分掉出了前列。",
    "fact_implication_0_text_en": "Short peaks slow the kitchen; delivery complaints rose by a third last year.",
    "fact_implication_0_topics": "差评",
    "fact_implication_0_topics_en": "complaints, ratings",
    "fact_implication_0_requires": "P1",
    "fact_implication_0_level": "normal",
    "fact_implication_1_text": "工资算错让老员工流失，今年门店员工流失率接近四成，招新人又要培训。",
    "fact_implication_1_text_en": "Payroll errors drive staff away: turnover is near forty percent this year.",
    "fact_implication_1_topics": "流失",
    "fact_implication_1_topics_en": "turnover, leaving",
    "fact_implication_1_requires": "P2",
    "fact_implication_1_level": "normal",
    "fact_need_payoff_0_text": "要是能按客流自动排班，高峰不缺人、店长省出时间，老板肯定愿意在试点店先用。",
    "fact_need_payoff_0_text_en": "If rosters followed customer traffic automatically, the owner would gladly try it in the pilot stores.",
    "fact_need_payoff_0_topics": "自动排班",
    "fact_need_payoff_0_topics_en": "automatic roster",
    "fact_need_payoff_0_requires": "I1",
    "fact_need_payoff_0_level": "normal",
    "fact_need_payoff_1_text": "工时和工资能自动对上的话，员工不再抱怨，流失也能降下来。",
    "fact_need_payoff_1_text_en": "If hours and pay matched automatically, complaints and turnover would drop.",
    "fact_need_payoff_1_topics": "工资准确",
    "fact_need_payoff_1_topics_en": "accurate pay",
    "fact_need_payoff_1_requires": "I2",
    "fact_need_payoff_1_level": "normal",
    "obj_0_text": "你先别急着介绍功能，我们的门店情况你还不了解。",
    "obj_0_text_en": "Hold the feature tour; you don't know our stores yet.",
    "obj_0_trigger": "premature_pitch",
    "obj_0_handled_spin": "S, P",
    "obj_0_resolved": "好，这样聊下去才有意思。",
    "obj_0_resolved_en": "Good, that is a better conversation.",
    "obj_1_text": "你们的价格比排班宝贵不少吧？",
    "obj_1_text_en": "You cost more than Paibanbao, don't you?",
    "obj_1_trigger": "price",
    "obj_1_handled_spin": "I, N",
    "obj_1_handled_keywords": "成本, 回报",
    "obj_1_resolved": "如果能把缺人和流失的损失算清楚，价格可以再谈。",
    "obj_1_resolved_en": "If the cost of short staffing and turnover is clear, price can be discussed.",
    "sig_0_text": "你们上线一家店一般要多久？",
    "sig_0_text_en": "How long does one store take to go live?",
    "commit_kind": "introduction",
    "commit_description": "运营经理同意下周引荐运营总监，一起看试点方案。",
    "commit_description_en": "The operations manager introduces the operations director next week to review a pilot.",
    "commit_ask": "能否请您引荐一下运营总监，下周一起见面看看试点方案",
    "commit_ask_en": "Could you introduce us to the operations director to review a pilot next week?",
    "commit_keywords": "引荐, 运营总监, 见面",
    "commit_granted": "可以，我下周约运营总监一起，你把试点方案准备好。",
    "commit_granted_en": "Fine, I'll set it up with the director next week; bring the pilot plan.",
}


def strong_and_weak_scorecards(client, headers: dict, scenario_id: str, scenario) -> dict[str, dict]:
    """Play the scripted strong SPIN rep and the weak pitching rep on one scenario; their scorecards."""
    from tests.utils.scripted_reps import strong_rep_lines, weak_rep_lines

    scores = {}
    for name, lines in (("strong", strong_rep_lines(scenario)), ("weak", weak_rep_lines(scenario))):
        started = client.post("/api/roleplays", json={"scenario_id": scenario_id}, headers=headers)
        assert started.status_code == 201, started.text
        roleplay_id = started.json()["id"]
        for line in lines:
            turn = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}, headers=headers).json()
            assert "state" in turn, (line, turn)
            if turn["state"]["finished"]:
                break
        scores[name] = client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).json()["scorecard"]
    return scores


def assert_strong_beats_weak(scores: dict[str, dict]) -> None:
    assert scores["strong"]["total"] > scores["weak"]["total"]
    assert scores["strong"]["facts_share"] > scores["weak"]["facts_share"]
    assert scores["strong"]["commitment_won"] and not scores["weak"]["commitment_won"]


# A valid draft scenario as the loopback model writes it (the editor's draft-from-material tests).
DRAFT = {
    "title_zh": "连锁药店会员系统：拜访营运总监",
    "title_en": "Pharmacy chain loyalty system",
    "industry": "retail",
    "company_name": "康宁大药房（虚构）",
    "company_size": "300 家门店",
    "company_context": "华南的连锁药店。",
    "deal_context": "总部在评估会员营销系统。",
    "our_offering": "会员营销云服务。",
    "competitors": ["某友"],
    "persona_name": "林峰",
    "persona_title": "营运总监",
    "communication_style": "style.driver",
    "purchase_role": "org.role.decision_maker",
    "opening_line": "你好，直接说重点吧。",
    "facts": {
        category: [{"text": f"{category} 的一条信息，足够长。", "text_en": "", "topics": ["会员"]}]
        for category in ("situation", "problem", "implication", "need_payoff")
    },
    "objections": [{"text": "别急着推销。", "resolved_text": "好，你先问吧。"}],
    "buying_signals": ["你们上线要多久？"],
    "commitment": {
        "kind": "meeting",
        "description": "约定下周再谈。",
        "ask_zh": "我们下周再约见面好吗",
        "keywords": ["见面"],
        "granted_text": "行，下周见。",
    },
}
