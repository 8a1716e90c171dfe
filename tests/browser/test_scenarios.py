"""In Chromium: a manager authors a scenario from scratch in the editor form, plays it as a rep and sees the
scorecard; a rep rehearses a real deal from its stakeholder map and the scorecard links back to the deal."""

from pathlib import Path

import httpx
import pytest

from tests.utils.browser import fill_editor, login, say
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
    fill_editor(page, AUTHORED_FORM)
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


def test_editor_fact_rows_grow_past_four_and_the_dimensions_say_what_they_mean(page):
    """Five situation facts (the old form had four slots), one added row removed again; the five dimensions show
    each type's meaning beside it; saved, the rows come back in order and the scenario plays."""
    login(page, "manager", "manager-demo-2026")
    page.goto("/scenarios/new")
    maslow = page.locator("#dimension-maslow")
    assert maslow.locator("label.choice").count() == 5
    safety = maslow.locator("label.choice", has=page.locator("input[value='fivedim.maslow.safety']"))
    assert safety.locator(".meaning").is_visible() and "谨慎" in safety.locator(".meaning").inner_text()
    values = dict(AUTHORED_FORM)
    extra = {
        "fact_situation_2_text": "总部有一个三人的运营小组，负责门店的制度和培训。",
        "fact_situation_3_text": "门店收银用的是另一家公司的系统，数据每天晚上汇总一次。",
        "fact_situation_4_text": "去年新开了二十家店，今年计划再开三十家。",
        "fact_situation_5_text": "这一行会被删掉。",
    }
    extra |= {key + "_en": f"Situation fact {key[15]} in English." for key in list(extra)}
    fill_editor(page, values | extra)
    group = page.locator(".fact-group[data-category='situation']")
    assert group.locator(".fact-slot").count() == 6
    assert group.locator(".fact-slot[data-index='5'] .fact-label").inner_text() == "S6"
    group.locator(".fact-slot[data-index='5'] .remove-fact").click()
    assert group.locator(".fact-slot").count() == 5
    page.click("#save-scenario")
    page.wait_for_url("**/edit?saved=1")
    saved = page.locator(".fact-group[data-category='situation'] .fact-slot")
    texts = [saved.nth(i).locator("textarea").first.input_value() for i in range(saved.count())]
    assert texts[:5] == [
        values["fact_situation_0_text"],
        values["fact_situation_1_text"],
        *[extra[f"fact_situation_{i}_text"] for i in (2, 3, 4)],
    ]
    assert "这一行会被删掉" not in page.content()
    assert page.locator("#dimension-maslow input[value='fivedim.maslow.belonging']").is_checked()
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=str(SHOTS / "scenario_editor_390.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.locator("#five-dimensions").screenshot(path=str(SHOTS / "scenario_editor_dimensions.png"))
    page.click("#play-as-rep")
    page.wait_for_url("**/roleplay/*")
    say(page, "目前总部有哪些团队负责门店的运营？")
    assert page.locator("#chat .bubble.buyer").count() >= 2


def test_editor_dimensions_are_explained_in_english(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-US", viewport={"width": 1440, "height": 900})
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page = context.new_page()
    try:
        login(page, "manager", "manager-demo-2026")
        page.goto("/scenarios/new")
        meaning = page.locator(
            "#dimension-attitude label.choice", has=page.locator("input[value='fivedim.attitude.coach']")
        )
        assert "supporter" in meaning.locator(".meaning").inner_text()
        assert page.locator(".fact-group .add-fact").first.is_visible()
        assert "Add a fact to S" in page.locator(".fact-group .add-fact").first.inner_text()
    finally:
        context.close()
