"""The manager's home is a to-do list: an attempt waiting for review links to its transcript's review block."""

from pathlib import Path

import pytest

from app.demo import DEMO_USERS
from tests.utils.browser import login, weak_drill_attempt

pytestmark = pytest.mark.browser

MANAGER = next(u for u in DEMO_USERS if u.username == "manager")
REP = next(u for u in DEMO_USERS if u.username == "rep2")
SHOTS = Path("/tmp/shots")


def test_the_managers_home_lists_what_to_do(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    attempt, _ = weak_drill_attempt(live_server, REP, pass_score=90, attempts=1)
    for lang, width in (("zh", 1440), ("zh", 390), ("en", 1440)):
        context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        login(page, MANAGER.username, MANAGER.password)
        if lang == "en":
            page.goto("/lang/en")
            page.goto("/")
        todo = page.locator("#todo")
        assert todo.locator("#todo-review li").count() == 1
        assert REP.display_name in todo.locator("#todo-failed").inner_text()
        page.screenshot(path=str(SHOTS / f"todo_manager_{lang}_{width}.png"), full_page=True)
        context.close()
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    login(page, MANAGER.username, MANAGER.password)
    page.locator("#todo-review a").click()
    page.wait_for_url(f"**/roleplay/{attempt}#review-block")
    assert page.locator("#review-block summary").is_visible()
    context.close()
