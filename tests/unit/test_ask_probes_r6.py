"""Ask kinds and pitches, sixth probe batch (issue 16): lines written and labelled before running, in wording the earlier
batches did not use.

Aimed at generalisation rather than at any evaluation call: advances stated without a question mark ("那就这么定：…",
"月底前您把…给我们"), with a person, an action and a date in many orders, or in an "if you can…, we'll…" form;
continuations dressed as steps (the rep coming back "to see", a follow-up call on a date, the rep's own demo or
event); orders in new forms; questions about today that carry step words; and pitches without a question mark
(a free pilot offered, a comparison with a rival, a payback claim) next to the rep asking the buyer to run a pilot.
"""

from __future__ import annotations

import pytest

from tests.utils.ask_probes import (
    assert_closing_outcome,
    assert_no_pitch,
    assert_premature_opening_pitch,
    assert_reads_as,
    probe_cases,
)

ADVANCES = [
    (
        "retail_member_marketing",
        "下个月中旬，您约上门店运营总监，我们一起去杭州那家连锁客户看看他们的会员运营，怎么样？",
    ),
    ("logistics_tms", "这周五之前，麻烦让调度中心把华东线上个月的派车单导一份给我们。"),
    ("hospital_mobile_nursing", "那就这么定：下周一开始，神经内科两个护理单元先试用四周，护士长每周给我们反馈一次。"),
    ("gov_city_network", "周三下午我们把诊断报告带过来，您把网络科和安全科的同事叫上一起听一下，可以吧？"),
    ("energy_wind_eam", "月底前您把三号风场近一年的运行数据给我们，我们做完回测，下月初在评估组面前讲一遍。"),
    ("mfg_vitamin_erp", "您这周能不能帮我跟王总约个时间，二十分钟就够，我们当面讲讲批次追溯的思路？"),
    ("bank_retail_crm", "下周二前您跟分管零售的副行长打个招呼，安排我们做一次二十分钟的汇报，行不行？"),
    ("edu_smart_academic", "这学期结束前，您让教务科把土木学院的排课数据给我们，我们先试排一版。"),
    (
        "hospital_mobile_nursing",
        "Would the head nurse on cardiology be willing to run a two-week trial starting Monday?",
    ),
    ("logistics_tms", "Can we agree that your dispatch manager sends us the Nanjing lane waybills by the 20th?"),
    (
        "retail_member_marketing",
        "Let's pencil in a visit to one of our reference chains with your store ops director before month end.",
    ),
    (
        "gov_city_network",
        "How about you invite the network and security section heads to a diagnosis workshop on Thursday afternoon?",
    ),
    ("mfg_vitamin_erp", "Would you be able to set up a meeting with Mr Wang and the consultants sometime next week?"),
    (
        "energy_wind_eam",
        "If you can get us a year of turbine data by the end of the month, we'll run the back-test and present it to "
        "your evaluation team.",
    ),
    (
        "bank_retail_crm",
        "I'd like to ask you to arrange a twenty-minute briefing with your VP of retail next Tuesday.",
    ),
    (
        "edu_smart_academic",
        "Would the registrar's office be okay with sharing one college's timetable data with us by next Friday?",
    ),
]

CONTINUATIONS = [
    ("energy_wind_eam", "我下周再来拜访您一下，看看您这边的进展。"),
    ("logistics_tms", "那我们下周三再碰一下，看看您考虑得怎么样？"),
    ("retail_member_marketing", "我们下个月有个客户交流会，到时候邀请您过来听听？"),
    ("hospital_mobile_nursing", "我先回去整理一下今天的内容，周五前发到您邮箱。"),
    ("bank_retail_crm", "您看下周什么时候方便，我再过来跟您细聊一下？"),
    ("gov_city_network", "这样吧，我们月底前给您做一个详细的方案演示。"),
    ("edu_smart_academic", "等您跟领导商量完了，我再给您打电话。"),
    ("retail_member_marketing", "Let's touch base next week to see where you've landed."),
    ("logistics_tms", "I'll swing by on Thursday with a few slides for you."),
    ("bank_retail_crm", "Shall we schedule a follow-up call for next Tuesday?"),
    (
        "hospital_mobile_nursing",
        "Happy to send over a short summary of today and a case study from a similar hospital by Friday.",
    ),
    ("edu_smart_academic", "Could I get thirty minutes next week to walk you through a demo?"),
    ("gov_city_network", "Let's keep the conversation going; I'll reach out after your board meeting."),
    ("energy_wind_eam", "Can I give you a call next Monday to hear what you think?"),
]

