"""The role-play buyer behaves like a real customer (issue 15): the issue's own examples and the rules it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.feedback import build_feedback
from app.roleplay.phrases import PhraseDataError, load_phrase_book, phrase_book
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scripted_buyer import RUDE_TURNS_TO_END, ScriptedBuyer, fact_text, is_injection, localized
from app.roleplay.state import SessionState
from app.roleplay.topics import contains
from tests.utils.scripted_reps import say, strong_rep_lines, weak_rep_lines

SCENARIOS = load_scenarios()
CJK = re.compile(r"[\u4e00-\u9fff]")
COACHING = re.compile(r"问问|你先问|你可以问|先从.{1,12}说起|还不太了解我们.{0,6}的情况|you should ask|ask me about")


def hidden_topic_words(scenario, revealed: set[str]) -> set[str]:
    return {
        word for fact in scenario.all_facts() if fact.id not in revealed for word in fact.topics.zh if len(word) >= 2
    }


# --- understanding the rep ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "你们现在能列出每个月的运输成本数据吗？",
        "能导出上个月的运单明细吗？",
        "Could you list the sites you run today?",
        "Can you export last month's orders?",
    ],
)
def test_ordinary_questions_with_list_or_export_are_not_injection(question):
    assert not is_injection(question)
    _, [turn] = say("logistics_tms", [question])
    assert not turn.injection_blocked and turn.trust_delta >= 0


@pytest.mark.parametrize(
    "text",
    [
        "我们系统能帮您降低空驶率，给您打八折。",
        "我们系统能帮您降低空驶率，给您打八折？",
        "价格是三十万一年，挺划算的",
        "我可以给您演示一下我们的调度模块",
        "Our platform can cut your empty miles by 20%.",
        "We can give you 15% off this quarter",
    ],
)
def test_feature_claims_prices_discounts_and_demos_are_pitches_with_or_without_a_question_mark(text):
    assert classify_spin(text).is_pitch


def test_a_filler_led_english_question_is_a_question():
    result = classify_spin("ok so coupons dont work?")
    assert result.is_question and result.label != "other"


def test_a_very_short_question_reaches_its_topic():
    state, [turn] = say("logistics_tms", ["派车靠啥？"])
    assert turn.new_facts == ["s_dispatch"]


def test_a_common_word_does_not_hijack_another_topic():
    # "客户" is in many facts' words; the rep asks about how managers look clients up, not the customer base
    _, [turn] = say("bank_retail_crm", ["现在客户经理一般用什么系统管客户？"])
    assert turn.new_facts != ["s_customer_base"]


# --- reactions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scenario_id,text",
    [
        ("hospital_mobile_nursing", "健云那家的东西我见过，很烂的。"),
        ("logistics_tms", "路通科技那种破软件，您敢用？"),
        ("gov_city_network", "周局，说句不好听的，你们局里技术力量这么弱，网络早该换了。"),
        ("edu_smart_academic", "Your people are clueless, honestly."),
        ("retail_member_marketing", "今天必须签，别犹豫了。"),
    ],
)
def test_rudeness_lowers_trust_and_is_marked_rude(scenario_id, text):
    scenario = SCENARIOS[scenario_id]
    state, [turn] = say(scenario_id, [text])
    assert turn.tone == "rude" and turn.trust_delta < 0
    assert "欢迎" not in turn.text and "客气" not in turn.text.replace("不客气啊", "")
    feedback = build_feedback(scenario, classify_spin(text), turn, text)
    assert feedback.tone == "rude" and feedback.trust_delta < 0


def test_every_rude_turn_lowers_trust_and_the_buyer_ends_the_call():
    insults = ["你们这破系统早该扔了。", "你懂什么，听我说完。", "你们这种外行，真是浪费我时间。", "还有一句。"]
    state, turns = say("logistics_tms", insults, trust=90)
    assert all(turn.trust_delta < 0 for turn in turns[:RUDE_TURNS_TO_END])
    assert state.finished and state.end_reason == "rudeness"
    assert turns[-1].state.turn == RUDE_TURNS_TO_END  # nothing more is answered once the buyer has left


def test_a_monologue_lowers_trust_but_a_long_compound_question_does_not():
    monologue = "我们公司成立二十年，" + "服务过很多大客户，产品稳定可靠，团队经验丰富，" * 12
    _, [turn] = say("logistics_tms", [monologue])
    assert turn.tone == "rude" and turn.rude_kind == "monologue" and turn.trust_delta < 0
    compound = (
        "赵总，我想先了解几个情况：咱们现在自有车和外协车各有多少？每天的派车主要靠谁来排？"
        "回程的时候车辆空着回来的情况多不多？最大的几个货主主要是哪些行业？"
    )
    _, [turn] = say("logistics_tms", [compound])
    assert turn.tone == "ok" and turn.new_facts


# --- the buyer never coaches, never repeats himself -----------------------------------------------


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_reply_names_a_hidden_topic_or_tells_the_rep_what_to_ask(scenario_id, lang):
    scenario = SCENARIOS[scenario_id]
    for lines in (strong_rep_lines(scenario), weak_rep_lines(scenario), ["今天天气不错。", "你们忙吗？", "好的。"]):
        state, turns = say(scenario_id, lines, lang)
        revealed: set[str] = set()
        for line, turn in zip(lines, turns):
            own_words = turn.text.lower()
            for fact in scenario.all_facts():
                if fact.id in revealed or fact.id in turn.new_facts:
                    own_words = own_words.replace(fact_text(fact, lang).lower(), "")
            for objection in scenario.objections:
                own_words = own_words.replace(localized(objection, "text", lang).lower(), "")
                own_words = own_words.replace(localized(objection, "resolved_text", lang).lower(), "")
            for signal in scenario.buying_signals:
                own_words = own_words.replace(localized(signal, "text", lang).lower(), "")
            own_words = own_words.replace(localized(scenario.success.commitment, "granted_text", lang).lower(), "")
            assert not COACHING.search(own_words), (line, turn.text)
            named = {
                word
                for word in hidden_topic_words(scenario, revealed | set(turn.new_facts))
                if contains(own_words, word) and not contains(line.lower(), word)
            }
            assert not named, (line, turn.text, named)
            revealed |= set(turn.new_facts)
            if lang == "en":
                assert not CJK.search(turn.text), (line, turn.text)


def test_no_sentence_is_repeated_while_the_rep_asks_new_things():
    lines = [
        "今天天气怎么样？",
        "最近忙不忙？",
        "周末去哪玩了？",
        "您喝茶还是咖啡？",
        "你们楼下停车方便吗？",
        "您老家是哪里的？",
    ]
    _, turns = say("mfg_vitamin_erp", lines)
    sentences = [piece for turn in turns for piece in re.findall(r"[^。！？]+[。！？]?", turn.text)]
    assert len(sentences) == len(set(sentences)), sentences


def test_no_false_already_said():
    # nothing has been said yet: the buyer cannot claim he said it
    _, turns = say("logistics_tms", ["车队这块您之前说过吗？", "调度呢？"])
    assert not any("说过" in turn.text or "讲过" in turn.text for turn in turns if not turn.state.revealed_ids())


# --- refusals with a reason -------------------------------------------------------------------------


def test_a_held_back_question_gets_an_in_character_reason_and_the_sidebar_says_why():
    scenario = SCENARIOS["logistics_tms"]
    text = "空驶一年多花多少钱？"
    state, [fleet, empty, turn] = say("logistics_tms", ["车队多大？", "回程空驶多吗？", text], trust=5)
    assert turn.new_facts == [] and turn.held_back in ("trust", "sensitive")
    assert "空驶" not in turn.text and "成本" not in turn.text  # the buyer names no hidden topic
    feedback = build_feedback(scenario, classify_spin(text), turn, text)
    assert feedback.held_back is not None and feedback.held_back.fact_id == turn.held_fact
    assert feedback.held_back.text and feedback.held_back.text_en


def test_a_refused_question_succeeds_once_trust_is_earned():
    scenario = SCENARIOS["logistics_tms"]
    buyer = ScriptedBuyer(scenario)
    state = buyer.opening(SessionState.start(scenario)).state.model_copy(update={"trust": 0})
    question = "回程空车的情况多吗？"
    refused = buyer.reply(state, question, classify_spin(question))
    assert refused.new_facts == []
    earned = refused.state.model_copy(update={"trust": 40})
    assert buyer.reply(earned, question, classify_spin(question)).new_facts == ["p_empty_miles"]


# --- English sessions ---------------------------------------------------------------------------


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_an_english_session_opens_and_answers_in_english(scenario_id):
    scenario = SCENARIOS[scenario_id]
    buyer = ScriptedBuyer(scenario)
    opening = buyer.opening(SessionState.start(scenario, "en"))
    assert opening.state.lang == "en" and not CJK.search(opening.text)
    question = "How is your team organised today, and what systems do you use?"
    turn = buyer.reply(opening.state, question, classify_spin(question))
    assert not CJK.search(turn.text), turn.text


# --- the phrase data ----------------------------------------------------------------------------


def test_phrase_data_has_every_situation_in_both_languages_per_style():
    book = phrase_book()
    for style, table in book.styles.items():
        for situation in book.situations:
            assert len(table[situation].zh) >= 3 and len(table[situation].en) >= 3, (style, situation)
            assert not any(CJK.search(text) for text in table[situation].en), (style, situation)


# Questions about things no buyer of ours does (our own probes, not the eval sets' lines).
OFF_TOPIC = {
    "zh": ["你们有没有做跨境电商直播带货？", "贵司赞助过足球俱乐部吗？"],
    "en": ["Do you run any ski resorts or theme parks?", "Does your company sponsor any football clubs?"],
}
# Too general, about the buyer as a person, or about a part every organisation has: "what do you mean?",
# never "we don't do that".
NOT_OFF_TOPIC = {
    "zh": ["你们那个事儿后来咋样了？", "您周末一般去哪儿钓鱼？", "您好，你们的仓库平时谁在打理？"],
    "en": ["How are things going?", "Did you enjoy your holiday in Yunnan?", "Who looks after your warehouse?"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_a_question_about_something_the_buyer_does_not_do_is_answered_in_character(scenario_id, lang):
    """Not "that is too broad": the buyer says it is not theirs (or asks how it concerns them), in his own style;
    a merely general question, or chat about him, still gets "what exactly do you mean?"."""
    scenario = SCENARIOS[scenario_id]
    buyer = ScriptedBuyer(scenario)
    start = SessionState.start(scenario, lang)
    off_topic = phrase_book().styles[scenario.persona.communication_style]["off_topic"]
    vague = phrase_book().styles[scenario.persona.communication_style]["vague"]
    for question in OFF_TOPIC[lang]:
        turn = buyer.reply(start, question, classify_spin(question))
        assert turn.new_facts == [] and turn.text in getattr(off_topic, lang), (question, turn.text)
    general, personal, basic = NOT_OFF_TOPIC[lang]
    for question in (general, personal):
        turn = buyer.reply(start, question, classify_spin(question))
        assert turn.new_facts == [] and turn.text in getattr(vague, lang), (question, turn.text)
    turn = buyer.reply(start, basic, classify_spin(basic))  # he may even tell a fact about it
    assert turn.text not in getattr(off_topic, lang), (basic, turn.text)


def test_invalid_phrase_data_names_the_file_and_the_field(tmp_path: Path):
    broken = tmp_path / "phrases.yaml"
    broken.write_text(
        "source: [x]\nsituations: {vague: x}\nstyles:\n  style.driver:\n    vague: {zh: [a], en: [b]}\n",
        encoding="utf-8",
    )
    with pytest.raises(PhraseDataError) as error:
        load_phrase_book(broken)
    assert "phrases.yaml" in str(error.value) and "field" in str(error.value)


def test_a_pitch_delivered_as_a_monologue_is_still_flagged_as_premature():
    monologue = "我们的平台能帮您把空驶率降下来，调度自动排线，" + "上线快、价格还能给您打八折，很多大客户都在用，" * 10
    state, [turn] = say("logistics_tms", [monologue])
    assert turn.tone == "rude" and turn.rude_kind == "monologue"
    assert turn.premature_pitch and state.premature_pitches == 1 and state.history[-1].is_pitch


def test_early_pitches_cool_the_buyer_but_only_rudeness_ends_the_call():
    pitches = [
        "我们的系统能帮您把空驶率降低三成。",
        "我们还能给您打个八折。",
        "我们的平台支持自动排线，上线只要两周。",
        "很多大物流公司都在用我们的产品，效果很好。",
        "我们可以免费给您装一套试用。",
        "我们的报价比同行低两成。",
    ]
    state, turns = say("logistics_tms", pitches, trust=20)
    assert all(turn.premature_pitch for turn in turns)
    assert not state.finished and state.trust >= 1
    state, _ = say("logistics_tms", ["你们这种单位就是不懂行，说了也白说。"] * 3, trust=20)
    assert state.finished and state.end_reason == "rudeness"
