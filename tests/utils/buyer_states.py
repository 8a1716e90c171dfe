"""Role-play states for buyer probes: a session at a given trust where some facts are already told."""

from __future__ import annotations

from app.roleplay.scenarios import Scenario
from app.roleplay.scripted_buyer import ScriptedBuyer
from app.roleplay.state import RevealedFact, SessionState, TurnRecord


def prerequisites(scenario: Scenario, fact_id: str) -> set[str]:
    """Every fact that must be told before this one (its requires, transitively)."""
    found: set[str] = set()
    todo = list(scenario.fact(fact_id).requires)
    while todo:
        required = todo.pop()
        if required not in found:
            found.add(required)
            todo += scenario.fact(required).requires
    return found


def told_state(scenario: Scenario, lang: str, told: set[str], trust: int = 90, last: str | None = None) -> SessionState:
    """A session after the opening where `told` are revealed; `last` (one of them) was told on the turn just before."""
    state = ScriptedBuyer(scenario).opening(SessionState.start(scenario, lang)).state
    revealed: dict[str, list[RevealedFact]] = {category: [] for category in state.revealed}
    for fact_id in sorted(told - {last} if last else told):
        revealed[scenario.category_of(fact_id)].append(RevealedFact(id=fact_id, turn=0))
    history: list[TurnRecord] = []
    turn = 0
    if last is not None:
        turn = 1
        revealed[scenario.category_of(last)].append(RevealedFact(id=last, turn=turn))
        history.append(
            TurnRecord(
                turn=turn, spin_label="S", is_question=True, is_pitch=False, asks_commitment=False, revealed=[last]
            )
        )
    return state.model_copy(update={"trust": trust, "revealed": revealed, "history": history, "turn": turn})
