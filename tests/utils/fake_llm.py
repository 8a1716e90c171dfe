"""A real OpenAI-compatible HTTP server on loopback for tests: scripted replies, streaming, JSON output, faults.

The app's real client code (ChatOpenAI → openai → httpx2) talks to it over TCP, so retries, timeouts and
stream handling are exercised for real. Tests queue actions; when the queue is empty a default responder
answers. Faults: "400", "429", "500", "timeout" (sleeps past the client's timeout), "drop" (stream cut mid-way).

`fake.profile` makes it behave like a real provider, with that provider's documented rules and error messages
(PROFILES; the sources are cited in tests/llm/test_providers.py). The default profile accepts everything.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route


@dataclass(frozen=True)
class Profile:
    """What one provider accepts and how it answers (every rule is off in the default profile)."""

    name: str = "default"
    response_formats: tuple[str, ...] = ("json_object", "json_schema")  # response_format types accepted
    json_word_required: bool = False  # json_object refused unless a message says "json" (DeepSeek)
    token_fields: tuple[str, ...] = ("max_tokens", "max_completion_tokens")  # the cap fields it reads
    temperature_only: float | None = None  # any other temperature is refused (Kimi k2.5 and later)
    thinking: str | None = None  # "reasoning_content" (DashScope, DeepSeek) or "inline" (<think> in the content)
    thinking_off: tuple[str, Any] | None = None  # the extra-body field and value that turn thinking off
    thinking_needs_stream: bool = False  # a call with thinking on must stream (DashScope's open-source Qwen3)
    strict_roles: bool = False  # user/assistant must alternate after the system message, user first
    endless_without_cap: bool = False  # keeps generating until a cap it reads stops it
    max_embedding_inputs: int | None = None  # per /embeddings request (DashScope: 10)


PROFILES = {
    "default": Profile(),
    "deepseek": Profile(
        "deepseek",
        response_formats=("json_object",),
        json_word_required=True,
        token_fields=("max_tokens",),
        thinking="reasoning_content",
        thinking_off=("thinking", {"type": "disabled"}),
    ),
    "dashscope_qwen3": Profile(
        "dashscope_qwen3",
        response_formats=("json_object",),
        token_fields=("max_tokens",),
        thinking="reasoning_content",
        thinking_off=("enable_thinking", False),
        thinking_needs_stream=True,
        max_embedding_inputs=10,
    ),
    "kimi": Profile("kimi", temperature_only=1.0, token_fields=("max_tokens",)),
    "inline_think": Profile("inline_think", thinking="inline", token_fields=("max_tokens",)),
    "strict_roles": Profile("strict_roles", strict_roles=True, token_fields=("max_tokens",)),
    "endless": Profile(
        "endless", response_formats=("json_object",), token_fields=("max_tokens",), endless_without_cap=True
    ),
}
THINKING = "嗯，用户在问现状。我先想想该透露什么，不该透露什么。"  # what a thinking model thinks first
ENDLESS_FILLER = "然后，"  # what a model that never stops keeps saying after its answer


def error_response(status: int, message: str, code: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}},
        status_code=status,
    )


def profile_refusal(profile: Profile, body: dict) -> JSONResponse | None:
    """The provider's documented 400 for a request it does not accept, or None."""
    response_format = (body.get("response_format") or {}).get("type")
    if response_format and response_format != "text" and response_format not in profile.response_formats:
        return error_response(400, "This response_format type is unavailable now")
    text = " ".join(str(message.get("content") or "") for message in body.get("messages", []))
    if profile.json_word_required and response_format == "json_object" and "json" not in text.lower():
        return error_response(
            400, "Prompt must contain the word 'json' in some form to use 'response_format' of type 'json_object'."
        )
    if (
        profile.temperature_only is not None
        and "temperature" in body
        and body["temperature"] != profile.temperature_only
    ):
        return error_response(400, f"invalid temperature: only {profile.temperature_only:g} is allowed for this model")
    if profile.thinking_needs_stream and thinking_on(profile, body) and not body.get("stream"):
        return error_response(
            400, "parameter.enable_thinking must be set to false for non-streaming calls", "invalid_parameter_error"
        )
    if profile.strict_roles:
        roles = [message["role"] for message in body.get("messages", []) if message["role"] != "system"]
        if any(role != ("user", "assistant")[index % 2] for index, role in enumerate(roles)):
            return error_response(400, "Conversation roles must alternate user/assistant/user/assistant/...")
    return None


