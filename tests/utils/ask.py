"""Asking the playbook in tests: the six steps of 摧龙六式, SSE events of a streamed answer, the golden questions."""

from __future__ import annotations

import json
from pathlib import Path

from app.config import Settings
from app.knowledge.service import ask_playbook
from app.knowledge.tokenize import mostly_chinese
from tests.utils.fake_llm import Action

SIX_STEPS = ["客户分析", "建立信任", "挖掘需求", "呈现价值", "赢取承诺", "跟进服务"]
# What the loopback model answers in the LLM-mode Ask tests.
QUESTION = "摧龙六式有哪六步？"
MODEL_ANSWER = (
    "摧龙六式分六步：客户分析、建立信任、挖掘需求、呈现价值、赢取承诺、跟进服务。每一步都有开始和结束的标志。"
)


def sse_events(body: str) -> list[tuple[str, object]]:
    """(event name, decoded JSON data) for each event of an SSE body, in order."""
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def streamed_answer(events: list[tuple[str, object]]) -> str:
    return "".join(data["text"] for name, data in events if name == "token")


def load_golden() -> list[dict]:
    with GOLDEN_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


GOLDEN_PATH = Path(__file__).resolve().parents[1] / "eval" / "ask_golden.jsonl"


def model_reply(answer: str = MODEL_ANSWER, cited_ids=("dragon-steps-overview",), covered: bool = True) -> Action:
    return Action(json={"answer": answer, "cited_ids": list(cited_ids), "covered": covered})


def open_stream(client, headers, question=QUESTION) -> list[tuple[str, object]]:
    stream_url = client.post("/api/asks", json={"question": question}, headers=headers).json()["stream_url"]
    response = client.get(stream_url, headers=headers)
    assert response.status_code == 200
    return sse_events(response.text)


def opening(answer: str) -> str:
    """The lead sentence; for a reference passage, its first point after the header ("根据销售手册（…）：") with
    the items indented under it."""
    lines = [line for line in answer.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].rstrip().endswith(("：", ":")):
        first = [lines[1]]
        for line in lines[2:]:
            if not line.startswith((" ", "\t")):
                break
            first.append(line)
        return "\n".join(first)
    return lines[0] if lines else ""


def assert_answered_in_english_from(question: str, passages: set[str]) -> None:
    """An English question on a topic with English passages is answered in English, first citing one of `passages`."""
    result = ask_playbook(question, Settings(), None)
    assert result.covered and not result.declined, (question, result.answer)
    assert result.citations[0].id in passages, (question, [citation.id for citation in result.citations])
    assert not mostly_chinese(result.answer), result.answer


def assert_cites_only_chinese_passages(question: str) -> None:
    """A Chinese question is answered without citing any English passage (an "-en" id)."""
    result = ask_playbook(question, Settings(), None)
    assert result.covered, (question, result.answer)
    assert not any(citation.id.endswith("-en") for citation in result.citations), [c.id for c in result.citations]
