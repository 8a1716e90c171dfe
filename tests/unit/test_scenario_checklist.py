"""The authoring checklist: each warning fires on a scenario that has the problem and not on the built-ins."""

from __future__ import annotations

import pytest

from app.roleplay.scenarios import Scenario, load_scenarios
from app.scenarios.checklist import check, reachable_facts

BASE = load_scenarios()["edu_smart_academic"]


def variant(**changes) -> Scenario:
    data = BASE.model_dump(mode="json")
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return Scenario.model_validate(data)


def codes(scenario: Scenario) -> list[str]:
    return [warning.code for warning in check(scenario)]


@pytest.mark.parametrize("scenario_id", sorted(load_scenarios()))
def test_built_ins_pass_the_playability_checks(scenario_id):
    assert not [c for c in codes(load_scenarios()[scenario_id]) if c != "missing_english"]


def test_a_prerequisite_cycle_makes_facts_unreachable():
    first, second = BASE.facts.problem[0].id, BASE.facts.problem[1].id
    scenario = variant(**{"facts__problem__0__requires": [second], "facts__problem__1__requires": [first]})
    unreachable = {w.ids[0] for w in check(scenario) if w.code == "unreachable_fact"}
    assert {first, second} <= unreachable
    assert first not in reachable_facts(scenario)
    # whatever builds on them is unreachable too, and the field is named
    assert all(w.field.startswith("facts.") for w in check(scenario) if w.code == "unreachable_fact")


def test_an_ask_that_is_no_ask():
    scenario = variant(success__commitment__ask_zh="好的", success__commitment__keywords=["签署框架协议"])
    assert "commitment_unaskable" in codes(scenario)


def test_need_payoffs_that_cannot_be_revealed():
    need_payoffs = BASE.facts.need_payoff
    changes = {
        f"facts__need_payoff__{i}__requires": [need_payoffs[(i + 1) % len(need_payoffs)].id]
        for i in range(len(need_payoffs))
    }
    assert len(need_payoffs) > 1  # a ring of prerequisites among them
    assert "no_need_payoff" in codes(variant(**changes))


def test_missing_english_is_warned():
    scenario = variant(title_en="教务系统", **{"facts__situation__0__topics__en": []})
    warning = next(w for w in check(scenario) if w.code == "missing_english")
    assert "title_en" in warning.ids and "facts.situation.0.topics.en" in warning.ids
    assert not [w for w in check(scenario, english_allowed=False) if w.code == "missing_english"]
