"""A refused advance (issue 15): the buyer gives an in-character reason for the kind of gap left, and the coach says
plainly what would help; neither names a fact the buyer has not told."""

import pytest

from app.coaching.spin import classify_spin
from app.roleplay.asks import GAP_CATEGORIES, missing_key_category
from app.roleplay.feedback import choose_tip
from app.roleplay.phrases import phrase_options
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scripted_buyer import ScriptedBuyer
from app.roleplay.state import SessionState
from tests.utils.scripted_reps import say, strong_rep_lines

SCENARIOS = load_scenarios()
ASK = {"zh": "您看下一步{ask}，可以吗？", "en": "As a next step, {ask}?"}


def _all_but(scenario, state: SessionState, fact_id: str) -> SessionState:
    """The state with one told fact taken back, as if the rep had never reached it."""
    without = state.copy_deep()
    for category, facts in without.revealed.items():
        without.revealed[category] = [fact for fact in facts if fact.id != fact_id]
    return without


def _ask_line(scenario, lang: str) -> str:
    return ASK[lang].format(ask=scenario.success.commitment.ask_for(lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_a_missing_key_fact_gets_a_reason_for_its_kind_and_a_plain_tip(scenario_id, lang):
    scenario = SCENARIOS[scenario_id]
    buyer = ScriptedBuyer(scenario)
    state, _ = say(scenario_id, strong_rep_lines(scenario)[:-1], lang=lang)
    for fact_id in scenario.success.key_facts:
        gap = scenario.category_of(fact_id)
        before = _all_but(scenario, state, fact_id)
        if gap not in GAP_CATEGORIES or not before.need_established():
            continue
        assert missing_key_category(scenario, before) == gap
        line = _ask_line(scenario, lang)
        turn = buyer.reply(before, line, classify_spin(line))
        assert turn.commitment_asked and not turn.commitment_won
        reasons = phrase_options(buyer.style, f"commitment_missing_{gap}", lang)
        assert any(reason in turn.text for reason in reasons), turn.text
        hidden = scenario.fact(fact_id)
        assert hidden.text_for(lang)[:8] not in turn.text
        tip = choose_tip(scenario, classify_spin(line), turn, line)
        assert tip.key == f"ask_missing_{gap}"
        tip_text = tip.text if lang == "zh" else tip.text_en
        assert not any(topic in tip_text for topic in hidden.topics.all())


def test_no_curt_refusal_without_a_reason():
    """Every refusal variant says why, in more than a bare "too early"."""
    for style in ("style.analytical", "style.driver", "style.expressive", "style.amiable"):
        for situation in ("commitment_not_ready", *(f"commitment_missing_{gap}" for gap in GAP_CATEGORIES)):
            for text in phrase_options(style, situation, "en"):
                assert len(text.split()) >= 6, (style, situation, text)
            for text in phrase_options(style, situation, "zh"):
                assert len(text) >= 10, (style, situation, text)


def test_low_trust_refusal_gets_its_own_tip():
    scenario = SCENARIOS["edu_smart_academic"]
    buyer = ScriptedBuyer(scenario)
    state, _ = say(scenario.id, strong_rep_lines(scenario)[:-1])
    state = state.copy_deep()
    state.trust = 0
    line = _ask_line(scenario, "zh")
    turn = buyer.reply(state, line, classify_spin(line))
    assert not turn.commitment_won
    assert choose_tip(scenario, classify_spin(line), turn, line).key == "ask_low_trust"
