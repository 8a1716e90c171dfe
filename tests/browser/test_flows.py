"""A rep scores a real deal with the 5K flow in the browser, sees the result and the deal on the pipeline."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.demo import DEMO_USERS
from app.models import User
from tests.utils.browser import FIVEK_CHOICES, REP, login
from tests.utils.factories import make_opportunity

pytestmark = pytest.mark.browser

MANAGER = next(u for u in DEMO_USERS if u.username == "manager")
SHOTS = "/tmp/shots"


def coach_says(page) -> str:
    return page.locator(".bubble.coach").last.inner_text()


def test_rep_runs_the_5k_flow_to_its_result(page):
    login(page, REP.username, REP.password)
    page.goto("/flows")
    page.click("#start-form summary")  # record the deal inline
    page.fill("input[name=new_account]", "华东精工汽车零部件")
    page.fill("input[name=new_name]", "ERP 升级")
    page.fill("input[name=new_amount]", "850000")
    page.click("#flow-fivek_intensity button[type=submit]")
    page.wait_for_url("**/flows/runs/*")

    # The deal answered "which customer" and "how much": the chat shows both answers, the coach moves on.
    page.wait_for_selector(".bubble.rep >> text=华东精工汽车零部件 · ERP 升级")
    page.wait_for_selector(".bubble.rep >> text=850000")
    assert "哪个客户、哪个机会" not in coach_says(page) and "预计金额" not in coach_says(page)

    page.locator(f"#choices button[value='{FIVEK_CHOICES[0]}']").wait_for()
    page.screenshot(path=f"{SHOTS}/flows_chat.png", full_page=True)
    for value in FIVEK_CHOICES:
        page.click(f"#choices button[value='{value}']")
        page.wait_for_load_state()

    page.wait_for_selector("#flow-result")
    assert page.inner_text("#run-status") == "已完成"
    assert page.inner_text("#fivek-total") == "76"
    assert page.inner_text("#fivek-probability") == "50%"
    assert page.inner_text("#fivek-milestone") == "合格决策者"
    assert page.inner_text("#fivek-forecast") == "¥425,000"
    assert page.locator("#fivek-chart svg").count() == 1
    assert page.locator("#fivek-scores tbody tr").count() == 5
    assert page.get_attribute("#export-md", "href").endswith("/export?format=md")
    page.screenshot(path=f"{SHOTS}/flows_5k_result.png", full_page=True)

    # On a phone, in English too, the scores table fits its card: the points column is not behind a sideways scroll.
    result_url = page.url
    page.set_viewport_size({"width": 390, "height": 844})
    for lang in ("zh", "en"):
        page.goto(f"/lang/{lang}")
        page.goto(result_url)
        table = page.locator("#fivek-scores")
        fits = table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth && t.offsetWidth <= innerWidth")
        assert fits, (lang, table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]"))
    page.goto("/lang/zh")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The deal now sits at the 50 % milestone of the pipeline.
    page.goto("/pipeline")
    row = page.locator("#deals tbody tr", has_text="华东精工汽车零部件")
    assert "50%" in row.inner_text() and "¥425,000" in row.inner_text()
    assert page.locator("#funnel svg").count() == 1
    page.screenshot(path=f"{SHOTS}/pipeline_rep.png", full_page=True)


def test_probe_pause_and_resume_in_the_chat(page):
    login(page, REP.username, REP.password)
    page.goto("/flows")
    page.click("#flow-opportunity_check button[type=submit]")
    page.wait_for_url("**/flows/runs/*")
    page.fill("#answer", "华东精工 ERP 升级")
    page.click("#send")
    page.click("#choices button[value='yes']")
    page.fill("#answer", "李总说过")
    page.click("#send")
    page.wait_for_selector(".bubble.coach.probe")
    assert "不够具体" in page.locator(".bubble.coach.probe").inner_text()
    assert page.inner_text("#skip") == "没有要补充的"

    page.click("#pause-button")
    page.wait_for_selector("#resume-button")
    assert page.inner_text("#run-status") == "已暂停" and page.locator("#answer").count() == 0
    page.click("#resume-button")
    page.fill("#answer", "11月20日李总在启动会上宣布300万预算已经批下来。")
    page.click("#send")
    page.wait_for_selector("text=我们的产品和方案能解决客户的问题吗")
    page.screenshot(path=f"{SHOTS}/flows_probe.png", full_page=True)

    # Back to the evidence question: its answer, the probe and the reply leave the chat.
    page.click("#back-button")
    page.wait_for_selector("#answer")
    assert "证据是什么" in coach_says(page) and page.locator(".bubble.coach.probe").count() == 0
    # An empty answer is refused with the engine's message.
    page.click("#send")
    assert page.inner_text("#answer-error") == "这个问题必须回答。"


def test_manager_sees_the_team_pipeline_with_a_rep_filter(page, session):
    reps = {user.username: user for user in session.exec(select(User)).all()}
    deals = [
        ("rep1", "华东精工", 850000, "milestone.m50", 50, None),
        ("rep1", "苏州电子", 300000, "milestone.m10", 10, None),
        ("rep2", "杭州人民医院", 1200000, "milestone.m25", 25, date.today() - timedelta(days=5)),
        ("rep2", "宁波银行", 500000, None, None, None),
    ]
    for owner, account, amount, milestone, probability, close in deals:
        make_opportunity(
            session,
            reps[owner],
            account=account,
            amount=amount,
            milestone_id=milestone,
            probability=probability,
            expected_close=close,
        )

    login(page, MANAGER.username, MANAGER.password)
    page.goto("/pipeline")
    assert page.locator("#deals tbody tr").count() == 4
    assert page.inner_text("#total-forecast") == "¥755,000"  # 425,000 + 30,000 + 300,000
    assert page.inner_text("#stalled-count") == "1"
    assert "已过预计签约日" in page.locator("#deals tr", has_text="杭州人民医院").inner_text()
    page.screenshot(path=f"{SHOTS}/pipeline_manager.png", full_page=True)

    page.select_option("#rep-filter select", label=REP.display_name)
    page.click("#rep-filter button")
    page.wait_for_url("**/pipeline?owner_id=*")
    assert sorted(page.locator("#deals tbody tr td:first-child").all_inner_texts()) == ["华东精工", "苏州电子"]
