"""A real OpenAI-compatible HTTP server on loopback for tests: scripted replies, streaming, JSON output, faults.

The app's real client code (ChatOpenAI → openai → httpx) talks to it over TCP, so retries, timeouts and
stream handling are exercised for real. Tests queue actions; when the queue is empty a default responder
answers. Faults: "429", "500", "timeout" (sleeps past the client's timeout), "drop" (stream cut mid-way).
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


@dataclass
class Action:
    text: str | None = None  # a plain reply
    json: Any = None  # structured output: sent as the message content, JSON-encoded
    fault: str | None = None  # "429" | "500" | "timeout" | "drop"
    delay_s: float = 0.0


Responder = Callable[[dict], Action]
FAULT_KINDS = ("429", "500", "timeout", "drop")


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


def _completion(body: dict, content: str) -> dict:
    return {
        "id": f"chatcmpl-{int(time.time() * 1000)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": reported_usage(body, content),
    }


def reported_usage(body: dict, content: str) -> dict:
    """Token counts of about the size a real model reports: one token for two characters."""
    prompt = max(1, sum(len(str(message.get("content") or "")) for message in body.get("messages", [])) // 2)
    completion = max(1, len(content) // 2)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _chunk(body: dict, delta: dict, finish: str | None = None) -> str:
    payload = {
        "id": "chatcmpl-stream", "object": "chat.completion.chunk", "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _usage_chunk(body: dict, usage: dict) -> dict:
    return {"id": "chatcmpl-stream", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body.get("model", "fake"), "choices": [], "usage": usage}


def _pieces(text: str, size: int = 4) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def build_app(fake: FakeLLM) -> Starlette:
    async def chat(request: Request):
        body = await request.json()
        fake.request_headers.append(dict(request.headers))
        action = fake.next_action(body)
        delay = action.delay_s + fake.latency_s
        if delay:
            await asyncio.sleep(delay)
        if action.fault == "429":
            return JSONResponse({"error": {"message": "rate limited", "type": "rate_limit_error"}},
                                status_code=429, headers={"retry-after-ms": "10"})
        if action.fault == "500":
            return JSONResponse({"error": {"message": "server error", "type": "server_error"}}, status_code=500)
        if action.fault == "timeout":
            await asyncio.sleep(fake.timeout_sleep_s)
        content = json.dumps(action.json, ensure_ascii=False) if action.json is not None else (action.text or "")
        if not body.get("stream"):
            if action.fault == "drop":  # the server closes half-way through the body
                whole = json.dumps(_completion(body, content)).encode()

                async def half_then_close():
                    yield whole[:len(whole) // 2]
                    raise ConnectionError("injected dropped response")

                return StreamingResponse(half_then_close(), media_type="application/json")
            return JSONResponse(_completion(body, content))

        async def events():
            yield _chunk(body, {"role": "assistant", "content": ""})
            pieces = _pieces(content, fake.chunk_chars)
            for index, piece in enumerate(pieces):
                if action.fault == "drop" and index >= max(1, len(pieces) // 2):
                    raise ConnectionError("injected dropped stream")  # the server closes mid-body
                yield _chunk(body, {"content": piece})
                await asyncio.sleep(fake.chunk_delay_s)
            yield _chunk(body, {}, finish="stop")
            if (body.get("stream_options") or {}).get("include_usage"):  # as OpenAI does: a last chunk, no choices
                yield f"data: {json.dumps(_usage_chunk(body, reported_usage(body, content)))}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    async def embeddings(request: Request):
        body = await request.json()
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = []
        for index, text in enumerate(inputs):
            digest = hashlib.sha256(str(text).encode()).digest()
            data.append({"object": "embedding", "index": index, "embedding": [b / 255 for b in digest[:16]]})
        return JSONResponse({"object": "list", "data": data, "model": body.get("model", "fake"),
                             "usage": {"prompt_tokens": 1, "total_tokens": 1}})

    async def models(_request: Request):
        return JSONResponse({"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "tests"}]})

    return Starlette(routes=[
        Route("/v1/chat/completions", chat, methods=["POST"]),
        Route("/v1/embeddings", embeddings, methods=["POST"]),
        Route("/v1/models", models),
    ])


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
