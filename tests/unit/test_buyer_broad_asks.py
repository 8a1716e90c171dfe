"""Broad questions (issue 15 item 2): "您这边现在最头疼的是什么？", "What keeps you up at night?", "Could you walk me
through how things work today?" ask for the buyer's main problem or his situation without naming a topic. A real
buyer names his lead one instead of "be specific". Labelling convention of the evaluation sets: a generic "biggest
pain?" gets at most one problem fact. The lead fact is the first untold fact of the asked kind in the scenario's key
chain (success.key_facts and what they require), else the first askable one in the scenario's order.

Probes written before the fix; known failures are xfails."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.roleplay.broad_asks import load_broad_asks
from app.roleplay.phrases import PhraseDataError, phrase_options
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scripted_buyer import ScriptedBuyer
from app.roleplay.service import decide_turn
from app.roleplay.state import SessionState
from tests.utils.buyer_states import told_state

SCENARIOS = load_scenarios()
BRUSHED_OFF = "brushed off (issue 15 item 2): a broad question gets 'be specific'"
FAIR_TRUST = 40

# (scenario, language, the rep's line, the lead fact, known failure)
PROBLEM_ASKS = [
    ("bank_retail_crm", "zh", "您这边现在最头疼的是什么？", "p_churn", None),
    ("bank_retail_crm", "zh", "说到底，现在最让您睡不着觉的是什么？", "p_churn", None),
    ("edu_smart_academic", "zh", "过去一年最让您操心的问题是什么？", "p_timetable_clashes", None),
    ("edu_smart_academic", "zh", "您觉得现在工作中最大的难点在哪？", "p_timetable_clashes", None),
    ("energy_wind_eam", "zh", "现在最大的挑战是什么？", "p_major_failures", None),
    ("energy_wind_eam", "zh", "孙主任，您这边眼下最突出的问题是什么？", "p_major_failures", None),
    ("gov_city_network", "zh", "周局，现在最头疼的事情是什么？", "p_outages", None),
    ("gov_city_network", "zh", "您这边工作中最棘手的问题是哪个？", "p_outages", None),
    ("hospital_mobile_nursing", "zh", "陈主任，目前您最担心的是什么？", "p_med_checks", None),
    ("logistics_tms", "zh", "您现在最大的麻烦是啥？", "p_tracking", None),
    ("mfg_vitamin_erp", "zh", "秦总，眼下最让您头疼的是哪件事？", "p_batch_trace", None),
    ("retail_member_marketing", "zh", "现在最主要的难题是什么？", "p_campaign_guesswork", None),
    ("bank_retail_crm", "en", "What's your biggest challenge right now?", "p_churn", None),
    ("bank_retail_crm", "en", "Biggest headache?", "p_churn", None),
    (
        "edu_smart_academic",
        "en",
        "What has been the biggest headache over the past year?",
        "p_timetable_clashes",
        None,
    ),
    ("energy_wind_eam", "en", "What keeps you up at night?", "p_major_failures", None),
    (
        "energy_wind_eam",
        "en",
        "What's the toughest challenge you're dealing with this year?",
        "p_major_failures",
        None,
    ),
    ("gov_city_network", "en", "What would you say is your main problem at the moment?", "p_outages", None),
    ("hospital_mobile_nursing", "en", "What worries you most these days?", "p_med_checks", None),
    (
        "hospital_mobile_nursing",
        "en",
        "What's the biggest problem you're facing right now?",
        "p_med_checks",
        None,
    ),
    ("logistics_tms", "en", "What's the number one issue on your desk?", "p_tracking", None),
    ("mfg_vitamin_erp", "en", "What is the most pressing problem you face?", "p_batch_trace", None),
    ("retail_member_marketing", "en", "What's your biggest pain point?", "p_campaign_guesswork", None),
]

# A broad question set in the scenario's general area only is still broad.
GENERAL_AREA = [
    ("bank_retail_crm", "zh", "零售业务这块，您现在最头疼的是什么？", "p_churn", None),
    ("hospital_mobile_nursing", "zh", "护理工作上，您现在最大的难题是什么？", "p_med_checks", None),
    ("energy_wind_eam", "zh", "风电场运维这块，现在最大的挑战是什么？", "p_major_failures", None),
    ("logistics_tms", "en", "In your trucking business, what's the biggest headache right now?", "p_tracking", None),
    (
        "retail_member_marketing",
        "en",
        "On the marketing side, what's your biggest challenge?",
        "p_campaign_guesswork",
        None,
    ),
]

SITUATION_OPENERS = [
    ("gov_city_network", "zh", "先请您介绍一下现在整体是怎么运作的？", "s_network_scope", None),
    ("logistics_tms", "zh", "能不能先跟我讲讲你们目前的整体情况？", "s_shippers", None),
    ("retail_member_marketing", "zh", "先跟我聊聊你们现在的基本情况吧？", "s_store_network", None),
    ("hospital_mobile_nursing", "zh", "能先大概介绍一下你们现在的情况吗？", "s_wards", None),
    ("bank_retail_crm", "en", "Could you walk me through how things work today?", "s_customer_base", None),
    (
        "edu_smart_academic",
        "en",
        "Can you give me an overview of how you operate at the moment?",
        "s_scheduling",
        None,
    ),
    (
        "energy_wind_eam",
        "en",
        "Could you give me the big picture of your operation first?",
        "s_maintenance_mode",
        None,
    ),
    (
        "mfg_vitamin_erp",
        "en",
        "Before anything else, could you walk me through how things run today?",
        "s_export",
        None,
    ),
]

# A broad question with a topic of its own keeps today's topic matching.
TOPICAL = [
    ("edu_smart_academic", "zh", "成绩录入方面您最头疼的是什么？", {"s_college_scale", "p_grade_entry"}),
    ("logistics_tms", "zh", "派车这块最大的难点是什么？", {"s_dispatch", "p_dispatcher_dependence"}),
    ("bank_retail_crm", "zh", "客户信息这块，最让您操心的是什么？", {"s_customer_info", "p_scattered_view"}),
    ("energy_wind_eam", "en", "What's the biggest headache with spare parts?", {"s_assets", "p_spare_parts"}),
    (
        "hospital_mobile_nursing",
        "en",
        "What's the biggest headache with the nursing paperwork?",
        {"s_documentation", "p_overtime"},
    ),
    ("logistics_tms", "en", "Could you walk me through how you assign trucks to loads today?", {"s_dispatch"}),
]

# A pitch that ends in a broad question is still a pitch, and tells nothing before the need is out.
PITCHES = [
    ("energy_wind_eam", "zh", "我们的平台能提前两周预警大部件故障，帮您把停机损失降下来，您现在最大的挑战是什么？"),
    (
        "logistics_tms",
        "en",
        "Our platform cuts empty miles by a fifth and gives your shippers full tracking, so what's your biggest challenge?",
    ),
]

# "最" in "最近" asks for nothing in particular.
NOT_BROAD = [
    ("retail_member_marketing", "zh", "最近生意怎么样？"),
    ("gov_city_network", "en", "How was your weekend?"),
]


def _marked(cases: list[tuple[str | None, ...]]) -> list[object]:
    return [
        pytest.param(*case[:-1], marks=pytest.mark.xfail(strict=True, reason=case[-1]) if case[-1] else ())
        for case in cases
    ]


def _start(scenario_id: str, lang: str, trust: int = FAIR_TRUST) -> SessionState:
    scenario = SCENARIOS[scenario_id]
    state = ScriptedBuyer(scenario).opening(SessionState.start(scenario, lang)).state
    return state.model_copy(update={"trust": trust})


def _vague_lines(scenario_id: str, lang: str) -> set[str]:
    style = SCENARIOS[scenario_id].persona.communication_style
    return {line for situation in ("vague", "off_topic") for line in phrase_options(style, situation, lang)}


@pytest.mark.parametrize(
    ("scenario_id", "lang", "line", "lead"), _marked(PROBLEM_ASKS + GENERAL_AREA + SITUATION_OPENERS)
)
def test_a_broad_question_gets_the_lead_fact(scenario_id: str, lang: str, line: str, lead: str) -> None:
    _, turn, _ = decide_turn(SCENARIOS[scenario_id], _start(scenario_id, lang), line)
    assert turn.new_facts == [lead], turn.text


@pytest.mark.parametrize(("scenario_id", "lang", "line", "lead"), _marked(PROBLEM_ASKS))
def test_asked_again_the_buyer_gives_the_next_problem(scenario_id: str, lang: str, line: str, lead: str) -> None:
    scenario = SCENARIOS[scenario_id]
    state = told_state(scenario, lang, {lead}, trust=FAIR_TRUST + 10)
    _, turn, _ = decide_turn(scenario, state, line)
    assert len(turn.new_facts) == 1, turn.text
    assert turn.new_facts[0] != lead
    assert scenario.category_of(turn.new_facts[0]) == "problem"


@pytest.mark.parametrize(("scenario_id", "lang", "line", "lead"), _marked(PROBLEM_ASKS))
def test_with_every_problem_told_the_buyer_says_that_is_the_main_one(
    scenario_id: str, lang: str, line: str, lead: str
) -> None:
    scenario = SCENARIOS[scenario_id]
    told = {fact.id for fact in scenario.facts.situation + scenario.facts.problem}
    _, turn, _ = decide_turn(scenario, told_state(scenario, lang, told, trust=FAIR_TRUST + 10), line)
    assert turn.new_facts == []
    assert turn.text and turn.text not in _vague_lines(scenario_id, lang)
    assert turn.text in phrase_options(scenario.persona.communication_style, "broad_main_one", lang)


@pytest.mark.parametrize(("scenario_id", "lang", "line", "lead"), _marked(PROBLEM_ASKS))
def test_at_low_trust_the_lead_problem_is_held_back_with_a_reason(
    scenario_id: str, lang: str, line: str, lead: str
) -> None:
    scenario = SCENARIOS[scenario_id]
    _, turn, _ = decide_turn(scenario, _start(scenario_id, lang, trust=0), line)
    assert turn.new_facts == []
    assert turn.held_back in ("trust", "sensitive") and turn.held_fact == lead, turn.text


@pytest.mark.parametrize(("scenario_id", "lang", "line", "chain"), TOPICAL)
def test_a_broad_question_on_a_topic_keeps_its_topic(scenario_id: str, lang: str, line: str, chain: set[str]) -> None:
    _, turn, _ = decide_turn(SCENARIOS[scenario_id], _start(scenario_id, lang), line)
    assert len(turn.new_facts) == 1 and turn.new_facts[0] in chain, turn.text


@pytest.mark.parametrize(("scenario_id", "lang", "line"), PITCHES)
def test_a_pitch_ending_in_a_broad_question_stays_a_pitch(scenario_id: str, lang: str, line: str) -> None:
    _, turn, feedback = decide_turn(SCENARIOS[scenario_id], _start(scenario_id, lang), line)
    assert feedback.is_pitch and turn.premature_pitch
    assert turn.new_facts == []


@pytest.mark.parametrize(("scenario_id", "lang", "line"), NOT_BROAD)
def test_a_question_with_no_broad_ask_tells_nothing(scenario_id: str, lang: str, line: str) -> None:
    _, turn, _ = decide_turn(SCENARIOS[scenario_id], _start(scenario_id, lang), line)
    assert turn.new_facts == []


@pytest.mark.parametrize(("scenario_id", "lang", "line", "lead"), _marked(SITUATION_OPENERS))
def test_an_opener_asked_again_gets_another_situation(scenario_id: str, lang: str, line: str, lead: str) -> None:
    scenario = SCENARIOS[scenario_id]
    _, turn, _ = decide_turn(scenario, told_state(scenario, lang, {lead}, trust=FAIR_TRUST), line)
    assert len(turn.new_facts) == 1 and turn.new_facts[0] != lead, turn.text
    assert scenario.category_of(turn.new_facts[0]) == "situation"


def test_broad_ask_words_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "broad_asks.yaml"
    path.write_text('problem: {zh: ["最(头疼"], en: ["biggest"]}\nsituation: {zh: ["整体"], en: ["overview"]}\n')
    with pytest.raises(PhraseDataError, match="problem"):
        load_broad_asks(path)
