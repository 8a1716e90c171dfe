"""The manager corrects a drill in the browser: a new pass score, one rep's extra attempt, then cancels it;
the history is on the drill page, and the rep sees the change."""

from pathlib import Path

import pytest

from app.demo import DEMO_TEAM, DEMO_USERS
from tests.utils.browser import login

pytestmark = pytest.mark.browser

MANAGER = next(u for u in DEMO_USERS if u.username == "manager")
REP = next(u for u in DEMO_USERS if u.username == "rep1")
SHOTS = Path("/tmp/shots")


def test_manager_corrects_a_drill(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    login(page, MANAGER.username, MANAGER.password)
    page.goto("/drills")
    page.select_option("select[name=team]", DEMO_TEAM)
    page.fill("input[name=attempts]", "1")
    page.click("#drill-form button[type=submit]")
    page.wait_for_url("**/drills/*")
    drill_url = page.url
    page.click("#drill-edit summary")
    page.fill("#drill-edit input[name=pass_score]", "55")
    page.click("#drill-edit form:not(.inline-form) button[type=submit]")
    page.wait_for_load_state()
    assert (
        "及格分" in page.locator("#drill-changes").inner_text()
        and "70 → 55" in page.locator("#drill-changes").inner_text()
    )
    row = page.locator(f"#results tr:has-text('{REP.display_name}')")
    # the per-rep inputs carry visible labels (not only names for screen readers)
    assert row.locator("label", has_text="截止日期").locator("input[type=date]").is_visible()
    extra = row.locator("label", has_text="额外次数")
    assert extra.is_visible()
    extra.locator("input").fill("2")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator(f"#results tr:has-text('{REP.display_name}')")
    assert "0 / 3" in row.inner_text()
    page.screenshot(path=str(SHOTS / "drill_corrections_zh_1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    # on a phone the extension form is on the screen, not off to the right of a wide table
    box = page.locator(f"#results tr:has-text('{REP.display_name}') input[name=extra_attempts]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(SHOTS / "drill_corrections_zh_390.png"), full_page=True)
    page.goto("/lang/en")
    page.goto(drill_url)
    page.screenshot(path=str(SHOTS / "drill_corrections_en_390.png"), full_page=True)
    assert page.locator("#results label", has_text="Extra attempts").first.is_visible()
    page.click("#drill-edit summary")
    page.click("#cancel-toggle")
    page.wait_for_load_state()
    assert page.locator("#drill-cancelled").is_visible()
    context.close()

    rep = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = rep.new_page()
    login(page, REP.username, REP.password)
    page.goto(drill_url)
    assert page.locator("#drill-cancelled").is_visible()
    assert page.locator("#drill-edit").count() == 0
    page.screenshot(path=str(SHOTS / "drill_cancelled_rep_zh_390.png"), full_page=True)
    rep.close()
