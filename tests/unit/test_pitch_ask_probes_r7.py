"""Round-7 probes for the one pitch rule and the ask kinds (issue 16), written and labelled before any rule changed.

None of these wordings comes from an evaluation file. Premature pitches: a feature, result, price, discount, free
trial, demo or reference customer stated by the seller before the buyer has said he needs it, with or without a
question mark ("我们的系统可以…您看怎么样？" is a pitch put as a question). Not pitches: need-payoff questions that
picture a solution, questions about the buyer's process, and advances that ask the buyer for a joint step with his
own data or people. A pitch after the buyer stated the need it answers is a pitch, but not premature.
"""

from __future__ import annotations

import pytest

from app.coaching.spin import classify_spin
from tests.utils.ask_probes import (
    assert_closing_outcome,
    assert_no_pitch,
    assert_premature_opening_pitch,
    assert_reads_as,
    probe_cases,
    scenarios,
)
from tests.utils.scripted_reps import play, strong_rep_lines

PREMATURE_ZH = [
    # results and features stated flatly, no question mark
    ("logistics_tms", "系统上线第一个月，回程空驶一般就能压下来一成多。"),
    ("edu_smart_academic", "排课引擎会把几千条约束一起考虑，撞课的情况基本就没有了。"),
    # reference customers
    ("bank_retail_crm", "城东农商行用了我们以后，半年里追回来三个多亿的存款。"),
    ("logistics_tms", "我们帮顺达物流做过一套，他们一年光油费就省了八百万。"),
    # a pitch dressed as a question
    ("hospital_mobile_nursing", "我们的系统可以让护士在床旁扫码核对用药，您看怎么样？"),
    ("energy_wind_eam", "我们的平台可以提前两周预测齿轮箱故障，您觉得如何？"),
    # price, discount, free trial, demo
    ("retail_member_marketing", "这个月定下来的话，软件费打九折，再送一年的短信包。"),
    ("edu_smart_academic", "我们可以先给您免费开一个学期的试用账号。"),
    ("gov_city_network", "我让工程师带着大屏过来，现场给您演示一下故障自动定位？"),
    # ROI promise
    ("mfg_vitamin_erp", "一般客户半年就能收回投入，投资回报在三倍以上。"),
]

PREMATURE_EN = [
    ("logistics_tms", "We can cut your empty miles by a fifth within the first quarter."),
    ("energy_wind_eam", "Our platform flags bearing wear about a month before anything breaks."),
    ("bank_retail_crm", "We've helped three regional banks win back most of the deposits they were losing."),
    ("hospital_mobile_nursing", "Sign before the end of the month and we'll waive the setup fee."),
    ("retail_member_marketing", "I can get you a free ninety-day trial of the coupon engine."),
    ("edu_smart_academic", "Let me walk you through a quick demo of the auto-scheduler, it takes ten minutes."),
    ("mfg_vitamin_erp", "Most plants get their money back on the system inside a year."),
    ("gov_city_network", "Our monitoring suite would put every node on one screen, how does that sound?"),
    ("energy_wind_eam", "A wind operator up north halved its crane call-outs after switching to us."),
]

NOT_PITCHES = [
    # need-payoff questions that picture a solution
    ("bank_retail_crm", "如果能当天收到提醒，对您有什么帮助？"),
    ("hospital_mobile_nursing", "要是护士在床旁扫一下就能核对用药，对科室意味着什么？"),
    (
        "edu_smart_academic",
        "If a clash were caught the moment a teacher moved a class, what would that save your office?",
    ),
    # questions about the buyer's process
    ("energy_wind_eam", "齿轮箱出了问题，从发现到备件到场一般要走哪些环节？"),
    ("gov_city_network", "Who signs off on a network project like this, and what does that process look like?"),
    # advances naming a joint next step with the buyer's data or people
    ("logistics_tms", "下周带上您的数据一起过一遍三条线路，您看周三行吗？"),
    ("logistics_tms", "Could your planners send us last month's waybills so we can map three routes with your data?"),
    ("retail_member_marketing", "周四能不能请您叫上会员部和两位店长，我们把上季度的活动数据一起过一遍？"),
    (
        "energy_wind_eam",
        "Could we sit down with your reliability team next Tuesday and go through one farm's failure logs together?",
    ),
]

# A pitch on the need the buyer has just stated himself: a pitch, not premature (scenario, its need-payoff fact, line).
PITCHES_AFTER_NEED = [
    ("logistics_tms", "n_smart_dispatch", "您说想要智能调度，我们的系统就能按回程货源自动派车，把空驶降下来。"),
    ("bank_retail_crm", "n_early_warning", "您提到的流失预警，我们的系统在资金异动当天就会推送到客户经理手机上。"),
    (
        "hospital_mobile_nursing",
        "n_bedside_scan",
        "Since bedside scanning is what you want, our app checks the drug against the wristband in one scan.",
    ),
]

