"""Role-play in LLM mode against the loopback model server: streaming, the leak guard, faults and fallbacks."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.main import create_app
from app.models import Role, Turn
from app.roleplay.llm_buyer import WINDOW, LeakGuard, ReplyLeak
from tests.utils.factories import auth_headers, make_user
from tests.utils.fake_llm import Action, llm_mode
from tests.utils.roleplays import HIDDEN, SITUATION_QUESTION, VITAMIN_SCENARIO, WORDED, start
from tests.utils.sse import read_sse

SCENARIO = VITAMIN_SCENARIO
REVEALED = SCENARIO.fact("s_current_erp").text


def stream_turn(client, headers, text: str = SITUATION_QUESTION) -> tuple[int, int, list[tuple[str, dict]]]:
    roleplay_id = start(client, headers, SCENARIO.id)["id"]
    accepted = client.post(f"/api/roleplays/{roleplay_id}/messages", json={"text": text}, headers=headers)
    assert accepted.status_code == 202, accepted.text
    response = client.get(accepted.json()["stream_url"], headers=headers)
    assert response.status_code == 200
    return roleplay_id, accepted.json()["turn_id"], read_sse(response.text)


def streamed_text(events) -> str:
    return "".join(data["text"] for name, data in events if name == "token")


def windows(text: str) -> list[str]:
    return [text[i : i + WINDOW] for i in range(len(text) - WINDOW + 1)]


def test_reply_is_streamed_from_the_model(llm_client, headers, fake_llm, session):
    fake_llm.chunk_delay_s = 0.01  # a model's pace: each piece goes on as it comes (a burst would be merged)
    fake_llm.queue(WORDED)
    roleplay_id, turn_id, events = stream_turn(llm_client, headers)
    tokens = [data["text"] for name, data in events if name == "token"]
    assert len(tokens) > 3, "the reply arrives in pieces"
    done = events[-1][1]
    assert "".join(tokens) == done["reply"] == WORDED
    assert done["reply_status"] == "complete"
    feedback = next(data for name, data in events if name == "feedback")
    assert feedback["reply_source"] == "llm" and feedback["notice"] is None
    # The deterministic state decided the turn, whatever the wording.
    assert done["state"]["revealed"]["situation"][0]["id"] == "s_current_erp"
    stored = session.exec(select(Turn).where(Turn.roleplay_id == roleplay_id).order_by(Turn.seq)).all()
    assert [(t.speaker, t.status, t.text) for t in stored[1:]] == [
        ("rep", "complete", SITUATION_QUESTION),
        ("buyer", "complete", WORDED),
    ]


def test_buyer_prompt_holds_only_the_facts_the_state_allows(llm_client, headers, fake_llm):
    fake_llm.queue(WORDED)
    stream_turn(llm_client, headers)
    prompt = "\n".join(message["content"] for message in fake_llm.requests[0]["messages"])
    assert REVEALED in prompt  # the content of this turn, to be reworded
    assert SCENARIO.persona.name in prompt
    for fact in SCENARIO.all_facts():
        if fact.id != "s_current_erp":
            assert fact.text not in prompt, fact.id


def test_a_leaking_reply_is_regenerated(llm_client, headers, fake_llm):
    fake_llm.queue("我跟你讲，" + HIDDEN, WORDED)
    _, _, events = stream_turn(llm_client, headers)
    done = events[-1][1]
    assert done["reply"] == WORDED and done["reply_status"] == "complete"
    assert not any(window in streamed_text(events) for window in windows(HIDDEN))
    assert "上一次的回答透露了" in fake_llm.requests[1]["messages"][0]["content"]


def test_the_whole_reply_is_checked_once_more_when_the_stream_ends(llm_client, headers, fake_llm, monkeypatch):
    """A quote the piece-by-piece check cannot see (see the composed-accent test below) is still regenerated."""
    monkeypatch.setattr(LeakGuard, "_check_new", lambda self: None)
    fake_llm.queue("我跟你讲，" + HIDDEN, WORDED)
    _, _, events = stream_turn(llm_client, headers)
    assert events[-1][1]["reply"] == WORDED and len(fake_llm.requests) == 2


def test_a_reply_that_keeps_leaking_is_replaced_by_the_scripted_one(llm_client, headers, fake_llm, session):
    fake_llm.queue("好的。" + HIDDEN, "这个嘛，" + HIDDEN + "还有别的吗？")
    roleplay_id, _, events = stream_turn(llm_client, headers)
    done = events[-1][1]
    assert REVEALED in done["reply"], "the scripted reply says what the state allows"
    assert HIDDEN not in done["reply"]
    assert not any(window in streamed_text(events) for window in windows(HIDDEN))
    feedback = next(data for name, data in events if name == "feedback")
    assert feedback["reply_source"] == "scripted_fallback"
    stored = session.exec(select(Turn).where(Turn.roleplay_id == roleplay_id, Turn.speaker == "buyer")).all()
    assert not any(HIDDEN in turn.text for turn in stored)


@pytest.mark.parametrize("fault", ["429", "500"])
def test_a_failing_model_falls_back_to_the_scripted_buyer(llm_client, headers, fake_llm, session, fault):
    fake_llm.queue(*[Action(fault=fault)] * 3)  # the first try and both retries
    roleplay_id, turn_id, events = stream_turn(llm_client, headers)
    done = events[-1][1]
    assert done["reply_status"] == "failed"
    assert REVEALED in done["reply"], "the rep can go on with the scripted reply"
    feedback = next(data for name, data in events if name == "feedback")
    assert feedback["notice"]["code"] == "model_failed" and feedback["notice"]["text"]
    assert session.get(Turn, turn_id).text == SITUATION_QUESTION  # the rep's message is kept


def test_a_timeout_falls_back_without_an_error(make_settings, fake_llm, engine, session):
    settings = make_settings(**llm_mode(fake_llm, timeout_s=0.5))
    fake_llm.queue(Action(fault="timeout"))
    with TestClient(create_app(settings, engine)) as client:
        headers = auth_headers(client, make_user(session, Role.rep))
        roleplay_id = start(client, headers, SCENARIO.id)["id"]
        response = client.post(
            f"/api/roleplays/{roleplay_id}/turns", json={"text": SITUATION_QUESTION}, headers=headers
        )
    assert response.status_code == 200
    assert response.json()["reply_status"] == "failed"
    assert response.json()["feedback"]["notice"]["code"] == "model_failed"


def test_a_dropped_stream_keeps_the_partial_reply(llm_client, headers, fake_llm, session):
    long_reply = (
        "这个问题嘛，我们的情况是这样的：系统用了很多年，大家也都习惯了，不过确实有一些地方不太方便，我们一直在想办法。"
    )
    fake_llm.queue(Action(text=long_reply, fault="drop"))
    roleplay_id, turn_id, events = stream_turn(llm_client, headers)
    done = events[-1][1]
    assert done["reply_status"] == "partial"
    assert done["reply"] and long_reply.startswith(done["reply"]) and done["reply"] != long_reply
    assert streamed_text(events) == done["reply"]
    feedback = next(data for name, data in events if name == "feedback")
    assert feedback["notice"]["code"] == "reply_cut"
    buyer = session.exec(select(Turn).where(Turn.roleplay_id == roleplay_id, Turn.seq == 2)).one()
    assert (buyer.status, buyer.text) == ("partial", done["reply"])


def json_turn(client, headers, text: str = SITUATION_QUESTION) -> tuple[int, dict]:
    roleplay_id = start(client, headers, SCENARIO.id)["id"]
    response = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": text}, headers=headers)
    assert response.status_code == 200, response.text
    return roleplay_id, response.json()


def test_a_json_turn_and_the_stream_both_stream_from_the_model(llm_client, headers, fake_llm, session):
    """The JSON turn shows the reply at once but still streams from the model: a slow, steady reply is not cut
    off by the read timeout (which then means "no token for N s")."""
    fake_llm.queue(WORDED, WORDED)
    roleplay_id, body = json_turn(llm_client, headers)
    assert (body["reply"], body["reply_status"], body["feedback"]["reply_source"]) == (WORDED, "complete", "llm")
    assert fake_llm.requests[0]["stream"] is True
    assert fake_llm.requests[0]["max_tokens"] == 400, "the buyer's cap, in the field DeepSeek and DashScope read"
    buyer = session.exec(select(Turn).where(Turn.roleplay_id == roleplay_id, Turn.seq == 2)).one()
    assert (buyer.status, buyer.text) == ("complete", WORDED)
    stream_turn(llm_client, headers)
    assert fake_llm.requests[1]["stream"] is True


def test_a_json_turn_regenerates_a_leaking_reply_then_uses_the_scripted_one(llm_client, headers, fake_llm):
    fake_llm.queue("我跟你讲，" + HIDDEN, WORDED)
    _, body = json_turn(llm_client, headers)
    assert body["reply"] == WORDED and len(fake_llm.requests) == 2
    assert "上一次的回答透露了" in fake_llm.requests[1]["messages"][0]["content"]

    fake_llm.queue("好的。" + HIDDEN, "这个嘛，" + HIDDEN)
    _, body = json_turn(llm_client, headers)
    assert REVEALED in body["reply"] and HIDDEN not in body["reply"]
    assert (body["reply_status"], body["feedback"]["reply_source"]) == ("complete", "scripted_fallback")


def test_a_json_turn_whose_response_breaks_off_is_retried(llm_client, headers, fake_llm):
    fake_llm.queue(Action(text=WORDED, fault="drop"), WORDED)
    _, body = json_turn(llm_client, headers)
    assert (body["reply"], body["reply_status"]) == (WORDED, "complete"), "nothing was shown: asked once more"
    assert len(fake_llm.requests) == 2


def test_a_json_turn_whose_every_try_breaks_off_gets_the_scripted_reply(llm_client, headers, fake_llm, session):
    fake_llm.queue(*[Action(text=WORDED, fault="drop")] * 2)  # the first try and the one more
    roleplay_id, body = json_turn(llm_client, headers)
    assert body["reply_status"] == "failed" and REVEALED in body["reply"]
    assert body["feedback"]["notice"]["code"] == "model_failed"
    *_, rep, buyer = session.exec(select(Turn).where(Turn.roleplay_id == roleplay_id).order_by(Turn.seq)).all()
    assert (rep.text, rep.status, buyer.status) == (SITUATION_QUESTION, "complete", "failed")


def test_one_model_call_per_turn_unless_a_second_opinion_is_asked(llm_client, headers, fake_llm):
    roleplay_id = start(llm_client, headers, SCENARIO.id)["id"]
    body = llm_client.post(
        f"/api/roleplays/{roleplay_id}/turns", json={"text": SITUATION_QUESTION}, headers=headers
    ).json()
    assert len(fake_llm.requests) == 1 and body["feedback"]["llm_spin"] is None


def test_json_turn_in_llm_mode_with_a_second_spin_opinion(llm_client, headers, fake_llm):
    fake_llm.queue(WORDED, Action(json={"label": "S", "confidence": 0.9}))
    roleplay_id = start(llm_client, headers, SCENARIO.id)["id"]
    response = llm_client.post(
        f"/api/roleplays/{roleplay_id}/turns",
        json={"text": SITUATION_QUESTION, "second_opinion": True},
        headers=headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["reply"] == WORDED
    assert body["feedback"]["spin"] == "S"  # the offline label is the one in the state
    assert body["feedback"]["llm_spin"] == {"label": "S", "confidence": 0.9, "agrees": True}
    # The streamed variant carries the choice in its stream URL.
    accepted = llm_client.post(
        f"/api/roleplays/{roleplay_id}/messages",
        json={"text": "在对账方面，您遇到过哪些困难？", "second_opinion": True},
        headers=headers,
    )
    assert accepted.json()["stream_url"].endswith("&second_opinion=true")


def test_garbage_from_the_spin_model_means_no_second_opinion(llm_client, headers, fake_llm):
    fake_llm.queue(WORDED, Action(json={"label": "maybe", "confidence": 7}))
    roleplay_id = start(llm_client, headers, SCENARIO.id)["id"]
    body = llm_client.post(
        f"/api/roleplays/{roleplay_id}/turns",
        json={"text": SITUATION_QUESTION, "second_opinion": True},
        headers=headers,
    ).json()
    assert len(fake_llm.requests) == 3, "the reply, the SPIN call and its one repair"
    assert "not the JSON object" in fake_llm.requests[2]["messages"][-1]["content"]
    assert body["feedback"]["llm_spin"] is None and body["feedback"]["spin"] == "S"


def test_coach_spin_with_the_model(llm_client, headers, fake_llm):
    fake_llm.queue(Action(json={"label": "N", "confidence": 0.7}))
    body = llm_client.post(
        "/api/coach/spin", json={"text": "如果库存能实时准确，对您有什么帮助？"}, headers=headers
    ).json()
    assert body["label"] == "N" and body["llm"] == {"label": "N", "confidence": 0.7}
    fake_llm.queue(Action(fault="500"), Action(fault="500"), Action(fault="500"))
    body = llm_client.post(
        "/api/coach/spin", json={"text": "如果库存能实时准确，对您有什么帮助？"}, headers=headers
    ).json()
    assert body["label"] == "N" and body["llm"] is None


def test_leak_guard_holds_text_back_until_it_is_checked():
    guard = LeakGuard(hidden_texts=["批次追溯一次大概要两天"], allowed_texts=["我们先聊聊现状"])
    shown = guard.feed("好的，我们先聊聊现状。批次")
    assert "批次" not in shown and shown.startswith("好的")
    with pytest.raises(ReplyLeak):
        guard.feed("追溯一次大概")
    figures = LeakGuard(hidden_texts=["库存准确率只有 60%"], allowed_texts=[])
    with pytest.raises(ReplyLeak):
        figures.feed("大概也就60%吧。")


LEAK_CASES = [
    ("库存准确率只有 60%，月底盘点要三天", "说实话我们的库存准确率只有60%左右。"),  # a window quote
    ("库存准确率只有 60%，月底盘点要三天", "大概也就 60% 吧，您觉得呢？"),  # a figure only
    ("库存准确率只有 60%，月底盘点要三天", "我们的库存还行，盘点也不算太慢，6 个人就够了。"),  # no leak
    ("Inventory accuracy is only 60% at month end", "Honestly, inventory accuracy is ONLY 60%!"),
]


@pytest.mark.parametrize("hidden, reply", LEAK_CASES)
def test_checking_piece_by_piece_finds_what_checking_the_whole_reply_finds(hidden, reply):
    """The guard checks only what each piece adds; however the reply is cut, it must agree with a whole check."""

    def leaks(check) -> bool:
        try:
            check()
        except ReplyLeak:
            return True
        return False

    whole = LeakGuard(hidden_texts=[hidden], allowed_texts=[])
    expected = leaks(lambda: whole.check(reply))
    rng = random.Random(5)
    for _ in range(60):
        cuts = sorted(rng.sample(range(1, len(reply)), rng.randint(1, min(12, len(reply) - 1))))
        pieces = [reply[start:end] for start, end in zip([0, *cuts], [*cuts, len(reply)])]
        guard = LeakGuard(hidden_texts=[hidden], allowed_texts=[])
        assert leaks(lambda: [guard.feed(piece) for piece in pieces]) == expected, pieces
        if not expected:
            assert guard.flush() and guard.text == reply


def test_a_quote_that_composes_across_pieces_is_caught_by_the_whole_check():
    # "e" and a combining acute accent arriving in different pieces only become "é" when normalised together.
    guard = LeakGuard(hidden_texts=["café résumé"], allowed_texts=[])
    guard.feed("Un cafe\u0301 re")
    guard.feed("\u0301sume\u0301 ici")  # piece by piece this reads "caféresumé": no window of the fact
    with pytest.raises(ReplyLeak):
        guard.check_whole()
