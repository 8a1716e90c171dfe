"""Opportunities and the pipeline: records, validation, who sees which deals, funnel numbers, stalled deals."""

from datetime import date, timedelta

import pytest

from app.models import Opportunity, Role
from app.models.common import utcnow
from app.playbook import get_playbook
from tests.utils.factories import make_user
from tests.utils.flows import FIVEK_AT_M10, FIVEK_AT_M50, create, run_flow, stage


def test_create_read_and_update(client, headers, rep):
    created = create(client, headers, account="华东精工", name="ERP 升级", amount=850000, expected_close="2027-03-31")
    assert created["owner_id"] == rep.id and created["milestone_id"] is None and created["probability"] is None
    assert created["expected_close"] == "2027-03-31"

    read = client.get(f"/api/opportunities/{created['id']}", headers=headers).json()
    assert read["account"] == "华东精工" and read["runs"] == [] and read["latest_fivek"] is None

    patched = client.patch(f"/api/opportunities/{created['id']}", json={"amount": 1200000}, headers=headers)
    assert patched.status_code == 200
    body = patched.json()
    assert body["amount"] == 1200000 and body["name"] == "ERP 升级" and body["expected_close"] == "2027-03-31"
    assert body["updated_at"] > created["updated_at"]
    cleared = client.patch(f"/api/opportunities/{created['id']}", json={"expected_close": None}, headers=headers)
    assert cleared.json()["expected_close"] is None


@pytest.mark.parametrize(
    "fields",
    [
        {"account": ""},
        {"account": "客" * 121},
        {"account": "华东精工", "amount": -1},
        {"account": "华东精工", "name": "名" * 201},
        {"account": "华东精工", "expected_close": "下个月"},
        {"name": "没有客户名"},
    ],
)
def test_bad_opportunities_are_422(client, headers, fields):
    assert client.post("/api/opportunities", json=fields, headers=headers).status_code == 422


def test_inputs_never_set_owner_or_milestone(client, headers, rep, session):
    other = make_user(session, Role.rep)
    created = create(
        client, headers, account="华东精工", owner_id=other.id, milestone_id="milestone.m90", probability=90
    )
    assert created["owner_id"] == rep.id and created["milestone_id"] is None and created["probability"] is None
    patched = client.patch(
        f"/api/opportunities/{created['id']}",
        json={"milestone_id": "milestone.m90", "owner_id": other.id},
        headers=headers,
    )
    assert patched.json()["milestone_id"] is None and patched.json()["owner_id"] == rep.id


@pytest.mark.parametrize("fields", [{"account": None}, {"amount": None}, {"amount": -5}, {"account": ""}])
def test_bad_updates_are_422(client, headers, fields):
    created = create(client, headers, account="华东精工")
    response = client.patch(f"/api/opportunities/{created['id']}", json=fields, headers=headers)
    assert response.status_code == 422


def test_listing_follows_the_team_rules(client, world, world_users):
    create(client, world["owner"], account="甲客户")
    create(client, world["other_rep"], account="乙客户")
    create(client, world["manager_of_team"], account="经理自己的客户")

    def accounts(actor, query=""):
        return sorted(o["account"] for o in client.get(f"/api/opportunities{query}", headers=world[actor]).json())

    assert accounts("owner") == ["甲客户"]
    assert accounts("other_rep") == ["乙客户"]
    assert accounts("manager_of_team") == ["甲客户", "经理自己的客户"]
    assert accounts("manager_of_other_team") == ["乙客户"]
    assert accounts("admin") == ["乙客户", "甲客户", "经理自己的客户"]
    owner_id = world_users["owner"].id
    assert accounts("manager_of_team", f"?owner_id={owner_id}") == ["甲客户"]
    response = client.get(f"/api/opportunities?owner_id={owner_id}", headers=world["manager_of_other_team"])
    assert response.status_code == 404


# ---------------------------------------------------------------------------
# Pipeline


