"""A rep plays a scenario to the end in Chromium: streamed replies, the coach sidebar, the scorecard chart, the note."""

import pytest

from tests.utils.browser import SCENARIO, SHOTS, login, say
from tests.utils.scripted_reps import strong_rep_lines

pytestmark = pytest.mark.browser


def test_play_a_scenario_to_the_scorecard(page):
    SHOTS.mkdir(exist_ok=True)
    login(page, "rep1", "rep1-demo-2026")
    page.goto("/roleplay")
    card = page.locator(f"article[data-scenario='{SCENARIO.id}']")
    assert SCENARIO.title_zh in card.inner_text()
    page.screenshot(path=str(SHOTS / "roleplay_picker.png"), full_page=True)
    card.locator("button.start-button").click()
    page.wait_for_url("**/roleplay/*")
    assert SCENARIO.opening_line in page.locator("#chat").inner_text()

    lines = strong_rep_lines(SCENARIO)
    say(page, lines[0])
    # The reply streamed in, the rep's question got its SPIN tag and the coach sidebar updated.
    assert SCENARIO.facts.situation[0].text in page.locator("#chat .bubble.buyer").last.inner_text()
    assert page.locator("#chat .bubble.rep .tag").last.inner_text() == "S"
    assert page.locator("#coach-tip").get_attribute("data-element") == "spin.problem"
    assert SCENARIO.facts.situation[0].topics.zh[0] in page.locator("#coach-facts").inner_text()
    for line in lines[1:6]:
        say(page, line)
    page.screenshot(path=str(SHOTS / "roleplay_chat.png"), full_page=True)
    for line in lines[6:]:
        say(page, line)
    assert page.locator("#call-ended").is_visible(), "the buyer ends the call once the commitment is won"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#finish-button")
    page.wait_for_url("**/scorecard")
    assert page.locator("#radar-chart svg").is_visible()
    assert page.locator("#spin-chart svg").is_visible()
    assert int(page.locator("#score-total").inner_text()) >= 80
    page.screenshot(path=str(SHOTS / "roleplay_scorecard.png"), full_page=True)

    page.click("text=辅导记录 #")
    page.wait_for_url("**/notes/*")
    assert page.locator("#export-md").is_visible()
    page.screenshot(path=str(SHOTS / "roleplay_note.png"), full_page=True)


def test_the_ui_switches_to_english(page):
    login(page, "rep1", "rep1-demo-2026")
    page.goto("/roleplay")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert SCENARIO.title_en in page.locator(f"article[data-scenario='{SCENARIO.id}']").inner_text()
    assert page.locator("button.start-button").first.inner_text() == "Start"
