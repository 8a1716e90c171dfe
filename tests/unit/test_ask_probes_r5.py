"""Ask kinds, fifth probe batch (issue 16): 46 closing lines labelled before running, in new wording.

Aimed at the failure classes of the outcome: specific advances in forms the earlier batches did not use (a
reference-site visit with the owner within two weeks, a workshop with named sections on a date, a trial with a
success criterion agreed up front, an English "let's agree on a test" or "what if we…" form), continuations that
look like steps (the rep's own demo or visit, a call later, material sent), orders put to a contact who cannot sign,
and questions about today that carry step words (考察, back-test, sign off) without asking for one.
"""

from __future__ import annotations

import pytest

from tests.utils.ask_probes import assert_closing_outcome, assert_reads_as, probe_cases

ADVANCES = [
    ("retail_member_marketing", "两周内您能不能带上会员部负责人，跟我们去苏州那家标杆超市现场看一看？"),
    ("retail_member_marketing", "下下周六您和门店运营的同事一起去我们合作的那家连锁总部转一圈，您看行吗？"),
    ("gov_city_network", "下周四上午，麻烦您把网络科、安全科的科长都请来，我们当面把诊断结果过一遍？"),
    ("gov_city_network", "能不能这个月内由您牵头，开个半天的规划研讨，网络科和安全科都参加？"),
    ("hospital_mobile_nursing", "能不能先在骨科病区试一个月，以护士每班补录时间降到十分钟以内作为验收标准？"),
    (
        "edu_smart_academic",
        "咱们定个标准：机电学院下学期的课表先试排，冲突少于五个就推到全校，先拿这个学院试，行不行？",
    ),
    ("logistics_tms", "赵总，能不能请运营部这周把苏南线路三个月的派车记录导出来给我们，两周后我们拿测算结果向您汇报？"),
    (
        "energy_wind_eam",
        "孙组长，您看能不能下月初把二号风场的故障记录和运行数据给到我们，再请生产技术部一起开个回测验证会？",
    ),
    ("mfg_vitamin_erp", "秦经理，能否这周帮我们约王副总半个小时，把咨询公司的顾问也请上？"),
    ("bank_retail_crm", "陆总，下周能否由您带我们去跟分管副行长做个十五分钟的汇报，顺便把试点网点定下来？"),
    (
        "retail_member_marketing",
        "Within the next two weeks, could you and your head of store operations come with us to see how a partner "
        "chain runs its member program?",
    ),
    (
        "gov_city_network",
        "Would you be willing to call the network and security sections together on the 14th for a half-day "
        "planning session where we walk through the diagnosis?",
    ),
    (
        "hospital_mobile_nursing",
        "Could we run a four-week trial on the orthopaedic ward and agree now that success means bedside charting "
        "under five minutes per patient?",
    ),
    (
        "logistics_tms",
        "Could your ops team export last quarter's waybills for the Suzhou lane by Friday, so we can come back with "
        "an empty-miles diagnosis?",
    ),
    (
        "energy_wind_eam",
        "Would you send us twelve months of SCADA data from one farm so we can present a back-test to your "
        "evaluation group at the end of the month?",
    ),
    ("mfg_vitamin_erp", "Could you get me half an hour with Mr Wang next week, with the consultants sitting in?"),
    (
        "bank_retail_crm",
        "Would you take us to the VP for retail for a short briefing next week, and choose a sub-branch where we "
        "could pilot?",
    ),
    (
        "edu_smart_academic",
        "Let's agree on a test: you pick one school, we schedule next term's classes for it, and if clashes drop by "
        "half you take it to the provost. Does that work?",
    ),
    (
        "retail_member_marketing",
        "Can we book a date this month for you and the membership lead to tour one of our flagship clients?",
    ),
    (
        "gov_city_network",
        "What if we held the diagnosis workshop next Tuesday, and you asked both section chiefs to attend?",
    ),
]

CONTINUATIONS = [
    ("bank_retail_crm", "那我先把我们的产品手册发您邮箱，您有空翻翻？"),
    ("energy_wind_eam", "今天收获很大，回头我再约您详细聊聊预警这块。"),
    ("retail_member_marketing", "等我们把案例整理好了，再来给您汇报一下？"),
    ("mfg_vitamin_erp", "后面有需要的话，您随时给我打电话就行。"),
    ("logistics_tms", "下周我带技术同事过来，给您演示一下调度模块，您看行吗？"),
    ("hospital_mobile_nursing", "要不我先把其他医院的使用报告寄给您，您先了解了解？"),
    ("bank_retail_crm", "I'll put together some material on our CRM and send it your way."),
    ("energy_wind_eam", "Great talking with you, let's connect again after your evaluation round."),
    ("hospital_mobile_nursing", "Can I drop off a few brochures for the head nurses next time I'm in the area?"),
    ("logistics_tms", "Would it be okay if I gave you a call in a couple of weeks to see where things stand?"),
    ("retail_member_marketing", "Let me set up a demo for you sometime next month."),
    ("mfg_vitamin_erp", "How about I send you our traceability white paper and we chat once you've read it?"),
]

ORDERS = [
    ("logistics_tms", "赵总，既然都对上了，这个月就把合同签下来吧？"),
    ("edu_smart_academic", "刘处，您看下周能不能把采购合同走起来？"),
    ("gov_city_network", "周局，这事您今天就拍板定了吧？"),
    ("logistics_tms", "If the numbers hold up, can we get a purchase order from you this week?"),
    ("edu_smart_academic", "Can you sign off on the license today?"),
    ("retail_member_marketing", "Are you ready to go ahead and sign the agreement?"),
]

NOT_ASKS = [
    ("bank_retail_crm", "你们支行现在一般是怎么给客户经理分配任务的？"),
    ("hospital_mobile_nursing", "如果两个病区先试用，您觉得护士长最关心的会是什么？"),
    ("gov_city_network", "网络科和安全科平时谁牵头做规划？"),
    ("retail_member_marketing", "您之前有没有去别的连锁企业考察过会员系统？"),
    ("bank_retail_crm", "How do your relationship managers decide which clients to call each week?"),
    ("gov_city_network", "Who usually signs off on network upgrades in your bureau?"),
    ("energy_wind_eam", "Have you ever run a back-test with another vendor before?"),
    ("hospital_mobile_nursing", "If the nurses could chart at the bedside, what would that free up for them?"),
]

PROBES = probe_cases(ADVANCES, CONTINUATIONS, ORDERS, NOT_ASKS)


@pytest.mark.parametrize(("scenario_id", "text", "kind"), PROBES)
def test_probe_line_kind_and_the_outcome_of_a_call_closing_with_it(scenario_id, text, kind):
    assert_reads_as(scenario_id, text, kind)
    assert_closing_outcome(scenario_id, text, kind)
