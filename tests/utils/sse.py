"""Reading text/event-stream bodies in tests and benchmarks."""

import json


def read_sse(body: str) -> list[tuple[str, dict]]:
    """(event, data) pairs from a text/event-stream body (comment lines and events without a name skipped)."""
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            events.append((fields["event"], json.loads(fields.get("data", "null"))))
    return events


def sse_blocks(body: str) -> dict[str, str]:
    """Raw HTML data per event name (the web stream sends fragments, not JSON)."""
    events: dict[str, str] = {}
    for block in body.strip().split("\n\n"):
        lines = block.splitlines()
        name = next((line[7:] for line in lines if line.startswith("event: ")), None)
        if name:
            events[name] = events.get(name, "") + "\n".join(line[6:] for line in lines if line.startswith("data: "))
    return events
