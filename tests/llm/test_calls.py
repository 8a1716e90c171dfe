"""The call layer (app.llm.calls, app.llm.reasoning) and the LLM settings, against the loopback model server."""

from __future__ import annotations

import time

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import BaseModel

from app.config import SettingsError, get_settings
from app.llm.calls import ModelDeadline, alternating, capped, first_json_object, generate, structured
from app.llm.factory import build_chat_model
from app.llm.reasoning import ReasoningFilter, strip_reasoning
from tests.utils.fake_llm import Action

HI = [SystemMessage("你是客户。"), HumanMessage("hi")]


class Verdict(BaseModel):
    label: str
    confidence: float


@pytest.mark.parametrize(
    "text, answer",
    [
        ("<think>想一想：预算是200万</think>\n\n好的。", "好的。"),
        ("  <THINK>\n想\n</think>好的。", "好的。"),
        ("<think>还没想完，就被截断了", ""),
        ("想了很久。</think>\n好的。", "好的。"),  # the template opened the block in the prompt
        ("好的，<think> 不在开头的不算。", "好的，<think> 不在开头的不算。"),
    ],
)
def test_reasoning_is_stripped_closed_unterminated_or_opened_by_the_template(text, answer):
    assert strip_reasoning(text) == answer


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_a_stream_holds_text_back_until_the_think_block_closes(size):
    text = "<think>\n预算是200万，先别说。\n</think>\n\n您好，我们先聊聊现状。"
    reasoning = ReasoningFilter()
    shown = []
    for start in range(0, len(text), size):
        shown.append(reasoning.feed(text[start : start + size]))
        assert "预算" not in "".join(shown)
    shown.append(reasoning.finish())
    assert "".join(shown) == "您好，我们先聊聊现状。"
    unterminated = ReasoningFilter()
    assert unterminated.feed("<thi") == "" and unterminated.feed("nk>还在想") == "" and unterminated.finish() == ""
    plain = ReasoningFilter()
    assert plain.feed("<") == "" and plain.feed("b>不是思考") == "<b>不是思考"


def test_messages_start_with_the_user_and_alternate():
    messages = alternating(
        [
            SystemMessage("规则"),
            AIMessage("您好，我是刘经理。"),
            HumanMessage("刘经理好"),
            HumanMessage("我们想了解一下"),
            AIMessage("请说。"),
        ],
        "（销售代表进门）",
    )
    assert [type(m).__name__ for m in messages] == [
        "SystemMessage",
        "HumanMessage",
        "AIMessage",
        "HumanMessage",
        "AIMessage",
    ]
    assert messages[1].content == "（销售代表进门）" and messages[3].content == "刘经理好\n我们想了解一下"
    assert capped("一" * 700, 600) == "一" * 600 + "…" and capped("短", 600) == "短"


def test_first_json_object_ignores_fences_words_and_rambling():
    assert first_json_object('好的：```json\n{"label": "S", "confidence": 1}\n``` 然后，然后，') == {
        "label": "S",
        "confidence": 1,
    }
    with pytest.raises(ValueError):
        first_json_object("没有 JSON")


def test_settings_reach_the_wire(make_settings, fake_llm):
    settings = make_settings(
        llm_provider="openai",
        openai_base_url=fake_llm.base_url,
        llm_temperature=1.0,
        llm_max_tokens={"buyer": 77},
        llm_extra_body={"enable_thinking": False},
        llm_stream_usage=False,
        llm_max_tokens_field="max_completion_tokens",
    )
    generate(build_chat_model(settings), "buyer", HI)
    body = fake_llm.requests[-1]
    assert (body["temperature"], body["max_completion_tokens"], body["enable_thinking"]) == (1.0, 77, False)
    assert "max_tokens" not in body and "stream_options" not in body


def test_a_reply_cut_by_the_cap_is_reported(llm_settings, fake_llm):
    fake_llm.queue("很长" * 500)
    outcome = generate(build_chat_model(llm_settings), "probe", HI)
    assert outcome.cut and len(outcome.text) == 2 * 150


