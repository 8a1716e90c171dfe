"""Probe lines for the ask kinds, round 3 (issue 16 item 1), written and labelled before the rules were changed.

None of these wordings comes from an evaluation file. They probe structure: who acts (the customer or the seller),
what the customer is asked to do (convene people, hand over data, introduce, host a visit, decide, sign), whether
the step is concrete (a person, a time, an object: advance) or vague further contact (continuation), and whether
the decision itself is asked for (order), in English modal forms ("would you be open to", "could we", "how about
we", "shall I", "does it make sense to", "let's") and in Chinese.
"""

from __future__ import annotations

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.asks import classify_ask
from app.roleplay.scenarios import load_scenarios
from tests.utils.ask_probes import assert_closing_outcome, assert_reads_as, probe_cases
from tests.utils.scripted_reps import play

SCENARIOS = load_scenarios()

ADVANCES = [
    ("gov_city_network", "下周三能不能请您把财务和运营两位负责人请到一起，我们一起过一下现在的流程？"),
    ("logistics_tms", "您能不能在十五号前把近三个月的异常件记录整理一份给我们？"),
    ("hospital_mobile_nursing", "麻烦您引荐一下分管护理的副院长，这个月内见个面？"),
    ("logistics_tms", "月底之前，您带我们去分拨中心现场走一圈，可以吗？"),
    ("retail_member_marketing", "要不这样，您先挑两家门店，下个月我们一起跑一轮试点？"),
    ("mfg_vitamin_erp", "能不能请您把采购和质量两个部门的人召集起来，下周开个需求梳理会？"),
    (
        "energy_wind_eam",
        "Would you be open to pulling last quarter's work orders for one wind farm so we can size the savings?",
    ),
    (
        "mfg_vitamin_erp",
        "Could we get thirty minutes with your finance director before the requirements document goes out?",
    ),
    (
        "hospital_mobile_nursing",
        "How about we set up a half-day session with your ward heads on the 12th to map the shift handover?",
    ),
    ("bank_retail_crm", "Does it make sense to bring your head of retail into a working session next Wednesday?"),
    ("logistics_tms", "Let's have your dispatch lead share two weeks of delivery records so we can model one lane."),
    ("gov_city_network", "Shall we ask your security section chief to join a technical review on Friday?"),
    # the decision is the topic, but the customer is asked to introduce the person who makes it: an advance
    ("edu_smart_academic", "Could you introduce me to whoever signs off on purchases, say next Tuesday?"),
    (
        "retail_member_marketing",
        "Would you walk me through your purchase approval steps with your procurement lead next week?",
    ),
    # second batch, written and labelled after the first rules, before they were run on it
    ("bank_retail_crm", "能不能请您下周把零售部和科技部的两位处长约到一起，听我们讲一下方案框架？"),
    ("hospital_mobile_nursing", "这个月二十号前，您能否把两个病区近一个月的交班记录发我们看看？"),
    ("edu_smart_academic", "您帮我约一下教务处长，周四下午半小时就够？"),
    ("energy_wind_eam", "Could your reliability team send us twelve months of failure logs by the 20th?"),
    ("gov_city_network", "How about we sit down with your network and security chiefs next Tuesday morning?"),
    ("logistics_tms", "Would you be open to letting us run one corridor as a pilot starting next month?"),
    # third batch, written and labelled after the second round of rules, before they were run on it
    ("logistics_tms", "下周一之前，能不能请调度中心把华东线两周的发车计划导一份给我们？"),
    ("mfg_vitamin_erp", "方便的话请您牵个头，月底把质量部和生产部的负责人叫到一起开个碰头会？"),
    ("retail_member_marketing", "您看下个月中旬能不能带运营总监去我们苏州的客户门店实地看看？"),
    ("bank_retail_crm", "Could you nominate two branches by Friday so we can map their client follow-up process?"),
    (
        "hospital_mobile_nursing",
        "Let's get your head nurse and IT director together next Thursday to agree the pilot scope.",
    ),
    (
        "edu_smart_academic",
        "Does it make sense to have the registrar share one department's timetable with us this week?",
    ),
    # fourth batch, written and labelled after the third round of rules, before they were run on it
    ("energy_wind_eam", "能否在下月初安排我们去二号风场，跟运维班长一起看一下现场的检修流程？"),
    ("edu_smart_academic", "您看这周五前，能不能请教务科把上学期的调课记录拉一份给我们？"),
    ("gov_city_network", "麻烦您跟分管副局长打个招呼，下周我们当面汇报一下排查思路，可以吗？"),
    ("bank_retail_crm", "要不下周二请财富管理部的同事也来，我们一起过一遍客户流失的数据？"),
    ("mfg_vitamin_erp", "Would your consultant be willing to walk us through the draft requirements next Monday?"),
    (
        "retail_member_marketing",
        "Could you pick three stores and share their member sales for last quarter by month end?",
    ),
    ("logistics_tms", "How about your planning manager joins a two-hour working session with us on the 9th?"),
]

