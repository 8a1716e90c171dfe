"""Every LLM feature against each provider profile of the loopback server, with that provider's documented settings.

The profiles (tests/utils/fake_llm.py, PROFILES) reproduce what the providers document or what their users
reported, with the providers' own error messages:
- DeepSeek: response_format json_schema answers 400 "This response_format type is unavailable now"
  (llm-exe/llm-exe#662, UKGovernmentBEIS/inspect_ai#4916, langchain-ai/langchain#29282); json_object needs the
  word "json" in the prompt (browserbase/stagehand#1204); the cap is `max_tokens` (DeepSeek's API reference,
  "Create Chat Completion"); thinking models stream `reasoning_content` apart from the content (DeepSeek's guide
  "Reasoning Model"); deepseek-chat / deepseek-reasoner were retired on 2026-07-24 for deepseek-v4-flash /
  deepseek-v4-pro (mozilla-ai/any-llm#1172, BerriAI/litellm#28789).
- DashScope, open-source Qwen3 in compatible mode: thinking on by default, and then a call that does not stream
  answers 400 "parameter.enable_thinking must be set to false for non-streaming calls" (langchain4j#3974,
  coze-dev/coze-studio#324); `extra_body={"enable_thinking": False}` turns it off (Mintplex-Labs/anything-llm#3933);
  embeddings accept at most 10 inputs a request: "batch size is invalid, it should not be larger than 10"
  (memodb-io/memobase#142, garrytan/gbrain#1199).
- Kimi k2.5 and later: "invalid temperature: only 1 is allowed for this model" for any other temperature
  (opencyvis/opencyvis-phone#12, countbot-ai/CountBot#61; Moonshot recommends leaving it out, HKUDS/nanobot#4967).
- Inline <think>: Qwen3 / DeepSeek-R1 served without a reasoning parser write the thinking into the content
  (PrimeIntellect-ai/verifiers#538).
- Strict role alternation: Mistral and Llama-2 chat templates raise "Conversation roles must alternate
  user/assistant/user/assistant/..." when the first turn after the system prompt is not the user's.
- A model that never stops: llama.cpp's server generates until n_predict (unbounded by default) when the model
  emits no end token; only `max_tokens` stops it.

The matrix asserts every answer came from the model: no feature fell back to its offline engine on the quiet.
Langchain-openai 1.x sends ChatOpenAI(max_tokens=…) as `max_completion_tokens` (its `_get_request_payload`),
which DeepSeek, DashScope and llama.cpp do not read: the cap goes in LLM_MAX_TOKENS_FIELD, `max_tokens` by default.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi.testclient import TestClient

from app.knowledge.embeddings import FusedIndex, knowledge_index
from app.main import create_app
from app.models import Role
from tests.utils.ask import MODEL_ANSWER, model_reply, open_stream
from tests.utils.factories import auth_headers, make_user
from tests.utils.fake_llm import PROFILES, THINKING, Action
from tests.utils.flows import LLM_PROBE, thin_answer_reply
from tests.utils.roleplays import HIDDEN, SITUATION_QUESTION, WORDED, start
from tests.utils.roleplays import VITAMIN_SCENARIO as SCENARIO
from tests.utils.sse import read_sse

# The settings each provider's documentation asks for (README, "Model providers"); nothing else differs.
DOCUMENTED_SETTINGS: dict[str, dict] = {
    "default": {},
    "deepseek": {},  # thinking on (the default) is fine: reasoning_content is never read
    "dashscope_qwen3": {"llm_extra_body": {"enable_thinking": False}, "embeddings_batch": 10},
    "kimi": {"llm_temperature": None},
    "inline_think": {},
    "strict_roles": {},
    "endless": {},  # the default caps (LLM_MAX_TOKENS) in max_tokens stop it
}
FEATURES = ["roleplay_json", "roleplay_stream", "spin", "ask", "ask_stream", "probe", "embeddings"]
SPIN_QUESTION = "如果库存能实时准确，对您有什么帮助？"


@pytest.fixture
def provider(request, make_settings, engine, fake_llm):
    name = request.param
    fake_llm.profile = PROFILES[name]
    # A thought that names a hidden fact: the leak guard must never see it, nor the rep.
    fake_llm.thinking_text = THINKING + "不能直接说：" + HIDDEN
    settings = make_settings(
        llm_provider="openai",
        openai_base_url=fake_llm.base_url,
        openai_api_key="test-key",
        llm_model=f"model-{name}",
        llm_timeout_s=2.0,
        llm_max_retries=0,
        embeddings_model=f"embeddings-{name}",
        **DOCUMENTED_SETTINGS[name],
    )
    with TestClient(create_app(settings, engine)) as client:
        yield name, client, settings


def _headers(client, session):
    return auth_headers(client, make_user(session, Role.rep, team="A组"))


def _check_roleplay_json(client, session, fake_llm, name):
    fake_llm.queue(WORDED)
    roleplay_id = start(client, (headers := _headers(client, session)), SCENARIO.id)["id"]
    body = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": SITUATION_QUESTION}, headers=headers).json()
    _assert_buyer(body["reply"], body["reply_status"], body["feedback"], name)


def _check_roleplay_stream(client, session, fake_llm, name):
    fake_llm.queue(WORDED)
    headers = _headers(client, session)
    roleplay_id = start(client, headers, SCENARIO.id)["id"]
    accepted = client.post(
        f"/api/roleplays/{roleplay_id}/messages", json={"text": SITUATION_QUESTION}, headers=headers
    ).json()
    events = read_sse(client.get(accepted["stream_url"], headers=headers).text)
    done = events[-1][1]
    feedback = next(data for event, data in events if event == "feedback")
    assert "".join(data["text"] for event, data in events if event == "token") == done["reply"]
    _assert_buyer(done["reply"], done["reply_status"], feedback, name)


def _assert_buyer(reply, status, feedback, name):
    assert feedback["reply_source"] == "llm", feedback
    assert reply.startswith(WORDED[:20]) and "<think>" not in reply and "不能直接说" not in reply
    # The model that never stops is cut by the cap: kept, and marked partial.
    assert status == ("partial" if name == "endless" else "complete")


def _check_spin(client, session, fake_llm, name):
    fake_llm.queue(Action(json={"label": "N", "confidence": 0.7}))
    body = client.post("/api/coach/spin", json={"text": SPIN_QUESTION}, headers=_headers(client, session)).json()
    assert body["llm"] == {"label": "N", "confidence": 0.7}


def _check_ask(client, session, fake_llm, name):
    fake_llm.queue(model_reply())
    body = client.post("/api/ask", json={"question": "摧龙六式有哪六步？"}, headers=_headers(client, session)).json()
    assert (body["mode"], body["notice"], body["answer"]) == ("llm", None, MODEL_ANSWER)


def _check_ask_stream(client, session, fake_llm, name):
    fake_llm.queue(model_reply())
    events = open_stream(client, _headers(client, session))
    assert events[-1] == ("done", {"mode": "llm", "notice": None, "covered": True, "declined": False, "might_help": []})
    assert "".join(data["text"] for event, data in events if event == "token") == MODEL_ANSWER


def _check_probe(client, session, fake_llm, name):
    fake_llm.queue(LLM_PROBE)
    reply, _run_id, _headers_ = thin_answer_reply(client, session)
    assert reply["step"]["prompt"] == LLM_PROBE


def _check_embeddings(client, session, fake_llm, name, settings):
    # An endpoint of its own: the index built by this profile's Ask checks is cached under the shared one.
    settings = settings.model_copy(update={"embeddings_model": f"embeddings-{name}-{uuid.uuid4().hex}"})
    index = knowledge_index(settings)
    assert isinstance(index, FusedIndex), "dense retrieval built from the endpoint, not BM25 alone"
    assert fake_llm.embedding_batches and max(fake_llm.embedding_batches) <= settings.embeddings_batch


@pytest.mark.parametrize("feature", FEATURES)
@pytest.mark.parametrize("provider", list(DOCUMENTED_SETTINGS), indirect=True)
def test_every_feature_answers_from_the_model_with_the_documented_settings(provider, feature, session, fake_llm):
    name, client, settings = provider
    if feature == "embeddings":
        _check_embeddings(client, session, fake_llm, name, settings)
    else:
        globals()[f"_check_{feature}"](client, session, fake_llm, name)
    chat_requests = [body for body in fake_llm.requests]
    for body in chat_requests:
        assert body["stream"] is True, "generation always streams: a timeout means no token for N s"
        assert isinstance(body.get("max_tokens"), int), "every call is capped, in the field the provider reads"
        assert "temperature" not in body, "LLM_TEMPERATURE is empty: the provider's default"
        assert body.get("stream_options") == {"include_usage": True}
        roles = [message["role"] for message in body["messages"]]
        assert roles[0] == "system" and roles[1] == "user"


# --- the profiles bite: without the documented settings the same calls are refused ---------------------------


def _post(fake_llm, **body) -> httpx.Response:
    payload = {"model": "m", "messages": [{"role": "user", "content": "hi"}], **body}
    return httpx.post(f"{fake_llm.base_url}/chat/completions", json=payload, timeout=5)


@pytest.mark.parametrize(
    "profile, body, message",
    [
        (
            "deepseek",
            {"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}},
            "This response_format type is unavailable now",
        ),
        ("deepseek", {"response_format": {"type": "json_object"}}, "must contain the word 'json'"),
        (
            "dashscope_qwen3",
            {"stream": False},
            "parameter.enable_thinking must be set to false for non-streaming calls",
        ),
        ("kimi", {"temperature": 0.4}, "invalid temperature: only 1 is allowed for this model"),
        (
            "strict_roles",
            {
                "messages": [
                    {"role": "system", "content": "s"},
                    {"role": "assistant", "content": "您好"},
                    {"role": "user", "content": "hi"},
                ]
            },
            "Conversation roles must alternate",
        ),
    ],
)
def test_the_profiles_refuse_what_the_providers_refuse(fake_llm, profile, body, message):
    fake_llm.profile = PROFILES[profile]
    response = _post(fake_llm, **body)
    assert response.status_code == 400 and message in response.json()["error"]["message"]


def test_the_endless_model_stops_only_at_a_cap_it_reads(fake_llm):
    fake_llm.profile = PROFILES["endless"]
    fake_llm.queue("好的。", "好的。")
    capped = _post(fake_llm, max_tokens=20).json()["choices"][0]
    assert capped["finish_reason"] == "length" and len(capped["message"]["content"]) == 40
    ignored = _post(fake_llm, max_completion_tokens=20).json()["choices"][0]
    assert len(ignored["message"]["content"]) > 100_000, "a field it does not read does not stop it"


def test_dashscope_embeddings_refuse_more_than_ten_inputs(fake_llm):
    fake_llm.profile = PROFILES["dashscope_qwen3"]
    response = httpx.post(f"{fake_llm.base_url}/embeddings", json={"model": "e", "input": ["a"] * 11}, timeout=5)
    assert response.status_code == 400 and "should not be larger than 10" in response.json()["error"]["message"]


# --- GET /api/health?deep=1 -------------------------------------------------------------------------------


def test_deep_health_is_for_admins_and_makes_one_capped_call(llm_client, session, fake_llm):
    assert llm_client.get("/api/health?deep=1").status_code == 401
    rep = auth_headers(llm_client, make_user(session, Role.rep))
    assert llm_client.get("/api/health?deep=1", headers=rep).status_code == 403
    admin = auth_headers(llm_client, make_user(session, Role.admin))
    probe = llm_client.get("/api/health?deep=1", headers=admin).json()["llm"]["probe"]
    assert probe["reachable"] is True and probe["latency_ms"] >= 0 and probe["error"] is None
    assert len(fake_llm.requests) == 1 and fake_llm.requests[0]["max_tokens"] == 1
    fake_llm.responder = lambda body: Action(fault="400")
    probe = llm_client.get("/api/health?deep=1", headers=admin).json()["llm"]["probe"]
    assert probe["reachable"] is False and probe["error"].startswith("HTTP 400")
    assert "probe" not in llm_client.get("/api/health").json()["llm"], "the plain check never calls the model"
