"""What the browser tests share: the demo rep who signs in, where screenshots go, the role-play scenario, saying a line in the chat."""

from pathlib import Path

from app.demo import DEMO_USERS
from app.roleplay.scenarios import load_scenarios

REP = next(u for u in DEMO_USERS if u.username == "rep1")


SHOTS = Path("/tmp/shots")


SCENARIO = load_scenarios()["mfg_vitamin_erp"]


def say(page, text: str) -> None:
    """Send one message and wait until the buyer's streamed reply has been replaced by the stored one."""
    replies = page.locator("#chat .bubble.buyer:not(.streaming)")
    before = replies.count()
    page.fill("#composer-form textarea", text)
    page.click("#send-button")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .bubble.buyer:not(.streaming)').length > n"
        " && !document.querySelector('#chat .bubble.streaming')",
        arg=before,
    )


def login(page, username: str, password: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def fill_form(form, values: dict[str, str], skip: tuple[str, ...] = ("team",)) -> None:
    """Type each value into the form's field of that name (select the option of a <select>); empty values are left."""
    for name, value in values.items():
        if name in skip or not value:
            continue
        field = form.locator(f"[name='{name}']")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
