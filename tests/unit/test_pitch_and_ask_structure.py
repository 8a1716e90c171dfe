"""Pitch recognition and ask kinds decided on structure, checked on wordings no tuning set contains (issue 16).

A pitch is a claim the seller states (what the product does or saves, a figure it achieves, a price, a gift, a
demo or trial offer, a reference, a comparison with a rival), question mark or not; a question about the buyer's
own situation that mentions a capability is not. An advance asks the customer for a concrete action (a named
person brought in, data, a pilot on named units, a date); a continuation is a meeting or material without one; an
order asks to buy or sign. The live tag and the score read the same rule.
"""

from __future__ import annotations

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.asks import classify_ask
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scorecard import build_scorecard
from app.roleplay.scripted_buyer import ScriptedBuyer
from app.roleplay.state import SessionState
from tests.utils.scripted_reps import play, strong_rep_lines

SCENARIOS = load_scenarios()

PITCHES = [
    # feature / benefit claims without "?" and without the word 我们 in front of a capability verb
    "用上这套方案，排课时间能从两周缩短到两天。",
    "智能调度能把空驶率压到百分之十以内",
    "这个模块自带质量追溯，出口认证那块完全不用担心。",
    "我们的平台可以自动生成护理记录，护士不用再补录。",
    # prices, discounts, gifts
    "这套系统一年也就二十来万，比请两个人便宜多了。",
    "首年我们给您按七五折算，再送两年运维。",
    # demo / trial offers, references, rivals
    "我们可以免费给您做一个月试用，不满意不收钱。",
    "华东好几家城商行都用了我们的平台，资金流失一年少了三成。",
    "我们服务过两百多家医院，口碑一直很好。",
    "说实话，那家的产品稳定性比我们差远了，我们是专门做风电的。",
    # a pitch that ends in a question is still a pitch
    "我们的系统能帮您降低空驶率，您有兴趣了解一下吗？",
    "Our platform flags every large outflow the same day, so your managers can call before the money is gone.",
    "We can get your timetable done in two days instead of two weeks.",
    "The dashboard tracks every truck in real time and cuts empty runs by a fifth.",
    "I can offer you 15% off if you sign before the end of the quarter.",
    "The first three months are on us, no charge.",
    "Let me show you a quick demo of the alert screen, it only takes five minutes.",
    "A hospital just like yours cut charting time by 40 percent in six months with us.",
    "We're the market leader in process-manufacturing ERP, with more than fifty pharma references.",
    "Would you like to see how our tool automates the whole settlement process?",
    "Licences are only 200 dollars per user per year.",
]

NOT_PITCHES = [
    # questions about the buyer's situation that mention a capability, a system or a price
    "您现在能导出报表吗？",
    "你们的系统能支持多少个用户同时在线？",
    "现在的HIS可以直接打印护理记录吗？",
    "价格方面您这边预算大概是怎么考虑的？",
    "毛利被打折吃掉两个点，老板那边会怎么看您这个部门？",
    # need-payoff questions picture a solution without presenting one
    "如果我们能把排课时间缩短到两天，对您有什么帮助？",
    # asking to talk, offering material: continuations, not claims
    "我们能不能先聊聊您这边的排班情况？",
    "那我先把资料发给您，您看完了我们再约时间聊。",
    "Can your team export the waybill data today?",
    "Does your current system support mobile check-in for nurses?",
    "If you could see outflows the same day, what would that be worth to you?",
    "What does your current vendor charge you per year?",
    "I'll send over some material and we can find a time to talk next week.",
]


@pytest.mark.parametrize("text", PITCHES)
def test_claims_prices_offers_and_references_are_pitches(text):
    assert classify_spin(text).is_pitch, text


@pytest.mark.parametrize("text", NOT_PITCHES)
def test_questions_about_the_buyer_and_continuations_are_not_pitches(text):
    assert not classify_spin(text).is_pitch, text


@pytest.mark.parametrize(
    "text",
    ["这个模块自带质量追溯，出口认证那块完全不用担心。", "The first three months are on us, no charge."],
)
def test_an_early_pitch_without_a_question_mark_is_flagged_live_and_in_the_score(text):
    scenario = SCENARIOS["mfg_vitamin_erp"]
    buyer = ScriptedBuyer(scenario)
    state = buyer.opening(SessionState.start(scenario)).state
    turn = buyer.reply(state, text, classify_spin(text))
    record = turn.state.history[-1]
    assert turn.premature_pitch and record.premature_pitch and record.is_pitch