def test_pipeline_by_milestone_with_weighted_forecast(client, headers):
    big = create(client, headers, account="华东精工", amount=850000)
    small = create(client, headers, account="苏州电子", amount=200000)
    create(client, headers, account="杭州医院", amount=500000)  # no 5K run yet
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M50, opportunity_id=big["id"])
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M10, opportunity_id=small["id"])

    pipeline = client.get("/api/opportunities/pipeline", headers=headers).json()
    playbook_order = [m.id for m in get_playbook().milestones]
    assert [s["milestone_id"] for s in pipeline["stages"]] == ["none", *playbook_order]
    m50 = get_playbook().element("milestone.m50")
    assert stage(pipeline, "milestone.m50") == {
        "milestone_id": "milestone.m50",
        "name_zh": m50.name_zh,
        "name_en": m50.name_en,
        "probability": 50,
        "count": 1,
        "amount": 850000,
        "weighted_forecast": 425000,
    }
    assert (stage(pipeline, "milestone.m10")["count"], stage(pipeline, "milestone.m10")["weighted_forecast"]) == (
        1,
        20000,
    )
    assert (stage(pipeline, "none")["count"], stage(pipeline, "none")["amount"]) == (1, 500000)
    assert stage(pipeline, "none")["weighted_forecast"] == 0
    assert pipeline["total_amount"] == 1550000 and pipeline["total_forecast"] == 425000 + 20000
    assert pipeline["stalled_count"] == 0 and not any(deal["stalled"] for deal in pipeline["deals"])


def test_stalled_deals_are_flagged(client, headers, session):
    quiet = create(client, headers, account="无人跟进的客户", amount=300000)
    late = create(
        client,
        headers,
        account="过了结单日的客户",
        amount=100000,
        expected_close=(date.today() - timedelta(days=3)).isoformat(),
    )
    fresh = create(
        client,
        headers,
        account="刚更新的客户",
        amount=100000,
        expected_close=(date.today() + timedelta(days=30)).isoformat(),
    )
    revived = create(client, headers, account="最近做过评分的客户", amount=100000)
    for opportunity_id in (quiet["id"], revived["id"]):
        row = session.get(Opportunity, opportunity_id)
        row.updated_at = utcnow() - timedelta(days=31)
        session.add(row)
    session.commit()
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M10, opportunity_id=revived["id"])  # a run is activity

    deals = {deal["id"]: deal for deal in client.get("/api/opportunities/pipeline", headers=headers).json()["deals"]}
    assert deals[quiet["id"]]["stalled_reasons"] == ["no_activity_30d"]
    assert deals[late["id"]]["stalled_reasons"] == ["close_date_passed"]
    assert not deals[fresh["id"]]["stalled"] and not deals[revived["id"]]["stalled"]


def test_manager_pipeline_covers_the_team_and_filters_by_rep(client, world, world_users):
    create(client, world["owner"], account="甲客户", amount=100000)
    create(client, world["other_rep"], account="乙客户", amount=999000)
    team = client.get("/api/opportunities/pipeline", headers=world["manager_of_team"]).json()
    assert [deal["account"] for deal in team["deals"]] == ["甲客户"] and team["total_amount"] == 100000
    one_rep = client.get(
        f"/api/opportunities/pipeline?owner_id={world_users['owner'].id}", headers=world["manager_of_team"]
    ).json()
    assert [deal["account"] for deal in one_rep["deals"]] == ["甲客户"]
    assert (
        client.get(
            f"/api/opportunities/pipeline?owner_id={world_users['other_rep'].id}", headers=world["manager_of_team"]
        ).status_code
        == 404
    )
    assert client.get("/api/opportunities/pipeline", headers=world["admin"]).json()["total_amount"] == 1099000


def test_listing_is_paged(client, headers):
    for account in ("甲", "乙", "丙"):
        create(client, headers, account=account)
    first = client.get("/api/opportunities?limit=2", headers=headers).json()
    rest = client.get("/api/opportunities?limit=2&offset=2", headers=headers).json()
    assert [o["account"] for o in first + rest] == ["丙", "乙", "甲"]  # most recently changed first
    assert client.get("/api/opportunities?limit=101", headers=headers).status_code == 422
