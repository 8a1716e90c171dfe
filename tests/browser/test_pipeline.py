"""A rep marks one deal won and another lost on the pipeline page, then reopens the lost one."""

import pytest
from sqlmodel import select

from app.models import User
from tests.utils.browser import REP, SHOTS, login
from tests.utils.factories import make_opportunity

pytestmark = pytest.mark.browser


def test_rep_marks_deals_won_and_lost(page, session):
    rep = session.exec(select(User).where(User.username == REP.username)).one()
    for account, amount, milestone, probability in (
        ("华东精工", 850000, "milestone.m50", 50),
        ("苏州电子", 300000, "milestone.m10", 10),
    ):
        make_opportunity(session, rep, account=account, amount=amount, milestone_id=milestone, probability=probability)

    login(page, REP.username, REP.password)
    page.goto("/pipeline")
    assert page.inner_text("#total-forecast") == "¥455,000"  # 425,000 + 30,000

    # Marking a deal won asks first: cancelling changes nothing.
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("#deals tr", has_text="华东精工").locator(".outcome-won button").click()
    page.wait_for_timeout(300)
    assert questions and "华东精工" in questions[0]
    assert "已赢单" not in page.locator("#deals tr", has_text="华东精工").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#deals tr", has_text="华东精工").locator(".outcome-won button").click()
    page.wait_for_url("**/pipeline")
    won = page.locator("#deals tr", has_text="华东精工")
    assert "100% 结案" in won.inner_text() and "已赢单" in won.inner_text()
    closed_stage = page.locator("#stages tbody tr").last  # 100% 结案
    assert closed_stage.locator("td").all_inner_texts()[:3] == ["结案", "100%", "1"]
    assert page.inner_text("#total-forecast") == "¥880,000"  # the won deal in full + 30,000

    lost_row = page.locator("#deals tr", has_text="苏州电子")
    lost_row.locator(".outcome-lost summary").click()
    lost_row.locator("input[name=reason]").fill("客户选了竞品，价格低 20%")
    page.screenshot(path=f"{SHOTS}/pipeline_outcome_form.png", full_page=True)
    lost_row.locator(".outcome-lost button").click()
    page.wait_for_url("**/pipeline")
    assert page.locator("#deals tbody tr").count() == 1
    assert page.inner_text("#total-forecast") == "¥850,000"
    assert not page.locator("#lost").is_visible(), "lost deals are folded away"
    page.click("#lost-deals summary")
    assert "客户选了竞品，价格低 20%" in page.locator("#lost tr", has_text="苏州电子").inner_text()
    page.screenshot(path=f"{SHOTS}/pipeline_outcome.png", full_page=True)

    page.locator("#lost tr", has_text="苏州电子").locator(".outcome-open button").click()
    page.wait_for_url("**/pipeline")
    assert page.locator("#deals tbody tr").count() == 2 and page.locator("#lost-deals").count() == 0
    assert "10% " in page.locator("#deals tr", has_text="苏州电子").inner_text()
