"""The manager's to-do list: attempts waiting for review, overdue drills and who, failed reps, stalled deals,
each with the link where to act; nothing of another team."""

from datetime import UTC, datetime, timedelta

from app.models import Drill
from app.models.common import team_today
from tests.utils.factories import make_drill, make_opportunity, make_roleplay, web_login

SCENARIO = "logistics_tms"


def _drill(session, manager, rep, due, attempts=None) -> Drill:
    return make_drill(
        session,
        manager,
        assign=[rep],
        team_id=rep.team_id,
        scenario_id=SCENARIO,
        due=due,
        pass_score=70,
        attempts_allowed=attempts,
    )


def test_the_todo_lists_what_needs_the_managers_action(client, session, world, world_users):
    rep, manager = world_users["owner"], world_users["manager_of_team"]
    now = datetime.now(UTC)
    overdue = _drill(session, manager, rep, team_today() - timedelta(days=1))
    failed = _drill(session, manager, rep, team_today() + timedelta(days=5), attempts=1)
    attempt = make_roleplay(session, rep, drill=failed, finished=True, score=30, finished_at=now)
    make_roleplay(session, rep, scenario_id=SCENARIO, finished=True, score=80, finished_at=now - timedelta(days=40))
    make_opportunity(session, rep, account="停滞客户", amount=100000, updated_at=now - timedelta(days=40))
    make_opportunity(session, rep, account="活跃客户", amount=5, updated_at=now)

    todo = client.get("/api/team/todo", headers=world["manager_of_team"]).json()
    assert [item["roleplay_id"] for item in todo["waiting_review"]] == [attempt.id]  # 40 days old: history
    assert todo["waiting_review"][0]["link"] == f"/roleplay/{attempt.id}#review-block"
    assert [(d["drill_id"], [r["user_id"] for r in d["reps"]]) for d in todo["overdue"]] == [(overdue.id, [rep.id])]
    assert [(d["drill_id"], d["reps"][0]["best_score"]) for d in todo["failed"]] == [(failed.id, 30)]
    assert todo["failed"][0]["link"] == f"/drills/{failed.id}#results"
    assert [(d["account"], d["reasons"]) for d in todo["stalled_deals"]] == [("停滞客户", ["no_activity_30d"])]
    assert todo["total"] == 4

    other = client.get("/api/team/todo", headers=world["manager_of_other_team"]).json()
    assert other == {"waiting_review": [], "overdue": [], "failed": [], "stalled_deals": [], "total": 0}

    # A review takes the attempt off the list; an extra attempt takes the rep off "failed".
    client.post(f"/api/team/attempts/{attempt.id}/reviews", json={"comment": "好"}, headers=world["manager_of_team"])
    client.patch(
        f"/api/drills/{failed.id}/assignees/{rep.id}", json={"extra_attempts": 1}, headers=world["manager_of_team"]
    )
    todo = client.get("/api/team/todo", headers=world["manager_of_team"]).json()
    assert todo["waiting_review"] == [] and todo["failed"] == []

    web_login(client, manager.username)
    home = client.get("/").text
    assert 'id="todo"' in home and f'href="/drills/{overdue.id}#results"' in home and "停滞客户" in home
    assert "40 天没有进展" in home


def test_the_home_card_for_drills_speaks_to_the_reader(client, world_users):
    web_login(client, world_users["manager_of_team"].username)
    assert "给团队或个人布置训练" in client.get("/").text and "经理布置的训练" not in client.get("/").text
    client.cookies.clear()
    web_login(client, world_users["owner"].username)
    assert "经理布置的训练" in client.get("/").text
