"""Rehearse this deal with a model configured: the loopback model words the scenario (persona description, opening
line, facts, objections; zh and en) as JSON; ids, categories, topics, prerequisites and trust stay as the
deterministic builder made them; any failure (HTTP errors, wrong ids, invalid JSON) keeps the offline wording."""

from __future__ import annotations

import pytest

from app.models import Opportunity, Role
from app.playbook.vocabulary import SPIN_CATEGORIES as CATEGORIES
from app.scenarios import rehearsal, repository
from tests.utils.factories import auth_headers, make_user
from tests.utils.fake_llm import Action
from tests.utils.flows import prepared_deal
from tests.utils.scenario_library import assert_strong_beats_weak, strong_and_weak_scorecards

STAKEHOLDER = "赵强"


@pytest.fixture
def settings(make_settings):
    """The deal's three flows run offline through `client`; the default 60 messages a minute is too few."""
    return make_settings(rate_limit_turns="600/minute")


@pytest.fixture
def deal(client, session):
    rep = make_user(session, Role.rep, team="A组")
    headers = auth_headers(client, rep)
    deal_id = prepared_deal(client, headers)
    opportunity = session.get(Opportunity, deal_id)
    offline = rehearsal.build_content(opportunity, STAKEHOLDER, rehearsal.latest_results(session, opportunity))
    return {"id": deal_id, "headers": headers, "offline": offline}


def model_wording(content: dict, *, drop_fact: bool = False) -> dict:
    """What a model would answer: every text reworded, under the ids it was shown."""
    facts = [fact for category in CATEGORIES for fact in content["facts"][category]]
    if drop_fact:
        facts = facts[1:]
    return {
        "deal_context": f"模型改写：这次去见{STAKEHOLDER}，他是信息部经理，对我们有戒心。",
        "deal_context_en": f"Model wording: meeting {STAKEHOLDER}, the IT manager, who is wary of us.",
        "opening_line": "你好，我是赵强。我们时间有限，先说说你们想了解什么吧。",
        "opening_line_en": "Hello, Zhao Qiang here. Time is short; tell me what you want to know.",
        "facts": [
            {"id": fact["id"], "text": f"（模型）{fact['text']}", "text_en": f"(model) {fact['text_en']}"}
            for fact in facts
        ],
        "objections": [
            {
                "id": item["id"],
                "text": f"（模型）{item['text']}",
                "text_en": f"(model) {item['text_en']}",
                "resolved_text": f"（模型）{item['resolved_text']}",
                "resolved_text_en": f"(model) {item['resolved_text_en']}",
            }
            for item in content["objections"]
        ],
    }


def rehearse(llm_client, deal) -> str:
    response = llm_client.post(
        f"/api/opportunities/{deal['id']}/rehearsals", json={"stakeholder": STAKEHOLDER}, headers=deal["headers"]
    )
    assert response.status_code == 201, response.text
    return response.json()["scenario_id"]


def structure(scenario) -> dict:
    """Everything the model must not change: ids, categories, topics, prerequisites, trust, the advance."""
    return {
        "facts": {
            category: [
                (fact.id, fact.topics.model_dump(), fact.requires, fact.min_trust)
                for fact in getattr(scenario.facts, category)
            ]
            for category in CATEGORIES
        },
        "objections": [(o.id, o.trigger, o.handled_by.model_dump()) for o in scenario.objections],
        "persona": scenario.persona.model_dump(),
        "success": scenario.success.model_dump(),
        "initial_trust": scenario.initial_trust,
    }


def test_the_model_words_the_rehearsal_and_the_state_keeps_its_structure(client, llm_client, session, fake_llm, deal):
    answer = model_wording(deal["offline"])
    fake_llm.actions.append(Action(json=answer))
    scenario = repository.get_scenario(session, rehearse(llm_client, deal))
    assert scenario.deal_context == answer["deal_context"] and scenario.deal_context_en == answer["deal_context_en"]
    assert scenario.opening_line == answer["opening_line"] and scenario.opening_line_en == answer["opening_line_en"]
    assert all(fact.text.startswith("（模型）") and fact.text_en.startswith("(model)") for fact in scenario.all_facts())
    assert all(o.resolved_text_en.startswith("(model)") for o in scenario.objections)
    offline = repository.materialize(0, 1, deal["offline"])
    assert structure(scenario) == structure(offline)
    # one structured call in JSON mode, capped, shown the builder's wording to rewrite
    request = fake_llm.requests[-1]
    assert request["response_format"]["type"] == "json_object"
    assert "JSON" in request["messages"][0]["content"] and "max_tokens" in request
    assert deal["offline"]["facts"]["problem"][0]["text"] in request["messages"][-1]["content"]
    # the worded rehearsal still separates a strong SPIN call from a weak pitch
    scenario_id = repository.base_id(repository.parse_team_ref(scenario.id).row_id)
    assert_strong_beats_weak(strong_and_weak_scorecards(client, deal["headers"], scenario_id, scenario))


@pytest.mark.parametrize(
    "failure",
    [
        [Action(fault="500"), Action(fault="500"), Action(fault="500")],  # the model is down, retries included
        "wrong_ids",  # a fact left out: the state's facts are not the model's to choose
        [Action(text="好的，这是改写后的场景。"), Action(json={"deal_context": "太短"})],  # no JSON, then invalid
    ],
    ids=["http_500", "wrong_ids", "invalid_json"],
)
def test_any_failure_keeps_the_offline_wording(llm_client, session, fake_llm, deal, failure):
    if failure == "wrong_ids":
        failure = [Action(json=model_wording(deal["offline"], drop_fact=True))]
    fake_llm.actions.extend(failure)
    scenario = repository.get_scenario(session, rehearse(llm_client, deal))
    offline = repository.materialize(0, 1, deal["offline"])
    assert scenario.model_dump(exclude={"id"}) == offline.model_dump(exclude={"id"})
    assert fake_llm.requests, "the model was asked"
