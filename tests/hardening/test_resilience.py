"""Shared fault handling (app.llm.resilience, app.llm.budget): client retries, circuit breaker, token budget."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import httpx2
import openai
import pytest
from langchain_core.messages import HumanMessage
from sqlmodel import select

from app.llm.budget import READ_TTL_S, TokenBudget, budget_day, estimate_tokens
from app.llm.calls import generate, stream_text
from app.llm.factory import build_chat_model
from app.llm.resilience import (
    _PENDING_CHARGES,
    CircuitBreaker,
    CircuitOpen,
    ModelGuard,
    bind_request_state,
    guard_of,
    is_outage,
    is_retryable,
    settle_charges,
    unbind_request_state,
)
from app.middleware import ModelCallerMiddleware
from app.models import LlmUsage, Role
from tests.utils.factories import auth_headers, make_llm_usage, make_user
from tests.utils.fake_llm import Action, reported_usage
from tests.utils.flows import SCRIPTED, thin_answer_reply
from tests.utils.roleplays import start
from tests.utils.sse import read_sse

QUESTION = "目前贵公司在现有系统方面是怎么安排的？能具体介绍一下吗？"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- the breaker on its own -----------------------------------------------------------------------------


def test_breaker_opens_after_consecutive_failures_only():
    breaker = CircuitBreaker(failure_threshold=3, cooldown_s=30, clock=FakeClock())
    for _ in range(2):
        breaker.record_failure()
    breaker.record_success()  # a success in between resets the streak
    for _ in range(2):
        breaker.record_failure()
    assert breaker.state == "closed" and breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow()
    assert breaker.snapshot()["consecutive_failures"] == 3


def test_breaker_lets_one_trial_through_after_the_cooldown():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=30, clock=clock)
    breaker.record_failure()
    clock.now += 29
    assert not breaker.allow() and breaker.retry_in_s() == pytest.approx(1)
    clock.now += 1
    assert breaker.state == "half_open"
    assert breaker.allow(), "the first caller after the cool-down is the trial"
    assert not breaker.allow(), "everyone else waits for the trial's outcome"
    breaker.record_failure()  # the trial failed: another full cool-down
    clock.now += 29
    assert not breaker.allow()
    clock.now += 1
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == "closed" and breaker.allow() and breaker.allow()
    assert breaker.snapshot() == {
        "state": "closed",
        "consecutive_failures": 0,
        "failure_threshold": 1,
        "cooldown_s": 30,
        "retry_in_s": None,
    }


def _status_error(code: int) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://model/v1/chat/completions")
    return openai.APIStatusError("x", response=httpx.Response(code, request=request), body=None)


@pytest.mark.parametrize(
    "code, outage",
    [
        (500, True),
        (503, True),
        (429, True),
        (408, True),
        (401, False),
        (403, False),
        (400, False),
        (404, False),
        (422, False),
    ],
)
def test_only_service_failures_count_against_the_circuit(code, outage):
    # A 400 (a refused parameter, a content filter) or a 401 (a bad key) belongs to the request or the settings:
    # it must not let one user, or one feature's wrong setting, open the circuit for everyone.
    assert is_outage(_status_error(code)) is outage
    assert is_retryable(_status_error(code)) is outage


def test_timeouts_drops_and_resets_are_outages_but_a_closed_stream_is_not():
    request = httpx.Request("POST", "http://model/v1/chat/completions")
    assert is_outage(openai.APITimeoutError(request=request))
    assert is_outage(openai.APIConnectionError(request=request))
    assert is_outage(httpx2.RemoteProtocolError("peer closed connection"))  # the SDK's transport
    assert is_outage(httpx.RemoteProtocolError("peer closed connection"))
    assert not is_outage(GeneratorExit())  # the caller stopped reading (e.g. the leak guard cut a reply)
    assert not is_outage(ValueError("bad JSON from the model"))


def test_token_estimate_counts_chinese_per_character():
    assert estimate_tokens("你好，世界") == 5
    assert estimate_tokens("hello world!") == 3


# --- the client's retries, as documented in app.llm.resilience --------------------------------------------


HI = [HumanMessage("hi")]


def test_calls_retry_429_and_5xx_with_backoff_then_give_up(llm_settings, fake_llm):
    model = build_chat_model(llm_settings)
    fake_llm.queue(Action(fault="500"), "第二次成功")
    started = time.monotonic()
    assert generate(model, "buyer", HI).text == "第二次成功"
    assert time.monotonic() - started >= 0.5 * 0.75, "backoff of 0.5 s (minus at most 25 % jitter) before a retry"
    fake_llm.reset()
    fake_llm.queue(Action(fault="429"), Action(fault="429"), Action(fault="429"), "too late")
    with pytest.raises(openai.RateLimitError):
        generate(model, "buyer", HI)
    assert len(fake_llm.requests) == llm_settings.llm_max_retries + 1, "bounded: the first try plus max_retries"
    assert guard_of(model).breaker.snapshot()["consecutive_failures"] == 1, "one failed call, not one per attempt"


def test_a_dropped_stream_is_not_retried(llm_settings, fake_llm):
    fake_llm.queue(Action(text="这是一段会在中途断掉的很长很长的回答内容。", fault="drop"), "不该被请求")
    with pytest.raises(openai.APIConnectionError):
        list(stream_text(build_chat_model(llm_settings), "buyer", HI))
    assert len(fake_llm.requests) == 1, "text already shown cannot be taken back: the caller keeps it as partial"


def test_a_refused_request_is_not_retried_never_opens_the_circuit_and_is_logged(llm_settings, fake_llm, caplog):
    guard = ModelGuard(CircuitBreaker(failure_threshold=1, cooldown_s=60))
    model = build_chat_model(llm_settings, guard)
    fake_llm.responder = lambda body: Action(fault="400")
    with pytest.raises(openai.BadRequestError):
        generate(model, "spin", HI)
    assert len(fake_llm.requests) == 1, "a 400 says the request is wrong: sending it again cannot help"
    assert guard.breaker.state == "closed"
    assert "HTTP 400: invalid request from the test server" in caplog.text, "the provider's message, for the operator"


# --- the guard on a real model ------------------------------------------------------------------------------


def test_guard_opens_the_circuit_and_skips_the_model(llm_settings, fake_llm):
    guard = ModelGuard(CircuitBreaker(failure_threshold=2, cooldown_s=60))
    model = build_chat_model(llm_settings.model_copy(update={"llm_max_retries": 0}), guard)
    fake_llm.queue(Action(fault="500"), Action(fault="500"))
    for _ in range(2):
        with pytest.raises(openai.InternalServerError):
            generate(model, "buyer", HI)
    with pytest.raises(CircuitOpen) as refused:
        model.with_structured_output(dict, method="json_mode").invoke("hi")  # every call shape goes through it
    assert len(fake_llm.requests) == 2, "an open circuit sends nothing"
    assert "60" in refused.value.text_zh or "59" in refused.value.text_zh
    assert guard.skip_reason() is not None


def test_guard_counts_a_stream_the_caller_abandons_as_neither(llm_settings, fake_llm):
    guard = ModelGuard(CircuitBreaker(failure_threshold=1))
    model = build_chat_model(llm_settings, guard)
    fake_llm.queue("一段足够长的回答，调用方只读了开头就不读了。")
    stream = model.stream("hi")
    next(stream)
    stream.close()
    assert guard.breaker.state == "closed"


def test_async_stream_runs_the_guard_on_the_event_loop_and_leaves_the_charge_to_the_request(
    llm_settings, fake_llm, engine, session
):
    """No thread hop per streamed token, and no database write on the event loop: the request settles the charge."""
    rep = make_user(session, Role.rep, team="A组")
    seen_threads: set[int] = set()

    class RecordingGuard(ModelGuard):
        def on_llm_new_token(self, token: str, **kwargs) -> None:
            seen_threads.add(threading.get_ident())

    guard = RecordingGuard(budget=TokenBudget(engine, 10_000))
    model = build_chat_model(llm_settings, guard)
    fake_llm.queue("一段分成好几块流回来的回答，每块都会经过守卫。")

    async def one_request() -> tuple[int, list]:
        state = {"user": rep}
        token = bind_request_state(state)
        try:
            async for _ in model.astream("hi"):
                pass
        finally:
            unbind_request_state(token)
        charges = settle_charges(state)
        written_before = session.exec(select(LlmUsage.tokens).where(LlmUsage.user_id == rep.id)).all()
        await asyncio.to_thread(lambda: [charge() for charge in charges])  # as the middleware does after the response
        return threading.get_ident(), charges, written_before

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own: a browser test may leave one running here
        loop_thread, charges, written_before = pool.submit(asyncio.run, one_request()).result()
    assert seen_threads == {loop_thread}, "every token event ran inline on the event loop"
    assert len(charges) == 1 and written_before == [], "the charge was handed to the request, not written meanwhile"
    assert session.exec(select(LlmUsage.tokens).where(LlmUsage.user_id == rep.id)).one() > 0


def test_the_request_writes_its_charges_after_the_response_has_gone_out():
    """The reply is not held up by the charge's write: the middleware writes it once the last byte is sent."""
    events: list[str] = []

    async def endpoint(scope, receive, send):
        state = scope["state"]
        state.setdefault(_PENDING_CHARGES, []).append(lambda: events.append("charged"))  # as ModelGuard leaves it
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"reply"})

    async def send(message):
        if message["type"] == "http.response.body":
            events.append("response sent")

    async def receive():
        return {"type": "http.request", "body": b""}

    request = ModelCallerMiddleware(endpoint)({"type": "http", "path": "/"}, receive, send)
    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own: a browser test may leave one running here
        pool.submit(asyncio.run, request).result()
    assert events == ["response sent", "charged"]


