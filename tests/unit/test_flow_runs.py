"""Run each of the five real flows to the end with realistic Chinese answers and check the computed notes."""

from typing import Any

import pytest

from app.flows.engine import AnswerError, FlowRunState, Outcome, answer, start
from app.flows.results import compute_result
from app.playbook import get_playbook

PROBE = "?"  # marks a step id expected to come back as a probe


def drive(flow_id: str, script: list[tuple[str, Any]]) -> Outcome:
    """Answer step by step; each entry is (expected step id, reply); "id?" expects a probe of that step."""
    state, view = start(flow_id)
    outcome: Outcome | None = None
    for expected, reply in script:
        wants_probe = expected.endswith(PROBE)
        assert view.id == expected.rstrip(PROBE), f"expected {expected}, got {view.id} ({view.prompt})"
        assert view.probe is wants_probe, f"probe flag at {view.id}"
        outcome = answer(state, reply)
        if outcome.done:
            break
        view = outcome.step
    assert outcome is not None and outcome.done, f"flow not finished, waiting at {view.id}"
    return outcome


def codes(messages) -> list[str]:
    return [message.code for message in messages]


# ---------------------------------------------------------------------------
# spin_call_plan


SPIN_SCRIPT = [
    ("account", "华东某汽车零部件厂，生产副总李总"),
    ("industry", "制造业 / ERP"),
    ("first_meeting", "不是，之前见过"),
    ("last_commitment", "上次答应给我们看现有的排产表，已经发过来了"),
    ("situation_known", "三个工厂，用的是十年前的老版本 ERP，排产靠计划员用 Excel"),
    ("situation_questions", ["插单一般由谁批准？"]),
    ("suspected_problems", ["插单多"]),
    ("suspected_problems?", "库存数和仓库实际数对不上"),
    ("problem_questions", "插单的时候，重新排产要花多长时间？"),
    ("implications", ["交期延误被主机厂罚款", "为了保险多备安全库存，占用资金"]),
    ("implication_questions", ["去年因为交期被罚了多少钱？"]),
    ("need_payoffs", ["插单后半小时内给出新交期", "库存资金降低两成"]),
    ("need_payoff_questions", ["如果插单后半小时就能确认交期，对接单有什么帮助？"]),
    ("commitment", "other"),
    ("commitment_other", "请李总安排我们和三位计划员做一次现场访谈"),
]


def test_spin_call_plan_full_run_with_probe_and_branches():
    result = drive("spin_call_plan", SPIN_SCRIPT).result
    playbook = get_playbook()
    assert result.account.startswith("华东某汽车零部件厂")
    assert result.industry.id == "manufacturing_erp" and result.first_meeting is False
    assert result.last_commitment and "排产表" in result.last_commitment
    assert [group.spin_type for group in result.groups] == [
        "spin.situation",
        "spin.problem",
        "spin.implication",
        "spin.need_payoff",
    ]
    problem = result.groups[1]
    assert problem.basis == ["插单多", "库存数和仓库实际数对不上"]  # the probe reply was added
    assert problem.own_questions == ["插单的时候，重新排产要花多长时间？"]
    # Suggestions: our template from the rep's own problem plus the playbook's manufacturing examples.
    assert any("插单多" in q for q in problem.suggested_questions)
    manufacturing_examples = playbook.element("spin.problem").examples["manufacturing_erp"].zh
    assert manufacturing_examples[0] in problem.suggested_questions
    implication = result.groups[2]
    assert any("交期延误被主机厂罚款" in q for q in implication.suggested_questions)
    assert result.commitment.id == "other" and "现场访谈" in result.commitment_detail
    assert "no_implication_questions" not in codes(result.warnings)
    assert {c.id for c in result.citations} >= {
        "spin.situation",
        "spin.problem",
        "spin.implication",
        "spin.need_payoff",
    }


def test_spin_call_plan_first_meeting_skips_last_commitment_and_warns():
    script = [
        ("account", "某城商行零售部张总"),
        ("industry", "bank_crm"),
        ("first_meeting", "yes"),
        ("situation_known", "分行二十家，客户经理三百人，去年换了新行长"),
        ("situation_questions", [f"情景问题{i}：现在有多少客户经理？" for i in range(6)]),
        ("suspected_problems", ["客户信息分散在各个系统", "客户经理流失带走客户"]),
        ("problem_questions", ""),
        ("implications", ["高净值客户被别的银行挖走，存款流失"]),
        ("implication_questions", ""),
        ("need_payoffs", ["客户经理离职后客户仍能留在行里"]),
        ("need_payoff_questions", ""),
        ("commitment", "引荐决策者"),
    ]
    result = drive("spin_call_plan", script).result
    assert result.last_commitment is None
    assert result.commitment.id == "meet_decision_maker"
    assert {"too_many_situation_questions", "no_implication_questions"} <= set(codes(result.warnings))
    bank_examples = get_playbook().element("spin.situation").examples["bank_crm"].zh
    assert bank_examples[0] in result.groups[0].suggested_questions


