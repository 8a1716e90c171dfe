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
