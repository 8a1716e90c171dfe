"""In Chromium, as the demo manager: the navigation's links stay on one line each at 1440 px in English (ten links
used to break into two-line stacks), and the manager adds a rep to their own team from the People page on a phone,
choosing only among the teams they lead."""

import pytest

from app.demo import DEMO_TEAM
from tests.utils.browser import MANAGER, SHOTS, login

pytestmark = pytest.mark.browser

# Links of the main navigation drawn on more than one line.
BROKEN_LINKS = """() => [...document.querySelectorAll('.main-nav a')]
  .filter(a => a.getClientRects().length > 1 || a.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(a).lineHeight || 20))
  .map(a => a.textContent.trim())"""


def test_the_managers_navigation_fits_at_1440_in_english(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "zh"):
        context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1440, "height": 900})
        page = context.new_page()
        login(page, MANAGER.username, MANAGER.password)
        page.goto(f"/lang/{lang}")
        page.goto("/admin/users")
        assert page.locator(".main-nav a").count() == 10
        assert page.evaluate(BROKEN_LINKS) == [], lang
        page.screenshot(path=str(SHOTS / f"manager_nav_{lang}_1440.png"))
        context.close()


def test_a_manager_adds_a_rep_to_their_team_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, MANAGER.username, MANAGER.password)
    page.goto("/lang/en")
    page.locator("#nav-menu summary").click()
    page.locator("#nav-menu a[href='/admin/users']").click()
    page.wait_for_url("**/admin/users")
    form = page.locator("#new-user form")
    assert form.locator("select[name=team_id] option").all_inner_texts() == [DEMO_TEAM]  # only the team they lead
    assert form.locator("select[name=role] option").count() == 1  # reps only
    form.get_by_label("Username").fill("sunqi")
    form.get_by_label("Name", exact=True).fill("孙七")
    form.locator("button[type=submit]").click()
    assert page.locator("#one-time-password code").is_visible()
    assert page.locator("#people tr[data-username=sunqi]").count() == 1
    page.screenshot(path=str(SHOTS / "manager_adds_rep_en_390.png"), full_page=True)
    context.close()


def test_the_phone_menu_leads_to_changing_ones_password(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, MANAGER.username, MANAGER.password)
    assert not page.locator("#whoami").is_visible()  # the name link of wide screens is hidden on a phone
    page.locator("#nav-menu summary").click()
    page.locator("#nav-menu a[href='/account/password']").click()
    page.wait_for_url("**/account/password")
    assert page.locator("input[name=new_password]").is_visible()
    context.close()
