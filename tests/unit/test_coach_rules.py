"""Issue 16: the coach scores like the methodology (advances, one pitch rule, SPIN weighting, evidence, own words)."""

from pathlib import Path

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.asks import classify_ask, is_premature_pitch
from app.roleplay.feedback import build_feedback
from app.roleplay.rubric import RUBRIC_PATH, RubricError, get_rubric, load_rubric_file
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scorecard import build_scorecard
from app.roleplay.scripted_buyer import ScriptedBuyer
from app.roleplay.state import SessionState
from tests.utils.scripted_reps import strong_rep_lines

SCENARIOS = load_scenarios()


def play(scenario, lines):
    """(state, feedback per line) after playing the lines through the offline buyer."""
    buyer = ScriptedBuyer(scenario)
    state = buyer.opening(SessionState.start(scenario)).state
    feedback = []
    for line in lines:
        spin = classify_spin(line)
        turn = buyer.reply(state, line, spin)
        feedback.append(build_feedback(scenario, spin, turn, line))
        state = turn.state
    return state, feedback


def discovery(scenario):
    """The strong rep's discovery and value summary, without his closing ask."""
    return strong_rep_lines(scenario)[:-1]


def test_a_continuation_after_good_discovery_earns_no_commitment_and_the_tip_shows_an_advance():
    scenario = SCENARIOS["logistics_tms"]
    state, feedback = play(scenario, [*discovery(scenario), "那能不能改天再约个时间聊聊？"])
    last = feedback[-1]
    assert last.ask_kind == "continuation" and not last.commitment_won and not state.commitment_won
    assert last.tip.key == "continuation_not_advance"
    assert "延续" in last.tip.text and get_rubric().for_scenario(scenario).example_advance.zh in last.tip.text
    card = build_scorecard(scenario, state)
    assert card.outcome == "continuation" and card.components["commitment"].points == 0
    advance_card = build_scorecard(scenario, play(scenario, strong_rep_lines(scenario))[0])
    assert advance_card.outcome == "advance" and advance_card.commitment_won
    assert advance_card.total > card.total + 15


@pytest.mark.parametrize(
    "text", ["能不能约个时间再聊聊？", "我先发份资料给您看看，回头再联系。", "Could we catch up again next week?"]
)
def test_continuations_are_never_granted(text):
    scenario = SCENARIOS["logistics_tms"]
    state, feedback = play(scenario, [*discovery(scenario), text])
    assert feedback[-1].ask_kind == "continuation"
    assert not state.commitment_won


def test_asking_a_designer_to_sign_gets_a_realistic_answer_and_no_commitment():
    scenario = SCENARIOS["mfg_vitamin_erp"]  # the persona is the IT head: a designer, not the decision maker
    state, feedback = play(scenario, [*discovery(scenario), "那我们什么时候可以签合同？"])
    last = feedback[-1]
    assert last.ask_kind == "order" and not state.commitment_won
    assert last.tip.key == "order_wrong_person"
    replies = get_rubric().buyer_replies["order_not_decider"].zh
    buyer_words = (
        ScriptedBuyer(scenario)
        .reply(
            play(scenario, discovery(scenario))[0],
            "那我们什么时候可以签合同？",
            classify_spin("那我们什么时候可以签合同？"),
        )
        .text
    )
    assert any(reply in buyer_words for reply in replies)
    assert scenario.success.commitment.granted_text not in buyer_words
    assert build_scorecard(scenario, state).outcome == "order"


def test_an_advance_that_is_not_this_scenarios_commitment_is_not_granted():
    scenario = SCENARIOS["logistics_tms"]
    text = "能不能请您引荐一下财务总监，我们一起评估一下投入？"
    ask = classify_ask(scenario, text, classify_spin(text))
    assert ask.kind == "advance" and not ask.matches
    state, _ = play(scenario, [*discovery(scenario), text])
    assert not state.commitment_won


def test_a_discount_is_a_premature_pitch_live_and_in_the_score():
    scenario = SCENARIOS["logistics_tms"]
    lines = ["您好，现在车队的规模大概是怎样的？", "我们还能给您打个八折"]
    state, feedback = play(scenario, lines)
    assert feedback[-1].premature_pitch and feedback[-1].trust_delta < 0
    card = build_scorecard(scenario, state, rep_texts=lines)
    assert (
        card.premature_pitches == 1
        and card.components["pitch_discipline"].points < card.components["pitch_discipline"].max_points
    )
    assert any(turn.turn == 2 and "过早推介" in turn.why_zh for turn in card.weakest_turns)
    # Even once the need is explicit, a discount the buyer never asked about answers no stated need.
    state, feedback = play(scenario, [*discovery(scenario), "我们还能给您打个八折"])
    assert feedback[-1].premature_pitch
    assert build_scorecard(scenario, state).premature_pitches == 1


