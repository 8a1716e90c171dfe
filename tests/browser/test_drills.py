"""The manager assigns a drill in the browser; the rep sees it with its status on the home page."""

import re
from pathlib import Path

import pytest

from app.demo import DEMO_TEAM, DEMO_USERS
from app.drills.analytics import SKILLS
from app.roleplay.scenarios import get_scenario
from tests.utils.browser import api_client, login, play_drill
from tests.utils.scripted_reps import strong_rep_lines, weak_rep_lines

pytestmark = pytest.mark.browser

MANAGER = next(u for u in DEMO_USERS if u.username == "manager")
REP = next(u for u in DEMO_USERS if u.username == "rep1")
SCENARIO = "retail_member_marketing"
SHOTS = Path("/tmp/shots")


def test_manager_creates_a_drill_and_the_rep_sees_it(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    manager = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = manager.new_page()
    login(page, MANAGER.username, MANAGER.password)
    page.click("nav >> text=训练任务")
    page.select_option("select[name=scenario_id]", SCENARIO)
    page.select_option("select[name=team]", DEMO_TEAM)
    page.fill("input[name=pass_score]", "65")
    page.fill("input[name=attempts]", "2")
    page.fill("textarea[name=note]", "本周练会员营销：先问现状，再谈价值。")
    page.screenshot(path=str(SHOTS / "drills_form.png"), full_page=True)
    page.click("#drill-form button[type=submit]")
    page.wait_for_url("**/drills/*")
    assert page.locator("#results tbody tr").count() == 2  # both demo reps of the team
    assert page.locator("#results .drill-status").first.inner_text() == "未开始"
    page.screenshot(path=str(SHOTS / "drill_results.png"), full_page=True)
    manager.close()

    rep = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = rep.new_page()
    login(page, REP.username, REP.password)
    row = page.locator("#home-drills tbody tr")
    assert row.count() == 1
    assert get_scenario(SCENARIO).title_zh in row.inner_text()
    assert "本周练会员营销" in row.inner_text()
    assert row.locator(".drill-status").inner_text() == "未开始"
    page.screenshot(path=str(SHOTS / "home_rep_drills.png"), full_page=True)
    row.get_by_role("button", name="开始练习").click()  # the attempt opens in the role-play chat
    page.wait_for_url(re.compile(r".*/roleplay/\d+$"))
    page.goto("/")
    assert page.locator("#home-drills .drill-status").inner_text() == "进行中"
    rep.close()


def test_a_bad_drill_shows_the_reason_and_keeps_the_form(page):
    login(page, MANAGER.username, MANAGER.password)
    page.goto("/drills")
    page.fill("textarea[name=note]", "没选人")
    page.click("#drill-form button[type=submit]")
    assert page.locator("#drill-error").inner_text() == "请选择一个团队或至少一位销售代表。"
    assert page.locator("textarea[name=note]").input_value() == "没选人"


def test_manager_reviews_an_attempt_and_reads_the_dashboard(page, live_server):
    """Attempts made through the API; the manager overrides a score on the drill page and opens /team."""
    scenario = get_scenario(SCENARIO)
    rep2 = next(u for u in DEMO_USERS if u.username == "rep2")
    with (
        api_client(live_server, MANAGER) as manager,
        api_client(live_server, REP) as strong,
        api_client(live_server, rep2) as weak,
    ):
        drill_id = manager.post(
            "/api/drills",
            json={
                "scenario_id": SCENARIO,
                "team": DEMO_TEAM,
                "due": "2099-01-31",
                "pass_score": 60,
                "attempts": 3,
                "note": "",
            },
        ).json()["id"]
        play_drill(strong, drill_id, strong_rep_lines(scenario))
        weak_attempt = play_drill(weak, drill_id, weak_rep_lines(scenario))
        coach_score = weak.get(f"/api/team/attempts/{weak_attempt}/reviews").json()["coach_score"]

    login(page, MANAGER.username, MANAGER.password)
    page.goto(f"/drills/{drill_id}")
    attempt = page.locator(f"#attempt-{weak_attempt}")
    attempt.locator("summary").click()
    attempt.locator("input[name=override_score]").fill("64")
    attempt.locator("button[type=submit]").click()
    assert attempt.get_by_role("alert").inner_text() == "调整分数时请写明理由。"
    attempt.locator("input[name=reason]").fill("客户其实已经同意试点")
    attempt.locator("textarea[name=comment]").fill("开场推介太早，下次先问现状。")
    attempt.locator("button[type=submit]").click()
    review = attempt.locator(".review")
    review.wait_for()
    assert f"分数调整为 64（教练评分 {coach_score}）：客户其实已经同意试点" in review.inner_text()
    page.reload()
    header = page.locator(f"#attempt-{weak_attempt} header").inner_text()
    assert f"教练评分 {coach_score}" in header and "经理调整 64" in header  # both scores are kept
    page.screenshot(path=str(SHOTS / "drill_reviewed.png"), full_page=True)

    page.goto("/team")
    assert page.locator("#radars svg").count() == 2  # one radar per rep with attempts
    assert "问题" in page.locator("#radars").inner_text()  # 5K axes in Chinese
    assert page.locator("#agreement-pairs").inner_text() == "1"
    assert page.locator("#agreement-mad").inner_text() == f"{abs(64 - coach_score):.1f}"
    assert page.locator("#weakest tbody tr").count() == 3
    page.screenshot(path=str(SHOTS / "team.png"), full_page=True)

    page.locator("#reps tbody tr", has_text=rep2.display_name).get_by_role("link").click()
    page.wait_for_url("**/team/reps/*")
    # Small multiples: one chart per skill (seven lines in one chart hid each other).
    assert page.locator("#skills-chart svg").count() == len(SKILLS)
    page.screenshot(path=str(SHOTS / "team_rep.png"), full_page=True)
