"""A rep asks the playbook in the browser: the answer streams in, a citation opens its passage."""

from pathlib import Path

import pytest

from app.demo import DEMO_USERS
from tests.utils.browser import login

pytestmark = pytest.mark.browser

REP = next(u for u in DEMO_USERS if u.username == "rep1")
SHOTS = Path("/tmp/shots")
SIX_STEPS = ["客户分析", "建立信任", "挖掘需求", "呈现价值", "赢取承诺", "跟进服务"]


def ask(page, question: str) -> None:
    page.fill("#ask-question", question)
    page.click("#ask-submit")
    page.wait_for_selector("#ask-mode:not([hidden])")  # shown by the `done` event


def test_ask_streams_the_answer_and_a_citation_opens_the_passage(page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"{message.text} ({message.location['url']})")
            if message.type == "error" and not message.location["url"].endswith("/favicon.ico") else None)
    login(page, REP.username, REP.password)
    page.click("nav >> text=问手册")
    page.wait_for_url("**/ask")
    assert page.locator("#ask-question").get_attribute("placeholder") == "例如：摧龙六式有哪六步？"

    ask(page, "摧龙六式有哪六步？")
    answer = page.locator("#ask-answer").inner_text()
    assert all(step in answer for step in SIX_STEPS), answer
    assert page.locator("#ask-mode").inner_text() == "离线"
    assert page.url.endswith("/ask"), "the answer streamed in place; the form was not posted"

    chip = page.locator("#ask-citations .ask-chip").first
    assert chip.inner_text() == "摧龙六式 › 六个步骤总览"
    chip.click()
    page.wait_for_selector("#passage-title")
    assert page.locator("#passage-title").inner_text() == "摧龙六式 › 六个步骤总览"
    assert "001_f8250d52b20618bb.txt" in page.locator("#passage-panel").inner_text()
    assert page.url.endswith("/ask"), "the passage opened in the side panel"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "ask.png"), full_page=True)
    assert not errors, errors  # includes CSP violations


def test_second_question_replaces_the_first_answer(page):
    login(page, REP.username, REP.password)
    page.goto("/ask")
    ask(page, "摧龙六式有哪六步？")
    ask(page, "公司年会在哪里开？")
    assert "没有涉及" in page.locator("#ask-answer").inner_text()
    assert "客户分析" not in page.locator("#ask-answer").inner_text()
    assert page.locator("#ask-sources").is_hidden()


def test_english_ui(page):
    login(page, REP.username, REP.password)
    page.goto("/ask")
    page.click("#lang-switch")
    page.wait_for_selector("h2:text('Ask the playbook')")
    ask(page, "What are the four SPIN question types?")
    assert page.locator("#ask-mode").inner_text() == "Offline"
    assert "暗示问题" in page.locator("#ask-answer").inner_text()
    page.screenshot(path=str(SHOTS / "ask_en.png"), full_page=True)
