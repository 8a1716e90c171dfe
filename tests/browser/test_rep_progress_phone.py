"""In Chromium: a rep's progress page keeps its score chart readable on a 390 px phone (axis labels at a
readable size, not a wide chart shrunk to a third) as on a 1440 px screen, in Chinese and English."""

import pytest

from app.demo import DEMO_USERS
from tests.utils.browser import MANAGER, SHOTS, api_client, login, weak_drill_attempt

pytestmark = pytest.mark.browser

REP = next(u for u in DEMO_USERS if u.username == "rep2")

# The visible score chart's smallest y-axis label, in CSS pixels as drawn on the screen.
LABEL_HEIGHT = """() => {
  const svg = [...document.querySelectorAll('#score-chart svg')].find(s => s.getBoundingClientRect().width > 0);
  const labels = [...svg.querySelectorAll('.axis.y text')].filter(t => t.textContent.trim());
  return Math.min(...labels.map(t => t.getBoundingClientRect().height));
}"""


def test_the_score_chart_is_readable_on_a_phone(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    weak_drill_attempt(live_server, REP, pass_score=70, attempts=3)
    with api_client(live_server, MANAGER) as manager:
        rep_id = next(u["id"] for u in manager.get("/api/users").json() if u["username"] == REP.username)
    for lang, width in (("zh", 390), ("en", 390), ("zh", 1440)):
        context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        login(page, MANAGER.username, MANAGER.password)
        page.goto(f"/lang/{lang}")
        page.goto(f"/team/reps/{rep_id}")
        assert page.evaluate(LABEL_HEIGHT) >= 14, (lang, width)  # a wide chart shrunk to a phone: about 10
        page.screenshot(path=str(SHOTS / f"rep_progress_{lang}_{width}.png"), full_page=True)
        context.close()