ADVANCES = [
    ("bank_retail_crm", "下周二能不能请您把科技部的李总约上，我们当面把部署方案过一遍？"),
    ("logistics_tms", "下周带上您的数据一起过一遍三条线路，您看周三行吗？"),
    ("edu_smart_academic", "能不能请教务处月底前把两个学院的课表发给我们，我们先试排一版？"),
    (
        "hospital_mobile_nursing",
        "Could your head of nursing choose two wards by Friday so we can start a trial on the 1st?",
    ),
    ("logistics_tms", "Could your planners send us last month's waybills so we can map three routes with your data?"),
    ("gov_city_network", "Would you bring the security section head to a two-hour session with us next Wednesday?"),
]

CONTINUATIONS = [
    ("energy_wind_eam", "那我先回去整理一下，过两周再来找您聊。"),
    ("retail_member_marketing", "我把几个案例整理好发您微信，您有空翻翻？"),
    ("mfg_vitamin_erp", "Shall I check back with you after the holidays?"),
    ("edu_smart_academic", "I'll email you a brochure tonight and we can pick it up from there."),
]

ORDERS = [
    ("bank_retail_crm", "陆总，既然都合适，那我们这周就把合同签了吧？"),
    ("logistics_tms", "那您看今天能不能先把采购合同定下来？"),
    ("retail_member_marketing", "Can we get the purchase order raised this week?"),
    ("hospital_mobile_nursing", "Are you ready to sign so we can book the rollout?"),
]

NOT_ASKS = [
    ("logistics_tms", "每周的排线计划一般是谁来定、什么时候定？"),
    ("bank_retail_crm", "How does a new system usually get approved at your bank?"),
]


# A second batch, written and labelled after the first fixes and before they were run on it.
PREMATURE_ZH += [
    ("hospital_mobile_nursing", "我们这套系统在三十多家三甲医院上线了，护士都说好用。"),
    ("mfg_vitamin_erp", "您放心，数据迁移这块我们有现成的工具，两周就能切过去。"),
    ("logistics_tms", "下单的话我们可以把实施周期压到一个月。"),
    ("gov_city_network", "我们是省内唯一一家通过等保三级测评的厂商。"),
    ("bank_retail_crm", "很多城商行都是选的我们，效果有目共睹。"),
    ("edu_smart_academic", "这个模块能帮教务处每学期省下至少两周的时间，您看要不要了解一下？"),
    ("logistics_tms", "我们的调度算法是自己研发的，空驶率能比行业平均低百分之十五。"),
    ("hospital_mobile_nursing", "您要是今天定，我可以申请把首年服务费免掉。"),
    ("energy_wind_eam", "其实我们有一个现成的方案，专门解决风机备件积压的问题。"),
]
PREMATURE_EN += [
    ("mfg_vitamin_erp", "Our clients typically cut reconciliation time in half."),
    ("mfg_vitamin_erp", "We're the only vendor in the province with a certified GMP module."),
    ("retail_member_marketing", "Honestly, our tool pays for itself in about six months."),
    ("edu_smart_academic", "I'd be happy to set you up with a free pilot account today."),
    ("hospital_mobile_nursing", "We just rolled this out at a hospital across town and their nurses love it."),
    ("logistics_tms", "Our dispatch engine could save you a fortune on fuel, want to see how?"),
    ("gov_city_network", "If you sign this week, I can throw in the training for free."),
    ("energy_wind_eam", "There's a module in our suite that does exactly this kind of forecasting."),
]
NOT_PITCHES += [
    ("energy_wind_eam", "如果备件能按预测来备，您这边占用的资金大概能释放多少？"),
    ("edu_smart_academic", "要是调课能在手机上一步办完，老师们会怎么看？"),
    ("bank_retail_crm", "采购这类系统，一般要经过哪几个部门审批？"),
    ("mfg_vitamin_erp", "What would it be worth to your team if the month-end close took three days instead of ten?"),
    ("gov_city_network", "Who else would need to be comfortable with a change like this?"),
    ("bank_retail_crm", "能不能请您下周把两个网点的流失客户名单导出来，我们一起看看规律？"),
    (
        "edu_smart_academic",
        "Could you and the registrar block out Thursday morning so we can walk through next term's constraints together?",
    ),
    ("energy_wind_eam", "您刚才说最头疼的是备件积压，这部分资金一年大概有多少？"),
]


# A joint working session on the buyer's own data is his step even when the rep's clause carries it ("我们带上您的数据
# 一起过一遍"): he has to bring the data and the time. Written before the fix.
ADVANCES += [
    ("logistics_tms", "下周我们带上您的数据一起过一遍三条线路，您看周三行吗？"),
    ("energy_wind_eam", "月底前我们拿您三号风场的检修记录一起做一次回测，您看哪天方便？"),
]

