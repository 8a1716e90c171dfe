"""The admin adds a rep in the browser; the rep signs in with the one-time password and must choose their own."""

import re
from pathlib import Path

import pytest

from app.demo import DEMO_TEAM, DEMO_USERS
from tests.utils.browser import login

pytestmark = pytest.mark.browser

ADMIN = next(u for u in DEMO_USERS if u.username == "admin")
MANAGER = next(u for u in DEMO_USERS if u.username == "manager")
SHOTS = Path("/tmp/shots")


def test_admin_adds_a_rep_who_changes_the_one_time_password(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = admin.new_page()
    login(page, ADMIN.username, ADMIN.password)
    page.click("nav >> text=成员")
    page.wait_for_url("**/admin/users")
    form = page.locator("#new-user form")
    form.locator("input[name=username]").fill("zhaoyi")
    form.locator("input[name=display_name]").fill("赵一")
    form.locator("select[name=team_id]").select_option(label=DEMO_TEAM)
    form.locator("button[type=submit]").click()
    otp = page.locator("#one-time-password code").inner_text()
    assert re.fullmatch(r"\w{4}-\w{4}-\w{4}", otp)
    assert page.locator("#people tr[data-username=zhaoyi]").count() == 1
    page.screenshot(path=str(SHOTS / "people_admin_zh_1440.png"), full_page=True)
    page.click(".subnav >> text=团队")
    page.wait_for_url("**/admin/teams")
    assert page.locator(f"article[data-team='{DEMO_TEAM}'] input[type=checkbox]:checked").count() == 1
    page.screenshot(path=str(SHOTS / "teams_admin_zh_1440.png"), full_page=True)
    page.goto("/lang/en")
    page.goto("/admin/users")
    assert page.locator("h2").first.inner_text() == "People"
    page.screenshot(path=str(SHOTS / "people_admin_en_1440.png"), full_page=True)
    admin.close()

    phone = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto("/login")
    page.fill("input[name=username]", "zhaoyi")
    page.fill("input[name=password]", otp)
    page.click("button[type=submit]")
    page.wait_for_url("**/account/password")
    assert page.locator("#must-change").is_visible()
    page.screenshot(path=str(SHOTS / "password_zh_390.png"), full_page=True)
    page.fill("input[name=current_password]", otp)
    page.fill("input[name=new_password]", "zhaoyi-own-2026")
    page.fill("input[name=confirm_password]", "zhaoyi-own-2026")
    page.click("main form button[type=submit]")
    assert page.locator("#password-done").is_visible()
    page.goto("/")
    assert "赵一" in page.locator("#greeting").inner_text()
    phone.close()


def test_a_manager_sees_their_reps_on_a_phone(browser, live_server):
    phone = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    login(page, MANAGER.username, MANAGER.password)
    page.goto("/admin/users")
    assert page.locator("#people tbody tr").count() == 2  # the two demo reps
    page.screenshot(path=str(SHOTS / "people_manager_zh_390.png"), full_page=True)
    page.goto("/lang/en")
    page.goto("/admin/users")
    page.screenshot(path=str(SHOTS / "people_manager_en_390.png"), full_page=True)
    phone.close()