def test_live_tag_and_score_use_the_same_pitch_rule():
    for scenario in SCENARIOS.values():
        state, feedback = play(scenario, ["我们的系统功能非常强大，很多大客户都在用。", *discovery(scenario)])
        assert [item.premature_pitch for item in feedback] == [record.premature_pitch for record in state.history]
        assert build_scorecard(scenario, state).premature_pitches == sum(item.premature_pitch for item in feedback)


def test_a_pitch_tied_to_the_need_the_buyer_stated_is_not_premature():
    scenario = SCENARIOS["logistics_tms"]
    state, _ = play(scenario, discovery(scenario)[:-1])
    assert state.need_established()
    assert not is_premature_pitch(scenario, state, "结合您刚才说的全程可视，我们的在途跟踪正好能做到。")
    assert is_premature_pitch(scenario, SessionState.start(scenario), "我们的在途跟踪正好能做到。")


def test_eight_irrelevant_situation_questions_lower_the_score_and_are_named():
    scenario = SCENARIOS["logistics_tms"]
    lines = strong_rep_lines(scenario)
    irrelevant = [
        "贵公司成立多少年了？",
        "公司办公室在哪个区？",
        "您平时几点上班？",
        "公司有多少个部门？",
        "你们用什么品牌的电脑？",
        "食堂一般几点开饭？",
        "公司有几层楼？",
        "您来公司多久了？",
    ]
    padded = [*lines[:3], *irrelevant, *lines[3:]]
    base = build_scorecard(scenario, play(scenario, lines)[0], rep_texts=lines)
    card = build_scorecard(scenario, play(scenario, padded)[0], rep_texts=padded)
    assert card.total < base.total
    assert len(card.excess_situation_turns) >= 6
    assert any("多余的背景问题" in item.text_zh for item in card.improvements)
    assert not any("多问情境问题" in item.text_zh for item in card.improvements + base.improvements)


def test_situation_facts_are_worth_less_than_need_payoff_facts():
    weights = get_rubric().category_weights
    assert weights["situation"] < weights["problem"] < weights["implication"] <= weights["need_payoff"]


def test_no_objection_raised_means_objection_handling_is_not_applicable():
    scenario = SCENARIOS["logistics_tms"]
    card = build_scorecard(scenario, play(scenario, strong_rep_lines(scenario))[0])
    assert card.objections_raised == []
    assert card.components["objections"].applicable is False
    assert not any("顾虑都得到了回应" in item.text_zh for item in card.strengths)


def test_a_call_without_a_real_question_scores_near_zero():
    scenario = SCENARIOS["bank_retail_crm"]
    lines = ["您好，我是做零售 CRM 的。", "我们的系统非常好用。", "很多银行都在用我们的产品。", "今天就先这样。"]
    card = build_scorecard(scenario, play(scenario, lines)[0], rep_texts=lines)
    assert card.questions == 0 and card.total <= 3
    assert card.outcome in ("no_ask", "continuation", "ended_by_buyer")


def test_5k_levels_cite_evidence_and_claim_nothing_without_it():
    scenario = SCENARIOS["mfg_vitamin_erp"]
    three_situation = strong_rep_lines(scenario)[:1] + ["你们出口的比例大概多少？", "目前的咨询公司是哪家？"]
    state, _ = play(scenario, ["目前贵公司在现有系统方面是怎么安排的？能具体介绍一下吗？"])
    card = build_scorecard(scenario, state)
    evidence = {item.dimension: item for item in card.intensity_evidence}
    assert card.intensity_levels["power"] == "fivek.power.l0" and "未建立" in evidence["power"].reason_zh
    assert card.intensity_levels["control"] == "fivek.control.l0"
    state, _ = play(scenario, three_situation)
    assert build_scorecard(scenario, state).intensity_levels["power"] in ("fivek.power.l0", "fivek.power.l2")
    # The selection-team fact (who decides, how) is the evidence for power l2, cited with its turn.
    state, _ = play(scenario, strong_rep_lines(scenario)[:2])
    card = build_scorecard(scenario, state)
    evidence = {item.dimension: item for item in card.intensity_evidence}
    assert card.intensity_levels["power"] == "fivek.power.l2"
    assert evidence["power"].fact_id == "s_selection_team" and evidence["power"].turn == 2
    assert card.milestone_id is None


