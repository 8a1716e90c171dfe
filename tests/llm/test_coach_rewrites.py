"""The scorecard's "try instead" rewrites by the model at finish, checked, with the offline rewrites as fallback."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.coaching.spin import classify_spin
from app.llm.resilience import FAILURE_THRESHOLD, guard_of
from app.main import create_app
from app.models import Role, RolePlay
from app.roleplay.rewrites import RewriteCheck, Rewrites, in_language, rewrite_guard, with_rewrites
from app.roleplay.scenarios import load_scenarios
from app.roleplay.scorecard import build_scorecard
from app.roleplay.scripted_buyer import ScriptedBuyer
from app.roleplay.service import state_of
from app.roleplay.state import SessionState
from tests.utils.factories import auth_headers, make_user
from tests.utils.fake_llm import Action, llm_mode
from tests.utils.roleplays import play
from tests.utils.scripted_reps import weak_rep_lines

SCENARIO = load_scenarios()["mfg_vitamin_erp"]
LINES = weak_rep_lines(SCENARIO)[:5]  # pitches, a closed question: weak turns, and the buyer stays on the line
HIDDEN = SCENARIO.facts.implication[0].text  # these lines never reveal an implication
TURN_IN_PROMPT = re.compile(r"^- turn (\d+): ", re.MULTILINE)


def offline_card(lines: list[str]):
    buyer = ScriptedBuyer(SCENARIO)
    state = buyer.opening(SessionState.start(SCENARIO)).state
    for line in lines:
        state = buyer.reply(state, line, classify_spin(line)).state
    return state, build_scorecard(SCENARIO, state, rep_texts=lines)


def answering(rewrite_for):
    """A responder: the buyer's turns get plain text, the rewrite request gets rewrite_for(turns in the prompt)."""

    def respond(body: dict) -> Action:
        if not body.get("response_format"):
            return Action(text="嗯，您接着说。")
        turns = [int(turn) for turn in TURN_IN_PROMPT.findall(body["messages"][0]["content"])]
        return rewrite_for(turns)

    return respond


def valid_answer(turns: list[int]) -> Action:
    return Action(
        json={
            "rewrites": [
                {"turn": turn, "rewrite": f"批次追溯这块，现在最让您头疼的是哪一步（{turn}）？"} for turn in turns
            ]
        }
    )


def finish(client, headers, roleplay_id: int) -> dict:
    response = client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["scorecard"]


def play_and_finish(client, session) -> tuple[dict, object]:
    """The scorecard from the finish call, and the one built from the stored state without any model."""
    headers = auth_headers(client, make_user(session, Role.rep))
    roleplay_id, results = play(client, headers, SCENARIO.id, LINES)
    assert len(results) == len(LINES), "the buyer stays on the line for these lines"
    card = finish(client, headers, roleplay_id)
    roleplay = session.get(RolePlay, roleplay_id)
    session.refresh(roleplay)
    return card, build_scorecard(SCENARIO, state_of(roleplay), rep_texts=LINES)


def assert_offline(card: dict, offline) -> None:
    assert card["rewrites_by"] == "offline"
    assert [(t["turn"], t["try_zh"], t["try_en"]) for t in card["weakest_turns"]] == [
        (t.turn, t.try_zh, t.try_en) for t in offline.weakest_turns
    ]


def assert_same_scores(card: dict, offline) -> None:
    assert card["total"] == offline.total
    assert {name: c["points"] for name, c in card["components"].items()} == {
        name: c.points for name, c in offline.components.items()
    }


def test_a_valid_model_answer_writes_the_rewrites_and_the_score_stays(llm_client, fake_llm, session):
    fake_llm.responder = answering(valid_answer)
    card, offline = play_and_finish(llm_client, session)
    assert len(offline.weakest_turns) >= 2
    assert card["rewrites_by"] == "model"
    for quoted, before in zip(card["weakest_turns"], offline.weakest_turns, strict=True):
        assert quoted["turn"] == before.turn
        assert quoted["try_zh"] == f"试试：“批次追溯这块，现在最让您头疼的是哪一步（{before.turn}）？”"
        assert quoted["try_en"] == before.try_en  # the session is in Chinese: the English line stays offline
        assert quoted["why_zh"] == before.why_zh
    assert_same_scores(card, offline)
    rewrite_requests = [body for body in fake_llm.requests if body.get("response_format")]
    assert len(rewrite_requests) == 1, "one call for all the rewrites"
    assert rewrite_requests[0]["response_format"] == {"type": "json_object"}
    prompt = rewrite_requests[0]["messages"][0]["content"]
    assert "JSON" in prompt and '"rewrites"' in prompt
    assert sorted(map(int, TURN_IN_PROMPT.findall(prompt))) == sorted(t.turn for t in offline.weakest_turns)
    state, _ = offline_card(LINES)
    for fact in SCENARIO.all_facts():
        if fact.id not in state.revealed_ids():
            assert fact.text not in prompt, f"hidden fact {fact.id} given to the model"
    assert SCENARIO.success.commitment.ask_zh not in prompt


def _leaking(turns: list[int]) -> Action:
    return Action(json={"rewrites": [{"turn": turn, "rewrite": f"是不是{HIDDEN[:20]}？"} for turn in turns]})