def test_budget_reuses_a_fresh_read_and_rereads_after_a_charge(engine, session):
    rep = make_user(session, Role.rep, team="A组")
    clock = FakeClock()
    budget = TokenBudget(engine, 100, clock=clock)
    assert budget.used_today(rep.id) == 0
    make_llm_usage(session, rep, day=budget_day(), tokens=150)  # another worker process charged meanwhile
    assert budget.used_today(rep.id) == 0, "a read is reused for READ_TTL_S (no query per check)"
    clock.now += READ_TTL_S
    assert budget.used_today(rep.id) == 150 and budget.exhausted(rep.id), "then read again"
    budget.charge(rep.id, 5)
    assert budget.used_today(rep.id) == 155, "a charge in this process is seen by the very next check"


# --- through the API ---------------------------------------------------------------------------------------


def test_circuit_opens_after_failed_turns_and_recovers(make_llm_client, faulty_llm, session):
    client = make_llm_client(llm_max_retries=0)
    breaker = client.app.state.model_guard.breaker
    headers = auth_headers(client, make_user(session, Role.rep, team="A组"))
    roleplay_id = start(client, headers)["id"]
    faulty_llm.fault_rate, faulty_llm.fault_kinds = 1.0, ("500",)
    turns = []
    while breaker.state == "closed":
        response = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": QUESTION}, headers=headers)
        assert response.status_code == 200, response.text
        turns.append(response.json())
        assert len(turns) <= breaker.failure_threshold, "the circuit should be open by now"
    assert all(turn["feedback"]["notice"] for turn in turns), "every failed turn tells the rep"
    health = client.get("/api/health").json()
    assert health["llm"]["circuit"]["state"] == "open", health

    sent = len(faulty_llm.requests)
    response = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": QUESTION}, headers=headers)
    assert response.status_code == 200, response.text
    skipped = response.json()
    assert len(faulty_llm.requests) == sent, "an open circuit does not call the model"
    assert skipped["reply"] and skipped["feedback"]["reply_source"] == "scripted_fallback"
    assert skipped["feedback"]["notice"]["code"] == "circuit_open", "the rep sees why the offline buyer answered"
    assert skipped["reply_status"] == "complete"

    breaker.cooldown_s = 0.0  # the cool-down is over: the next call is the trial
    faulty_llm.fault_rate = 0.0
    response = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": QUESTION}, headers=headers)
    assert response.json()["feedback"]["reply_source"] == "llm", response.text
    assert client.get("/api/health").json()["llm"]["circuit"]["state"] == "closed"