def test_spin_call_plan_flags_question_in_wrong_list():
    answers = {
        "account": "某厂",
        "industry": "general",
        "first_meeting": "yes",
        "situation_known": "两个工厂，老系统用了八年",
        "situation_questions": ["如果库存能实时准确，对您的生产计划有什么帮助？"],
        "suspected_problems": ["库存不准"],
        "implications": ["多备库存占用资金"],
        "need_payoffs": ["库存资金下降"],
        "commitment": "demo",
    }
    result = compute_result("spin_call_plan", answers, {})
    mismatches = [w for w in result.warnings if w.code == "spin_type_mismatch"]
    assert mismatches and "库存能实时准确" in mismatches[0].zh


# ---------------------------------------------------------------------------
# dragon_diagnosis


DRAGON_SCRIPT = [
    ("account", "XX维生素集团 ERP 选型"),
    ("markers_reached", ["dragon.step.customer_analysis", "dragon.step.present_value"]),
    ("key_people.name", "王总"),
    ("key_people.role", "org.role.decision_maker"),
    ("key_people.relation", "dragon.relation.dating"),
    ("key_people.relation_evidence", "差不多吧"),
    ("key_people.relation_evidence?", "上月接受邀请去参观了我们在苏州的样板客户"),
    ("key_people.more", "yes"),
    ("key_people.name", "张工"),
    ("key_people.role", "org.role.user"),
    ("key_people.relation", "dragon.relation.trust"),
    ("key_people.relation_evidence", "周末一起打球，私下说支持我们的方案"),
    ("key_people.more", "no"),
    ("opp_is_real", "yes"),
    ("opp_is_real_evidence", "集团已成立选型小组并请了咨询公司，预算年初批了"),
    ("opp_can_solve", "yes"),
    ("opp_can_solve_evidence", "我们做过两家同类药企的 GMP 场景，有现成案例"),
    ("opp_can_win", "unknown"),
    ("opp_worth_it", "partly"),
    ("opp_worth_it_evidence", "金额大，但实施周期长、利润率一般"),
]


def test_dragon_diagnosis_full_run():
    result = drive("dragon_diagnosis", DRAGON_SCRIPT).result
    assert result.current_step.id == "dragon.step.build_trust" and result.current_step_order == 2
    assert result.markers_reached == ["dragon.step.customer_analysis", "dragon.step.present_value"]
    assert result.end_marker_zh == get_playbook().element("dragon.step.build_trust").end_marker.zh
    gap_codes = codes(result.gaps)
    assert "skipped_step" in gap_codes  # present_value ticked while build_trust is open
    assert "no_alliance" in gap_codes
    assert "no_decision_maker" not in gap_codes
    assert gap_codes.count("opportunity_open") == 2  # can_win unknown, worth_it partly
    wang = result.people[0]
    assert wang.relation_evidence == "上月接受邀请去参观了我们在苏州的样板客户"  # vague first answer replaced
    assert wang.next_relation.id == "dragon.relation.trust" and wang.next_activities_zh
    assert result.opportunity[2].answer == "unknown" and result.opportunity[2].evidence is None
    move_ids = [m.cites[0] for m in result.next_actions if m.code == "step_move"]
    assert move_ids and all(i.startswith("dragon.step.build_trust.") for i in move_ids)


