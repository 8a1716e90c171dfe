"""The chat-model factory and prompt files, exercised against the loopback OpenAI-compatible server."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest
from pydantic import BaseModel

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from app.llm.factory import (AsyncWireFormatCompletions, WireFormatCompletions, build_chat_model,
                             merged_text_deltas)
from app.llm.prompts import prompt_names, render_prompt
from tests.utils.fake_llm import Action


class Verdict(BaseModel):
    label: str
    confidence: float


def test_offline_provider_builds_no_model(settings):
    assert build_chat_model(settings) is None


def test_plain_reply_over_http(llm_settings, fake_llm):
    fake_llm.queue("您好，我是采购部的刘经理。")
    reply = build_chat_model(llm_settings).invoke("你好")
    assert reply.content == "您好，我是采购部的刘经理。"
    assert fake_llm.requests[-1]["model"] == "fake-model"


def test_streaming_reply_arrives_in_pieces(llm_settings, fake_llm):
    fake_llm.queue("我们目前用的是十年前的老系统，月底对账要三天。")
    pieces = [chunk.content for chunk in build_chat_model(llm_settings).stream("介绍一下现状")]
    assert len([p for p in pieces if p]) > 3
    assert "".join(pieces) == "我们目前用的是十年前的老系统，月底对账要三天。"


def test_structured_output_is_parsed_and_validated(llm_settings, fake_llm):
    fake_llm.queue(Action(json={"label": "I", "confidence": 0.8}))
    result = build_chat_model(llm_settings).with_structured_output(Verdict).invoke("这会带来什么影响？")
    assert result == Verdict(label="I", confidence=0.8)
    assert "response_format" in fake_llm.requests[-1] or "tools" in fake_llm.requests[-1]


CONVERSATION = [SystemMessage("你是制造企业的采购经理。"), HumanMessage("你好"), AIMessage("您好，请说。"),
                HumanMessage("你们现在的系统用了多久？")]


def _in_a_fresh_thread(coroutine):
    with ThreadPoolExecutor(max_workers=1) as thread:  # asyncio.run needs a thread without a running loop
        return thread.submit(asyncio.run, coroutine).result()


async def _collected(stream) -> list:
    return [chunk async for chunk in stream]


def _merged(chunks: list) -> object:
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged += chunk
    return merged


MODEL_CALLS = {
    "invoke": lambda model: model.invoke(CONVERSATION),
    "stream": lambda model: _merged(list(model.stream(CONVERSATION))),
    "ainvoke": lambda model: _in_a_fresh_thread(model.ainvoke(CONVERSATION)),
    "astream": lambda model: _merged(_in_a_fresh_thread(_collected(model.astream(CONVERSATION)))),
    "astream_with_usage": lambda model: _merged(_in_a_fresh_thread(_collected(model.astream(CONVERSATION,
                                                                                           stream_usage=True)))),
    "options": lambda model: model.bind(stop=["。"], max_tokens=40, seed=3).invoke(CONVERSATION),
    "tools": lambda model: model.bind_tools([Verdict]).invoke(CONVERSATION),
}
# Headers that differ between any two requests of the same client.
VARYING_HEADERS = {"x-stainless-retry-count", "x-stainless-read-timeout", "content-length", "idempotency-key"}


@pytest.mark.parametrize("call", MODEL_CALLS)
def test_the_wire_format_client_sends_what_the_sdks_create_sends(call, llm_settings, fake_llm):
    """The factory's chat.completions skips the SDK's payload walk and chunk models: same request, same reply."""
    model = build_chat_model(llm_settings)
    assert isinstance(model.client, WireFormatCompletions)
    assert isinstance(model.async_client, AsyncWireFormatCompletions)
    stock = build_chat_model(llm_settings)
    stock.client, stock.async_client = stock.root_client.chat.completions, stock.root_async_client.chat.completions
    seen = []
    for chat_model in (stock, model):
        fake_llm.reset()
        fake_llm.queue("好的，我明白了。")
        message = MODEL_CALLS[call](chat_model)
        reply = message.model_dump(exclude={"id"})  # content, metadata, usage, tool calls: what features read
        reply["response_metadata"].pop("id", None)  # the test server stamps each reply with the time
        headers = {name: value for name, value in fake_llm.request_headers[-1].items() if name not in VARYING_HEADERS}
        seen.append((fake_llm.requests[-1], headers, reply))
    assert seen[0] == seen[1]
    assert seen[1][1]["authorization"] == "Bearer test-key"
    assert seen[1][0]["messages"][2] == {"role": "assistant", "content": "您好，请说。"}
    if call == "astream_with_usage":  # the usage chunk reached LangChain (the budget charges from it)
        assert seen[1][2]["usage_metadata"]["total_tokens"] > 0


LONG_REPLY = "嗯，这个情况我大概了解了。我们这边现在也在看几家供应商，说实话每家讲得都差不多，我更关心落地以后能不能真的用起来。"


def _astream_pieces(model, message="hi") -> list[str]:
    return _in_a_fresh_thread(_collected_text(model.astream(message)))


async def _collected_text(stream) -> list[str]:
    return [chunk.content async for chunk in stream]


def test_a_burst_of_deltas_reaches_langchain_merged_and_whole(llm_settings, fake_llm):
    """Deltas that queue up while LangChain is busy go over together: fewer chunks, never a character lost."""
    fake_llm.chunk_chars = 1
    model = build_chat_model(llm_settings)

    async def replies(times: int) -> list[list[str]]:  # one event loop: the model's connections belong to it
        return [[chunk.content async for chunk in model.astream("hi")] for _ in range(times)]

    fake_llm.queue(*[LONG_REPLY] * 30)
    every_reply = _in_a_fresh_thread(replies(30))  # the reader and LangChain interleave differently each time
    assert all("".join(pieces) == LONG_REPLY for pieces in every_reply)
    assert sum(len([piece for piece in pieces if piece]) for pieces in every_reply) < 30 * len(LONG_REPLY)


def test_deltas_at_a_models_pace_go_on_one_by_one(llm_settings, fake_llm):
    """Merging never holds text back: a delta that arrives alone is handed over alone."""
    fake_llm.chunk_chars, fake_llm.chunk_delay_s = 4, 0.02
    fake_llm.queue(LONG_REPLY)
    pieces = [piece for piece in _astream_pieces(build_chat_model(llm_settings)) if piece]
    assert "".join(pieces) == LONG_REPLY
    assert len(pieces) >= len(LONG_REPLY) // 4 - 2


def test_an_async_stream_cut_midway_keeps_the_text_before_the_cut(llm_settings, fake_llm):
    fake_llm.queue(Action(text=LONG_REPLY, fault="drop"))
    received: list[str] = []

    async def read() -> None:
        async for chunk in build_chat_model(llm_settings).astream("hi"):
            received.append(chunk.content)

    with pytest.raises((httpx.HTTPError, openai.APIError)):
        _in_a_fresh_thread(read())
    assert "".join(received) and LONG_REPLY.startswith("".join(received))


def test_a_consumer_that_stops_early_leaves_no_reader_behind(llm_settings, fake_llm):
    fake_llm.chunk_delay_s = 0.01
    fake_llm.queue(LONG_REPLY)

    async def first_piece_then_stop() -> set:
        stream = build_chat_model(llm_settings).astream("hi")
        async for _chunk in stream:
            break
        await stream.aclose()
        await asyncio.sleep(0.05)
        return {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}

    assert _in_a_fresh_thread(first_piece_then_stop()) == set()


def _delta(content=None, *, role=None, reply_id="r1", index=0, finish=None, **extra) -> dict:
    delta = {"content": content} | ({"role": role} if role else {}) | extra
    return {"id": reply_id, "choices": [{"index": index, "delta": delta, "finish_reason": finish, "logprobs": None}]}


def test_only_plain_text_deltas_of_one_reply_merge():
    tool_call = _delta(None, tool_calls=[{"index": 0, "function": {"arguments": "{"}}])
    finish = _delta("", finish="stop")
    usage = {"id": "r1", "choices": [], "usage": {"total_tokens": 9}}
    chunks = [_delta("", role="assistant"), _delta("你"), _delta("好"), tool_call, _delta("，"), _delta("请", reply_id="r2"),
              _delta("说", reply_id="r2"), _delta("。", index=1), _delta("再", role="assistant"), finish, usage]
    merged = list(merged_text_deltas(chunks))
    contents = [chunk["choices"][0]["delta"].get("content") if chunk["choices"] else None for chunk in merged]
    assert contents == ["你好", None, "，", "请说", "。", "再", "", None]
    assert merged[0]["choices"][0]["delta"]["role"] == "assistant"
    assert merged[1] is tool_call and merged[-2] is finish and merged[-1] is usage


def test_429_and_500_are_retried_then_succeed(llm_settings, fake_llm):
    fake_llm.queue(Action(fault="429"), Action(fault="500"), "第三次成功")
    assert build_chat_model(llm_settings).invoke("hi").content == "第三次成功"
    assert len(fake_llm.requests) == 3


def test_retries_are_bounded(llm_settings, fake_llm):
    fake_llm.queue(*[Action(fault="500")] * 5)
    with pytest.raises(openai.InternalServerError):
        build_chat_model(llm_settings).invoke("hi")
    assert len(fake_llm.requests) == llm_settings.llm_max_retries + 1


def test_timeout_is_enforced(make_settings, fake_llm):
    settings = make_settings(llm_provider="openai", openai_base_url=fake_llm.base_url, llm_timeout_s=0.5,
                             llm_max_retries=0)
    fake_llm.queue(Action(fault="timeout"))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        build_chat_model(settings).invoke("hi")
    assert time.monotonic() - started < 3


def test_dropped_stream_raises_after_partial_text(llm_settings, fake_llm):
    fake_llm.queue(Action(text="这是一段会在中途断掉的很长很长的回答内容。", fault="drop"))
    received = []
    with pytest.raises((httpx.HTTPError, openai.APIError)):
        for chunk in build_chat_model(llm_settings).stream("hi"):
            received.append(chunk.content)
    assert "".join(received), "some text arrived before the drop"


def test_prompts_are_files_rendered_strictly():
    names = prompt_names()
    assert names, "prompts/ holds the prompt templates"
    with pytest.raises(Exception):
        render_prompt(names[0])  # required variables missing: StrictUndefined refuses to render blanks
