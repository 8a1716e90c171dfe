"""A rep signs in through the real login page and sees the home page."""

import pytest

from app.demo import DEMO_USERS
from tests.utils.browser import login

pytestmark = pytest.mark.browser

REP = next(u for u in DEMO_USERS if u.username == "rep1")


def test_demo_rep_logs_in_and_sees_home(page, tmp_path):
    login(page, REP.username, REP.password)
    assert page.locator("#greeting").inner_text() == f"你好，{REP.display_name}"
    assert page.locator("nav .main-nav").get_by_text("角色扮演").is_visible()
    assert page.locator("nav").get_by_text("团队").count() == 0
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)


def test_wrong_password_stays_on_login(page):
    page.goto("/login")
    page.fill("input[name=username]", REP.username)
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").inner_text() == "用户名或密码不正确。"


def test_english_switch(page):
    login(page, REP.username, REP.password)
    page.click("#lang-switch")
    page.wait_for_selector("text=Role-play")
    assert page.locator("#greeting").inner_text() == f"Hello, {REP.display_name}"
