"""In Chromium: when the model is skipped (daily budget used), the chat shows the offline buyer's reply with a notice."""

from pathlib import Path

import pytest

from app.roleplay.feedback import notice as notice_of
from tests.utils.browser import SCENARIO, login, say
from tests.utils.fake_llm import llm_mode
from tests.utils.scripted_reps import strong_rep_lines

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


@pytest.fixture
def settings(make_settings, fake_llm):
    """LLM mode with a budget the first reply uses up (the live server is built from `settings`)."""
    return make_settings(**llm_mode(fake_llm, llm_daily_token_budget=10))


def test_the_budget_notice_is_shown_in_the_chat(page, fake_llm):  # noqa: F811
    SHOTS.mkdir(exist_ok=True)
    login(page, "rep1", "rep1-demo-2026")
    page.goto("/roleplay")
    page.locator(f"article[data-scenario='{SCENARIO.id}'] button.start-button").click()
    page.wait_for_url("**/roleplay/*")
    first, second = strong_rep_lines(SCENARIO)[:2]
    say(page, first)  # the model answers and uses the day's budget
    assert page.locator("#chat .reply-notice").count() == 0
    say(page, second)  # skipped up front: the scripted buyer answers, with the notice under the reply
    notice = page.locator("#chat .bubble.buyer").last.locator(".reply-notice")
    assert notice.is_visible() and notice.inner_text() == notice_of("budget_exhausted").text
    page.screenshot(path=str(SHOTS / "hardening_budget_notice.png"), full_page=True)
    assert sum(1 for body in fake_llm.requests if body.get("stream")) == 1, "the second reply did not call the model"
