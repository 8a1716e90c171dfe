"""What the browser tests share: the demo rep who signs in, where screenshots go, the role-play scenario, saying a line in the chat."""

import re
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


def fact_row(page, category: str, index: int):
    """The editor's fact row `index` of a category, added with the category's button until it exists."""
    group = page.locator(f".fact-group[data-category='{category}']")
    row = group.locator(f".fact-slot[data-index='{index}']")
    while row.count() == 0:
        group.locator(".add-fact").click()
    return row


def fill_editor(page, values: dict[str, str]) -> None:
    """Type a form's values into the editor as a person would: selects, radio choices, added fact rows."""
    form = page.locator("#scenario-form")
    for name, value in values.items():
        if name == "team" or not value:
            continue
        if name.startswith("fact_"):
            category, index = re.match(r"fact_(\w+?)_(\d+)_", name).groups()
            fact_row(page, category, int(index))
        field = form.locator(f"[name='{name}']")
        if field.count() > 1:  # a radio group (the five dimensions)
            form.locator(f"[name='{name}'][value='{value}']").check()
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
