"""Rehearse this deal: a private scenario from the deal's stakeholder map, diagnosis and call plan; the strong
SPIN rep beats the weak pitching rep on it; the deal lists its rehearsals; nobody else sees them."""

from __future__ import annotations

import pytest

from app.models import Opportunity, Role
from app.scenarios import rehearsal, repository
from tests.utils.factories import auth_headers, make_user
from tests.utils.flows import prepared_deal
from tests.utils.scenario_library import assert_strong_beats_weak, strong_and_weak_scorecards


@pytest.fixture
def settings(make_settings):
    """Three flows and two calls in one test pass the default 60 messages a minute; the limit is tested elsewhere."""
    return make_settings(rate_limit_turns="600/minute")


@pytest.fixture
def rep(session):
    return make_user(session, Role.rep, team="A组")


@pytest.fixture
def headers(client, rep):
    return auth_headers(client, rep)


def test_a_rehearsal_is_built_from_the_deal(client, headers, session):
    deal_id = prepared_deal(client, headers)
    listed = client.get(f"/api/opportunities/{deal_id}/rehearsals", headers=headers).json()
    assert listed == {"stakeholders": ["李建国", "赵强"], "rehearsals": []}
    created = client.post(f"/api/opportunities/{deal_id}/rehearsals", json={"stakeholder": "赵强"}, headers=headers)
    assert created.status_code == 201, created.text
    scenario = repository.get_scenario(session, created.json()["scenario_id"])
    assert scenario.persona.title == "信息部经理" and scenario.persona.purchase_role == "org.role.evaluator"
    assert scenario.persona.five_dimensions.attitude == "fivedim.attitude.opponent"
    assert scenario.difficulty == "hard" and scenario.persona.communication_style == "style.analytical"
    texts = " ".join(fact.text for fact in scenario.all_facts())
    assert "月底对账要三天" in texts and "交期延误被主机厂按合同罚款" in texts and "准时交付率提到98%" in texts
    assert any(o.trigger == "competitor" and "用友" in o.text for o in scenario.objections)  # the map's risk
    assert scenario.success.commitment.kind == "introduction"  # the call plan's objective
    listed = client.get(f"/api/opportunities/{deal_id}/rehearsals", headers=headers).json()
    assert [r["scenario_id"] for r in listed["rehearsals"]] == [created.json()["scenario_id"]]
    # deterministic: the same deal builds the same scenario
    opportunity = session.get(Opportunity, deal_id)
    results = rehearsal.latest_results(session, opportunity)
    assert rehearsal.build_content(opportunity, "赵强", results) == rehearsal.build_content(
        opportunity, "赵强", results
    )


def test_rehearsals_are_private(client, headers, session):
    deal_id = prepared_deal(client, headers, plan=False)
    scenario_id = client.post(
        f"/api/opportunities/{deal_id}/rehearsals", json={"stakeholder": "李建国"}, headers=headers
    ).json()["scenario_id"]
    teammate = auth_headers(client, make_user(session, Role.rep, team="A组"))
    manager = auth_headers(client, make_user(session, Role.manager, team="A组"))
    assert client.get(f"/api/scenarios/{scenario_id}", headers=teammate).status_code == 404
    assert scenario_id not in [s["id"] for s in client.get("/api/scenarios", headers=teammate).json()]
    assert client.post("/api/roleplays", json={"scenario_id": scenario_id}, headers=teammate).status_code == 422
    assert client.get(f"/api/scenarios/{scenario_id}", headers=manager).status_code == 200  # the rep's manager
    assert client.post("/api/roleplays", json={"scenario_id": scenario_id}, headers=headers).status_code == 201


def test_bad_rehearsal_requests(client, headers):
    deal_id = prepared_deal(client, headers, plan=False)
    unknown = client.post(f"/api/opportunities/{deal_id}/rehearsals", json={"stakeholder": "无名氏"}, headers=headers)
    assert unknown.status_code == 422 and "stakeholder" in unknown.text
    bare = client.post("/api/opportunities", json={"account": "空白客户"}, headers=headers).json()["id"]
    assert (
        client.post(
            f"/api/opportunities/{bare}/rehearsals", json={"stakeholder": "李建国"}, headers=headers
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/api/opportunities/{deal_id}/rehearsals", json={"stakeholder": "x" * 81}, headers=headers
        ).status_code
        == 422
    )


@pytest.mark.parametrize("stakeholder", ["李建国", "赵强"])
def test_strong_rep_beats_weak_rep_on_a_rehearsal(client, headers, session, stakeholder):
    deal_id = prepared_deal(client, headers)
    scenario_id = client.post(
        f"/api/opportunities/{deal_id}/rehearsals", json={"stakeholder": stakeholder}, headers=headers
    ).json()["scenario_id"]
    scenario = repository.get_scenario(session, scenario_id)
    assert_strong_beats_weak(strong_and_weak_scorecards(client, headers, scenario_id, scenario))
