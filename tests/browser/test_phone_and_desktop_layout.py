"""On a phone (390 px) and a desktop (1440 px), in Chinese and English: the scorecard's radar labels read
horizontally inside the screen, and the deals, stages and people tables fit the screen without scrolling sideways."""

import pytest
from sqlmodel import select

from app.models import User
from tests.utils.browser import MANAGER, REP, SCENARIO, SHOTS, api_client, login
from tests.utils.factories import make_opportunity
from tests.utils.scripted_reps import weak_rep_lines

pytestmark = pytest.mark.browser

WIDTHS = (390, 1440)
LANGS = ("zh", "en")

# Each radar axis label: whether it is turned (its screen matrix has a skew/rotation part) and where it lands.
RADAR_LABELS = """() => {
  const svg = document.querySelector('#radar-chart svg').getBoundingClientRect();
  return [...document.querySelectorAll('#radar-chart svg .axis.x text')].map(label => {
    const m = label.getScreenCTM(), box = label.getBoundingClientRect();
    return {text: label.textContent, turned: Math.abs(m.b) > 0.001 || Math.abs(m.c) > 0.001,
            inside: box.left >= Math.max(0, svg.left) - 0.5 && box.right <= Math.min(innerWidth, svg.right) + 0.5
                    && box.top >= svg.top - 0.5 && box.bottom <= svg.bottom + 0.5};
  });
}"""

# The page and the table's own box: nothing wider than the screen, nothing to scroll sideways.
FITS = """selector => {
  const table = document.querySelector(selector), box = table.getBoundingClientRect();
  const scroller = table.closest('.table-wrap, .table-scroll') || table.parentElement;
  return document.documentElement.scrollWidth <= innerWidth && box.right <= innerWidth + 0.5
    && scroller.scrollWidth <= scroller.clientWidth + 1;
}"""


def _context(browser, live_server, width: int, lang: str):
    context = browser.new_context(
        base_url=live_server, locale="zh-CN", viewport={"width": width, "height": 900 if width > 400 else 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _in_language(page, lang: str, path: str) -> None:
    if lang == "en":
        page.goto("/lang/en")
    page.goto(path)


def test_the_radar_labels_are_horizontal_and_on_screen(browser, live_server):
    with api_client(live_server, REP) as api:
        roleplay_id = api.post("/api/roleplays", json={"scenario_id": SCENARIO.id}).json()["id"]
        for line in weak_rep_lines(SCENARIO)[:4]:
            api.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line})
        api.post(f"/api/roleplays/{roleplay_id}/finish").raise_for_status()
    for width in WIDTHS:
        for lang in LANGS:
            context, page = _context(browser, live_server, width, lang)
            login(page, REP.username, REP.password)
            _in_language(page, lang, f"/roleplay/{roleplay_id}/scorecard")
            page.locator("#radar-chart svg").scroll_into_view_if_needed()
            labels = page.evaluate(RADAR_LABELS)
            assert len(labels) == 5, labels
            assert not [label for label in labels if label["turned"] or not label["inside"]], (width, lang, labels)
            page.screenshot(path=str(SHOTS / f"scorecard_{lang}_{width}.png"), full_page=True)
            context.close()


def test_the_deals_and_people_tables_fit_a_phone_and_stay_tables_on_a_desktop(browser, live_server, session):
    rep = session.exec(select(User).where(User.username == REP.username)).one()
    make_opportunity(
        session,
        rep,
        account="华东精工集团有限公司",
        name="ERP 二期扩容项目",
        amount=850000,
        milestone_id="milestone.m50",
        probability=50,
    )
    make_opportunity(session, rep, account="苏州电子", amount=300000, milestone_id="milestone.m10", probability=10)
    for width in WIDTHS:
        for lang in LANGS:
            context, page = _context(browser, live_server, width, lang)
            login(page, MANAGER.username, MANAGER.password)
            for path, table in (("/pipeline", "#deals"), ("/admin/users", "#people")):
                _in_language(page, lang, path)
                assert page.locator(f"{table} tbody tr").count() == 2
                assert page.evaluate(FITS, table), (width, lang, path)
                if table == "#deals":  # the stages' summary above the deals too (English stage names are long)
                    assert page.evaluate(FITS, "#stages"), (width, lang, "#stages")
                # A phone shows each row as a card without the header row; a desktop keeps the table's header.
                assert page.locator(f"{table} thead").is_visible() == (width > 400), (width, lang, path)
                page.screenshot(
                    path=str(SHOTS / f"{path.strip('/').replace('/', '_')}_{lang}_{width}.png"), full_page=True
                )
            context.close()
