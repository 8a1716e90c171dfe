"""Ask kinds, fifth probe batch (issue 16): 46 closing lines labelled before running (and a second set of 32), in new wording.

Aimed at the failure classes of the outcome: specific advances in forms the earlier batches did not use (a
reference-site visit with the owner within two weeks, a workshop with named sections on a date, a trial with a
success criterion agreed up front, an English "let's agree on a test" or "what if we…" form), continuations that
look like steps (the rep's own demo or visit, a call later, material sent), orders put to a contact who cannot sign,
and questions about today that carry step words (考察, back-test, sign off) without asking for one.
"""

from __future__ import annotations

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.asks import classify_ask
from tests.utils.ask_probes import assert_closing_outcome, assert_reads_as, probe_cases, scenarios
from tests.utils.scripted_reps import play, strong_rep_lines

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

# Second set, labelled before running: steps stated as the rep's plan around the customer's act ("您挑一个风场，我们…"),
# a trial judged on agreed measures, the rep coming back or inviting (continuations), purchase requests (orders), and
# questions on what the customer can do today.
ADVANCES_2 = [
    (
        "hospital_mobile_nursing",
        "护士长们要是同意，下个月一号起心内科先用三十天，到时候用差错率和加班时长来评估，您看这么安排可以吗？",
    ),
    ("logistics_tms", "您让调度把上个月合肥线的运单拉一份出来，我们下周三前给您一个空驶诊断，这样行不行？"),
    ("energy_wind_eam", "这样，您挑一个风场，我们用它去年的数据做回测，月底在评估组面前验证，可以吗？"),
    ("edu_smart_academic", "刘处，下学期排课前，能不能拿外国语学院的数据先跑一遍，教学秘书一起把把关？"),
    ("bank_retail_crm", "您看这周五能不能把网点运营的负责人也叫上，我们一起定一家先试的支行？"),
    ("mfg_vitamin_erp", "那就请您下周跟王总打个招呼，咱们三方加上咨询顾问碰一次需求？"),
    ("retail_member_marketing", "月底前，您带会员部和门店的两位负责人去我们杭州的客户那儿实地看一天，行吗？"),
    (
        "hospital_mobile_nursing",
        "Could you pick two wards to trial it for a month starting the 1st, and we'll judge it on overtime hours and "
        "charting errors?",
    ),
    (
        "logistics_tms",
        "Would you have dispatch pull last month's Hefei lane orders so we can show you an empty-miles diagnosis by "
        "next Wednesday?",
    ),
    (
        "bank_retail_crm",
        "Could you bring your branch operations head to a session this Friday so we can settle on one pilot branch "
        "together?",
    ),
    (
        "energy_wind_eam",
        "How about this: you choose a wind farm, hand us last year's data, and we validate the back-test in front of "
        "your evaluation group before month end?",
    ),
    ("mfg_vitamin_erp", "Would you be comfortable introducing me to Mr Wang before the end of the month?"),
    (
        "edu_smart_academic",
        "Next term, could one school run its timetable through our engine, with the teaching secretary checking the "
        "result?",
    ),
]

CONTINUATIONS_2 = [
    ("gov_city_network", "周局，您先忙，等您这边定了方向我们再来汇报。"),
    ("edu_smart_academic", "那我下周再约个时间，把排课的方案给您详细讲讲？"),
    ("hospital_mobile_nursing", "我们那边有个护理信息化的沙龙，到时候给您发个邀请？"),
    ("energy_wind_eam", "资料我整理好了发您，您看完我们再找时间交流。"),
    ("retail_member_marketing", "您看要不先加个微信，后面有案例我第一时间发您？"),
    ("gov_city_network", "I'll let you get back to work; we'll come back once you've set the direction."),
    ("edu_smart_academic", "Could I swing by again next week to walk you through the scheduling plan?"),
    ("retail_member_marketing", "Mind if I add you on WeChat and share a few case studies later?"),
    ("energy_wind_eam", "I'll email the deck tonight; let me know what you think."),
]

ORDERS_2 = [
    ("hospital_mobile_nursing", "陈主任，要不今天就把采购申请提上去？"),
    ("bank_retail_crm", "陆总，这套系统我们就按这个报价定下来，好不好？"),
    ("bank_retail_crm", "Can we lock in the price we discussed and get the paperwork started?"),
    ("hospital_mobile_nursing", "Could you put in the purchase request this week?"),
]

NOT_ASKS_2 = [
    ("logistics_tms", "上个季度空驶的数据，你们现在能导得出来吗？"),
    ("mfg_vitamin_erp", "王总那边一般多久开一次信息化的会？"),
    ("energy_wind_eam", "去年你们有没有试过别家的预警系统？"),
    ("logistics_tms", "Can your system currently export last month's waybills?"),
    ("mfg_vitamin_erp", "How often does Mr Wang meet with the IT team?"),
    ("gov_city_network", "Have the two sections ever held a joint planning session?"),
]

# Third set, English forms only (labelled before running): "is it possible for…", "any chance you could…", "block out a
# day", "free up an afternoon", "get … on the calendar"; the rep circling back or coming by; commitment and signature
# orders; questions on what success looks like.
ADVANCES_3 = [
    (
        "hospital_mobile_nursing",
        "Before the end of next month, could two of your head nurses pilot the bedside app on their wards?",
    ),
    ("logistics_tms", "Is it possible for your dispatch lead to send us one lane's waybills by Thursday?"),
    (
        "gov_city_network",
        "I'd suggest we get your network and security chiefs in a room next week for the diagnosis. Can you make "
        "that happen?",
    ),
    (
        "retail_member_marketing",
        "Could you block out a day in the next two weeks to visit a flagship chain with your store operations head?",
    ),
    ("mfg_vitamin_erp", "Any chance you could introduce us to Mr Wang before the consultants wrap up?"),
    (
        "energy_wind_eam",
        "Could your evaluation team free up an afternoon next week for a back-test review on your own data?",
    ),
    (
        "edu_smart_academic",
        "Would your registrar be willing to hand us one college's spring timetable so we can do a trial run by March?",
    ),
    ("bank_retail_crm", "Could you get fifteen minutes with the VP on the calendar for us next week?"),
]

