"""Asking the playbook in tests: the six steps of 摧龙六式, SSE events of a streamed answer, the golden questions."""

from __future__ import annotations

import json
from pathlib import Path

SIX_STEPS = ["客户分析", "建立信任", "挖掘需求", "呈现价值", "赢取承诺", "跟进服务"]


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
