"""In Chromium: the team dashboard at 15 reps shows each skill over time as small multiples (one chart per skill),
readable at 1440 and 390 px in Chinese and English, and the dashboard's date range applies to them."""

from datetime import UTC, datetime, time, timedelta

import httpx
import pytest
from sqlmodel import Session, select

from app.demo import DEMO_TEAM, DEMO_USERS
from app.drills.analytics import SKILLS
from app.models import Role, RolePlay
from app.models.common import TEAM_TIMEZONE, team_today
from app.roleplay.scenarios import get_scenario
from tests.utils.browser import SHOTS, login
from tests.utils.factories import PASSWORD, make_user
from tests.utils.scripted_reps import strong_rep_lines, weak_rep_lines

pytestmark = pytest.mark.browser

MANAGER = next(u for u in DEMO_USERS if u.username == "manager")
SCENARIO = "mfg_vitamin_erp"
REPS = 15
# The radar axis labels (the upright <text dy> ones) closer than 1 px to the edge of their own chart, or past it: a
# label touching the edge reads as cut off (as "Control" and "Problem" did on a phone).
RADAR_LABELS_AT_THE_EDGE = """texts => texts.flatMap(text => {
  const label = text.getBoundingClientRect(), chart = text.ownerSVGElement.getBoundingClientRect();
  const clear = Math.min(label.left - chart.left, chart.right - label.right);
  return clear < 1 ? [`${text.textContent}: ${clear.toFixed(1)} px clear`] : [];
})"""


def _practice(live_server: str, username: str, lines: list[str]) -> int:
    with httpx.Client(base_url=live_server, timeout=30) as api:
        token = api.post("/api/auth/token", data={"username": username, "password": PASSWORD}).json()
        api.headers["Authorization"] = f"Bearer {token['access_token']}"
        roleplay_id = api.post("/api/roleplays", json={"scenario_id": SCENARIO}).json()["id"]
        for line in lines:
            if api.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}).json()["state"]["finished"]:
                break
        api.post(f"/api/roleplays/{roleplay_id}/finish").raise_for_status()
        return roleplay_id


@pytest.fixture
def fifteen_reps(engine, live_server):
    """Fifteen reps in the demo team (the two demo reps and 13 more), each with one call on its own day."""
    scenario = get_scenario(SCENARIO)
    today = team_today()
    days = {}
    with Session(engine) as session:
        names = [
            make_user(session, Role.rep, team=DEMO_TEAM, username=f"trend_rep_{i:02d}").username for i in range(13)
        ]
    for index, username in enumerate(names):
        lines = strong_rep_lines(scenario) if index % 2 else weak_rep_lines(scenario)[:4]
        days[_practice(live_server, username, lines)] = today - timedelta(days=2 * index)
    with Session(engine) as session:
        for roleplay_id, day in days.items():
            roleplay = session.get(RolePlay, roleplay_id)
            roleplay.finished_at = datetime.combine(day, time(15), TEAM_TIMEZONE).astimezone(UTC)
            session.add(roleplay)
        session.commit()
        assert len(session.exec(select(RolePlay)).all()) == 13
    return sorted(days.values())


@pytest.mark.parametrize("lang, width", [("zh", 1440), ("zh", 390), ("en", 1440), ("en", 390)])
def test_skill_trends_at_fifteen_reps(browser, live_server, fifteen_reps, lang, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, MANAGER.username, MANAGER.password)
        page.goto("/team")
        assert page.locator("#reps tbody tr").count() == REPS
        trends = page.locator("#skill-trends")
        assert trends.get_attribute("data-unit") == "day"
        charts = trends.locator("figure.chart[data-skill]")
        assert charts.count() == len(SKILLS)
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box is not None and box["width"] <= width  # nothing runs off a phone's screen
        title = "挖掘信息" if lang == "zh" else "Discovery"
        assert title in trends.locator("figure[data-skill='discovery']").inner_text()
        trends.scroll_into_view_if_needed()
        trends.screenshot(path=str(SHOTS / f"team_skill_trends_{lang}_{width}.png"))
        # each 5K radar keeps its axis labels clear of the chart's edge
        radars = page.locator("#radars figure.chart svg")
        assert radars.count() == len(fifteen_reps)  # one a rep who practised
        assert page.locator("#radars svg text[dy]").evaluate_all(RADAR_LABELS_AT_THE_EDGE) == []
        # the range form narrows the trend: from the latest practice day on, one point per chart
        page.fill("#since", fifteen_reps[-1].isoformat())
        page.locator("#team-filter button[type=submit]").click()
        page.wait_for_url("**/team?*since=*")
        dots = page.locator("#skill-trends figure[data-skill='discovery'] .dots")
        assert dots.count() == 1
        page.fill("#since", (fifteen_reps[-1] + timedelta(days=1)).isoformat())
        page.locator("#team-filter button[type=submit]").click()
        page.wait_for_url("**/team?*since=*")
        assert page.locator("#skill-trends figure[data-skill]").count() == 0
        empty = "所选日期范围内还没有完成的练习" if lang == "zh" else "No finished practice in the chosen date range"
        assert empty in page.locator("#skill-trends").inner_text()
    finally:
        context.close()
