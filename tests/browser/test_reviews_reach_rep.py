"""The manager comments on one line of a rep's transcript and overrides the score there; the rep finds the
notification on their home page, the comment under their line and the effective score on the scorecard."""

from pathlib import Path

import pytest

from app.demo import DEMO_USERS
from tests.utils.browser import MANAGER, login, weak_drill_attempt

pytestmark = pytest.mark.browser

REP = next(u for u in DEMO_USERS if u.username == "rep1")
SHOTS = Path("/tmp/shots")


def test_a_review_on_the_transcript_reaches_the_rep(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    attempt, coach_score = weak_drill_attempt(live_server, REP, pass_score=60, attempts=3)

    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    login(page, MANAGER.username, MANAGER.password)
    page.goto(f"/roleplay/{attempt}")
    first_line = page.locator(".turn-comment-form").first
    first_line.locator("summary").click()
    first_line.locator("textarea").fill("这里先问现状，再谈方案。")
    first_line.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".turn-comment").first.inner_text().endswith("这里先问现状，再谈方案。")
    block = page.locator("#review-block")
    assert block.locator("details.review-form").get_attribute("open") is not None  # open for the reviewer
    block.locator("input[name=override_score]").fill("66")
    block.locator("input[name=reason]").fill("客户其实已经同意试点")
    block.locator("button[type=submit]").click()
    block.locator(".review").wait_for()
    page.screenshot(path=str(SHOTS / "review_transcript_manager_zh_1440.png"), full_page=True)
    context.close()

    for lang, width in (("zh", 1440), ("zh", 390), ("en", 390)):
        context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        login(page, REP.username, REP.password)
        if lang == "en":
            page.goto("/lang/en")
            page.goto("/")
        notices = page.locator("#notices")
        assert notices.locator("[data-kind=review]").count() == 2
        page.screenshot(path=str(SHOTS / f"review_home_rep_{lang}_{width}.png"), full_page=True)
        notices.locator("[data-kind=review] a").first.click()
        page.wait_for_url(f"**/roleplay/{attempt}*")
        assert "这里先问现状，再谈方案。" in page.locator(".turn-comment").first.inner_text()
        page.screenshot(path=str(SHOTS / f"review_transcript_rep_{lang}_{width}.png"), full_page=True)
        page.goto(f"/roleplay/{attempt}/scorecard")
        effective = page.locator("#score-effective").inner_text()
        assert "66" in effective and str(coach_score) in effective
        context.close()
