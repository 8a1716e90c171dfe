"""The buyer's general mechanisms (issue 15, quality that holds on conversations nobody has seen): lines written for
these tests, not taken from any evaluation file."""

from __future__ import annotations

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scripted_buyer import question_focus, read_tone
from app.roleplay.topics import is_common_word, topic_index
from tests.utils.scripted_reps import say  # plays lines through the scripted buyer at a given trust

SCENARIOS = load_scenarios()


# --- topic matching that generalises ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario_id", "lang", "line", "fact"),
    [
        ("logistics_tms", "zh", "您这边车不少，平时回程有多少是空着跑回来的？", "p_empty_miles"),
        (
            "energy_wind_eam",
            "zh",
            "孙主任，那咱就聊点实在的。您这儿九百多台风机，平时坏了一般咋处理？",
            "s_maintenance_mode",
        ),
        (
            "mfg_vitamin_erp",
            "en",
            "When an overseas client asks for a batch history, how long does it take you to pull together?",
            "p_batch_trace",
        ),
        (
            "mfg_vitamin_erp",
            "en",
            "How do you handle month-end close today, do the finance and inventory numbers line up?",
            "p_month_end",
        ),
    ],
)
def test_unseen_paraphrases_reveal_the_fact_they_ask_about(scenario_id, lang, line, fact):
    _, [turn] = say(scenario_id, [line], lang, trust=60)
    assert turn.new_facts == [fact], turn.text


def test_the_question_clause_is_the_focus_not_the_lead_in():
    assert question_focus("您这儿九百多台风机，平时坏了一般咋处理？") == "平时坏了一般咋处理？"
    assert question_focus("派车靠啥？") == "派车靠啥？"
    # a line without any asking clause is taken whole
    assert question_focus("我们做过很多物流项目，效果不错。") == "我们做过很多物流项目，效果不错。"


def test_chinese_homophone_typos_are_read_as_the_scenarios_word():
    index = topic_index(SCENARIOS["gov_city_network"])
    assert index.correct_typos("平时谁负责运为？") == "平时谁负责运维？"
    assert index.correct_typos("最近一年出过几次比较大的中段？") == "最近一年出过几次比较大的中断？"
    # a common word of its own is meant, not mistyped: 实施 stays although the scenario speaks of 实时
    assert index.correct_typos("现在谁在实施？") == "现在谁在实施？"
    _, [turn] = say("bank_retail_crm", ["咱们行零售客户的资料现在存在哪些系同里？"])
    assert turn.new_facts == ["s_customer_info"]


def test_a_common_word_does_not_hijack_a_topic():
    assert is_common_word("时间") and not is_common_word("空驶")
    _, [turn] = say("bank_retail_crm", ["时间上怎么安排？"], trust=60)
    assert turn.new_facts == []


def test_a_bare_question_on_something_else_is_not_taken_as_a_follow_up():
    _, turns = say(
        "logistics_tms",
        ["您这边车不少，平时回程有多少是空着跑回来的？", "有没有考虑过换个办公室？", "这对利润影响有多大？"],
        trust=40,
    )
    assert turns[0].new_facts == ["p_empty_miles"]
    assert turns[1].new_facts == []  # names nothing the buyer knows and does not point back
    assert turns[2].new_facts == ["i_fuel_cost"]  # "这" points back at the empty miles


# --- chains never dead-end -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "zh",
            [
                "回程空驶的情况多吗？",
                "您的车队现在有多少台车？",
                "派车是怎么安排的？",
                "您的主要货主有哪些？",
                "回程空驶的情况多吗？",
            ],
        ),
        (
            "en",
            [
                "How often do your trucks come back empty?",
                "How big is your fleet?",
                "How do you dispatch?",
                "Who are your main shippers?",
                "How often do your trucks come back empty?",
            ],
        ),
    ],
)
def test_a_refused_fact_asked_again_once_earned_is_revealed(lang, lines):
    _, turns = say("logistics_tms", lines, lang, trust=5)
    assert turns[0].new_facts == [] and turns[0].held_fact == "p_empty_miles"
    assert turns[-1].new_facts == ["p_empty_miles"]


