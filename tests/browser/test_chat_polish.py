"""The chat never gets stuck: every error reply (422, 409, 429, 5xx, no network) shows a message and sending works
again; Enter sends on desktop (not Shift+Enter, not while an input method composes); on a 390 px phone the menu
folds and the composer stays put."""

from pathlib import Path

import pytest

from app.i18n import translate
from tests.utils.browser import login

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


def open_chat(page) -> None:
    login(page, "rep1", "rep1-demo-2026")
    page.goto("/roleplay")
    page.locator("button.start-button").first.click()
    page.wait_for_url("**/roleplay/*")


def rep_bubbles(page) -> int:
    return page.locator("#chat .bubble.rep").count()


def wait_idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('#chat .bubble.streaming') && !document.getElementById('send-button').disabled"
    )


def test_every_error_reply_shows_a_message_and_sending_works_again(page):
    open_chat(page)
    box, button, error = (
        page.locator("#composer-form textarea"),
        page.locator("#send-button"),
        page.locator("#chat-error"),
    )

    box.fill("   ")  # whitespace only: the server answers 422
    button.click()
    page.wait_for_function("() => document.getElementById('chat-error').textContent.trim() !== ''")
    assert "2000" in error.inner_text() and button.is_enabled()

    for status in (500, 503, 409):
        body = '{"detail": "x", "message": "服务器消息 %d"}' % status
        page.route(
            "**/roleplay/*/messages",
            lambda route, _request, status=status, body=body: route.fulfill(
                status=status, content_type="application/json", body=body
            ),
        )
        box.fill("你们现在用什么系统排课？")
        button.click()
        page.wait_for_function(f"() => document.getElementById('chat-error').textContent.includes('{status}')")
        assert button.is_enabled() and box.input_value() == "你们现在用什么系统排课？", "the text is kept"
        page.unroute("**/roleplay/*/messages")

    # 409 (a reply still coming) and 429 (too fast) as the chat route sends them: its error line's fragment.
    for status, text in ((409, "上一条回复还没结束"), (429, translate("roleplay.chat.rate_limited", "zh"))):
        page.route(
            "**/roleplay/*/messages",
            lambda route, _request, status=status, text=text: route.fulfill(
                status=status,
                content_type="text/html",
                headers={"HX-Retarget": "#chat-error", "HX-Reswap": "innerHTML", "Retry-After": "5"},
                body=text,
            ),
        )
        button.click()
        page.wait_for_function("t => document.getElementById('chat-error').textContent.includes(t)", arg=text)
        assert button.is_enabled() and box.input_value() == "你们现在用什么系统排课？", status
        page.unroute("**/roleplay/*/messages")

    page.route("**/roleplay/*/messages", lambda route: route.fulfill(status=502, body="<html>bad gateway</html>"))
    button.click()
    page.wait_for_function("() => document.getElementById('chat-error').textContent.includes('服务器出错')")
    assert button.is_enabled()
    page.unroute("**/roleplay/*/messages")

    page.route("**/roleplay/*/messages", lambda route: route.abort())
    button.click()
    page.wait_for_function("() => document.getElementById('chat-error').textContent.includes('网络')")
    assert button.is_enabled()
    page.unroute("**/roleplay/*/messages")

    button.click()  # and now it goes through
    page.wait_for_function("() => document.querySelectorAll('#chat .bubble.rep').length === 1")
    wait_idle(page)
    assert error.inner_text().strip() == ""


def test_enter_sends_shift_enter_and_ime_do_not(page):
    open_chat(page)
    box = page.locator("#composer-form textarea")
    box.fill("你们学校有多少学生？")
    box.press("Shift+Enter")
    page.wait_for_timeout(400)
    assert rep_bubbles(page) == 0 and "\n" in box.input_value()
    # Enter that confirms a pinyin candidate arrives with isComposing set: it must not send.
    box.evaluate(
        "el => el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', isComposing: true, bubbles: true}))"
    )
    page.wait_for_timeout(400)
    assert rep_bubbles(page) == 0
    box.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#chat .bubble.rep').length === 1")
    wait_idle(page)
    assert box.input_value() == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_layout(browser, live_server, lang):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page = context.new_page()
    try:
        open_chat(page)
        assert not page.locator(".main-nav").is_visible()
        header_height = page.locator("header nav").bounding_box()["height"]
        assert header_height < 90, f"the navigation wraps ({header_height:.0f} px tall)"
        page.locator("#nav-menu summary").click()
        assert page.locator("#nav-menu a[href='/drills']").is_visible()
        page.locator("#nav-menu summary").click()
        # The composer sticks to the bottom of the screen, Enter is a new line on a touch keyboard.
        assert page.locator("#composer").evaluate("el => getComputedStyle(el).position") == "sticky"
        page.locator("#composer-form textarea").fill("你好")
        page.locator("#composer-form textarea").press("Enter")
        page.wait_for_timeout(400)
        assert rep_bubbles(page) == 0
        page.screenshot(path=str(SHOTS / f"chat_phone_{lang}.png"))
        page.locator("#coach-jump").click()
        page.wait_for_timeout(300)
        assert page.locator("#coach h4").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width} px)"
    finally:
        context.close()
