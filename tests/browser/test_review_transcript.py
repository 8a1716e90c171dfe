"""The manager reads a rep's finished call as a transcript: it opens at the top (or at the line a link names), not
in a box scrolled to its end; the side panel and the notice name the rep instead of saying "you"; the review form
(comment, score override and reason) is open on the page and line comments are made right under each line."""

import pytest

from tests.utils.browser import MANAGER, REP, SHOTS, login, weak_drill_attempt

pytestmark = pytest.mark.browser


def _manager_page(browser, live_server, lang: str, width: int):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, MANAGER.username, MANAGER.password)
    return context, page


def test_the_manager_reviews_on_the_transcript_from_the_top(browser, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    attempt, coach_score = weak_drill_attempt(live_server, REP, pass_score=60, attempts=3)
    for lang, width in (("zh", 1440), ("zh", 390), ("en", 1440), ("en", 390)):
        context, page = _manager_page(browser, live_server, lang, width)
        page.goto(f"/roleplay/{attempt}")
        page.wait_for_load_state("load")
        assert page.evaluate("window.scrollY") == 0
        chat = page.locator("#chat")
        assert chat.get_attribute("data-transcript") == "1"
        # the whole conversation is in the page, not in a box that hides its start
        assert chat.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
        assert REP.display_name in page.locator("#read-only").inner_text()
        coach = page.locator("#coach").inner_text()
        talk = "的说话占比" if lang == "zh" else "share of words"
        assert f"{REP.display_name}" in coach and talk in coach
        assert ("你的说话占比" if lang == "zh" else "Your share of words") not in coach
        form = page.locator("#review-block details.review-form")
        assert form.get_attribute("open") is not None
        assert form.locator("input[name=override_score]").is_visible()
        assert form.locator("input[name=reason]").is_visible()
        assert page.locator(".turn-comment-form").count() == page.locator("#chat .bubble.rep").count()
        page.screenshot(path=str(SHOTS / f"review_transcript_top_{lang}_{width}.png"), full_page=False)
        context.close()

    # a comment on the second line: back on the transcript at that line, the comment under it
    context, page = _manager_page(browser, live_server, "zh", 1440)
    page.goto(f"/roleplay/{attempt}")
    second = page.locator(".turn-comment-form").nth(1)
    second.locator("summary").click()
    second.locator("textarea").fill("这一句可以先确认对方的顾虑。")
    second.locator("button[type=submit]").click()
    page.wait_for_url("**#turn-*")
    turn_id = page.url.split("#turn-")[1]
    assert (
        page.locator(f".turn-comment[data-turn-id='{turn_id}']").inner_text().endswith("这一句可以先确认对方的顾虑。")
    )
    assert page.evaluate("window.scrollY") > 0  # at the commented line, not at the top or the bottom
    line = page.locator(f"#turn-{turn_id}")
    box, height = line.bounding_box(), page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] < height
    # the score override with its reason, from the form that is already open
    block = page.locator("#review-block")
    block.locator("input[name=override_score]").fill(str(min(coach_score + 10, 100)))
    block.locator("input[name=reason]").fill("客户其实已经同意了试点")
    block.locator("form button[type=submit]").click()
    block.locator(".review").wait_for()
    assert "客户其实已经同意了试点" in block.inner_text()
    page.screenshot(path=str(SHOTS / "review_transcript_after_zh_1440.png"), full_page=True)
    context.close()