def test_dragon_diagnosis_decision_maker_gaps():
    base = {
        "account": "某银行",
        "opp_is_real": "unknown",
        "opp_can_solve": "yes",
        "opp_can_solve_evidence": "有同类银行案例三家",
        "opp_can_win": "yes",
        "opp_can_win_evidence": "关键人里两位明确支持我们",
        "opp_worth_it": "yes",
        "opp_worth_it_evidence": "合同额八百万，毛利三成以上",
    }
    reached = {"markers_reached": ["dragon.step.customer_analysis", "dragon.step.build_trust"]}
    dm_dating = {
        "key_people": [
            {
                "name": "赵行长",
                "role": "org.role.decision_maker",
                "relation": "dragon.relation.dating",
                "relation_evidence": "一起吃过一次饭",
            }
        ]
    }
    result = compute_result("dragon_diagnosis", {**base, **reached}, dm_dating)
    assert result.current_step.id == "dragon.step.uncover_needs"
    assert {"decision_maker_relation_low", "opportunity_unconfirmed", "no_alliance"} <= set(codes(result.gaps))
    user_only = {
        "key_people": [
            {
                "name": "小李",
                "role": "org.role.user",
                "relation": "dragon.relation.alliance",
                "relation_evidence": "主动给我们内部资料",
            }
        ]
    }
    result = compute_result("dragon_diagnosis", base, user_only)
    assert result.current_step.id == "dragon.step.customer_analysis"
    assert "no_decision_maker" in codes(result.gaps)
    assert "no_alliance" not in codes(result.gaps) and "opportunity_unconfirmed" not in codes(result.gaps)


# ---------------------------------------------------------------------------
# stakeholder_map


def person(**overrides: str) -> list[tuple[str, Any]]:
    values = {
        "name": "王总",
        "title": "分管信息化副总",
        "role": "org.role.decision_maker",
        "maslow": "fivedim.maslow.self_actualization",
        "change": "fivedim.change.visionary",
        "focus": "fivedim.focus.business",
        "closeness": "fivedim.closeness.few",
        "attitude": "fivedim.attitude.neutral",
        "attitude_evidence": "交流时一直在问竞争对手的案例，没有表态",
    } | overrides
    return [(f"stakeholders.{key}", value) for key, value in values.items()]


def test_stakeholder_map_two_people_probe_branch_and_risks():
    script = [("account", "XX维生素集团 ERP 选型")]
    script += person(attitude_evidence="还行")[:-1] + [
        ("stakeholders.attitude_evidence", "还行"),
        ("stakeholders.attitude_evidence?", "交流时一直在问竞争对手的案例，没有表态"),
        ("stakeholders.more", "还有，继续添加"),
    ]
    script += person(
        name="仇经理",
        title="信息部负责人",
        role="org.role.designer",
        maslow="fivedim.maslow.safety",
        change="fivedim.change.pragmatist",
        focus="fivedim.focus.technical",
        closeness="fivedim.closeness.deep",
        attitude="fivedim.attitude.opponent",
        attitude_evidence="他把我们的报价透露给了竞争对手的销售",
    )
    script += [("stakeholders.backs_competitor", "用友，合作了十年"), ("stakeholders.more", "no")]
    result = drive("stakeholder_map", script).result
    assert [row.name for row in result.rows] == ["王总", "仇经理"]
    assert result.rows[0].attitude_evidence == "交流时一直在问竞争对手的案例，没有表态"
    assert result.rows[0].backs_competitor is None and result.rows[1].backs_competitor == "用友，合作了十年"
    risk_codes = {risk.code for risk in result.risks}
    assert {"no_coach", "decision_maker_unreached", "opponent_close_ties", "no_support"} <= risk_codes
    assert "all_neutral" not in risk_codes and "no_decision_maker" not in risk_codes
    unreached = next(r for r in result.risks if r.code == "decision_maker_unreached")
    assert unreached.people == ["王总"]
    # Actions per person come from the playbook entries of that person's dimensions.
    playbook = get_playbook()
    wang_actions = " ".join(m.zh for m in result.rows[0].actions)
    assert playbook.element("fivedim.change.visionary").value_position_zh in wang_actions
    assert playbook.element("fivedim.maslow.self_actualization").rep_actions_zh[0] in wang_actions
    assert all(m.cites for m in result.rows[1].actions)


def _row(name: str, role: str, closeness: str, attitude: str) -> dict[str, str]:
    return {
        "name": name,
        "title": "职务",
        "role": role,
        "maslow": "fivedim.maslow.safety",
        "change": "fivedim.change.pragmatist",
        "focus": "fivedim.focus.business",
        "closeness": closeness,
        "attitude": attitude,
        "attitude_evidence": "例会上的表态",
    }


def _risks(*rows: dict[str, str]) -> set[str]:
    result = compute_result("stakeholder_map", {"account": "某厂"}, {"stakeholders": list(rows)})
    return {risk.code for risk in result.risks}


