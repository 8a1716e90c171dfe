"""Coaching notes made in the database for tests."""

from __future__ import annotations

from app.flows import answer
from app.flows import start as start_flow
from app.models import CoachingNote
from tests.utils.factories import make_note


def flow_note(session, owner_id: int) -> CoachingNote:
    """A flow note as the flows feature stores it: data = {"flow_id", "result", ...}."""
    state, view = start_flow("spin_call_plan", lang="zh")
    for _ in range(80):
        raw = view.options[0].id if view.options else "客户的采购经理王总负责推进这个项目，希望年底前上线"
        outcome = answer(state, raw)
        state, view = outcome.state, outcome.step
        if outcome.done:
            break
    return make_note(
        session,
        owner_id=owner_id,
        kind="flow",
        source_id="spin_call_plan",
        title="SPIN 拜访计划",
        data={"flow_id": "spin_call_plan", "result": outcome.result.model_dump(mode="json"), "cited_ids": []},
    )