def test_when_the_best_match_is_held_back_a_lesser_match_is_not_told_instead():
    _, [turn] = say("logistics_tms", ["How often do your trucks come back empty?"], "en", trust=5)
    assert turn.new_facts == [] and turn.held_back is not None  # not the fleet, which "trucks" also touches


def test_a_fact_the_rep_plainly_names_relaxes_its_prerequisites():
    # the tender needs the tracking trouble, which needs the shippers: neither told, yet the rep names the tender
    state, turns = say(
        "logistics_tms",
        ["您这边一共多少台车？", "听说大货主明年要重新招标，人家是不是要求全程能看到车在哪？"],
        trust=60,
    )
    assert turns[1].new_facts == ["i_key_tender"]
    assert "p_tracking" not in state.revealed_ids()


# --- rudeness by category --------------------------------------------------------------------------

FRESH_RUDE = [
    "你们IT部门是真不懂技术，难怪系统这么烂。",
    "说实话，贵院的护理信息化水平简直落后十年。",
    "您这问题问得太外行了。",
    "你们老板就是不舍得花钱，大家都知道。",
    "那家公司就是个小作坊，做不出来的。",
    "跟你说没用，我直接找你们总经理。",
    "不换系统你们迟早被淘汰。",
    "你们的人根本不上心，数据一塌糊涂。",
    "Your IT team clearly has no clue what they're doing.",
    "Honestly your whole process is pretty outdated.",
    "Their software is junk, everybody knows it.",
    "Look, I'm not here to chat, just tell me the budget.",
    "You'll lose that account if you don't move fast, trust me.",
    "Frankly your dispatchers are dinosaurs.",
    "Paper records in a hospital this size? That's pretty old-school, no offence.",
]
POLITE_PROBLEM_QUESTIONS = [
    "现在排课主要靠人工，会不会经常出错？",
    "你们现在的系统用起来有哪些不满意的地方？",
    "您觉得目前的流程哪里最落后、最需要改？",
    "如果护士们不满意，您会怎么考虑？",
    "竞争对手那边的方案，您觉得哪点打动您？",
    "Is the current system outdated in any way that bothers you?",
    "How do you feel about the other vendor's proposal?",
    "Does your boss worry about the cost?",
    "So the points don't carry over between the app and the stores?",
]


@pytest.mark.parametrize("line", FRESH_RUDE)
def test_fresh_rude_wordings_are_read_as_rude_and_lower_trust(line):
    assert read_tone(line, ["路通科技"], 0, classify_spin(line)) is not None
    lang = "en" if line.isascii() else "zh"
    _, [turn] = say("logistics_tms", [line], lang, trust=60)
    assert turn.tone == "rude" and turn.trust_delta < 0


@pytest.mark.parametrize("line", POLITE_PROBLEM_QUESTIONS)
def test_polite_questions_about_a_problem_are_not_rude(line):
    assert read_tone(line, ["路通科技"], 0, classify_spin(line)) is None
    lang = "en" if line.isascii() else "zh"
    _, [turn] = say("logistics_tms", [line], lang, trust=60)
    assert turn.tone == "ok" and turn.trust_delta >= 0


def test_insisting_right_after_a_refusal_is_pushing_and_a_hedged_proposal_is_not():
    _, turns = say("logistics_tms", ["回程空驶一年多花多少钱？", "到底多少？你就直说吧。"], trust=15)
    assert turns[0].held_back is not None
    assert turns[1].tone == "rude" and turns[1].rude_kind == "pushy" and turns[1].trust_delta < 0
    # the same insistence words with nothing refused before are a plain question
    _, [plain] = say("logistics_tms", ["到底多少台车？"], trust=60)
    assert plain.tone == "ok"
    hedged = "If the numbers work for you, we could sign today and get you live before the tender."
    assert read_tone(hedged, [], 0, classify_spin(hedged)) is None
    assert (
        read_tone("Sign today or the price goes up.", [], 0, classify_spin("Sign today or the price goes up."))
        == "pushy"
    )
