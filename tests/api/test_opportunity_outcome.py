"""Won and lost deals: the outcome's milestone, the forecast and stalled list without lost deals, reopening,
5K runs on closed deals, who may close a deal, the pipeline page's buttons, and the migration."""

from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, text

from app.models import CoachingNote, Opportunity, Role
from app.models.common import utcnow
from tests.utils.factories import auth_headers, csrf_from, make_user, web_login
from tests.utils.flows import FIVEK_AT_M10, FIVEK_AT_M50, create, run_flow, stage
from tests.utils.migrations import downgrade_to, insert_rep_and_deal, sqlite_for_migrations, upgrade_to


def close(client, headers, opportunity_id: int, outcome: str, reason: str | None = None, expect: int = 200):
    body = {"outcome": outcome} if reason is None else {"outcome": outcome, "reason": reason}
    response = client.post(f"/api/opportunities/{opportunity_id}/outcome", json=body, headers=headers)
    assert response.status_code == expect, response.text
    return response.json()


def pipeline(client, headers) -> dict:
    return client.get("/api/opportunities/pipeline", headers=headers).json()


def test_a_won_deal_is_closed_at_m100_and_counts_in_full(client, headers):
    deal = create(client, headers, account="华东精工", amount=850000)
    other = create(client, headers, account="苏州电子", amount=200000)
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M50, opportunity_id=deal["id"])
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M10, opportunity_id=other["id"])

    won = close(client, headers, deal["id"], "won")
    assert (won["outcome"], won["milestone_id"], won["probability"]) == ("won", "milestone.m100", 100)
    assert won["closed_at"] is not None and won["lost_reason"] is None

    seen = pipeline(client, headers)
    assert (stage(seen, "milestone.m100")["count"], stage(seen, "milestone.m100")["weighted_forecast"]) == (1, 850000)
    assert stage(seen, "milestone.m50")["count"] == 0
    assert seen["total_forecast"] == 850000 + 20000 and seen["total_amount"] == 1050000
    assert seen["lost"] == [] and seen["lost_amount"] == 0


def test_a_lost_deal_leaves_the_forecast_but_stays_visible(client, headers):
    deal = create(client, headers, account="杭州医院", amount=500000)
    kept = create(client, headers, account="苏州电子", amount=200000)
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M50, opportunity_id=deal["id"])
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M10, opportunity_id=kept["id"])

    lost = close(client, headers, deal["id"], "lost", reason="  价格高于竞品 20%  ")
    assert (lost["outcome"], lost["probability"], lost["lost_reason"]) == ("lost", 0, "价格高于竞品 20%")
    assert lost["milestone_id"] == "milestone.m50", "where the deal was lost stays readable"

    seen = pipeline(client, headers)
    assert [d["account"] for d in seen["deals"]] == ["苏州电子"]
    assert stage(seen, "milestone.m50")["count"] == 0
    assert seen["total_amount"] == 200000 and seen["total_forecast"] == 20000
    assert [(d["account"], d["lost_reason"], d["weighted_forecast"]) for d in seen["lost"]] == [
        ("杭州医院", "价格高于竞品 20%", 0)
    ]
    assert seen["lost_amount"] == 500000


def test_closed_deals_are_never_stalled(client, headers, session):
    past = (date.today() - timedelta(days=3)).isoformat()
    won = create(client, headers, account="已签约", amount=100000, expected_close=past)
    lost = create(client, headers, account="已丢单", amount=100000, expected_close=past)
    still_open = create(client, headers, account="还在跟进", amount=100000, expected_close=past)
    close(client, headers, won["id"], "won")
    close(client, headers, lost["id"], "lost")
    for opportunity_id in (won["id"], lost["id"], still_open["id"]):
        row = session.get(Opportunity, opportunity_id)
        row.updated_at = utcnow() - timedelta(days=31)
        session.add(row)
    session.commit()

    seen = pipeline(client, headers)
    assert seen["stalled_count"] == 1
    assert {d["account"]: d["stalled"] for d in seen["deals"] + seen["lost"]} == {
        "已签约": False,
        "已丢单": False,
        "还在跟进": True,
    }


def test_reopening_restores_the_latest_5k_milestone(client, headers):
    deal = create(client, headers, account="华东精工", amount=850000)
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M50, opportunity_id=deal["id"])
    close(client, headers, deal["id"], "lost", reason="预算冻结")
    switched = close(client, headers, deal["id"], "won")  # a lost deal came back and was signed
    assert (switched["milestone_id"], switched["lost_reason"]) == ("milestone.m100", None)

    reopened = close(client, headers, deal["id"], "open")
    assert (reopened["outcome"], reopened["milestone_id"], reopened["probability"]) == ("open", "milestone.m50", 50)
    assert reopened["closed_at"] is None
    assert stage(pipeline(client, headers), "milestone.m50")["weighted_forecast"] == 425000

    never_scored = create(client, headers, account="苏州电子")
    close(client, headers, never_scored["id"], "won")
    back = close(client, headers, never_scored["id"], "open")
    assert (back["milestone_id"], back["probability"]) == (None, None)


