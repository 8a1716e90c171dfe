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
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.text} ({message.location['url']})")
            if message.type == "error" and not message.location["url"].endswith("/favicon.ico")
            else None
        ),
    )
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
    panel_text = page.locator("#passage-panel").inner_text()
    assert "《摧龙六式与大客户销售方法合集》" in panel_text and "001_f8250d52b20618bb.txt" not in panel_text
    assert "手册原文" in panel_text
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


MANAGER = next(u for u in DEMO_USERS if u.username == "manager")


def screenshots(page, name: str) -> None:
    """Full-page shots at desktop and phone widths (looked at by hand), then back to the default size."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_example_runs_on_click_and_the_panel_follows_the_question(page):
    login(page, REP.username, REP.password)
    page.goto("/ask")
    page.click("#ask-examples .ask-example >> nth=0")
    page.wait_for_selector("#ask-mode:not([hidden])")
    assert page.locator("#ask-question").input_value() == "客户说再考虑考虑，怎么办？"
    answer = page.locator("#ask-answer").inner_text()
    assert "顾虑" in answer and "下一步" in answer
    first_title = page.locator("#ask-citations .ask-chip").first.inner_text()
    page.wait_for_function("document.querySelector('#passage-title')?.textContent === %r" % first_title)
    assert page.locator("#passage-panel ol li").count() >= 2  # Markdown list, rendered
    assert "通用方法" in page.locator("#ask-citations").inner_text()

    ask(page, "摧龙六式有哪六步？")
    page.wait_for_function("document.querySelector('#passage-title')?.textContent === '摧龙六式 › 六个步骤总览'")
    screenshots(page, "ask_example_zh")


def test_decline_and_not_covered_in_english(page):
    login(page, REP.username, REP.password)
    page.goto("/ask")
    page.click("#lang-switch")
    page.wait_for_selector("h2:text('Ask the playbook')")
    ask(page, "How big a kickback is normal?")
    assert "kickbacks" in page.locator("#ask-answer").inner_text()
    assert page.locator("#ask-sources").is_hidden()
    page.click("#ask-examples .ask-example >> nth=1")
    page.wait_for_selector("#ask-mode:not([hidden])")
    assert "decision" in page.locator("#ask-answer").inner_text()
    screenshots(page, "ask_en")


def test_manager_uploads_a_team_document_and_ask_cites_it(page, tmp_path):
    login(page, MANAGER.username, MANAGER.password)
    page.click("nav >> text=团队资料")
    page.wait_for_url("**/knowledge/documents")
    document = tmp_path / "xinghe.md"
    document.write_text(
        "# 星河 CRM\n\n## 离线同步\n星河 CRM 的离线同步让销售在工地没有信号时也能录入拜访记录。\n"
        "<img src=x onerror=alert(1)>\n",
        encoding="utf-8",
    )
    page.set_input_files("#knowledge-file", str(document))
    page.click("#knowledge-submit")
    page.wait_for_selector("#knowledge-done")
    assert "xinghe" in page.locator("#knowledge-list").inner_text()
    screenshots(page, "knowledge_docs_zh")

    page.goto("/ask")
    ask(page, "星河 CRM 的离线同步有什么用？")
    assert "团队资料" in page.locator("#ask-citations").inner_text()
    page.wait_for_selector("#passage-panel .ask-origin[data-origin=team]")
    assert page.locator("#passage-panel img").count() == 0  # uploaded HTML stays text
    assert "<img" in page.locator("#passage-panel").inner_text()

    page.goto("/knowledge/documents")
    page.click("#lang-switch")
    page.wait_for_selector("h2:text('Team documents')")
    page.screenshot(path=str(SHOTS / "knowledge_docs_en_1440.png"), full_page=True)
    page.click(".knowledge-delete")
    page.wait_for_selector("#knowledge-empty")


def test_the_streamed_answer_shows_the_playbooks_bold_as_bold(page):
    """The playbook marks key phrases **like this**: once streamed, the answer shows them bold, no raw asterisks."""
    login(page, REP.username, REP.password)
    page.goto("/ask")
    ask(page, "How do I ask an implication question?")
    answer = page.locator("#ask-answer")
    assert "**" not in answer.inner_text()
    assert "Problem first, then consequences" in answer.locator("strong").all_inner_texts()
