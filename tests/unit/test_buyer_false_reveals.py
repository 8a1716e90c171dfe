"""False-reveal probes (issue 15, held-out false reveals 6-19 %): lines, in our own words, on which the buyer must not
tell a fact nobody asked for, grouped by the class of cause seen on the tune split, with guards that the fact which
*is* asked still comes out. Known failures are strict xfails, so a fix shows up as XPASS."""

from __future__ import annotations

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scripted_buyer import ScriptedBuyer
from tests.utils.buyer_states import told_state

SCENARIOS = load_scenarios()
RETAIL_TOLD = {"s_member_program", "p_sleeping_members"}
NURSING_TOLD = {"s_documentation", "p_overtime", "p_med_checks"}
ERP_TOLD = {"s_current_erp", "p_batch_trace"}

# (scenario, lang, facts told, line, facts it must not reveal, known failure or None)
ProbeCase = tuple[str, str, set[str], str, set[str] | None, str | None]

# Class 1: the question is about a fact already told (named by that fact's own keyword); another fact is touched only
# by shared plain words. The rep is following up on what he heard, not asking for something new.
RE_ASKS: list[ProbeCase] = [
    (
        "retail_member_marketing",
        "en",
        RETAIL_TOLD,
        "So your app points and in-store points don't mix? How do shoppers feel about that?",
        None,
        "re-ask of a told fact",
    ),
    ("retail_member_marketing", "zh", RETAIL_TOLD, "小程序积分和门店积分不通，会员们怎么看这事？", None, "re-ask"),
    ("hospital_mobile_nursing", "zh", NURSING_TOLD, "人工核对这块，之前出过岔子吗？", None, "re-ask"),
    (
        "hospital_mobile_nursing",
        "en",
        NURSING_TOLD,
        "Has manual checking of medication ever actually gone wrong?",
        None,
        "re-ask",
    ),
    ("mfg_vitamin_erp", "en", ERP_TOLD, "How do you handle batch traceability at the moment?", None, "re-ask"),
    ("mfg_vitamin_erp", "zh", ERP_TOLD, "批次追溯现在具体怎么做？", None, "re-ask"),
]

# Class 2: a lead-in restates the public card (the fleet, the network's reach) before the question proper.
CARD_LEAD_INS: list[ProbeCase] = [
    ("logistics_tms", "zh", set(), "赵总，您这一百多台车，每天谁给安排的活儿？", {"s_fleet"}, "card lead-in"),
    (
        "logistics_tms",
        "en",
        set(),
        "With your hundred and twenty trucks, who hands out the jobs every morning?",
        {"s_fleet"},
        "card lead-in",
    ),
    (
        "gov_city_network",
        "zh",
        {"s_city_plan"},
        "外网覆盖六十多个委办局、一百四十多个街道，日常运为是谁在管？",
        {"s_network_scope"},
        "card lead-in",
    ),
    (
        "gov_city_network",
        "en",
        {"s_city_plan"},
        "The network covers sixty-odd bureaus and a hundred and forty streets; who looks after it day to day?",
        {"s_network_scope"},
        None,
    ),
]

# Class 3: one everyday word that several facts share (老师, 客户经理, teachers) and nothing else.
COMMON_WORDS: list[ProbeCase] = [
    (
        "edu_smart_academic",
        "zh",
        {"s_scheduling", "p_grade_entry"},
        "老师们会不会嫌新软件难上手？",
        None,
        "common word",
    ),
    (
        "edu_smart_academic",
        "en",
        {"s_scheduling", "p_grade_entry"},
        "Would the teachers find a new tool a hassle to learn?",
        None,
        "common word",
    ),
    ("bank_retail_crm", "zh", {"s_customer_info"}, "客户经理平时怎么找客户？", {"s_customer_base"}, "common word"),
    (
        "bank_retail_crm",
        "en",
        {"s_customer_info"},
        "How do relationship managers look a client up?",
        {"s_customer_base"},
        "common word",
    ),
]

# Class 4: a word of a fact two SPIN stages away from what the line asks (the principal on a purchasing question, the
# wards on a roll-out question).
FAR_STAGES: list[ProbeCase] = [
    (
        "edu_smart_academic",
        "zh",
        {"s_scheduling", "p_timetable_clashes"},
        "买这种软件是您拍板，还是得报校长批？",
        None,
        None,  # fixed: the role name alone (校长, president) is no longer a keyword of the evaluation-risk fact
    ),
    (
        "edu_smart_academic",
        "en",
        {"s_scheduling", "p_timetable_clashes"},
        "Do you sign off on a purchase like this, or does it go to the president?",
        None,
        None,
    ),
    (
        "hospital_mobile_nursing",
        "zh",
        NURSING_TOLD | {"i_patient_safety"},
        "如果护士们用得顺手，往其他病区铺开是不是会容易些？",
        {"s_wards"},
        "far stage",
    ),
    (
        "hospital_mobile_nursing",
        "en",
        NURSING_TOLD | {"i_patient_safety"},
        "If the nurses like it, would rolling it out to the other wards go more smoothly?",
        {"s_wards"},
        "far stage",
    ),
]