ORDERS = [
    ("logistics_tms", "要是没什么问题，咱们这个月就把合同定了？"),
    ("retail_member_marketing", "您看今天能不能先把意向书签了？"),
    ("bank_retail_crm", "价格我们已经是最低了，您就给个准话吧。"),
    ("mfg_vitamin_erp", "Shall we get the paperwork signed this week?"),
    ("logistics_tms", "Can I count on your order by Friday?"),
    ("gov_city_network", "Let's go ahead and get the agreement in place before the end of the quarter."),
]

NOT_ASKS = [
    ("hospital_mobile_nursing", "您觉得如果要试点的话，哪个病区最合适？"),
    ("mfg_vitamin_erp", "王总一般什么时候会看这些汇报？"),
    ("retail_member_marketing", "你们以前参观过同行的会员系统吗？"),
    ("hospital_mobile_nursing", "What would need to happen for your team to feel confident about a pilot?"),
    ("energy_wind_eam", "When did your evaluation group last look at vendor data?"),
    ("bank_retail_crm", "Does your VP usually get involved in CRM decisions?"),
]

# Second set, written after the first run showed which forms fail, before any change: more lines of the failing
# forms (a customer's step stated after a time phrase or "这样", "那就这么定了" with the plan after it, an English
# "if you could…, we'll…" or "I'd like to ask you to…", a call or a demo booked on a date, the rep's own event).
ADVANCES_2 = [
    ("hospital_mobile_nursing", "下周三之前您让信息科把两个病区的排班表发给我们。"),
    ("logistics_tms", "这样，您先把二号线的运单数据给我们，我们两周内出个诊断。"),
    ("hospital_mobile_nursing", "那就这么定了，下周一开始先在心内科试用两周，您看行吧？"),
    (
        "edu_smart_academic",
        "If you could have your registrar send us one college's timetable by Friday, we'll do a trial run next week.",
    ),
    ("gov_city_network", "I'd like to ask you to bring your two section heads to a diagnosis session next Thursday."),
]

CONTINUATIONS_2 = [
    ("energy_wind_eam", "Can I invite you to our customer forum next month?"),
    ("logistics_tms", "Let's schedule another call for Thursday."),
    ("edu_smart_academic", "Could we schedule time next week for me to show you the dashboard?"),
    ("gov_city_network", "月底我们办一个政务云的沙龙，到时候邀请您来参加？"),
]

ORDERS_2 = [
    ("logistics_tms", "Can we have the contract in place by the end of the month?"),
]

# Third set (labelled before running): closings as reps say them at the end of a call, English first (its outcome
# is the weakest on blind calls): "next steps: you'll…", an alternative close on two days, an introduction "this
# week", "let me know when…", "why don't I send…", "will you sign today if…", and questions on the decision process.
ADVANCES_3 = [
    (
        "hospital_mobile_nursing",
        "So next steps: you'll get me the last six months of ward overtime data by Friday, and we'll book the pilot "
        "kickoff with the head nurses.",
    ),
    (
        "energy_wind_eam",
        "Would Tuesday or Thursday work for you and your evaluation team to review the back-test with us?",
    ),
    ("gov_city_network", "Can we lock a date this month for the diagnosis workshop with both section chiefs?"),
    (
        "logistics_tms",
        "What I'd propose is a two-week trial on the Suzhou lane starting the 15th; can you get dispatch on board?",
    ),
    ("mfg_vitamin_erp", "Can you make the introduction to Mr Wang this week?"),
    (
        "retail_member_marketing",
        "Let's get your membership director and two store managers out to see a live deployment at a chain in "
        "Hangzhou next month.",
    ),
    ("bank_retail_crm", "Are you comfortable taking this to your VP next week with us in the room?"),
    ("energy_wind_eam", "周五前能不能请信息中心把近三个月的设备告警记录导一份给我们？"),
    ("bank_retail_crm", "下周找个时间，您带我们去见见分管的李副行长？"),
    ("edu_smart_academic", "要不这样，下学期先拿经管学院试排，数据您这周让教务秘书发过来。"),
]