def _quoting_the_commitment(turns: list[int]) -> Action:
    ask = SCENARIO.success.commitment.ask_zh
    return Action(json={"rewrites": [{"turn": turn, "rewrite": f"{ask}？"} for turn in turns]})


def _missing_a_turn(turns: list[int]) -> Action:
    return valid_answer(turns[:-1])


def _english(turns: list[int]) -> Action:
    return Action(
        json={"rewrites": [{"turn": t, "rewrite": "What bothers you most about batch tracing?"} for t in turns]}
    )


@pytest.mark.parametrize(
    "rewrite_for",
    [
        lambda turns: Action(text="好的，我来改写：第一句可以问问现状。"),  # not JSON (twice: the repair too)
        _leaking,
        _quoting_the_commitment,
        _missing_a_turn,
        _english,
        lambda turns: Action(fault="500"),
    ],
    ids=["invalid_json", "leaks_hidden_fact", "quotes_commitment", "missing_turn", "wrong_language", "http_500"],
)
def test_a_failed_model_answer_keeps_the_offline_rewrites_and_the_score(llm_client, fake_llm, session, rewrite_for):
    fake_llm.responder = answering(rewrite_for)
    card, offline = play_and_finish(llm_client, session)
    assert_offline(card, offline)
    assert_same_scores(card, offline)
    assert any(body.get("response_format") for body in fake_llm.requests), "the model was asked"


def test_a_timeout_keeps_the_offline_rewrites(make_settings, fake_llm, engine, session):
    settings = make_settings(**llm_mode(fake_llm, timeout_s=0.5))
    fake_llm.timeout_sleep_s = 2.0
    fake_llm.responder = answering(lambda turns: Action(fault="timeout"))
    with TestClient(create_app(settings, engine)) as client:
        card, offline = play_and_finish(client, session)
    assert_offline(card, offline)
    assert_same_scores(card, offline)


def test_finishing_again_returns_the_stored_rewrites_without_a_second_call(llm_client, fake_llm, session):
    fake_llm.responder = answering(valid_answer)
    headers = auth_headers(llm_client, make_user(session, Role.rep))
    roleplay_id, _ = play(llm_client, headers, SCENARIO.id, LINES)
    first = finish(llm_client, headers, roleplay_id)
    calls = len(fake_llm.requests)
    assert finish(llm_client, headers, roleplay_id) == first and len(fake_llm.requests) == calls


def test_the_offline_engine_writes_offline_rewrites(client, session):
    card, offline = play_and_finish(client, session)
    assert_offline(card, offline)


def test_rewrite_check_names_what_is_wrong():
    state, card = offline_card(LINES)
    turns = [t.turn for t in card.weakest_turns]
    check = RewriteCheck(turns, "zh", rewrite_guard(SCENARIO, state, LINES))

    def problem(rewrites: list[str]) -> str:
        answer = Rewrites.model_validate({"rewrites": [{"turn": t, "rewrite": r} for t, r in zip(turns, rewrites)]})
        with pytest.raises(ValueError) as raised:
            check(answer)
        return str(raised.value)

    good = "排产这块现在有没有让您不太满意的地方？"
    check(Rewrites.model_validate({"rewrites": [{"turn": t, "rewrite": good} for t in turns]}))
    assert "not a question" in problem(["排产这块现在有没有让您不太满意的地方。"] * len(turns))
    assert "language" in problem(["How is scheduling going?"] * len(turns))
    assert "longer than" in problem(["排产" * 50 + "？"] * len(turns))
    assert "hidden" in problem([f"{HIDDEN}？"] * len(turns))
    assert in_language("王总，批次追溯现在怎么做？", "zh") and in_language("Mr. 王, how do you trace batches?", "en")


def test_an_open_circuit_keeps_the_offline_rewrites_without_a_call(llm_client, llm_app, fake_llm, session):
    fake_llm.responder = answering(valid_answer)
    headers = auth_headers(llm_client, make_user(session, Role.rep))
    roleplay_id, _ = play(llm_client, headers, SCENARIO.id, LINES)
    breaker = guard_of(llm_app.state.chat_model).breaker
    for _ in range(FAILURE_THRESHOLD):
        breaker.record_failure()
    card = finish(llm_client, headers, roleplay_id)
    assert card["rewrites_by"] == "offline"
    assert not any(body.get("response_format") for body in fake_llm.requests), "no call while the circuit is open"


def test_rewrites_go_into_the_session_language_only_and_only_for_the_quoted_turns():
    _, card = offline_card(LINES)
    turns = [t.turn for t in card.weakest_turns]
    english = with_rewrites(card, {t: "What does a late audit file cost you?" for t in turns}, "en")
    assert english.rewrites_by == "model"
    assert [q.try_en for q in english.weakest_turns] == ['Try: "What does a late audit file cost you?"'] * len(turns)
    assert [q.try_zh for q in english.weakest_turns] == [q.try_zh for q in card.weakest_turns]
    assert with_rewrites(card, {turns[0]: "还有呢？"}, "zh") == card  # not every quoted turn: none used
    assert english.total == card.total and english.components == card.components