def thinking_on(profile: Profile, body: dict) -> bool:
    if profile.thinking is None:
        return False
    if profile.thinking_off is None:
        return True
    key, off = profile.thinking_off
    return body.get(key) != off


def token_cap(profile: Profile, body: dict) -> int | None:
    caps = [body[name] for name in profile.token_fields if isinstance(body.get(name), int)]
    return min(caps) if caps else None


@dataclass
class Action:
    text: str | None = None  # a plain reply
    json: Any = None  # structured output: sent as the message content, JSON-encoded
    fault: str | None = None  # "429" | "500" | "timeout" | "drop"
    delay_s: float = 0.0


Responder = Callable[[dict], Action]
FAULT_KINDS = ("429", "500", "timeout", "drop")  # "400" too, on request: a refused parameter


def _default_responder(body: dict) -> Action:
    if body.get("response_format") or body.get("tools"):
        return Action(json={})
    return Action(text="好的，我明白了。")


@dataclass
class FakeLLM:
    """Handle to the running server: queue actions, inspect requests, set a random fault rate."""

    base_url: str = ""
    actions: deque[Action] = field(default_factory=deque)
    requests: list[dict] = field(default_factory=list)
    request_headers: list[dict[str, str]] = field(default_factory=list)  # lowercased names, same order as requests
    responder: Responder = _default_responder
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    timeout_sleep_s: float = 5.0
    latency_s: float = 0.0
    chunk_chars: int = 4  # characters per streamed chunk (real models stream a token, 1-3 Chinese characters)
    chunk_delay_s: float = 0.0  # pause between chunks: 0 sends them in a burst, a few ms is a model's pace
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    profile: Profile = field(default_factory=Profile)
    thinking_text: str = THINKING
    embedding_batches: list[int] = field(default_factory=list)  # inputs per /embeddings request
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def queue(self, *actions: Action | str) -> None:
        for action in actions:
            self.actions.append(Action(text=action) if isinstance(action, str) else action)

    def reset(self) -> None:
        self.actions.clear()
        self.requests.clear()
        self.request_headers.clear()
        self.responder = _default_responder
        self.fault_rate = 0.0
        self.fault_kinds = FAULT_KINDS
        self.latency_s = 0.0
        self.chunk_chars = 4
        self.chunk_delay_s = 0.0
        self.rng = random.Random(7)
        self.profile = Profile()
        self.thinking_text = THINKING
        self.embedding_batches.clear()

    def next_action(self, body: dict) -> Action:
        fault = None
        with self._lock:
            self.requests.append(body)
            if self.actions:
                return self.actions.popleft()
            if self.fault_rate and self.rng.random() < self.fault_rate:
                fault = self.rng.choice(self.fault_kinds)
        # A random fault carries the responder's reply, so a "drop" cuts real text mid-stream.
        return replace(self.responder(body), fault=fault) if fault else self.responder(body)


def llm_mode(
    fake: FakeLLM, timeout_s: float = 5.0, retries: int = 0, api_key: str = "k", **extra: object
) -> dict[str, object]:
    """Settings for LLM mode against the loopback model `fake` (pass them to make_settings), plus `extra`."""
    return {
        "llm_provider": "openai",
        "openai_base_url": fake.base_url,
        "openai_api_key": api_key,
        "llm_model": "fake-model",
        "llm_timeout_s": timeout_s,
        "llm_max_retries": retries,
        **extra,
    }


def _completion(body: dict, content: str, finish: str = "stop") -> dict:
    return {
        "id": f"chatcmpl-{int(time.time() * 1000)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
                "logprobs": None,
            }
        ],
        "usage": reported_usage(body, content),
    }


