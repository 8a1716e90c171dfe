"""Per-skill trends on the team dashboard: each scorecard skill over time for the team, by day (by ISO week past a
month), within the dashboard's date range, in the API and as small multiples on the page."""

from datetime import UTC, datetime, time, timedelta

import pytest

from app.drills.analytics import SKILLS
from app.models import Role, RolePlay
from app.models.common import TEAM_TIMEZONE, team_today
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import auth_headers, make_user, web_login
from tests.utils.roleplays import VITAMIN, play
from tests.utils.scripted_reps import strong_rep_lines, weak_rep_lines

SCENARIO = load_scenarios()[VITAMIN]


def _finished_on(session, roleplay_id: int, day) -> None:
    """Move a finished session to noon (Beijing) of `day`, as if it had been played then."""
    roleplay = session.get(RolePlay, roleplay_id)
    roleplay.finished_at = datetime.combine(day, time(12), TEAM_TIMEZONE).astimezone(UTC)
    session.add(roleplay)
    session.commit()


def _played(client, session, headers, lines, day) -> int:
    roleplay_id, _ = play(client, headers, VITAMIN, lines)
    assert client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).status_code == 200
    _finished_on(session, roleplay_id, day)
    return roleplay_id


@pytest.fixture
def team(client, session):
    manager = make_user(session, Role.manager, team="趋势组", username="trend_mgr")
    strong = make_user(session, Role.rep, team="趋势组", username="trend_strong")
    weak = make_user(session, Role.rep, team="趋势组", username="trend_weak")
    outsider = make_user(session, Role.rep, team="别的组", username="trend_outsider")
    today = team_today()
    days = {"early": today - timedelta(days=10), "late": today - timedelta(days=2)}
    _played(client, session, auth_headers(client, weak), weak_rep_lines(SCENARIO), days["early"])
    _played(client, session, auth_headers(client, strong), strong_rep_lines(SCENARIO), days["late"])
    _played(client, session, auth_headers(client, outsider), strong_rep_lines(SCENARIO), days["early"])
    return {"manager": manager, "days": days}


def test_each_skill_is_trended_per_day_for_the_team_only(client, team):
    headers = auth_headers(client, team["manager"])
    trend = client.get("/api/team/dashboard", headers=headers).json()["skill_trend"]
    early, late = team["days"]["early"].isoformat(), team["days"]["late"].isoformat()
    assert trend["unit"] == "day"
    assert [point["label"] for point in trend["points"]] == [early, late]
    # one attempt a day from this team: the outsider's practice on the early day is not counted
    assert [point["attempts"] for point in trend["points"]] == [1, 1]
    first, last = (point["skills"] for point in trend["points"])
    assert set(first) <= set(SKILLS) and "discovery" in first and "discovery" in last
    assert last["discovery"] > first["discovery"]  # the strong rep's day beats the weak rep's


def test_the_date_range_limits_the_trend(client, team):
    headers = auth_headers(client, team["manager"])
    early, late = team["days"]["early"], team["days"]["late"]
    middle = (early + timedelta(days=4)).isoformat()
    since = client.get(f"/api/team/dashboard?since={middle}", headers=headers).json()["skill_trend"]
    until = client.get(f"/api/team/dashboard?until={middle}", headers=headers).json()["skill_trend"]
    assert [point["label"] for point in since["points"]] == [late.isoformat()]
    assert [point["label"] for point in until["points"]] == [early.isoformat()]
    none = client.get(f"/api/team/dashboard?since={(late + timedelta(days=1)).isoformat()}", headers=headers).json()
    assert none["skill_trend"]["points"] == []


def test_practice_spanning_more_than_a_month_is_trended_by_week(client, session, team):
    rep = make_user(session, Role.rep, team="趋势组", username="trend_old")
    old_day = team["days"]["early"] - timedelta(days=60)
    _played(client, session, auth_headers(client, rep), weak_rep_lines(SCENARIO), old_day)
    trend = client.get("/api/team/dashboard", headers=auth_headers(client, team["manager"])).json()["skill_trend"]
    assert trend["unit"] == "week"
    year, week, _ = old_day.isocalendar()
    assert trend["points"][0]["label"] == f"{year}-W{week:02d}"
    assert sum(point["attempts"] for point in trend["points"]) == 3


def test_the_team_page_draws_one_small_chart_per_skill_within_the_range(client, team):
    web_login(client, team["manager"].username)
    page = client.get("/team").text
    section = page[page.index('id="skill-trends"') :]
    assert section.count('<figure class="chart" data-skill=') == len(SKILLS)
    assert all(f'data-skill="{skill}"' in section for skill in SKILLS)
    assert "挖掘信息" in section  # the skill's name, not its key, titles its chart
    later = (team["days"]["late"] + timedelta(days=1)).isoformat()
    empty = client.get(f"/team?since={later}").text
    section = empty[empty.index('id="skill-trends"') :]
    assert "data-skill=" not in section.split("</section>")[0]
    assert "所选日期范围内还没有完成的练习" in section