def test_risk_all_neutral_fires_only_when_everyone_is_neutral():
    neutral = "fivedim.attitude.neutral"
    both_neutral = _risks(
        _row("甲", "org.role.decision_maker", "fivedim.closeness.many", neutral),
        _row("乙", "org.role.user", "fivedim.closeness.many", neutral),
    )
    assert "all_neutral" in both_neutral and "no_support" not in both_neutral
    one_supporter = _risks(
        _row("甲", "org.role.decision_maker", "fivedim.closeness.many", neutral),
        _row("乙", "org.role.user", "fivedim.closeness.many", "fivedim.attitude.supporter"),
    )
    assert "all_neutral" not in one_supporter and "no_support" not in one_supporter


def test_risk_coach_and_reached_decision_maker_clear_flags():
    risks = _risks(
        _row("甲", "org.role.decision_maker", "fivedim.closeness.many", "fivedim.attitude.supporter"),
        _row("乙", "org.role.evaluator", "fivedim.closeness.deep", "fivedim.attitude.coach"),
    )
    assert not risks & {
        "no_coach",
        "decision_maker_unreached",
        "no_decision_maker",
        "decision_maker_against",
        "single_contact",
    }


def test_risk_decision_maker_missing_against_and_single_contact():
    assert {"no_decision_maker", "single_contact"} <= _risks(
        _row("甲", "org.role.user", "fivedim.closeness.few", "fivedim.attitude.coach")
    )
    against = _risks(
        _row("甲", "org.role.decision_maker", "fivedim.closeness.none", "fivedim.attitude.non_supporter"),
        _row("乙", "org.role.user", "fivedim.closeness.many", "fivedim.attitude.coach"),
    )
    assert {"decision_maker_against", "decision_maker_unreached"} <= against


def test_risk_opponent_only_flagged_with_close_ties_and_supporter_without_contact():
    far_opponent = _risks(
        _row("甲", "org.role.decision_maker", "fivedim.closeness.many", "fivedim.attitude.coach"),
        _row("乙", "org.role.user", "fivedim.closeness.none", "fivedim.attitude.opponent"),
    )
    assert "opponent_close_ties" not in far_opponent
    odd = _risks(
        _row("甲", "org.role.decision_maker", "fivedim.closeness.many", "fivedim.attitude.coach"),
        _row("乙", "org.role.user", "fivedim.closeness.none", "fivedim.attitude.supporter"),
    )
    assert "support_without_contact" in odd


# ---------------------------------------------------------------------------
# fivek_intensity


def test_fivek_full_run_reaches_m25_with_documented_total():
    script = [
        ("account", "XX维生素集团 ERP 选型"),
        ("amount", "85万"),
        ("power_level", "fivek.power.l4"),
        ("problem_level", "fivek.problem.l5"),
        ("problem_side", "决策者"),
        ("vision_level", "fivek.vision.l3"),
        ("vision_side", "经办人"),
        ("value_level", "fivek.value.l2"),
        ("value_side", "contact"),
        ("control_level", "fivek.control.l2"),
    ]
    result = drive("fivek_intensity", script).result
    points = {score.dimension.id: score.points for score in result.scores}
    # 002 tables: problem l5 with the decision maker 20, power l4 10, vision l3 contact 6,
    # value l2 contact 2, control l2 8 -> 46.
    assert points == {"fivek.problem": 20, "fivek.power": 10, "fivek.vision": 6, "fivek.value": 2, "fivek.control": 8}
    assert result.total == 46
    # m10 (problem >= l2 and l5, vision >= l3) and m25 (power >= l3, control >= l2) are met;
    # m50 needs the vision with the decision maker.
    assert result.milestone.id == "milestone.m25" and result.probability == 25
    assert result.amount == 850_000 and result.weighted_forecast == pytest.approx(212_500)
    assert result.next_milestone.id == "milestone.m50"
    assert any("愿景" in line for line in result.unmet_criteria_zh)
    assert "reach_level" in codes(result.advice)


def test_fivek_low_power_skips_side_questions_and_scores_contact():
    script = [
        ("account", "某城商行 CRM"),
        ("amount", ""),
        ("power_level", "fivek.power.l2"),
        ("problem_level", "fivek.problem.l5"),
        ("vision_level", "fivek.vision.l1"),
        ("value_level", "fivek.value.l0"),
        ("control_level", "fivek.control.l1"),
    ]
    result = drive("fivek_intensity", script).result
    # contact column: problem l5 10, power l2 8, vision l1 2, value l0 0, control l1 4 -> 24;
    # vision below l3 so not even m10.
    assert result.total == 24
    assert all(score.side == "contact" for score in result.scores)
    assert result.milestone is None and result.probability == 0
    assert result.amount is None and result.weighted_forecast is None
    assert result.next_milestone.id == "milestone.m10"