CONTINUATIONS_3 = [
    ("bank_retail_crm", "Let me circle back once I've had a chance to talk to my manager."),
    ("hospital_mobile_nursing", "I'll have our team pull together a proposal and get it over to you."),
    ("gov_city_network", "Is it alright if I reach out again after the budget cycle?"),
    ("edu_smart_academic", "I'd be happy to come by again and show you the timetabling engine."),
    ("logistics_tms", "Can we set up another chat sometime soon?"),
]

ORDERS_3 = [
    ("energy_wind_eam", "Can we get your signature on the contract by the end of the month?"),
    ("mfg_vitamin_erp", "So are we good to move ahead with the order?"),
    ("gov_city_network", "Would you be ready to commit to the purchase this quarter?"),
]

NOT_ASKS_3 = [
    ("retail_member_marketing", "Which of your stores would be the best place to start, in your view?"),
    ("energy_wind_eam", "How long does it usually take your team to review vendor data?"),
    ("logistics_tms", "What would a successful pilot look like for you?"),
    ("bank_retail_crm", "Who would need to be in the room when the VP decides?"),
]

PROBES = (
    probe_cases(ADVANCES, CONTINUATIONS, ORDERS, NOT_ASKS)
    + probe_cases(ADVANCES_2, CONTINUATIONS_2, ORDERS_2, NOT_ASKS_2)
    + probe_cases(ADVANCES_3, CONTINUATIONS_3, ORDERS_3, NOT_ASKS_3)
)


@pytest.mark.parametrize(("scenario_id", "text", "kind"), PROBES)
def test_probe_line_kind_and_the_outcome_of_a_call_closing_with_it(scenario_id, text, kind):
    assert_reads_as(scenario_id, text, kind)
    assert_closing_outcome(scenario_id, text, kind)


# A step of the same kind as the scenario's own advance (a reference visit, a workshop of the named sections, a ward
# trial with a measure, a meeting with the executive) is as strong as it and wins the commitment after a strong call;
# a different step (data for another purpose, an interface meeting) is an advance that does not (labelled before
# running).
EQUALLY_STRONG = [
    ("retail_member_marketing", "两周内您能不能带上会员部负责人，跟我们去苏州那家标杆超市现场看一看？"),
    ("retail_member_marketing", "下下周六您和门店运营的同事一起去我们合作的那家连锁总部转一圈，您看行吗？"),
    ("gov_city_network", "下周四上午，麻烦您把网络科、安全科的科长都请来，我们当面把诊断结果过一遍？"),
    ("gov_city_network", "能不能这个月内由您牵头，开个半天的规划研讨，网络科和安全科都参加？"),
    ("hospital_mobile_nursing", "能不能先在骨科病区试一个月，以护士每班补录时间降到十分钟以内作为验收标准？"),
    (
        "hospital_mobile_nursing",
        "护士长们要是同意，下个月一号起心内科先用三十天，到时候用差错率和加班时长来评估，您看这么安排可以吗？",
    ),
    ("edu_smart_academic", "刘处，下学期排课前，能不能拿外国语学院的数据先跑一遍，教学秘书一起把把关？"),
    ("mfg_vitamin_erp", "秦经理，能否这周帮我们约王副总半个小时，把咨询公司的顾问也请上？"),
    (
        "retail_member_marketing",
        "Within the next two weeks, could you and your head of store operations come with us to see how a partner "
        "chain runs its member program?",
    ),
    (
        "bank_retail_crm",
        "Would you take us to the VP for retail for a short briefing next week, and choose a sub-branch where we "
        "could pilot?",
    ),
]

OTHER_STEPS = [
    ("retail_member_marketing", "下周能不能请会员部把近半年的会员消费数据导一份给我们？"),
    ("mfg_vitamin_erp", "能不能请您这周把信息部整理的需求清单发给我们？"),
    ("hospital_mobile_nursing", "能不能请信息科下周跟我们的工程师开个接口对接会？"),
    ("bank_retail_crm", "您看这周五能不能把网点运营的负责人也叫上，我们一起定一家先试的支行？"),
]


@pytest.mark.parametrize(
    ("scenario_id", "text", "equal"),
    [(s, t, True) for s, t in EQUALLY_STRONG] + [(s, t, False) for s, t in OTHER_STEPS],
)
def test_a_step_of_the_scenarios_kind_wins_its_commitment(scenario_id, text, equal):
    scenario = scenarios()[scenario_id]
    ask = classify_ask(scenario, text, classify_spin(text))
    assert ask.kind == "advance", text
    assert ask.matches is equal, text
    state = play(scenario, [*strong_rep_lines(scenario)[:-1], text])
    assert state.commitment_won is equal, (text, [record.ask_kind for record in state.history])


def test_same_kind_steps_are_validated_data(tmp_path):
    from app.roleplay.rubric import RUBRIC_PATH, RubricError, load_rubric_file

    broken = tmp_path / "rubric.yaml"
    text = RUBRIC_PATH.read_text(encoding="utf-8")
    broken.write_text(text.replace("kind_accepts:\n  site_visit:", "kind_accepts:\n  field_trip:", 1), encoding="utf-8")
    with pytest.raises(RubricError, match="kind_accepts"):
        load_rubric_file(broken)