CONTINUATIONS_3 = [
    ("logistics_tms", "Let me know when you've had a chance to think it over."),
    ("retail_member_marketing", "I'll check in with you after the holidays."),
    ("mfg_vitamin_erp", "Why don't I send you a proposal and we can go from there?"),
    ("gov_city_network", "Let's pick this up again once your budget is approved."),
    ("bank_retail_crm", "Can we set up a call next week so I can answer any more questions?"),
    ("energy_wind_eam", "I'll bring our solution architect next Tuesday to give you a full demo."),
    ("logistics_tms", "那我先不打扰了，下周给您打个电话跟进一下。"),
    ("bank_retail_crm", "我回去跟领导汇报一下，争取给您一个更好的方案。"),
    ("gov_city_network", "后续有什么问题随时联系我，我们保持沟通。"),
]

ORDERS_3 = [
    ("logistics_tms", "If I can get you the ten percent discount, will you sign today?"),
    ("bank_retail_crm", "Can we get this approved and signed before quarter end?"),
    ("retail_member_marketing", "What do we need to do to earn your business today?"),
    ("retail_member_marketing", "如果价格没问题的话，我们这周就把采购流程走起来？"),
    ("logistics_tms", "您看今天能不能先把订单确认了？"),
]

NOT_ASKS_3 = [
    ("energy_wind_eam", "What happens on your side once you've seen the numbers?"),
    ("hospital_mobile_nursing", "How would your head nurses react to trying something new on the wards?"),
    ("logistics_tms", "Who would need to sign off on a pilot like that?"),
    ("bank_retail_crm", "这个事情在你们行里一般要经过哪些人？"),
    ("hospital_mobile_nursing", "要是试点效果好，您觉得下一步会是谁来拍板？"),
]

# Fourth set (labelled before running): more continuations in the form of a step (the rep's own call, his CTO
# reaching out, references offered) and more advances naming who, what and when.
ADVANCES_4 = [
    ("hospital_mobile_nursing", "下周二下午您看能不能把两位护士长约上，我们一起把试用的病区定下来？"),
    ("mfg_vitamin_erp", "这个月底前，能否请您把我们引荐给分管信息化的副总？"),
    ("mfg_vitamin_erp", "您回去跟王总提一下，这周内帮我们约个半小时？"),
    (
        "logistics_tms",
        "Could you and your ops lead walk us through one lane's data next Wednesday so we can scope the pilot?",
    ),
    (
        "hospital_mobile_nursing",
        "Would you be willing to champion a one-ward pilot with the nursing director by the end of the month?",
    ),
]

CONTINUATIONS_4 = [
    ("edu_smart_academic", "那下周我再跟您约个时间，把方案细化一下？"),
    ("gov_city_network", "等您这边有消息了，您随时叫我。"),
    ("retail_member_marketing", "我们保持联系，有新案例我第一时间分享给您。"),
    ("energy_wind_eam", "您先考虑考虑，下周我再打电话问问您的想法。"),
    ("logistics_tms", "我回头让我们技术总监给您打个电话详细聊。"),
    ("bank_retail_crm", "I'll have our CTO reach out to you next week."),
    ("retail_member_marketing", "Let's reconnect after the holidays and see where things stand."),
    ("logistics_tms", "I'll circle back with pricing by Friday."),
    ("mfg_vitamin_erp", "Would it be helpful if I sent over a few references?"),
]

PROBES = (
    probe_cases(ADVANCES_4, CONTINUATIONS_4, [], [])
    + probe_cases(ADVANCES, CONTINUATIONS, ORDERS, NOT_ASKS)
    + probe_cases(ADVANCES_2, CONTINUATIONS_2, ORDERS_2, [])
    + probe_cases(ADVANCES_3, CONTINUATIONS_3, ORDERS_3, NOT_ASKS_3)
)


@pytest.mark.parametrize(("scenario_id", "text", "kind"), PROBES)
def test_probe_line_kind_and_the_outcome_of_a_call_closing_with_it(scenario_id, text, kind):
    assert_reads_as(scenario_id, text, kind)
    assert_closing_outcome(scenario_id, text, kind)