ASKS = [
    # advances: a named stakeholder brought in, a concrete customer action, a scoped trial with a date
    ("bank_retail_crm", "下周能约科技部吗？", "advance"),
    ("mfg_vitamin_erp", "能不能请您把质量部和财务的负责人叫上，周四一起过一遍需求？", "advance"),
    ("logistics_tms", "能不能麻烦您让调度把上个月一条干线的运单导出来给我们？", "advance"),
    ("bank_retail_crm", "Could we get thirty minutes with your head of technology before Friday?", "advance"),
    ("hospital_mobile_nursing", "Could you pick one ward and let the night shift use it for two weeks?", "advance"),
    # continuations: a meeting or material without a customer commitment, or a vague visit
    ("logistics_tms", "那我回去整理一下，下周再约您聊聊？", "continuation"),
    ("retail_member_marketing", "有机会的话带您去我们客户那边参观一下，具体等您有空再说？", "continuation"),
    ("edu_smart_academic", "Shall we catch up again sometime next month?", "continuation"),
    (
        "mfg_vitamin_erp",
        "I'll send you our reference list after the meeting, and maybe we can set up another call?",
        "continuation",
    ),
    # orders
    ("hospital_mobile_nursing", "那咱们这个月把采购合同签了吧？", "order"),
    ("logistics_tms", "Can we get the contract signed this week?", "order"),
]


@pytest.mark.parametrize(("scenario_id", "text", "kind"), ASKS)
def test_ask_kinds_on_structure(scenario_id, text, kind):
    ask = classify_ask(SCENARIOS[scenario_id], text, classify_spin(text))
    assert ask.kind == kind, (text, ask)


def test_an_insult_halves_the_total_but_a_long_pitch_is_scored_by_pitch_and_listening():
    scenario = SCENARIOS["logistics_tms"]
    lines = strong_rep_lines(scenario)
    monologue = (
        "我们的调度系统能自动排线、回程配货、在途可视，还能自动对账结算，"
        "很多和贵司规模差不多的车队用了以后空驶率降了两成，油费和过路费一年省下好几百万，"
        "实施周期也短，三个月就能上线，上线以后还有专门的团队驻场跟进，保证系统真正用起来。" * 3
    )
    insult = "说句实话，你们这种靠老师傅拍脑袋派车的做法，真是太落后了，难怪一直亏钱。"
    polite = play(scenario, lines)
    long_pitch = play(scenario, [*lines[:-1], monologue, lines[-1]])
    insulted = play(scenario, [*lines[:-1], insult, lines[-1]])
    assert any(record.tone == "rude" and record.is_pitch for record in long_pitch.history), "not read as a monologue"
    assert any(record.tone == "rude" and not record.is_pitch for record in insulted.history), "not read as an insult"
    polite_total = build_scorecard(scenario, polite).total
    long_total = build_scorecard(scenario, long_pitch).total
    insult_total = build_scorecard(scenario, insulted).total
    assert insult_total <= polite_total * 0.6
    assert insult_total < long_total < polite_total


def test_the_closing_feedback_line_is_rubric_data_filled_for_the_scenario(tmp_path):
    from app.roleplay.rubric import RUBRIC_PATH, RubricError, get_rubric, load_rubric_file

    scenario = SCENARIOS["logistics_tms"]
    lines = [*strong_rep_lines(scenario)[:-1], "那我先发份资料给您，回头再约时间聊聊？"]
    card = build_scorecard(scenario, play(scenario, lines))
    assert card.outcome == "continuation"
    line = get_rubric().outcome_feedback["continuation"]
    expected = line.zh.format(commitment=scenario.success.commitment.description)
    assert any(item.text_zh == expected and item.text_en == line.en for item in card.improvements)
    broken = tmp_path / "rubric.yaml"
    broken.write_text(
        RUBRIC_PATH.read_text(encoding="utf-8").replace(
            "  no_ask:\n    kind: improvement", "  none:\n    kind: improvement"
        ),
        encoding="utf-8",
    )
    with pytest.raises(RubricError, match="outcome_feedback"):
        load_rubric_file(broken)
