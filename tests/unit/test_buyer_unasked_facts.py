"""Unasked-fact probes (issue 15: false reveals 11-19 % on blind sets, target <= 3 %): lines in fresh wording, zh and
en, on which the buyer today may tell a fact the rep did not ask about, grouped by cause: a generic question pulling a
specific fact, a common word hijacking another fact's topic, a follow-up pulling the next stage, a second fact tacked
on. Each line names the fact it asks about (or None) and the facts it must not reveal. Known failures are strict
xfails, so a fix shows up as XPASS."""

from __future__ import annotations

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scripted_buyer import ScriptedBuyer
from tests.utils.buyer_states import told_state

SCENARIOS = load_scenarios()
RETAIL_TO_NEED = {"s_member_program", "s_store_network", "p_campaign_guesswork", "i_margin_loss", "p_sleeping_members"}
SHIPPERS = {"s_fleet", "s_dispatch", "s_shippers"}

# (scenario, lang, told, told on the turn before, line, fact asked or None, facts it must not reveal, known failure)
Case = tuple[str, str, set[str], str | None, str, str | None, set[str], str | None]

GENERIC: list[Case] = [
    (
        "energy_wind_eam",
        "en",
        set(),
        None,
        "How is maintenance run across your wind farms today?",
        "s_maintenance_mode",
        {"s_assets"},
        "the card's size line outranks the topic the question names",
    ),
    (
        "energy_wind_eam",
        "zh",
        set(),
        None,
        "十四个风场的检修现在是怎么安排的？",
        "s_maintenance_mode",
        {"s_assets"},
        None,
    ),
    (
        "energy_wind_eam",
        "en",
        set(),
        None,
        "Could you tell me how the turbines get serviced across your sites?",
        "s_maintenance_mode",
        {"s_assets"},
        None,
    ),
    (
        "logistics_tms",
        "en",
        set(),
        None,
        "Can you give me a picture of how the trucks get assigned each day?",
        "s_dispatch",
        {"s_fleet"},
        None,
    ),
]

COMMON_WORD: list[Case] = [
    (
        "gov_city_network",
        "zh",
        {"s_network_scope", "p_outages"},
        "p_outages",
        "要是这种断网再发生，对咱们市在省里的名次有啥影响？",
        "i_city_ranking",
        {"s_city_plan"},
        None,  # fixed: a stage the label does not reach gets no lift from echoing its text (_fitting_likeness)
    ),
    (
        "gov_city_network",
        "en",
        {"s_network_scope", "p_outages"},
        "p_outages",
        "If another outage like that hit, what would it do to the city's standing in the provincial league table?",
        "i_city_ranking",
        {"s_city_plan"},
        None,
    ),
    (
        "logistics_tms",
        "en",
        SHIPPERS,
        None,
        "That big appliance customer re-tendering next year, what do they want on shipment tracking?",
        "i_key_tender",
        {"p_tracking"},
        "tracking names the earlier problem; the tender is what is asked",
    ),
    (
        "logistics_tms",
        "zh",
        SHIPPERS,
        None,
        "听说家电那个大客户明年要重新招标，他们对货物跟踪有啥要求？",
        "i_key_tender",
        {"p_tracking"},
        None,
    ),
    (
        "retail_member_marketing",
        "en",
        RETAIL_TO_NEED,
        None,
        "If you could show the owner which members each campaign brought back and what they spent, what would change?",
        "n_precise_offers",
        {"n_one_member"},
        "members names a payoff a step ahead; campaign names the one asked",
    ),
    (
        "retail_member_marketing",
        "zh",
        RETAIL_TO_NEED,
        None,
        "要是每次活动能给老板看清楚拉回来多少会员、花了多少钱，对您来说会有什么不一样？",
        "n_precise_offers",
        {"n_one_member"},
        "members names a payoff a step ahead; campaign names the one asked",
    ),
]

FOLLOW_UP: list[Case] = [
    (
        "bank_retail_crm",
        "en",
        {"s_customer_base", "p_churn"},
        "p_churn",
        "Ballpark, how much money went out the door with them last year?",
        None,
        {"i_aum_gap"},
        "last year's size of the told problem pulls this year's consequence",
    ),
    (
        "bank_retail_crm",
        "zh",
        {"s_customer_base", "p_churn"},
        "p_churn",
        "那去年跟着走掉的钱大概有多少？",
        None,
        {"i_aum_gap"},
        "last year's size of the told problem pulls this year's consequence",
    ),
    (
        "logistics_tms",
        "zh",
        {"s_fleet", "p_empty_miles"},
        "p_empty_miles",
        "回程空车主要是哪几条线？",
        None,
        {"i_fuel_cost"},
        None,
    ),
    (
        "hospital_mobile_nursing",
        "en",
        {"s_documentation", "p_overtime"},
        "p_overtime",
        "Is it the night shift that gets hit hardest by that?",
        None,
        {"i_nurse_turnover"},
        None,
    ),
]

TACKED_ON: list[Case] = [
    ("logistics_tms", "zh", set(), None, "咱们调度现在是几个人，用啥派车？", "s_dispatch", {"s_fleet"}, None),
    (
        "hospital_mobile_nursing",
        "zh",
        set(),
        None,
        "护理记录现在是手写还是电脑？一天要抄几遍？",
        "s_documentation",
        {"p_overtime", "s_wards"},
        None,
    ),
    (
        "retail_member_marketing",
        "en",
        set(),
        None,
        "How many members do you have, and do the app and the stores share one points scheme?",
        "s_member_program",
        {"s_store_network"},
        None,
    ),
    (
        "bank_retail_crm",
        "en",
        {"s_customer_info"},
        None,
        "How many systems does an RM log into to see one client, and how long does that take?",
        "p_scattered_view",
        {"i_low_productivity"},
        None,
    ),
]


def _params(cases: list[Case]) -> list[object]:
    return [
        pytest.param(*case[:-1], marks=pytest.mark.xfail(strict=True, reason=case[-1]) if case[-1] else ())
        for case in cases
    ]


@pytest.mark.parametrize(
    ("scenario_id", "lang", "told", "last", "line", "asked", "forbidden"),
    _params(GENERIC + COMMON_WORD + FOLLOW_UP + TACKED_ON),
)
def test_the_buyer_tells_what_was_asked_and_nothing_unasked(
    scenario_id: str, lang: str, told: set[str], last: str | None, line: str, asked: str | None, forbidden: set[str]
) -> None:
    scenario = SCENARIOS[scenario_id]
    turn = ScriptedBuyer(scenario).reply(told_state(scenario, lang, told, last=last), line, classify_spin(line))
    assert [fact for fact in turn.new_facts if fact in forbidden] == [], turn.text
    assert asked is None or asked in turn.new_facts, turn.text