CONTINUATIONS = [
    ("bank_retail_crm", "那我们过段时间再碰一下？"),
    ("logistics_tms", "我先把报价单发给您，您有空看看？"),
    ("retail_member_marketing", "加您个微信吧，有新案例我第一时间分享给您。"),
    ("energy_wind_eam", "等年后我们再约您喝杯茶？"),
    ("edu_smart_academic", "那今天先聊到这儿，后面有进展我们再沟通？"),
    ("gov_city_network", "方便的话我下周再上门拜访一次？"),
    ("mfg_vitamin_erp", "Would you be open to hopping on another call sometime next month?"),
    ("logistics_tms", "Could we pencil in a follow-up chat once your budget cycle settles?"),
    ("retail_member_marketing", "How about I drop you a one-pager by email and we reconnect after that?"),
    ("hospital_mobile_nursing", "Shall I swing by again in a few weeks to see where things stand?"),
    ("energy_wind_eam", "Does it make sense to reconnect after the quarter closes?"),
    ("bank_retail_crm", "Would it be OK if I sent over our pricing sheet?"),
    ("gov_city_network", "Can we talk again once you've had time to think it over?"),
    ("edu_smart_academic", "Let's keep in touch, and I'll give you a ring in a fortnight."),
    # second batch, written and labelled after the first rules, before they were run on it
    ("retail_member_marketing", "回头有机会再跟您好好聊聊？"),
    ("mfg_vitamin_erp", "那我整理一份资料，过阵子给您送过去？"),
    ("bank_retail_crm", "Mind if I circle back after your board meeting?"),
    ("energy_wind_eam", "Shall I email you our white paper?"),
    ("hospital_mobile_nursing", "Let's touch base again in the new year, OK?"),
    ("edu_smart_academic", "I'll leave my card; give me a shout whenever you're ready."),
    # third batch, written and labelled after the second round of rules, before they were run on it
    ("gov_city_network", "那我们先这样，等您忙完这阵再说？"),
    ("energy_wind_eam", "我回去把案例整理一下发您微信？"),
    ("hospital_mobile_nursing", "有什么问题随时给我打电话？"),
    ("logistics_tms", "Would it help if I put together a short deck and we speak again?"),
    ("retail_member_marketing", "How about I check in with you after the holiday rush?"),
    ("mfg_vitamin_erp", "Shall we stay in contact and see how the selection goes?"),
    # fourth batch, written and labelled after the third round of rules, before they were run on it
    ("hospital_mobile_nursing", "那行，我这边随时等您消息？"),
    ("bank_retail_crm", "我们保持联络，有新的功能我再跟您汇报？"),
    ("retail_member_marketing", "回头我把我们的白皮书快递给您？"),
    ("energy_wind_eam", "Can I follow up with a summary email and we'll take it from there?"),
    ("gov_city_network", "Perhaps we could chat again once the new fiscal year starts?"),
    ("edu_smart_academic", "Let me know if you'd like me to send more information."),
]

