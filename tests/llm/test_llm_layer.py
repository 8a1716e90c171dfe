"""The chat-model factory and prompt files, exercised against the loopback OpenAI-compatible server."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import BaseModel

from app.llm.calls import agenerate, astream_text, generate, stream_text, structured
from app.llm.factory import build_chat_model
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
    result = structured(build_chat_model(llm_settings), "spin", Verdict, CONVERSATION, {"label": "S", "confidence": 1})
    assert result == Verdict(label="I", confidence=0.8)
    assert fake_llm.requests[-1]["response_format"] == {"type": "json_object"}


CONVERSATION = [
    SystemMessage("你是制造企业的采购经理。"),
    HumanMessage("你好"),
    AIMessage("您好，请说。"),
    HumanMessage("你们现在的系统用了多久？"),
]


def _in_a_fresh_thread(coroutine):
    with ThreadPoolExecutor(max_workers=1) as thread:  # asyncio.run needs a thread without a running loop
        return thread.submit(asyncio.run, coroutine).result()


async def _collected(stream) -> list:
    return [chunk async for chunk in stream]


LONG_REPLY = (
    "嗯，这个情况我大概了解了。我们这边现在也在看几家供应商，说实话每家讲得都差不多，我更关心落地以后能不能真的用起来。"
)


def _async_text(model, message="hi") -> str:
    return _in_a_fresh_thread(agenerate(model, "buyer", [HumanMessage(message)])).text


async def _collected_text(stream) -> list[str]:
    return [piece async for piece in stream]


def test_deltas_at_a_models_pace_go_on_one_by_one(llm_settings, fake_llm):
    fake_llm.chunk_chars, fake_llm.chunk_delay_s = 4, 0.02
    fake_llm.queue(LONG_REPLY)
    model = build_chat_model(llm_settings)
    pieces = _in_a_fresh_thread(_collected_text(astream_text(model, "buyer", [HumanMessage("hi")])))
    assert "".join(pieces) == LONG_REPLY
    assert len(pieces) >= len(LONG_REPLY) // 4 - 2


def test_an_async_stream_cut_midway_keeps_the_text_before_the_cut(llm_settings, fake_llm):
    fake_llm.queue(Action(text=LONG_REPLY, fault="drop"))
    received: list[str] = []

    async def read() -> None:
        async for piece in astream_text(build_chat_model(llm_settings), "buyer", [HumanMessage("hi")]):
            received.append(piece)

    with pytest.raises((httpx.HTTPError, openai.APIError)):
        _in_a_fresh_thread(read())
    assert "".join(received) and LONG_REPLY.startswith("".join(received))


def test_a_consumer_that_stops_early_leaves_no_reader_behind(llm_settings, fake_llm):
    fake_llm.chunk_delay_s = 0.01
    fake_llm.queue(LONG_REPLY)

    async def first_piece_then_stop() -> set:
        stream = astream_text(build_chat_model(llm_settings), "buyer", [HumanMessage("hi")])
        async for _chunk in stream:
            break
        await stream.aclose()
        await asyncio.sleep(0.05)
        return {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}

    assert _in_a_fresh_thread(first_piece_then_stop()) == set()


def test_429_and_500_are_retried_then_succeed(llm_settings, fake_llm):
    fake_llm.queue(Action(fault="429"), Action(fault="500"), "第三次成功")
    assert generate(build_chat_model(llm_settings), "buyer", [HumanMessage("hi")]).text == "第三次成功"
    fake_llm.queue(Action(fault="500"), "异步也一样")
    assert _async_text(build_chat_model(llm_settings)) == "异步也一样"
    assert len(fake_llm.requests) == 5


def test_retries_are_bounded(llm_settings, fake_llm):
    fake_llm.queue(*[Action(fault="500")] * 5)
    with pytest.raises(openai.InternalServerError):
        generate(build_chat_model(llm_settings), "buyer", [HumanMessage("hi")])
    assert len(fake_llm.requests) == llm_settings.llm_max_retries + 1


def test_timeout_is_enforced(make_settings, fake_llm):
    settings = make_settings(
        llm_provider="openai", openai_base_url=fake_llm.base_url, llm_timeout_s=0.5, llm_max_retries=0
    )
    fake_llm.queue(Action(fault="timeout"), "不该被请求")
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        generate(build_chat_model(settings.model_copy(update={"llm_max_retries": 2})), "buyer", [HumanMessage("hi")])
    assert time.monotonic() - started < 3
    assert len(fake_llm.requests) == 1, "a timed-out generation is never sent again"


def test_dropped_stream_raises_after_partial_text(llm_settings, fake_llm):
    fake_llm.queue(Action(text="这是一段会在中途断掉的很长很长的回答内容。", fault="drop"))
    received = []
    with pytest.raises((httpx.HTTPError, openai.APIError)):
        for piece in stream_text(build_chat_model(llm_settings), "buyer", [HumanMessage("hi")]):
            received.append(piece)
    assert "".join(received), "some text arrived before the drop"


def test_prompts_are_files_rendered_strictly():
    names = prompt_names()
    assert names, "prompts/ holds the prompt templates"
    with pytest.raises(Exception):
        render_prompt(names[0])  # required variables missing: StrictUndefined refuses to render blanks