# Pitches without a question mark: a free pilot or trial the seller offers, a comparison with a rival or with what the
# buyer has, a payback or reference claim. Said first in a call, each is premature live and in the score.
PITCHES = [
    ("hospital_mobile_nursing", "我们可以免费给您做一个月试点，不收任何费用。"),
    ("logistics_tms", "We can give you a free thirty-day pilot, no strings attached."),
    ("edu_smart_academic", "跟用友比，我们的排课引擎快了不止一倍"),
    ("logistics_tms", "Compared with what you have now, our platform cuts planning time in half"),
    ("energy_wind_eam", "我们的预警模型去年帮华能的风场少停了两百多小时"),
    ("retail_member_marketing", "Our members module lets store managers push coupons straight from their phones"),
    ("bank_retail_crm", "这套系统上线三个月就能回本"),
    ("bank_retail_crm", "Most banks we work with see attrition drop within a quarter"),
    ("logistics_tms", "Our system pays for itself within a year."),
    ("mfg_vitamin_erp", "用了我们的系统，一年就能把投入收回来"),
]

# Second set of pitches (labelled before running): rival comparisons without "we", a trial offered as a gift, a
# reference with a result, a promise, all without a question mark, in both languages.
PITCHES_2 = [
    ("logistics_tms", "路通那套系统只能看位置，我们的能直接把回程货配上"),
    ("hospital_mobile_nursing", "试用期间软件和设备都算我们的，您一分钱不用出"),
    ("gov_city_network", "省里好几个地市的大数据局用的都是我们这套，反馈都很好"),
    ("bank_retail_crm", "上线以后客户经理每天能多跑两三个客户"),
    ("edu_smart_academic", "排课冲突基本能降到零，这个我们有把握"),
    ("energy_wind_eam", "Unlike Boyuan, our models were trained on wind turbines, not factory lines"),
    ("hospital_mobile_nursing", "We'll put the tablets on your wards free for the first two months"),
    ("retail_member_marketing", "A chain about your size doubled its repeat purchases with us in under a year"),
    ("mfg_vitamin_erp", "I can promise you audit prep goes from weeks to a couple of days"),
    ("gov_city_network", "Our platform is already certified for level-three protection, so compliance is covered"),
]

# Third set of pitches (labelled before running): a claim put as a question ("did you know…", "what if I told
# you…", "你知道吗"), which a real rep uses to slip a pitch past the buyer.
PITCHES_3 = [
    ("logistics_tms", "Did you know our platform cuts empty miles by around twenty percent?"),
    ("bank_retail_crm", "What if I told you we could cut churn in half within a year?"),
    ("energy_wind_eam", "您知道吗，我们的预警能提前两周发现齿轮箱故障。"),
    ("edu_smart_academic", "我们的引擎十分钟就能排完全校的课，您不觉得很厉害吗？"),
]

PITCHES += PITCHES_2 + PITCHES_3

# The rep asking the buyer to run a pilot, or asking about what the buyer said, pitches nothing.
NOT_PITCHES = [
    ("hospital_mobile_nursing", "能不能请您挑两个病区先试用一个月？"),
    ("logistics_tms", "Would you be willing to run a pilot on one lane next month?"),
    ("hospital_mobile_nursing", "您刚才说补录要花一个小时，这对护士的影响大吗？"),
    ("edu_smart_academic", "If one college tried a new timetable next term, who on your side would judge the result?"),
    ("logistics_tms", "你们现在用的路通系统，回程配货这块用得怎么样？"),
    ("bank_retail_crm", "How do you compare the vendors you've looked at so far?"),
    ("hospital_mobile_nursing", "Would your head nurses be willing to try it on one ward for a month?"),
    ("energy_wind_eam", "要是预警能提前一周，您觉得检修计划能省下多少？"),
    # added after the fourth ask set: material offered noun-first ("有新案例…分享给您") is a continuation, no pitch
    ("retail_member_marketing", "我们保持联系，有新案例我第一时间分享给您。"),
]


@pytest.mark.parametrize(("scenario_id", "text"), PITCHES)
def test_an_opening_pitch_without_a_question_is_premature_live_and_in_the_score(scenario_id, text):
    assert_premature_opening_pitch(scenario_id, text)


@pytest.mark.parametrize(("scenario_id", "text"), NOT_PITCHES)
def test_asking_the_buyer_to_act_is_no_pitch(scenario_id, text):
    assert_no_pitch(scenario_id, text)