def test_closing_again_keeps_the_first_closing_time(client, headers):
    deal = create(client, headers, account="华东精工")
    first = close(client, headers, deal["id"], "lost")
    again = close(client, headers, deal["id"], "lost", reason="竞品低价")
    assert again["closed_at"] == first["closed_at"] and again["lost_reason"] == "竞品低价"


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_a_5k_run_on_a_closed_deal_keeps_the_outcome(client, headers, session, outcome):
    deal = create(client, headers, account="华东精工", amount=850000)
    run_flow(client, headers, "fivek_intensity", FIVEK_AT_M50, opportunity_id=deal["id"])
    closed = close(client, headers, deal["id"], outcome)

    reply = run_flow(client, headers, "fivek_intensity", FIVEK_AT_M10, opportunity_id=deal["id"])
    note = session.get(CoachingNote, reply["note_id"])
    assert note.data["result"]["milestone"]["id"] == "milestone.m10", "the run's result is still recorded"
    detail = client.get(f"/api/opportunities/{deal['id']}", headers=headers).json()
    assert (detail["outcome"], detail["milestone_id"], detail["probability"]) == (
        outcome,
        closed["milestone_id"],
        closed["probability"],
    )
    assert detail["latest_fivek"]["milestone"]["id"] == "milestone.m10"

    reopened = close(client, headers, deal["id"], "open")
    assert (reopened["milestone_id"], reopened["probability"]) == ("milestone.m10", 10), "the latest run counts"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"outcome": "closed"},
        {"outcome": None},
        {"outcome": "won", "reason": "签了"},
        {"outcome": "open", "reason": "x"},
        {"outcome": "lost", "reason": "因" * 201},
        {"outcome": "lost", "reason": 5},
    ],
)
def test_bad_outcomes_are_422(client, headers, body):
    deal = create(client, headers, account="华东精工")
    response = client.post(f"/api/opportunities/{deal['id']}/outcome", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert client.get(f"/api/opportunities/{deal['id']}", headers=headers).json()["outcome"] == "open"


def test_only_the_owner_closes_a_deal(client, world):
    deal = create(client, world["owner"], account="华东精工")
    assert close(client, world["other_rep"], deal["id"], "won", expect=404)["detail"] == "opportunity not found"
    assert close(client, world["manager_of_other_team"], deal["id"], "won", expect=404)
    # Managers and admins read the deal but, as for every other change to it, may not write it.
    close(client, world["manager_of_team"], deal["id"], "won", expect=403)
    close(client, world["admin"], deal["id"], "lost", expect=403)
    close(client, world["owner"], 2147483647, "won", expect=404)
    assert client.get(f"/api/opportunities/{deal['id']}", headers=world["owner"]).json()["outcome"] == "open"


# ---------------------------------------------------------------------------
# The pipeline page


def post_outcome(client, opportunity_id: int, **fields):
    page = client.get("/pipeline").text
    return client.post(
        f"/pipeline/opportunities/{opportunity_id}/outcome",
        data={"csrf_token": csrf_from(page), **fields},
        follow_redirects=False,
    )


def test_pipeline_page_marks_won_lost_and_reopens(client, rep, session):
    deal = create(client, auth_headers(client, rep), account="华东精工", amount=850000)
    web_login(client, rep.username)
    assert f'action="/pipeline/opportunities/{deal["id"]}/outcome"' in client.get("/pipeline").text

    assert post_outcome(client, deal["id"], outcome="won").status_code == 303
    page = client.get("/pipeline").text
    assert "已赢单" in page and "100% 结案" in page and 'id="lost-deals"' not in page

    assert post_outcome(client, deal["id"], outcome="lost", reason="客户<b>预算</b>取消").status_code == 303
    page = client.get("/pipeline").text
    assert 'id="lost-deals"' in page and "客户&lt;b&gt;预算&lt;/b&gt;取消" in page
    assert "丢单 1 个，金额 ¥850,000" in page
    client.cookies.set("lang", "en")
    english = client.get("/pipeline").text
    assert "1 lost, ¥850,000" in english and "Reopen" in english
    client.cookies.delete("lang")

    bad = post_outcome(client, deal["id"], outcome="won", reason="不该有原因")
    assert bad.status_code == 422 and "丢单原因最多 200 字" in bad.text
    assert post_outcome(client, deal["id"], outcome="open").status_code == 303
    assert session.get(Opportunity, deal["id"], populate_existing=True).outcome == "open"

    no_token = client.post(f"/pipeline/opportunities/{deal['id']}/outcome", data={"outcome": "won"})
    assert no_token.status_code == 403


def test_pipeline_page_outcome_is_the_owners_alone(client, rep, session):
    deal = create(client, auth_headers(client, rep), account="华东精工")
    manager = make_user(session, Role.manager, team="A组")
    stranger = make_user(session, Role.rep, team="华南组")
    web_login(client, manager.username)
    assert "outcome-won" not in client.get("/pipeline").text, "no buttons on a rep's deal"
    assert post_outcome(client, deal["id"], outcome="won").status_code == 403
    client.cookies.clear()
    web_login(client, stranger.username)
    assert post_outcome(client, deal["id"], outcome="won").status_code == 404
    assert session.get(Opportunity, deal["id"], populate_existing=True).outcome == "open"


# ---------------------------------------------------------------------------
# Migration


def test_the_outcome_migration_opens_existing_deals_and_downgrades(tmp_path, database_url):
    engine = sqlite_for_migrations(tmp_path, database_url, "outcome.db")
    upgrade_to(engine, "440388695b7e")
    with engine.begin() as connection:
        insert_rep_and_deal(connection)
    upgrade_to(engine, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT outcome, closed_at FROM opportunity")).one() == ("open", None)
    downgrade_to(engine, "440388695b7e")
    assert "outcome" not in {column["name"] for column in inspect(engine).get_columns("opportunity")}
    engine.dispose()