def reported_usage(body: dict, content: str) -> dict:
    """Token counts of about the size a real model reports: one token for two characters."""
    prompt = max(1, sum(len(str(message.get("content") or "")) for message in body.get("messages", [])) // 2)
    completion = max(1, len(content) // 2)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _chunk(body: dict, delta: dict, finish: str | None = None) -> str:
    payload = {
        "id": "chatcmpl-stream",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _usage_chunk(body: dict, usage: dict) -> dict:
    return {
        "id": "chatcmpl-stream",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [],
        "usage": usage,
    }


def _pieces(text: str, size: int = 4) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def build_app(fake: FakeLLM) -> Starlette:
    async def chat(request: Request):
        body = await request.json()
        fake.request_headers.append(dict(request.headers))
        action = fake.next_action(body)
        delay = action.delay_s + fake.latency_s
        if delay:
            await asyncio.sleep(delay)
        if action.fault == "429":
            return JSONResponse(
                {"error": {"message": "rate limited", "type": "rate_limit_error"}},
                status_code=429,
                headers={"retry-after-ms": "10"},
            )
        if action.fault == "400":
            return error_response(400, "invalid request from the test server")
        if action.fault == "500":
            return JSONResponse({"error": {"message": "server error", "type": "server_error"}}, status_code=500)
        if action.fault == "timeout":
            await asyncio.sleep(fake.timeout_sleep_s)
        refusal = profile_refusal(fake.profile, body)
        if refusal is not None:
            return refusal
        content = json.dumps(action.json, ensure_ascii=False) if action.json is not None else (action.text or "")
        profile = fake.profile
        reasoning = fake.thinking_text if thinking_on(profile, body) and profile.thinking == "reasoning_content" else ""
        if thinking_on(profile, body) and profile.thinking == "inline":
            content = f"<think>\n{fake.thinking_text}\n</think>\n\n{content}"
        cap = token_cap(profile, body)
        if profile.endless_without_cap:
            content += ENDLESS_FILLER * 100_000  # a model that never says it is done: only a cap stops it
        finish = "stop"
        if cap is not None and len(content) > 2 * cap:  # about two characters a token, as reported_usage counts
            content, finish = content[: 2 * cap], "length"
        if not body.get("stream"):
            if action.fault == "drop":  # the server closes half-way through the body
                whole = json.dumps(_completion(body, content)).encode()

                async def half_then_close():
                    yield whole[: len(whole) // 2]
                    raise ConnectionError("injected dropped response")

                return StreamingResponse(half_then_close(), media_type="application/json")
            return JSONResponse(_completion(body, content, finish))

        async def events():
            yield _chunk(body, {"role": "assistant", "content": ""})
            for piece in _pieces(reasoning, fake.chunk_chars) if reasoning else []:  # thinking, apart, first
                yield _chunk(body, {"content": None, "reasoning_content": piece})
            pieces = _pieces(content, fake.chunk_chars)
            for index, piece in enumerate(pieces):
                if action.fault == "drop" and index >= max(1, len(pieces) // 2):
                    raise ConnectionError("injected dropped stream")  # the server closes mid-body
                yield _chunk(body, {"content": piece})
                await asyncio.sleep(fake.chunk_delay_s)
            yield _chunk(body, {}, finish=finish)
            if (body.get("stream_options") or {}).get("include_usage"):  # as OpenAI does: a last chunk, no choices
                yield f"data: {json.dumps(_usage_chunk(body, reported_usage(body, content)))}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    async def embeddings(request: Request):
        body = await request.json()
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        fake.embedding_batches.append(len(inputs))
        limit = fake.profile.max_embedding_inputs
        if limit is not None and len(inputs) > limit:
            return error_response(
                400,
                "<400> InternalError.Algo.InvalidParameter: Value error, batch size is "
                f"invalid, it should not be larger than {limit}.: input.contents",
                "InvalidParameter",
            )
        data = []
        for index, text in enumerate(inputs):
            digest = hashlib.sha256(str(text).encode()).digest()
            data.append({"object": "embedding", "index": index, "embedding": [b / 255 for b in digest[:16]]})
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": body.get("model", "fake"),
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        )

    async def models(_request: Request):
        return JSONResponse({"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "tests"}]})

    return Starlette(
        routes=[
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/v1/embeddings", embeddings, methods=["POST"]),
            Route("/v1/models", models),
        ]
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerThread:
    """Runs an ASGI app under uvicorn in a background thread on 127.0.0.1."""

    def __init__(self, app, port: int | None = None) -> None:
        self.port = port or free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_fake_llm() -> tuple[FakeLLM, ServerThread]:
    fake = FakeLLM()
    server = ServerThread(build_app(fake)).start()
    fake.base_url = f"{server.url}/v1"
    return fake, server