def test_value_validation_and_control_need_a_concrete_agreed_step():
    scenario = SCENARIOS["logistics_tms"]
    state, _ = play(scenario, discovery(scenario))
    levels = build_scorecard(scenario, state).intensity_levels
    assert levels["control"] == "fivek.control.l0"
    assert levels["value"] == "fivek.value.l3"  # stated, not validated
    won = build_scorecard(scenario, play(scenario, strong_rep_lines(scenario))[0])
    assert won.intensity_levels["value"] == "fivek.value.l3" and won.intensity_levels["control"] != "fivek.control.l0"
    assert won.milestone_id != "milestone.m50"


def test_the_live_tip_never_gives_away_the_win_condition():
    for scenario in SCENARIOS.values():
        _, feedback = play(scenario, strong_rep_lines(scenario))
        commitment = scenario.success.commitment
        for item in feedback:
            if item.tip.key == "commitment_won":
                continue
            assert commitment.description not in item.tip.text
            assert commitment.ask_zh not in item.tip.text


def test_scorecard_quotes_the_best_question_and_feedback_is_true_for_the_call():
    scenario = SCENARIOS["mfg_vitamin_erp"]
    lines = strong_rep_lines(scenario)
    card = build_scorecard(scenario, play(scenario, lines)[0], rep_texts=lines)
    assert card.best_question is not None and card.best_question.text in lines
    assert card.best_question.element_name_zh in ("影响问题", "需求效益问题")
    # The buyer stated the multi-million loss: the "dig into consequences" line must not appear.
    assert card.facts["implication"].revealed > 0
    assert not any("后果挖得不够" in item.text_zh for item in card.improvements)


def test_rubric_is_data_with_errors_naming_the_file_and_field(tmp_path: Path):
    rubric = get_rubric()
    assert sum(component.weight for component in rubric.components) == 100
    view = rubric.public_view("en")
    assert {"name", "weight", "rule"} <= set(view[0]) and all(item["rule"] for item in view)
    broken = tmp_path / "rubric.yaml"
    broken.write_text(
        RUBRIC_PATH.read_text(encoding="utf-8").replace("weight: 25\n", "weight: 26\n", 1), encoding="utf-8"
    )
    with pytest.raises(RubricError, match="sum to 100") as error:
        load_rubric_file(broken)
    assert str(error.value).startswith("rubric.yaml: ")
    broken.write_text(
        RUBRIC_PATH.read_text(encoding="utf-8").replace("min_questions: 3", "min_questions: zero"), encoding="utf-8"
    )
    with pytest.raises(RubricError, match="field min_questions"):
        load_rubric_file(broken)


def test_gift_passages_state_the_line_and_never_advise_anything_like_a_bribe():
    from app.config import REPO_ROOT
    from app.playbook import get_playbook

    playbook = get_playbook()
    physiological = playbook.element("fivedim.maslow.physiological")
    assert any("贿赂" in action and "双方公司" in action for action in physiological.rep_actions_zh)
    assert not any("换取" in action for action in physiological.rep_actions_zh)
    trust_stage = playbook.element("dragon.relation.trust")
    gifts = [activity.zh for activity in trust_stage.activities if "礼" in activity.zh]
    assert gifts and all("贿赂" in text and "较重" not in text for text in gifts)
    for name in ("relationship_stages.md", "five_dimensions.md"):
        text = (REPO_ROOT / "knowledge" / name).read_text(encoding="utf-8")
        assert "看起来像贿赂" in text and "较重礼品" not in text and "以此换取" not in text
    # The stakeholder-map note shows every action of the need level, so the caution is never cut off.
    from app.flows.notes import note_to_markdown
    from app.flows.results import compute_result

    person = {
        "name": "李工",
        "title": "采购员",
        "role": "org.role.user",
        "maslow": "fivedim.maslow.physiological",
        "change": "fivedim.change.pragmatist",
        "focus": "fivedim.focus.relationship",
        "closeness": "fivedim.closeness.few",
        "attitude": "fivedim.attitude.neutral",
        "attitude_evidence": "见过一次",
    }
    result = compute_result("stakeholder_map", {"account": "某厂"}, {"stakeholders": [person]})
    markdown = note_to_markdown("stakeholder_map", result)
    assert "看起来像贿赂" in markdown and "换取信息" not in markdown
