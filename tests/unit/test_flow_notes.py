"""Markdown and CSV notes of each flow carry the key results and cite playbook element ids."""

import csv
import io

import pytest

from app.flows.notes import note_to_csv, note_to_markdown
from app.flows.results import compute_result
from app.playbook import get_playbook

ANSWERS = {
    "spin_call_plan": (
        {
            "account": "华东某汽车零部件厂",
            "industry": "manufacturing_erp",
            "first_meeting": "yes",
            "situation_known": "三个工厂，排产靠 Excel",
            "situation_questions": ["插单由谁批准？"],
            "suspected_problems": ["插单多", "库存不准"],
            "problem_questions": ["重新排产要多久？"],
            "implications": ["交期延误被罚款"],
            "implication_questions": ["去年被罚了多少？"],
            "need_payoffs": ["半小时给出新交期"],
            "need_payoff_questions": ["如果半小时就能确认交期，对接单有什么帮助？"],
            "commitment": "meet_decision_maker",
        },
        {},
    ),
    "dragon_diagnosis": (
        {
            "account": "XX维生素集团",
            "markers_reached": ["dragon.step.customer_analysis"],
            "opp_is_real": "yes",
            "opp_is_real_evidence": "选型小组已成立，预算已批",
            "opp_can_solve": "yes",
            "opp_can_solve_evidence": "两家同类药企案例",
            "opp_can_win": "partly",
            "opp_can_win_evidence": "信息部负责人倾向对手",
            "opp_worth_it": "yes",
            "opp_worth_it_evidence": "合同额大，利润率合理",
        },
        {
            "key_people": [
                {
                    "name": "王总",
                    "role": "org.role.decision_maker",
                    "relation": "dragon.relation.dating",
                    "relation_evidence": "参观过样板客户",
                }
            ]
        },
    ),
    "stakeholder_map": (
        {"account": "XX维生素集团"},
        {
            "stakeholders": [
                {
                    "name": "王总",
                    "title": "副总",
                    "role": "org.role.decision_maker",
                    "maslow": "fivedim.maslow.esteem",
                    "change": "fivedim.change.visionary",
                    "focus": "fivedim.focus.business",
                    "closeness": "fivedim.closeness.none",
                    "attitude": "fivedim.attitude.neutral",
                    "attitude_evidence": "没见过面",
                },
                {
                    "name": "仇经理",
                    "title": "信息部负责人",
                    "role": "org.role.designer",
                    "maslow": "fivedim.maslow.safety",
                    "change": "fivedim.change.pragmatist",
                    "focus": "fivedim.focus.technical",
                    "closeness": "fivedim.closeness.deep",
                    "attitude": "fivedim.attitude.opponent",
                    "attitude_evidence": "把报价透露给对手",
                },
            ]
        },
    ),
    "fivek_intensity": (
        {
            "account": "某厂 MES",
            "amount": 400000,
            "power_level": "fivek.power.l3",
            "problem_level": "fivek.problem.l5",
            "problem_side": "contact",
            "vision_level": "fivek.vision.l3",
            "vision_side": "contact",
            "value_level": "fivek.value.l1",
            "value_side": "contact",
            "control_level": "fivek.control.l2",
        },
        {},
    ),
    "opportunity_check": (
        {
            "account": "某省电信",
            "is_real": "yes",
            "is_real_evidence": "三月规划会确认立项，预算两千万",
            "can_solve": "yes",
            "can_solve_evidence": "邻省同规模项目一次验收",
            "can_win": "no",
            "can_win_evidence": "对手是集团指定供应商",
            "worth_it": "yes",
            "worth_it_evidence": "毛利百分之二十五",
        },
        {},
    ),
}


def _result(flow_id):
    answers, groups = ANSWERS[flow_id]
    return compute_result(flow_id, answers, groups)


@pytest.mark.parametrize("flow_id", list(ANSWERS))
def test_markdown_cites_every_cited_element(flow_id):
    result = _result(flow_id)
    markdown = note_to_markdown(flow_id, result)
    assert markdown.startswith("# ") and result.account in markdown
    assert result.citations, "every note cites the playbook"
    known = get_playbook().ids()
    for citation in result.citations:
        assert citation.id in known
        assert citation.name_zh in markdown and citation.source in markdown