def test_invalid_json_is_repaired_once_then_given_up(llm_settings, fake_llm):
    model = build_chat_model(llm_settings)
    fake_llm.queue(Action(text="<think>嗯</think>标签是 S"), Action(json={"label": "S", "confidence": 0.9}))
    assert structured(model, "spin", Verdict, HI, {"label": "P", "confidence": 0.8}) == Verdict(
        label="S", confidence=0.9
    )
    system = fake_llm.requests[0]["messages"][0]["content"]
    assert "JSON" in system and '{"label": "P", "confidence": 0.8}' in system, "JSON mode needs both"
    assert fake_llm.requests[1]["messages"][-2] == {"role": "assistant", "content": "标签是 S"}
    fake_llm.queue(Action(json={"label": "S"}), Action(json={"confidence": 2}), "不该被请求")
    with pytest.raises(ValueError):
        structured(model, "spin", Verdict, HI, {"label": "P", "confidence": 0.8})
    assert len(fake_llm.requests) == 4


@pytest.mark.parametrize("mode, field", [("json_schema", "response_format"), ("function_calling", "tools")])
def test_json_schema_and_tool_calling_only_when_a_setting_says_so(make_settings, fake_llm, mode, field):
    settings = make_settings(llm_provider="openai", openai_base_url=fake_llm.base_url, llm_structured_output=mode)
    fake_llm.queue(Action(json={"label": "S", "confidence": 0.9}))
    try:
        structured(build_chat_model(settings), "spin", Verdict, HI, {"label": "P", "confidence": 0.8})
    except ValueError:
        pass  # the loopback server answers tool calls with text: only the request matters here
    body = fake_llm.requests[0]
    assert field in body and (mode != "json_schema" or body["response_format"]["type"] == "json_schema")


def test_the_deadline_ends_a_steady_but_endless_answer(make_settings, fake_llm):
    settings = make_settings(
        llm_provider="openai", openai_base_url=fake_llm.base_url, llm_deadline_s=0.5, llm_timeout_s=5
    )
    fake_llm.chunk_chars, fake_llm.chunk_delay_s = 1, 0.05  # a token every 50 ms: never idle, never done
    fake_llm.queue("说" * 200)
    model = build_chat_model(settings)
    started = time.monotonic()
    with pytest.raises(ModelDeadline):
        generate(model, "buyer", HI)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("LLM_EXTRA_BODY", '{"enable_thinking": false', "LLM_EXTRA_BODY: Value error, not valid JSON"),
        ("LLM_EXTRA_BODY", "[1]", "LLM_EXTRA_BODY: Value error, must be a JSON object"),
        ("LLM_MAX_TOKENS", '{"buyr": 3}', "LLM_MAX_TOKENS: Value error, unknown call kind 'buyr'"),
        ("LLM_MAX_TOKENS", "0", "LLM_MAX_TOKENS: Value error, must be at least 1"),
        ("LLM_TEMPERATURE", "hot", "LLM_TEMPERATURE"),
        ("EMBEDDINGS_BATCH", "0", "EMBEDDINGS_BATCH"),
        ("LLM_STRUCTURED_OUTPUT", "xml", "LLM_STRUCTURED_OUTPUT"),
    ],
)
def test_bad_llm_settings_stop_start_up_with_one_line(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError) as stopped:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert message in str(stopped.value) and "\n" not in str(stopped.value)


def test_empty_temperature_and_caps_mean_the_defaults(monkeypatch):
    monkeypatch.setenv("LLM_TEMPERATURE", "")
    monkeypatch.setenv("LLM_MAX_TOKENS", "250")
    get_settings.cache_clear()
    try:
        settings = get_settings()
    finally:
        get_settings.cache_clear()
    assert settings.llm_temperature is None
    assert settings.max_tokens_for("buyer") == settings.max_tokens_for("ask") == 250
    assert settings.max_tokens_for("health") == 1
