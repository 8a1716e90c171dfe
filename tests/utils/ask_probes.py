"""What the closing-ask and pitch probe modules share: their labelled lines as (scenario, text, kind) cases, the two
checks each closing line gets (its ask kind on its own, and the outcome of a strong call that closes with it), and the
two checks of a pitch probe (premature when said first, live and in the score; or no pitch at all)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from app.coaching.spin import classify_spin
from app.roleplay.asks import classify_ask
from app.roleplay.scenarios import Scenario, load_scenarios
from app.roleplay.scorecard import build_scorecard, call_outcome
from tests.utils.scripted_reps import play, strong_rep_lines

Lines = Iterable[tuple[str, str]]


@cache
def scenarios() -> dict[str, Scenario]:
    return load_scenarios()


def probe_cases(advances: Lines, continuations: Lines, orders: Lines, not_asks: Lines) -> list[tuple[str, str, str]]:
    """(scenario_id, text, kind) for each labelled line; "none" for a line that asks for nothing."""
    labelled = (("advance", advances), ("continuation", continuations), ("order", orders), ("none", not_asks))
    return [(scenario_id, text, kind) for kind, lines in labelled for scenario_id, text in lines]


def assert_reads_as(scenario_id: str, text: str, kind: str) -> None:
    assert classify_ask(scenarios()[scenario_id], text, classify_spin(text)).kind == kind, text


def assert_closing_outcome(scenario_id: str, text: str, kind: str) -> None:
    """A strong call whose closing line is `text` ends with that line's kind (the closing part decides the outcome; a
    question about the buyer's situation there leaves the call without an ask)."""
    scenario = scenarios()[scenario_id]
    state = play(scenario, [*strong_rep_lines(scenario)[:-1], text])
    expected = "no_ask" if kind == "none" else kind
    assert call_outcome(state) == expected, (text, [record.ask_kind for record in state.history])


def assert_premature_opening_pitch(scenario_id: str, text: str) -> None:
    """Said first in a call, `text` is a pitch, premature live and counted once in the score."""
    scenario = scenarios()[scenario_id]
    state = play(scenario, [text])
    record = state.history[-1]
    assert record.is_pitch and record.premature_pitch, text
    assert build_scorecard(scenario, state).premature_pitches == 1, text


def assert_no_pitch(scenario_id: str, text: str) -> None:
    """`text` is no pitch, to the classifier and in the call."""
    assert not classify_spin(text).is_pitch, text
    assert not play(scenarios()[scenario_id], [text]).history[-1].is_pitch, text