def _params(cases: list[ProbeCase]) -> list[object]:
    return [
        pytest.param(*case[:-1], marks=pytest.mark.xfail(strict=True, reason=case[-1]) if case[-1] else ())
        for case in cases
    ]


@pytest.mark.parametrize(
    ("scenario_id", "lang", "told", "line", "forbidden"),
    _params(RE_ASKS + CARD_LEAD_INS + COMMON_WORDS + FAR_STAGES),
)
def test_a_line_that_asks_for_no_new_fact_reveals_none(
    scenario_id: str, lang: str, told: set[str], line: str, forbidden: set[str] | None
) -> None:
    scenario = SCENARIOS[scenario_id]
    turn = ScriptedBuyer(scenario).reply(told_state(scenario, lang, told), line, classify_spin(line))
    wrong = [fact for fact in turn.new_facts if forbidden is None or fact in forbidden]
    assert wrong == [], turn.text


# Guards: the fact asked about still comes out when the question names it, after the same told facts.
ASKED: list[tuple[str, str, set[str], str, str]] = [
    (
        "retail_member_marketing",
        "zh",
        {"s_member_program"},
        "积分不通的话，三百万会员里真正常来买的有多少？",
        "p_sleeping_members",
    ),
    (
        "retail_member_marketing",
        "en",
        {"s_member_program"},
        "With the points split like that, how many of the three million members actually buy regularly?",
        "p_sleeping_members",
    ),
    ("hospital_mobile_nursing", "zh", NURSING_TOLD, "万一给药真出了差错，对医院会有什么后果？", "i_patient_safety"),
    ("logistics_tms", "zh", set(), "您这边一百二十台自有车，平时派车是谁来定？", "s_dispatch"),
    ("gov_city_network", "zh", {"s_city_plan"}, "外网日常运维是谁在管，几个人？", "s_ops_team"),
]


@pytest.mark.parametrize(("scenario_id", "lang", "told", "line", "fact_id"), ASKED)
def test_the_fact_asked_about_still_comes_out(
    scenario_id: str, lang: str, told: set[str], line: str, fact_id: str
) -> None:
    scenario = SCENARIOS[scenario_id]
    turn = ScriptedBuyer(scenario).reply(told_state(scenario, lang, told), line, classify_spin(line))
    assert fact_id in turn.new_facts, turn.text


# Class 5: a follow-up pointing back at the fact just told, of the same SPIN stage, that asks more about it (how often,
# where, tried anything, who reacts): the buyer stays on it; he does not volunteer the next stage (the cost after a
# problem, the payoff after a cost). Only a situation question may move on to a problem: S and P are the labels the
# classifier mixes up most.
FOLLOW_UP_CHAINS: list[tuple[str, set[str], str]] = [
    ("logistics_tms", {"s_fleet", "s_dispatch", "p_empty_miles"}, "p_empty_miles"),
    ("hospital_mobile_nursing", {"s_documentation", "p_overtime"}, "p_overtime"),
    ("bank_retail_crm", {"s_customer_info", "p_churn"}, "p_churn"),
    ("logistics_tms", {"s_fleet", "s_dispatch", "p_empty_miles", "i_fuel_cost"}, "i_fuel_cost"),
    ("bank_retail_crm", {"s_customer_info", "p_churn", "s_annual_target", "i_aum_gap"}, "i_aum_gap"),
]
FOLLOW_UP_LINES = {
    ("P", "zh"): ["那这个问题是经常出现，还是偶尔才有？", "那这个难题您这边之前想过办法解决吗？"],
    ("P", "en"): [
        "Is that a problem you run into every week, or only now and then?",
        "Have you tried anything to fix that problem so far?",
    ],
    ("I", "zh"): ["那这个影响会不会越来越大？", "这个后果老板那边知道了会怎么样？"],
    ("I", "en"): ["Does that impact keep growing year after year?", "How does your boss react to that consequence?"],
}
NEXT_STAGE = {"problem": "implication", "implication": "need_payoff"}


@pytest.mark.parametrize(("scenario_id", "told", "last"), FOLLOW_UP_CHAINS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_follow_up_on_the_fact_just_told_does_not_volunteer_the_next_stage(
    scenario_id: str, told: set[str], last: str, lang: str
) -> None:
    scenario = SCENARIOS[scenario_id]
    stage = scenario.category_of(last)
    for line in FOLLOW_UP_LINES[(stage[0].upper(), lang)]:
        spin = classify_spin(line)
        assert spin.label == stage[0].upper(), line
        turn = ScriptedBuyer(scenario).reply(told_state(scenario, lang, told, last=last), line, spin)
        assert [fact for fact in turn.new_facts if scenario.category_of(fact) == NEXT_STAGE[stage]] == [], line
