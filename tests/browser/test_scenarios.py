"""In Chromium: a manager authors a scenario from scratch in the editor form, plays it as a rep and sees the
scorecard; a rep rehearses a real deal from its stakeholder map and the scorecard links back to the deal."""

from pathlib import Path

import httpx
import pytest

from tests.utils.browser import login, say
from tests.utils.flows import SPIN_SCRIPT, STAKEHOLDER_SCRIPT, run_flow
from tests.utils.scenario_library import AUTHORED_FORM

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
STRONG_OPENING = [
    "目前贵公司在排班方面是怎么安排的？能具体介绍一下吗？",
    "在人手方面，您遇到过哪些困难或者不满意的地方？",
]


def finish(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#finish-button")
    page.wait_for_url("**/scorecard")


def test_manager_authors_a_scenario_in_the_form_and_plays_it(page):
    SHOTS.mkdir(exist_ok=True)
    login(page, "manager", "manager-demo-2026")
    page.goto("/scenarios")
    page.click("#new-scenario")
    page.wait_for_url("**/scenarios/new")
    form = page.locator("#scenario-form")
    for name, value in AUTHORED_FORM.items():
        if name == "team" or not value:
            continue
        field = form.locator(f"[name='{name}']")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.click("#save-scenario")
    page.wait_for_url("**/edit?saved=1")
    assert page.locator("#saved").is_visible()
    assert page.locator("#checklist, #checklist-ok").count() == 1  # the checklist is on the editor
    # the suggested topics of the fact left without any are now in its field, to edit
    assert page.locator("[name='fact_problem_1_topics']").input_value()
    page.screenshot(path=str(SHOTS / "scenario_editor.png"), full_page=True)
    page.click("#play-as-rep")
    page.wait_for_url("**/roleplay/*")
    assert AUTHORED_FORM["opening_line"] in page.locator("#chat").inner_text()
    for line in STRONG_OPENING:
        say(page, line)
    assert AUTHORED_FORM["fact_situation_0_text"] in page.locator("#chat").inner_text()
    finish(page)
    assert page.locator("#score-total").is_visible()
    assert AUTHORED_FORM["title_zh"] in page.locator("h2").first.inner_text()


def test_rep_rehearses_a_deal_from_its_stakeholder_map(page, live_server):
    with httpx.Client(base_url=live_server, timeout=30) as api:
        token = api.post("/api/auth/token", data={"username": "rep1", "password": "rep1-demo-2026"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        deal = api.post("/api/opportunities", json={"account": "华东精工", "name": "ERP 升级"}, headers=headers).json()
        run_flow(api, headers, "stakeholder_map", STAKEHOLDER_SCRIPT, opportunity_id=deal["id"])
        run_flow(api, headers, "spin_call_plan", SPIN_SCRIPT, opportunity_id=deal["id"])
    login(page, "rep1", "rep1-demo-2026")
    page.goto("/pipeline")
    box = page.locator(f"#deal-{deal['id']}")
    box.locator("select[name=stakeholder]").select_option("赵强")
    box.locator("button[type=submit]").click()
    page.wait_for_url("**/roleplay/*")
    assert "赵强" in page.locator("#chat").inner_text()
    say(page, "目前各厂在生产计划方面是怎么安排的？能具体介绍一下吗？")
    finish(page)
    link = page.locator("#rehearsal-deal a").first
    assert "华东精工" in link.inner_text()
    page.screenshot(path=str(SHOTS / "rehearsal_scorecard.png"), full_page=True)
    link.click()
    page.wait_for_url("**/pipeline*")
    assert "演练：华东精工 · 赵强" in page.locator(f"#deal-{deal['id']} .rehearsal-list").inner_text()