def test_fivek_m75_and_forecast():
    answers = {
        "account": "某医院 HIS",
        "amount": 1_000_000,
        "power_level": "fivek.power.l6",
        "problem_level": "fivek.problem.l5",
        "problem_side": "decision_maker",
        "vision_level": "fivek.vision.l3",
        "vision_side": "decision_maker",
        "value_level": "fivek.value.l5",
        "value_side": "decision_maker",
        "control_level": "fivek.control.l5",
    }
    result = compute_result("fivek_intensity", answers, {})
    # 16 (power l6) + 20 (problem l5 dm) + 20 (vision l3 dm) + 18 (value l5 dm) + 16 (control l5) = 90
    assert result.total == 90
    assert result.milestone.id == "milestone.m75" and result.weighted_forecast == pytest.approx(750_000)
    assert result.next_milestone.id == "milestone.m90"


def test_fivek_invalid_answers():
    state, _ = start("fivek_intensity")
    answer(state, "某厂 MES")
    with pytest.raises(AnswerError):
        answer(state, "-3")
    answer(state, 500000)
    with pytest.raises(AnswerError) as error:
        answer(state, "fivek.power.l9")
    assert "不是可选项" in error.value.message_zh
    with pytest.raises(AnswerError):
        answer(state, ["fivek.power.l1"])


# ---------------------------------------------------------------------------
# opportunity_check


def _opportunity(is_real: tuple, can_solve: tuple, can_win: tuple, worth_it: tuple) -> list[tuple[str, Any]]:
    script: list[tuple[str, Any]] = [("account", "某省电信城域网扩容")]
    for key, entries in (("is_real", is_real), ("can_solve", can_solve), ("can_win", can_win), ("worth_it", worth_it)):
        script.append((key, entries[0]))
        script += [(step if step.endswith(PROBE) else f"{key}_{step}", reply) for step, reply in entries[1:]]
    return script


SOLID = {
    "is_real": ("是", ("evidence", "网络部刘处长在三月的规划会上确认今年立项，预算两千万")),
    "can_solve": ("是", ("evidence", "去年给邻省做过同规模扩容，验收一次通过")),
    "can_win": ("是", ("evidence", "技术评估组五人里三人明确倾向我们的方案")),
    "worth_it": ("是", ("evidence", "毛利率预计百分之二十五，且能进入集团供应商名录")),
}


def test_opportunity_go():
    result = drive("opportunity_check", _opportunity(*SOLID.values())).result
    assert result.verdict == "go" and not result.conditions
    assert codes(result.reasons) == ["confirmed"] * 4


def test_opportunity_conditions_with_probe_and_thin_evidence():
    can_win = ("部分是 / 待确认", ("evidence", "不清楚"), ("can_win_evidence?", "对手是老供应商，但评估组换了新组长"))
    worth_it = ("是", ("evidence", "还行"), ("worth_it_evidence?", ""))  # probe declined: evidence stays thin
    result = drive("opportunity_check", _opportunity(SOLID["is_real"], SOLID["can_solve"], can_win, worth_it)).result
    assert result.verdict == "go_with_conditions"
    assert codes(result.conditions) == ["needs_verification", "needs_verification"]
    assert result.questions[3].evidence_thin is True and result.questions[2].evidence_thin is False


def test_opportunity_no_go_on_any_no():
    worth_it = ("否", ("evidence", "报价压到成本线以下，还要求免费驻场两年"))
    result = drive(
        "opportunity_check", _opportunity(SOLID["is_real"], SOLID["can_solve"], SOLID["can_win"], worth_it)
    ).result
    assert result.verdict == "no_go" and codes(result.reasons) == ["answered_no"]


def test_opportunity_unknown_real_is_no_go_and_asks_plan():
    is_real = ("不清楚", ("plan", "下周找网络部刘处长确认是否已经立项"))
    result = drive(
        "opportunity_check", _opportunity(is_real, SOLID["can_solve"], SOLID["can_win"], SOLID["worth_it"])
    ).result
    assert result.verdict == "no_go" and codes(result.reasons) == ["is_real_unknown"]
    assert result.questions[0].plan == "下周找网络部刘处长确认是否已经立项"


def test_finished_state_is_json_serialisable():
    state, _ = start("opportunity_check")
    for _, reply in _opportunity(*SOLID.values()):
        outcome = answer(state, reply)
    assert outcome.done and state.done
    restored = FlowRunState.model_validate_json(state.model_dump_json())
    assert restored.answers == state.answers
    assert outcome.model_dump(mode="json")["result"]["verdict"] == "go"
