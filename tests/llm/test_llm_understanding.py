"""LLM mode's understanding step against the loopback model server: JSON mode, validation against the ids the state
allows, the state deciding from the reading, and the offline fallback on every kind of failure."""

from __future__ import annotations

import json

import httpx2
import pytest
from langchain_openai import ChatOpenAI

from app.coaching.spin import classify_spin
from app.roleplay.llm_understanding import TurnReading, read_turn
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scripted_buyer import ScriptedBuyer, askable_facts, understand
from app.roleplay.service import decide_turn
from app.roleplay.state import SessionState
from tests.utils.aio import run_coroutine
from tests.utils.fake_llm import Action

SCENARIO = load_scenarios()["logistics_tms"]
QUESTION = "派车这块现在靠谁在管？"  # offline: on s_dispatch's topic


@pytest.fixture
def chat_model(fake_llm) -> ChatOpenAI:
    # Built here rather than by app.llm.factory: the real client code (openai SDK over HTTP) still runs. A client
    # of its own per test: a shared cached one would carry pooled connections into the next test's event loop.
    return ChatOpenAI(
        model="fake-model",
        base_url=fake_llm.base_url,
        api_key="k",
        timeout=2.0,
        max_retries=0,
        http_async_client=httpx2.AsyncClient(timeout=2.0),
    )


def fresh_state(lang: str = "zh") -> SessionState:
    return ScriptedBuyer(SCENARIO).opening(SessionState.start(SCENARIO, lang)).state


def reading(chat_model, state: SessionState, text: str = QUESTION):
    offline = understand(SCENARIO, state, text, classify_spin(text))
    return run_coroutine(read_turn(chat_model, SCENARIO, state, text, [], offline))


def test_the_model_reads_the_turn_in_json_mode_and_the_state_decides(chat_model, fake_llm):
    fake_llm.queue(
        Action(
            json={
                "spin": "S",
                "fact_ids": ["s_dispatch"],
                "pitch": False,
                "ask": "none",
                "tone": "ok",
                "injection": False,
            }
        )
    )
    state = fresh_state()
    understood = reading(chat_model, state)
    assert understood is not None and understood.source == "llm" and understood.fact_ids == ["s_dispatch"]
    request = fake_llm.requests[0]
    assert request["response_format"] == {"type": "json_object"}
    system = request["messages"][0]["content"]
    assert "JSON" in system and '"fact_ids"' in system  # the word JSON and an example, as JSON mode needs
    allowed = {fact.id for fact in askable_facts(SCENARIO, state)}
    assert all(fact.text in system for fact in SCENARIO.all_facts() if fact.id in allowed)
    assert not any(fact.text in system for fact in SCENARIO.all_facts() if fact.id not in allowed)
    _, buyer, feedback = decide_turn(SCENARIO, state, QUESTION, understood)
    assert buyer.new_facts == ["s_dispatch"] and feedback.understood_by == "llm"


def test_the_state_still_gates_what_the_model_picks(chat_model, fake_llm):
    """A fact the model names is told only if trust allows, as offline."""
    fake_llm.queue(
        Action(
            json={
                "spin": "P",
                "fact_ids": ["p_empty_miles"],
                "pitch": False,
                "ask": "none",
                "tone": "ok",
                "injection": False,
            }
        )
    )
    state = fresh_state().model_copy(update={"trust": 0})
    understood = reading(chat_model, state, "回程的时候车是不是经常空着？")
    assert understood is not None
    _, buyer, feedback = decide_turn(SCENARIO, state, "回程的时候车是不是经常空着？", understood)
    assert buyer.new_facts == [] and buyer.held_back in ("trust", "sensitive")
    assert feedback.held_back is not None and feedback.held_back.fact_id == "p_empty_miles"


@pytest.mark.parametrize(
    "answer",
    [
        Action(
            json={
                "spin": "S",
                "fact_ids": ["i_key_tender"],
                "pitch": False,
                "ask": "none",
                "tone": "ok",
                "injection": False,
            }
        ),  # an id the state does not allow yet
        Action(json={"spin": "S", "fact_ids": ["no_such_fact"]}),
        Action(json={"spin": "maybe"}),  # not a label
        Action(text="这是个背景问题。"),  # not JSON at all
        Action(fault="500"),
        Action(fault="timeout"),
    ],
)
def test_any_failure_falls_back_to_the_offline_reading(chat_model, fake_llm, answer):
    fake_llm.timeout_sleep_s = 3.0
    fake_llm.queue(answer)
    assert reading(chat_model, fresh_state()) is None


def test_rudeness_and_role_breaking_found_offline_stay_when_the_model_misses_them(chat_model, fake_llm):
    fake_llm.queue(
        Action(json={"spin": "other", "fact_ids": [], "pitch": False, "ask": "none", "tone": "ok", "injection": False})
    )
    text = "路通科技那种破软件，您敢用？"
    understood = reading(chat_model, fresh_state(), text)
    assert understood is not None and understood.tone == "rude"


def test_the_reading_is_validated_against_the_allowed_ids():
    data = {"spin": "P", "fact_ids": ["a", "b"]}
    assert TurnReading.model_validate(data, context={"allowed": {"a", "b"}}).fact_ids == ["a", "b"]
    with pytest.raises(ValueError):
        TurnReading.model_validate(data, context={"allowed": {"a"}})
    assert json.loads(TurnReading.model_validate(data).model_dump_json())["spin"] == "P"
