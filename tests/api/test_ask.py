"""POST /api/ask offline: direct answers with citations, English questions, limits, passages, the streamed variant."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.knowledge import get_index
from app.knowledge.pending import PendingAsks
from app.main import create_app
from tests.utils.ask import SIX_STEPS, sse_events, streamed_answer
from tests.utils.factories import auth_headers, make_user


@pytest.fixture
def rep_headers(client, session):
    return auth_headers(client, make_user(session))


def ask(client, headers, question):
    return client.post("/api/ask", json={"question": question}, headers=headers)


def test_six_steps_are_listed_in_order_with_a_citation(client, rep_headers):
    response = ask(client, rep_headers, "摧龙六式有哪六步")
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == "offline" and body["notice"] is None
    positions = [body["answer"].find(step) for step in SIX_STEPS]
    assert -1 not in positions and positions == sorted(positions), body["answer"]
    assert "dragon-steps-overview" in [c["id"] for c in body["citations"]]
    citation = body["citations"][0]
    assert set(citation) == {"id", "title", "source", "excerpt", "source_title", "source_kind", "origin"}
    assert citation["source_kind"] == "playbook" and citation["origin"] == "manual"
    assert citation["source_title"] and not citation["source_title"].endswith(".txt")  # a human title
    assert citation["source"].endswith(".txt") and citation["excerpt"]


def test_english_question_gets_the_english_passage_with_the_handbook_terms(client, rep_headers):
    body = ask(client, rep_headers, "What are the four SPIN question types?").json()
    assert body["answer"].startswith("According to the playbook")
    for term in ("背景问题", "难点问题", "暗示问题", "需求-效益问题"):  # the handbook's names stay beside the English
        assert term in body["answer"]
    assert body["citations"][0]["id"] == "spin-overview-en"


def test_question_outside_the_playbook_says_so_without_citations(client, rep_headers):
    body = ask(client, rep_headers, "公司年会在哪里开？").json()
    assert "没有涉及" in body["answer"] and body["citations"] == []


@pytest.mark.parametrize(
    "payload",
    [
        {"question": ""},
        {"question": "   "},
        {"question": "问" * 1001},
        {},
        {"question": ["摧龙六式"]},
    ],
)
def test_bad_questions_get_422(client, rep_headers, payload):
    for path in ("/api/ask", "/api/asks"):
        assert client.post(path, json=payload, headers=rep_headers).status_code == 422


def test_a_question_of_exactly_1000_characters_is_accepted(client, rep_headers):
    assert ask(client, rep_headers, "摧龙六式" + "问" * 996).status_code == 200


def test_asks_are_rate_limited_per_user(make_settings, engine, session):
    app = create_app(make_settings(rate_limit_asks="2/minute"), engine)
    with TestClient(app) as client:
        first, second = (auth_headers(client, make_user(session)) for _ in range(2))
        codes = [ask(client, first, "SPIN 是什么").status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert client.post("/api/asks", json={"question": "SPIN"}, headers=first).status_code == 429
        assert ask(client, second, "SPIN 是什么").status_code == 200


def test_passage_opens_with_its_text_and_source(client, rep_headers):
    response = client.get("/api/knowledge/dragon-steps-overview", headers=rep_headers)
    assert response.status_code == 200
    passage = response.json()
    chunk = get_index().chunk("dragon-steps-overview")
    assert passage["id"] == chunk.id and passage["title"] == chunk.title and passage["source"] == chunk.source
    assert all(step in passage["text"] for step in SIX_STEPS)
    assert "Key terms:" not in passage["text"]  # that line is for retrieval only


def test_unknown_passage_is_404_and_malformed_id_422(client, rep_headers):
    assert client.get("/api/knowledge/no-such-passage", headers=rep_headers).status_code == 404
    assert client.get("/api/knowledge/Bad%20Id", headers=rep_headers).status_code == 422


def test_every_citation_opens_a_passage(client, rep_headers):
    body = ask(client, rep_headers, "客户分析从什么时候开始，到什么时候结束？").json()
    assert body["citations"]
    for citation in body["citations"]:
        passage = client.get(f"/api/knowledge/{citation['id']}", headers=rep_headers).json()
        assert passage["title"] == citation["title"]


def test_stream_sends_the_same_answer_in_pieces_then_citations_then_done(client, rep_headers):
    question = "摧龙六式有哪六步"
    whole = ask(client, rep_headers, question).json()
    started = client.post("/api/asks", json={"question": question}, headers=rep_headers)
    assert started.status_code == 201
    stream_url = started.json()["stream_url"]
    assert stream_url == f"/api/asks/{started.json()['ask_id']}/stream"

    response = client.get(stream_url, headers=rep_headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names.count("token") > 5
    assert names[-2:] == ["citations", "done"] and set(names[:-2]) == {"token"}
    assert streamed_answer(events) == whole["answer"]
    assert events[-2][1] == whole["citations"]
    assert events[-1][1] == {"mode": "offline", "notice": None, "covered": True, "declined": False, "might_help": []}


def test_a_stream_opens_once_and_only_for_its_owner(client, session, rep_headers):
    other = auth_headers(client, make_user(session))
    stream_url = client.post("/api/asks", json={"question": "SPIN"}, headers=rep_headers).json()["stream_url"]
    assert client.get(stream_url, headers=other).status_code == 404
    assert client.get(stream_url, headers=rep_headers).status_code == 200
    assert client.get(stream_url, headers=rep_headers).status_code == 404
    assert client.get("/api/asks/not-an-ask/stream", headers=rep_headers).status_code == 404


def test_pending_questions_expire_and_stay_bounded(session):
    user, other = make_user(session).id, make_user(session).id
    pending = PendingAsks(ttl_s=0.0)
    ask_id = pending.add(session, user, "SPIN")
    assert pending.claim(session, ask_id, user) is None  # expired already

    pending = PendingAsks(ttl_s=60.0, max_per_user=2)
    first, second, third = (pending.add(session, user, f"q{n}") for n in range(3))
    theirs = pending.add(session, other, "q-other")
    assert pending.claim(session, first, user) is None  # the user's oldest made room
    assert pending.claim(session, second, other) is None  # another user's ask stays hidden...
    assert pending.claim(session, second, user) == "q1"  # ...and still works for its owner
    assert pending.claim(session, third, user) == "q2"
    assert pending.claim(session, theirs, other) == "q-other", "one user's asks do not push out another's"
