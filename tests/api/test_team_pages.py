"""Drill and team pages through the session cookie: who may open what, forms, reviews by htmx, escaping, CSV."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.models import Drill, Review, Role, RolePlay
from app.models.common import team_today
from tests.utils.factories import (
    csrf_from,
    make_drill,
    make_review,
    make_roleplay,
    make_user,
    north_and_south,
    web_login,
)

SCENARIO = "logistics_tms"
XSS = "<script>alert(1)</script>"


@pytest.fixture
def people(session):
    return north_and_south(session)


@pytest.fixture
def drill_and_attempt(session, people):
    """A drill for the northern rep with one finished attempt; the note text carries markup to be escaped."""
    drill = make_drill(
        session,
        people["manager"],
        assign=[people["rep"]],
        scenario_id=SCENARIO,
        due=team_today() + timedelta(days=2),
        pass_score=70,
        attempts_allowed=3,
        note=f"注意 {XSS}",
    )
    attempt = make_roleplay(session, people["rep"], drill=drill, finished=True, score=55)
    return drill.id, attempt.id


def signed_in(client, user) -> str:
    """Sign in and return the CSRF token of the home page."""
    web_login(client, user.username)
    return csrf_from(client.get("/").text)


@pytest.mark.parametrize(
    "who, path, code",
    [
        ("rep", "/team", 403),
        ("rep", "/team/export.csv", 403),
        ("rep", "/team/sessions.csv", 403),
        ("rep", "/team/reps/{rep}", 200),  # a rep may follow their own progress
        ("rep", "/team/reps/{other_rep}", 404),
        ("rep", "/drills/{drill}", 200),
        ("other_rep", "/drills/{drill}", 404),
        ("other_manager", "/drills/{drill}", 404),
        ("other_manager", "/team/reps/{rep}", 404),
        ("other_manager", "/team", 200),
        ("manager", "/team/reps/{rep}", 200),
        ("manager", "/drills", 200),
    ],
)
def test_page_access(client, people, drill_and_attempt, who, path, code):
    signed_in(client, people[who])
    url = path.format(rep=people["rep"].id, other_rep=people["other_rep"].id, drill=drill_and_attempt[0])
    assert client.get(url, headers={"accept": "text/html"}).status_code == code


def test_anonymous_visitors_are_sent_to_login(client):
    for path in ("/drills", "/team", "/team/reps/1"):
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_create_form_round_trip(client, session, people):
    token = signed_in(client, people["manager"])
    form = {
        "csrf_token": token,
        "scenario_id": SCENARIO,
        "team": "",
        "assignees": [people["rep"].username],
        "due": (team_today() + timedelta(days=3)).isoformat(),
        "pass_score": "70",
        "attempts": "",
        "note": "周五前完成",
    }
    response = client.post("/drills", data=form, follow_redirects=False)
    assert response.status_code == 303
    drill = session.get(Drill, int(response.headers["location"].rsplit("/", 1)[1]))
    assert (drill.scenario_id, drill.attempts_allowed, drill.note) == (SCENARIO, None, "周五前完成")

    refused = client.post("/drills", data=form | {"assignees": [people["other_rep"].username]})
    assert refused.status_code == 422
    assert f"这些人不是你团队的销售代表：{people['other_rep'].username}" in refused.text
    assert "周五前完成" in refused.text  # the form keeps what was typed
    no_token = client.post("/drills", data={k: v for k, v in form.items() if k != "csrf_token"})
    assert no_token.status_code == 403


def test_reps_cannot_post_drills_or_reviews(client, people, drill_and_attempt):
    token = signed_in(client, people["rep"])
    assert client.post("/drills", data={"csrf_token": token, "scenario_id": SCENARIO}).status_code == 403
    review = client.post(f"/team/attempts/{drill_and_attempt[1]}/reviews", data={"csrf_token": token, "comment": "好"})
    assert review.status_code == 403


def test_review_by_htmx_returns_the_refreshed_block(client, session, people, drill_and_attempt):
    drill_id, attempt_id = drill_and_attempt
    token = signed_in(client, people["manager"])
    url = f"/team/attempts/{attempt_id}/reviews"
    htmx = {"HX-Request": "true", "X-CSRF-Token": token}

    missing_reason = client.post(url, data={"override_score": "80"}, headers=htmx)
    assert missing_reason.status_code == 200 and "调整分数时请写明理由。" in missing_reason.text
    assert session.exec(select(Review)).all() == []

    done = client.post(url, data={"comment": XSS, "override_score": "80", "reason": "复核后上调"}, headers=htmx)
    assert done.text.lstrip().startswith(f'<div class="reviews" id="reviews-{attempt_id}">')
    assert "分数调整为 80（教练评分 55）：复核后上调" in done.text
    assert XSS not in done.text and "&lt;script&gt;" in done.text

    plain = client.post(url, data={"csrf_token": token, "comment": "继续加油"}, follow_redirects=False)
    assert plain.headers["location"] == f"/drills/{drill_id}#attempt-{attempt_id}"
    page = client.get(f"/drills/{drill_id}").text
    assert "教练评分 55" in page and "经理调整 80" in page
    assert XSS not in page  # the drill note and the comment are escaped


def test_other_teams_manager_cannot_review_by_page(client, people, drill_and_attempt):
    token = signed_in(client, people["other_manager"])
    response = client.post(
        f"/team/attempts/{drill_and_attempt[1]}/reviews",
        data={"csrf_token": token, "comment": "看看"},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 404


def test_home_shows_drills_to_reps_and_the_summary_to_managers(client, people, drill_and_attempt):
    signed_in(client, people["rep"])
    home = client.get("/").text
    assert 'id="home-drills"' in home and 'data-status="in_progress"' in home
    assert 'action="/roleplay/start"' in home and f'name="drill_id" value="{drill_and_attempt[0]}"' in home

    client.cookies.clear()
    signed_in(client, people["manager"])
    home = client.get("/").text
    assert 'id="home-team"' in home and 'id="home-drills"' not in home


def test_csv_page_download_is_excel_ready(client, people, drill_and_attempt):
    signed_in(client, people["manager"])
    response = client.get("/team/export.csv")
    assert response.content.startswith("\ufeff".encode())
    assert "attachment" in response.headers["content-disposition"]
    rows = response.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and people["rep"].username in rows[1]


def test_sessions_csv_covers_practice_with_effective_scores_and_comments(client, session, people, drill_and_attempt):
    """Free practice too (not only drills), coach vs effective score, the review, Beijing time, Excel-safe text."""
    _, attempt_id = drill_and_attempt
    free = make_roleplay(
        session,
        people["rep"],
        scenario_id=SCENARIO,
        score=48,
        finished=True,
        finished_at=datetime(2026, 12, 30, 16, 30, tzinfo=UTC),  # 00:30 on the 31st in Beijing
    )
    make_review(
        session,
        session.get(RolePlay, attempt_id),
        people["manager"],
        comment="=HYPERLINK(1) 开场太长",
        override_score=72,
        reason="12/30",
    )
    signed_in(client, people["manager"])
    response = client.get("/team/sessions.csv")
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    from app.drills.analytics import SKILLS
    from app.drills.export import SESSION_COLUMNS
    from app.i18n import translate

    assert header == [translate(f"team.csv.{column}", "zh") for column in SESSION_COLUMNS] + [
        translate(f"roleplay.component.{skill}", "zh") for skill in SKILLS
    ], "per-skill columns at the end"
    assert set(body) == {str(attempt_id), str(free.id)}, "free practice is exported too"
    drilled, practised = body[str(attempt_id)], body[str(free.id)]
    assert (drilled["教练评分"], drilled["经理改分"], drilled["有效得分"]) == ("55", "72", "72")
    assert (practised["有效得分"], practised["经理改分"]) == ("48", "")
    assert practised["完成时间（北京时间）"] == "2026-12-31 00:30"
    assert "=HYPERLINK(1) 开场太长" in drilled["经理点评"] and "12/30" in drilled["经理点评"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    other = client.get("/team/sessions.csv?team_id=99999")
    assert other.status_code == 404


def test_excel_cell_keeps_misreadable_text_as_text():
    from app.csv_export import safe_cell as excel_cell

    assert [excel_cell(v) for v in ("12/30", "=1+1", "+86", "-5", "@x", "013812345678", "123456789012345", "0571")] == [
        "'12/30",
        "'=1+1",
        "'+86",
        "'-5",
        "'@x",
        "'013812345678",
        "'123456789012345",
        "'0571",
    ]
    assert [excel_cell(v) for v in ("2026-12-30", "华东一组", 72, -3, "")] == ["2026-12-30", "华东一组", 72, -3, ""]


def test_dashboard_date_range_limits_the_practice_counted(client, session, people, drill_and_attempt):
    make_roleplay(
        session,
        people["rep"],
        scenario_id=SCENARIO,
        score=90,
        finished=True,
        finished_at=datetime(2025, 1, 10, 3, 0, tzinfo=UTC),
    )
    signed_in(client, people["manager"])
    everything = client.get("/team").text
    assert re.search(r"kpi.attempts|<strong>2</strong>", everything)
    recent = client.get(f"/team?since={team_today() - timedelta(days=1)}").text
    early = client.get("/team?since=2025-01-01&until=2025-01-31").text
    assert 'value="2025-01-01"' in early and 'value="2025-01-31"' in early

    def count(page: str) -> str:
        return re.search(
            r'id="kpis">\s*<article><header>[^<]*</header><strong>\d+</strong></article>\s*'
            r"<article><header>[^<]*</header><strong>(\d+)</strong>",
            page,
        ).group(1)

    assert (count(everything), count(recent), count(early)) == ("2", "1", "1")
    assert client.get("/team?since=not-a-date").status_code == 200  # a malformed date means no limit


def test_leaderboard_ranks_reps_by_average(client, session, people, drill_and_attempt):
    second = make_user(session, Role.rep, team="华北一组", username="rep_north_2")
    make_roleplay(session, second, scenario_id=SCENARIO, score=80, finished=True)
    signed_in(client, people["manager"])
    page = client.get("/team").text
    board = page[page.index('id="leaderboard"') : page.index("</details>", page.index('id="leaderboard"'))]
    assert board.index(f'data-user-id="{second.id}"') < board.index(f'data-user-id="{people["rep"].id}"')  # 80 > 55