def test_offline_health_has_no_circuit(client):
    assert client.get("/api/health").json()["llm"] == {"provider": "offline", "model": None, "circuit": None}


def test_token_budget_counts_reported_usage_and_then_answers_offline(make_llm_client, faulty_llm, session):
    client = make_llm_client(llm_daily_token_budget=10)
    rep, other = make_user(session, Role.rep, team="A组"), make_user(session, Role.rep, team="A组")
    headers, other_headers = auth_headers(client, rep), auth_headers(client, other)

    first = client.post("/api/coach/spin", json={"text": QUESTION}, headers=headers)
    assert first.status_code == 200 and first.json()["llm"] is not None, first.text
    content = json.dumps({"label": "S", "confidence": 0.7}, ensure_ascii=False)
    usage = session.exec(select(LlmUsage).where(LlmUsage.user_id == rep.id)).one()
    reported = reported_usage(faulty_llm.requests[-1], content)["total_tokens"]
    assert (usage.day, usage.tokens) == (budget_day(), reported), "the server's reported usage"

    sent = len(faulty_llm.requests)
    second = client.post("/api/coach/spin", json={"text": QUESTION}, headers=headers)
    assert second.status_code == 200, second.text
    assert second.json()["llm"] is None and second.json()["label"], "over budget: the offline answer, not an error"
    assert len(faulty_llm.requests) == sent, "the model was not called"

    assert client.post("/api/coach/spin", json={"text": QUESTION}, headers=other_headers).json()["llm"], (
        "the budget is per user"
    )


