"""Probe lines for the ask kinds and the pitch recogniser, written before the structural rules (issue 16).

None of these wordings comes from an evaluation file: they test the mechanisms a human uses to judge a closing
line. An advance is a concrete action by the customer (a customer-action verb with the customer, a named
stakeholder or a date); a continuation is further contact without one (talk again, keep in touch, the rep
sending material or coming back); an order asks to buy or sign now; a rep-side offer commits the customer to
nothing; a question about the buyer's situation is not an ask, whatever verbs it carries. A pitch is a claim
the seller states (capability, figure, price, discount, demo, reference), question mark or not.
"""

from __future__ import annotations

import pytest

from app.roleplay.scenarios import load_scenarios
from tests.utils.ask_probes import assert_closing_outcome, assert_reads_as, probe_cases
from tests.utils.scripted_reps import play

SCENARIOS = load_scenarios()

ADVANCES = [
    ("energy_wind_eam", "您这边能不能在月底前把去年三号风场的SCADA记录拷一份给我们？"),
    ("gov_city_network", "那周五之前您把两个科长叫齐，我们来讲一讲排查结果，行吗？"),
    ("hospital_mobile_nursing", "要不就让心内科先用起来，下个月底您再看看护士们怎么说？"),
    ("retail_member_marketing", "下个月能不能请您带上会员部的同事，一起去杭州那家连锁看看他们是怎么用的？"),
    ("mfg_vitamin_erp", "您方便的话帮我们跟王总约个半小时，这周内就行？"),
    ("edu_smart_academic", "您看能不能让外语学院把秋季学期的排课表导给我们，我们先排一版？"),
    ("logistics_tms", "能否请您安排运营经理下周二跟我们对一下上季度的单据？"),
    # on a fact's topic, but with a date: a step, not a question about the topic
    ("hospital_mobile_nursing", "护理记录这块，月底前能不能挑一个病区让护士们先用起来？"),
    (
        "energy_wind_eam",
        "Would you be willing to hand over a year of turbine logs from one site by the end of the month?",
    ),
    (
        "gov_city_network",
        "Can you get the network and security section chiefs in one room next Thursday for our findings?",
    ),
    (
        "retail_member_marketing",
        "How about you and your store operations lead come see a chain customer of ours in March?",
    ),
    (
        "edu_smart_academic",
        "Would the registrar's office be able to export one faculty's spring schedule for a trial run?",
    ),
    (
        "mfg_vitamin_erp",
        "Could you set up thirty minutes with the VP who owns IT, ideally before the consultants finish?",
    ),
]

CONTINUATIONS = [
    ("logistics_tms", "今天先这样，我们保持沟通，有什么需要随时找我。"),
    ("bank_retail_crm", "那我回去准备一份方案，过几天再来拜访您？"),
    ("hospital_mobile_nursing", "我让同事把产品介绍发到您邮箱，您抽空看看？"),
    ("edu_smart_academic", "方便加个微信吗？后面有新版本我第一时间告诉您。"),
    ("energy_wind_eam", "那下次有机会我们再深入交流。"),
    ("logistics_tms", "Let me put some numbers together and I'll reach out again in a couple of weeks."),
    ("bank_retail_crm", "Happy to stay in touch. Feel free to ping me whenever anything comes up."),
    ("retail_member_marketing", "Can I email you a case study and check back with you later?"),
    ("gov_city_network", "Shall we pick this up again after the holidays?"),
    # rep-side offers: the rep acts, the customer commits to nothing
    ("logistics_tms", "我下周带工程师过来给您演示一下系统？"),
    ("energy_wind_eam", "Want me to run a demo for your team sometime?"),
]

ORDERS = [
    ("logistics_tms", "您要是觉得没问题，咱们就把单下了吧？"),
    ("gov_city_network", "今天能不能把采购协议定下来？"),
    ("bank_retail_crm", "Are you ready to move forward with the purchase today?"),
    ("retail_member_marketing", "Can we get the agreement signed by Friday?"),
]

NOT_ASKS = [
    ("logistics_tms", "您这边下周一般哪几天发车比较多？"),
    ("mfg_vitamin_erp", "王总平时会参加这类选型讨论吗？"),
    ("hospital_mobile_nursing", "护士们现在交班的时候需要提供哪些记录？"),
    ("energy_wind_eam", "Who on your team usually reviews vendor proposals?"),
    ("bank_retail_crm", "Do your branch managers ever introduce new tools themselves?"),
    # a noun phrase with an action word is no customer action ("export management")
    ("mfg_vitamin_erp", "We cover batch management, integrated finance and export management for process plants."),
]


PROBES = probe_cases(ADVANCES, CONTINUATIONS, ORDERS, NOT_ASKS)


@pytest.mark.parametrize(("scenario_id", "text", "kind"), PROBES)
def test_probe_line_kind_and_the_outcome_of_a_call_closing_with_it(scenario_id, text, kind):
    """The line's ask kind on its own, and the outcome of a strong call that closes with it (the closing part
    decides the outcome; a question about the buyer's situation there leaves the call without an ask)."""
    assert_reads_as(scenario_id, text, kind)
    assert_closing_outcome(scenario_id, text, kind)


PITCHES = [
    "咱们这套平台上线以后，对账时间普遍能缩短一半以上。",
    "系统支持手机端扫码，护士在床边就能录入。",
    "价格方面您放心，首年我们只收一半。",
    "好多同行都在用我们的方案，反馈都不错。",
    "我给您演示一下我们的预警大屏吧。",
    "我们的算法准确率达到百分之九十五。",
    "Our analytics module gives you a single customer view out of the box.",
    "Most of our clients see payback within nine months.",
    "We integrate with SAP and Oracle natively.",
    "Happy to knock ten percent off the list price.",
    # a claim stated before an advance is a pitch all the same
    "我们的系统能把护士补录的时间缩短一半，下周能不能挑一个病区试用？",
]

NOT_PITCHES = [
    "您现在的系统能自动排班，那排出来的结果护士长还要改吗？",
    "客户经理现在一般怎么跟进大客户？",
    "我理解，今年整个行业都不容易。",
    "您现在的系统支持手机端录入吗？",
    "如果护士能在床边直接录入，对你们的质控会有什么影响？",
    "你们目前一年在这块大概花多少钱？",
    "What would it mean for your team if reconciliation took half the time?",
    "How do your nurses currently record vitals at the bedside?",
]


@pytest.mark.parametrize("text", PITCHES)
def test_seller_claims_are_pitches(text):
    record = play(SCENARIOS["hospital_mobile_nursing"], [text]).history[-1]
    assert record.is_pitch and record.premature_pitch, text


@pytest.mark.parametrize("text", NOT_PITCHES)
def test_questions_about_the_buyer_are_not_pitches(text):
    assert not play(SCENARIOS["hospital_mobile_nursing"], [text]).history[-1].is_pitch, text