# A third batch (colloquial, a pitch leading into a question, awards, prices against a rival), written before it was run.
PREMATURE_ZH += [
    ("hospital_mobile_nursing", "咱家系统排班是全自动的，护士长再也不用熬夜排了。"),
    ("hospital_mobile_nursing", "我们系统能自动排班，您现在排班是怎么做的？"),
    ("gov_city_network", "不瞒您说，我们给三家省级单位都做过类似的项目。"),
    ("bank_retail_crm", "我们这边报价很有竞争力，比远航便宜将近三成。"),
    ("mfg_vitamin_erp", "这套东西装上以后，对账基本不用人管。"),
    ("energy_wind_eam", "我们的方案里有个智能补货模块，专门治备件积压。"),
    ("retail_member_marketing", "现在签约还能赶上我们年底的促销价。"),
    ("edu_smart_academic", "我可以先让技术给你们搭一套测试环境，不要钱的。"),
    ("gov_city_network", "我们的产品获得过工信部的创新奖，技术上绝对靠得住。"),
    ("logistics_tms", "像您这样规模的车队，用我们的系统一年少说能省两百万油费。"),
]
PREMATURE_EN += [
    ("bank_retail_crm", "Quick thing: our alerts go out the second a deposit moves."),
    ("bank_retail_crm", "Just so you know, we're about thirty percent cheaper than Yuanhang."),
    ("mfg_vitamin_erp", "Our implementation team has done over fifty of these."),
    ("gov_city_network", "We won the provincial innovation award for this last year."),
    ("logistics_tms", "Fleets your size usually save around two million a year with us."),
]

# Ask kinds, a second batch written before it was run.
ADVANCES += [
    (
        "energy_wind_eam",
        "这样吧，您这周五前把三个场站的检修记录给我一份，下周二我们带着分析结果来跟您和设备部一起对一下？",
    ),
    ("hospital_mobile_nursing", "您看下个月初能不能让两个病区的护士长抽半天，跟我们把给药流程走一遍？"),
    ("mfg_vitamin_erp", "回去以后麻烦您跟王总提一下，争取下周给我们半小时当面汇报？"),
    ("edu_smart_academic", "要不这个学期末先拿外语学院试一下，您这边出课表，我们出排课结果？"),
    ("bank_retail_crm", "月底前能不能安排我们去一趟城南网点，跟客户经理一起看看他们现在怎么跟进的？"),
    (
        "bank_retail_crm",
        "Would you be willing to pull last quarter's churn list for two branches, and we review it together on Monday?",
    ),
    (
        "logistics_tms",
        "Can we get your dispatch lead and one planner for ninety minutes next Tuesday to rebuild one lane with real orders?",
    ),
    (
        "retail_member_marketing",
        "Could you ask the store operations director to join us for a walk-through of two stores next week?",
    ),
]
CONTINUATIONS += [
    ("mfg_vitamin_erp", "那我回去把方案再完善一下，完了再跟您约时间。"),
    ("edu_smart_academic", "我先加您微信，后面有活动通知您？"),
    ("hospital_mobile_nursing", "要不您先看看资料，有问题随时打我电话？"),
    ("logistics_tms", "Let me know when things quiet down and we'll pick it up again."),
    ("gov_city_network", "I'll keep you posted on the new release."),
]
ORDERS += [
    ("mfg_vitamin_erp", "既然您这边都认可了，那合同我今天就让法务发过来，您这周签一下？"),
    ("logistics_tms", "Let's get the paperwork done today so we can start on the 1st."),
    ("gov_city_network", "能不能这个月就把采购走起来？"),
    ("retail_member_marketing", "So, can I put you down for the full package?"),
]


@pytest.mark.parametrize(("scenario_id", "text"), [*PREMATURE_ZH, *PREMATURE_EN])
def test_a_premature_pitch_is_flagged_live_and_in_the_score(scenario_id, text):
    assert classify_spin(text).is_pitch or play(scenarios()[scenario_id], [text]).history[-1].is_pitch, text
    assert_premature_opening_pitch(scenario_id, text)


@pytest.mark.parametrize(("scenario_id", "text"), NOT_PITCHES)
def test_a_question_or_advance_is_no_pitch(scenario_id, text):
    assert_no_pitch(scenario_id, text)


@pytest.mark.parametrize(("scenario_id", "need", "text"), PITCHES_AFTER_NEED)
def test_a_pitch_on_the_need_the_buyer_stated_is_not_premature(scenario_id, need, text):
    scenario = scenarios()[scenario_id]
    discovery = strong_rep_lines(scenario)[:-2]  # the SPIN questions, without the closing summary and ask
    state = play(scenario, discovery)
    assert need in state.revealed_ids(), "the buyer states the need first"
    record = play(scenario, [*discovery, text]).history[-1]
    assert record.is_pitch and not record.premature_pitch, text


@pytest.mark.parametrize(("scenario_id", "text", "kind"), probe_cases(ADVANCES, CONTINUATIONS, ORDERS, NOT_ASKS))
def test_ask_kind_and_the_outcome_of_a_call_closing_with_it(scenario_id, text, kind):
    assert_reads_as(scenario_id, text, kind)
    assert_closing_outcome(scenario_id, text, kind)