def test_streamed_turn_is_charged_and_over_budget_turn_says_so(make_llm_client, faulty_llm, session):
    client = make_llm_client(llm_daily_token_budget=100, llm_stream_usage=False)
    rep = make_user(session, Role.rep, team="A组")
    headers = auth_headers(client, rep)
    roleplay_id = start(client, headers)["id"]
    accepted = client.post(f"/api/roleplays/{roleplay_id}/messages", json={"text": QUESTION}, headers=headers)
    events = read_sse(client.get(accepted.json()["stream_url"], headers=headers).text)
    assert dict(events)["feedback"]["reply_source"] == "llm", events
    request = faulty_llm.requests[-1]
    assert request["stream"] and "stream_options" not in request, "the server reports no usage: it is estimated"
    prompt = sum(estimate_tokens(message["content"]) for message in request["messages"])
    spent = session.exec(select(LlmUsage.tokens).where(LlmUsage.user_id == rep.id)).one()
    assert spent == prompt + estimate_tokens(dict(events)["done"]["reply"]) and prompt > 100, (spent, prompt)

    sent = len(faulty_llm.requests)
    second = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": "您遇到过哪些困难？"}, headers=headers)
    assert second.status_code == 200, second.text
    assert len(faulty_llm.requests) == sent
    assert second.json()["feedback"]["reply_source"] == "scripted_fallback"
    assert second.json()["feedback"]["notice"]["code"] == "budget_exhausted", "the rep is told why"


def test_flow_probes_use_the_script_while_the_circuit_is_open(make_llm_client, faulty_llm, session):
    client = make_llm_client()
    breaker = client.app.state.model_guard.breaker
    for _ in range(breaker.failure_threshold):
        breaker.record_failure()
    reply, _run_id, _headers = thin_answer_reply(client, session)
    assert reply["step"]["probe"] is True and reply["step"]["prompt"] == SCRIPTED.text_zh
    assert faulty_llm.requests == [], "an open circuit: the probe is scripted without calling the model"