@pytest.mark.parametrize("flow_id", list(ANSWERS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notes_show_no_internal_ids(flow_id, lang):
    """Users read element names, never ids like dragon.step.build_trust or fivek.problem.l5 (issue 19)."""
    result = _result(flow_id)
    texts = note_to_markdown(flow_id, result, lang) + note_to_csv(flow_id, result, lang)
    shown = sorted(element_id for element_id in get_playbook().ids() if element_id in texts)
    assert shown == []


@pytest.mark.parametrize("flow_id", list(ANSWERS))
def test_csv_parses_and_accepts_stored_json(flow_id):
    result = _result(flow_id)
    text = note_to_csv(flow_id, result)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) >= 3 and len({len(row) for row in rows}) == 1  # rectangular
    assert note_to_csv(flow_id, result.model_dump(mode="json")) == text  # a stored result renders the same


def test_spin_notes_contain_question_lists_and_commitment():
    markdown = note_to_markdown("spin_call_plan", _result("spin_call_plan"))
    assert "重新排产要多久？" in markdown and "去年被罚了多少？" in markdown and "引荐决策者" in markdown
    csv_text = note_to_csv("spin_call_plan", _result("spin_call_plan"))
    assert ",影响问题" in csv_text and "如果半小时就能确认交期" in csv_text


def test_dragon_notes_show_current_step_and_gaps():
    result = _result("dragon_diagnosis")
    markdown = note_to_markdown("dragon_diagnosis", result)
    assert "第2式 建立信任" in markdown and "王总" in markdown
    assert any(gap.zh in markdown for gap in result.gaps)
    assert "当前步骤,2,建立信任" in note_to_csv("dragon_diagnosis", result)


def test_stakeholder_notes_table_and_risks():
    result = _result("stakeholder_map")
    markdown = note_to_markdown("stakeholder_map", result)
    assert "| 王总 | 副总 | 决策者 |" in markdown
    assert "[高]" in markdown and "[中]" in markdown
    rows = list(csv.DictReader(io.StringIO(note_to_csv("stakeholder_map", result))))
    wang = next(row for row in rows if row["姓名"] == "王总")
    assert "没有联系或联系很少" in wang["风险"] and wang["对我方态度"] == "中立者"
    assert any(row["姓名"] == "（整体）" and row["风险"].startswith("没有指导者") for row in rows)


def test_fivek_notes_total_milestone_forecast():
    result = _result("fivek_intensity")
    # contact column: problem l5 10 + power l3 9 + vision l3 6 + value l1 1 + control l2 8 = 34; m25 reached.
    assert result.total == 34 and result.milestone.id == "milestone.m25"
    markdown = note_to_markdown("fivek_intensity", result)
    assert "34 / 100" in markdown and "**里程碑**: " in markdown and "100,000" in markdown
    rows = list(csv.reader(io.StringIO(note_to_csv("fivek_intensity", result))))
    assert ["总分", "", "", "34"] in rows and any(row[-1] == "25%" for row in rows)
    english = note_to_markdown("fivek_intensity", result, lang="en")
    assert "Total" in english and "Weighted forecast" in english


def test_opportunity_notes_verdict():
    result = _result("opportunity_check")
    assert result.verdict == "no_go"
    markdown = note_to_markdown("opportunity_check", result)
    assert "暂不推进" in markdown and "对手是集团指定供应商" in markdown
    assert "结论,,暂不推进" in note_to_csv("opportunity_check", result)


@pytest.mark.parametrize("flow_id", list(ANSWERS))
def test_result_json_schema_matches_result(flow_id):
    from app.flows import result_json_schema

    schema = result_json_schema(flow_id)
    dumped = _result(flow_id).model_dump(mode="json")
    assert set(schema["required"]) <= set(dumped) and "citations" in schema["properties"]


def test_english_step_labels_come_from_the_playbook():
    from app.flows import answer, start

    state, _ = start("stakeholder_map", lang="en")
    answer(state, "Vitamin maker ERP")
    answer(state, "Mr Wang")
    view = answer(state, "VP").step
    decision_maker = get_playbook().element("org.role.decision_maker")
    assert view.prompt.startswith("Decision participant #1") and decision_maker.name_en in [
        o.label for o in view.options
    ]