ORDERS = [
    ("logistics_tms", "您看这个项目是不是就交给我们来做了？"),
    ("edu_smart_academic", "评分的时候给我们多加几分，没问题吧？"),
    ("gov_city_network", "这个项目能不能直接选我们？"),
    ("bank_retail_crm", "Would you be open to signing the agreement this week?"),
    ("logistics_tms", "Shall we go ahead and issue the purchase order?"),
    ("mfg_vitamin_erp", "Does it make sense to finalise the contract before year end?"),
    ("hospital_mobile_nursing", "Can you put us forward as the preferred vendor?"),
    # second batch, written and labelled after the first rules, before they were run on it
    ("logistics_tms", "那这个项目您就拍板给我们吧？"),
    ("gov_city_network", "招标的时候能不能把我们列进短名单？"),
    ("retail_member_marketing", "Can we get the paperwork done before the holidays?"),
    ("mfg_vitamin_erp", "Would you be willing to commit to us as your ERP partner this quarter?"),
    # third batch, written and labelled after the second round of rules, before they were run on it
    ("bank_retail_crm", "那您看合同这周能不能签下来？"),
    ("edu_smart_academic", "这次采购就定我们家，可以吧？"),
    ("energy_wind_eam", "Are you in a position to award us the contract this month?"),
    ("gov_city_network", "Could we agree today that we're your chosen supplier?"),
    # fourth batch, written and labelled after the third round of rules, before they were run on it
    ("mfg_vitamin_erp", "能不能今天就把意向定下来，我们好安排实施团队？"),
    ("hospital_mobile_nursing", "您就直接跟设备科说用我们的，行不行？"),
    ("logistics_tms", "Can we count on your signature by the end of the week?"),
]

# An order in words the tone reading takes as pushy (playbooks/buyer/rudeness.yaml: "就这么定了"): the buyer answers
# the pushiness, so the call's outcome is not read from it; its kind still is an order.
PUSHY_ORDERS = [("retail_member_marketing", "那咱们就这么定了，您这边启动采购流程？")]

NOT_ASKS = [
    ("gov_city_network", "您平时和信息科怎么配合的？"),
    ("edu_smart_academic", "Could you tell me how your team signs off on new vendors today?"),
    ("logistics_tms", "How do you usually share delivery data with your carriers?"),
    # second batch, written and labelled after the first rules, before they were run on it
    ("bank_retail_crm", "你们一般怎么评估新系统的效果？"),
    ("energy_wind_eam", "Who else would weigh in on a decision like this?"),
    # third batch, written and labelled after the second round of rules, before they were run on it
    ("logistics_tms", "你们现在的发车计划一般提前几天定？"),
    ("retail_member_marketing", "How do your store managers currently get member data?"),
    # fourth batch, written and labelled after the third round of rules, before they were run on it
    ("energy_wind_eam", "你们现在的检修计划是谁来排的？"),
    ("gov_city_network", "What would it mean for your team if faults were located within minutes?"),
    ("edu_smart_academic", "Which departments would typically be involved in choosing a system like this?"),
]

PROBES = probe_cases(ADVANCES, CONTINUATIONS, ORDERS, NOT_ASKS)


@pytest.mark.parametrize(("scenario_id", "text", "kind"), PROBES)
def test_probe_line_kind_and_the_outcome_of_a_call_closing_with_it(scenario_id, text, kind):
    assert_reads_as(scenario_id, text, kind)
    assert_closing_outcome(scenario_id, text, kind)


@pytest.mark.parametrize(("scenario_id", "text"), PUSHY_ORDERS)
def test_a_pushy_order_is_still_an_order(scenario_id, text):
    assert classify_ask(SCENARIOS[scenario_id], text, classify_spin(text)).kind == "order", text


# Pitches the seller states without the classifier's pitch words: a product feature with a benefit cue and no one
# of the buyer's side addressed, a comparison with rivals, the product ("it") promising a result.
STATED_PITCHES = [
    "我们的风险预警是分钟级的，异常一出现，值班人员立刻就能收到。",
    "相比其他厂商，我们多了一套完整的成本分析模块。",
    "报表模板有三百多种，月度分析一键生成。",
    "设备台账自动同步，巡检记录实时可查。",
    "Our scheduling engine balances every shift automatically and flags gaps in real time.",
    "Our routing module plans each delivery and reroutes drivers instantly.",
    "It will lift your renewal rate within a quarter, I guarantee it.",
]

NOT_STATED_PITCHES = [
    "您现在的报表有多少种模板？",
    "你们的巡检记录现在是纸质的，每个月要人工汇总。",
    "It will take some time for your board to decide, I understand.",
    "Our last meeting was helpful, thank you.",
]


@pytest.mark.parametrize("text", STATED_PITCHES)
def test_stated_product_claims_are_pitches(text):
    record = play(SCENARIOS["logistics_tms"], [text]).history[-1]
    assert record.is_pitch, text


@pytest.mark.parametrize("text", NOT_STATED_PITCHES)
def test_statements_about_the_buyer_or_the_call_are_not_pitches(text):
    assert not play(SCENARIOS["logistics_tms"], [text]).history[-1].is_pitch, text
